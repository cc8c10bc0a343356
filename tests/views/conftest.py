"""Personas for the staff app's tests, one per role and a few outsiders.

- secretariat: records the KZ–KG council (assigned to it);
- secretariat_other: secretariat of another council only;
- focal_a / focal_b: focal points of two Kazakh ministries; only A is responsible for
  `commitment_a`;
- focal_uz: focal point of an Uzbek agency, a party the KZ–KG council does not include;
- manager, admin.
"""

import datetime
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile

from council import roles, services
from council.models import AgendaItem, Indicator, Participant, Protocol, ProtocolFile, User

from ..factories import (
    AgencyFactory,
    CommitmentFactory,
    CouncilFactory,
    PartyFactory,
    PersonFactory,
    ResponsibilityFactory,
    SessionFactory,
)

PASSWORD = "a-long-test-password"


@dataclass
class World:
    council: object
    other_council: object
    session: object
    agenda_item: object
    commitment_a: object
    commitment_b: object
    commitment_old: object
    protocol: object
    protocol_file: object
    attachment: object
    indicator: object
    participant: object
    users: dict


def make_user(username, *, group=None, agency=None, superuser=False):
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        agency=agency,
        is_superuser=superuser,
        is_staff=superuser,
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def world(db):
    roles.roles_sync()
    kz, kg, uz = PartyFactory(code="KZ"), PartyFactory(code="KG"), PartyFactory(code="UZ")
    council = CouncilFactory(parties=[kz, kg])
    other_council = CouncilFactory(parties=[uz, PartyFactory(code="TJ")])
    agency_a, agency_b = AgencyFactory(party=kz), AgencyFactory(party=kz)
    agency_kg = AgencyFactory(party=kg)
    earlier = SessionFactory(council=council, number=12, start_date=datetime.date(2024, 11, 22))
    commitment_old = CommitmentFactory(session=earlier, clause="1.1")
    session = SessionFactory(council=council, number=13, start_date=datetime.date(2025, 11, 14))
    agenda_item = AgendaItem.objects.create(session=session, order=1, title="Trade")
    commitment_a = CommitmentFactory(session=session, clause="2.1")
    ResponsibilityFactory(commitment=commitment_a, agency=agency_a)
    ResponsibilityFactory(commitment=commitment_a, agency=agency_kg)
    commitment_b = CommitmentFactory(session=session, clause="2.2")
    ResponsibilityFactory(commitment=commitment_b, agency=agency_b)
    protocol = Protocol.objects.create(session=session, title="Protocol of the 13th session")
    protocol_file = ProtocolFile(protocol=protocol, language="ru", original_name="signed.pdf")
    protocol_file.file.save("signed.pdf", ContentFile(b"%PDF-1.4 signed"), save=False)
    protocol_file.save()
    update = services.commitment_report_progress(
        commitment=commitment_a,
        by=None,
        note="Draft sent",
        attachments=[ContentFile(b"%PDF-1.4 evidence", name="evidence.pdf")],
    )
    PersonFactory(party=kz)
    participant = Participant.objects.create(
        session=session, person=PersonFactory(party=kg), party=kg, position="Minister", order=1
    )
    indicator = Indicator.objects.create(council=council, code="trade", name="Trade", unit="USD")
    users = {
        "secretariat": make_user("secretariat", group=roles.SECRETARIAT, agency=agency_a),
        "secretariat_other": make_user("secretariat_other", group=roles.SECRETARIAT),
        "focal_a": make_user("focal_a", group=roles.FOCAL_POINT, agency=agency_a),
        "focal_b": make_user("focal_b", group=roles.FOCAL_POINT, agency=agency_b),
        "focal_uz": make_user("focal_uz", group=roles.FOCAL_POINT, agency=AgencyFactory(party=uz)),
        "manager": make_user("manager", group=roles.MANAGER),
        "admin": make_user("admin", superuser=True),
    }
    council.secretariat_staff.add(users["secretariat"])
    services.user_reset_calendar_token(user=users["secretariat"], by=None)
    other_council.secretariat_staff.add(users["secretariat_other"])
    return World(
        council=council,
        other_council=other_council,
        session=session,
        agenda_item=agenda_item,
        commitment_a=commitment_a,
        commitment_b=commitment_b,
        commitment_old=commitment_old,
        protocol=protocol,
        protocol_file=protocol_file,
        attachment=update.attachments.get(),
        indicator=indicator,
        participant=participant,
        users=users,
    )


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user


@pytest.fixture(autouse=True)
def _pages_do_no_lazy_loads(no_lazy_loads):
    """Every page these tests open runs with lazy loads blocked (see ``no_lazy_loads``)."""
