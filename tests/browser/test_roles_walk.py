"""Every role's main pages, in Russian, on a desk (1366 px) and on a phone (390 px).

On every page: nothing scrolls sideways on the phone, the navigation holds one line on
the desk and folds behind its toggler on the phone. A screenshot of each page is kept in
tests/browser/screenshots/<role>-<page>-<width>.png (not committed) for a person to look at.

The demo is loaded once; each role and width gets one browser context.
"""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from council.models import Commitment, Indicator, Review, Session, User
from council.policies import policy_for

from ..test_i18n import compiled_catalogues

pytestmark = [pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
ROLES = {
    "secretariat": "secretariat-demo-2026",
    "focal": "focal-demo-2026",
    "manager": "manager-demo-2026",
}
SIZES = {1366: 800, 390: 844}

# Whatever sticks out to the right of the viewport, named for the failure message.
OVERFLOW = """() => {
  const width = window.innerWidth;
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 1) {
      let inside = false;
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        const style = getComputedStyle(p);
        if (style.overflowX !== 'visible' && p.getBoundingClientRect().right <= width + 1) {
          inside = true;
          break;
        }
      }
      if (!inside) out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
        + (typeof el.className === 'string' && el.className
           ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
        + ' right=' + Math.round(box.right));
    }
  }
  return {scroll: document.documentElement.scrollWidth, width, out: out.slice(0, 5)};
}"""

# The tops of the navigation's pieces: one line when they all sit at about the same height.
NAV_ROWS = """() => {
  const nav = document.querySelector('.app-navbar');
  const items = nav.querySelectorAll(
    '.navbar-brand, .nav-link, [data-language-switcher] select, [data-language-switcher] button');
  const centres = [...items].filter(e => e.getBoundingClientRect().width).map(e => {
    const b = e.getBoundingClientRect();
    return Math.round(b.top + b.height / 2);
  });
  const edge = nav.querySelector('.container-xl').getBoundingClientRect().right;
  const right = Math.max(...[...items].map(e => e.getBoundingClientRect().right));
  const past = [...items].filter(e => e.getBoundingClientRect().right > edge)
    .map(e => e.textContent.trim() + ' right=' + Math.round(e.getBoundingClientRect().right));
  return {spread: Math.max(...centres) - Math.min(...centres), count: centres.length,
          beyond: Math.round(right - edge), past};
}"""

# The smallest chart text as drawn, in CSS pixels (the SVG scales with its viewBox).
CHART_TEXT = """() => {
  const sizes = [...document.querySelectorAll('svg.chart')].flatMap(svg => {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    return [...svg.querySelectorAll('text')]
      .map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
  });
  return sizes.length ? Math.min(...sizes) : null;
}"""


def pages_for(username: str) -> dict[str, str]:
    """The addresses of a role's main pages in the demo."""
    user = User.objects.get(username=username)
    policy = policy_for(user)
    commitment = (
        policy.my_commitments().order_by("pk").first()
        or policy.visible_commitments().order_by("pk").first()
    )
    council = commitment.session.council
    session = (
        Session.objects.filter(
            pk__in=Review.objects.filter(commitment__in=policy.visible_commitments()).values(
                "session"
            )
        )
        .order_by("-start_date")
        .first()
    )
    assert session is not None, "the demo has a session reviewing earlier commitments"
    indicator = Indicator.objects.filter(council=council).order_by("pk").first()
    extra = (
        {"indicator": reverse("council:indicator-detail", args=[indicator.pk])} if indicator else {}
    )
    return extra | {
        "dashboard": reverse("council:dashboard"),
        "commitments": reverse("council:commitment-list"),
        "commitment": reverse("council:commitment-detail", args=[commitment.pk]),
        "session": reverse("council:session-detail", args=[session.pk]),
        "review": reverse("council:session-review", args=[session.pk]),
        "reports": reverse("council:report-dashboard"),
        "council": reverse("council:council-detail", args=[council.pk]),
        "councils": reverse("council:council-list"),
        "protocol": reverse("council:protocol-detail", args=[session.pk]),
        "indicators": reverse("council:indicator-list", args=[council.pk]),
        "notifications": reverse("council:notification-list"),
        "profile": reverse("council:profile"),
    }


def test_every_role_walks_its_pages_in_russian_on_desk_and_phone(demo_site, browser):
    compiled_catalogues()
    SCREENSHOTS.mkdir(exist_ok=True)
    User.objects.filter(username__in=ROLES).update(language="ru")  # sign-in brings it
    assert Commitment.objects.exists()
    defects = []
    for username, password in ROLES.items():
        addresses = pages_for(username)
        for width, height in SIZES.items():
            context = browser.new_context(
                viewport={"width": width, "height": height}, locale="ru-RU"
            )
            try:
                page = context.new_page()
                page.goto(demo_site.url + reverse("login"))
                page.locator("#id_username").fill(username)
                page.locator("#id_password").fill(password)
                page.locator("#id_password").press("Enter")
                expect(page.get_by_role("heading", name="Панель")).to_be_visible()
                for name, address in addresses.items():
                    where = f"{username} {name} {width}px"
                    response = page.goto(demo_site.url + address)
                    assert response.ok, f"{where}: {response.status}"
                    expect(page.locator("html")).to_have_attribute("lang", "ru")
                    page.screenshot(
                        path=SCREENSHOTS / f"{username}-{name}-{width}.png", full_page=True
                    )
                    overflow = page.evaluate(OVERFLOW)
                    if overflow["scroll"] > overflow["width"]:
                        defects.append(f"{where}: scrolls sideways {overflow}")
                    if name in ("reports", "council") and width < 576:
                        smallest = page.evaluate(CHART_TEXT)
                        if smallest is not None and smallest < 12:
                            defects.append(f"{where}: chart text {smallest:.1f} px")
                    if width >= 1200:
                        rows = page.evaluate(NAV_ROWS)
                        if rows["spread"] > 12 or rows["beyond"] > 0:
                            defects.append(f"{where}: navigation wraps {rows}")
                    else:
                        toggler = page.locator(".navbar-toggler")
                        if not toggler.is_visible() or page.locator("#main-nav").is_visible():
                            defects.append(f"{where}: navigation not folded behind its button")
                # On the phone the folded navigation opens from its button, whole.
                if width < 992:
                    page.locator(".navbar-toggler").click()
                    page.wait_for_selector("#main-nav.show:not(.collapsing)")
                    expect(page.locator("#main-nav")).to_be_visible()
                    expect(
                        page.locator("#main-nav").get_by_role("link", name="Уведомления")
                    ).to_be_visible()
                    overflow = page.evaluate(OVERFLOW)
                    if overflow["scroll"] > overflow["width"]:
                        defects.append(f"{username} open menu {width}px: {overflow}")
                    page.screenshot(path=SCREENSHOTS / f"{username}-menu-{width}.png")
            finally:
                context.close()
    assert not defects, "\n".join(defects)


def test_language_picker_names_each_language_in_itself(demo_site, browser):
    """Signed out, then as the administrator (the longest navigation) in each language."""
    compiled_catalogues()
    SCREENSHOTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1366, "height": 800})
    try:
        page = context.new_page()
        page.goto(demo_site.url + reverse("login"))
        options = page.locator("#language-select option")
        assert options.all_inner_texts() == ["English", "Русский", "Қазақша", "Кыргызча"]
        assert options.evaluate_all("os => os.map(o => o.lang)") == ["en", "ru", "kk", "ky"]
        page.locator("#id_username").fill("admin")
        page.locator("#id_password").fill("admin-demo-2026")
        page.locator("#id_password").press("Enter")
        # The demo's people sign in to the council's working language.
        expect(page.locator("html")).to_have_attribute("lang", "ru")
        for code in ("kk", "ky", "ru", "en"):
            page.locator("#language-select").select_option(code)
            page.locator("[data-language-switcher] button").click()
            expect(page.locator("html")).to_have_attribute("lang", code)
            # The closed picker shows the whole name: the select is wide enough for it.
            fits = page.locator("#language-select").evaluate(
                "s => { const c = document.createElement('canvas').getContext('2d');"
                " const st = getComputedStyle(s); c.font = st.font;"
                " const text = c.measureText(s.options[s.selectedIndex].text).width;"
                " return s.clientWidth - parseFloat(st.paddingLeft)"
                " - parseFloat(st.paddingRight) >= text; }"
            )
            assert fits, f"the picker cuts the name of {code}"
            page.screenshot(path=SCREENSHOTS / f"admin-nav-{code}-1366.png")
            rows = page.evaluate(NAV_ROWS)
            assert rows["spread"] <= 12, f"the navigation wraps in {code}: {rows}"
            assert rows["beyond"] <= 0, f"the navigation runs off the page in {code}: {rows}"
    finally:
        context.close()


def test_review_on_a_phone_is_one_card_per_commitment_with_its_decision(demo_site, browser):
    """At 390 px each commitment is a card, its cells named; the decision is recorded from
    the card and the card swapped in place, as on the desk."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        session = Session.objects.get(number=13, council__name_en__startswith="Kazakhstan")
        User.objects.filter(username="secretariat").update(language="en")  # an English reader
        page.goto(demo_site.url + reverse("login"))
        page.locator("#id_username").fill("secretariat")
        page.locator("#id_password").fill("secretariat-demo-2026")
        page.locator("#id_password").press("Enter")
        expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
        page.goto(demo_site.url + reverse("council:session-review", args=[session.pk]))

        card = page.locator("tr", has_text="Обмен гидрологическими данными")
        box = card.bounding_box()
        assert box["width"] <= 390 - 2 * 12 + 1, box  # the card fits the screen
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        expect(page.locator("thead").first).to_be_hidden()
        # Each cell says what it is: the column names stand above the values.
        label = card.locator("td[data-label]").first.evaluate(
            "td => getComputedStyle(td, '::before').content"
        )
        assert label == '"Responsible"'
        decision = card.get_by_label("Decision", exact=True)
        expect(decision).to_be_visible()
        assert decision.bounding_box()["width"] > 250  # the whole card wide, easy to tap
        decision.select_option("extend")
        card.get_by_label("New deadline (if extended)").fill("2027-06-30")
        card.get_by_role("button", name="Record decision").click()
        decided = page.locator("tr", has_text="Обмен гидрологическими данными")
        expect(decided).to_contain_text("Deadline extended")
        expect(decided).to_be_visible()  # the swapped row, laid out
        assert decided.bounding_box()["width"] <= 390 - 2 * 12 + 1
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=SCREENSHOTS / "secretariat-review-decided-390.png", full_page=True)
        # No request of the page may still be running in the live server when the test's
        # database is flushed (its lock met the flush's: a deadlock on PostgreSQL).
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
