"""Languages as readers see them: a language's name in its own script, its writing direction, and the languages
of the interface.

Content languages (an article's `language`, ISO 639-1) and interface languages (settings.LANGUAGES, Django's
codes such as zh-hans) are different lists: the archive holds statements in many languages and offers its own
words in a few. This module is the one place that names them; templates reach it through archive_tags
(`native_language`, `lang_attrs`) and the search facet through `native_name`.
"""

from django.conf import settings
from django.conf.locale import LANG_INFO

# A language's name as its speakers write it. Django's LANG_INFO has most ("Русский"), but writes some in lower
# case ("français"), with vowel marks ("العربيّة"), or only per script ("简体中文", no plain "zh").
NATIVE_NAMES = {
    "en": "English",
    "ru": "Русский",
    "zh": "中文",
    "zh-hans": "中文",
    "zh-hant": "中文",
    "fr": "Français",
    "es": "Español",
    "de": "Deutsch",
    "ar": "العربية",
}

# Written right to left; LANG_INFO's `bidi` covers the languages Django is translated into, these the rest.
RIGHT_TO_LEFT = {"ar", "arc", "ckb", "dv", "fa", "he", "ps", "sd", "ug", "ur", "yi"}


# The quotation marks each language sets its quotations in (first level); English's for the rest.
QUOTATION_MARKS = {
    "ru": ("«", "»"),
    "uk": ("«", "»"),
    "fr": ("«\u00a0", "\u00a0»"),
    "es": ("«", "»"),
    "ar": ("«", "»"),
    "fa": ("«", "»"),
    "de": ("„", "“"),
    "zh": ("“", "”"),
    "ja": ("「", "」"),
}
ENGLISH_MARKS = ("“", "”")


def base_code(code: str) -> str:
    """'zh-Hans' -> 'zh-hans', 'ar_EG' -> 'ar-eg': the lower-case, hyphenated form the tables use."""
    return (code or "").strip().lower().replace("_", "-")


def native_name(code: str) -> str:
    """'ru' -> 'Русский', 'zh' -> '中文', 'ar' -> 'العربية'; an unknown code is returned as it is."""
    code = base_code(code)
    if not code:
        return ""
    candidates = (code, code.split("-")[0])
    for candidate in candidates:  # ours first: "English" for en-gb, where LANG_INFO says "British English"
        if candidate in NATIVE_NAMES:
            return NATIVE_NAMES[candidate]
    for candidate in candidates:
        info = LANG_INFO.get(candidate)
        if info and "name_local" in info:
            local = info["name_local"]
            return local[:1].upper() + local[1:]
    return code


def is_right_to_left(code: str) -> bool:
    code = base_code(code)
    primary = code.split("-")[0]
    info = LANG_INFO.get(code) or LANG_INFO.get(primary) or {}
    return bool(info.get("bidi")) or primary in RIGHT_TO_LEFT


def html_lang(code: str) -> str:
    """The value of an HTML lang attribute for a content language ('zh-hans' -> 'zh-Hans'), '' when unknown."""
    parts = base_code(code).split("-")
    if not parts[0].isalpha() or not 2 <= len(parts[0]) <= 3:
        return ""
    return "-".join([parts[0]] + [p.title() if len(p) == 4 else p.upper() if len(p) == 2 else p for p in parts[1:]])


def quotation_marks(code: str) -> tuple[str, str]:
    """The opening and closing marks of a quotation in this language: ("«", "»") for Russian."""
    return QUOTATION_MARKS.get(base_code(code).split("-")[0], ENGLISH_MARKS)


def interface_languages() -> list[tuple[str, str]]:
    """(code, name in its own script) for each language the interface is offered in, in settings order."""
    return [(code, native_name(code)) for code, _ in settings.LANGUAGES]
