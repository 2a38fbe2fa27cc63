"""Reading the archive in several languages: readable slugs in any script and redirects from old ones, lang and
dir attributes on records' text, the interface in English, Russian and Chinese, links between the language
versions of one item, and native language names."""

import datetime
import importlib
import re
from html import unescape

import pytest
from django.apps import apps
from django.utils import timezone, translation

from archive.languages import native_name
from archive.models import Article, Document, Organisation, Person, SlugRedirect
from archive.search.indexing import apply_pending_updates
from tests.factories import make_article, make_document, make_organisation, make_person, make_quotation, make_role

pytestmark = pytest.mark.django_db

RUSSIAN_BODY = "<p>«Мы укрепляем сотрудничество в борьбе с терроризмом», — заявил Сергей Лавров.</p>"
CHINESE_BODY = "<p>王毅表示：“上海合作组织坚持反恐合作。”</p>"
ARABIC_BODY = "<p>قال أنطونيو غوتيريش: «الإرهاب تهديد خطير للسلام».</p>"


def html_of(client, url, status=200, **headers):
    response = client.get(url, **headers)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def visible_text(html: str) -> str:
    """The page's text and the attributes readers meet (labels, placeholders), without tags."""
    attributes = " ".join(re.findall(r'(?:aria-label|placeholder|title|alt)="([^"]*)"', html))
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    # The citation is English by design (one form wherever it is pasted).
    html = re.sub(r'<p class="reference" lang="en">.*?</p>|<pre class="bibtex".*?</pre>', " ", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", html)) + " " + unescape(attributes)


@pytest.fixture
def multilingual(seed_archive, django_capture_on_commit_callbacks):
    """The seed plus a Russian, a Chinese and an Arabic article, each with a quotation; the Russian and the
    English seed are versions of one item."""
    with django_capture_on_commit_callbacks(execute=True):
        sco = Organisation.objects.get(short_name="SCO")
        lavrov = make_person("Сергей Лавров")
        wang = make_person("王毅")
        guterres = make_person("أنطونيو غوتيريش")
        make_role(lavrov, sco, title="Министр иностранных дел", start=datetime.date(2004, 3, 9))
        when = timezone.make_aware(datetime.datetime(2024, 7, 4, 9, 0))
        russian = make_article("Лавров: ШОС укрепляет сотрудничество", RUSSIAN_BODY, language="ru", published_at=when)
        chinese = make_article("王毅谈上海合作组织", CHINESE_BODY, language="zh", published_at=when)
        arabic = make_article("غوتيريش يحذر من الإرهاب", ARABIC_BODY, language="ar", published_at=when)
        quotes = {
            "ru": make_quotation(russian, lavrov, "Мы укрепляем сотрудничество в борьбе с терроризмом"),
            "zh": make_quotation(chinese, wang, "上海合作组织坚持反恐合作。"),
            "ar": make_quotation(arabic, guterres, "الإرهاب تهديد خطير للسلام"),
        }
        document = make_document("Шанхайская конвенция о борьбе с терроризмом", kind=Document.Kind.CONVENTION)
        quotes["ru"].documents.add(document)
        seed_archive.translation_key = "sco-2017-06-13-alimov"
        seed_archive.save()
        russian.translation_key = "sco-2017-06-13-alimov"
        russian.save()
    apply_pending_updates()
    return {"seed": seed_archive, "ru": russian, "zh": chinese, "ar": arabic, "quotes": quotes, "document": document}


# Slugs


def test_titles_and_names_in_other_scripts_get_readable_slugs(db):
    """Russian, Chinese and Arabic titles and names become transliterated slugs, never `item`."""
    assert make_article("Лавров: ШОС укрепляет сотрудничество", RUSSIAN_BODY).slug == (
        "lavrov-shos-ukrepliaet-sotrudnichestvo"
    )
    assert make_person("王毅").slug == "wang-yi"
    assert make_organisation("上海合作组织", "").slug == "shang-hai-he-zuo-zu-zhi"
    arabic = make_person("أنطونيو غوتيريش").slug
    assert arabic and not arabic.startswith("item") and arabic.isascii()
    assert make_document("—", slug="").slug == "document"
    assert make_person("Straße Ärger").slug == "strasse-arger"


def test_slug_stays_when_the_title_changes(db):
    """A record keeps its address when its title is edited later."""
    article = make_article("Лавров о ШОС", RUSSIAN_BODY)
    article.title = "Совсем другой заголовок"
    article.save()
    article.refresh_from_db()
    assert article.slug == "lavrov-o-shos"


def test_a_changed_slug_redirects_permanently(client, seed_archive):
    """When an editor changes a speaker's slug, the old address answers 301 to the new one, query kept."""
    person = Person.objects.get(slug="rashid-alimov")
    person.slug = "rashid-k-alimov"
    person.save()
    response = client.get("/speakers/rashid-alimov/?page=2")
    assert response.status_code == 301
    assert response["Location"] == "/speakers/rashid-k-alimov/?page=2"
    assert client.get("/feeds/speakers/rashid-alimov/").status_code == 301
    assert client.get("/speakers/no-such-person/").status_code == 404


def test_migration_gives_item_slugs_readable_addresses_and_keeps_the_old_ones(client, seed_archive):
    """Records left with `item-N` by the old slugs get readable ones; their old addresses redirect to them."""
    russian = make_article("Лавров: ШОС укрепляет сотрудничество", RUSSIAN_BODY)
    person = make_person("王毅")
    plain = make_article("Item", "<p>An item.</p>")
    Article.objects.filter(pk=russian.pk).update(slug="item-2")
    Article.objects.filter(pk=plain.pk).update(slug="item")
    Person.objects.filter(pk=person.pk).update(slug="item")
    migration = importlib.import_module("archive.migrations.0012_reading_slugs_translations")
    migration.give_readable_slugs(apps, None)
    russian.refresh_from_db()
    person.refresh_from_db()
    plain.refresh_from_db()
    assert russian.slug == "lavrov-shos-ukrepliaet-sotrudnichestvo"
    assert person.slug == "wang-yi"
    assert plain.slug == "item"  # its title really says "Item"
    assert client.get("/articles/item-2/")["Location"] == "/articles/lavrov-shos-ukrepliaet-sotrudnichestvo/"
    assert SlugRedirect.current_slug(Person, "item") == "wang-yi"


# lang and dir attributes


def test_records_text_carries_its_language_on_every_page(client, multilingual):
    """Quotations, bodies and titles say their language (dir=rtl for Arabic) wherever they are shown."""
    quotes = multilingual["quotes"]
    pages = {
        "article": multilingual["ru"].get_absolute_url(),
        "quotation": quotes["ru"].get_absolute_url(),
        "speaker": quotes["ru"].speaker.get_absolute_url(),
        "organisation": "/organisations/sco/",
        "document": multilingual["document"].get_absolute_url(),
        "home": "/",
    }
    for kind, url in pages.items():
        assert re.search(r'<blockquote[^>]*lang="ru"|<div class="article-body" lang="ru"', html_of(client, url)), kind
    arabic = html_of(client, quotes["ar"].get_absolute_url())
    assert re.search(r'<blockquote[^>]* lang="ar" dir="rtl">\s*<p>«الإرهاب تهديد خطير للسلام»</p>', arabic)
    assert re.search(r'<div class="article-body" lang="zh">', html_of(client, multilingual["zh"].get_absolute_url()))
    found = html_of(
        client, "/search/?q=%D1%81%D0%BE%D1%82%D1%80%D1%83%D0%B4%D0%BD%D0%B8%D1%87%D0%B5%D1%81%D1%82%D0%B2%D0%BE"
    )
    assert re.search(r'<p lang="ru">«[^»]*<mark[^»]*»</p>', found)  # Russian quotation marks for Russian words


def test_feed_entries_say_their_language(client, multilingual):
    """Atom entries carry xml:lang of their text; the API keeps its English field names and values."""
    feed = html_of(client, "/feeds/articles/")
    assert 'xml:lang="ar"' in feed and 'xml:lang="ru"' in feed and 'xml:lang="zh"' in feed
    api = client.get(f"/api/articles/{multilingual['ru'].slug}/", HTTP_ACCEPT_LANGUAGE="ru").json()
    assert api["language"] == "ru"


# The interface in Russian and Chinese

KEY_STRINGS = [
    "Policy statement archive",
    "Skip to content",
    "Organisations",
    "Speakers",
    "By date",
    "Search",
    "Atom feed",
    "Quotation page",
    "Latest articles",
    "Recent quotations",
    "Ways in",
    "Cite this quotation",
    "Permanent link",
    "In context",
    "Roles",
    "Details",
    "Breadcrumb",
    "newest first",
    "Also in",
    "Source:",
    "Statements",
    "Quotations",
    "Documents referred to",
    "Narrow the results",
    "Sort by",
    "The archive by date",
    "Page ",
    "There is no such",
    "quotations",
    "June",
]


def every_page_kind(data) -> list[str]:
    quotation = data["quotes"]["ru"]
    return [
        "/",
        data["seed"].get_absolute_url(),
        data["ru"].get_absolute_url(),
        quotation.get_absolute_url(),
        "/speakers/",
        quotation.speaker.get_absolute_url(),
        "/organisations/",
        "/organisations/sco/",
        "/documents/",
        data["document"].get_absolute_url(),
        "/archive/",
        "/archive/2017/",
        "/archive/2017/06/",
        "/search/",
        "/search/?q=terrorism",
        "/search/?type=articles&q=terrorism",
        "/speakers/nobody-at-all/",
    ]


@pytest.mark.parametrize("language", ["ru", "zh-hans"])
def test_every_page_kind_is_in_the_chosen_language(client, multilingual, language):
    """With the interface in Russian or Chinese, no page shows the key English interface strings."""
    client.cookies["django_language"] = language
    for url in every_page_kind(multilingual):
        status = 404 if "nobody" in url else 200
        html = html_of(client, url, status)
        assert f'<html lang="{ {"ru": "ru", "zh-hans": "zh-Hans"}[language] }"' in html, url
        text = visible_text(html)
        # Records' own English text (the seed article) may contain any word: only interface strings count.
        for record_text in (multilingual["seed"].title, multilingual["seed"].body_text):
            text = text.replace(record_text, " ")
        for quotation in multilingual["seed"].quotations.all():
            text = text.replace(quotation.text, " ")
        for model in (Organisation, Person, Document):
            for description in model.objects.exclude(description="").values_list("description", flat=True):
                text = text.replace(description, " ")
        english = [s for s in KEY_STRINGS if re.search(rf"(?<![\w:/-]){re.escape(s)}", text)]
        assert not english, (url, english)


def test_russian_dates_use_the_genitive_month(client, seed_archive):
    """Russian dates read "13 июня 2017 г.", Chinese "2017年6月13日"."""
    url = seed_archive.get_absolute_url()
    assert "13 июня 2017 г." in html_of(client, url, HTTP_ACCEPT_LANGUAGE="ru")
    assert "2017年6月13日" in html_of(client, url, HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")


def test_the_switcher_keeps_the_page_and_remembers_the_choice(client, seed_archive):
    """Choosing Russian returns to the same page (query kept, ?lang dropped) in Russian, and later pages stay so."""
    page = "/speakers/rashid-alimov/?page=1"
    html = html_of(client, page + "&lang=en-gb")
    assert f'<input type="hidden" name="next" value="{page.replace("&", "&amp;")}">' in html
    assert 'action="/i18n/setlang/"' in html
    response = client.post("/i18n/setlang/", {"language": "ru", "next": page})
    assert response.status_code == 302 and response["Location"] == page
    assert client.cookies["django_language"].value == "ru"
    assert "Выступающие" in html_of(client, page)
    assert "Выступающие" in html_of(client, "/documents/")


def test_language_from_the_browser_and_per_address(client, seed_archive):
    """Accept-Language chooses the interface until the reader picks one; ?lang= shows one page in another."""
    assert '<html lang="zh-Hans"' in html_of(client, "/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert '<html lang="en-GB"' in html_of(client, "/", HTTP_ACCEPT_LANGUAGE="fr")
    assert '<html lang="ru"' in html_of(client, "/?lang=ru", HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert '<html lang="en-GB"' in html_of(client, "/?lang=xx")


def test_pages_list_their_other_language_versions(client, seed_archive):
    """Each page's head names its address in every interface language (hreflang), and x-default."""
    html = html_of(client, "/speakers/rashid-alimov/?page=1")
    for code in ("en-GB", "ru", "zh-Hans"):
        lang = {"en-GB": "en-gb", "ru": "ru", "zh-Hans": "zh-hans"}[code]
        expected = f'<link rel="alternate" hreflang="{code}" href="http://testserver/speakers/rashid-alimov/?page=1&amp;lang={lang}">'
        assert expected in html
    assert '<link rel="alternate" hreflang="x-default" href="http://testserver/speakers/rashid-alimov/?page=1">' in html


def test_cached_pages_are_kept_per_language(client, seed_archive):
    """An anonymous reader in Russian never gets the English page another reader had cached, nor the reverse."""
    url = "/speakers/rashid-alimov/"
    assert "Speakers" in html_of(client, url)
    assert "Выступающие" in html_of(client, url, HTTP_ACCEPT_LANGUAGE="ru")
    assert "Speakers" in html_of(client, url)


def test_search_notices_are_translated(client, multilingual):
    """What the search form explains about a bad parameter is in the reader's language."""
    html = html_of(client, "/search/?q=terrorism&year=abc", HTTP_ACCEPT_LANGUAGE="ru")
    assert "«abc» — не год, поэтому фильтр по году не применён." in unescape(html)


# Versions of one item in other languages


def test_article_links_to_its_versions_in_other_languages(client, multilingual):
    """The English article shows "Also in: Русский" linking to the Russian version, and the API lists it."""
    html = html_of(client, multilingual["seed"].get_absolute_url())
    russian = multilingual["ru"]
    assert re.search(rf'Also in: <a href="{russian.get_absolute_url()}" hreflang="ru" lang="ru">Русский</a></p>', html)
    back = html_of(client, russian.get_absolute_url())
    assert f'<a href="{multilingual["seed"].get_absolute_url()}" hreflang="en" lang="en">English</a>' in back
    assert "Also in" not in html_of(client, multilingual["zh"].get_absolute_url())
    data = client.get(f"/api/articles/{multilingual['seed'].slug}/").json()
    assert data["translation_key"] == "sco-2017-06-13-alimov"
    assert data["translations"] == [
        {"language": "ru", "title": russian.title, "url": f"http://testserver/api/articles/{russian.slug}/"}
    ]


def test_a_draft_version_is_not_linked(client, multilingual):
    """Only published versions are offered."""
    Article.objects.filter(pk=multilingual["ru"].pk).update(status=Article.Status.DRAFT)
    assert "Also in" not in html_of(client, multilingual["seed"].get_absolute_url())


# Native language names


def test_language_names_are_written_in_their_own_script():
    """The language facet and filters name languages as their speakers write them."""
    names = [native_name(code) for code in ("ru", "zh", "fr", "ar", "es", "de", "en-gb", "zh-Hans", "pt")]
    assert names == ["Русский", "中文", "Français", "العربية", "Español", "Deutsch", "English", "中文", "Português"]
    assert native_name("xx") == "xx"


def test_language_facet_shows_native_names(client, multilingual):
    """The search page's language facet lists Русский, 中文 and العربية (with their lang attributes)."""
    with translation.override("en"):
        html = html_of(client, "/search/?type=articles&from=2000-01-01")
    facet = html[html.index('class="facet facet-language"') :]
    facet = facet[: facet.index("</section>")]
    assert 'lang="ru">Русский</a>' in facet
    assert 'lang="zh">中文</a>' in facet
    assert 'lang="ar" dir="rtl">العربية</a>' in facet


# The catalogues


def po_entries(path):
    """(msgctxt, msgid, msgid_plural, [msgstr...]) for each entry of a .po file (continuation lines joined)."""
    entries, entry, field = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip() or line.startswith("#"):
            if entry and entry.get("msgid"):
                entries.append(entry)
            entry, field = ({} if not line.strip() else entry), None
            continue
        match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) "(.*)"$', line)
        if match:
            entry = entry if entry is not None else {}
            field, value = match.groups()
        else:
            value = re.match(r'^"(.*)"$', line).group(1)
        entry[field] = entry.get(field, "") + value.encode("latin-1", "backslashreplace").decode("unicode_escape")
    return [
        (e.get("msgctxt"), e["msgid"], e.get("msgid_plural"), [e[k] for k in sorted(e) if k.startswith("msgstr")])
        for e in entries
    ]


@pytest.mark.parametrize("language, folder", [("ru", "ru"), ("zh-hans", "zh_Hans")])
def test_catalogues_are_complete_and_compiled(language, folder, settings):
    """Every message has a translation, and the committed .mo gives exactly what the .po says (CI compiles none)."""
    from django.utils.translation import gettext, ngettext, npgettext, pgettext

    path = settings.BASE_DIR / "locale" / folder / "LC_MESSAGES" / "django.po"
    entries = po_entries(path)
    assert len(entries) > 200
    with translation.override(language):
        for context, msgid, plural, translated in entries:
            assert all(translated), msgid
            if plural:
                got = npgettext(context, msgid, plural, 1) if context else ngettext(msgid, plural, 1)
            else:
                got = pgettext(context, msgid) if context else gettext(msgid)
            assert got == translated[0], msgid
