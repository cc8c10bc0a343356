"""Ids no row can have — beyond 64 bits, negative beyond range, not ASCII digits — in
forms, filters and URLs: a form error or a 404, never a 500.

On SQLite an id beyond 64 bits in ``IN (…)`` raised OverflowError (the agenda item's
speakers); ``council.fields`` refuses such ids before any query.
"""

import re

import pytest
from django import forms as django_forms
from django.urls import URLPattern, get_resolver, reverse

from council import forms
from council.fields import IdChoiceField, IdMultipleChoiceField
from council.filters import CommitmentFilter
from council.models import Person

# The pages these forms come back on are rendered with lazy loads blocked.
pytestmark = pytest.mark.usefixtures("no_lazy_loads")

HUGE = "99999999999999999999"  # beyond 64 bits
IMPOSSIBLE = [
    HUGE,
    "9223372036854775808",  # 2**63: one past the largest 64-bit id
    "-9223372036854775809",
    "9" * 5000,  # more digits than Python converts by default
    "1_000",  # int() reads it; no browser sends it
    "١٢",  # Arabic-Indic digits, which int() also reads
    "1.5",
    "0x10",
    "1e3",
]
HX = {"HTTP_HX_REQUEST": "true"}


# The fields -------------------------------------------------------------------------------


@pytest.mark.parametrize("value", IMPOSSIBLE)
def test_fields_refuse_an_impossible_id_without_a_query(
    world,  # noqa: F811
    value,
    django_assert_num_queries,
):
    single = IdChoiceField(queryset=Person.objects.all())
    multiple = IdMultipleChoiceField(queryset=Person.objects.all())
    with django_assert_num_queries(0):
        with pytest.raises(django_forms.ValidationError) as single_error:
            single.clean(value)
        with pytest.raises(django_forms.ValidationError) as multiple_error:
            multiple.clean([value])
    assert single_error.value.code == multiple_error.value.code == "invalid_choice"
    assert "Select a valid choice" in single_error.value.messages[0]
    assert "Select a valid choice" in multiple_error.value.messages[0]


def test_fields_still_take_real_ids(world):  # noqa: F811
    person = Person.objects.first()
    assert IdChoiceField(queryset=Person.objects.all()).clean(str(person.pk)) == person
    assert IdChoiceField(queryset=Person.objects.all()).clean(person) == person
    assert list(IdMultipleChoiceField(queryset=Person.objects.all()).clean([person.pk])) == [person]
    assert IdChoiceField(queryset=Person.objects.all(), required=False).clean("") is None


def _form_classes():
    for value in vars(forms).values():
        if isinstance(value, type) and issubclass(value, django_forms.BaseForm):
            yield value
    yield forms.ResponsibilityFormSet.form
    yield forms.SignatoryFormSet.form


def test_every_form_chooses_rows_through_the_checked_fields():
    checked = 0
    for form_class in _form_classes():
        for name, field in form_class.base_fields.items():
            if isinstance(field, django_forms.ModelMultipleChoiceField):
                assert isinstance(field, IdMultipleChoiceField), (form_class, name)
                checked += 1
            elif isinstance(field, django_forms.ModelChoiceField):
                assert isinstance(field, IdChoiceField), (form_class, name)
                checked += 1
    assert checked >= 10


def test_every_filter_chooses_rows_through_the_checked_field(rf):
    filterset = CommitmentFilter({}, request=None)
    fields = {
        name: type(f.field) for name, f in filterset.filters.items() if hasattr(f, "queryset")
    }
    assert set(fields) == {"council", "session", "sector", "party", "agency"}
    assert set(fields.values()) == {IdChoiceField}


# Through the pages ------------------------------------------------------------------------


@pytest.mark.parametrize("param", ["council", "session", "sector", "party", "agency"])
@pytest.mark.parametrize("value", [HUGE, "9223372036854775808", "١٢"])
def test_list_filters_answer_an_impossible_id_with_the_form_error(client, world, param, value):  # noqa: F811
    client.force_login(world.users["manager"])
    response = client.get(reverse("council:commitment-list"), {param: value})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    export = client.get(reverse("council:commitment-export", args=["csv"]), {param: value})
    assert export.status_code == 400


def test_report_dashboard_answers_an_impossible_council_with_404(client, world):  # noqa: F811
    client.force_login(world.users["manager"])
    for value in (HUGE, "9" * 5000):
        response = client.get(reverse("council:report-dashboard"), {"council": value})
        assert response.status_code == 404


def _posts(world):  # noqa: F811
    s, c, old = world.session.pk, world.commitment_a.pk, world.commitment_old.pk
    agency = world.users["focal_a"].agency.pk
    return [
        (reverse("council:agenda-item-create", args=[s]), {"title": "Trade", "speakers": HUGE}),
        (reverse("council:agenda-item-create", args=[s]), {"title": "Trade", "sector": HUGE}),
        (reverse("council:participant-create", args=[s]), {"person": HUGE, "role": "member"}),
        (reverse("council:session-edit", args=[s]), {"number": 13, "host_party": HUGE}),
        (
            reverse("council:commitment-edit", args=[c]),
            {
                "clause": "2.1",
                "title": "T",
                "text": "T",
                "deadline_kind": "ongoing",
                "sector": HUGE,
                "agenda_item": HUGE,
                "carries_over": HUGE,
                "version": 1,
                "agencies-TOTAL_FORMS": 2,
                "agencies-INITIAL_FORMS": 0,
                "agencies-0-agency": HUGE,
                "agencies-0-role": "lead",
                "agencies-1-agency": agency,
                "agencies-1-role": "lead",
                "agencies-1-id": HUGE,
            },
        ),
        (
            reverse("council:protocol-edit", args=[s]),
            {
                "title": "P",
                "status": "draft",
                "signatories-TOTAL_FORMS": 1,
                "signatories-INITIAL_FORMS": 0,
                "signatories-0-person": HUGE,
            },
        ),
        (
            reverse("council:session-review-decide", args=[s, old]),
            {"decision": "replace", "replacement": HUGE},
        ),
        (
            reverse("council:indicator-detail", args=[world.indicator.pk]),
            {
                "period_start": "2025-01-01",
                "period_end": "2025-06-30",
                "value": "1",
                "reported_at": HUGE,
            },
        ),
    ]


@pytest.mark.parametrize("htmx", [False, True])
def test_forms_answer_an_impossible_id_with_the_form_error(client, world, htmx):  # noqa: F811
    client.force_login(world.users["secretariat"])
    for url, data in _posts(world):
        response = client.post(url, data, **(HX if htmx else {}))
        assert response.status_code in (200, 422), (url, response.status_code)
        assert "Select a valid choice" in response.content.decode(), url


def _with_ids(pattern: URLPattern, value: str) -> str:
    route = re.sub(r"<int:\w+>", value, str(pattern.pattern))
    return "/" + route.replace("<str:token>", "token")


@pytest.mark.parametrize("value", [HUGE, "9223372036854775808", "9" * 5000])
def test_urls_with_an_impossible_id_are_not_found(client, world, value):  # noqa: F811
    client.force_login(world.users["admin"])
    patterns = [p for p in get_resolver().url_patterns[0].url_patterns if "<int:" in str(p.pattern)]
    assert len(patterns) > 20
    for pattern in patterns:
        url = _with_ids(pattern, value)
        answers = {client.get(url).status_code, client.post(url).status_code}
        assert answers <= {404, 405} and 404 in answers, (url, answers)
