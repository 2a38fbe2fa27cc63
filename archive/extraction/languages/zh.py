"""Chinese (written without spaces: verbs and names are found by pattern, with guards against longer words)."""

from .base import Language

HAN = "\u4e00-\u9fff"
TITLES = (
    "秘书长|副秘书长|外长|外交部长|部长|副部长|主席|副主席|总统|副总统|总理|副总理|首相|发言人|大使|特使|特别代表|"
    "代表|主任|总干事|局长|国务委员|议长|司长|部长助理|高级代表|执行主任|理事长|会长|行长|总书记|委员长"
)
VERBS = (
    r"表示|指出|强调|认为|介绍|宣布|呼吁|重申|坦言|透露|提到|警告|谈到|阐述|补充说|说道|"
    r"(?<![名声简通俗号])称(?![为作号])|说(?![明服法])"
)

_BRACKETED = r"[（(][^（）()\n]{0,40}[)）]"
COMMA_CLAUSE_VERBS = "表示 指出 强调 认为 介绍 宣布 呼吁 重申 坦言 透露 提到 警告 谈到 阐述 补充说 说道 称 说"

LANGUAGE = Language(
    code="zh",
    name="中文",
    script=HAN,
    spaced=False,
    quote_pairs=(("“", "”"), ("‘", "’"), ("「", "」"), ("『", "』")),
    speech_verbs=(VERBS,),
    # "王毅表示，……。": the reported clause follows the verb and its comma.
    comma_clause_verbs=frozenset(COMMA_CLAUSE_VERBS.split()),
    bare_clause_verbs=frozenset(("表示", "说", "称", "认为", "说道")),
    coordinators=("并", "并且", "同时", "还", "他还", "她还"),
    pronouns={"他": "m", "她": "f"},
    title_words=frozenset(TITLES.split("|")),
    # "斯托尔滕贝格(Jens Stoltenberg)周五(6月11日)对记者说", "古特雷斯在当天举行的新闻发布会上回答媒体提问时说": what
    # stands between a subject and its verb holds no punctuation but brackets.
    subject_verb_gaps=(rf"(?:{_BRACKETED})*[{HAN}0-9０-９](?:[{HAN}0-9０-９]|{_BRACKETED}){{0,49}}?",),
    # "秘书长张明表示", "外交部发言人汪文斌说", "安东尼奥·古特雷斯在会上指出": a title, then the name, then a verb
    # (or a place or time word leading to it).
    person_patterns=(
        rf"(?P<title>{TITLES})(?P<name>[{HAN}]{{1,5}}·[{HAN}]{{1,6}}|[{HAN}]{{2,6}}?)"
        rf"(?=(?:{VERBS})|在|于|对|向|就|也|还|则|今天|日前|近日|当天|同日|周|提问|回答|会见|出席|访问|与|同|[0-9０-９]|[（(，,、：:])",
    ),
    document_kinds={
        "公约": "convention",
        "条约": "treaty",
        "宪章": "charter",
        "战略": "strategy",
        "决议": "resolution",
        "宣言": "declaration",
        "协定": "agreement",
        "协议": "agreement",
        "议定书": "other",
    },  # fmt: skip
    document_patterns=(
        r"《(?P<name>[^《》\n]{2,60}?(?P<kind>公约|条约|宪章|战略|决议|宣言|协定|协议|议定书|纲要|规划))》",
        r"(?P<name>(?:联合国|上合组织|上海合作组织|北约|东盟|非盟|欧盟|阿盟|独联体)(?P<kind>宪章|公约|条约|战略|宣言))",
        r"(?P<name>第\s*(?P<number>\d{1,4})\s*[（(]?(?P<year>(?:19|20)\d{2})?\s*年?[)）]?\s*号决议)",
    ),
)
