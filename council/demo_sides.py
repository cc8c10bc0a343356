"""The demo's two sides of one clause: on the Kazakhstan–Kyrgyzstan council, clause 2.2 of
the 13th session, the Kazakh side has reported completion and the Kyrgyz side has not
reported since the session (flagged as silent for 30 days or more)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import services
from .models import Commitment, CommitmentSide, StatusUpdate

if TYPE_CHECKING:
    from .demo import DemoLoader

CLAUSE = "c13-2"
REPORTED = "today-12"


def load_sides_demo(loader: DemoLoader) -> None:
    commitment = loader.commitments.get(CLAUSE)
    if commitment is None:
        return
    update = services.commitment_change_status(
        commitment=commitment,
        to=Commitment.Status.COMPLETION_REPORTED,
        by=loader.users["focal"],
        agency=loader.agencies["kz-mic"],
        note=(
            "Казахстанская сторона завершила свою часть: национальный шлюз подключён, "
            "акт приёмки подписан. От кыргызской стороны сведений пока нет."
        ),
    )
    # Reported twelve days before the demo's "today", not when the demo loaded.
    when = loader.moment(REPORTED)
    StatusUpdate.objects.filter(pk=update.pk).update(  # not a record: the demo's clock
        created_at=when
    )
    side = CommitmentSide.objects.get(pk=update.side_id)
    side.history.filter(pk=side.history.latest().pk).update(  # not a record: the demo's clock
        history_date=when
    )
    latest = commitment.history.filter(pk=commitment.history.latest().pk)
    latest.update(history_date=when)  # not a record: the demo's clock
