"""Fill a dedicated PostgreSQL database with a realistic benchmark data set, fast.

``.venv/bin/python bench/generate.py --commitments 1000000`` (with ``DATABASE_URL``)
wipes every council record of the database (it refuses unless the database name says
``bench`` or ``test``), then builds:

- 8 parties, 200 agencies (25 per party, committees and state companies under
  ministries), 15 sectors;
- 40 councils (12 intergovernmental councils and commissions, 28 subcommissions and
  working groups under them), about 500 sessions (held ones spread over the past 15
  years, some planned in the coming weeks, a few cancelled);
- N commitments spread over the held sessions (a few big councils, many small ones),
  with statuses that depend on the age of the session (old ones almost all closed,
  recent ones mostly open, so a realistic share is overdue), 1–3 responsible agencies
  (one lead per party, sometimes a co-executor), their status updates and progress
  reports, their change history (``HistoricalCommitment``) and a few review decisions;
- one commitment with a long history (title starting with ``LONG_HISTORY_MARK``);
- users: ``bench-admin`` (superuser), ``bench-manager``, ``bench-secretariat`` (assigned to
  the five biggest councils), ``bench-focal`` (focal point of the busiest agency), plus
  secretariat staff for every council and focal points for the main agencies, so the
  reminder scan finds recipients. Passwords are unusable: set one with ``changepassword``.

Small reference tables go through the ORM; the big ones are written by PostgreSQL itself
with ``INSERT … SELECT … FROM generate_series`` (pseudo-random values come from a hash of
the row number, so a size always gives the same data), after a ``COPY`` of the session
plan. Indexes that no constraint needs are dropped while a table fills and built again
after it, which is several times faster than maintaining them row by row. Every check,
unique and foreign key constraint of ``council/models.py`` stays enforced.
"""

from __future__ import annotations

if __name__ == "__main__":  # run as a script: Django is set up before the models are imported
    import os
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "council.settings")
    import django

    django.setup()

import datetime
import importlib
import random
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.db.models import Model
from django.utils import timezone
from psycopg import sql

from council import roles
from council.models import (
    Agency,
    Commitment,
    Council,
    Party,
    ReminderRule,
    Responsibility,
    Review,
    Sector,
    Session,
    StatusUpdate,
    User,
)

LONG_HISTORY_MARK = "[bench: long history]"
LONG_HISTORY_UPDATES = 200
LONG_HISTORY_CHANGES = 120
SEED = 20261125

PARTIES = [
    ("KZ", "Republic of Kazakhstan", "Kazakhstan", "Республика Казахстан"),
    ("KG", "Kyrgyz Republic", "Kyrgyzstan", "Кыргызская Республика"),
    ("UZ", "Republic of Uzbekistan", "Uzbekistan", "Республика Узбекистан"),
    ("TJ", "Republic of Tajikistan", "Tajikistan", "Республика Таджикистан"),
    ("TM", "Turkmenistan", "Turkmenistan", "Туркменистан"),
    ("AZ", "Republic of Azerbaijan", "Azerbaijan", "Азербайджанская Республика"),
    ("MN", "Mongolia", "Mongolia", "Монголия"),
    ("TR", "Republic of Türkiye", "Türkiye", "Турецкая Республика"),
]
MINISTRIES = [
    "Ministry of Trade and Integration",
    "Ministry of Foreign Affairs",
    "Ministry of National Economy",
    "Ministry of Energy",
    "Ministry of Transport",
    "Ministry of Agriculture",
    "Ministry of Finance",
    "Ministry of Industry and Construction",
    "Ministry of Water Resources",
    "Ministry of Health",
    "Ministry of Education and Science",
    "Ministry of Culture and Information",
    "Ministry of Digital Development",
    "Ministry of Emergency Situations",
    "Ministry of Internal Affairs",
    "Ministry of Justice",
    "Ministry of Ecology and Natural Resources",
    "Ministry of Labour and Social Protection",
]
# (name, kind, index of the parent ministry in MINISTRIES)
SUB_AGENCIES = [
    ("State Revenue Committee", Agency.Kind.COMMITTEE, 6),
    ("Customs Control Committee", Agency.Kind.COMMITTEE, 6),
    ("Veterinary Control Committee", Agency.Kind.COMMITTEE, 5),
    ("Civil Aviation Committee", Agency.Kind.COMMITTEE, 4),
    ("Geology Committee", Agency.Kind.COMMITTEE, 16),
    ("National Railway Company", Agency.Kind.COMPANY, 4),
    ("National Electric Grid Operator", Agency.Kind.COMPANY, 3),
]
AGENCIES_PER_PARTY = len(MINISTRIES) + len(SUB_AGENCIES)
SECTORS = [
    ("trade", "Trade and economic cooperation"),
    ("energy", "Energy"),
    ("water", "Water management"),
    ("transport", "Transport and logistics"),
    ("agriculture", "Agriculture"),
    ("industry", "Industrial cooperation"),
    ("finance", "Finance and investment"),
    ("customs", "Customs and border crossings"),
    ("health", "Health care"),
    ("education", "Education and science"),
    ("culture", "Culture and humanitarian ties"),
    ("digital", "Digital development"),
    ("environment", "Environment"),
    ("tourism", "Tourism"),
    ("security", "Emergency situations and security"),
]
TOP_COUNCILS = [
    # (party codes, kind, name)
    (("KZ", "KG"), "igc", "Kazakhstan–Kyrgyzstan Intergovernmental Council"),
    (("KZ", "UZ"), "igc", "Kazakhstan–Uzbekistan Intergovernmental Council"),
    (("KZ", "TJ"), "commission", "Kazakhstan–Tajikistan Intergovernmental Commission"),
    (("KZ", "TM"), "commission", "Kazakhstan–Turkmenistan Intergovernmental Commission"),
    (("KG", "UZ"), "commission", "Kyrgyzstan–Uzbekistan Intergovernmental Commission"),
    (("KG", "TJ"), "commission", "Kyrgyzstan–Tajikistan Intergovernmental Commission"),
    (("UZ", "TJ"), "commission", "Uzbekistan–Tajikistan Intergovernmental Commission"),
    (("KZ", "AZ"), "commission", "Kazakhstan–Azerbaijan Intergovernmental Commission"),
    (("KZ", "MN"), "commission", "Kazakhstan–Mongolia Intergovernmental Commission"),
    (("KZ", "TR"), "igc", "Kazakhstan–Türkiye Intergovernmental Council"),
    (("KZ", "KG", "UZ"), "commission", "Water and Energy Commission of Central Asia"),
    (("KZ", "UZ", "TM"), "commission", "Trans-Caspian Transport Commission"),
]
SUB_BODY_TOPICS = [
    ("subcommission", "Subcommission on Trade"),
    ("subcommission", "Subcommission on Energy"),
    ("working_group", "Working Group on Transport"),
    ("working_group", "Working Group on Water"),
]
SUB_BODIES = 28
VERBS = [
    "Agree on",
    "Prepare",
    "Sign",
    "Launch",
    "Complete the study of",
    "Build",
    "Harmonise",
    "Open",
    "Hold consultations on",
    "Draft",
]
OBJECTS = [
    "a joint roadmap on trade facilitation",
    "the upgrade of the border crossing point",
    "an agreement on electricity exchange",
    "a joint venture for fertiliser production",
    "the schedule of water releases for the growing season",
    "a new air route between the capitals",
    "mutual recognition of veterinary certificates",
    "a trading house in the partner's capital",
    "the interconnection of the railway information systems",
    "a programme of cultural days",
    "the exchange of customs data in electronic form",
    "a plan to increase trade turnover",
    "an investment fund for joint projects",
    "the reconstruction of the interstate highway",
    "a memorandum on student exchanges",
    "a joint logistics hub",
    "the list of priority industrial projects",
    "an early warning system for floods",
    "harmonised phytosanitary requirements",
    "a digital corridor for cargo documents",
]


@dataclass
class SessionPlan:
    session: Session
    council_rank: int
    parties: list[int]
    held: bool
    weight: float = 0.0
    count: int = 0
    start_index: int = 0
    prev_start: int = 0
    prev_count: int = 0
    review_session_id: int | None = None
    review_number: int = 0


@dataclass
class Plan:
    today: datetime.date
    sessions: list[SessionPlan] = field(default_factory=list)
    party_agencies: dict[int, list[int]] = field(default_factory=dict)
    sector_ids: list[int] = field(default_factory=list)
    author_ids: list[int] = field(default_factory=list)
    long_history_id: int = 0


# The whole run ---------------------------------------------------------------------------


def generate(n: int, *, keep_indexes: bool = False, log=None) -> dict:
    """Build the data set for ``n`` commitments; returns row counts and timings."""
    if connection.vendor != "postgresql":
        raise CommandError("bench/generate.py needs PostgreSQL (it writes with INSERT … SELECT).")
    name = connection.settings_dict["NAME"]
    if "bench" not in name and not name.startswith("test"):
        raise CommandError(
            f"Refusing to wipe database {name!r}: use a dedicated database whose name "
            "contains 'bench' (e.g. council_bench) or a test database."
        )
    log = log or (lambda message: None)
    timings: dict[str, float] = {}

    def step(label, function, *args):
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            _prepare_session(cursor)
            result = function(cursor, *args)
            _end_session(cursor)
        timings[label] = time.perf_counter() - started
        log(f"  {label}: {timings[label]:.1f} s")
        return result

    log(f"Generating {n:,} commitments into {name}…")
    plan = step("wipe and reference data", _reference_data, n)
    deferred = () if keep_indexes else None
    step("commitments", _load, Commitment, _commitments, plan, deferred)
    step("responsibilities", _load, Responsibility, _responsibilities, plan, deferred)
    step("status updates", _load, StatusUpdate, _status_updates, plan, deferred)
    step("responsibilities' copy", _load, Responsibility, _responsibility_copy, plan, deferred)
    step("history", _load, Commitment.history.model, _history, plan, deferred)
    step("reviews", _load, Review, _reviews, plan, deferred)
    step("analyze", lambda cursor: cursor.execute("ANALYZE"))
    counts = {
        "commitments": Commitment.objects.count(),
        "responsibilities": Responsibility.objects.count(),
        "status_updates": StatusUpdate.objects.count(),
        "history": Commitment.history.model.objects.count(),
        "reviews": Review.objects.count(),
        "sessions": Session.objects.count(),
        "councils": Council.objects.count(),
        "agencies": Agency.objects.count(),
    }
    log("  " + ", ".join(f"{key} {value:,}" for key, value in counts.items()))
    log(f"Done in {sum(timings.values()):.1f} s.")
    return {"counts": counts, "timings": timings, "long_history_id": plan.long_history_id}


def _prepare_session(cursor) -> None:
    cursor.execute("SET LOCAL synchronous_commit = off")
    # Foreign keys are checked at the end of each statement, not at commit: indexes can
    # then be built in the same transaction, and no queue of checks piles up.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    # A superuser can switch off the row-by-row foreign key triggers; ``_load`` then checks
    # every foreign key of the table it filled in one anti-join per key instead.
    try:
        with transaction.atomic():
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        pass
    cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
    cursor.execute("SET LOCAL work_mem = '256MB'")
    # A pseudo-random number in [0, 1) from a row number and a salt: same size, same data.
    cursor.execute(
        "CREATE OR REPLACE FUNCTION pg_temp.rnd(i bigint, salt bigint) RETURNS double precision "
        "LANGUAGE sql IMMUTABLE AS "
        "$$ SELECT (hashint8extended(i, salt) & 2147483647)::double precision / 2147483648.0 $$"
    )


def _end_session(cursor) -> None:
    """Triggers on again: inside a caller's transaction (a test) ``SET LOCAL`` would
    outlast the step, and the rows written next would miss their triggers."""
    cursor.execute("SHOW session_replication_role")
    if cursor.fetchone()[0] == "replica":
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")


# Wipe, reference data, users and the session plan ----------------------------------------


def _wipe(cursor) -> None:
    """Empty every table of the council app but the reminder rules, and the sign-in state."""
    from django.apps import apps

    keep = {ReminderRule._meta.db_table}
    tables = {
        model._meta.db_table
        for model in apps.get_app_config("council").get_models(include_auto_created=True)
        if model._meta.db_table not in keep and not model._meta.proxy
    }
    existing = set(connection.introspection.table_names(cursor))
    extra = [
        t for t in existing if t in {"django_session", "django_admin_log"} or t.startswith("axes_")
    ]
    names = sorted((tables & existing) | set(extra))
    cursor.execute(
        sql.SQL("TRUNCATE {} RESTART IDENTITY CASCADE").format(
            sql.SQL(", ").join(sql.Identifier(t) for t in names)
        )
    )


def _reference_data(cursor, n: int) -> Plan:
    _wipe(cursor)
    rng = random.Random(SEED)
    today = timezone.localdate()
    plan = Plan(today=today)

    parties = Party.objects.bulk_create(
        Party(
            code=code,
            name=name,
            name_en=name,
            name_ru=name_ru,
            short_name=short,
            short_name_en=short,
            order=index,
        )
        for index, (code, name, short, name_ru) in enumerate(PARTIES)
    )
    by_code = {party.code: party for party in parties}
    for party in parties:
        ministries = Agency.objects.bulk_create(
            Agency(
                party=party,
                name=f"{ministry} ({party.code})",
                name_en=f"{ministry} ({party.code})",
                short_name=_initials(ministry) + f" {party.code}",
                short_name_en=_initials(ministry) + f" {party.code}",
                kind=Agency.Kind.MINISTRY,
                email=f"office.{party.code.lower()}{index}@example.org",
            )
            for index, ministry in enumerate(MINISTRIES)
        )
        subs = Agency.objects.bulk_create(
            Agency(
                party=party,
                parent=ministries[parent],
                name=f"{sub} ({party.code})",
                name_en=f"{sub} ({party.code})",
                short_name=_initials(sub) + f" {party.code}",
                short_name_en=_initials(sub) + f" {party.code}",
                kind=kind,
            )
            for sub, kind, parent in SUB_AGENCIES
        )
        plan.party_agencies[party.pk] = [a.pk for a in ministries + subs]

    sectors = Sector.objects.bulk_create(
        Sector(code=code, name=name, name_en=name, order=index)
        for index, (code, name) in enumerate(SECTORS)
    )
    plan.sector_ids = [s.pk for s in sectors]

    councils: list[tuple[Council, list[Party]]] = []
    for codes, kind, name in TOP_COUNCILS:
        short = "–".join(codes) + (" IGC" if kind == "igc" else " IGCom")
        council = Council(
            name=name,
            name_en=name,
            short_name=short,
            short_name_en=short,
            kind=kind,
            established_on=datetime.date(2008 + len(councils) % 5, 3, 1),
        )
        councils.append((council, [by_code[c] for c in codes]))
    Council.objects.bulk_create(c for c, _ in councils)
    for index in range(SUB_BODIES):
        parent, parent_parties = councils[index % 7]
        kind, topic = SUB_BODY_TOPICS[index // 7]
        name = f"{parent.name}: {topic}"
        short = f"{parent.short_name} {topic.split(' on ')[-1]}"
        councils.append(
            (
                Council(
                    name=name,
                    name_en=name,
                    short_name=short,
                    short_name_en=short,
                    kind=kind,
                    parent=parent,
                    established_on=parent.established_on + datetime.timedelta(days=400),
                ),
                parent_parties,
            )
        )
    Council.objects.bulk_create(c for c, _ in councils[len(TOP_COUNCILS) :])
    Council.parties.through.objects.bulk_create(
        Council.parties.through(council_id=c.pk, party_id=p.pk) for c, ps in councils for p in ps
    )

    _users(plan, councils)
    _sessions(plan, councils, rng, today)
    _distribute(plan, n, rng)
    _copy_plan(cursor, plan)
    cursor.execute("SHOW session_replication_role")
    if cursor.fetchone()[0] == "replica":
        for model in (
            Agency,
            Council,
            Council.parties.through,
            Council.secretariat_staff.through,
            Session,
            User,
            User.groups.through,
        ):
            _check_foreign_keys(cursor, model)
    return plan


def _initials(name: str) -> str:
    return "".join(word[0] for word in name.split() if word[0].isupper())


def _users(plan: Plan, councils) -> None:
    groups = roles.roles_sync()
    common = {"language": "en", "is_active": True}

    def make(username, **extra):
        user = User(username=username, email=f"{username}@example.org", **common, **extra)
        user.set_unusable_password()
        return user

    admin = make("bench-admin", is_superuser=True, is_staff=True)
    manager = make("bench-manager", first_name="Bench", last_name="Manager")
    secretariat = make("bench-secretariat", first_name="Bench", last_name="Secretariat")
    busiest = plan.party_agencies[min(plan.party_agencies)][0]
    focal = make("bench-focal", first_name="Bench", last_name="Focal", agency_id=busiest)
    staff = [make(f"bench-secretariat-{i:02d}") for i in range(20)]
    focal_points = [
        make(f"bench-focal-{party_id}-{index}", agency_id=agency_id)
        for party_id, agencies in plan.party_agencies.items()
        for index, agency_id in enumerate(agencies[:6])
    ]
    User.objects.bulk_create([admin, manager, secretariat, focal, *staff, *focal_points])
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=manager.pk, group_id=groups[roles.MANAGER].pk)]
        + [
            User.groups.through(user_id=u.pk, group_id=groups[roles.SECRETARIAT].pk)
            for u in [secretariat, *staff]
        ]
        + [
            User.groups.through(user_id=u.pk, group_id=groups[roles.FOCAL_POINT].pk)
            for u in [focal, *focal_points]
        ]
    )
    through = Council.secretariat_staff.through
    links = [through(council_id=c.pk, user_id=secretariat.pk) for c, _ in councils[:5]]
    for index, (council, _parties) in enumerate(councils):
        for user in {staff[index % len(staff)], staff[(index * 7 + 3) % len(staff)]}:
            links.append(through(council_id=council.pk, user_id=user.pk))
    through.objects.bulk_create(links)
    plan.author_ids = [secretariat.pk, focal.pk, manager.pk, *(u.pk for u in staff[:5])]


def _sessions(plan: Plan, councils, rng: random.Random, today: datetime.date) -> None:
    sessions: list[SessionPlan] = []
    ranks = list(range(2, len(councils) + 1))
    rng.shuffle(ranks)
    for index, (council, parties) in enumerate(councils):
        rank = 1 if index == 0 else ranks[index - 1]
        top = council.parent_id is None
        held = rng.randint(12, 16) if top else rng.randint(7, 13)
        interval = 365 if top else 240
        latest = today - datetime.timedelta(days=rng.randint(20, 200))
        dates = [
            latest - datetime.timedelta(days=interval * k + rng.randint(-30, 30) * (k > 0))
            for k in range(held)
        ][::-1]
        statuses = [Session.Status.HELD] * held
        if held > 8 and rng.random() < 0.3:
            cancelled = rng.randint(2, held - 3)
            statuses[cancelled] = Session.Status.CANCELLED
        if rng.random() < 0.6:
            dates.append(today + datetime.timedelta(days=rng.randint(7, 60)))
            statuses.append(Session.Status.PLANNED)
        party_ids = [p.pk for p in parties]
        for number, (start, status) in enumerate(zip(dates, statuses, strict=True), start=1):
            host = parties[number % len(parties)]
            sessions.append(
                SessionPlan(
                    session=Session(
                        council=council,
                        number=number,
                        status=status,
                        start_date=start,
                        end_date=start + datetime.timedelta(days=1),
                        city=f"{host.short_name} capital",
                        country=host,
                        host_party=host,
                        is_illustrative=True,
                        illustrative_note="Synthetic benchmark data",
                    ),
                    council_rank=rank,
                    parties=party_ids,
                    held=status == Session.Status.HELD,
                )
            )
    Session.objects.bulk_create(s.session for s in sessions)
    plan.sessions = sessions


def _distribute(plan: Plan, n: int, rng: random.Random) -> None:
    """Share the N commitments out over the held sessions: a few big councils, many
    small ones; ids are contiguous per session so clauses number themselves."""
    held = [s for s in plan.sessions if s.held]
    per_council: dict[int, int] = {}
    for s in held:
        per_council[s.session.council_id] = per_council.get(s.session.council_id, 0) + 1
    for s in held:
        s.weight = (
            (1 / s.council_rank**0.8) / per_council[s.session.council_id] * rng.uniform(0.6, 1.4)
        )
    total = sum(s.weight for s in held)
    exact = [n * s.weight / total for s in held]
    for s, share in zip(held, exact, strict=True):
        s.count = int(share)
    remainder = n - sum(s.count for s in held)
    for index in sorted(range(len(held)), key=lambda i: exact[i] - int(exact[i]), reverse=True)[
        :remainder
    ]:
        held[index].count += 1
    next_id = 1
    last_by_council: dict[int, SessionPlan] = {}
    latest_held: dict[int, SessionPlan] = {}
    for s in held:  # already in council, number order
        s.start_index = next_id
        next_id += s.count
        previous = last_by_council.get(s.session.council_id)
        if previous is not None:
            s.prev_start, s.prev_count = previous.start_index, previous.count
        if s.count:
            last_by_council[s.session.council_id] = s
        latest_held[s.session.council_id] = s
    for s in held:
        review = latest_held[s.session.council_id]
        s.review_session_id, s.review_number = review.session.pk, review.session.number
    # The showcase for the commitment page: the first clause of the biggest council's last
    # session held at least 1,000 days ago, still in progress, reported on every month since.
    biggest = min(held, key=lambda s: s.council_rank).session.council_id
    candidates = [s for s in held if s.session.council_id == biggest and s.count]
    old = [s for s in candidates if (plan.today - s.session.start_date).days >= 1000]
    chosen = (old or candidates)[-1] if candidates else None
    plan.long_history_id = chosen.start_index if chosen else 1


def _copy_plan(cursor, plan: Plan) -> None:
    """The session plan and the agencies of each party, as temporary tables (COPY)."""
    cursor.execute("DROP TABLE IF EXISTS bench_sess, bench_party")
    cursor.execute(
        "CREATE TEMP TABLE bench_sess (session_id bigint PRIMARY KEY, council_id bigint, "
        "number int, start_date date, age int, cnt int, start_idx bigint, prev_start bigint, "
        "prev_cnt int, parties bigint[], review_session_id bigint, review_number int)"
    )
    cursor.execute("CREATE TEMP TABLE bench_party (party_id bigint PRIMARY KEY, agencies bigint[])")
    raw = cursor.cursor
    with raw.copy(
        "COPY bench_sess (session_id, council_id, number, start_date, age, cnt, start_idx, "
        "prev_start, prev_cnt, parties, review_session_id, review_number) FROM STDIN"
    ) as copy:
        for s in plan.sessions:
            if s.held and s.count:
                copy.write_row(
                    (
                        s.session.pk,
                        s.session.council_id,
                        s.session.number,
                        s.session.start_date,
                        (plan.today - s.session.start_date).days,
                        s.count,
                        s.start_index,
                        s.prev_start,
                        s.prev_count,
                        s.parties,
                        s.review_session_id,
                        s.review_number,
                    )
                )
    with raw.copy("COPY bench_party (party_id, agencies) FROM STDIN") as copy:
        for party_id, agencies in plan.party_agencies.items():
            copy.write_row((party_id, agencies))
    cursor.execute("ANALYZE bench_sess")
    cursor.execute("ANALYZE bench_party")


# Bulk loading ---------------------------------------------------------------------------


def _load(cursor, model: type[Model], fill, plan: Plan, deferred) -> None:
    """Run ``fill`` with the table's secondary indexes dropped, then build them again."""
    table = model._meta.db_table
    definitions: list[tuple[str, str]] = []
    if deferred is None:
        cursor.execute(
            "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
            "JOIN pg_class i ON i.oid = x.indexrelid "
            "WHERE x.indrelid = %s::regclass "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
            [table],
        )
        definitions = cursor.fetchall()
        for index_name, _definition in definitions:
            cursor.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(index_name)))
    fill(cursor, plan)
    if model is Commitment:
        # The search document's trigger (migration 0035) is off with the other triggers.
        cursor.execute(
            "UPDATE council_commitment SET search_document = to_tsvector('pg_catalog.russian', "
            "COALESCE(title, '') || ' ' || COALESCE(text, ''))"
        )
    for _index_name, definition in definitions:
        cursor.execute(definition)
    cursor.execute("SHOW session_replication_role")
    if cursor.fetchone()[0] == "replica":
        _check_foreign_keys(cursor, model)
    if model is Commitment:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('council_commitment', 'id'), "
            "(SELECT coalesce(max(id), 1) FROM council_commitment))"
        )


def _check_foreign_keys(cursor, model: type[Model]) -> None:
    """Every foreign key of ``model``'s table points at a row (the triggers were off)."""
    table = model._meta.db_table
    existing = {c.name for c in connection.introspection.get_table_description(cursor, table)}
    for model_field in model._meta.concrete_fields:
        if not model_field.is_relation or not getattr(model_field, "db_constraint", False):
            continue
        if model_field.column not in existing:
            continue
        target = model_field.target_field
        cursor.execute(
            sql.SQL(
                "SELECT count(*) FROM {table} t WHERE t.{column} IS NOT NULL AND NOT EXISTS "
                "(SELECT 1 FROM {target} r WHERE r.{key} = t.{column})"
            ).format(
                table=sql.Identifier(table),
                column=sql.Identifier(model_field.column),
                target=sql.Identifier(target.model._meta.db_table),
                key=sql.Identifier(target.column),
            )
        )
        dangling = cursor.fetchone()[0]
        if dangling:
            raise CommandError(f"{dangling} rows of {table}.{model_field.column} point nowhere")


def _insert_select(cursor, model: type[Model], values: dict, select_from, params=()) -> int:
    """``INSERT INTO <model's table> SELECT <values> FROM <select_from>``; every column not in
    ``values`` gets its field's default (so new nullable or defaulted fields need nothing
    here). ``values`` maps column names to SQL expressions (str or psycopg ``sql`` objects)."""
    table = model._meta.db_table
    existing = {c.name for c in connection.introspection.get_table_description(cursor, table)}
    known = {f.column for f in model._meta.concrete_fields}
    unknown = set(values) - known
    if unknown:
        raise CommandError(f"{table} has no column {sorted(unknown)}")
    columns, expressions, defaults = [], [], []
    for model_field in model._meta.concrete_fields:
        column = model_field.column
        if column not in existing:
            continue
        if column in values:
            value = values[column]
            expressions.append(sql.SQL(value) if isinstance(value, str) else value)
        elif model_field.primary_key:
            continue
        else:
            expressions.append(sql.Placeholder())
            defaults.append(_default(model_field))
        columns.append(column)
    statement = sql.SQL("INSERT INTO {} ({}) SELECT {} FROM {}").format(
        sql.Identifier(table),
        sql.SQL(", ").join(sql.Identifier(c) for c in columns),
        sql.SQL(", ").join(expressions),
        sql.SQL(select_from) if isinstance(select_from, str) else select_from,
    )
    cursor.execute(statement, [*defaults, *params])
    return cursor.rowcount


def _default(model_field):
    from django.db import models

    if model_field.has_default():
        return model_field.get_default()
    if isinstance(model_field, models.DateTimeField) and (
        model_field.auto_now or model_field.auto_now_add
    ):
        return timezone.now()
    if isinstance(model_field, models.DateField) and (
        model_field.auto_now or model_field.auto_now_add
    ):
        return timezone.localdate()
    if model_field.null:
        return None
    if model_field.empty_strings_allowed:
        return ""
    raise CommandError(f"No value for the required column {model_field.column}")


def _text_array(values: list[str]) -> sql.Composable:
    return sql.SQL("ARRAY[{}]::text[]").format(sql.SQL(", ").join(sql.Literal(v) for v in values))


# The big tables -----------------------------------------------------------------------------

# Per commitment, derived the same way in every statement from its id:
#   rnd(id, 1) deadline kind     rnd(id, 2) open or closed     rnd(id, 3) which status
#   rnd(id, 4) deadline          rnd(id, 5) sector             rnd(id, 6..7) title
#   rnd(id, 8..9) carries over   rnd(id, 10) monitored         rnd(id, 20..23) agencies
#   rnd(id, 30) progress notes
COMMITMENT_ROWS = """
(
  SELECT s.*, s.start_idx + j - 1 AS cid, j,
         pg_temp.rnd(s.start_idx + j - 1, 1) AS u1, pg_temp.rnd(s.start_idx + j - 1, 2) AS u2,
         pg_temp.rnd(s.start_idx + j - 1, 3) AS u3
  FROM bench_sess s CROSS JOIN LATERAL generate_series(1, s.cnt) AS j
) AS b
CROSS JOIN LATERAL (
  SELECT
    CASE WHEN b.u1 < 0.80 THEN 'date' WHEN b.u1 < 0.92 THEN 'next_session' ELSE 'ongoing' END
      AS dk,
    CASE
      WHEN b.cid = {long} THEN 'in_progress'
      WHEN b.u2 < CASE WHEN b.age < 365 THEN 0.70 WHEN b.age < 1095 THEN 0.25 ELSE 0.03 END
      THEN CASE WHEN b.u3 < 0.30 THEN 'not_started' WHEN b.u3 < 0.85 THEN 'in_progress'
                ELSE 'completion_reported' END
      ELSE CASE WHEN b.u3 < 0.85 THEN 'completed' WHEN b.u3 < 0.93 THEN 'cancelled'
                ELSE 'superseded' END
    END AS st,
    ((b.start_date + 3 + time '09:00') AT TIME ZONE {tz})
      + pg_temp.rnd(b.cid, 11) * interval '9 hours' AS created,
    greatest(1, least(b.age - 3, 900)) AS span
) AS d
"""


def _commitments(cursor, plan: Plan) -> None:
    rows = sql.SQL(COMMITMENT_ROWS).format(
        long=sql.Literal(plan.long_history_id), tz=sql.Literal(settings.TIME_ZONE)
    )
    n_sectors = len(plan.sector_ids)
    values = {
        "id": "b.cid",
        "source": "''",
        "is_illustrative": "true",
        "illustrative_note": "'Synthetic benchmark data'",
        "clause": "((b.j - 1) / 40 + 1)::text || '.' || (mod(b.j - 1, 40) + 1)::text",
        "title": sql.SQL(
            "CASE WHEN b.cid = {long} THEN {mark} || ' ' ELSE '' END || "
            "({verbs})[1 + floor(pg_temp.rnd(b.cid, 6) * {nv})::int] || ' ' || "
            "({objects})[1 + floor(pg_temp.rnd(b.cid, 7) * {no})::int]"
        ).format(
            long=sql.Literal(plan.long_history_id),
            mark=sql.Literal(LONG_HISTORY_MARK),
            verbs=_text_array(VERBS),
            nv=sql.Literal(len(VERBS)),
            objects=_text_array(OBJECTS),
            no=sql.Literal(len(OBJECTS)),
        ),
        "text": (
            "'The Parties agreed, under clause ' || ((b.j - 1) / 40 + 1)::text || '.' || "
            "(mod(b.j - 1, 40) + 1)::text || ' of the protocol, that the responsible agencies "
            "shall work out the practical steps, agree them at expert level, report progress "
            "to the secretariat every quarter and present the result to the Council at its "
            "next session (record ' || b.cid::text || ').'"
        ),
        "deadline_kind": "d.dk",
        "deadline": (
            "CASE WHEN d.dk = 'date' THEN b.start_date + 90 + "
            "floor(pg_temp.rnd(b.cid, 4) * 630)::int END"
        ),
        "status": "d.st",
        "is_monitored": (
            "d.st IN ('not_started', 'in_progress', 'completion_reported') "
            "OR (b.age < 365 AND pg_temp.rnd(b.cid, 10) < 0.5)"
        ),
        "created_at": "d.created",
        "updated_at": "d.created + d.span * interval '21 hours'",
        "sector_id": sql.SQL("({ids})[1 + floor(pg_temp.rnd(b.cid, 5) ^ 1.3 * {n})::int]").format(
            ids=sql.Literal(plan.sector_ids), n=sql.Literal(n_sectors)
        ),
        "carries_over_id": (
            "CASE WHEN b.prev_cnt > 0 AND pg_temp.rnd(b.cid, 8) < 0.03 "
            "THEN b.prev_start + floor(pg_temp.rnd(b.cid, 9) * b.prev_cnt)::bigint END"
        ),
        "session_id": "b.session_id",
        "council_id": "b.council_id",
        "adopted_on": "b.start_date",
        "version": "1",
    }
    _insert_select(cursor, Commitment, values, rows)


def _responsibilities(cursor, plan: Plan) -> None:
    """1–3 agencies: the lead of one party, often the lead of the other, sometimes a
    co-executor of the first; busy ministries are chosen far more often than others."""
    select_from = f"""
    (
      SELECT c.id AS cid, k,
             s.parties[1 + mod(c.id, cardinality(s.parties))] AS party_a,
             s.parties[1 + mod(c.id + 1, cardinality(s.parties))] AS party_b,
             floor(pg_temp.rnd(c.id, 21) ^ 2 * {AGENCIES_PER_PARTY})::int AS ia,
             floor(pg_temp.rnd(c.id, 22) ^ 2 * {AGENCIES_PER_PARTY})::int AS ib,
             floor(pg_temp.rnd(c.id, 23) * ({AGENCIES_PER_PARTY} - 1))::int AS ic
      FROM council_commitment c
      JOIN bench_sess s ON s.session_id = c.session_id
      CROSS JOIN LATERAL generate_series(1, CASE
        WHEN pg_temp.rnd(c.id, 20) < 0.25 THEN 1
        WHEN pg_temp.rnd(c.id, 20) < 0.85 THEN 2 ELSE 3 END) AS k
    ) AS r
    JOIN bench_party pa ON pa.party_id = r.party_a
    JOIN bench_party pb ON pb.party_id = r.party_b
    """  # noqa: S608 -- built from module constants only
    values = {
        "role": "CASE WHEN r.k = 3 THEN 'co_executor' ELSE 'lead' END",
        "agency_id": (
            "CASE r.k WHEN 1 THEN pa.agencies[1 + r.ia] WHEN 2 THEN pb.agencies[1 + r.ib] "
            f"ELSE pa.agencies[1 + mod(r.ia + 1 + r.ic, {AGENCIES_PER_PARTY})] END"
        ),
        "commitment_id": "r.cid",
        "party_id": "CASE WHEN r.k = 2 THEN r.party_b ELSE r.party_a END",
    }
    _insert_select(cursor, Responsibility, values, select_from)


def _responsibility_copy(cursor, plan: Plan) -> None:
    """The copy of its commitment and newest report each responsibility row carries
    (migration 0037), which its triggers, off while loading, would have written."""
    copy = importlib.import_module("council.migrations.0037_responsibility_copies_commitment")
    cursor.execute(copy.BACKFILL)


# The way each status was reached, as (from, to) steps; progress notes come after the first.
PATHS = {
    "not_started": [],
    "in_progress": [("not_started", "in_progress")],
    "completion_reported": [
        ("not_started", "in_progress"),
        ("in_progress", "completion_reported"),
    ],
    "completed": [
        ("not_started", "in_progress"),
        ("in_progress", "completion_reported"),
        ("completion_reported", "completed"),
    ],
    "cancelled": [("not_started", "in_progress"), ("in_progress", "cancelled")],
    "superseded": [("not_started", "superseded")],
}


def _path_case(position: int, side: int) -> str:
    """SQL: the ``side`` (0 from, 1 to) status of step ``position`` of ``c.status``'s path."""
    branches = " ".join(
        f"WHEN '{status}' THEN '{steps[position - 1][side]}'"
        for status, steps in PATHS.items()
        if len(steps) >= position
    )
    return f"CASE c.status {branches} END"


STEPS_SQL = (
    "CASE c.status WHEN 'not_started' THEN 0 WHEN 'in_progress' THEN 1 "
    "WHEN 'completion_reported' THEN 2 WHEN 'completed' THEN 3 WHEN 'cancelled' THEN 2 "
    "ELSE 1 END"
)
NOTES_SQL = (
    "CASE WHEN c.status = 'superseded' THEN 0 ELSE floor(pg_temp.rnd(c.id, 30) * 3)::int END"
)


def _timeline(cursor) -> str:
    """Rows (commitment c, event e): e.k ≤ e.t are status steps, the rest progress notes;
    e.at is when each happened, spread between adoption and today (or 900 days on), at
    least 2 days apart (sessions are 20 days old or more) plus up to 6 hours of jitter."""
    return f"""
    council_commitment c
    JOIN bench_sess s ON s.session_id = c.session_id
    CROSS JOIN LATERAL (SELECT {STEPS_SQL} AS t, {NOTES_SQL} AS p) AS n
    CROSS JOIN LATERAL (
      SELECT k, n.t, n.p,
             c.created_at + greatest(1, least(s.age - 3, 900)) * interval '1 day'
               * (CASE WHEN k > n.t THEN k - n.t + 1 WHEN k = 1 THEN 1 ELSE n.p + k END)
               / (n.t + n.p + 1)
             + pg_temp.rnd(c.id * 8 + k, 33) * interval '6 hours' AS at
      FROM generate_series(1, n.t + n.p) AS k
    ) AS e
    """  # noqa: S608 -- built from module constants only


def _status_updates(cursor, plan: Plan) -> None:
    from_cases = " ".join(f"WHEN {k} THEN {_path_case(k, 0)}" for k in (1, 2, 3))
    to_cases = " ".join(f"WHEN {k} THEN {_path_case(k, 1)}" for k in (1, 2, 3))
    authors = "ARRAY[" + ", ".join(str(a) for a in plan.author_ids) + "]::bigint[]"
    values = {
        "commitment_id": "c.id",
        "from_status": (
            f"CASE WHEN e.k <= e.t THEN (CASE e.k {from_cases} END) "
            "WHEN c.status = 'not_started' THEN 'not_started' ELSE 'in_progress' END"
        ),
        "to_status": f"CASE WHEN e.k <= e.t THEN (CASE e.k {to_cases} END) ELSE '' END",
        "note": (
            "CASE WHEN e.k <= e.t THEN 'Status changed after the report of the responsible "
            "agency.' ELSE 'Progress report ' || (e.k - e.t)::text || ': the working group met, "
            "agreed the next steps and sent the draft to the partner side for comments.' END"
        ),
        "created_at": "e.at",
        "author_id": (
            f"CASE WHEN pg_temp.rnd(c.id * 8 + e.k, 31) < 0.5 THEN NULL ELSE "
            f"({authors})[1 + floor(pg_temp.rnd(c.id * 8 + e.k, 32) * {len(plan.author_ids)})::int]"
            " END"
        ),
    }
    _insert_select(cursor, StatusUpdate, values, _timeline(cursor))
    # The commitment with a long history: many more progress reports.
    _insert_select(
        cursor,
        StatusUpdate,
        {
            "commitment_id": "c.id",
            "from_status": "'in_progress'",
            "to_status": "''",
            "note": "'Monthly progress report ' || g::text || ' of the working group.'",
            "created_at": f"c.created_at + g * interval '1 day' * 900 / {LONG_HISTORY_UPDATES}",
            "author_id": str(plan.author_ids[0]),
        },
        f"council_commitment c CROSS JOIN generate_series(1, {LONG_HISTORY_UPDATES}) AS g "
        f"WHERE c.id = {int(plan.long_history_id)}",
    )


def _history(cursor, plan: Plan) -> None:
    """One "created" record per commitment, then one "changed" record per status step."""
    historical = Commitment.history.model
    shared = {f.column for f in Commitment._meta.concrete_fields} & {
        f.column for f in historical._meta.concrete_fields
    }
    common = {column: sql.Identifier("c", column) for column in shared}
    common.pop("id")
    created = {
        **common,
        "id": "c.id",
        "status": "'not_started'",
        "history_date": "c.created_at",
        "history_type": "'+'",
        "history_change_reason": "NULL",
        "history_user_id": "NULL",
    }
    _insert_select(cursor, historical, created, "council_commitment c")
    to_cases = " ".join(f"WHEN {k} THEN {_path_case(k, 1)}" for k in (1, 2, 3))
    changed = {
        **common,
        "id": "c.id",
        "status": f"CASE e.k {to_cases} END",
        "history_date": "e.at",
        "history_type": "'~'",
        "history_change_reason": "'Status change'",
        "history_user_id": "NULL",
    }
    _insert_select(cursor, historical, changed, _timeline(cursor) + " WHERE e.k <= e.t")
    # The long history: retitled and rescheduled again and again.
    long_history = {
        **common,
        "id": "c.id",
        "title": "c.title || ' (revision ' || g::text || ')'",
        "deadline": "CASE WHEN c.deadline IS NULL THEN NULL ELSE c.deadline + g END",
        "history_date": (
            f"c.created_at + g * interval '1 day' * 900 / ({LONG_HISTORY_CHANGES} + 1)"
        ),
        "history_type": "'~'",
        "history_change_reason": "'Edited by the secretariat'",
        "history_user_id": str(plan.author_ids[0]),
    }
    _insert_select(
        cursor,
        historical,
        long_history,
        f"council_commitment c CROSS JOIN generate_series(1, {LONG_HISTORY_CHANGES}) AS g "
        f"WHERE c.id = {int(plan.long_history_id)}",
    )


def _reviews(cursor, plan: Plan) -> None:
    """At each council's latest held session: decisions on 40% of the commitments of its
    earlier sessions still under monitoring (kept, or deadline extended)."""
    values = {
        "decision": "CASE WHEN pg_temp.rnd(c.id, 41) < 0.8 THEN 'keep' ELSE 'extend' END",
        "new_deadline": (
            "CASE WHEN pg_temp.rnd(c.id, 41) < 0.8 THEN NULL ELSE s.start_date + 365 END"
        ),
        "note": "'Decision of the session.'",
        "decided_at": f"(r.start_date + time '18:00') AT TIME ZONE '{settings.TIME_ZONE}'",
        "commitment_id": "c.id",
        "session_id": "s.review_session_id",
    }
    _insert_select(
        cursor,
        Review,
        values,
        "council_commitment c JOIN bench_sess s ON s.session_id = c.session_id "
        "JOIN council_session r ON r.id = s.review_session_id "
        "WHERE c.is_monitored AND s.number < s.review_number AND pg_temp.rnd(c.id, 40) < 0.4",
    )


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commitments", type=int, default=1000, help="How many (N).")
    parser.add_argument(
        "--keep-indexes",
        action="store_true",
        help="Keep every index while loading (slower; for comparison).",
    )
    args = parser.parse_args()
    if args.commitments < 1:
        parser.error("--commitments must be at least 1.")
    generate(args.commitments, keep_indexes=args.keep_indexes, log=print)


if __name__ == "__main__":
    main()
