"""Which text a reader sees: their language's version where recorded, else the text as
recorded, with the other languages listed; a page of commitments reads every version in
one query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from council import services
from council.models import Commitment, CommitmentVersion
from council.versions import prefetch_versions, shown_version, with_versions

pytestmark = pytest.mark.django_db


@pytest.fixture
def texts(world):
    commitment = world.commitment_a
    for language, title, is_translation in [
        ("kk", "Қазақша атауы", False),
        ("en", "English title", True),
    ]:
        services.commitment_version_save(
            version=CommitmentVersion(
                commitment=commitment,
                language=language,
                title=title,
                text=f"{title}: text",
                is_translation=is_translation,
            ),
            by=None,
        )
    return commitment


def test_the_readers_language_where_it_is_recorded(texts):
    shown = shown_version(texts, "kk")
    assert (shown.title, shown.text, shown.language) == (
        "Қазақша атауы",
        "Қазақша атауы: text",
        "kk",
    )
    assert not shown.is_translation and not shown.is_recorded and not shown.is_fallback
    assert shown.others == ("en", "ru")
    english = shown_version(texts, "en")
    assert english.is_translation and english.title == "English title"


def test_else_the_text_as_recorded_marked_as_a_fallback(texts):
    shown = shown_version(texts, "ky")
    assert (shown.title, shown.language) == (texts.title, "ru")
    assert shown.is_recorded and shown.is_fallback and not shown.is_translation
    assert shown.others == ("en", "kk")
    recorded = shown_version(texts, "ru")
    assert recorded.is_recorded and not recorded.is_fallback


def test_the_page_language_unless_another_is_asked_for(texts):
    with translation.override("kk"):
        assert shown_version(texts).language == "kk"
        assert shown_version(texts, "en-us").language == "en"
        assert shown_version(texts, "xx").language == "kk"  # not ours: the page's


def test_a_withdrawn_text_is_not_shown(texts):
    kazakh = texts.versions.get(language="kk")
    services.commitment_version_withdraw(version=kazakh, by=None, reason="Wrong clause")
    fresh = Commitment.objects.get(pk=texts.pk)
    assert shown_version(fresh, "kk").language == "ru"
    assert shown_version(fresh, "kk").others == ("en",)


def test_a_page_of_commitments_reads_its_versions_in_one_query(texts, world):
    page = list(Commitment.objects.all())
    with CaptureQueriesContext(connection) as queries:
        prefetch_versions(page)
        shown = [shown_version(commitment, "kk") for commitment in page]
    assert len(queries) == 1
    assert {s.title for s in shown} >= {"Қазақша атауы", world.commitment_b.title}
    with CaptureQueriesContext(connection) as queries:
        page = list(with_versions(Commitment.objects.all()))
        [shown_version(commitment, "en") for commitment in page]
    assert len(queries) == 2


def test_the_template_tag_reads_the_language_asked_for_and_marks_a_translation(texts, rf):
    from django.template import Context, Template

    template = Template(
        "{% load versions %}{% reader_version commitment as shown %}"
        '<h1 lang="{{ shown.language }}">{{ shown.title }}</h1>'
        '{% include "council/includes/version_shown.html" with shown=shown %}'
    )
    with translation.override("en"):
        page = template.render(Context({"commitment": texts, "request": rf.get("/?lang=kk")}))
        assert '<h1 lang="kk">Қазақша атауы</h1>' in page
        assert "translation" not in page.split("</h1>")[1].split("Also in")[0]
        assert 'href="?lang=en"' in page and 'href="?lang=ru"' in page
        page = template.render(Context({"commitment": texts, "request": rf.get("/")}))
        assert '<h1 lang="en">English title</h1>' in page and "translation" in page
        page = template.render(Context({"commitment": texts, "request": rf.get("/?lang=ky")}))
        assert f'<h1 lang="ru">{texts.title}</h1>' in page
        assert "not yet recorded in your language" in page
