"""Languages: every page in English, Russian, Kazakh and Kyrgyz, a complete Russian
catalogue, reference data in several languages, money in the reader's form, and the
language switcher."""

import copy
import datetime
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import F
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format, get_format, number_format

from council.models import Agency, Commitment, Council, Indicator, Party, Sector, Session, User
from council.templatetags.money import money

pytestmark = [
    pytest.mark.django_db,
    # The demo, loaded once for the module (see ``demo_once``): its tests only read it.
    pytest.mark.usefixtures("demo_once"),
    pytest.mark.xdist_group("demo-i18n"),
]

LOCALE = Path(settings.BASE_DIR) / "council" / "locale"
LANGUAGES = [code for code, _name in settings.LANGUAGES]
INVALID = "!!MISSING[%s]!!"
KNOWN_MISSING: dict[str, set[str]] = {}  # page name → variables it may leave undefined


def compiled_catalogues() -> None:
    """The tests read the compiled catalogues; `make install` compiles them, and so does
    this when a .po file is newer than its .mo (a test run straight after an edit)."""
    stale = [
        po
        for po in LOCALE.glob("*/LC_MESSAGES/django.po")
        if not po.with_suffix(".mo").exists()
        or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
    ]
    if stale:
        call_command("compilemessages", locale=[p.parts[-3] for p in stale], verbosity=0)
        translation.trans_real._translations = {}
        translation.trans_real._default = None


@pytest.fixture(autouse=True, scope="module")
def catalogues():
    compiled_catalogues()


@pytest.fixture(autouse=True)
def language_left_as_it_was():
    """A request leaves its language active in the thread; the next test must not see it."""
    before = translation.get_language()
    yield
    translation.activate(before)


@pytest.fixture
def strict_templates(settings):
    """An undefined variable in a template shows up as a marker instead of nothing."""
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["OPTIONS"]["string_if_invalid"] = INVALID
    settings.TEMPLATES = templates


def in_language(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


# Every page in every language ----------------------------------------------------------


def page_urls():
    igc = Council.objects.get(kind=Council.Kind.INTERGOVERNMENTAL_COUNCIL)
    session = Session.objects.get(council=igc, number=13)
    commitment = Commitment.objects.get(session=session, clause="2.1")
    return {
        "dashboard": reverse("council:dashboard"),
        "councils": reverse("council:council-list"),
        "council": reverse("council:council-detail", args=[igc.pk]),
        "session": reverse("council:session-detail", args=[session.pk]),
        "commitment list": reverse("council:commitment-list"),
        "commitment": reverse("council:commitment-detail", args=[commitment.pk]),
        "protocol": reverse("council:protocol-detail", args=[session.pk]),
        "review": reverse("council:session-review", args=[session.pk]),
        "notifications": reverse("council:notification-list"),
        "profile": reverse("council:profile"),
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_renders_in_every_language(client, demo, strict_templates, language):
    client.force_login(User.objects.get(username="secretariat"))
    in_language(client, language)
    failures = []
    for name, url in page_urls().items():
        response = client.get(url)
        page = response.content.decode()
        if response.status_code != 200:
            failures.append(f"{name}: {response.status_code}")
        elif f'<html lang="{language}">' not in page:
            failures.append(f"{name}: not in {language}")
        missing = set(re.findall(r"!!MISSING\[(.*?)\]!!", page)) - KNOWN_MISSING.get(name, set())
        if missing:
            failures.append(f"{name}: undefined {sorted(set(missing))}")
    client.logout()
    login = in_language(client, language).get(reverse("login"))
    if login.status_code != 200 or "!!MISSING[" in login.content.decode():
        failures.append(f"login: {login.status_code}")
    assert failures == []


def test_pages_are_in_russian(client, demo):
    client.force_login(User.objects.get(username="secretariat"))
    page = in_language(client, "ru").get(reverse("council:dashboard")).content.decode()
    assert '<h1 class="h3 mb-4">Панель</h1>' in page
    assert "Мои открытые поручения" in page and "Просрочено" in page
    assert "Dashboard" not in page


@pytest.mark.parametrize(
    ("language", "dashboard", "overdue"),
    [("kk", "Басқару тақтасы", "Мерзімі өткен"), ("ky", "Башкаруу панели", "Мөөнөтү өткөн")],
)
def test_kazakh_and_kyrgyz_have_the_navigation_and_the_dashboard(
    client, demo, language, dashboard, overdue
):
    client.force_login(User.objects.get(username="secretariat"))
    page = in_language(client, language).get(reverse("council:dashboard")).content.decode()
    assert dashboard in page and overdue in page


# The catalogues -------------------------------------------------------------------------


def po_entries(path: Path) -> list[dict]:
    """The entries of a .po file: msgctxt, msgid, msgid_plural, msgstr(s), flags."""
    entries, entry, key = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if entry and "msgid" in entry:
                entries.append(entry)
            entry, key = None, None
            continue
        entry = entry if entry is not None else {"flags": set(), "msgstr": []}
        if line.startswith("#~"):
            entry["obsolete"] = True
        elif line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            text = line[1:-1]
            if key == "msgstr":
                entry["msgstr"][-1] += text
            else:
                entry[key] += text
        else:
            key, _, value = line.partition(" ")
            if key.startswith("msgstr"):
                entry["msgstr"].append(value[1:-1])
                key = "msgstr"
            else:
                entry[key] = value[1:-1]
    return [e for e in entries if e["msgid"] and not e.get("obsolete")]


def test_the_russian_catalogue_is_complete():
    entries = po_entries(LOCALE / "ru" / "LC_MESSAGES" / "django.po")
    assert len(entries) > 500
    untranslated = [e["msgid"] for e in entries if not all(e["msgstr"])]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert untranslated == [] and fuzzy == []
    # Russian has four plural forms (1, 2–4, 5–20 and fractions).
    plurals = [e for e in entries if "msgid_plural" in e]
    assert plurals and all(len(e["msgstr"]) == 4 for e in plurals)


def test_kazakh_and_kyrgyz_catalogues_have_no_fuzzy_guesses():
    for language in ("kk", "ky"):
        entries = po_entries(LOCALE / language / "LC_MESSAGES" / "django.po")
        assert [e["msgid"] for e in entries if "fuzzy" in e["flags"]] == []
        translated = {e["msgid"] for e in entries if all(e["msgstr"])}
        assert {"Dashboard", "Councils", "Commitments", "Save", "Overdue"} <= translated


def test_the_russian_catalogue_covers_every_string_of_the_code_now(tmp_path, monkeypatch):
    """`makemessages` run afresh into a temporary folder finds nothing the committed
    Russian catalogue lacks: a new string without a translation fails here."""
    committed_po = LOCALE / "ru" / "LC_MESSAGES" / "django.po"
    before = committed_po.read_bytes()
    monkeypatch.chdir(settings.BASE_DIR)
    with override_settings(LOCALE_PATHS=[tmp_path / "locale"]):
        call_command(
            "makemessages",
            locale=["ru"],
            # Ignoring council/locale keeps makemessages from writing into it.
            ignore_patterns=[".venv", "staticfiles", "media", "tests", "council/locale"],
            verbosity=0,
        )
    assert committed_po.read_bytes() == before
    fresh = po_entries(tmp_path / "locale" / "ru" / "LC_MESSAGES" / "django.po")
    committed = {
        (e.get("msgctxt"), e["msgid"])
        for e in po_entries(committed_po)
        if all(e["msgstr"]) and "fuzzy" not in e["flags"]
    }
    missing = sorted({(e.get("msgctxt"), e["msgid"]) for e in fresh} - committed, key=str)
    assert missing == [], "run makemessages and translate: " + repr(missing)


# Reference data in several languages -----------------------------------------------------


def test_reference_data_is_stored_once_with_its_translations(demo):
    kz = Party.objects.get(code="KZ")
    trade = Sector.objects.get(code="trade")
    mti = Agency.objects.get(party=kz, short_name_en="MTI")
    igc = Council.objects.get(kind=Council.Kind.INTERGOVERNMENTAL_COUNCIL)
    turnover = Indicator.objects.get(code="trade-turnover")
    bektenov = igc.co_chairs.get(party=kz)
    with translation.override("en"):
        assert (kz.name, trade.name, turnover.name) == (
            "Republic of Kazakhstan",
            "Trade",
            "Bilateral trade turnover",
        )
        assert bektenov.position == "Prime Minister of the Republic of Kazakhstan"
    with translation.override("ru"):
        assert (kz.name, trade.name, mti.short_name) == ("Республика Казахстан", "Торговля", "МТИ")
        assert mti.name == "Министерство торговли и интеграции Республики Казахстан"
        assert igc.name == "Казахско-кыргызский Межправительственный совет"
        assert turnover.name == "Взаимный товарооборот"
        assert bektenov.position == "Премьер-Министр Республики Казахстан"
        assert bektenov.person.position == "Премьер-Министр Республики Казахстан"
    with translation.override("kk"):
        assert (kz.name, trade.name) == ("Қазақстан Республикасы", "Сауда")
        # No Kazakh name for the working group: Russian first, then English.
        wg = Council.objects.get(kind=Council.Kind.WORKING_GROUP)
        assert wg.short_name == "Рабочая группа по воде и энергетике"
    with translation.override("ky"):
        assert (kz.name, trade.name) == ("Казакстан Республикасы", "Соода")


def test_a_name_given_in_one_language_only_shows_in_every_language(db):
    with translation.override("ru"):
        sector = Sector.objects.create(code="health", name="Здравоохранение")
    for language in LANGUAGES:
        with translation.override(language):
            assert Sector.objects.get(pk=sector.pk).name == "Здравоохранение"


def test_participants_and_signatories_keep_every_language_in_their_history(demo):
    session = Session.objects.get(number=13, council__kind="igc")
    participant = session.participants.get(person__name="Олжас Бектенов")
    record = participant.history.latest()
    assert record.position_en == "Prime Minister of the Republic of Kazakhstan"
    assert record.position_ru == "Премьер-Министр Республики Казахстан"
    signatory = session.protocol.signatories.get(person__name="Олжас Бектенов")
    assert signatory.history.latest().position_ru == "Премьер-Министр Республики Казахстан"


def test_council_page_shows_reference_data_and_figures_in_russian(client, demo):
    client.force_login(User.objects.get(username="secretariat"))
    igc = Council.objects.get(kind=Council.Kind.INTERGOVERNMENTAL_COUNCIL)
    page = in_language(client, "ru").get(reverse("council:council-detail", args=[igc.pk]))
    text = page.content.decode()
    assert "Казахско-кыргызский Межправительственный совет" in text
    assert "Республика Казахстан" in text and "Премьер-Министр Республики Казахстан" in text
    assert "Взаимный товарооборот" in text
    assert "около 1,4 млрд долл. США" in text and "326 млн долл. США" in text
    english = in_language(client, "en").get(reverse("council:council-detail", args=[igc.pk]))
    assert "about USD 1.4 bn" in english.content.decode()


def test_review_groups_are_headed_in_the_readers_language(client, demo):
    """The review reads its group names as columns, not through the models: the page and
    the Word file still name sectors, parties and agencies in the reader's language."""
    from docx import Document

    from council.documents import word
    from council.reporting import review

    client.force_login(User.objects.get(username="secretariat"))
    session = Session.objects.get(council__kind=Council.Kind.INTERGOVERNMENTAL_COUNCIL, number=13)
    sectors = Sector.objects.filter(
        pk__in=review.reviewed_commitments(session).values("sector_id")
    ).exclude(name_ru=F("name_en"))
    assert sectors, "the demo's review has translated sectors"
    ru_url = reverse("council:session-review", args=[session.pk])
    page = in_language(client, "ru").get(ru_url).content.decode()
    headings = " ".join(re.findall(r'<h2 class="h5"[^>]*>(.*?)</h2>', page, re.S))
    for sector in sectors:
        assert sector.name_ru in headings and sector.name_en not in headings
    agencies = in_language(client, "ru").get(ru_url + "?by=agency").content.decode()
    assert "Республика Казахстан" in agencies and "Republic of Kazakhstan" not in agencies
    with translation.override("ru"):
        groups = review.all_groups(session, review.BY_SECTOR)
        document = Document(io.BytesIO(word.review_docx(session, groups, review.BY_SECTOR)))
    titles = {p.text for p in document.paragraphs if p.style.name.startswith("Heading")}
    for sector in sectors:
        assert sector.name_ru in titles and sector.name_en not in titles
    response = in_language(client, "ru").get(
        reverse("council:session-review-export", args=[session.pk])
    )
    exported = Document(io.BytesIO(response.content))
    assert {p.text for p in exported.paragraphs if p.style.name.startswith("Heading")} == titles


# Numbers and money ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "language", "expected"),
    [
        (Decimal("1400000000"), "en", "USD 1.4 bn"),
        (Decimal("1400000000"), "ru", "1,4 млрд долл. США"),
        (Decimal("2000000000"), "ru", "2 млрд долл. США"),
        (Decimal("326000000"), "en", "USD 326 m"),
        (Decimal("326000000"), "ru", "326 млн долл. США"),
        (Decimal("12500"), "en", "USD 12,500"),
        (Decimal("12500"), "ru", "12\xa0500 долл. США"),
        (Decimal("1250.50"), "en", "USD 1,250.50"),
        # Kazakh and Kyrgyz take their separators from Django's formats for them.
        (Decimal("1400000000"), "kk", "1{dec}4 млрд АҚШ долл."),
        (Decimal("1400000000"), "ky", "1{dec}4 млрд АКШ долл."),
        (Decimal("5000000000"), "en", "USD 5 bn"),
        ("950000000000", "en", "USD 950 bn"),
        (Decimal("3500000"), "ru", "3,5 млн долл. США"),
    ],
)
def test_money(value, language, expected):
    with translation.override(language):
        assert money(value, "USD") == expected.format(dec=get_format("DECIMAL_SEPARATOR"))


def test_money_in_other_currencies_and_odd_values():
    with translation.override("ru"):
        assert money(Decimal("7500000000"), "KZT") == "7,5 млрд тенге"
        assert money(Decimal("100"), "XYZ") == "100 XYZ"
        assert money(None) == "" and money("n/a") == "n/a"


def test_identifiers_and_years_are_not_grouped_in_pages(client, demo):
    """USE_THOUSAND_SEPARATOR groups numbers in text; ids in links and years must not be."""
    client.force_login(User.objects.get(username="manager"))
    igc = Council.objects.get(kind=Council.Kind.INTERGOVERNMENTAL_COUNCIL)
    big = Council.objects.create(pk=12345, name="Big", short_name="Big", kind=igc.kind)
    big.parties.set(igc.parties.all())
    igc.events.update(council=big)
    for language, grouped in (("en", "12,345"), ("ru", "12\xa0345")):
        page = in_language(client, language).get(reverse("council:council-detail", args=[big.pk]))
        text = page.content.decode()
        assert "council=12345&amp;status=open" in text and grouped not in text
        assert "2025" in text and "2,025" not in text and "2\xa0025" not in text


# The language switcher and the profile language ------------------------------------------


def test_switcher_is_in_the_navigation_with_each_language_in_its_own_name(client, demo):
    client.force_login(User.objects.get(username="secretariat"))
    page = client.get(reverse("council:dashboard")).content.decode()
    assert f'action="{reverse("set_language")}"' in page
    assert '<label class="visually-hidden" for="language-select">' in page
    for code, name in [("en", "English"), ("ru", "Русский"), ("kk", "Қазақша"), ("ky", "Кыргызча")]:
        assert f'<option value="{code}" lang="{code}"' in page and f">{name}</option>" in page


def test_demo_users_sign_in_to_russian_the_councils_working_language(client, demo):
    response = client.post(
        reverse("login"), {"username": "manager", "password": "manager-demo-2026"}, follow=True
    )
    assert '<html lang="ru">' in response.content.decode()
    assert set(User.objects.values_list("language", flat=True)) == {"ru"}


def test_switching_saves_the_language_to_the_profile(client, demo):
    user = User.objects.get(username="secretariat")
    assert user.language == "ru"
    client.force_login(user)
    response = client.post(
        reverse("set_language"), {"language": "kk", "next": reverse("council:council-list")}
    )
    assert response.status_code == 302 and response["Location"] == reverse("council:council-list")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "kk"
    user.refresh_from_db()
    assert user.language == "kk"
    page = client.get(reverse("council:council-list")).content.decode()
    assert '<html lang="kk">' in page and "Кеңестер" in page


def test_switching_on_the_login_page_needs_no_account(client, db):
    response = client.post(reverse("set_language"), {"language": "ky", "next": reverse("login")})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ky"
    assert '<html lang="ky">' in client.get(reverse("login")).content.decode()


def test_an_unknown_language_changes_nothing(client, demo):
    user = User.objects.get(username="secretariat")
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    user.refresh_from_db()
    assert user.language == "ru"


def test_signing_in_applies_the_profile_language(client, demo):
    User.objects.filter(username="focal").update(language="kk")
    response = client.post(
        reverse("login"), {"username": "focal", "password": "focal-demo-2026"}, follow=True
    )
    assert response.redirect_chain[0][1] == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "kk"
    assert '<html lang="kk">' in response.content.decode()
    assert "Басқару тақтасы" in response.content.decode()


def test_kazakh_dates_and_numbers_follow_kazakh_usage():
    from django.utils import formats

    with translation.override("kk"):
        assert formats.date_format(datetime.date(2026, 12, 1), "SHORT_DATE_FORMAT") == "01.12.2026"
        assert formats.number_format(Decimal("1400.5"), 1, force_grouping=True) == "1\xa0400,5"
    with translation.override("en"):  # the others are untouched
        assert formats.number_format(Decimal("1400.5"), 1, force_grouping=True) == "1,400.5"


def test_english_dates_have_one_unambiguous_style():
    """Day first, month as a word: never 10/03/2026 (10 March or 3 October?) beside
    "Jan. 16, 2027"."""
    from django.utils.formats import date_format

    with translation.override("en"):
        day = datetime.date(2026, 3, 10)
        assert date_format(day, "SHORT_DATE_FORMAT") == "10 Mar 2026"
        assert date_format(datetime.date(2027, 1, 16)) == "16 Jan 2027"
        moment = datetime.datetime(2026, 3, 10, 18, 5)
        assert date_format(moment, "SHORT_DATETIME_FORMAT") == "10 Mar 2026, 18:05"


def test_kazakh_and_kyrgyz_fall_back_to_russian_never_to_english():
    """A string not yet translated into Kazakh or Kyrgyz shows in Russian."""
    from django.utils.translation.trans_real import DjangoTranslation

    msgid = "Commitments"
    with translation.override("ru"):
        russian = translation.gettext(msgid)
    for language in ("kk", "ky"):
        fresh = DjangoTranslation(language)  # not the cached one: this test edits it
        assert fresh.gettext(msgid) not in {msgid, russian}
        for catalogue in fresh._catalog._catalogs:  # as if the string were not translated
            catalogue.pop(msgid, None)
        assert fresh.gettext(msgid) == russian, language
    with translation.override("en"):
        assert translation.gettext(msgid) == msgid


@pytest.mark.parametrize(
    ("language", "long", "number"),
    [
        ("ru", "15 января 2027 г.", "1\xa0234\xa0567,5"),
        ("kk", "2027 ж. 15 қаңтар", "1\xa0234\xa0567,5"),
        ("ky", "2027-ж., 15-январь", "1\xa0234\xa0567,5"),
        ("en", "15 Jan 2027", "1,234,567.5"),
    ],
)
def test_dates_and_numbers_as_each_language_writes_them(language, long, number):
    day = datetime.date(2027, 1, 15)
    with translation.override(language):
        assert date_format(day) == long
        assert date_format(day, "SHORT_DATE_FORMAT") == (
            "15 Jan 2027" if language == "en" else "15.01.2027"
        )
        assert number_format(Decimal("1234567.5"), 1, force_grouping=True) == number
