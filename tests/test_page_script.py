"""Russian first, and Kazakh and Kyrgyz complete: a crawl of the staff app as each demo
user in ru, kk and ky, following the links each page offers (one page per kind of page),
reads each page's visible text.

At least 95 % of the letters a reader meets over the crawl are Cyrillic, demo content
included, and no page falls under 90 % (the parties' codes KZ and KG and file formats are
Latin by nature); a Kazakh or Kyrgyz page shows no English word but proper names and
codes. Code (``<code>``, ``<kbd>``) is neither language and is not counted. Text a page
marks as another language (``lang="en"`` on a text's English version, the language
switcher's own names) is that language on purpose and is not counted; nor is text the
reader cannot see: ``hidden`` elements, and the options of a closed drop-down list other
than its chosen one (a list shown open, ``multiple``, counts whole)."""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from council.models import User

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("demo_once"),
    pytest.mark.xdist_group("page-script"),
]

USERS = ["admin", "secretariat", "focal", "focal.kg", "manager"]
LANGUAGES = ["ru", "kk", "ky"]
SHARE, PAGE_FLOOR = 0.95, 0.90
# Proper names and codes a Kazakh or Kyrgyz page may carry in Latin letters: the product,
# an agency's registered name, file formats and the API's own words.
LATIN_ALLOWED = {
    "Council", "Tracker", "Kazakh", "Invest", "QazTrade", "Word", "Excel", "CSV", "XLSX",
    "DOCX", "PDF", "iCal", "ICS", "API", "JSON", "OpenAPI", "Bearer", "Authorization", "KZ",
    "KG", "UZ", "TJ", "USD", "KZT", "KGS", "ID", "URL", "HTTPS", "SHA", "HMAC", "Telegram",
}  # fmt: skip
SKIPPED_TAGS = {"script", "style", "template", "svg", "noscript", "title", "code", "kbd", "samp"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip
# Not pages: files, actions, other apps.
NOT_PAGES = re.compile(
    r"^/(static|media|admin|api|i18n|accounts/logout|public)/|/export|\.(ics|xlsx|csv|docx|pdf)"
)


class VisibleText(HTMLParser):
    """The text a reader of ``language`` sees, without what is marked as another language."""

    def __init__(self, language: str):
        super().__init__(convert_charrefs=True)
        self.language = language
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped)
        self.closed_select = False
        self.parts: list[str] = []
        self.links: list[str] = []

    def _skipped(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag in VOID:
            return
        if tag == "select":
            self.closed_select = "multiple" not in attrs and attrs.get("size") in (None, "1")
        lang = (attrs.get("lang") or "").split("-")[0]
        skipped = (
            self._skipped()
            or tag in SKIPPED_TAGS
            or "hidden" in attrs
            or (bool(lang) and lang != self.language and tag != "html")
            or (tag == "option" and self.closed_select and "selected" not in attrs)
        )
        self.stack.append((tag, skipped))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if not self._skipped():
            self.parts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.parts).split())


def read(client: Client, url: str, language: str):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return None
    parser = VisibleText(language)
    parser.feed(response.content.decode())
    return parser


def kind_of(url: str) -> str | None:
    path = urlsplit(url).path
    if not path.startswith("/") or NOT_PAGES.search(path):
        return None
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def crawl(client: Client, language: str, limit: int = 60) -> dict[str, VisibleText]:
    """One page of each kind reachable from the dashboard by links, breadth first."""
    seen: dict[str, VisibleText] = {}
    queue = deque(["/"])
    while queue and len(seen) < limit:
        url = queue.popleft()
        kind = kind_of(url)
        if kind is None or kind in seen:
            continue
        page = read(client, url, language)
        if page is None:
            continue
        seen[kind] = page
        seen[kind].url = url
        queue.extend(link.split("#")[0] for link in page.links if kind_of(link) not in seen)
    return seen


def letters(text: str) -> tuple[int, int]:
    """(Cyrillic, Latin) letters of ``text``."""
    return len(re.findall(r"[\u0400-\u04ff]", text)), len(re.findall(r"[A-Za-z]", text))


def cyrillic_share(text: str) -> float:
    cyrillic, latin = letters(text)
    return cyrillic / max(1, cyrillic + latin)


@pytest.mark.parametrize("username", USERS)
def test_every_page_reads_in_the_readers_language(username):
    user = User.objects.get(username=username)
    client = Client()
    client.force_login(user)
    allowed = {w.lower() for w in LATIN_ALLOWED | {user.username, *user.username.split(".")}}
    problems, shares = [], {}
    for language in LANGUAGES:
        client.post("/i18n/setlang/", {"language": language})
        pages = crawl(client, language)
        assert len(pages) >= 12, sorted(pages)
        cyrillic, latin = map(
            sum, zip(*(letters(page.text) for page in pages.values()), strict=True)
        )
        shares[language] = cyrillic / (cyrillic + latin)
        if shares[language] < SHARE:
            problems.append(f"{language}: {cyrillic / (cyrillic + latin):.1%} over the crawl")
        for kind, page in pages.items():
            share = cyrillic_share(page.text)
            if share < PAGE_FLOOR:
                latin_words = sorted(set(re.findall(r"[A-Za-z]+", page.text)))
                problems.append(f"{language} {page.url} ({kind}): {share:.1%} {latin_words}")
            if language != "ru":
                words = set(re.findall(r"[A-Za-z][A-Za-z'’]+", page.text))
                english = sorted(w for w in words if w.lower() not in allowed)
                if english:
                    problems.append(f"{language} {page.url} ({kind}): {english[:12]}")
    assert not problems, "\n".join(problems)
    print(username, {language: f"{share:.1%}" for language, share in shares.items()})
