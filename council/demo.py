"""Load the demo data set of ``fixtures/demo.json``.

The file is written in the domain's own terms (keys, party codes, dates such as
``today+30``) rather than as a Django serialisation, so it stays readable and the
demo always has work overdue, due soon and done whatever day it is loaded. Status
changes and review decisions go through the services, so the demo carries a real
history.

What the council recorded (session summaries, agenda, commitments, progress reports,
events) is written in Russian, the council's working language, as a protocol reads;
commitments and agenda items carry an English working translation and, for a few
clauses of the 13th session, their authentic Kazakh and Kyrgyz texts, all recorded as
versions (``council.models.versions``). Reference data (parties, agencies, positions…)
gives its English name as ``name`` and the others as ``name_ru``, ``name_kk``….
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation

from . import roles, services
from .demo_compliance import load_compliance
from .demo_cycles import load_cycles_demo
from .demo_extensions import load_extension_demo
from .demo_notify import load_notify_demo
from .demo_sides import load_sides_demo
from .models import (
    Agency,
    AgendaItem,
    AgendaItemVersion,
    CoChair,
    Commitment,
    CommitmentVersion,
    Council,
    Event,
    Indicator,
    Observation,
    Participant,
    Party,
    Person,
    Protocol,
    ProtocolFile,
    Responsibility,
    Sector,
    Session,
    Signatory,
    StatusUpdate,
    Target,
    User,
    WebhookEndpoint,
    WebhookEvent,
)

DEMO_FILE = Path(settings.BASE_DIR) / "fixtures" / "demo.json"
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
_RELATIVE = re.compile(r"^today([+-]\d+)$")

ROLE_GROUPS = {
    "secretariat": roles.SECRETARIAT,
    "focal_point": roles.FOCAL_POINT,
    "manager": roles.MANAGER,
}


def parse_date(value: str, today: datetime.date) -> datetime.date:
    """An ISO date, or ``today+N`` / ``today-N`` days from ``today``."""
    match = _RELATIVE.match(value)
    if match:
        return today + datetime.timedelta(days=int(match.group(1)))
    return datetime.date.fromisoformat(value)


def translated(item: dict[str, Any], field: str, default: str | None = None) -> dict[str, str]:
    """``field`` with its translations: the file gives the English value as ``name`` and
    the others as ``name_ru``, ``name_kk``…; a language it does not give falls back."""
    value = item[field] if default is None else item.get(field, default)
    values = {field: value, f"{field}_en": value}
    for code in LANGUAGE_CODES:
        if f"{field}_{code}" in item:
            values[f"{field}_{code}"] = item[f"{field}_{code}"]
    return values


def specimen_pdf(text: str) -> bytes:
    """A one-page PDF saying ``text``: stands in for a scanned signed document."""
    safe = text.encode("latin-1", "replace").decode("latin-1")
    safe = safe.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = f"BT /F1 12 Tf 56 760 Td ({safe}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


@dataclass
class DemoLoader:
    data: dict[str, Any]
    today: datetime.date
    parties: dict[str, Party] = field(default_factory=dict)
    sectors: dict[str, Sector] = field(default_factory=dict)
    agencies: dict[str, Agency] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    councils: dict[str, Council] = field(default_factory=dict)
    sessions: dict[str, Session] = field(default_factory=dict)
    agenda: dict[str, AgendaItem] = field(default_factory=dict)
    commitments: dict[str, Commitment] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    staff_councils: dict[str, list[str]] = field(default_factory=dict)

    @property
    def language(self) -> str:
        """The language the council's records in the file are written in."""
        return self.data.get("language", "ru")

    def date(self, value: str | None) -> datetime.date | None:
        return parse_date(value, self.today) if value else None

    def moment(self, value: str) -> datetime.datetime:
        """Mid-morning in the project's time zone on the given day."""
        day = self.date(value)
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))

    def sourced(self, item: dict[str, Any]) -> dict[str, Any]:
        source = item.get("source", "")
        return {
            "source": self.data["source"] if source == "seed" else source,
            "is_illustrative": bool(item.get("illustrative")),
            "illustrative_note": item.get("illustrative", ""),
        }

    def load(self) -> None:
        roles.roles_sync()
        for item in self.data["parties"]:
            self.parties[item["code"]] = services.party_save(
                party=Party(
                    code=item["code"],
                    **translated(item, "name"),
                    **translated(item, "short_name"),
                    order=item["order"],
                ),
                by=None,
            )
        for item in self.data["sectors"]:
            self.sectors[item["code"]] = services.sector_save(
                sector=Sector(code=item["code"], **translated(item, "name"), order=item["order"]),
                by=None,
            )
        for item in self.data["agencies"]:
            self.agencies[item["key"]] = services.agency_save(
                agency=Agency(
                    party=self.parties[item["party"]],
                    parent=self.agencies.get(item.get("parent", "")),
                    **translated(item, "name"),
                    **translated(item, "short_name", ""),
                    kind=item["kind"],
                ),
                by=None,
            )
        for item in self.data["people"]:
            self.people[item["key"]] = services.person_save(
                person=Person(
                    name=item["name"],
                    **translated(item, "position"),
                    party=self.parties[item["party"]],
                    agency=self.agencies.get(item.get("agency", "")),
                    **self.sourced(item),
                ),
                by=None,
            )
        self.load_users()
        for item in self.data["councils"]:
            self.load_council(item)
        self.load_webhook()
        for item in self.data["sessions"]:
            self.load_session(item)
        # Reviews refer to commitments of later sessions, so they come last.
        for item in self.data["sessions"]:
            for review in item.get("reviews", []):
                self.load_review(self.sessions[item["key"]], review)
        # What people do in the demo (reports, requests, decisions) is recorded as they would
        # record it: in Russian, the council's working language, with the reasons the
        # services write for them.
        with translation.override("ru"):
            load_sides_demo(self)
        for item in self.data["indicators"]:
            self.load_indicator(item)
        self.load_public_page()
        for item in self.data["events"]:
            event = Event(
                council=self.councils[item["council"]],
                reported_at=self.sessions.get(item.get("reported_at", "")),
                kind=item["kind"],
                title=item["title"],
                date=self.date(item.get("date")),
                year=item.get("year"),
                city=item.get("city", ""),
                host_party=self.parties.get(item.get("host_party", "")),
                sector=self.sectors.get(item.get("sector", "")),
                description=item.get("description", ""),
                **self.sourced(item),
            )
            services.event_save(event=event, by=None)
        with translation.override("ru"):
            load_extension_demo(self)
            load_cycles_demo(self)
        # The secretariat has connected its document system; its secret was shown once.
        secretariat = self.users.get("secretariat")
        if secretariat is not None:
            services.api_token_create(
                user=secretariat, name="ЕСЭДО секретариата (проверка)", days=90, by=None
            )

    def load_public_page(self) -> None:
        """The council publishes the 12th and 13th sessions on its public page."""
        council = self.councils["igc"]
        council.is_public = True
        services.council_save(council=council, by=None, reason="Публичная страница совета")
        for key in ("igc-12", "igc-13"):
            session = self.sessions[key]
            session.is_published = True
            services.session_edit(session=session, by=None, reason="Опубликовано")

    def load_webhook(self) -> None:
        """The secretariat's document system hears of signed protocols and review
        decisions. In the demo nothing listens at its address, so the delivery log shows
        attempts refused and waiting for their retry."""
        services.webhook_endpoint_save(
            endpoint=WebhookEndpoint(
                council=self.councils["igc"],
                url="https://127.0.0.1:9/council-hooks",
                description="ЕСЭДО секретариата (демо, приёмник не запущен)",
                events=[WebhookEvent.PROTOCOL_SIGNED, WebhookEvent.REVIEW_DECIDED],
            ),
            by=None,
        )

    def load_users(self) -> None:
        for item in self.data["users"]:
            user = services.user_create(
                username=item["username"],
                password=item["password"],
                by=None,
                groups=(ROLE_GROUPS[item["role"]],) if item["role"] in ROLE_GROUPS else (),
                is_superuser=item["role"] == "admin",
                first_name=item["first_name"],
                last_name=item["last_name"],
                email=item["email"],
                agency=self.agencies.get(item.get("agency", "")),
                # They sign in to the council's working language; each can switch.
                language=item.get("language", self.language),
            )
            self.staff_councils[user.username] = item.get("councils", [])
            self.users[item["key"]] = user

    def load_council(self, item: dict[str, Any]) -> None:
        council = services.council_save(
            council=Council(
                **translated(item, "name"),
                **translated(item, "short_name"),
                kind=item["kind"],
                parent=self.councils.get(item.get("parent", "")),
                **translated(item, "description", ""),
            ),
            by=None,
            parties=[self.parties[code] for code in item["parties"]],
            secretariat_agencies=[self.agencies[key] for key in item["secretariat"]],
            secretariat_staff=[
                user
                for user in self.users.values()
                if item["key"] in self.staff_councils.get(user.username, ())
            ],
        )
        for co_chair in item.get("co_chairs", []):
            services.cochair_save(
                cochair=CoChair(
                    council=council,
                    party=self.parties[co_chair["party"]],
                    person=self.people[co_chair["person"]],
                    **translated(co_chair, "position"),
                ),
                by=None,
            )
        self.councils[item["key"]] = council

    def load_session(self, item: dict[str, Any]) -> None:
        session = services.session_create(
            session=Session(
                council=self.councils[item["council"]],
                number=item["number"],
                status=item["status"],
                start_date=self.date(item["start_date"]),
                city=item.get("city", ""),
                country=self.parties.get(item.get("country", "")),
                host_party=self.parties.get(item.get("host_party", "")),
                summary=item.get("summary", ""),
                **self.sourced(item),
            ),
            by=None,
        )
        self.sessions[item["key"]] = session
        for order, participant in enumerate(item.get("participants", []), start=1):
            services.participant_add(
                participant=Participant(
                    session=session,
                    person=self.people[participant["person"]],
                    role=participant["role"],
                    **translated(participant, "position"),
                    order=order,
                ),
                by=None,
            )
        for agenda in item.get("agenda", []):
            agenda_item = self.agenda[agenda["key"]] = services.agenda_item_create(
                item=AgendaItem(
                    session=session,
                    order=agenda["order"],
                    title=agenda["title"],
                    language=agenda.get("language", self.language),
                    sector=self.sectors.get(agenda.get("sector", "")),
                    summary=agenda.get("summary", ""),
                    **self.sourced({"illustrative": item.get("illustrative")} | agenda),
                ),
                speakers=[self.people[key] for key in agenda.get("speakers", [])],
                by=None,
            )
            for language, version in agenda.get("versions", {}).items():
                services.agenda_item_version_save(
                    version=AgendaItemVersion(
                        agenda_item=agenda_item,
                        language=language,
                        title=version["title"],
                        is_translation=not version.get("authentic", False),
                    ),
                    by=None,
                )
        for commitment in item.get("commitments", []):
            self.load_commitment(session, commitment)
        if "protocol" in item:
            self.load_protocol(session, item["protocol"])

    def load_commitment(self, session: Session, item: dict[str, Any]) -> None:
        deadline = item["deadline"]
        kinds = {
            "next_session": Commitment.DeadlineKind.NEXT_SESSION,
            "ongoing": Commitment.DeadlineKind.ONGOING,
        }
        commitment = services.commitment_create(
            session=session,
            fields={
                "clause": item["clause"],
                "title": item["title"],
                "text": item["text"],
                "language": item.get("language", self.language),
                "sector": self.sectors[item["sector"]],
                "agenda_item": self.agenda.get(item.get("agenda", "")),
                "deadline_kind": kinds.get(deadline, Commitment.DeadlineKind.DATE),
                "deadline": None if deadline in kinds else self.date(deadline),
                "is_illustrative": True,
                "illustrative_note": " ".join(
                    [
                        "Номер пункта, формулировка, исполнители, срок и ход исполнения"
                        " иллюстративны.",
                        item.get("illustrative_note", ""),
                    ]
                ).strip(),
            },
            responsibilities=[
                (self.agencies[agency_key], role) for agency_key, role in item["responsible"]
            ],
            by=None,
        )
        self.commitments[item["key"]] = commitment
        for language, version in item.get("versions", {}).items():
            services.commitment_version_save(
                version=CommitmentVersion(
                    commitment=commitment,
                    language=language,
                    title=version["title"],
                    text=version["text"],
                    is_translation=not version.get("authentic", False),
                ),
                by=None,
            )
        # Recorded on the evening of its session, agencies included: the commitment's
        # history reads the agencies' rows as belonging to the record before them.
        adopted = timezone.make_aware(
            datetime.datetime.combine(session.start_date, datetime.time(18, 0))
        )
        agencies_history = Responsibility.history.filter(commitment_id=commitment.pk)
        versions_history = CommitmentVersion.history.filter(commitment_id=commitment.pk)
        commitment.history.update(history_date=adopted)  # not a record: the demo's clock
        agencies_history.update(history_date=adopted)  # not a record: the demo's clock
        versions_history.update(history_date=adopted)  # not a record: the demo's clock
        for report in item["history"]:
            by = self.users[report.get("by", "secretariat")]
            agency = self.agencies.get(report.get("agency", ""))
            attachments = []
            if "attachment" in report:
                specimen = report["attachment"]
                attachments = [
                    ContentFile(specimen_pdf(specimen["specimen"]), name=specimen["name"])
                ]
            if "to" in report:
                update = services.commitment_change_status(
                    commitment=commitment,
                    to=report["to"],
                    by=by,
                    note=report["note"],
                    agency=agency,
                    attachments=attachments,
                )
                # Backdate the record to when the report was made, not when the demo loaded.
                latest = commitment.history.filter(pk=commitment.history.latest().pk)
                latest.update(  # not a record: the demo's clock
                    history_date=self.moment(report["at"])
                )
            else:
                update = services.commitment_report_progress(
                    commitment=commitment,
                    by=by,
                    note=report["note"],
                    agency=agency,
                    attachments=attachments,
                )
            made = StatusUpdate.objects.filter(pk=update.pk)
            made.update(created_at=self.moment(report["at"]))  # not a record: the demo's clock

    def load_review(self, session: Session, item: dict[str, Any]) -> None:
        started = timezone.now()
        commitment = self.commitments[item["commitment"]]
        review = services.review_record_decision(
            commitment=commitment,
            session=session,
            decision=item["decision"],
            by=self.users["secretariat"],
            note=item.get("note", ""),
            new_deadline=self.date(item.get("new_deadline")),
            replacement=self.commitments.get(item.get("replacement", "")),
        )
        # The decision was taken at the session, not when the demo loaded.
        when = timezone.make_aware(
            datetime.datetime.combine(session.start_date, datetime.time(17, 0))
        )
        decided = type(review).objects.filter(pk=review.pk)
        decided.update(decided_at=when)  # not a record: the demo's clock
        applied = StatusUpdate.objects.filter(session=session, created_at__gte=started)
        applied.update(  # not a record: the demo's clock
            created_at=when
        )
        for changed in (commitment, review.replacement):
            if changed is not None:
                changes = changed.history.filter(history_date__gte=started)
                changes.update(history_date=when)  # not a record: the demo's clock

    def load_protocol(self, session: Session, item: dict[str, Any]) -> None:
        protocol = services.protocol_save(
            protocol=Protocol(
                session=session,
                number=item["number"],
                title=item["title"],
                status=item["status"],
                signed_on=self.date(item.get("signed_on")),
                signed_in=item.get("signed_in", ""),
                languages=item.get("languages", ""),
                **self.sourced(item),
            ),
            signatories=[
                Signatory(
                    person=self.people[signatory["person"]],
                    **translated(signatory, "position"),
                    order=order,
                )
                for order, signatory in enumerate(item["signatories"], start=1)
            ],
            by=None,
        )
        for upload in item["files"]:
            services.protocol_file_upload(
                protocol_file=ProtocolFile(
                    protocol=protocol, kind=upload["kind"], language=upload["language"]
                ),
                upload=ContentFile(specimen_pdf(upload["specimen"]), name=upload["name"]),
                # The demo's secretariat uploaded them (it keeps this council's records).
                by=self.users["secretariat"],
            )

    def load_indicator(self, item: dict[str, Any]) -> None:
        indicator = services.indicator_save(
            indicator=Indicator(
                council=self.councils[item["council"]],
                code=item["code"],
                **translated(item, "name"),
                unit=item["unit"],
                sector=self.sectors.get(item.get("sector", "")),
                **translated(item, "description", ""),
            ),
            by=None,
        )
        for observation in item["observations"]:
            services.observation_save(
                observation=Observation(
                    indicator=indicator,
                    period_start=self.date(observation["period_start"]),
                    period_end=self.date(observation["period_end"]),
                    value=Decimal(observation["value"]),
                    qualifier=observation.get("qualifier", Observation.Qualifier.EXACT),
                    change_pct=Decimal(observation["change_pct"])
                    if "change_pct" in observation
                    else None,
                    reported_at=self.sessions.get(observation.get("reported_at", "")),
                    **self.sourced(observation),
                ),
                by=None,
            )
        for target in item["targets"]:
            services.target_save(
                target=Target(
                    indicator=indicator,
                    target_date=self.date(target["target_date"]),
                    value=Decimal(target["value"]),
                    note=target.get("note", ""),
                ),
                by=None,
            )


def demo_is_loaded() -> bool:
    return Council.objects.exists()


def load_demo(path: Path = DEMO_FILE, today: datetime.date | None = None) -> DemoLoader:
    """Load the demo data into an empty database, in one transaction."""
    data = json.loads(path.read_text(encoding="utf-8"))
    loader = DemoLoader(data=data, today=today or timezone.localdate())
    # Reference data's plain values are English, whatever language is active.
    with transaction.atomic(), translation.override("en"):
        loader.load()
        with translation.override("ru"):
            load_compliance(loader)
            load_notify_demo(loader)
    # What is due today goes out now (to the console in the demo), so the
    # notification pages and the reminder log have something to show.
    services.reminders_scan(today=loader.today)
    # The report counts and compliance sums a large archive reads from (the demo's are
    # counted live; these show in admin what the background scan keeps).
    services.report_tallies_refresh(today=loader.today)
    services.compliance_tallies_refresh()
    return loader
