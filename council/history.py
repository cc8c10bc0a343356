"""Readable change history for an object's page: who, when, why, and before → after."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.timezone import is_aware, localtime
from django.utils.translation import gettext

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
    # What the row is about when a page lists the history of several records.
    label: str = ""


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
            change.changes = _diff(fields, older, newer)
        rows.append(change)
    return rows[:limit]


def _display(record, model_field, value) -> str:
    if isinstance(value, bool):  # before the empty check: False is a value, not a blank
        return gettext("yes") if value else gettext("no")
    if value in (None, ""):
        return "—"
    if isinstance(value, datetime.datetime):
        value = localtime(value) if is_aware(value) else value
        return date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    text = str(value)
    return text if len(text) <= 120 else text[:119] + "…"


def _diff(fields, older, newer) -> list[tuple[str, str, str]]:
    """The fields that differ, before → after, in the model's field order.

    Not simple-history's ``diff_against``: it compares through ``model_to_dict``, which
    leaves out fields that are not editable in forms, so a commitment's status, adoption
    date and council (set by the services, ``editable=False``) would never show as
    changed, and naming them in ``included_fields`` raises ``KeyError``; it also lists
    changes by attribute name rather than in the order the page shows the fields.
    """
    changes = []
    for f in fields:
        before, after = getattr(older, f.attname), getattr(newer, f.attname)
        if before != after:
            changes.append(
                (str(f.verbose_name), _display(older, f, before), _display(newer, f, after))
            )
    return changes


# Responsible agencies --------------------------------------------------------------------
#
# A commitment's responsible agencies are rows of their own, each with its history. The
# services save the commitment (a new version, one history record) and then its agencies,
# so the agency changes made from one commitment record up to the next belong to it: the
# commitment's history shows the list before → after there, and a removed agency stays
# visible in the record although its row is gone.


def _responsibility_events(commitment_id: int) -> list[tuple]:
    from .models import Responsibility

    return list(
        Responsibility.history.filter(commitment_id=commitment_id)
        .order_by("history_date", "history_id")
        .values_list("history_date", "history_type", "id", "agency_id", "role")
    )


def _agency_labels(agency_ids: set[int]) -> dict[int, str]:
    from .models import Agency
    from .querysets import localized_values

    rows = localized_values(
        Agency.objects.filter(pk__in=agency_ids), "pk", "party__code", names=("short_name", "name")
    )
    return {pk: Agency.label_of(short, name, code) for pk, code, short, name in rows}


def _state(events: list[tuple], until) -> dict[int, tuple[int, str]]:
    """The responsible agencies as they stood before ``until`` (None: now), by row id."""
    rows: dict[int, tuple[int, str]] = {}
    for when, kind, row_id, agency_id, role in events:
        if until is not None and when >= until:
            break
        if kind == "-":
            rows.pop(row_id, None)
        else:
            rows[row_id] = (agency_id, role)
    return rows


def _state_text(state: dict[int, tuple[int, str]], labels: dict[int, str]) -> str:
    from .models import Responsibility

    if not state:
        return "—"
    lead = Responsibility.Role.LEAD
    ordered = sorted(state.values(), key=lambda pair: (pair[1] != lead, labels.get(pair[0], "")))
    return "; ".join(
        f"{labels.get(agency_id, agency_id)}: {Responsibility.Role(role).label}"
        for agency_id, role in ordered
    )


def commitment_history_rows(commitment, limit: int = 50) -> list[Change]:
    """``history_rows`` of a commitment, with its responsible agencies before → after
    wherever they changed (two more queries: the agencies' history and their names),
    and its extension requests (``_with_extensions``, one more)."""
    return _with_extensions(_commitment_rows(commitment, limit), commitment, limit)


def _commitment_rows(commitment, limit: int) -> list[Change]:
    from .models import Responsibility

    rows = history_rows(commitment.history.all(), limit=limit)
    events = _responsibility_events(commitment.pk)
    if not rows or not events:
        return rows
    labels = _agency_labels({event[3] for event in events})
    label = str(Responsibility._meta.verbose_name_plural).capitalize()
    newer_date = None
    for row in rows:  # newest first
        start = row.record.history_date
        if row.record.history_type != "+":
            before, after = _state(events, start), _state(events, newer_date)
            if before != after:
                row.changes.append((label, _state_text(before, labels), _state_text(after, labels)))
        newer_date = start
    return rows


def _with_extensions(rows: list[Change], commitment, limit: int) -> list[Change]:
    """``rows`` with the commitment's extension requests merged in, newest first: each
    request's record says what was asked (deadline before → after) and each decision
    how its status moved (one more query)."""
    from .models import ExtensionRequest

    records = list(
        ExtensionRequest.history.filter(commitment_id=commitment.pk)
        .select_related("history_user", "party")
        .order_by("-history_date", "-history_id")[:limit]
    )
    if not records:
        return rows
    meta = ExtensionRequest._meta
    status_field = meta.get_field("status")
    label = str(meta.verbose_name).capitalize()
    previous: dict[int, object] = {}
    extra = []
    for record in reversed(records):  # oldest first: each record's predecessor is known
        older = previous.get(record.id)
        change = Change(record, label=f"{label} ({record.party.code})")
        if older is None:
            change.changes.append(
                (
                    gettext("Deadline"),
                    _display(record, meta.get_field("current_deadline"), record.current_deadline),
                    _display(record, meta.get_field("new_deadline"), record.new_deadline),
                )
            )
        if older is not None and older.status != record.status:
            change.changes.append(
                (
                    str(status_field.verbose_name),
                    _display(older, status_field, older.status),
                    _display(record, status_field, record.status),
                )
            )
        previous[record.id] = record
        extra.append(change)
    merged = rows + extra
    merged.sort(key=lambda row: row.record.history_date, reverse=True)
    return merged[:limit]


def changed_labels(commitment, older, newer, older_until) -> list[str]:
    """What changed between two history records of ``commitment``: field names, and the
    responsible agencies when they changed since ``older`` (whose own agency changes run
    up to ``older_until``, the next record's date), for the edit conflict message."""
    from .models import Responsibility

    model = type(commitment)
    fields = [
        f for f in model._meta.concrete_fields if f.attname not in SKIPPED and f.name not in SKIPPED
    ]
    labels = [label for label, _before, _after in _diff(fields, older, newer)]
    events = _responsibility_events(commitment.pk)
    if _state(events, older_until) != _state(events, None):
        labels.append(str(Responsibility._meta.verbose_name_plural))
    return labels


def _compared_fields(model) -> list:
    return [
        f for f in model._meta.concrete_fields if f.attname not in SKIPPED and f.name not in SKIPPED
    ]


def merged_history_rows(sources, limit: int = 30) -> list[Change]:
    """The latest ``limit`` changes of an object and of the records that hang off it
    (a session's participants and agenda, a protocol's signatories and files), newest
    first, each with the fields it changed, before → after.

    ``sources`` are ``(history_queryset, label)`` pairs; ``label(record)`` names the
    record a row is about ("Participant: …"), or is ``None`` for the object itself. The
    querysets select what their labels read. One query per source for the latest
    records, and one per source for the earlier version of records whose previous
    version is older than those (to show what their first listed change changed)."""
    rows: list[Change] = []
    for queryset, label in sources:
        records = list(
            queryset.select_related("history_user").order_by("-history_date", "-history_id")[:limit]
        )
        if not records:
            continue
        model = records[0].instance_type
        fields = _compared_fields(model)
        # Walk oldest first: each record's predecessor is the last one seen with its id.
        oldest_first = records[::-1]
        first_seen: dict[int, object] = {}
        for record in oldest_first:
            first_seen.setdefault(record.id, record)
        missing = {i for i, first in first_seen.items() if first.history_type != "+"}
        earlier: dict[int, object] = {}
        if missing:
            cutoff = max(first_seen[i].history_date for i in missing)
            candidates = queryset.model.objects.filter(
                id__in=missing, history_date__lte=cutoff
            ).order_by("id", "-history_date", "-history_id")
            for record in candidates.iterator():
                first = first_seen[record.id]
                if record.id not in earlier and (record.history_date, record.history_id) < (
                    first.history_date,
                    first.history_id,
                ):
                    earlier[record.id] = record
        previous: dict[int, object] = {}
        for record in oldest_first:
            older = previous.get(record.id, earlier.get(record.id))
            change = Change(record, label=label(record) if label else "")
            if older is not None and record.history_type != "+":
                change.changes = _diff(fields, older, record)
            previous[record.id] = record
            rows.append(change)
    rows.sort(key=lambda row: (row.record.history_date, row.record.history_id), reverse=True)
    return rows[:limit]
