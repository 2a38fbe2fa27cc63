"""Arabic (no capitals: people are found by title, then the words of the name)."""

from .base import Language, listed

ARABIC = "\u0600-\u06ff"
LETTER = "\u0621-\u063a\u0641-\u065f\u066e-\u06d3"  # Arabic letters and marks, without its punctuation
TITLES = (
    "الأمين العام المساعد|الأمين العام|نائب الأمين العام|وزير الخارجية|وزير|وزيرة|الرئيس|رئيس|رئيسة|"
    "المتحدث الرسمي|المتحدث باسم|المتحدث|المتحدثة|السفير|السفيرة|المندوب الدائم|المندوب|الممثل الخاص|الممثل|"
    "المبعوث الخاص|المبعوث|المدير العام|المديرة العامة|مدير|الملك|الأمير|ولي العهد|المفوض السامي|المفوض"
)
VERBS = (
    r"[وف]?(?:قال|أكد|أضاف|أشار|صرح|أوضح|شدد|أعلن|تابع|لفت|اعتبر|رأى|دعا|حذر|ذكر|أفاد|نوه|اكد|اضاف|اشار|أعرب|"
    r"طالب|أشاد)(?:ت)?|(?:مضيف|مؤكد|مشير|موضح|معتبر|لافت|قائل|مشدد)(?:ا|اً|ة|ةً)"
)
NAME_WORD = rf"[{LETTER}]{{2,}}"
NOT_NAME = (
    "جمهورية|مملكة|دولة|الاتحاد|إنّ|أنّ|إنه|أنه|إن|أن|في|خلال|على|إلى|مع|عن|من|يوم|أمس|اليوم|الذي|التي|لدى|عقب|بعد|قبل"
)

LANGUAGE = Language(
    code="ar",
    name="العربية",
    script=ARABIC,
    adjectives_follow=True,
    pro_drop=True,
    quote_pairs=(("«", "»"), ("“", "”"), ('"', '"')),
    speech_verbs=(VERBS,),
    participles=listed("مضيفا مؤكدا مشيرا موضحا معتبرا لافتا واصفا مشددا"),
    calls=((r"[وف]?(?:دعا|دعت)", r"(?:إلى|الى)"), (r"[وف]?(?:طالب|طالبت)", r"ب(?=\S)")),
    complementisers=("إنه", "أنه", "إنها", "أنها", "أنّ", "إنّ", "إن", "أن"),
    according_to=("وفقا ل", "وفقاً ل", "بحسب", "حسب", "وفق"),
    pronouns={},
    title_words=frozenset(TITLES.split("|")),
    # "الأمين العام لجامعة الدول العربية أحمد أبو الغيط": a title, its qualifier (words with the article or
    # "ل"), then two or three words of the name, ending at a comma, a colon or a function word.
    person_patterns=(
        rf"(?P<title>(?:{TITLES}|ال[{LETTER}]{{2,}}ي)(?:\s+(?:(?:ال|لل|ل)[{LETTER}]+|[\"“«][^\"”»\n]{{1,20}}[\"”»])){{0,5}})\s+"
        rf"(?P<name>(?!(?:{NOT_NAME})\s|ال|لل|ب[أإا]){NAME_WORD}(?:\s+(?!(?:{NOT_NAME})\s){NAME_WORD}){{1,2}}?)"
        rf"(?=\s*(?:[،:.؛]|\s(?:{NOT_NAME})\s|$))",
    ),
    document_kinds={
        "اتفاقية": "convention",
        "ميثاق": "charter",
        "قرار": "resolution",
        "معاهدة": "treaty",
        "استراتيجية": "strategy",
        "إعلان": "declaration",
        "اتفاق": "agreement",
    },  # fmt: skip
    document_patterns=(
        rf"(?P<name>(?P<kind>اتفاقية|ميثاق|معاهدة|استراتيجية|إعلان)\s+[{LETTER}]+(?:\s+(?:ل|ال|لل)?[{LETTER}]+){{0,4}})"
        r"(?=\s*[،.:؛\n)]|\s+(?:التي|الذي|في|عام|لعام))",
        r"(?P<name>(?:ال)?قرار(?:\s+مجلس\s+الأمن)?(?:\s+(?:الدولي\s+)?رقم)?\s+(?P<number>\d{1,4}))",
    ),
)
