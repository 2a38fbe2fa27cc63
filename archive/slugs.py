"""Readable slugs for titles and names in any script, and the addresses records had before.

`readable_slug` transliterates what is not Latin (python-slugify with text-unidecode): "Сергей Лавров" ->
"sergei-lavrov", "上海合作组织" -> "shang-hai-he-zuo-zu-zhi" (pinyin syllables), "أنطونيو غوتيريش" ->
"ntwnyw-gwtyrysh" (consonants: Arabic script writes few vowels). A slug is made once, when the record is first
saved, and kept when the title changes, so addresses stay valid; an address a record had before (renamed in the
admin, or one of the `item-N` slugs made before transliteration) is kept as a SlugRedirect and answered with a
permanent redirect.
"""

import re

from slugify import slugify

# What Django's ASCII slugify left of a title in another script: "item", "item-2", ...
PLACEHOLDER_SLUG = re.compile(r"^item(-[0-9]+)?$")


def readable_slug(value: str, max_length: int = 80) -> str:
    """A lower-case ASCII slug of `value`, cut at a word boundary; "" when nothing in it can be written so."""
    return slugify(value or "", max_length=max_length, word_boundary=True, save_order=True)


def unique_among(base: str, taken, max_length: int = 80) -> str:
    """`base`, or `base-2`, `base-3`, ... : the first for which `taken(candidate)` is false."""
    candidate, suffix = base, 2
    while taken(candidate):
        candidate = f"{base[: max_length - len(str(suffix)) - 1].rstrip('-')}-{suffix}"
        suffix += 1
    return candidate
