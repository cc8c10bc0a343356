"""Importing a protocol's clauses into a session: read and compare (the preview), then
save what the secretariat confirmed, through the commitment services, in one transaction.

Re-importing a corrected file matches clauses by number: an unchanged clause is left
alone, a changed one updated (its history says "imported from <file>"), a new one added;
a clause the session records but the file no longer has is flagged, never removed.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from rapidfuzz import fuzz

from ..imports import AgencyMatcher, AgencyRef, ParsedClause, ParseResult, SectorRef, parse
from ..imports.agencies import lemmas
from ..models import (
    Agency,
    AgendaItem,
    Commitment,
    Party,
    Protocol,
    ProtocolFile,
    Responsibility,
    Sector,
    Session,
    User,
)
from ._records import require_council_records
from .commitments import check_responsibilities, commitment_create, commitment_edit
from .protocols import protocol_file_upload, protocol_save

NEW, UNCHANGED, CHANGED, NOTED, REPEATED = "new", "unchanged", "changed", "noted", "repeated"
KINDS = tuple(Commitment.DeadlineKind.values)
_LANGS = ("", "_ru", "_kk", "_ky", "_en")


@dataclass
class Correction:
    """What the person checking the preview changed on one row; None keeps the file's."""

    skip: bool = False
    title: str | None = None
    deadline_kind: str | None = None
    deadline: datetime.date | None = None
    responsible: list[tuple[int, str]] | None = None  # (agency id, role)
    version: int | None = None  # of the recorded commitment, as the preview showed it


@dataclass
class Row:
    """One clause of the file, compared with what the session records."""

    parsed: ParsedClause
    status: str
    existing: Commitment | None = None
    agenda_item: AgendaItem | None = None
    sector: Sector | None = None
    title: str = ""
    deadline_kind: str | None = None
    deadline: datetime.date | None = None
    responsible: list[tuple[Agency, str]] = field(default_factory=list)
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # label, before, after
    errors: list[str] = field(default_factory=list)
    skip: bool = False

    @property
    def clause(self) -> str:
        return self.parsed.clause

    @property
    def can_import(self) -> bool:
        return self.status not in (NOTED, REPEATED)


@dataclass
class Preview:
    session: Session
    name: str
    result: ParseResult
    rows: list[Row] = field(default_factory=list)
    missing: list[Commitment] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        return self.result.errors

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys((NEW, UNCHANGED, CHANGED, NOTED, REPEATED), 0)
        for row in self.rows:
            counts[row.status] += 1
        return counts


@dataclass
class Outcome:
    created: list[Commitment] = field(default_factory=list)
    updated: list[Commitment] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    file: ProtocolFile | None = None


# Reading -----------------------------------------------------------------------------

_MATCHERS: dict[int, AgencyMatcher] = {}


def _names(obj, field_name: str) -> tuple[str, ...]:
    values = []
    for suffix in _LANGS:
        value = getattr(obj, f"{field_name}{suffix}", None)
        if value and value not in values:
            values.append(value)
    return tuple(values)


def import_matcher(session: Session) -> AgencyMatcher:
    """The agency matcher for a session's council: the active agencies of its parties,
    every name in every language (built once per distinct set of names)."""
    parties = list(session.council.parties.all()) or list(Party.objects.all())
    agencies = Agency.objects.filter(party__in=parties, is_active=True).select_related("party")
    refs = tuple(
        AgencyRef(
            id=a.pk,
            party=a.party.code,
            label=str(a),
            names=_names(a, "name"),
            short_names=_names(a, "short_name"),
            parent_id=a.parent_id,
        )
        for a in agencies
    )
    party_names = {p.code: list(_names(p, "name")) for p in parties}
    key = hash((refs, tuple(sorted((k, tuple(v)) for k, v in party_names.items()))))
    if key not in _MATCHERS:
        if len(_MATCHERS) > 20:
            _MATCHERS.clear()
        _MATCHERS[key] = AgencyMatcher(list(refs), party_names)
    return _MATCHERS[key]


def import_read(*, session: Session, name: str, data: bytes) -> Preview:
    """Parse ``data`` and compare each clause with the session's commitments. Writes
    nothing."""
    sectors = list(Sector.objects.filter(is_active=True))
    refs = [SectorRef(s.code, _names(s, "name")) for s in sectors]
    result = parse(
        name,
        data,
        matcher=import_matcher(session),
        sectors=refs,
        reference_year=session.start_date.year if session.start_date else None,
    )
    preview = Preview(session=session, name=name, result=result)
    if result.errors:
        return preview
    by_code = {s.code: s for s in sectors}
    items = list(session.agenda_items.filter(withdrawn_at__isnull=True).select_related("sector"))
    existing = {
        c.clause: c
        for c in session.commitments.exclude(clause="")
        .select_related("sector", "agenda_item")
        .prefetch_related("responsibilities__agency__party")
    }
    agencies = Agency.objects.in_bulk({r.agency_id for c in result.clauses for r in c.responsible})
    seen: set[str] = set()
    for parsed in result.clauses:
        row = Row(parsed=parsed, status=NEW)
        row.agenda_item = _agenda_item(parsed.section, items)
        row.sector = by_code.get(parsed.sector) if parsed.sector else None
        if row.sector is None and row.agenda_item is not None:
            row.sector = row.agenda_item.sector
        row.title = parsed.title
        if parsed.deadline:
            row.deadline_kind, row.deadline = parsed.deadline.kind, parsed.deadline.date
        row.responsible = [
            (agencies[r.agency_id], r.role) for r in parsed.responsible if r.agency_id in agencies
        ]
        if parsed.noted:
            row.status, row.skip = NOTED, True
        elif parsed.repeated or parsed.clause in seen:
            row.status, row.skip = REPEATED, True
        else:
            row.existing = existing.get(parsed.clause)
            if row.existing is not None:
                # What the file leaves unclear stays as recorded.
                if parsed.deadline is None:
                    row.deadline_kind = row.existing.deadline_kind
                    row.deadline = row.existing.deadline
                if not row.responsible:
                    row.responsible = [
                        (r.agency, r.role) for r in row.existing.responsibilities.all()
                    ]
                row.changes = _changes(row.existing, _fields(row, session), row.responsible)
                row.status = CHANGED if row.changes else UNCHANGED
        seen.add(parsed.clause)
        preview.rows.append(row)
    preview.missing = [c for clause, c in sorted(existing.items()) if clause not in seen]
    return preview


def _agenda_item(section: str, items: list[AgendaItem]) -> AgendaItem | None:
    if not section or not items:
        return None
    heading = " ".join(lemmas(section.split(" / ")[0].split(".", 1)[-1]))
    best, best_score = None, 0.0
    for item in items:
        score = fuzz.token_set_ratio(heading, " ".join(lemmas(item.title)))
        if score > best_score:
            best, best_score = item, score
    return best if best_score >= 85 else None


def _fields(row: Row, session: Session) -> dict:
    return {
        "title": row.title,
        "text": row.parsed.text,
        "sector": row.sector,
        "agenda_item": row.agenda_item,
        "deadline_kind": row.deadline_kind,
        "deadline": row.deadline,
    }


def _show(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    return str(value)


def _changes(existing: Commitment, fields: dict, responsible) -> list[tuple[str, str, str]]:
    changes = []
    for name, value in fields.items():
        before = getattr(existing, name)
        if name == "deadline_kind":
            if before != value:
                labels = dict(Commitment.DeadlineKind.choices)
                changes.append(
                    (
                        str(_("deadline")),
                        str(labels.get(before, before)),
                        str(labels.get(value, value or "—")),
                    )
                )
            continue
        if before != value:
            field_label = Commitment._meta.get_field(name).verbose_name
            changes.append((str(field_label), _show(before), _show(value)))
    now = {(r.agency_id, r.role) for r in existing.responsibilities.all()}
    wanted = {(a.pk, role) for a, role in responsible}
    if now != wanted:

        def label(pairs):
            roles = dict(Responsibility.Role.choices)
            agencies = Agency.objects.in_bulk({a for a, _r in pairs})
            return (
                "; ".join(f"{agencies[a]} — {roles[r]}" for a, r in sorted(pairs) if a in agencies)
                or "—"
            )

        changes.append((str(_("responsible agencies")), label(now), label(wanted)))
    return changes


# Saving ------------------------------------------------------------------------------


def _apply(row: Row, correction: Correction | None, agencies: dict[int, Agency]) -> None:
    """The row as corrected: the person's choices win over what the file said."""
    row.errors = []
    if correction is None:
        return
    row.skip = correction.skip or not row.can_import
    if correction.title is not None and correction.title.strip():
        row.title = correction.title.strip()[:300]
    if correction.deadline_kind is not None:
        row.deadline_kind = correction.deadline_kind or None
        row.deadline = correction.deadline if row.deadline_kind == "date" else None
    if correction.responsible is not None:
        row.responsible = [
            (agencies[a], role) for a, role in correction.responsible if a in agencies
        ]


def _check(row: Row) -> None:
    if row.deadline_kind not in KINDS:
        row.errors.append(_("Choose the deadline: a date, the next session or ongoing."))
    elif row.deadline_kind == "date" and row.deadline is None:
        row.errors.append(_("Give the deadline date."))
    if not row.title:
        row.errors.append(_("Give a short title."))
    try:
        check_responsibilities(row.responsible)
    except ValidationError as error:
        row.errors += error.messages


def import_prepare(
    *,
    session: Session,
    name: str,
    data: bytes,
    corrections: dict[str, Correction] | None = None,
) -> Preview:
    """The preview with the person's corrections (by clause number) applied and each
    row's remaining problems in ``Row.errors``. Writes nothing."""
    preview = import_read(session=session, name=name, data=data)
    if preview.errors:
        return preview
    corrections = corrections or {}
    wanted_ids = {a for c in corrections.values() for a, _r in (c.responsible or [])}
    agencies = Agency.objects.filter(party__in=session.council.parties.all()).in_bulk(wanted_ids)
    for row in preview.rows:
        _apply(row, corrections.get(row.clause), agencies)
        if row.skip:
            continue
        _check(row)
        if row.existing is not None:
            row.changes = _changes(row.existing, _fields(row, session), row.responsible)
            row.status = CHANGED if row.changes else UNCHANGED
    return preview


def import_confirm(
    *,
    session: Session,
    name: str,
    data: bytes,
    corrections: dict[str, Correction] | None = None,
    by: User | None,
    strict: bool = True,
) -> tuple[Preview, Outcome]:
    """Save the file's clauses as the session's commitments, with the person's
    corrections (by clause number), in one transaction, and keep the file with the
    session's protocol.

    ``strict``: a row that cannot be saved (no deadline chosen) refuses the whole import
    with ``ValidationError`` (``import_prepare`` shows why, row by row); otherwise (the
    command line) such rows are left out and named in ``Outcome.errors``.
    """
    require_council_records(
        by, session.council_id, _("Only the council's secretariat may import its commitments.")
    )
    corrections = corrections or {}
    preview = import_prepare(session=session, name=name, data=data, corrections=corrections)
    outcome = Outcome()
    if preview.errors:
        raise ValidationError(preview.errors)
    failing = [row for row in preview.rows if not row.skip and row.errors]
    if failing and strict:
        raise ValidationError(
            _("Some clauses need a correction before they can be saved: %(clauses)s.")
            % {"clauses": ", ".join(r.clause for r in failing)},
            code="rows",
        )
    reason = _("Imported from %(file)s") % {"file": name}
    with transaction.atomic():
        for row in preview.rows:
            if row.skip:
                outcome.skipped.append(row.clause)
                continue
            if row.errors:
                outcome.errors.append(
                    _("Clause %(clause)s is not saved: %(why)s")
                    % {"clause": row.clause, "why": " ".join(row.errors)}
                )
                continue
            fields = _fields(row, session) | {"clause": row.clause}
            if row.existing is None:
                outcome.created.append(
                    commitment_create(
                        session=session,
                        fields=fields | {"source": name[:300]},
                        responsibilities=row.responsible,
                        by=by,
                        reason=reason,
                    )
                )
            elif row.status == CHANGED:
                correction = corrections.get(row.clause)
                outcome.updated.append(
                    commitment_edit(
                        commitment=row.existing,
                        fields=fields,
                        responsibilities=row.responsible,
                        version=correction.version if correction else None,
                        by=by,
                        reason=reason,
                    )
                )
            else:
                outcome.unchanged += 1
        if outcome.created or outcome.updated:
            outcome.file = _keep_file(session, name, data, by=by, reason=reason)
    return preview, outcome


def _keep_file(session: Session, name: str, data: bytes, *, by, reason: str):
    """The imported file, kept with the session's protocol (recorded as a draft if the
    session has none yet); the same file imported again is not stored twice."""
    protocol = Protocol.objects.filter(session=session).first()
    if protocol is None:
        protocol = protocol_save(
            protocol=Protocol(
                session=session,
                title=_("Protocol of session %(number)s") % {"number": session.number},
                languages="ru",
            ),
            by=by,
            reason=reason,
        )
    digest = hashlib.sha256(data).hexdigest()
    for stored in protocol.files.filter(withdrawn_at__isnull=True, original_name=name):
        try:
            with stored.file.open("rb") as handle:
                if hashlib.sha256(handle.read()).hexdigest() == digest:
                    return stored
        except OSError:
            continue
    return protocol_file_upload(
        protocol_file=ProtocolFile(protocol=protocol, kind=ProtocolFile.Kind.TEXT, language="ru"),
        upload=ContentFile(data, name=name),
        by=by,
        reason=reason,
    )
