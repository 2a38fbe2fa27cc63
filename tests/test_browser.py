"""A newcomer's first five minutes, in a real headless Chromium (Debian's, driven by Playwright) against a live
server with the seed archive: home, search "extremism", narrow by speaker, a quotation's page, its article with
the quote highlighted, a document it refers to with the quote listed. Each step is screenshotted under
test-artifacts/browser/, and axe-core (from tests/browser/node_modules, `npm ci` there) checks each page type for
serious or critical accessibility violations.

Skips when Chromium, Playwright or axe-core is missing, unless ARCHIVE_REQUIRE_BROWSER=1 (CI), then fails.
"""

import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts" / "browser"
AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SERIOUS = {"serious", "critical"}
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))
  }));
}"""


def require(condition: bool, missing: str):
    if condition:
        return
    if os.environ.get("ARCHIVE_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{missing} is required (ARCHIVE_REQUIRE_BROWSER=1) but missing")
    pytest.skip(f"{missing} is missing")


@pytest.fixture
def playwright_api():
    try:
        import playwright.sync_api as playwright
    except ImportError:
        playwright = None
    require(playwright is not None, "the playwright package (pip install -e '.[test]')")
    require(Path(CHROMIUM).exists(), f"Chromium at {CHROMIUM} (apt-get install chromium)")
    require(AXE.exists(), f"axe-core at {AXE.relative_to(ROOT)} (cd tests/browser && npm ci)")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return playwright


@pytest.fixture
def archive_server(transactional_db, live_server, search_index):
    """The live server with the seed archive loaded and its search index built, as `serve` would have it."""
    call_command("loaddata", str(ROOT / "fixtures" / "seed_archive.json"), verbosity=0)
    call_command("rebuild_index", interactive=False, verbosity=0)
    return live_server.url


class Journey:
    """One browser page, with screenshots, accessibility checks and a record of broken requests."""

    def __init__(self, page):
        self.page = page
        self.problems: list[str] = []
        self.step = 0
        self.axe_source = AXE.read_text()
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        page.on("response", self.note_failure)

    def note_failure(self, response):
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            self.problems.append(f"{response.status} {response.url}")

    def shot(self, name: str):
        self.step += 1
        self.page.screenshot(path=str(ARTIFACTS / f"{self.step:02d}-{name}.png"), full_page=True)

    def check_accessibility(self, name: str):
        self.page.evaluate(self.axe_source)  # evaluated by the driver, so the page's CSP does not apply
        violations = [v for v in self.page.evaluate(RUN_AXE) if v["impact"] in SERIOUS]
        assert not violations, f"{name}: {violations}"


def test_a_newcomers_journey_through_the_archive(playwright_api, archive_server):
    """A newcomer searches, narrows by speaker, reads a quotation, sees it highlighted in its article and listed on
    the document it refers to; every page on the way passes axe-core with no serious or critical violation."""
    with playwright_api.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.set_default_timeout(15_000)
            journey = Journey(page)

            # 1. Home: the latest article and a search box.
            page.goto(archive_server + "/")
            assert page.get_by_role("heading", level=1).is_visible()
            assert page.get_by_role("link", name=re.compile("The threat of extremism must be removed")).count() >= 1
            journey.shot("home")
            journey.check_accessibility("home")

            # 2. Search "extremism" from the home page's search box.
            page.get_by_label("Search the quotations").fill("extremism")
            page.get_by_label("Search the quotations").press("Enter")
            page.wait_for_url(re.compile(r"/search/\?q=extremism"))
            results = page.locator(".search-results .result")
            assert results.count() > 0
            journey.shot("search-extremism")
            journey.check_accessibility("search")

            # 3. Narrow the results to one speaker.
            page.locator(".facets").get_by_role("link", name=re.compile("Rashid Alimov")).first.click()
            page.wait_for_url(re.compile(r"speaker=rashid-alimov"))
            assert page.locator(".search-results .result").count() > 0
            journey.shot("search-by-speaker")

            # 4. Open the first quotation's own page.
            page.locator(".search-results .result").first.locator("a.hit-link").click()
            page.wait_for_url(re.compile(r"/quotations/\d+/$"))
            quotation_id = re.search(r"/quotations/(\d+)/$", page.url).group(1)
            quote = page.locator("figure.quotation.big blockquote p").inner_text().strip("“”, ")
            assert "extrem" in quote.lower()
            assert page.get_by_label("Permanent link").input_value() == page.url
            assert page.get_by_role("button", name="Copy link").is_visible()  # the script ran under the CSP
            documents = page.locator(".facts dd ul a").all_inner_texts()
            assert documents, "the seed's quotations about extremism refer to documents"
            journey.shot("quotation")
            journey.check_accessibility("quotation")

            # 5. Its article, with the quotation highlighted where it stands.
            page.get_by_role("link", name="Read it in the whole article").click()
            page.wait_for_url(re.compile(rf"/articles/[^/]+/#q-{quotation_id}$"))
            mark = page.locator(f"mark#q-{quotation_id}")
            assert mark.is_visible() and quote[:40] in mark.inner_text()
            assert page.locator(".article-body mark").count() == 13
            journey.shot("article-highlighted")
            journey.check_accessibility("article")

            # 6. A document the quotation refers to, with the quotation listed there.
            page.locator(".related").get_by_role("link", name=documents[0], exact=True).click()
            page.wait_for_url(re.compile(r"/documents/[^/]+/$"))
            assert page.get_by_role("heading", level=1).inner_text() == documents[0]
            assert page.locator(f'figure.quotation a[href="/quotations/{quotation_id}/"]').count() == 1
            journey.shot("document")
            journey.check_accessibility("document")

            # 7. The speaker's page, through the quotation's speaker link.
            page.locator(f'figure.quotation:has(a[href="/quotations/{quotation_id}/"]) .who a').click()
            page.wait_for_url(re.compile(r"/speakers/rashid-alimov/$"))
            assert page.locator("svg[role='img'] title").first.text_content().startswith("Statements by Rashid Alimov")
            journey.shot("speaker")
            journey.check_accessibility("speaker")

            # On a phone the same pages reflow to one column with nothing wider than the screen.
            page.set_viewport_size({"width": 390, "height": 844})
            for path, name in [(f"/quotations/{quotation_id}/", "phone-quotation"), ("/", "phone-home")]:
                page.goto(archive_server + path)
                assert page.evaluate("document.documentElement.scrollWidth") <= 390, name
                journey.shot(name)

            assert not journey.problems, journey.problems
        finally:
            browser.close()


def test_pages_work_without_javascript(playwright_api, archive_server):
    """With JavaScript off, the quotation page still shows its link as selectable text and hides the copy button."""
    with playwright_api.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_context(java_script_enabled=False).new_page()
            page.goto(archive_server + "/quotations/1/")
            assert page.get_by_label("Permanent link").input_value() == archive_server + "/quotations/1/"
            assert not page.get_by_role("button", name="Copy link").is_visible()
            page.get_by_role("link", name="Read it in the whole article").click()
            assert page.locator("mark#q-1").is_visible()
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "no-js-article.png"))
        finally:
            browser.close()
