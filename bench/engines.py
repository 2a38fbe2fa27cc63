"""The baselines: the same corpus and the same queries in plain Whoosh and in SQLite FTS5.

Both index what the archive indexes for public quotations (the quote, the speaker's name and aliases, the role and
its organisation, the article title, the referenced documents' names) and for published articles (title, body,
publisher), and search quotations only, with the same facets (speaker, organisation, document, year), a page of
20 hits with the matched words highlighted in the quote, and relevance or newest-first order.

- Raw Whoosh: a plain schema as the Whoosh docs suggest it: `text` TEXT with StemmingAnalyzer, the quote stored
  for highlighting, facets as ID fields with `sortable=True` (column-stored) and documents as a comma KEYWORD field
  with term vectors (several per quotation: `allow_overlap` grouping); whoosh.qparser for the query; one writer,
  one commit; one searcher kept open for all queries.
- SQLite FTS5: `fts5(quote, extra, tokenize='porter unicode61')` beside a plain table of facet values; bm25 order
  (`ORDER BY rank`), `highlight()` for the marks, facet counts with GROUP BY over the hits (put in a temporary
  table once per query).
"""

from __future__ import annotations

import datetime
import os
import shutil
import sqlite3
import time
from dataclasses import dataclass

from bench.queries import BenchQuery

FACETS = ("speaker", "organisation", "document", "year")
NO_DOCUMENT = "-"


@dataclass
class CorpusDoc:
    kind: str  # "quotation" or "article"
    pk: int
    quote: str  # what is highlighted and shown (the quotation; an article's title)
    extra: str  # the rest of the searchable text
    speakers: tuple[str, ...]
    organisations: tuple[str, ...]
    documents: tuple[str, ...]
    date: datetime.date
    position: int


def export_corpus() -> list[CorpusDoc]:
    """Public quotations and published articles as the archive stores them, read through the models."""
    from django.db.models import Prefetch

    from archive.models import Article, Document, Quotation

    docs = []
    quotations = Quotation.objects.public().with_related().order_by("pk")
    for q in quotations.iterator(chunk_size=2000):
        documents = list(q.documents.all())
        org = q.role.organisation if q.role_id else None
        extra = [q.speaker.name, q.speaker.aliases, q.article.title]
        if q.role_id:
            extra += [q.role.title, org.name, org.short_name]
        for d in documents:
            extra += [d.title, d.short_title, d.aliases]
        docs.append(
            CorpusDoc(
                kind="quotation",
                pk=q.pk,
                quote=q.text,
                extra="\n".join(part for part in extra if part),
                speakers=(q.speaker.slug,),
                organisations=(org.slug,) if org else (),
                documents=tuple(d.slug for d in documents),
                date=q.date,
                position=q.start or 0,
            )
        )
    articles = (
        Article.objects.published()
        .select_related("publisher")
        .prefetch_related(
            Prefetch("quotations", queryset=Quotation.objects.public().select_related("speaker", "role__organisation")),
            Prefetch("document_mentions__document", queryset=Document.objects.public()),
        )
        .order_by("pk")
    )
    for a in articles.iterator(chunk_size=500):
        quotes = list(a.quotations.all())
        publisher = a.publisher
        extra = [a.body_text, a.source_name, a.place]
        if publisher:
            extra += [publisher.name, publisher.short_name]
        organisations = {publisher.slug} if publisher else set()
        organisations |= {q.role.organisation.slug for q in quotes if q.role_id}
        docs.append(
            CorpusDoc(
                kind="article",
                pk=a.pk,
                quote=a.title,
                extra="\n".join(part for part in extra if part),
                speakers=tuple(sorted({q.speaker.slug for q in quotes})),
                organisations=tuple(sorted(organisations)),
                documents=tuple(sorted({m.document.slug for m in a.document_mentions.all()})),
                date=a.published_at.date(),
                position=0,
            )
        )
    return docs


def directory_size(path) -> int:
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            total += os.path.getsize(os.path.join(root, name))
    return total


# --- raw Whoosh -------------------------------------------------------------------------------------------------


class RawWhoosh:
    def __init__(self, path: str):
        self.path = path
        self.searcher = None

    def build(self, docs: list[CorpusDoc], limitmb: int = 256, procs: int = 1) -> float:
        """Index `docs` with one writer and one commit (`procs` > 1: Whoosh's multi-process writer, one segment per
        process); returns seconds."""
        from whoosh import index
        from whoosh.analysis import StemmingAnalyzer
        from whoosh.fields import DATETIME, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

        schema = Schema(
            uid=ID(stored=True, unique=True),
            kind=ID(stored=True),
            pk=STORED(),
            quote=STORED(),
            text=TEXT(analyzer=StemmingAnalyzer()),
            speaker=ID(stored=True, sortable=True),
            organisation=ID(stored=True, sortable=True),
            document=KEYWORD(stored=True, commas=True, vector=True),
            year=ID(stored=True, sortable=True),
            date=DATETIME(sortable=True),
            position=NUMERIC(sortable=True),
        )
        shutil.rmtree(self.path, ignore_errors=True)
        os.makedirs(self.path)
        started = time.perf_counter()
        ix = index.create_in(self.path, schema)
        writer = (
            ix.writer(limitmb=limitmb, procs=procs, multisegment=procs > 1) if procs > 1 else ix.writer(limitmb=limitmb)
        )
        for d in docs:
            writer.add_document(
                uid=f"{d.kind}.{d.pk}",
                kind=d.kind,
                pk=d.pk,
                quote=d.quote,
                text=f"{d.quote}\n{d.extra}",
                # ID fields hold one value; the multi-valued ones go to the keyword field or the first value.
                speaker=d.speakers[0] if d.speakers else None,
                organisation=d.organisations[0] if d.organisations else None,
                # Whoosh 2.7.4 raises (rather than skips) on a hit without a term vector: "-" stands for none.
                document=",".join(d.documents) or NO_DOCUMENT,
                year=str(d.date.year),
                date=datetime.datetime.combine(d.date, datetime.time.min),
                position=d.position,
            )
        writer.commit()
        return time.perf_counter() - started

    def open(self):
        from whoosh import index

        self.ix = index.open_dir(self.path)
        self.searcher = self.ix.searcher()
        from whoosh.qparser import QueryParser

        self.parser = QueryParser("text", self.ix.schema)

    def close(self):
        if self.searcher is not None:
            self.searcher.close()
            self.searcher = None

    def search(self, q: BenchQuery, facets: bool = True) -> tuple[int, list]:
        """(total hits, [(pk, highlighted quote), ...]) for the first page of 20."""
        from whoosh import query, sorting

        parsed = self.parser.parse(q.text)
        clauses = [parsed, query.Term("kind", "quotation")]
        if q.speaker:
            clauses.append(query.Term("speaker", q.speaker))
        if q.document:
            clauses.append(query.Term("document", q.document))
        kwargs = {}
        if q.sort == "newest":
            kwargs["sortedby"] = sorting.MultiFacet(
                [sorting.FieldFacet("date", reverse=True), sorting.FieldFacet("position")]
            )
        if facets:
            kwargs["groupedby"] = {
                "speaker": sorting.FieldFacet("speaker", maptype=sorting.Count),
                "organisation": sorting.FieldFacet("organisation", maptype=sorting.Count),
                "document": sorting.FieldFacet("document", allow_overlap=True, maptype=sorting.Count),
                "year": sorting.FieldFacet("year", maptype=sorting.Count),
            }
        page = self.searcher.search_page(query.And(clauses), 1, pagelen=20, **kwargs)
        hits = [(hit["pk"], hit.highlights("text", text=hit["quote"], top=3)) for hit in page]
        if facets:
            counts = {name: page.results.groups(name) for name in FACETS}
            counts["document"].pop(NO_DOCUMENT.encode(), None)
        return page.total, hits


# --- SQLite FTS5 ------------------------------------------------------------------------------------------------


class Fts5:
    def __init__(self, path: str):
        self.path = path
        self.db = None

    def build(self, docs: list[CorpusDoc]) -> float:
        if os.path.exists(self.path):
            os.remove(self.path)
        started = time.perf_counter()
        db = sqlite3.connect(self.path)
        db.executescript(
            """
            PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
            CREATE TABLE docs (rowid INTEGER PRIMARY KEY, kind TEXT, pk INTEGER, speaker TEXT, organisation TEXT,
                               year INTEGER, date TEXT, position INTEGER);
            CREATE TABLE docfacet (rowid INTEGER, document TEXT);
            CREATE VIRTUAL TABLE fts USING fts5(quote, extra, tokenize='porter unicode61');
            """
        )
        with db:
            db.executemany(
                "INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    (
                        i,
                        d.kind,
                        d.pk,
                        d.speakers[0] if d.speakers else None,
                        d.organisations[0] if d.organisations else None,
                        d.date.year,
                        d.date.isoformat(),
                        d.position,
                    )
                    for i, d in enumerate(docs, 1)
                ),
            )
            db.executemany(
                "INSERT INTO docfacet VALUES (?, ?)", ((i, s) for i, d in enumerate(docs, 1) for s in d.documents)
            )
            db.executemany(
                "INSERT INTO fts (rowid, quote, extra) VALUES (?, ?, ?)",
                ((i, d.quote, d.extra) for i, d in enumerate(docs, 1)),
            )
            db.executescript(
                """
                CREATE INDEX docs_speaker ON docs (speaker, kind);
                CREATE INDEX docfacet_document ON docfacet (document);
                CREATE INDEX docfacet_rowid ON docfacet (rowid);
                INSERT INTO fts (fts) VALUES ('optimize');
                """
            )
        db.close()
        return time.perf_counter() - started

    def open(self):
        self.db = sqlite3.connect(self.path)

    def close(self):
        if self.db is not None:
            self.db.close()
            self.db = None

    @staticmethod
    def match_expression(q: BenchQuery) -> str:
        words = [w.replace('"', "") for w in q.words]
        if q.phrase:
            return '"' + " ".join(words) + '"'
        return " ".join(f'"{w}"' for w in words)

    def search(self, q: BenchQuery, facets: bool = True) -> tuple[int, list]:
        where = ["fts MATCH ?", "d.kind = 'quotation'"]
        params: list = [self.match_expression(q)]
        if q.speaker:
            where.append("d.speaker = ?")
            params.append(q.speaker)
        if q.document:
            where.append("d.rowid IN (SELECT rowid FROM docfacet WHERE document = ?)")
            params.append(q.document)
        condition = " AND ".join(where)
        order = "d.date DESC, d.position" if q.sort == "newest" else "fts.rank"
        db = self.db
        hits = db.execute(
            f"SELECT d.pk, highlight(fts, 0, '<mark>', '</mark>') FROM fts JOIN docs d ON d.rowid = fts.rowid "
            f"WHERE {condition} ORDER BY {order} LIMIT 20",
            params,
        ).fetchall()
        if not facets:
            (total,) = db.execute(
                f"SELECT count(*) FROM fts JOIN docs d ON d.rowid = fts.rowid WHERE {condition}", params
            ).fetchone()
            return total, hits
        # The hits once into a keyed temporary table; CROSS JOIN makes SQLite walk the hits and look the facet values
        # up by key (left to itself it may scan every document and probe the hits instead).
        db.execute("DROP TABLE IF EXISTS temp.hits")
        db.execute("CREATE TEMP TABLE hits (r INTEGER PRIMARY KEY)")
        db.execute(
            f"INSERT INTO hits SELECT fts.rowid FROM fts JOIN docs d ON d.rowid = fts.rowid WHERE {condition}",
            params,
        )
        (total,) = db.execute("SELECT count(*) FROM hits").fetchone()
        for column in ("speaker", "organisation", "year"):
            db.execute(
                f"SELECT d.{column}, count(*) FROM hits CROSS JOIN docs d ON d.rowid = hits.r GROUP BY d.{column}"
            ).fetchall()
        db.execute(
            "SELECT f.document, count(*) FROM hits CROSS JOIN docfacet f ON f.rowid = hits.r GROUP BY f.document"
        ).fetchall()
        return total, hits
