"""Texts in other languages: who may record them, one live text per language, history
with who and why, withdrawn never deleted."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from council import services
from council.models import AgendaItemVersion, CommitmentVersion

pytestmark = pytest.mark.django_db

KK_TITLE = "Хан Тәңірі шыңына апаратын маршруттар"
KK_TEXT = "Тараптар Хан Тәңірі шыңына апаратын тау туристік маршруттарын пысықтасын."


def kazakh(commitment, **fields):
    return CommitmentVersion(
        commitment=commitment,
        language=fields.pop("language", "kk"),
        title=fields.pop("title", KK_TITLE),
        text=fields.pop("text", KK_TEXT),
        **fields,
    )


def test_the_secretariat_records_a_version_with_its_history(world):
    secretariat = world.users["secretariat"]
    version = services.commitment_version_save(
        version=kazakh(world.commitment_a, is_translation=False),
        by=secretariat,
        reason="Қазақ тіліндегі түпнұсқа мәтін",
    )
    assert world.commitment_a.versions.get() == version
    version.title = KK_TITLE + " (түзетілді)"
    services.commitment_version_save(version=version, by=secretariat, reason="Typo")
    history = list(version.history.order_by("history_id"))
    assert [h.history_type for h in history] == ["+", "~"]
    assert [h.history_user for h in history] == [secretariat, secretariat]
    assert history[-1].history_change_reason == "Typo"
    assert history[-1].title.endswith("(түзетілді)")


@pytest.mark.parametrize("role", ["focal_a", "manager", "secretariat_other"])
def test_only_who_may_edit_the_commitment_records_its_texts(world, role):
    with pytest.raises(PermissionDenied):
        services.commitment_version_save(version=kazakh(world.commitment_a), by=world.users[role])
    assert not CommitmentVersion.objects.exists()
    services.commitment_version_save(version=kazakh(world.commitment_a), by=world.users["admin"])


def test_one_live_text_per_language_and_never_the_recorded_language(world):
    by = world.users["secretariat"]
    services.commitment_version_save(version=kazakh(world.commitment_a), by=by)
    with pytest.raises(ValidationError) as refused:
        services.commitment_version_save(version=kazakh(world.commitment_a), by=by)
    assert "language" in refused.value.message_dict
    assert world.commitment_a.language == "ru"
    with pytest.raises(ValidationError) as refused:
        services.commitment_version_save(version=kazakh(world.commitment_a, language="ru"), by=by)
    assert "language" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.commitment_version_save(version=kazakh(world.commitment_a, language="de"), by=by)
    # The same language on another commitment is its own text.
    services.commitment_version_save(version=kazakh(world.commitment_b), by=by)
    assert CommitmentVersion.objects.count() == 2


def test_a_withdrawn_text_stays_and_may_be_recorded_anew(world):
    by = world.users["secretariat"]
    first = services.commitment_version_save(version=kazakh(world.commitment_a), by=by)
    with pytest.raises(ValidationError):
        services.commitment_version_withdraw(version=first, by=by, reason="  ")
    with pytest.raises(PermissionDenied):
        services.commitment_version_withdraw(
            version=first, by=world.users["focal_a"], reason="Wrong clause"
        )
    services.commitment_version_withdraw(version=first, by=by, reason="Wrong clause")
    first.refresh_from_db()
    assert first.is_withdrawn and first.withdrawn_by == by
    assert first.history.latest().history_change_reason == "Withdrawn: Wrong clause"
    first.title = "Changed after withdrawal"
    with pytest.raises(ValidationError):
        services.commitment_version_save(version=first, by=by)
    again = services.commitment_version_save(version=kazakh(world.commitment_a), by=by)
    assert set(CommitmentVersion.objects.all()) == {first, again}


def test_a_text_stays_with_its_commitment(world):
    by = world.users["secretariat"]
    version = services.commitment_version_save(version=kazakh(world.commitment_a), by=by)
    version.commitment = world.commitment_b
    with pytest.raises(ValidationError):
        services.commitment_version_save(version=version, by=by)


def test_agenda_item_titles_in_other_languages(world):
    by = world.users["secretariat"]
    item = world.agenda_item
    version = services.agenda_item_version_save(
        version=AgendaItemVersion(agenda_item=item, language="ky", title="Соода"), by=by
    )
    assert version.is_translation and version.history.count() == 1
    with pytest.raises(ValidationError):
        services.agenda_item_version_save(
            version=AgendaItemVersion(agenda_item=item, language="ky", title="Соода 2"), by=by
        )
    with pytest.raises(PermissionDenied):
        services.agenda_item_version_save(
            version=AgendaItemVersion(agenda_item=item, language="kk", title="Сауда"),
            by=world.users["focal_a"],
        )
    services.agenda_item_version_withdraw(version=version, by=by, reason="Duplicate")
    assert AgendaItemVersion.objects.get().is_withdrawn
