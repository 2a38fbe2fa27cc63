"""Every page kind at a desktop and a phone width, in the light and the dark colour scheme, in real Chromium: a
screenshot of each under test-artifacts/gallery/, axe-core with no serious or critical violation, no request that
fails or leaves the site's own origin, nothing wider than the phone's screen; and the bytes each page kind costs
(HTML, CSS, images; test-artifacts/gallery/weights.txt), reported, not asserted.
"""

import pytest

from tests.test_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, Journey, archive_server, playwright_api  # noqa: F401

GALLERY = ARTIFACTS.parent / "gallery"
PAGE_KINDS = {
    "home": "/",
    "search": "/search/?q=extremism",
    "quotation": "/quotations/3/",
    "article": "/articles/sco-secretary-general-the-threat-of-extremism-must-be-removed-without-delay/",
    "speaker": "/speakers/rashid-alimov/",
    "organisation": "/organisations/sco/",
    "document": "/documents/shanghai-convention/",
    "speakers-a-z": "/speakers/",
    "documents-list": "/documents/",
}
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


@pytest.mark.slow
def test_every_page_kind_at_two_widths_in_light_and_dark(playwright_api, archive_server):  # noqa: F811
    """Each page kind renders at 1280 and 390 px in light and dark with no serious accessibility violation, no
    broken or foreign request and no sideways scrolling on a phone."""
    GALLERY.mkdir(parents=True, exist_ok=True)
    weights: dict[str, int] = {}
    with playwright_api.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            for scheme in ("light", "dark"):
                for width_name, (width, height) in WIDTHS.items():
                    context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
                    page = context.new_page()
                    journey = Journey(page)
                    foreign: list[str] = []
                    received: dict[str, int] = {}
                    page.on("request", lambda r, out=foreign: r.url.startswith(archive_server) or out.append(r.url))
                    page.on("response", lambda r, got=received: got.__setitem__(r.url, len(r.body()) if r.ok else 0))
                    for kind, path in PAGE_KINDS.items():
                        received.clear()
                        page.goto(archive_server + path)
                        page.wait_for_load_state("networkidle")
                        page.screenshot(path=str(GALLERY / f"{width_name}-{scheme}-{kind}.png"), full_page=True)
                        journey.check_accessibility(f"{kind} ({width_name}, {scheme})")
                        if width_name == "phone":
                            assert page.evaluate("document.documentElement.scrollWidth") <= width, kind
                        weights[kind] = sum(received.values())
                    assert not foreign, foreign
                    assert not journey.problems, journey.problems
                    context.close()
        finally:
            browser.close()
    report = "\n".join(f"{kind:16} {size:>9,} bytes" for kind, size in weights.items())
    (GALLERY / "weights.txt").write_text(report + "\n")
    print("\npage weight (HTML + CSS + images, first load)\n" + report)
