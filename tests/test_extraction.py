"""Unit tests of archive.extraction: pure Python, no database.

Each test guards one behaviour of quotation, speaker and document extraction; the last one runs
the whole annotated evaluation set so that quality cannot silently regress.
"""

import importlib.util
import json
import sys
from datetime import datetime
from pathlib import Path

import pytest

from archive.extraction import KnownDocument, KnownPerson, extract, parse_plain_text_article
from bench.extraction_speed import hostile_inputs

REPO_ROOT = Path(__file__).resolve().parent.parent
SEED_TEXT = REPO_ROOT / "fixtures" / "seeds" / "000_30bc9b6824f9c85d.txt"
EVAL_DIR = Path(__file__).resolve().parent / "extraction_eval"


def load_bench():
    spec = importlib.util.spec_from_file_location("extraction_eval", REPO_ROOT / "bench" / "extraction_eval.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def seed():
    article = parse_plain_text_article(SEED_TEXT.read_text(encoding="utf-8"))
    return article, extract(article.body_text)


def direct(result):
    return [quotation for quotation in result.quotations if quotation.direct]


def indirect(result):
    return [quotation for quotation in result.quotations if not quotation.direct]


# -- the founding example ---------------------------------------------------------------------------


def test_seed_has_exactly_the_eight_direct_quotations_by_alimov(seed):
    """The seed yields its eight direct quotations, exact spans, all attributed to Rashid Alimov."""
    article, result = seed
    quotations = direct(result)
    openings = [
        "The threat of extremism is an urgent issue",
        "It is important to remember",
        "The convention adopted by the SCO summit",
        "The adoption of the convention on countering extremism",
        "extremism in no uncertain terms as a breeding ground",
        "The SCO member states underscored",
        "the shared view on the legal foundations",
        "The new convention may become the backbone",
    ]
    assert [q.text[: len(opening)] for q, opening in zip(quotations, openings, strict=True)] == openings
    for quotation in quotations:
        assert article.body_text[quotation.start : quotation.end] == quotation.text
        assert article.body_text[quotation.start - 1] == '"' and article.body_text[quotation.end] == '"'
        assert quotation.speaker == "Rashid Alimov"
    assert quotations[0].text.endswith("entire international community,")
    assert quotations[6].text.endswith("coup d'etat,")


def test_seed_reported_statements(seed):
    """The seed's reported speech is found as indirect quotations attributed to Alimov."""
    _, result = seed
    texts = {q.text: q for q in indirect(result)}
    expected_openings = [
        "the convention as the SCO's collective response",
        "the leaders of the SCO member states noted the need",
        "the new threats to international security require",
        "the 2017 convention determines the limits",
        "the convention creates cooperative mechanism",
    ]
    for opening in expected_openings:
        match = next(q for text, q in texts.items() if text.startswith(opening))
        assert match.speaker == "Rashid Alimov"
        assert not match.text.endswith(".")
    noted = next(q for text, q in texts.items() if text.startswith("the 2017 convention"))
    assert noted.text.endswith("including cases of mutual competence")
    assert noted.attribution == "Mr Alimov noted"


def test_seed_documents_speakers_and_organisations(seed):
    """The seed's five documents (kinds, years), its one speaker and its organisations."""
    _, result = seed
    documents = {document.name: document for document in result.documents}
    assert len(documents) == 5
    extremism = next(d for name, d in documents.items() if name.endswith("Convention on Countering Extremism"))
    assert (extremism.kind, extremism.year) == ("convention", 2017)
    shanghai = next(d for name, d in documents.items() if name.startswith("Shanghai Convention on Comba"))
    assert (shanghai.kind, shanghai.year) == ("convention", 2001)
    assert documents["SCO Development Strategy Towards 2025"].kind == "strategy"
    assert documents["UN Global Counter-Terrorism Strategy"].kind == "strategy"
    assert documents["universal anti-terrorism convention"].kind == "convention"
    assert [(s.name, s.title, s.organisation) for s in result.speakers] == [
        ("Rashid Alimov", "Secretary-General", "SCO")
    ]
    assert {"SCO", "Shanghai Cooperation Organisation", "TASS", "UN"} <= set(result.organisations)


def test_seed_referring_phrases_point_to_the_2017_convention(seed):
    """'The convention', 'the new document', 'the 2017 convention' mean the 2017 convention, not 2001's."""
    _, result = seed
    extremism = next(d for d in result.documents if d.name.endswith("Convention on Countering Extremism"))
    words = [mention[2].lower() for mention in extremism.mentions]
    assert {
        "the convention",
        "the new document",
        "the 2017 convention",
        "the new convention",
        "this document",
    } <= set(words)
    backbone = direct(result)[7]
    assert backbone.documents == [extremism.name]
    strategies = direct(result)[2]
    assert strategies.documents == [
        extremism.name,
        "SCO Development Strategy Towards 2025",
        "UN Global Counter-Terrorism Strategy",
    ]


def test_known_documents_give_canonical_titles(seed):
    """With known documents, their canonical titles are used (spelling variants and short forms tolerated)."""
    article, _ = seed
    known = [
        KnownDocument(
            "Shanghai Convention on Combating Terrorism, Separatism and Extremism",
            short_title="Shanghai Convention",
            year=2001,
        ),
        KnownDocument("SCO Convention on Countering Extremism", year=2017),
    ]
    result = extract(article.body_text, known_documents=known)
    names = [document.name for document in result.documents]
    assert "Shanghai Convention on Combating Terrorism, Separatism and Extremism" in names
    assert "SCO Convention on Countering Extremism" in names
    assert direct(result)[7].documents == ["SCO Convention on Countering Extremism"]


def test_to_dict_is_json_serialisable(seed):
    """to_dict() has the documented keys and survives json.dumps."""
    _, result = seed
    data = json.loads(json.dumps(result.to_dict()))
    assert set(data) == {"language", "quotations", "speakers", "organisations", "documents"}
    assert set(data["quotations"][0]) == {
        "text",
        "start",
        "end",
        "direct",
        "speaker",
        "attribution",
        "documents",
        "speaker_unknown",
    }
    assert set(data["documents"][0]) == {"name", "kind", "year"}


# -- quotation styles ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ('"We will not give up," Mr Karimov said.', "We will not give up,"),
        ("“We will not give up,” Mr Karimov said.", "We will not give up,"),
        ("«Мы не сдадимся», — сказал Рустам Каримов.", "Мы не сдадимся"),
        ("„Wir geben nicht auf“, sagte Anna Karimova.", "Wir geben nicht auf"),
        ("Ms Karimova said: “We will not give up.”", "We will not give up."),
    ],
)
def test_quote_styles(text, quoted):
    """Straight, curly, guillemet and German quotation marks each give one direct quotation."""
    result = extract("Foreign Minister Rustam Karimov and Ambassador Anna Karimova met on Monday.\n\n" + text)
    assert [q.text for q in direct(result)] == [quoted]
    assert direct(result)[0].speaker is not None


def test_british_single_quotes_are_quotations_and_apostrophes_are_not():
    """In paragraphs without double marks, ‘...’ and '...' are quotations; possessives do not end them."""
    text = (
        "Foreign Secretary James Carter spoke in London.\n\n"
        "‘The member states’ decision is final,’ Mr Carter said. He described the vote as ‘historic’.\n\n"
        "'We are ready,' he added. Kazakhstan's minister agreed."
    )
    assert [(q.text, q.speaker) for q in direct(extract(text))] == [
        ("The member states’ decision is final,", "James Carter"),
        ("historic", "James Carter"),
        ("We are ready,", "James Carter"),
    ]


def test_nested_quotes_stay_inside_the_outer_quotation():
    """Quotes inside a quotation ('...' or «„...“») are part of it, not quotations of their own."""
    text = (
        "UN Secretary-General Ana Ferreira spoke in Geneva.\n\n"
        "\"A woman told me: 'We want jobs, not pity.' I have not forgotten it,\" Ms Ferreira said.\n\n"
        "«Мы помним слова „доверие прежде всего“ и следуем им», — сказала она."
    )
    result = extract(text)
    assert [q.text for q in direct(result)] == [
        "A woman told me: 'We want jobs, not pity.' I have not forgotten it,",
        "Мы помним слова „доверие прежде всего“ и следуем им",
    ]


def test_scare_quotes_and_quoted_names_are_not_quotations():
    """Quoted names, titles and short terms without an attribution are not quotations."""
    text = (
        'The forum discussed the "Shanghai Spirit", the "Belt and Road" initiative and the so-called '
        '"three evils". Experts presented a report entitled "Security in a changing world". '
        'Mr Li said the "Shanghai Spirit" remains the basis of cooperation.'
    )
    result = extract(text)
    assert direct(result) == []


def test_partial_quotations_after_framing_verbs_are_quotations():
    """'described it as "..."', 'called the attack "..."', 'said it was "..."' give partial quotations."""
    text = (
        "Special Envoy Jean Moreau condemned the attack.\n\n"
        'He called the attack "cowardly" and described the aid workers as "true heroes". '
        'Mr Moreau said it was "a tragic reminder" of the risks.'
    )
    result = extract(text)
    assert [(q.text, q.speaker) for q in direct(result)] == [
        ("cowardly", "Jean Moreau"),
        ("true heroes", "Jean Moreau"),
        ("a tragic reminder", "Jean Moreau"),
    ]


def test_editorial_brackets_stay_inside_the_quotation():
    """Editorial insertions in [brackets] are kept in the quotation span."""
    text = '"They [the peacekeepers] left as soon as order was restored," Mr Volkov said.'
    assert [q.text for q in extract(text).quotations] == ["They [the peacekeepers] left as soon as order was restored,"]


def test_split_quotation_gives_two_entries_with_one_speaker():
    """'"...," he said, "..."' is two quotations with the same speaker."""
    text = (
        "NATO Secretary General Henrik Dahl spoke in Brussels.\n\n"
        '"Today is a historic day," Mr Dahl said, "because our Alliance becomes stronger."'
    )
    quotations = direct(extract(text))
    assert [q.text for q in quotations] == [
        "Today is a historic day,",
        "because our Alliance becomes stronger.",
    ]
    assert {q.speaker for q in quotations} == {"Henrik Dahl"}


def test_multi_paragraph_quotation_is_one_span():
    """A quotation with an opening mark on each paragraph and one closing mark is one span."""
    text = (
        "The Chairperson of the Commission, Amara Diallo, said:\n\n"
        '"Our leaders made a promise.\n\n'
        '"We have not kept it yet. Silencing the guns is a duty," she said.'
    )
    quotations = direct(extract(text))
    assert len(quotations) == 1
    assert (
        quotations[0].text == 'Our leaders made a promise.\n\n"We have not kept it yet. Silencing the guns is a duty,'
    )
    assert quotations[0].speaker == "Amara Diallo"


def test_attribution_in_the_next_sentence():
    """'"..." That was how Ms X put it.' and '"..." Ms X said this.' attribute the quotation."""
    text = (
        "The Executive Director of the Office, Nadia Haddad, presented the report.\n\n"
        '"Every gram of heroin finances someone\'s weapons." That was how Ms Haddad put it. '
        '"We cannot ignore the money." Ms Haddad said this in reply to a question.'
    )
    assert [(q.speaker, q.direct) for q in extract(text).quotations] == [("Nadia Haddad", True)] * 2


def test_pronouns_resolve_across_two_speakers():
    """'he' and 'she' go to the last-named person of that gender, with two speakers in turn."""
    text = (
        "The meeting was chaired by the Foreign Minister of Uzbekistan, Javlon Ergashev, and attended by "
        "SCO Secretary-General Aigerim Bekova.\n\n"
        '"We have agreed on the declaration," Mr Ergashev said.\n\n'
        "Ms Bekova said the Secretariat had received new applications. "
        '"Interest keeps growing," she noted.\n\n'
        'He added that transport would be central. "Central Asia must be a bridge," he said.'
    )
    result = extract(text)
    assert [(q.speaker, q.direct) for q in result.quotations] == [
        ("Javlon Ergashev", True),
        ("Aigerim Bekova", False),
        ("Aigerim Bekova", True),
        ("Javlon Ergashev", False),
        ("Javlon Ergashev", True),
    ]
    assert [speaker.name for speaker in result.speakers] == ["Javlon Ergashev", "Aigerim Bekova"]


def test_titles_resolve_to_the_person_holding_them():
    """'the Secretary-General noted' and 'the senior UN official stressed' resolve to the titled person."""
    text = (
        "Marina Kovalenko, UN Under-Secretary-General for counter-terrorism, "
        "met Foreign Minister Omar Farouk.\n\n"
        "The senior UN official stressed that national plans are still missing in many states. "
        '"Data saves lives," the Under-Secretary-General said.'
    )
    assert {q.speaker for q in extract(text).quotations} == {"Marina Kovalenko"}


@pytest.mark.parametrize(
    ("sentence", "name", "title", "organisation"),
    [
        ("SCO Secretary-General Rashid Alimov", "Rashid Alimov", "Secretary-General", "SCO"),
        (
            "Vladimir Voronkov, UN Under-Secretary-General for counter-terrorism,",
            "Vladimir Voronkov",
            "Under-Secretary-General for counter-terrorism",
            "UN",
        ),
        ("The ASEAN Secretary-General, Lim Jock Hoi,", "Lim Jock Hoi", "Secretary-General", "ASEAN"),
        ("Secretary-General of the OSCE Thomas Greminger", "Thomas Greminger", "Secretary-General", "OSCE"),
    ],
)
def test_apposition_gives_name_title_and_organisation(sentence, name, title, organisation):
    """Titles before or after a name (with or without commas) make a speaker with title and organisation."""
    result = extract(f'{sentence} opened the meeting. "We are ready to act together," he said.')
    assert [(s.name, s.title, s.organisation) for s in result.speakers] == [(name, title, organisation)]


def test_known_people_are_matched_by_alias_and_surname():
    """Known people are recognised by alias and by honorific + surname, and keep their canonical name."""
    known = [KnownPerson("Rashid Alimov", aliases=("R. Alimov",), title="Secretary-General", organisation="SCO")]
    text = '"We are ready," Mr Alimov said. "The work goes on," R. Alimov added.'
    result = extract(text, known_people=known)
    assert [q.speaker for q in result.quotations] == ["Rashid Alimov", "Rashid Alimov"]
    assert [(s.name, s.title, s.organisation) for s in result.speakers] == [
        ("Rashid Alimov", "Secretary-General", "SCO")
    ]


def test_people_named_but_not_quoted_are_not_speakers():
    """A person who is only named gets no quotation and is not listed as a speaker."""
    text = (
        "SCO Secretary-General Farhod Aliev met Prime Minister Imran Qureshi in Islamabad.\n\n"
        '"Our cooperation is already substantial," Mr Aliev told reporters.'
    )
    result = extract(text)
    assert [speaker.name for speaker in result.speakers] == ["Farhod Aliev"]


def test_reported_speech_forms():
    """'noted that', bare 'said', 'according to', trailing ', he said' and 'and warned that' are indirect."""
    text = (
        "SCO Secretary-General Daniyar Seitkali met journalists.\n\n"
        "Mr Seitkali noted that the Contact Group had resumed its work. "
        "He said the member states were ready to support the peace process. "
        "According to the Secretary-General, drug trafficking remains a source of financing. "
        "The organisation will help train officers, Mr Seitkali said. "
        "He pointed out that the plan was agreed, and warned that risks remained high."
    )
    result = extract(text)
    assert [(q.text, q.speaker, q.direct) for q in result.quotations] == [
        ("the Contact Group had resumed its work", "Daniyar Seitkali", False),
        ("the member states were ready to support the peace process", "Daniyar Seitkali", False),
        ("drug trafficking remains a source of financing", "Daniyar Seitkali", False),
        ("The organisation will help train officers", "Daniyar Seitkali", False),
        ("the plan was agreed", "Daniyar Seitkali", False),
        ("risks remained high", "Daniyar Seitkali", False),
    ]


def test_non_person_subjects_do_not_report_speech():
    """'The leaders noted that ...' or 'the convention emphasises ...' are not attributed statements."""
    text = "The leaders noted that the threat was growing. The convention emphasises the need for prevention."
    assert extract(text).quotations == []


# -- documents ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name", "kind", "year"),
    [
        (
            "They adopted the Convention on Countering Extremism.",
            "Convention on Countering Extremism",
            "convention",
            None,
        ),
        (
            "It recalled the Treaty on the Non-Proliferation of Nuclear Weapons (NPT).",
            "Treaty on the Non-Proliferation of Nuclear Weapons",
            "treaty",
            None,
        ),
        ("It builds on resolution 1373 (2001).", "resolution 1373", "resolution", 2001),
        (
            "It builds on Security Council resolution 2178.",
            "Security Council resolution 2178",
            "resolution",
            None,
        ),
        ("All parties respect the UN Charter.", "UN Charter", "charter", None),
        (
            "All parties respect the Charter of the United Nations.",
            "Charter of the United Nations",
            "charter",
            None,
        ),
        ("Leaders recalled the 2015 Paris Agreement.", "Paris Agreement", "agreement", 2015),
        (
            "It implements the UN Global Counter-Terrorism Strategy.",
            "UN Global Counter-Terrorism Strategy",
            "strategy",
            None,
        ),
        (
            "Ministers signed the Declaration on the Conduct of Parties in 2002.",
            "Declaration on the Conduct of Parties",
            "declaration",
            2002,
        ),
        (
            "In the UN they have been discussing a universal anti-terrorism convention for years.",
            "universal anti-terrorism convention",
            "convention",
            None,
        ),
    ],
)
def test_document_forms(text, name, kind, year):
    """Named, numbered, descriptive and under-discussion documents are recognised with kind and year."""
    documents = extract(text).documents
    assert [(d.name, d.kind, d.year) for d in documents] == [(name, kind, year)]


def test_short_and_long_forms_of_a_name_are_one_document():
    """'Charter of the United Nations' and 'UN Charter', 'X (NPT)' and 'the NPT' are one document each."""
    text = (
        "The Charter of the United Nations was signed in 1945. Speakers praised the UN Charter. "
        "The Treaty on the Non-Proliferation of Nuclear Weapons (NPT) is the cornerstone. The NPT has worked."
    )
    documents = extract(text).documents
    assert [(d.name, len(d.mentions)) for d in documents] == [
        ("Charter of the United Nations", 2),
        ("Treaty on the Non-Proliferation of Nuclear Weapons", 2),
    ]
    assert documents[0].year == 1945


def test_quotation_documents_include_referring_phrases():
    """A quotation is linked to documents it names and to those its 'the agreement' refers to."""
    text = (
        "Leaders recalled the 2015 Paris Agreement and the Kyoto Protocol.\n\n"
        '"Under the agreement, every country must come back with a stronger plan," Ms Otieno said.'
    )
    result = extract(text)
    assert result.quotations[0].documents == ["Paris Agreement"]


# -- the plain-text format ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("13.06.2017 07:48", datetime(2017, 6, 13, 7, 48)),
        ("13.06.2017", datetime(2017, 6, 13)),
        ("2017-06-13", datetime(2017, 6, 13)),
        ("2017-06-13 07:48", datetime(2017, 6, 13, 7, 48)),
        ("13 June 2017", datetime(2017, 6, 13)),
        ("June 13, 2017", datetime(2017, 6, 13)),
    ],
)
def test_parse_plain_text_article_date_forms(line, expected):
    """Every accepted date-line form is parsed; paragraphs are joined by blank lines in body_text."""
    article = parse_plain_text_article(f"A title\n{line}\n\nFirst paragraph.\n\n\nSecond\nparagraph.\n")
    assert article.title == "A title"
    assert article.published == expected
    assert article.paragraphs == ["First paragraph.", "Second paragraph."]
    assert article.body_text == "First paragraph.\n\nSecond paragraph."


def test_parse_plain_text_article_without_date_line_keeps_the_body():
    """A second line that is not a date is body text, and published is None."""
    article = parse_plain_text_article("A title\nNot a date at all.\n\nMore text.")
    assert article.published is None
    assert article.paragraphs == ["Not a date at all.", "More text."]


@pytest.mark.parametrize("raw", ["", "  \n\n ", "Only a title\n13.06.2017\n\n"])
def test_parse_plain_text_article_rejects_empty_input(raw):
    """An empty file, or one with no body, raises ValueError with a clear message."""
    with pytest.raises(ValueError, match="empty|no body"):
        parse_plain_text_article(raw)


def test_seed_offsets_are_offsets_into_body_text(seed):
    """Quotation offsets index body_text as returned by parse_plain_text_article."""
    article, result = seed
    assert article.title.startswith("SCO Secretary-General: The threat of extremism")
    assert article.published == datetime(2017, 6, 13, 7, 48)
    for quotation in result.quotations:
        assert article.body_text[quotation.start : quotation.end] == quotation.text


# -- rules for real-world styles (held-out set 3) ------------------------------------------------------


def test_calls_are_reported_speech():
    """'called for ...', 'called on X to ...', 'urges X to ...' are reported statements of the caller."""
    text = (
        "The Chairperson of the African Union Commission, Amara Diallo, met the envoys.\n\n"
        "The Chairperson condemns the attacks and calls on all parties to observe a ceasefire. "
        "She also called for an inquiry into the killings of aid workers. "
        "She urged the parties to return to the negotiating table."
    )
    assert [(q.text, q.speaker, q.direct) for q in extract(text).quotations] == [
        ("all parties to observe a ceasefire", "Amara Diallo", False),
        ("an inquiry into the killings of aid workers", "Amara Diallo", False),
        ("the parties to return to the negotiating table", "Amara Diallo", False),
    ]


def test_subject_of_a_coordinated_verb_and_past_a_relative_clause():
    """'X thanked ... and said ...', 'X, Director of Y, who travelled with Mr Z, said ...' go to X."""
    text = (
        "Foreign Minister Omar Farouk received Tom Fletcher, the UN relief chief.\n\n"
        "Mr Farouk thanked the UN for its support and said the border crossing would stay open. "
        "Cindy McCain, Executive Director of the World Food Programme (WFP), who travelled with Mr Fletcher, "
        "said rations had been cut. Peskov, who was not there, said nothing. "
        "The minister said the talks would resume, and declined to say when."
    )
    quotations = extract(text).quotations
    assert [(q.text, q.speaker) for q in quotations] == [
        ("the border crossing would stay open", "Omar Farouk"),
        ("rations had been cut", "Cindy McCain"),
        ("the talks would resume", "Omar Farouk"),
    ]


def test_a_lead_may_name_its_speaker_in_the_next_paragraph():
    """'The UN's top disarmament official warned ...' before 'Izumi Nakamitsu, the High Representative ...'."""
    text = (
        "The UN’s top disarmament official warned on Monday that the risk of nuclear use was rising.\n\n"
        "Izumi Nakamitsu, the High Representative for Disarmament Affairs, spoke in New York."
    )
    assert [(q.text, q.speaker) for q in extract(text).quotations] == [
        ("the risk of nuclear use was rising", "Izumi Nakamitsu")
    ]


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("OSCE Secretary General Feridun H. Sinirlioğlu opened the meeting.", "Feridun H. Sinirlioğlu"),
        (
            "The Minister of Internal Affairs of the Republic of Belarus Ivan Kubrakov opened the meeting.",
            "Ivan Kubrakov",
        ),
        ("Министр иностранных дел России Сергей Лавров открыл заседание.", "Сергей Лавров"),
        (
            "High Representative for Foreign Affairs and Security Policy Kaja Kallas opened the meeting.",
            "Kaja Kallas",
        ),
        ("ROSEMARY DICARLO, Under-Secretary-General for Political Affairs, opened the meeting.", "Rosemary Dicarlo"),
        ("Secretary-General of ASEAN Dato Lim Jock Hoi opened the meeting.", "Lim Jock Hoi"),
    ],
)
def test_names_after_long_titles_initials_and_capitals(sentence, name):
    """Middle initials stay in a name; countries and title words before it and honorifics do not."""
    result = extract(f'{sentence}\n\n"We are ready to act together," the official said.')
    assert [speaker.name for speaker in result.speakers] == [name]


def test_places_and_news_outlets_are_not_speakers():
    """'in Port Sudan', 'told UN News', 'in New York' do not become people a pronoun could mean."""
    text = (
        "Speaking to journalists in Port Sudan, Tom Fletcher, the UN relief chief, described the situation.\n\n"
        "The Coordinator in Sudan, Clementine Nkweta-Salami, warned of famine. "
        '"Convoys wait for weeks," she told UN News in New York.'
    )
    result = extract(text)
    assert [q.speaker for q in result.quotations] == ["Clementine Nkweta-Salami"]
    assert {speaker.name for speaker in result.speakers} == {"Clementine Nkweta-Salami"}


def test_partial_quotations_inside_reported_clauses_but_not_terms():
    """'told a briefing that the West was trying to "torpedo" the talks' is her word; 'the "SCO family"' a term."""
    text = (
        "Spokeswoman Maria Zakharova spoke in Moscow.\n\n"
        'Maria Zakharova told a briefing that the West was trying to "torpedo" the talks. '
        'She said that Belarus was a full member of the "SCO family".'
    )
    assert [(q.text, q.direct) for q in extract(text).quotations] == [
        ("torpedo", True),
        ('Belarus was a full member of the "SCO family"', False),
    ]


def test_unnamed_speakers_keep_no_speaker():
    """'..., a senior European diplomat said' is not the previous speaker's quotation."""
    text = (
        "Kremlin spokesman Dmitry Peskov spoke to reporters.\n\n"
        '"We are not talking about dates yet," Peskov said.\n\n'
        '"Nobody will accept a deal made over our heads," a senior European diplomat said.'
    )
    assert [q.speaker for q in extract(text).quotations] == ["Dmitry Peskov", None]


def test_transcript_labels_name_lines_and_cataphoric_sources():
    """A 'Secretary-General:' line, a name line under a quotation, and 'Об этом заявил X' attribute speech."""
    transcript = (
        "The following is the text of UN Secretary-General António Guterres’ remarks to the press:\n\n"
        "Question: Is the goal still realistic?\n\n"
        "Secretary-General: As I told the leaders in Baku, “the age of fossil fuels is ending.”"
    )
    assert [q.speaker for q in extract(transcript).quotations] == ["António Guterres"]
    quote_block = (
        "President Ursula von der Leyen visited Samarkand.\n\nQuote(s)\n\n"
        "“Central Asia and Europe are natural partners.”\n\n"
        "Ursula von der Leyen, President of the European Commission"
    )
    assert [q.speaker for q in extract(quote_block).quotations] == ["Ursula von der Leyen"]
    tass = (
        "МОСКВА, 3 июня. /ТАСС/. Кремль не видит оснований для пересмотра своей позиции. Об этом журналистам "
        "заявил пресс-секретарь президента РФ Дмитрий Песков."
    )
    assert [(q.text, q.speaker) for q in extract(tass).quotations] == [
        ("Кремль не видит оснований для пересмотра своей позиции", "Дмитрий Песков")
    ]


def test_german_reported_speech_and_descriptive_reference():
    """'Wadephul betonte, Deutschland werde ...' and '„...“, sagte der CDU-Politiker'."""
    text = (
        "Bundesaußenminister Johann Wadephul traf die Amtskollegen. „Auf Deutschland ist Verlass“, sagte der "
        "CDU-Politiker.\n\nWadephul betonte, Deutschland werde die Ausgaben erhöhen."
    )
    assert [(q.text, q.speaker, q.direct) for q in extract(text).quotations] == [
        ("Auf Deutschland ist Verlass", "Johann Wadephul", True),
        ("Deutschland werde die Ausgaben erhöhen", "Johann Wadephul", False),
    ]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "They recalled the Constitutive Act of the African Union and the Charter of the United Nations.",
            ["Constitutive Act of the African Union", "Charter of the United Nations"],
        ),
        (
            "States must ratify the Council of Europe Convention on preventing and combating violence against "
            "women and domestic violence, known as the Istanbul Convention. The Istanbul Convention works.",
            ["Council of Europe Convention on preventing and combating violence against women and domestic violence"],
        ),
        ("They marked the Helsinki Final Act. The Final Act still binds them.", ["Helsinki Final Act"]),
        ("The draft SCO Development Strategy until 2035 was discussed.", ["SCO Development Strategy until 2035"]),
        (
            "The 2025 Sudan Humanitarian Needs and Response Plan is underfunded.",
            ["Sudan Humanitarian Needs and Response Plan"],
        ),
        ("Хартия ШОС была подписана в 2002 году.", ["Хартия ШОС"]),
        ("Er lobte den Nordatlantikvertrag.", ["Nordatlantikvertrag"]),
    ],
)
def test_more_document_forms(text, names):
    """Two names joined by 'and the', aliases after 'known as', short forms at the end of a name, 'until',
    inner 'and', Russian and German names."""
    assert [document.name for document in extract(text).documents] == names


def test_capitalised_reference_to_a_plan():
    """'the Plan' refers back to the Joint Comprehensive Plan of Action."""
    text = (
        "The Council discussed the Joint Comprehensive Plan of Action (JCPOA).\n\n"
        "ROSEMARY DICARLO, Under-Secretary-General for Political Affairs, said that the Secretary-General "
        "continues to regard the Plan as the best available option."
    )
    assert extract(text).quotations[0].documents == ["Joint Comprehensive Plan of Action"]


def test_title_after_an_introductory_phrase_is_not_the_speakers():
    """'After meeting the Foreign Minister, Ana Ferreira said ...' does not make Ferreira a foreign minister;
    'met the President of Finland, Alexander Stubb, and ...' does make Stubb the president."""
    result = extract("After meeting the Foreign Minister, Ana Ferreira said the talks had been useful.")
    assert [(s.name, s.title) for s in result.speakers] == [("Ana Ferreira", "")]
    result = extract("He met the President of Finland, Alexander Stubb, and said nothing. Stubb said it was useful.")
    assert [(s.name, s.title) for s in result.speakers] == [("Alexander Stubb", "President of Finland")]


def test_pronouns_prefer_the_subject_and_use_given_names():
    """'Mr Dahl met President Berg. He said ...' is Dahl; 'she' after 'Ana Ferreira met Omar Farouk' is Ferreira."""
    result = extract("Mr Henrik Dahl met President Jonas Berg in Oslo. He said the Alliance was united.")
    assert [q.speaker for q in result.quotations] == ["Henrik Dahl"]
    text = (
        "UN Secretary-General Ana Ferreira met Prime Minister Omar Farouk on Monday.\n\n"
        '"We agreed on a plan," she said. "It will work," he added.'
    )
    assert [q.speaker for q in extract(text).quotations] == ["Ana Ferreira", "Omar Farouk"]


def test_told_takes_its_audience_before_the_clause():
    """'told reporters the decision was final': the clause starts after the audience."""
    text = "Kremlin spokesman Dmitry Peskov told reporters the decision was final. Peskov told TASS Moscow would wait."
    assert [q.text for q in extract(text).quotations] == ["the decision was final", "Moscow would wait"]


def test_british_single_quotes_around_double_quotes():
    """In British style the single marks are the outer ones: ‘... “...” ...,’ he said is one quotation."""
    text = (
        "Foreign Secretary James Carter spoke in London.\n\n"
        "‘A mother told me “we have nothing left”, and I believed her,’ Mr Carter said."
    )
    assert [(q.text, q.speaker) for q in extract(text).quotations] == [
        ("A mother told me “we have nothing left”, and I believed her,", "James Carter")
    ]


# -- robustness ----------------------------------------------------------------------------------------

# The sizes that once took minutes, scaled down: the suite checks correctness on them; bench/extraction_speed.py
# measures how the time grows with the length (no timed assertions here).
HOSTILE_INPUTS = hostile_inputs(scale=0.2)


@pytest.mark.parametrize("name", list(HOSTILE_INPUTS))
def test_hostile_input_is_handled_without_errors(name):
    """Thousands of quotation marks, unbalanced marks and long prose: no exception, and offsets that index the text."""
    text = HOSTILE_INPUTS[name]
    result = extract(text)
    for quotation in result.quotations:
        assert text[quotation.start : quotation.end] == quotation.text
    json.dumps(result.to_dict())


def test_random_input_never_raises():
    """Random mixes of quotation marks, names, titles, verbs and document words never raise."""
    hypothesis = pytest.importorskip("hypothesis")
    strategies = hypothesis.strategies
    pieces = [
        *'"“”„«»‘’\'()[]:;,.!?—–-', "\n\n", " ", "said", "Mr", "Ms.", "He", "she", "the", "Secretary-General",
        "Treaty", "Convention on", "resolution 2231 (2015)", "told TASS", "according to", "Об этом заявил",
        "ROSEMARY DICARLO", "(Iran)", "H.", "von der", "the Plan", "known as the", "Question:", "urged",
        "called for", "заявил, что", "betonte,", "Anna Karimova", "UN", "of the", "2030 Agenda",
    ]  # fmt: skip

    @hypothesis.settings(max_examples=300, deadline=None)
    @hypothesis.given(strategies.lists(strategies.sampled_from(pieces), max_size=80), strategies.booleans())
    def check(parts, spaced):
        text = (" " if spaced else "").join(parts)
        result = extract(text, title=text[:40])
        for quotation in result.quotations:
            assert text[quotation.start : quotation.end] == quotation.text

    check()


# -- quality on the evaluation set ---------------------------------------------------------------------


def test_evaluation_set_meets_quality_thresholds():
    """The annotated set keeps direct precision/recall >= 0.95, attribution >= 0.9, sound document scores."""
    bench = load_bench()
    total = bench.evaluate(EVAL_DIR)["total"]
    assert len(list(EVAL_DIR.glob("*.json"))) >= 54
    assert total.direct.precision >= 0.95
    assert total.direct.recall >= 0.95
    assert total.attribution_accuracy >= 0.9
    assert total.indirect.precision >= 0.85
    assert total.indirect.recall >= 0.85
    assert total.documents.precision >= 0.9
    assert total.documents.recall >= 0.9
    assert total.links.precision >= 0.85
    assert total.links.recall >= 0.85
