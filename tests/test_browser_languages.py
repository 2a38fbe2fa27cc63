"""The archive read in Russian and in Chinese, in a real headless Chromium against a live server: a reader switches
the interface with the switcher (a plain form: no JavaScript needed), searches, opens a quotation and its article,
and an Arabic quotation reads right to left. Screenshots go to test-artifacts/languages/; axe-core checks every page
for serious or critical violations. Skips like tests/test_browser.py when Chromium, Playwright or axe-core is
missing (fails under ARCHIVE_REQUIRE_BROWSER=1).
"""

import datetime
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.factories import make_article, make_person, make_quotation, make_role
from tests.test_browser import CHROMIUM, CHROMIUM_ARGS, ROOT, Journey, playwright_api  # noqa: F401 (fixture)

ARTIFACTS = ROOT / "test-artifacts" / "languages"

pytestmark = pytest.mark.slow


@pytest.fixture
def multilingual_server(transactional_db, live_server, search_index):
    """The seed archive plus a Russian, a Chinese and an Arabic article with a quotation each, indexed."""
    call_command("loaddata", str(ROOT / "fixtures" / "seed_archive.json"), verbosity=0)
    from archive.models import Organisation

    sco = Organisation.objects.get(short_name="SCO")
    when = timezone.make_aware(datetime.datetime(2024, 7, 4, 9, 0))
    lavrov = make_person("Сергей Лавров")
    make_role(lavrov, sco, title="Министр иностранных дел", start=datetime.date(2004, 3, 9))
    russian = make_article(
        "Лавров: ШОС укрепляет сотрудничество в борьбе с терроризмом",
        "<p>Министр иностранных дел России Сергей Лавров выступил на заседании СМИД ШОС в Астане.</p>"
        "<p>«Мы укрепляем сотрудничество в борьбе с терроризмом и экстремизмом», — заявил Сергей Лавров.</p>",
        language="ru",
        published_at=when,
        translation_key="sco-astana-2024",
    )
    make_quotation(russian, lavrov, "Мы укрепляем сотрудничество в борьбе с терроризмом и экстремизмом")
    wang = make_person("王毅")
    chinese = make_article(
        "王毅出席上海合作组织外长理事会会议",
        "<p>外交部长王毅在阿斯塔纳出席上海合作组织外长理事会会议。</p>"
        "<p>王毅表示：“上海合作组织坚持反恐合作，维护地区安全稳定。”</p>",
        language="zh",
        published_at=when,
        translation_key="sco-astana-2024",
    )
    make_quotation(chinese, wang, "上海合作组织坚持反恐合作，维护地区安全稳定。")
    guterres = make_person("أنطونيو غوتيريش")
    arabic = make_article(
        "غوتيريش يحذر من خطر الإرهاب",
        "<p>قال الأمين العام للأمم المتحدة أنطونيو غوتيريش: «الإرهاب تهديد خطير للسلام والأمن الدوليين».</p>",
        language="ar",
        published_at=when,
    )
    make_quotation(arabic, guterres, "الإرهاب تهديد خطير للسلام والأمن الدوليين")
    call_command("rebuild_index", interactive=False, verbosity=0)
    return live_server.url


class LanguageJourney(Journey):
    def __init__(self, page, prefix: str):
        super().__init__(page)
        self.prefix = prefix

    def shot(self, name: str):
        self.step += 1
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{self.prefix}-{self.step:02d}-{name}.png"), full_page=True)


def open_browser(driver, locale: str = "en-GB"):
    browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=locale)
    context.set_default_timeout(15_000)
    return browser, context


def test_reading_the_archive_in_russian(playwright_api, multilingual_server):  # noqa: F811
    """Switch to Russian on the home page, search a Russian word, open the quotation and its article."""
    with playwright_api.sync_playwright() as driver:
        browser, context = open_browser(driver)
        try:
            page = context.new_page()
            journey = LanguageJourney(page, "ru")
            page.goto(multilingual_server + "/")
            assert page.locator("html").get_attribute("lang") == "en-GB"

            page.locator(".language-switcher").get_by_role("button", name="Русский").click()
            page.wait_for_url(multilingual_server + "/")
            assert page.locator("html").get_attribute("lang") == "ru"
            assert (
                page.get_by_role("navigation", name="Основное меню")
                .get_by_role("link", name="Выступающие")
                .is_visible()
            )
            journey.shot("home")
            journey.check_accessibility("home in Russian")

            page.get_by_label("Поиск по цитатам").fill("сотрудничество")
            page.get_by_label("Поиск по цитатам").press("Enter")
            page.wait_for_url(re.compile(r"/search/\?q="))
            results = page.locator(".search-results .result")
            assert results.count() == 1
            assert results.first.locator("blockquote p").get_attribute("lang") == "ru"
            assert "1 цитата" in page.get_by_role("heading", level=2).first.inner_text()
            journey.shot("search")
            journey.check_accessibility("search in Russian")

            results.first.locator("a.hit-link").click()  # the hit leads to its quotation page
            page.wait_for_url(re.compile(r"/quotations/\d+/$"))
            quote = page.locator("figure.quotation.big blockquote")
            assert quote.get_attribute("lang") == "ru"
            assert "Мы укрепляем сотрудничество" in quote.inner_text()
            assert page.get_by_role("heading", name="Как цитировать").is_visible()
            assert "4 июля 2024 г." in page.locator(".facts").inner_text()
            journey.shot("quotation")
            journey.check_accessibility("quotation in Russian")

            page.get_by_role("link", name="Читать в полном тексте статьи").click()
            page.wait_for_url(re.compile(r"/articles/lavrov-shos-[^/]+/#q-\d+$"))
            assert page.locator(".article-body").get_attribute("lang") == "ru"
            assert page.locator(".translations").get_by_role("link", name="中文").get_attribute("lang") == "zh"
            journey.shot("article")
            journey.check_accessibility("article in Russian")
            assert not journey.problems, journey.problems
        finally:
            browser.close()


def test_reading_the_archive_in_chinese(playwright_api, multilingual_server):  # noqa: F811
    """A reader whose browser asks for Chinese gets it; the switcher keeps the page; Arabic reads right to left."""
    with playwright_api.sync_playwright() as driver:
        browser, context = open_browser(driver, locale="zh-CN")
        try:
            page = context.new_page()
            journey = LanguageJourney(page, "zh")
            page.goto(multilingual_server + "/")
            assert page.locator("html").get_attribute("lang") == "zh-Hans"
            journey.shot("home")
            journey.check_accessibility("home in Chinese")

            page.get_by_role("link", name="王毅出席上海合作组织外长理事会会议").first.click()
            page.wait_for_url(re.compile(r"/articles/wang-yi-[^/]+/$"))
            assert page.locator("h1").get_attribute("lang") == "zh"
            assert page.locator(".translations").get_by_role("link", name="Русский").is_visible()
            journey.shot("article")
            journey.check_accessibility("article in Chinese")

            page.locator(".quotation-index a").first.click()
            page.wait_for_url(re.compile(r"/quotations/\d+/$"))
            quotation_url = page.url
            assert page.locator("figure.quotation.big blockquote").get_attribute("lang") == "zh"
            assert page.get_by_role("heading", name="引用此引语").is_visible()
            journey.shot("quotation")
            journey.check_accessibility("quotation in Chinese")

            # The switcher returns to the same quotation, now in English, and English is remembered.
            page.locator(".language-switcher").get_by_role("button", name="English").click()
            page.wait_for_url(quotation_url)
            assert page.get_by_role("heading", name="Cite this quotation").is_visible()
            page.goto(multilingual_server + "/speakers/")
            assert page.locator("h1").inner_text() == "Speakers"
            page.locator(".language-switcher").get_by_role("button", name="中文").click()
            page.wait_for_url(multilingual_server + "/speakers/")
            assert page.locator("h1").inner_text() == "发言人"

            # A run of Chinese between punctuation is one word to today's analyzer: found and highlighted whole.
            page.goto(multilingual_server + "/search/?q=" + "上海合作组织坚持反恐合作")
            assert page.locator(".search-results .result mark").inner_text() == "上海合作组织坚持反恐合作"
            assert page.locator(".facet-language").get_by_role("link", name="中文").is_visible()
            journey.shot("search")
            journey.check_accessibility("search in Chinese")

            page.goto(multilingual_server + "/search/?q=%D8%A7%D9%84%D8%A5%D8%B1%D9%87%D8%A7%D8%A8&type=quotations")
            page.locator(".search-results .result").first.locator("a.hit-link").click()
            page.wait_for_url(re.compile(r"/quotations/\d+/$"))
            arabic = page.locator("figure.quotation.big blockquote")
            assert arabic.get_attribute("lang") == "ar" and arabic.get_attribute("dir") == "rtl"
            assert arabic.evaluate("element => getComputedStyle(element).direction") == "rtl"
            journey.shot("quotation-arabic")
            journey.check_accessibility("Arabic quotation")
            assert not journey.problems, journey.problems
        finally:
            browser.close()
