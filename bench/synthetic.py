"""A deterministic synthetic archive for benchmarks: organisations, people with roles, documents, and articles whose
bodies contain quotations and document mentions, written through the archive's own models.

    corpus = SyntheticArchive(articles=5000, seed=6)
    stats = corpus.load()            # needs Django set up and migrated; bulk_create in batches

The records are what the app itself would store: `body_html` is the output of archive.sanitize.clean_body and
`body_text` of archive.sanitize.html_to_text over it; every quotation's and mention's offsets point at its words in
`body_text` (checked while loading); a quotation's role is the one Quotation.save would pick (the speaker's role
held on the quotation's date, latest start first); slugs are unique as unique_slug makes them.

Sizes (issue 6): 400-900 words and 3-8 quotations per article; about 2,000 speakers in 300 organisations and 500
documents at 20,000 articles, scaled down linearly for smaller archives (with floors) and capped above. Dates run
from 2000 to mid-2026. Words follow a Zipf distribution over English stop words, a policy vocabulary and a long
tail of made-up words, so there are common words, rare words and realistic posting lists. Everything comes from
one random.Random(seed): the same arguments give the same archive.
"""

from __future__ import annotations

import datetime
import html
import itertools
import random
from collections import Counter
from dataclasses import dataclass, field


def words(text: str) -> list[str]:
    return text.split()


STOP_WORDS = words(
    "the of and to in a that for on is with as by at from it be has have was were this which will an are their its "
    "not or but also all been more would said they we our these can had than there other into about who"
)

# Ranked roughly by how often policy news uses them; the first ones are the "common word" queries.
POLICY_WORDS = words(
    "security cooperation international development countries region states support member economic meeting "
    "government president minister foreign national terrorism peace relations agreement organisation summit "
    "policy trade strategy partners council situation dialogue joint efforts level important issues regional "
    "stability global sustainable activities measures common interests framework implementation community "
    "declaration convention treaty extremism cooperation sovereignty integrity humanitarian assistance energy "
    "investment infrastructure transport connectivity digital economy growth financial crisis climate change "
    "health education culture youth women rights law justice court sanctions nuclear weapons disarmament "
    "military defence forces exercises border control migration refugees drugs trafficking crime corruption "
    "cyber information technology innovation science research agriculture food water environment protection "
    "elections democracy parliament constitution reform transparency accountability governance institutions "
    "secretariat delegation ambassador envoy representative spokesperson statement conference session assembly "
    "resolution mandate mission operation ceasefire negotiations talks consultations mediation settlement "
    "conflict violence attacks threats challenges risks response prevention countering combating radicalisation "
    "separatism fight against counterterrorism intelligence exchange mechanism structure centre committee "
    "working group experts officials leaders heads chairmanship presidency observer partner membership accession "
    "expansion enlargement neighbouring bilateral multilateral trilateral partnership friendship neighbourliness "
    "trust confidence mutual respect equality consensus principles charter norms values traditions heritage "
    "tourism sport media journalists press freedom expression religion tolerance diversity minorities "
    "population poverty employment labour industry production manufacturing exports imports tariffs customs "
    "market prices oil gas pipeline electricity renewable solar nuclear power railway highway corridor port "
    "logistics shipping aviation space satellite navigation telecommunications internet data privacy standards "
    "quality certification banking currency payments settlements loans credit fund budget revenue taxes debt "
    "inflation recovery pandemic vaccine medicine hospitals emergency disaster relief reconstruction "
    "rehabilitation demining landmines veterans pensions housing cities urban rural villages farmers harvest "
    "irrigation drought floods earthquake rescue volunteers charity donors grants aid programme project initiative "
    "roadmap plan timetable deadline progress results achievements success failure concern regret welcome "
    "appreciation gratitude condolences congratulations anniversary celebration ceremony visit tour reception "
    "invitation agenda priorities objectives goals tasks responsibilities obligations commitments guarantees"
)

SYLLABLES = words(
    "ba be bi bo bu da de di do du fa fe fi fo ga ge gi go ka ke ki ko ku la le li lo lu ma me mi mo mu na ne ni "
    "no nu pa pe pi po ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo za ze zi zo bra dra kra tra stra "
    "sha shi cho chu mar ner tal vin dor kan sel mir tov rin gal"
)

FIRST_NAMES = words(
    "Rashid Anna Mikhail Li Wang Zhang Chen Liu Yang Sergei Olga Ivan Nurlan Aigerim Bakhyt Dmitry Elena Farid "
    "Gulnara Hassan Irina Jamshid Kamila Lev Madina Nikolai Oksana Pavel Rustam Saida Timur Ulan Vera Yerlan Zarina "
    "Ahmed Fatima Omar Leila Ravi Priya Arjun Sunita Vijay Meera Sanjay Kavita Imran Ayesha Bilal Sana Hamid Nadia "
    "John Mary James Sarah Thomas Laura Michael Emma David Sophie Peter Claire Paul Julia Mark Helen Andrew Kate "
    "Jean Marie Pierre Claude Hans Petra Klaus Ingrid Marco Giulia Carlos Lucia Miguel Ines Kofi Amina Kwame Ngozi"
)

SURNAMES = words(
    "Alimov Norov Ivanov Petrov Sidorov Nazarbayev Tokayev Mirziyoyev Rahmon Japarov Karimov Abdullaev Zhou Xu Sun "
    "Ma Hu Guo He Gao Lin Luo Zheng Liang Xie Song Tang Han Feng Deng Cao Peng Zeng Xiao Tian Dong Pan Yuan Cai "
    "Jiang Yu Du Ye Cheng Wei Su Lu Ding Ren Shen Yao Jin Cui Kuznetsov Smirnov Popov Vasiliev Sokolov Mikhailov "
    "Novikov Fedorov Morozov Volkov Lebedev Semenov Egorov Pavlov Kozlov Stepanov Nikolaev Orlov Andreev Makarov "
    "Sharma Patel Singh Kumar Gupta Khan Ali Hussain Ahmed Qureshi Siddiqui Malik Shah Mehta Rao Reddy Nair Iyer "
    "Smith Jones Brown Taylor Wilson Davies Evans Thomas Johnson Roberts Walker Wright Robinson Thompson White "
    "Dubois Martin Bernard Moreau Laurent Schmidt Schneider Fischer Weber Rossi Russo Ferrari Garcia Martinez "
    "Lopez Mensah Okafor Diallo Traore Kenyatta Banda Mwangi Osei"
)

COUNTRIES = words(
    "Kazakhstan Kyrgyzstan Tajikistan Uzbekistan Russia China India Pakistan Iran Belarus Mongolia Afghanistan "
    "Turkey Egypt Qatar Cambodia Nepal Armenia Azerbaijan Serbia Germany France Italy Spain Brazil Kenya Nigeria "
    "Ghana Indonesia Vietnam Thailand Malaysia Japan Korea Canada Mexico Chile Norway Sweden Finland Poland"
)

CAPITALS = words(
    "Astana Bishkek Dushanbe Tashkent Moscow Beijing Delhi Islamabad Tehran Minsk Ulaanbaatar Kabul Ankara Cairo "
    "Doha Geneva Vienna Brussels Paris Berlin Rome Madrid Nairobi Abuja Jakarta Hanoi Bangkok Tokyo Seoul Ottawa"
)

ORG_PATTERNS = (
    ("igo", "{topic} Cooperation Organisation"),
    ("igo", "Council of {topic} States"),
    ("igo", "{topic} Economic Community"),
    ("igo", "Regional {topic} Centre"),
    ("government", "Ministry of Foreign Affairs of {country}"),
    ("government", "Ministry of Defence of {country}"),
    ("government", "Ministry of {topic} of {country}"),
    ("government", "Office of the President of {country}"),
    ("news_agency", "{country} News Agency"),
    ("news_agency", "{topic} Press Service"),
    ("ngo", "{topic} Institute for {topic2} Studies"),
    ("ngo", "Foundation for {topic} and {topic2}"),
)

ROLE_TITLES = [
    "Secretary-General",
    "Deputy Secretary-General",
    "Minister of Foreign Affairs",
    "Deputy Minister",
    "Spokesperson",
    "Ambassador",
    "Permanent Representative",
    "Director",
    "Executive Director",
    "Chairman",
    "President",
    "Prime Minister",
    "Special Envoy",
    "Head of Mission",
    "Adviser",
    "Commissioner",
    "Coordinator",
]

DOCUMENT_KINDS = ("treaty", "convention", "charter", "strategy", "resolution", "declaration", "agreement", "other")

FIRST_DAY = datetime.date(2000, 1, 1)
LAST_DAY = datetime.date(2026, 6, 30)
SPAN_DAYS = (LAST_DAY - FIRST_DAY).days


def slugify_unique(text: str, taken: set[str], max_length: int = 80) -> str:
    """What archive.models.unique_slug would give, against the slugs already `taken` (which it updates)."""
    from archive.slugs import readable_slug, unique_among

    candidate = unique_among(readable_slug(text, max_length) or "item", taken.__contains__, max_length)
    taken.add(candidate)
    return candidate


def scaled(articles: int, at_20k: int, floor: int) -> int:
    """A count that is `at_20k` at 20,000 articles, proportional below (never under `floor`), capped above."""
    return max(floor, min(at_20k, round(at_20k * articles / 20_000)))


@dataclass
class QuotationSample:
    """What the query mix needs to know about a stored quotation."""

    text: str
    speaker_slug: str
    document_slugs: tuple[str, ...]


@dataclass
class LoadStats:
    organisations: int = 0
    people: int = 0
    roles: int = 0
    documents: int = 0
    articles: int = 0
    published_articles: int = 0
    quotations: int = 0
    public_quotations: int = 0
    document_mentions: int = 0
    quotation_documents: int = 0
    words: int = 0
    text_bytes: int = 0
    seconds: float = 0.0
    # For the query mix:
    quotation_word_df: Counter = field(default_factory=Counter)
    speaker_quotations: Counter = field(default_factory=Counter)
    document_quotations: Counter = field(default_factory=Counter)
    samples: list[QuotationSample] = field(default_factory=list)

    def summary(self) -> dict:
        return {
            k: getattr(self, k)
            for k in words(
                "organisations people roles documents articles published_articles quotations public_quotations "
                "document_mentions quotation_documents words text_bytes seconds"
            )
        }


class Vocabulary:
    """Ranked words with Zipf weights: stop words, then the policy words, then made-up words."""

    def __init__(self, rng: random.Random, size: int = 40_000, exponent: float = 1.0):
        seen = set(STOP_WORDS) | set(POLICY_WORDS)
        policy = list(dict.fromkeys(POLICY_WORDS))
        made_up = []
        while len(STOP_WORDS) + len(policy) + len(made_up) < size:
            word = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 3, 3, 4))))
            if word not in seen:
                seen.add(word)
                made_up.append(word)
        self.words = [*STOP_WORDS, *policy, *made_up]
        self.policy = policy
        self.made_up = set(made_up)
        self.cum_weights = list(itertools.accumulate(1.0 / (rank**exponent) for rank in range(1, len(self.words) + 1)))

    def sample(self, rng: random.Random, n: int) -> list[str]:
        return rng.choices(self.words, cum_weights=self.cum_weights, k=n)


class SyntheticArchive:
    """Generates the archive from `seed` and writes it through the models (see the module docstring)."""

    def __init__(self, articles: int, seed: int = 6, samples: int = 400):
        self.n_articles = articles
        self.seed = seed
        self.max_samples = samples
        self.rng = random.Random(seed)
        self.vocab = Vocabulary(self.rng)
        self.n_organisations = scaled(articles, 300, 8)
        self.n_people = scaled(articles, 2000, 20)
        self.n_documents = scaled(articles, 500, 8)

    # --- text -------------------------------------------------------------------------------------------------

    def sentence(self, low=8, high=24, mention: str | None = None) -> str:
        rng = self.rng
        words = self.vocab.sample(rng, rng.randint(low, high))
        if len(words) > 6 and rng.random() < 0.35:
            words[rng.randint(2, len(words) - 3)] += ","
        if mention:
            words += ["under", "the", mention]
        words[0] = words[0][:1].upper() + words[0][1:]
        return " ".join(words) + "."

    def narrative(self, n_words: int, mention: str | None = None) -> str:
        sentences, count = [], 0
        while count < n_words:
            s = self.sentence(mention=mention if mention and not sentences else None)
            sentences.append(s)
            count += s.count(" ") + 1
        return " ".join(sentences)

    # --- the fixed records ------------------------------------------------------------------------------------

    def make_organisations(self):
        from archive.models import Organisation

        rng, taken_slugs, names = self.rng, set(), set()
        topics = [w.capitalize() for w in self.vocab.policy[:120]]
        organisations = []
        for pk in range(1, self.n_organisations + 1):
            while True:
                kind, pattern = rng.choice(ORG_PATTERNS)
                name = pattern.format(
                    topic=rng.choice(topics), topic2=rng.choice(topics), country=rng.choice(COUNTRIES)
                )
                if name not in names:
                    names.add(name)
                    break
            short = "".join(w[0] for w in name.split() if w[0].isupper())[:6] if rng.random() < 0.7 else ""
            parent_id = rng.randint(1, pk - 1) if pk > 3 and rng.random() < 0.15 else None
            organisations.append(
                Organisation(
                    pk=pk,
                    name=name,
                    short_name=short,
                    slug=slugify_unique(name, taken_slugs),
                    kind=kind,
                    parent_id=parent_id,
                    website=f"https://example.org/{pk}" if rng.random() < 0.5 else "",
                    description=self.sentence(10, 30) if rng.random() < 0.6 else "",
                )
            )
        self.organisations = organisations
        # Popularity: some organisations employ or publish far more than others.
        self.org_weights = list(itertools.accumulate(1.0 / (i + 1) ** 0.8 for i in range(len(organisations))))
        self.publishers = [o for o in organisations if o.kind in ("news_agency", "igo")] or organisations
        return organisations

    def pick_organisation(self):
        return self.rng.choices(self.organisations, cum_weights=self.org_weights, k=1)[0]

    def make_people_and_roles(self):
        from archive.models import Person, Role

        rng, taken_slugs, names = self.rng, set(), set()
        people, roles, role_pk = [], [], 0
        self.person_roles: dict[int, list] = {}
        for pk in range(1, self.n_people + 1):
            while True:
                name = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
                if len(names) > len(FIRST_NAMES) * len(SURNAMES) // 2 or name not in names:
                    names.add(name)
                    break
            surname = name.split()[-1]
            person = Person(
                pk=pk,
                name=name,
                slug=slugify_unique(name, taken_slugs),
                aliases=f"Mr {surname}\n{surname}" if rng.random() < 0.8 else "",
                description=self.sentence(8, 20) if rng.random() < 0.5 else "",
            )
            people.append(person)
            # A career: 1-3 consecutive roles somewhere between 2000 and 2026.
            start = FIRST_DAY + datetime.timedelta(days=rng.randint(-2000, SPAN_DAYS - 400))
            start = max(start, datetime.date(1995, 1, 1))
            mine = []
            for i in range(rng.choice((1, 1, 2, 2, 3))):
                length = rng.randint(365, 365 * 8)
                end = start + datetime.timedelta(days=length)
                last = i == 2 or rng.random() < 0.4
                open_ended = last and end > LAST_DAY - datetime.timedelta(days=365) and rng.random() < 0.7
                role_pk += 1
                role = Role(
                    pk=role_pk,
                    person_id=pk,
                    organisation_id=self.pick_organisation().pk,
                    title=rng.choice(ROLE_TITLES),
                    start=start,
                    end=None if open_ended else end,
                )
                mine.append(role)
                if last or end > LAST_DAY:
                    break
                start = end + datetime.timedelta(days=rng.randint(1, 400))
            roles.extend(mine)
            self.person_roles[pk] = mine
        self.people = people
        self.people_by_pk = {p.pk: p for p in people}
        self.person_weights = list(itertools.accumulate(1.0 / (i + 1) ** 0.7 for i in range(len(people))))
        self.roles_by_pk = {r.pk: r for r in roles}
        return people, roles

    def role_on(self, person_pk: int, date: datetime.date):
        """Quotation.save's rule: the role held on `date` (start <= date <= end or open), latest start first."""
        held = [r for r in self.person_roles[person_pk] if r.start <= date and (r.end is None or r.end >= date)]
        return max(held, key=lambda r: r.start) if held else None

    def make_documents(self):
        from archive.models import Document, DocumentRelation

        rng, taken_slugs, titles = self.rng, set(), set()
        documents, adopters, relations = [], [], []
        topics = self.vocab.policy[:200]
        for pk in range(1, self.n_documents + 1):
            kind = rng.choice(DOCUMENT_KINDS)
            org = self.pick_organisation()
            while True:
                subject = " and ".join(rng.sample(topics, rng.choice((1, 2)))).title()
                title = f"{org.display_name} {kind.title()} on {subject}"
                if title not in titles:
                    titles.add(title)
                    break
            short_title = f"{kind.title()} on {subject}" if rng.random() < 0.8 else ""
            adopted = FIRST_DAY + datetime.timedelta(days=rng.randint(-3000, SPAN_DAYS))
            exact = rng.random() < 0.6
            documents.append(
                Document(
                    pk=pk,
                    title=title,
                    short_title=short_title,
                    slug=slugify_unique(title, taken_slugs),
                    aliases=f"the {adopted.year} {kind}" if rng.random() < 0.5 else "",
                    kind=kind,
                    adopted_on=adopted if exact else None,
                    adopted_year=adopted.year if exact or rng.random() < 0.7 else None,
                    place=rng.choice(CAPITALS) if rng.random() < 0.7 else "",
                    url=f"https://example.org/documents/{pk}" if rng.random() < 0.3 else "",
                    description=self.sentence(10, 40) if rng.random() < 0.6 else "",
                )
            )
            for org_pk in {org.pk, *(self.pick_organisation().pk for _ in range(rng.choice((0, 0, 1, 2))))}:
                adopters.append(Document.adopting_organisations.through(document_id=pk, organisation_id=org_pk))
        pairs = set()
        for _ in range(len(documents) // 8):
            a, b = rng.sample(range(1, len(documents) + 1), 2) if len(documents) > 1 else (1, 1)
            kind = rng.choice([k for k, _ in DocumentRelation.Kind.choices])
            if a != b and (a, b, kind) not in pairs:
                pairs.add((a, b, kind))
                relations.append(DocumentRelation(from_document_id=a, to_document_id=b, kind=kind))
        self.documents = documents
        self.doc_weights = list(itertools.accumulate(1.0 / (i + 1) ** 0.9 for i in range(len(documents))))
        return documents, adopters, relations

    def pick_document(self):
        return self.rng.choices(self.documents, cum_weights=self.doc_weights, k=1)[0]

    def pick_speaker(self, date: datetime.date):
        """A person, popular ones more often, preferably one holding a role on `date`."""
        for _ in range(12):
            person = self.rng.choices(self.people, cum_weights=self.person_weights, k=1)[0]
            role = self.role_on(person.pk, date)
            if role is not None:
                return person, role
        return person, None

    # --- articles ---------------------------------------------------------------------------------------------

    def make_article(self, pk: int, taken_slugs: set, stats: LoadStats):
        """An Article with its quotations, quotation-document links, mentions and mentioned organisations."""
        from django.utils import timezone

        from archive.models import Article, DocumentMention, Quotation, QuotationDocument
        from archive.sanitize import clean_body, html_to_text

        rng = self.rng
        day = FIRST_DAY + datetime.timedelta(days=rng.randint(0, SPAN_DAYS))
        published_at = timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(rng.randint(6, 21), rng.randint(0, 59))), datetime.UTC
        )
        publisher = rng.choice(self.publishers) if rng.random() < 0.9 else None
        target_words = rng.randint(400, 900)
        n_quotes = rng.randint(3, 8)

        paragraphs: list[str] = []  # plain text, one per <p>
        quote_specs = []  # (paragraph index, offset in paragraph, text, person, role, speech, said_on, docs, attr)
        mention_specs = []  # (paragraph index, offset in paragraph, text, document)
        mentioned_orgs = {publisher.pk} if publisher else set()
        quote_words = 0
        quotes_left = n_quotes
        intro = self.narrative(rng.randint(30, 70))
        paragraphs.append(intro)
        words_so_far = intro.count(" ") + 1
        while quotes_left or words_so_far < target_words:
            narrative_turn = not quotes_left or (words_so_far < target_words and rng.random() < 0.45)
            if narrative_turn:
                doc = self.pick_document() if rng.random() < 0.25 else None
                name = (doc.short_title or doc.title) if doc else None
                text = self.narrative(rng.randint(40, 110), mention=name)
                if doc:
                    mention_specs.append((len(paragraphs), text.index(name), name, doc))
                paragraphs.append(text)
                words_so_far += text.count(" ") + 1
                continue
            quotes_left -= 1
            said_on = day - datetime.timedelta(days=rng.randint(1, 5)) if rng.random() < 0.1 else None
            person, role = self.pick_speaker(said_on or day)
            docs = []
            for _ in range(rng.choice((0, 0, 0, 0, 1, 1, 2))):
                d = self.pick_document()
                if d not in docs:
                    docs.append(d)
            body = [self.sentence(10, 26) for _ in range(rng.choice((1, 1, 2, 2, 3)))]
            mentions_in_quote = []
            for d in docs:
                name = d.short_title or d.title
                i = rng.randrange(len(body))
                body[i] = body[i][:-1] + f" in the {name}."
                mentions_in_quote.append((name, d))
            quote = " ".join(body)
            surname = person.name.split()[-1]
            if role:
                org = self.roles_org(role)
                who = f"{person.name}, {role.title} of the {org.display_name}"
                mentioned_orgs.add(org.pk)
            else:
                who = person.name
            if rng.random() < 0.8:
                speech = Quotation.Speech.DIRECT
                if rng.random() < 0.5:
                    attribution = f"said {who}"
                    prefix, suffix = "“", f"” {attribution}."
                else:
                    attribution = f"{who}, said"
                    prefix, suffix = f"{attribution}: “", "”"
            else:
                speech = Quotation.Speech.REPORTED
                attribution = f"Mr {surname} said"
                prefix, suffix = f"{attribution} that ", ""
                quote = quote[:1].lower() + quote[1:]
            paragraph = prefix + quote + suffix
            quote_specs.append((len(paragraphs), len(prefix), quote, person, role, speech, said_on, docs, attribution))
            for name, d in mentions_in_quote:
                mention_specs.append((len(paragraphs), len(prefix) + quote.index(name), name, d))
            paragraphs.append(paragraph)
            n = quote.count(" ") + 1
            words_so_far += paragraph.count(" ") + 1
            quote_words += n

        raw_html = "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)
        body_html = clean_body(raw_html)
        body_text = html_to_text(body_html)
        starts, position = [], 0
        for p in paragraphs:
            starts.append(position)
            position += len(p) + 2
        assert body_text == "\n\n".join(paragraphs), f"article {pk}: html_to_text does not give the paragraphs"

        title = f"{(publisher or self.pick_organisation()).display_name}: {self.sentence(4, 9)[:-1]}"
        status = Article.Status.PUBLISHED if rng.random() < 0.98 else Article.Status.DRAFT
        article = Article(
            pk=pk,
            title=title[:300],
            slug=slugify_unique(title, taken_slugs),
            published_at=published_at,
            publisher_id=publisher.pk if publisher else None,
            source_name=f"{publisher.name} news" if publisher else "",
            source_url=f"https://example.org/news/{pk}",
            language="en" if rng.random() < 0.9 else rng.choice(("ru", "fr", "zh", "es")),
            place=rng.choice(CAPITALS) if rng.random() < 0.6 else "",
            body_html=body_html,
            body_text=body_text,
            status=status,
        )
        for _ in range(rng.choice((0, 1, 1, 2))):
            mentioned_orgs.add(self.pick_organisation().pk)
        article_orgs = [
            Article.organisations.through(article_id=pk, organisation_id=org_pk) for org_pk in sorted(mentioned_orgs)
        ]

        quotations, links = [], []
        for p_index, offset, text, person, role, speech, said_on, docs, attribution in quote_specs:
            start = starts[p_index] + offset
            end = start + len(text)
            assert body_text[start:end] == text
            self.quotation_pk += 1
            confirmed = rng.random() < 0.97
            quotations.append(
                Quotation(
                    pk=self.quotation_pk,
                    article_id=pk,
                    speaker_id=person.pk,
                    role_id=role.pk if role else None,
                    text=text,
                    speech=speech,
                    start=start,
                    end=end,
                    said_on=said_on,
                    attribution=attribution[:200],
                    review=Quotation.Review.CONFIRMED if confirmed else Quotation.Review.SUGGESTED,
                )
            )
            for d in docs:
                links.append(QuotationDocument(quotation_id=self.quotation_pk, document_id=d.pk))
            stats.quotations += 1
            if confirmed and status == Article.Status.PUBLISHED:
                stats.public_quotations += 1
                stats.speaker_quotations[person.slug] += 1
                for d in docs:
                    stats.document_quotations[d.slug] += 1
                stats.quotation_word_df.update({w.strip(",.").lower() for w in text.split()})
                self.maybe_sample(stats, QuotationSample(text, person.slug, tuple(d.slug for d in docs)))
        mentions = []
        for p_index, offset, text, d in mention_specs:
            start = starts[p_index] + offset
            assert body_text[start : start + len(text)] == text
            end = start + len(text)
            mentions.append(DocumentMention(article_id=pk, document_id=d.pk, text=text, start=start, end=end))
        stats.articles += 1
        stats.published_articles += status == Article.Status.PUBLISHED
        stats.words += body_text.count(" ") + 1
        stats.text_bytes += len(body_text.encode("utf-8"))
        return article, article_orgs, quotations, links, mentions

    def roles_org(self, role):
        return self.organisations[role.organisation_id - 1]

    def maybe_sample(self, stats: LoadStats, sample: QuotationSample):
        """Reservoir sampling of public quotations, for phrase queries."""
        self.seen_public += 1
        if len(stats.samples) < self.max_samples:
            stats.samples.append(sample)
        else:
            j = self.rng.randrange(self.seen_public)
            if j < self.max_samples:
                stats.samples[j] = sample

    # --- loading ----------------------------------------------------------------------------------------------

    def preview(self, n: int) -> list[tuple[str, list[str]]]:
        """(title, quotation texts) of the first `n` articles, generated as load() would, without a database."""
        self.quotation_pk = self.seen_public = 0
        self.make_organisations()
        self.make_people_and_roles()
        self.make_documents()
        stats, taken = LoadStats(), set()
        rows = [self.make_article(pk, taken, stats) for pk in range(1, n + 1)]
        return [(row[0].title, [q.text for q in row[2]]) for row in rows]

    def load(self, batch: int = 500, progress=None) -> LoadStats:
        """Write the whole archive through the models (bulk_create), in batches of `batch` articles."""
        import time

        from django.db import transaction

        from archive.models import (
            Article,
            Document,
            DocumentMention,
            DocumentRelation,
            Organisation,
            Person,
            Quotation,
            QuotationDocument,
            Role,
        )

        started = time.perf_counter()
        stats = LoadStats()
        self.quotation_pk = 0
        self.seen_public = 0
        with transaction.atomic():
            Organisation.objects.bulk_create(self.make_organisations(), batch_size=500)
            people, roles = self.make_people_and_roles()
            Person.objects.bulk_create(people, batch_size=500)
            Role.objects.bulk_create(roles, batch_size=500)
            documents, adopters, relations = self.make_documents()
            Document.objects.bulk_create(documents, batch_size=500)
            Document.adopting_organisations.through.objects.bulk_create(adopters, batch_size=500)
            DocumentRelation.objects.bulk_create(relations, batch_size=500)
        stats.organisations, stats.people, stats.roles = len(self.organisations), len(people), len(roles)
        stats.documents = len(documents)
        taken_slugs: set[str] = set()
        for first in range(1, self.n_articles + 1, batch):
            last = min(first + batch, self.n_articles + 1)
            rows = [self.make_article(pk, taken_slugs, stats) for pk in range(first, last)]
            with transaction.atomic():
                Article.objects.bulk_create([r[0] for r in rows], batch_size=200)
                Article.organisations.through.objects.bulk_create([x for r in rows for x in r[1]], batch_size=500)
                Quotation.objects.bulk_create([x for r in rows for x in r[2]], batch_size=500)
                QuotationDocument.objects.bulk_create([x for r in rows for x in r[3]], batch_size=500)
                DocumentMention.objects.bulk_create([x for r in rows for x in r[4]], batch_size=500)
            stats.quotation_documents += sum(len(r[3]) for r in rows)
            stats.document_mentions += sum(len(r[4]) for r in rows)
            if progress:
                progress(stats.articles, self.n_articles)
        move_id_sequences()
        stats.seconds = time.perf_counter() - started
        return stats


def move_id_sequences() -> None:
    """Move the id sequences past the explicit ids the loader wrote, where the database has sequences (PostgreSQL:
    otherwise the next record saved through the admin or an import collides with a loaded one). SQLite's
    AUTOINCREMENT already follows the highest id.

    The statements come from the database backend itself rather than `sqlsequencereset`, whose output wraps them in
    BEGIN/COMMIT: run inside a caller's transaction (a test's, an atomic load) that COMMIT would end it."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_app_config("archive").get_models())
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
