"""The database itself refuses records that break the domain's rules."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from council.models import (
    Agency,
    Commitment,
    Council,
    Observation,
    Protocol,
    Responsibility,
    Session,
)

from ..factories import (
    AgencyFactory,
    CommitmentFactory,
    CouncilFactory,
    PartyFactory,
    ProtocolFactory,
    ResponsibilityFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


def refused(create) -> bool:
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False


def test_session_number_is_unique_per_council():
    session = SessionFactory(number=13)
    assert refused(lambda: SessionFactory(council=session.council, number=13))
    # Another council may have its own 13th session.
    SessionFactory(number=13)


def test_session_number_and_dates_are_checked():
    session = SessionFactory()
    assert refused(lambda: SessionFactory(council=session.council, number=0))
    assert refused(
        lambda: SessionFactory(
            start_date=datetime.date(2025, 11, 14), end_date=datetime.date(2025, 11, 13)
        )
    )


def test_choice_fields_are_checked_by_the_database():
    session = SessionFactory()
    assert refused(lambda: Session.objects.filter(pk=session.pk).update(status="postponed"))
    commitment = CommitmentFactory()
    assert refused(lambda: Commitment.objects.filter(pk=commitment.pk).update(status="done"))


def test_dated_deadline_needs_a_date_and_others_have_none():
    assert refused(lambda: CommitmentFactory(deadline_kind="date", deadline=None))
    assert refused(
        lambda: CommitmentFactory(deadline_kind="ongoing", deadline=datetime.date(2026, 1, 1))
    )
    CommitmentFactory(deadline_kind="next_session", deadline=None)


def test_clause_is_unique_within_a_session_but_may_be_blank():
    first = CommitmentFactory(clause="2.1")
    assert refused(lambda: CommitmentFactory(session=first.session, clause="2.1"))
    CommitmentFactory(session=first.session, clause="")
    CommitmentFactory(session=first.session, clause="")


def test_one_lead_executor_per_party_any_number_of_co_executors():
    commitment = CommitmentFactory()
    kz = PartyFactory(code="KZ")
    ResponsibilityFactory(commitment=commitment, agency=AgencyFactory(party=kz))
    assert refused(
        lambda: ResponsibilityFactory(commitment=commitment, agency=AgencyFactory(party=kz))
    )
    ResponsibilityFactory(commitment=commitment, agency=AgencyFactory(party=kz), role="co_executor")
    ResponsibilityFactory(
        commitment=commitment, agency=AgencyFactory(party=PartyFactory(code="KG"))
    )
    assert commitment.responsibilities.count() == 3


def test_responsibility_takes_the_party_of_its_agency():
    agency = AgencyFactory(party=PartyFactory(code="KG"))
    responsibility = ResponsibilityFactory(agency=agency)
    assert responsibility.party.code == "KG"


def test_second_lead_for_a_party_is_a_form_error_before_the_database():
    commitment = CommitmentFactory()
    kz = PartyFactory(code="KZ")
    ResponsibilityFactory(commitment=commitment, agency=AgencyFactory(party=kz))
    second = Responsibility(commitment=commitment, agency=AgencyFactory(party=kz), role="lead")
    with pytest.raises(ValidationError):
        second.full_clean()


def test_sub_bodies_need_a_parent_council():
    assert refused(lambda: CouncilFactory(kind=Council.Kind.WORKING_GROUP, parent=None))
    CouncilFactory(kind=Council.Kind.WORKING_GROUP, parent=CouncilFactory())


def test_signed_protocol_needs_its_date():
    assert refused(lambda: ProtocolFactory(status=Protocol.Status.SIGNED, signed_on=None))
    ProtocolFactory(status=Protocol.Status.SIGNED, signed_on=datetime.date(2025, 11, 14))


def test_party_code_is_iso_alpha2():
    assert refused(lambda: PartyFactory(code="kz"))
    assert refused(lambda: PartyFactory(code="K1"))


def test_observation_period_is_ordered():
    from council.models import Indicator

    indicator = Indicator.objects.create(
        council=CouncilFactory(), code="trade", name="Trade", unit="USD"
    )
    assert refused(
        lambda: Observation.objects.create(
            indicator=indicator,
            period_start=datetime.date(2025, 8, 31),
            period_end=datetime.date(2025, 1, 1),
            value=1,
        )
    )


def test_recorded_things_are_protected_from_deletion():
    commitment = CommitmentFactory()
    with pytest.raises(ProtectedError):
        commitment.session.delete()
    agency = ResponsibilityFactory(commitment=commitment).agency
    with pytest.raises(ProtectedError):
        Agency.objects.filter(pk=agency.pk).delete()


def test_agency_parent_must_be_of_the_same_party():
    parent = AgencyFactory(party=PartyFactory(code="KZ"))
    child = Agency(party=PartyFactory(code="KG"), parent=parent, name="Department")
    with pytest.raises(ValidationError) as error:
        child.full_clean()
    assert "parent" in error.value.message_dict


def test_commitment_agenda_item_must_belong_to_its_session():
    from council.models import AgendaItem

    commitment = CommitmentFactory()
    other_item = AgendaItem.objects.create(session=SessionFactory(), order=1, title="Energy")
    commitment.agenda_item = other_item
    with pytest.raises(ValidationError) as error:
        commitment.full_clean()
    assert "agenda_item" in error.value.message_dict
