"""Browser tests drive Debian's Chromium (never a downloaded browser) with Playwright
against pytest-django's live server.

Every test under ``tests/browser/`` carries the ``browser`` marker, so
``pytest -m "not browser"`` runs the rest of the suite without a browser.
"""

import os
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect, sync_playwright

from council.models import User

from ..demo_snapshot import demo_in_committed_database

# Playwright's sync API runs an event loop in this thread; Django must allow ORM calls here
# (the test's own queries, and the live server's, while the page is driven).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
BROWSER_DIR = Path(__file__).resolve().parent

# A flow that is the same at every width runs at a phone's (390 px, where the layout is
# tightest); ``BROWSER_DESKTOP=1`` adds a laptop's (1366 px) for its screenshots. Every
# page's desk layout is walked by test_roles_walk either way.
PHONE = 390
FLOW_WIDTHS = [PHONE, 1366] if os.environ.get("BROWSER_DESKTOP") else [PHONE]


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "browser: drives Debian's Chromium with Playwright against the live server"
    )


def _in_browser_dir(item) -> bool:
    return BROWSER_DIR in Path(item.path).resolve().parents


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    browser_items = [item for item in items if _in_browser_dir(item)]
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
    if os.path.exists(CHROMIUM):
        return
    if os.environ.get("CI"):
        raise pytest.UsageError("CI must run the browser tests: install Debian's chromium")
    skip = pytest.mark.skip(reason=f"needs Debian's Chromium at {CHROMIUM}")
    for item in browser_items:
        item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def demo_site(live_server, tmp_path_factory):
    """The demo data set behind a live server (copied back after the first load, see
    ``tests/demo_snapshot.py``)."""
    demo_in_committed_database(tmp_path_factory.getbasetemp() / "demo-media-kept")
    return live_server


@pytest.fixture
def sign_in(browser, live_server):
    """Open a fresh browser context and log in; returns the page on the dashboard."""
    contexts = []

    def login(username: str, password: str, language: str = "en"):
        # The demo's people sign in to Russian; these flows are written from the English
        # interface and switch as a user would, so the person starts in ``language``.
        User.objects.filter(username=username).update(language=language)
        context = browser.new_context(accept_downloads=True)
        contexts.append(context)
        page = context.new_page()
        page.goto(live_server.url + reverse("login"))
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
        return page

    yield login
    for context in contexts:
        context.close()
