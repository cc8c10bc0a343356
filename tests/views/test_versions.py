"""Adding and correcting a clause's text in another language, in place on the page."""

import pytest
from django.urls import reverse

from council.models import CommitmentVersion

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def create_url(commitment):
    return reverse("council:commitment-version-create", args=[commitment.pk])


def test_the_secretariat_adds_a_kazakh_text(client, world):
    client.force_login(world.users["secretariat"])
    page = client.get(create_url(world.commitment_a)).content.decode()
    form = page[
        page.index('id="version-form"') : page.index("</form>", page.index('id="version-form"'))
    ]
    assert 'name="language"' in form and 'value="kk"' in form
    assert 'value="ru"' not in form  # the clause is recorded in Russian
    response = client.post(
        create_url(world.commitment_a),
        {"language": "kk", "title": "Сауда үйі", "text": "Тараптар сауда үйін ашсын."},
    )
    assert response.status_code == 302
    assert response.url == world.commitment_a.get_absolute_url() + "?lang=kk"
    version = CommitmentVersion.objects.get(commitment=world.commitment_a)
    assert (version.language, version.title, version.is_translation) == ("kk", "Сауда үйі", False)
    assert version.history.get().history_user == world.users["secretariat"]


def test_in_place_the_saved_list_comes_back(client, world):
    client.force_login(world.users["secretariat"])
    response = client.post(
        create_url(world.commitment_a),
        {
            "language": "ky",
            "title": "Соода үйү",
            "text": "Тараптар соода үйүн ачсын.",
            "is_translation": "on",
        },
        **HTMX,
    )
    page = response.content.decode()
    assert response.status_code == 200 and 'id="versions"' in page
    assert "Соода үйү" in page and "<html" not in page


def test_a_refused_text_answers_422_in_place_with_what_was_typed(client, world):
    client.force_login(world.users["secretariat"])
    client.post(create_url(world.commitment_a), {"language": "kk", "title": "A", "text": "B"})
    response = client.post(
        create_url(world.commitment_a),
        {"language": "kk", "title": "Екінші атау", "text": ""},
        **HTMX,
    )
    page = response.content.decode()
    assert response.status_code == 422 and 'id="version-form"' in page
    assert "Екінші атау" in page and 'aria-invalid="true"' in page
    assert CommitmentVersion.objects.count() == 1


def test_correcting_and_withdrawing_a_text(client, world):
    client.force_login(world.users["secretariat"])
    client.post(create_url(world.commitment_a), {"language": "kk", "title": "A", "text": "B"})
    version = CommitmentVersion.objects.get()
    edit = reverse("council:commitment-version-edit", args=[version.pk])
    form = client.get(edit).content.decode()
    assert 'value="kk"' in form and "Withdraw this text" in form
    client.post(edit, {"language": "kk", "title": "A2", "text": "B2", "reason": "Typo"})
    version.refresh_from_db()
    assert version.title == "A2" and version.history.latest().history_change_reason == "Typo"
    withdraw = reverse("council:commitment-version-withdraw", args=[version.pk])
    assert client.post(withdraw, {"reason": ""}, **HTMX).status_code == 422
    client.post(withdraw, {"reason": "Wrong clause"})
    version.refresh_from_db()
    assert version.is_withdrawn
    assert client.get(edit).status_code == 404


@pytest.mark.parametrize("role", ["focal_a", "manager"])
def test_who_may_not_edit_the_clause_may_not_add_its_texts(client, world, role):
    client.force_login(world.users[role])
    assert client.get(create_url(world.commitment_a)).status_code == 403
    response = client.post(
        create_url(world.commitment_a), {"language": "kk", "title": "A", "text": "B"}
    )
    assert response.status_code == 403
    assert not CommitmentVersion.objects.exists()
