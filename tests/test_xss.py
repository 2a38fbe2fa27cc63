"""Hostile HTML through every way in, and a real browser proving that none of it runs on any public page.

tests/xss_payloads.txt holds the project's payloads. They go in through the admin (article titles, bodies, places
and sources; quotation text also present in the body; speaker names, aliases and role titles; organisation names;
document titles, aliases and descriptions), through import files of each format (.txt, .json, .html), and through
every search parameter. Then headless Chromium (Debian's, driven by Playwright) visits every public page type that
shows them, with the Content-Security-Policy *bypassed*, so what is proved is the escaping and sanitising itself,
not the CSP that would otherwise stop inline script as a second line of defence. On each page: no dialog opened,
window.__xss unset, no element with id="xss-marker", no inline event handler, no javascript:/data: URL, no <base>,
<meta http-equiv>, frame, object or inline script from the content, and the browser stayed on the page. Feeds are
XML: they are parsed, and their titles must read back exactly as stored. The stored body HTML is checked too.

Payloads are batched: several per record, and each page is visited once.
"""

import html
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from archive.models import Article, Document, Organisation, Person, Quotation
from tests.test_browser import CHROMIUM, CHROMIUM_ARGS, require

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PAYLOAD_FILE = Path(__file__).resolve().parent / "xss_payloads.txt"
NAME_LIMIT = 190  # names are at most 200 characters


def load_payloads() -> list[str]:
    payloads = []
    for line in PAYLOAD_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            payloads.append(line.replace("\\n", "\n").replace("\\t", "\t").replace("\\r", "\r"))
    return payloads


PAYLOADS = load_payloads()


def chunks(payloads: list[str], limit: int = NAME_LIMIT) -> list[list[str]]:
    """The payloads in groups whose joined length stays within `limit` (one payload per group if longer)."""
    groups, current = [], []
    for payload in payloads:
        if current and len(" ".join([*current, payload])) > limit:
            groups.append(current)
            current = []
        current.append(payload)
    if current:
        groups.append(current)
    return groups


GROUPS = chunks(PAYLOADS)


def folded(text: str) -> str:
    return " ".join(text.split())


def body_for(group: list[str]) -> str:
    """Raw payloads (for the sanitiser) and the same payloads as text (quoted, so they stand in the plain text)."""
    raw = "\n".join(group)
    as_text = html.escape(folded(" ".join(group)), quote=False)
    # The quoted paragraph first: a raw payload may open a comment or a raw-text element that swallows the rest.
    return f"<p>“{as_text}” the envoy said.</p>\n{raw}\n<p>Closing paragraph.</p>"


# --- Putting the payloads in ------------------------------------------------------------------------------------


def admin_post(client, url: str, data: dict) -> object:
    """POST an admin add form, filling the management form of every inline it has; expects a redirect."""
    page = client.get(url).content.decode()
    for prefix in re.findall(r'name="([\w-]+)-TOTAL_FORMS"', page):
        data.setdefault(f"{prefix}-TOTAL_FORMS", "0")
        data.setdefault(f"{prefix}-INITIAL_FORMS", "0")
        data.setdefault(f"{prefix}-MIN_NUM_FORMS", "0")
        data.setdefault(f"{prefix}-MAX_NUM_FORMS", "1000")
    response = client.post(url, data)
    errors = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.content.decode(), re.S)
    assert response.status_code == 302, f"{url}: {errors[:5]}"
    return response


def add_through_admin(client) -> dict[str, list]:
    """One organisation, person (with a role), document and article (with a quotation) per group of payloads."""
    made = {"articles": [], "people": [], "organisations": [], "documents": []}
    for i, group in enumerate(GROUPS):
        text = " ".join(group)
        admin_post(
            client,
            reverse("admin:archive_organisation_add"),
            {"name": text, "short_name": "", "slug": f"xss-org-{i}", "kind": "igo", "description": text},
        )
        organisation = Organisation.objects.get(slug=f"xss-org-{i}")
        admin_post(
            client,
            reverse("admin:archive_person_add"),
            {
                "name": text,
                "slug": f"xss-person-{i}",
                "aliases": "\n".join(group),
                "description": text,
                "roles-TOTAL_FORMS": "1",
                "roles-0-organisation": str(organisation.pk),
                "roles-0-title": text,
                "roles-0-start": "2010-01-01",
            },
        )
        person = Person.objects.get(slug=f"xss-person-{i}")
        admin_post(
            client,
            reverse("admin:archive_document_add"),
            {
                "title": text,
                "short_title": "",
                "slug": f"xss-doc-{i}",
                "aliases": "\n".join(group),
                "kind": "treaty",
                "adopted_on": "2017-06-09",
                "place": text[:120],
                "adopting_organisations": [str(organisation.pk)],
                "description": text,
            },
        )
        document = Document.objects.get(slug=f"xss-doc-{i}")
        admin_post(
            client,
            reverse("admin:archive_article_add"),
            {
                "title": text,
                "slug": f"xss-article-{i}",
                "status": "published",
                "published_at_0": f"2017-06-{1 + i % 28:02d}",
                "published_at_1": "10:00:00",
                "publisher": str(organisation.pk),
                "language": "en",
                "place": text[:120],
                "source_name": text,
                "source_url": "",
                "body_html": body_for(group),
                "organisations": [str(organisation.pk)],
                "quotations-TOTAL_FORMS": "1",
                "quotations-0-speaker": str(person.pk),
                "quotations-0-text": folded(text),
                "quotations-0-speech": "direct",
                "quotations-0-review": "confirmed",
                "quotations-0-referenced_documents": [str(document.pk)],
            },
        )
        made["articles"].append(Article.objects.get(slug=f"xss-article-{i}"))
        made["people"].append(person)
        made["organisations"].append(organisation)
        made["documents"].append(document)
    return made


def write_import_files(folder: Path) -> None:
    """The payloads in one file of each format the importer reads."""
    folder.mkdir()
    paragraphs = "\n\n".join(PAYLOADS)
    title = "Imported text " + " ".join(GROUPS[0])
    (folder / "hostile.txt").write_text(f"{title}\n14.06.2017 09:00\n\n{paragraphs}\n", encoding="utf-8")

    from archive.sanitize import sanitize_text

    # Two JSON articles: every payload in the body of each, and a quotation, speaker, publisher, organisation and
    # treaty named by payloads (the importer keeps names and quotation text as plain text).
    items = []
    for i, group in enumerate((PAYLOADS[: len(PAYLOADS) // 2], PAYLOADS[len(PAYLOADS) // 2 :])):
        text = " ".join(group)
        stored_quote = text  # what the importer keeps of a quotation's text: sanitize_text of what the file says
        while folded(sanitize_text(stored_quote)) != stored_quote:
            stored_quote = folded(sanitize_text(stored_quote))
        body = f"<p>{html.escape(stored_quote, quote=False)}</p>\n" + body_for(PAYLOADS)
        items.append(
            {
                "title": f"JSON article {i}: {text}"[:300],
                "slug": f"xss-json-{i}",
                "published_at": "2017-06-20T10:00:00",
                "body_html": body,
                "publisher": f"JSON publisher {text}"[:200],
                "organisations": [f"JSON organisation {text}"[:200]],
                "place": text,
                "source_name": text,
                "quotations": [
                    {
                        "text": stored_quote,
                        "speaker": f"JSON speaker {text}"[:200],
                        "documents": [f"JSON treaty {text}"[:200]],
                    }
                ],
            }
        )
    (folder / "hostile.json").write_text(json.dumps(items), encoding="utf-8")

    normal = "".join(
        f"<p>The ministers of the member states met in Astana on the {n}th day and discussed regional security, "
        "trade and the fight against extremism at length, in a long and detailed session.</p>"
        for n in range(6)
    )
    page = (
        f"<!DOCTYPE html><html lang=en><head><title>{' '.join(GROUPS[1])}</title>"
        '<meta property="article:published_time" content="2017-06-21T10:00:00+00:00">'
        f'<meta property="og:site_name" content="{html.escape(" ".join(GROUPS[2]))}">'
        f"</head><body><article><h1>Hostile page</h1>{normal}{''.join(f'<p>{p}</p>' for p in PAYLOADS)}"
        f"{normal}</article></body></html>"
    )
    (folder / "hostile.html").write_text(page, encoding="utf-8")


def import_files(folder: Path) -> str:
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("import_articles", str(folder), "--confirm", stdout=out, stderr=err)
    except CommandError as error:
        raise AssertionError(f"{error}\n{out.getvalue()}\n{err.getvalue()}") from error
    return out.getvalue()


# --- Checking what came out ---------------------------------------------------------------------------------------


class Markup(HTMLParser):
    """Tags and attributes of stored HTML, as a browser would parse them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


UNSAFE_TAGS = {"script", "style", "iframe", "object", "embed", "base", "meta", "link", "svg", "math", "form", "input",
               "button", "img", "video", "audio", "source", "template", "noscript", "details", "marquee"}  # fmt: skip


def unsafe_parts(stored_html: str) -> list[str]:
    parser = Markup()
    parser.feed(stored_html)
    problems = []
    for tag, attrs in parser.tags:
        if tag in UNSAFE_TAGS:
            problems.append(f"<{tag}>")
        for name, value in attrs:
            squeezed = re.sub(r"[\s\x00-\x20]", "", (value or "")).lower()
            if name.startswith("on") or name in {"style", "srcdoc", "formaction"}:
                problems.append(f"{tag} {name}=")
            if squeezed.startswith(("javascript:", "data:", "vbscript:")):
                problems.append(f"{tag} {name}={value!r}")
    return problems


CHECK_PAGE = """() => {
  const found = [];
  if (window.__xss !== undefined) found.push("window.__xss is set");
  if (document.getElementById("xss-marker")) found.push("an element with id=xss-marker");
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      if (attr.name.toLowerCase().startsWith("on")) found.push(`${el.tagName} ${attr.name}=`);
      if (["href", "src", "action", "formaction", "data", "xlink:href"].includes(attr.name.toLowerCase())) {
        const url = attr.value.replace(/[\\s\\u0000-\\u0020]/g, "").toLowerCase();
        if (url.startsWith("javascript:") || url.startsWith("data:") || url.startsWith("vbscript:"))
          found.push(`${el.tagName} ${attr.name}=${attr.value}`);
      }
    }
  }
  for (const el of document.querySelectorAll("base, meta[http-equiv], iframe, frame, object, embed, template"))
    found.push(`<${el.tagName.toLowerCase()}>`);
  for (const script of document.scripts)
    if (!script.src || new URL(script.src).origin !== location.origin) found.push("inline or foreign <script>");
  return found;
}"""


class Visitor:
    """One Chromium page, CSP bypassed, recording dialogs, popups and everything CHECK_PAGE finds."""

    def __init__(self, browser):
        self.context = browser.new_context(bypass_csp=True)
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.problems: list[str] = []
        self.visited = 0
        self.page.on("dialog", self.on_dialog)
        self.context.on("page", lambda page: self.problems.append(f"a new window opened: {page.url}"))

    def on_dialog(self, dialog):
        self.problems.append(f"{dialog.type} dialog: {dialog.message!r} on {self.page.url}")
        dialog.dismiss()

    def check(self, where: str):
        # By the load event, onerror/onload/onfocus/ontoggle handlers that survived have fired (a dialog is caught
        # as it opens); handlers that need a user (hover, click) are found as attributes by CHECK_PAGE.
        self.problems += [f"{where}: {problem}" for problem in self.page.evaluate(CHECK_PAGE)]
        if len(self.page.frames) != 1:
            self.problems.append(f"{where}: {len(self.page.frames) - 1} frame(s) in the page")

    def visit(self, url: str, expect_status=(200,)):
        response = self.page.goto(url, wait_until="load")
        self.visited += 1
        if response is None or response.status not in expect_status:
            self.problems.append(f"{url}: HTTP {response.status if response else 'no response'}")
        self.check(url)
        if self.page.url.split("#")[0] != url.split("#")[0]:
            self.problems.append(f"{url}: the browser was sent on to {self.page.url}")


def feed_titles(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    root = ET.fromstring(response.content)  # well-formed XML, whatever the titles hold
    assert not [el for el in root.iter() if el.tag.rsplit("}", 1)[-1] in ("script", "img", "svg", "iframe")]
    return [el.text or "" for el in root.iter("{http://www.w3.org/2005/Atom}title")]


def test_no_payload_runs_on_any_public_page_in_a_real_browser(client, django_user_model, live_server, tmp_path):
    """Every payload, through every way in, is shown escaped or removed: in Chromium with the CSP bypassed no
    dialog opens and nothing injected appears on any public page; feeds parse; stored bodies are clean."""
    try:
        import playwright.sync_api as playwright
    except ImportError:
        playwright = None
    require(playwright is not None, "the playwright package (pip install -e '.[test]')")
    require(Path(CHROMIUM).exists(), f"Chromium at {CHROMIUM} (apt-get install chromium)")
    assert len(PAYLOADS) >= 50

    staff = django_user_model.objects.create_superuser("xss-admin", "xss@example.org", "a-long-passphrase")
    client.force_login(staff)
    made = add_through_admin(client)
    write_import_files(tmp_path / "imports")
    imported = import_files(tmp_path / "imports")
    assert imported.count(": created: ") == 4, imported  # the .txt, the .html and both JSON articles
    client.logout()
    call_command("rebuild_index", interactive=False, verbosity=0)

    # The stored HTML of every article, however it came in, holds nothing that can run.
    assert Article.objects.count() == 4 + len(GROUPS)
    stored = {article.slug: unsafe_parts(article.body_html) for article in Article.objects.all()}
    assert {slug: parts for slug, parts in stored.items() if parts} == {}
    # Names and titles are kept as typed (they are text, escaped when shown), so the browser has payloads to meet.
    assert Person.objects.filter(name__contains="<script>").exists()

    base = live_server.url
    articles = list(Article.objects.published())
    quotations = list(Quotation.objects.public())
    assert len(quotations) >= len(GROUPS)
    people = list(Person.objects.public())
    organisations = list(Organisation.objects.public())
    documents = list(Document.objects.public())
    urls = ["/", "/speakers/", "/organisations/", "/documents/", "/archive/", "/archive/2017/", "/archive/2017/06/"]
    urls += [record.get_absolute_url() for record in [*articles, *quotations, *people, *organisations, *documents]]
    urls += [
        "/search/?q=alert",
        "/search/?q=alert&type=articles",
        "/search/?q=alert&type=documents",
        "/search/?q=script+onerror&sort=newest",
        "/search/?q=envoy&speaker=xss-person-0",
        "/search/?q=extremism+alert",  # the imported .html and .txt articles
        "/search/?q=extremsm",  # did-you-mean
    ]
    from urllib.parse import urlencode

    names = ("q", "type", "speaker", "organisation", "document", "year", "language", "speech", "from", "to", "sort")
    for group in GROUPS:
        text = " ".join(group)
        urls.append("/search/?" + urlencode(dict.fromkeys(names, text) | {"page": text}))

    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            visitor = Visitor(browser)
            # The detector itself: a page that does run payloads is caught on every count.
            visitor.page.set_content(
                "<img src=x onerror=alert(1)><b id=xss-marker></b><script>window.__xss=1</script>"
                '<a href="javascript:alert(2)">x</a>'
            )
            visitor.check("self-test")
            caught = " | ".join(visitor.problems)
            for sign in ("alert dialog", "window.__xss", "xss-marker", "IMG onerror=", "javascript:", "<script>"):
                assert sign in caught, f"the detector missed {sign}: {caught}"
            visitor.problems.clear()

            for url in dict.fromkeys(urls):
                visitor.visit(base + url)
        finally:
            browser.close()

    assert visitor.problems == [], "\n".join(visitor.problems[:40])
    assert visitor.visited >= 5 * len(GROUPS)

    # Feeds are XML for feed readers: they must parse, and titles must read back exactly as stored.
    titles = feed_titles(client, "/feeds/articles/")
    assert {a.title for a in Article.objects.published().order_by("-published_at")[:10]} <= set(titles)
    for i in range(len(GROUPS)):
        assert feed_titles(client, f"/feeds/speakers/xss-person-{i}/")
        assert feed_titles(client, f"/feeds/organisations/xss-org-{i}/")
        assert feed_titles(client, f"/feeds/documents/xss-doc-{i}/")
        feed_titles(client, "/feeds/search/?" + urlencode({"q": " ".join(GROUPS[i])}))
    # The JSON API hands payloads back as JSON strings, never as a page a browser would render.
    response = client.get("/api/search/", {"q": "alert"})
    assert response["Content-Type"].startswith("application/json") and json.loads(response.content)
    assert len(made["articles"]) == len(GROUPS)
