"""Every date a user records lies between 1 January 1900 and 31 December 2100.

A date field takes 0001-01-01 to 9999-12-31; on the last day a calendar feed cannot
write the day after, and every subscriber's feed answered 500. The bound sits on the
model fields (forms and the admin check it) and on the one form field without a model.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from council import forms
from council.models import Session

D = datetime.date
OUTSIDE = [D(1, 1, 1), D(1899, 12, 31), D(2101, 1, 1), D(9999, 12, 31)]
INSIDE = [D(1900, 1, 1), D(2100, 12, 31)]
MESSAGE = "Enter a date from 01 Jan 1900 to 31 Dec 2100."


def session_form(world, day):
    return forms.SessionForm({"start_date": day, "end_date": day}, council=world.council), [
        "start_date",
        "end_date",
    ]


def commitment_form(world, day):
    data = {"deadline_kind": "date", "deadline": day}
    return forms.CommitmentForm(data, session=world.session), ["deadline"]


def protocol_form(world, day):
    return forms.ProtocolForm({"signed_on": day}, session=world.session), ["signed_on"]


def observation_form(world, day):
    data = {"period_start": day, "period_end": day}
    return forms.ObservationForm(data, indicator=world.indicator), ["period_start", "period_end"]


def review_form(world, day):
    data = {"decision": "extend", "new_deadline": day}
    return forms.ReviewDecisionForm(data, session=world.session), ["new_deadline"]


FORMS = [session_form, commitment_form, protocol_form, observation_form, review_form]


@pytest.mark.parametrize("make", FORMS)
@pytest.mark.parametrize("day", OUTSIDE, ids=str)
def test_forms_refuse_dates_outside_the_bounds(world, make, day):
    form, fields = make(world, day)
    assert not form.is_valid()
    for field in fields:
        assert MESSAGE in form.errors.get(field, []), (field, form.errors)


@pytest.mark.parametrize("make", FORMS)
@pytest.mark.parametrize("day", INSIDE, ids=str)
def test_forms_take_the_bounds_themselves(world, make, day):
    form, fields = make(world, day)
    form.is_valid()
    for field in fields:
        assert MESSAGE not in form.errors.get(field, [])


@pytest.mark.parametrize("make", FORMS)
def test_date_pickers_offer_only_the_bounds(world, make):
    form, fields = make(world, None)
    for field in fields:
        html = str(form[field])
        assert 'min="1900-01-01"' in html and 'max="2100-12-31"' in html


def test_the_model_refuses_them_too(world):
    """What the admin and any service that validates see."""
    session = Session(council=world.council, number=50, start_date=D(9999, 12, 31))
    with pytest.raises(ValidationError) as refused:
        session.full_clean()
    assert refused.value.message_dict["start_date"] == [MESSAGE]


def test_a_session_form_with_the_last_day_is_answered_with_the_error(client, world):
    client.force_login(world.users["secretariat"])
    before = Session.objects.count()
    response = client.post(
        reverse("council:session-create", args=[world.council.pk]),
        {"number": 40, "kind": "regular", "status": "planned", "start_date": "9999-12-31"},
    )
    assert response.status_code in (200, 422)
    assert MESSAGE in response.content.decode()
    assert Session.objects.count() == before
