"""Extraction in every language the archive holds: quotation styles, attribution and documents, with short
sentences written in the way each language's news items are (see archive/extraction/languages/)."""

from __future__ import annotations

import pytest

from archive.extraction import extract
from archive.extraction.languages import LANGUAGES, detect_language


def quoted(text: str, **options) -> list[tuple[str, str | None]]:
    return [(q.text, q.speaker) for q in extract(text, **options).quotations]


def documents(text: str) -> list[tuple[str, str]]:
    return [(d.name, d.kind) for d in extract(text).documents]


# -- languages as data ---------------------------------------------------------------------------------


def test_every_language_is_loaded_from_its_module():
    """en, ru, zh, fr, es, ar and de are each one module of the languages package, with their words."""
    assert set(LANGUAGES) >= {"en", "ru", "zh", "fr", "es", "ar", "de"}
    for language in LANGUAGES.values():
        assert language.speech_verbs and language.document_kinds and language.quote_pairs


@pytest.mark.parametrize(
    "text, code",
    [
        ("Генеральный секретарь заявил, что конвенция вступит в силу.", "ru"),
        ("秘书长表示，公约将于明年生效。", "zh"),
        ("قال الأمين العام إن الاتفاقية ستدخل حيز التنفيذ.", "ar"),
        ("Le secrétaire général a déclaré que cette convention entrera en vigueur.", "fr"),
        ("El secretario general afirmó que la convención entrará en vigor.", "es"),
        ("Der Generalsekretär sagte, die Konvention werde in Kraft treten.", "de"),
        ("The Secretary-General said that the convention would enter into force.", "en"),
    ],
)
def test_language_is_guessed_when_not_given(text, code):
    """Without a language, the result carries the one the script and common words show."""
    assert detect_language(text) == code
    assert extract(text).language == code
    assert extract(text, language="xx").language == "xx"


# -- quotation styles ----------------------------------------------------------------------------------


def test_french_guillemets_with_no_break_spaces():
    """« ... » with (narrow) no-break spaces inside: the quotation is the words, without the spaces."""
    text = "Le ministre Jean Martin a déclaré\u00a0: «\u202fNous soutenons pleinement cette initiative.\u202f»"
    assert quoted(text) == [("Nous soutenons pleinement cette initiative.", "Jean Martin")]


def test_german_low_high_marks_with_single_marks_inside():
    """„ ... ‚...‘ ... “: one quotation, the inner single marks kept inside it."""
    text = "Außenministerin Anna Berger sagte: „Wir haben ‚keine Zeit‘ zu verlieren, das ist klar.“"
    assert quoted(text) == [("Wir haben ‚keine Zeit‘ zu verlieren, das ist klar.", "Anna Berger")]


def test_corner_brackets_and_chinese_curly_quotes():
    """「...」 and Chinese “...” are quotation marks; the speaker follows or precedes with 说/表示."""
    assert quoted("「我们将继续推动合作。」外交部发言人汪文斌说。") == [("我们将继续推动合作。", "汪文斌")]
    assert quoted("上海合作组织秘书长张明表示，“我们支持各成员国加强合作，共同应对安全挑战。”") == [
        ("我们支持各成员国加强合作，共同应对安全挑战。", "张明")
    ]


def test_nested_corner_brackets_stay_in_the_outer_quotation():
    """『...』 inside 「...」 is part of the outer quotation."""
    text = "「我们坚持『上海精神』，推动合作。」秘书长张明说。"
    assert quoted(text) == [("我们坚持『上海精神』，推动合作。", "张明")]


def test_russian_dash_speech_with_resumed_words():
    """— Текст, — заявил X. — Продолжение: two quotations, both X's, without the dashes."""
    text = (
        "Министр иностранных дел России Сергей Лавров провёл переговоры.\n\n"
        "— Мы готовы к диалогу, — заявил Лавров. — Но решения должны быть взаимными."
    )
    assert quoted(text) == [
        ("Мы готовы к диалогу,", "Сергей Лавров"),
        ("Но решения должны быть взаимными.", "Сергей Лавров"),
    ]


def test_russian_dash_speech_split_mid_sentence():
    """— Ситуация сложная, — подчеркнул он, — но решаемая: the words after the attribution are a second span."""
    text = (
        "Генеральный секретарь ОДКБ Игорь Соколов выступил на заседании.\n\n"
        "— Ситуация остаётся сложной, — подчеркнул Соколов, — но мы видим возможности для диалога."
    )
    assert [speaker for _, speaker in quoted(text)] == ["Игорь Соколов", "Игорь Соколов"]
    assert quoted(text)[1][0] == "но мы видим возможности для диалога."


def test_interview_question_opened_by_a_dash_is_not_speech():
    """A paragraph opened by a dash without a speech verb after the next dash (an interview's question) is not
    a quotation."""
    assert quoted("— Как вы оцениваете итоги саммита в Астане?") == []


def test_guillemets_then_dash_attribution():
    """«...», — заявил X: the quotation is inside the marks."""
    text = "Генеральный секретарь ОДКБ Игорь Соколов прибыл в Ереван. «Обстановка остается сложной», — заявил Соколов."
    assert quoted(text) == [("Обстановка остается сложной", "Игорь Соколов")]


def test_quotation_continued_across_paragraphs_in_guillemets():
    """A paragraph opening with « continues the quotation left open in the paragraph before."""
    text = (
        "Le ministre Jean Martin a déclaré : « Nous soutenons cette initiative.\n\n"
        "« Elle renforce la sécurité de toute la région. »"
    )
    result = extract(text)
    assert len(result.quotations) == 1
    assert result.quotations[0].text.endswith("toute la région.")
    assert result.quotations[0].speaker == "Jean Martin"


def test_arabic_guillemets_after_colon():
    """وقال X: «...»: the title and name before the colon give the speaker."""
    text = "وقال الأمين العام لجامعة الدول العربية أحمد أبو الغيط: «إن الوضع خطير للغاية ويتطلب تحركا عاجلا»."
    assert quoted(text) == [("إن الوضع خطير للغاية ويتطلب تحركا عاجلا", "أحمد أبو الغيط")]


# -- attribution ---------------------------------------------------------------------------------------


def test_french_inverted_pronoun_names_the_last_speaker():
    """« ... », a-t-il ajouté: "il" inside the verb is the man last named."""
    text = (
        "Le président de la Commission, M. Moussa Faki, a ouvert la session. "
        "« Nous devons accélérer la réforme de l’Union », a-t-il ajouté."
    )
    assert quoted(text)[-1] == ("Nous devons accélérer la réforme de l’Union", "Moussa Faki")


def test_french_title_after_the_verb_and_selon():
    """a déclaré le ministre ... , X and "Selon X," name the speaker; "que" starts the reported clause."""
    text = "« Nous sommes prêts au dialogue », a déclaré le ministre russe des Affaires étrangères, Sergueï Lavrov."
    assert quoted(text) == [("Nous sommes prêts au dialogue", "Sergueï Lavrov")]
    text = "Selon Sergueï Lavrov, la Russie est prête à reprendre les négociations."
    assert quoted(text) == [("la Russie est prête à reprendre les négociations", "Sergueï Lavrov")]


def test_spanish_title_apposition_and_reported_clause():
    """El secretario general de la ONU, X, afirmó que ...: a reported clause of X."""
    text = "El secretario general de la ONU, António Guterres, afirmó que la situación sigue siendo muy grave."
    assert quoted(text) == [("la situación sigue siendo muy grave", "António Guterres")]


def test_spanish_verb_after_quotation_with_title_and_name():
    """«...», dijo el canciller ruso, X: the speaker is the name after the title."""
    text = "«Estamos preparados para el diálogo», dijo el canciller ruso, Serguéi Lavrov."
    assert quoted(text) == [("Estamos preparados para el diálogo", "Serguéi Lavrov")]


def test_spanish_verb_without_subject_is_the_last_speaker():
    """Spanish leaves the subject out ("Recordó que ..."): the statement is the last speaker's."""
    text = (
        "La canciller de Colombia, Marta Lucía Ramírez, habló ante el Consejo Permanente. "
        "Recordó que la democracia sigue amenazada en la región."
    )
    assert quoted(text) == [("la democracia sigue amenazada en la región", "Marta Lucía Ramírez")]


def test_chinese_name_with_title_place_and_time_before_the_verb():
    """外长王毅在会见时指出，……: the title, the name, then place and time words before the verb."""
    text = "中国外长王毅在会见时指出，中方愿同各方一道努力。他强调，合作是唯一正确的选择。"
    assert quoted(text) == [("中方愿同各方一道努力", "王毅"), ("合作是唯一正确的选择", "王毅")]


def test_chinese_transliterated_name_and_its_short_form():
    """北约秘书长延斯·斯托尔滕贝格 is later just 斯托尔滕贝格."""
    text = (
        "北约秘书长延斯·斯托尔滕贝格(Jens Stoltenberg)周五对记者说,峰会将成为关键时刻。\n\n"
        "斯托尔滕贝格说,北约需要制定新的战略。"
    )
    assert [speaker for _, speaker in quoted(text)] == ["延斯·斯托尔滕贝格", "延斯·斯托尔滕贝格"]


def test_arabic_verb_first_reported_speech():
    """قال X إن ...: the verb before its subject, the clause after the complementiser."""
    text = "قال وزير الخارجية سيرغي لافروف إن روسيا مستعدة للحوار مع جميع الأطراف."
    assert quoted(text) == [("روسيا مستعدة للحوار مع جميع الأطراف", "سيرغي لافروف")]


def test_title_glued_to_the_name_is_not_part_of_it():
    """'Commissioner for Enlargement Marta Kos' is Marta Kos."""
    text = "Commissioner for Enlargement Marta Kos said that the next two years would be decisive for the region."
    assert quoted(text) == [("the next two years would be decisive for the region", "Marta Kos")]


def test_long_trailing_attribution():
    """'..., Lavrov said in an interview with the Brazilian newspaper O Globo': the clause before is his."""
    text = (
        "Russian Foreign Minister Sergei Lavrov visited Brasilia. The BRICS countries have no intention of creating "
        "a common currency, Lavrov said in an interview with the Brazilian newspaper O Globo."
    )
    assert quoted(text) == [("The BRICS countries have no intention of creating a common currency", "Sergei Lavrov")]


def test_unnamed_officials_partial_quotation_is_not_the_previous_speakers():
    """'A senior U.S. official ... said Washington was "very satisfied"' is nobody named, not the last speaker."""
    text = (
        'Polish Prime Minister Donald Tusk welcomed the decision. "Now everyone is catching up," Tusk said.\n\n'
        'A senior U.S. official, speaking on condition of anonymity, said Washington was "very satisfied" with '
        "the outcome."
    )
    assert quoted(text)[-1] == ("very satisfied", None)


def test_german_das_sagte_er_names_the_sentence_before():
    """'... für eine Prioritätsaufgabe. Das sagte er heute ...': the sentence before is his statement."""
    text = (
        "OSZE-Generalsekretär Thomas Greminger hält die Partnerschaft mit der OVKS für eine Prioritätsaufgabe. "
        "Das sagte er heute in Moskau."
    )
    assert quoted(text)[0][1] == "Thomas Greminger"


def test_russian_trailing_attribution_with_the_verb_first():
    """'..., заявил глава исполкома СНГ Сергей Лебедев.': the clause before the comma is his."""
    text = (
        "Заседание совета глав правительств СНГ показало, что Содружество живо и развивается, "
        "заявил глава исполкома СНГ Сергей Лебедев."
    )
    assert quoted(text) == [
        ("Заседание совета глав правительств СНГ показало, что Содружество живо и развивается", "Сергей Лебедев")
    ]


def test_chinese_second_verb_joined_by_bing_starts_a_second_statement():
    """他强调,……,并表示……: two statements, split before 并表示."""
    text = "北约秘书长斯托尔滕贝格说,峰会很重要。他强调,北约需要制定新的战略,并表示他已与俄罗斯接触。"
    assert [text for text, _ in quoted(text)][1:] == ["北约需要制定新的战略", "他已与俄罗斯接触"]


def test_arabic_call_runs_after_its_particle():
    """دعا X إلى ...: the call is what follows إلى."""
    text = "دعا الأمين العام لجامعة الدول العربية أحمد أبو الغيط إلى وقف فوري لإطلاق النار في غزة."
    assert quoted(text) == [("وقف فوري لإطلاق النار في غزة", "أحمد أبو الغيط")]


def test_mixed_quotation_pair_as_printed():
    """A quotation opened with " and closed with ” (as some sites print them) is one span."""
    text = 'El secretario general, António Guterres, pidió una desnuclearización "verificable” de la península.'
    assert quoted(text) == [("verificable", "António Guterres")]


def test_french_pour_x_covers_the_quoted_words_of_the_sentence():
    """'Pour Moussa Faki, il urge que ..., d’où son appel à proposer en “urgence” ...': his view and his words."""
    text = (
        "Pour Moussa Faki, il urge que cette réforme de l’UA soit accélérée, d’où son appel aux ministres de "
        "proposer en “urgence” “des mesures concrètes pour accélérer le processus”."
    )
    assert quoted(text) == [
        ("il urge que cette réforme de l’UA soit accélérée", "Moussa Faki"),
        ("urgence", "Moussa Faki"),
        ("des mesures concrètes pour accélérer le processus", "Moussa Faki"),
    ]


# -- unknown speakers ----------------------------------------------------------------------------------


def test_quotation_without_a_recognised_speaker_is_kept_with_a_reason():
    """A quotation nobody named said is proposed with speaker None and the reason, not dropped."""
    result = extract('"We will not accept this outcome under any circumstances," a senior diplomat said.')
    assert [(q.text, q.speaker) for q in result.quotations] == [
        ("We will not accept this outcome under any circumstances,", None)
    ]
    assert result.quotations[0].speaker_unknown
    assert result.to_dict()["quotations"][0]["speaker_unknown"] == result.quotations[0].speaker_unknown


def test_attributed_quotation_has_no_unknown_reason():
    """A quotation with its speaker carries no reason."""
    result = extract('"We will not give up," Foreign Minister John Smith said.')
    assert result.quotations[0].speaker == "John Smith"
    assert result.quotations[0].speaker_unknown == ""


# -- documents -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Совет безопасности обсудил Хартию ШОС и Конвенцию ШОС по противодействию экстремизму.",
            [("Хартия ШОС", "charter"), ("Конвенция ШОС", "convention")],
        ),
        (
            "双方重申遵守《上海合作组织反极端主义公约》和联合国宪章。",
            [("上海合作组织反极端主义公约", "convention"), ("联合国宪章", "charter")],
        ),
        (
            "Le Conseil a rappelé la Convention de Shanghai et la Charte des Nations unies.",
            [("Convention de Shanghai", "convention"), ("Charte des Nations unies", "charter")],
        ),
        (
            "La OEA celebró el aniversario de la Carta Democrática Interamericana y del Convenio de Estambul.",
            [("Carta Democrática Interamericana", "charter"), ("Convenio de Estambul", "convention")],
        ),
        (
            "أكد المجلس التزامه بميثاق الأمم المتحدة، واتفاقية شنغهاي لمكافحة الإرهاب.",
            [("ميثاق الأمم المتحدة", "charter"), ("اتفاقية شنغهاي لمكافحة الإرهاب", "convention")],
        ),
        (
            "Der Rat verwies auf das Übereinkommen des Europarats und die Charta der Vereinten Nationen.",
            [("Übereinkommen des Europarats", "convention"), ("Charta der Vereinten Nationen", "charter")],
        ),
    ],
)
def test_document_kind_words_of_every_language(text, expected):
    """Конвенция/公约/Convention/Convenio/اتفاقية/Übereinkommen and their kin name documents of the right kind."""
    assert documents(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The Council recalled resolution 2231 (2015).",
        "The Council recalled S/RES/2231 (2015).",
        "Совет напомнил о резолюции 2231.",
        "安理会重申第2231号决议。",
        "Le Conseil a rappelé la résolution 2231.",
        "El Consejo recordó la resolución 2231.",
        "أكد المجلس على قرار مجلس الأمن رقم 2231.",
    ],
)
def test_resolution_numbers_in_every_language(text):
    """A resolution is known by its number, whatever the language or the symbol."""
    found = extract(text).documents
    assert [(d.kind, d.name.endswith("2231")) for d in found] == [("resolution", True)]


def test_named_documents_without_a_kind_word_and_year_ranges():
    """'Ezulwini Consensus', 'Copenhagen Document' and 'Strategy for 2026-2035' are documents, whole."""
    text = (
        "The leaders adopted the SCO Development Strategy for 2026-2035 and recalled the Ezulwini Consensus "
        "and the Copenhagen Document."
    )
    assert [name for name, _ in documents(text)] == [
        "SCO Development Strategy for 2026-2035",
        "Ezulwini Consensus",
        "Copenhagen Document",
    ]
    assert documents("They discussed the Strategy for 2026–2035 at length.") == [("Strategy for 2026–2035", "strategy")]
