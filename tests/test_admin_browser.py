"""The admin in a real browser (Debian's Chromium, driven by Playwright) under the Content-Security-Policy: its
scripts run, and the browser reports no blocked script, style or resource."""

import os
import shutil

import pytest

from tests.factories import make_organisation

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PASSWORD = "a-long-passphrase"
# Flags for a headless Chromium on a machine with no outside network (see the machine notes): as root it needs
# --no-sandbox, and without the background-networking flags it keeps trying to reach Google's hosts.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Runs before any page script and is itself exempt from the page's CSP: it records every violation report.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
});
"""


def browser_or_skip():
    """Playwright's sync API, if it and Chromium are here; else skip, or fail when CI says a browser is required."""
    try:
        import playwright.sync_api as playwright
    except ImportError:
        playwright = None
    if playwright is None or not CHROMIUM:
        missing = "Chromium" if playwright else "the playwright package"
        if os.environ.get("ARCHIVE_REQUIRE_BROWSER"):
            pytest.fail(f"{missing} is required (ARCHIVE_REQUIRE_BROWSER is set) but was not found")
        pytest.skip(f"{missing} is not installed")
    return playwright


@pytest.fixture
def browser_page(live_server):
    """A fresh Chromium page that records CSP violations and console errors as it goes."""
    playwright = browser_or_skip()
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page()
        page.set_default_timeout(10_000)
        page.add_init_script(RECORD_VIOLATIONS)
        page.errors = []
        # Script errors, and failed requests other than the favicon browsers ask for on their own.
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.on(
            "response",
            lambda response: (
                response.status >= 400
                and not response.url.endswith("/favicon.ico")
                and page.errors.append(f"{response.status} {response.url}")
            ),
        )
        try:
            yield page
        finally:
            browser.close()


def violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations")


@pytest.mark.django_db(transaction=True)
def test_the_admin_article_form_runs_its_scripts_under_the_csp(live_server, django_user_model, request):
    """Logged in through the form, the add-article page's scripts (slug, autocomplete, inlines, calendar) all work
    with the CSP in force, and the browser blocks nothing."""
    django_user_model.objects.create_superuser("chief", "chief@example.org", PASSWORD)
    make_organisation("Shanghai Cooperation Organisation", "SCO")
    page = request.getfixturevalue("browser_page")

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "chief")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")

    page.goto(f"{live_server.url}/admin/archive/article/add/")
    # prepopulate.js fills the slug from the title as it is typed.
    page.locator("#id_title").press_sequentially("SCO Secretary-General on extremism")
    assert page.input_value("#id_slug") == "sco-secretary-general-on-extremism"
    # DateTimeShortcuts.js adds the "Today" link; clicking it fills the date.
    page.click("#id_published_at_0 ~ .datetimeshortcuts a:first-child")
    assert page.input_value("#id_published_at_0")
    # inlines.js adds the "Add another" row link; autocomplete.js turns the selects into select2 searches.
    page.click("#quotations-group .add-row a")
    assert page.locator("#quotations-group .inline-related:not(.empty-form)").count() == 1
    page.click("#id_publisher + .select2")
    page.fill(".select2-search__field", "SCO")
    page.wait_for_selector(".select2-results__option:has-text('Shanghai Cooperation Organisation')")

    assert violations(page) == []
    assert page.errors == []


@pytest.mark.django_db(transaction=True)
def test_the_public_home_page_loads_with_nothing_blocked(live_server, request):
    """A reader's first page renders in the browser with its stylesheet and nothing blocked by the CSP, while an
    inline script injected into it is refused."""
    page = request.getfixturevalue("browser_page")
    page.goto(live_server.url + "/")
    assert page.evaluate("document.styleSheets.length") >= 1
    assert violations(page) == [] and page.errors == []

    # What an injected inline script would meet: the browser refuses it and reports the violation.
    page.evaluate(
        """() => { const script = document.createElement("script");
                   script.textContent = "window.injectedRan = true"; document.body.append(script); }"""
    )
    page.wait_for_function("window.__cspViolations.length > 0")
    assert page.evaluate("window.injectedRan") is None
    assert violations(page) == ["script-src-elem blocked inline"]
