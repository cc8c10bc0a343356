"""An agenda item's title in other languages, recorded by the council's secretariat from the
item's edit page, and the language a record's own text is written in on its forms."""

from __future__ import annotations

import pytest
from django.urls import reverse

from council import services
from council.models import AgendaItemVersion, CommitmentVersion

pytestmark = pytest.mark.django_db


def test_the_secretariat_adds_a_kazakh_title_and_sees_it_on_the_edit_page(world, login):
    client = login(world.users["secretariat"])
    item = world.agenda_item
    create = reverse("council:agenda-item-version-create", args=[item.pk])
    choices = dict(client.get(create).context["form"].fields["language"].choices)
    assert item.language not in choices and "kk" in choices  # its own language is taken
    answer = client.post(create, {"language": "kk", "title": "Сауда", "reason": "Хаттама"})
    assert answer.status_code == 302
    assert answer["Location"].endswith(
        reverse("council:agenda-item-edit", args=[item.pk]) + "#versions"
    )
    version = AgendaItemVersion.objects.get(agenda_item=item)
    assert (version.language, version.title) == ("kk", "Сауда")
    assert version.history.latest().history_change_reason == "Хаттама"
    page = client.get(reverse("council:agenda-item-edit", args=[item.pk])).content.decode()
    assert '<span lang="kk">Сауда</span>' in page


def test_a_refused_title_comes_back_with_what_was_typed(world, login):
    client = login(world.users["secretariat"])
    item = world.agenda_item
    services.agenda_item_version_save(
        version=AgendaItemVersion(agenda_item=item, language="kk", title="Сауда"), by=None
    )
    answer = client.post(
        reverse("council:agenda-item-version-create", args=[item.pk]),
        {"language": "kk", "title": "Екінші атау"},
    )
    assert answer.status_code == 422
    page = answer.content.decode()
    assert "Екінші атау" in page and 'aria-invalid="true"' in page
    assert AgendaItemVersion.objects.filter(agenda_item=item).count() == 1


def test_only_the_councils_secretariat_records_titles(world, login):
    create = reverse("council:agenda-item-version-create", args=[world.agenda_item.pk])
    assert login(world.users["focal_a"]).get(create).status_code == 403
    assert login(world.users["focal_uz"]).get(create).status_code == 404
    assert login(world.users["secretariat_other"]).post(create, {}).status_code == 404
    assert not AgendaItemVersion.objects.exists()


def test_a_title_is_withdrawn_with_a_reason_and_stays_in_history(world, login):
    client = login(world.users["secretariat"])
    version = services.agenda_item_version_save(
        version=AgendaItemVersion(agenda_item=world.agenda_item, language="ky", title="Соода"),
        by=None,
    )
    withdraw = reverse("council:agenda-item-version-withdraw", args=[version.pk])
    refused = client.post(withdraw, {"reason": ""}, follow=True)
    version.refresh_from_db()
    assert version.withdrawn_at is None
    assert refused.status_code == 200 and "alert" in refused.content.decode()
    client.post(withdraw, {"reason": "Ошибка перевода"})
    version.refresh_from_db()
    assert version.withdrawn_at is not None
    assert AgendaItemVersion.objects.filter(pk=version.pk).exists()  # never deleted


def test_the_commitment_form_says_which_language_its_text_is_in(world, login):
    client = login(world.users["secretariat"])
    commitment = world.commitment_a
    services.commitment_version_save(
        version=CommitmentVersion(
            commitment=commitment, language="kk", title="Атауы", text="Мәтін."
        ),
        by=None,
    )
    url = reverse("council:commitment-edit", args=[commitment.pk])
    page = client.get(url).content.decode()
    assert 'name="language"' in page and f'lang="{commitment.language}"' in page
    form = client.get(url).context["form"]
    data = {
        key: value
        for key, value in form.initial.items()
        if value is not None and not isinstance(value, list | tuple)
    }
    data |= {"language": "kk", "version": commitment.version}
    data |= {
        "agencies-TOTAL_FORMS": "0",
        "agencies-INITIAL_FORMS": "0",
    }
    refused = client.post(url, data)
    assert refused.context["form"].errors["language"]  # said on the field, input kept
    commitment.refresh_from_db()
    assert commitment.language != "kk"
