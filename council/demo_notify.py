"""The demo's sides at risk, reminders to a side and event notifications (KZ–KG council).

Illustrative: the flag, its reason and the reminder are made up to show the feature.
The status changes the demo records already notify the managers of reported completions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import services

if TYPE_CHECKING:
    from .demo import DemoLoader


def load_notify_demo(loader: DemoLoader) -> None:
    energy = loader.commitments["c13-4"]
    industry = loader.commitments["c13-2"]
    kg, kz = loader.parties["KG"], loader.parties["KZ"]
    services.risk_flag_raise(
        commitment=energy,
        party=kg,
        reason=(
            "Ремонт гидроагрегатов Токтогульской ГЭС сдвинут на весну: согласованный "
            "график поставок электроэнергии под угрозой срыва."
        ),
        by=loader.users["focal_kg"],
    )
    services.side_remind_now(
        commitment=industry,
        party=kz,
        note="Просим до конца недели сообщить, на каком этапе согласование перечня проектов.",
        by=loader.users["secretariat"],
    )
