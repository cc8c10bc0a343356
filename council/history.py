"""Readable change history for an object's page: who, when, why, and before → after."""

from __future__ import annotations

from dataclasses import dataclass, field

SKIPPED = {
    "id",
    "history_id",
    "history_date",
    "history_change_reason",
    "history_type",
    "history_user",
    "history_user_id",
    "updated_at",
    "created_at",
    "version",
}


@dataclass
class Change:
    record: object
    changes: list[tuple[str, str, str]] = field(default_factory=list)


def history_rows(history_queryset, limit: int = 30) -> list[Change]:
    """The latest ``limit`` history records, newest first, each with the fields it changed.

    Loads ``limit + 1`` records in one query and compares neighbours in Python, rather than
    one ``prev_record`` query per row."""
    records = list(
        history_queryset.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    if not records:
        return []
    model = records[0].instance_type
    fields = [
        f for f in model._meta.concrete_fields if f.attname not in SKIPPED and f.name not in SKIPPED
    ]
    rows = []
    for newer, older in zip(records, records[1:] + [None], strict=False):
        change = Change(newer)
        if older is not None:
            for f in fields:
                before, after = getattr(older, f.attname), getattr(newer, f.attname)
                if before != after:
                    change.changes.append(
                        (str(f.verbose_name), _display(older, f, before), _display(newer, f, after))
                    )
        rows.append(change)
    return rows[:limit]


def _display(record, model_field, value) -> str:
    if value in (None, ""):
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    text = str(value)
    return text if len(text) <= 120 else text[:119] + "…"
