"""Benchmark of the archive as it grows: index build, the search page, the browse pages, the serving process,
and the same searches in raw Whoosh and SQLite FTS5 over the same corpus (issue 6).

    python bench/archive_bench.py --articles 5000 [--queries 500] [--json FILE] [--data-dir DIR [--reuse]]

It builds a deterministic synthetic archive (bench/synthetic.py) in a temporary data folder through the
archive's own models, with the production settings (archive.settings: SQLite and Whoosh under
ARCHIVE_DATA_DIR; DATABASE_URL and SEARCH_URL are ignored), then:

1. build: the project's full index build in a fresh process (articles/s, quotations/s, index size, peak RSS);
2. serve: a fresh process loads the WSGI application, answers one search (cold start, timed from the spawn),
   then requests the search page over a fixed mix of queries (bench/queries.py; one warm-up pass, then a timed
   pass), with facets on and off, and the home, article, speaker, organisation and document pages (timed, and
   their SQL queries counted), each with its caches warm and emptied; it reports its peak RSS;
3. the same queries in raw Whoosh and SQLite FTS5 (bench/engines.py), printed as ratios.

Figures only: nothing here passes or fails on a target. tests/test_bench_smoke.py runs a tiny size.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from io import BytesIO
from pathlib import Path
from urllib.parse import urlencode

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bench.queries import KINDS, BenchQuery  # noqa: E402

# Settings a developer's shell may carry that would point the benchmark at real data or change what is served.
SCRUBBED_ENV = ("DATABASE_URL", "SEARCH_URL", "SECRET_KEY", "DEBUG", "ARCHIVE_HTTPS", "ALLOWED_HOSTS")
PAGE_KINDS = ("home", "article", "speaker", "organisation", "document")
# The home page keeps its archive-wide figures per process until the data changes (archive.figures), and the other
# pages are served whole from the page cache (archive.page_cache): each kind is timed as readers get it (caches
# warm) and "after a change": a committed change (a queue row) before each request, the first reader after an edit
# (background work it starts is left to finish before the next sample). The home page also "in a new process", with
# both caches emptied: no earlier figures to show while new ones are computed.
AFTER_A_CHANGE = "{}, after a change"
NEW_PROCESS = "{}, in a new process"
MIX_FILE = "bench-mix.json"
MARKER_FILE = "bench-archive.json"


def configure(data_dir: Path) -> None:
    """Point the production settings at `data_dir`, before Django reads them."""
    for name in SCRUBBED_ENV:
        os.environ.pop(name, None)
    os.environ["ARCHIVE_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "archive.settings"
    os.environ.setdefault("PYTHONWARNINGS", "ignore")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def current_rss_mb() -> float:
    try:
        return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return float("nan")


def rss_detail() -> dict:
    """Resident memory now, split into anonymous (the process's own) and file-backed (e.g. mmap'd index files,
    shared with other processes and the page cache), in MB."""
    out = {"rss": current_rss_mb()}
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("RssAnon", "RssFile", "RssShmem"):
                out[key[3:].lower()] = int(value.split()[0]) / 1024
    except OSError:
        pass
    return out


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of `values`; NaN for none."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def summary(ms: list[float], cpu: list[float] | None = None) -> dict:
    out = {
        "n": len(ms),
        "p50": percentile(ms, 50),
        "p95": percentile(ms, 95),
        "p99": percentile(ms, 99),
        "mean": sum(ms) / len(ms) if ms else float("nan"),
    }
    if cpu is not None:
        out["cpu_p50"], out["cpu_p95"] = percentile(cpu, 50), percentile(cpu, 95)
    return out


def summarise_by_kind(queries: list[BenchQuery], ms: list[float], cpu: list[float] | None = None) -> dict:
    out = {"all": summary(ms, cpu)}
    for kind in KINDS:
        picked = [i for i, q in enumerate(queries) if q.kind == kind]
        out[kind] = summary([ms[i] for i in picked], [cpu[i] for i in picked] if cpu is not None else None)
    return out


def interleaved(items: list, variants: dict, warm: bool = True) -> dict[str, tuple[list[float], list[float]]]:
    """Time `variants[name](item)` for every item and variant: wall and CPU milliseconds per call.

    After one warm-up pass over everything, the variants of one item run back to back, their order alternating
    from item to item, so a change in the machine's load during the run weighs on all variants alike.
    """
    if warm:
        for item in items:
            for call in variants.values():
                call(item)
    names = list(variants)
    out = {name: ([0.0] * len(items), [0.0] * len(items)) for name in names}
    for i, item in enumerate(items):
        for name in names if i % 2 == 0 else reversed(names):
            wall, cpu = time.perf_counter(), time.process_time()
            variants[name](item)
            out[name][0][i] = (time.perf_counter() - wall) * 1000
            out[name][1][i] = (time.process_time() - cpu) * 1000
    return out


# --- the machine ------------------------------------------------------------------------------------------------


def machine() -> dict:
    import sqlite3
    from importlib.metadata import PackageNotFoundError, version

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass

    def v(name):
        try:
            return version(name)
        except PackageNotFoundError:
            return "?"

    return {
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": ram_gb,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "django": v("Django"),
        "haystack": v("django-haystack"),
        "whoosh": v("Whoosh"),
        "sqlite": sqlite3.sqlite_version,
    }


# --- phase: build (a fresh process, so its peak RSS is the build's) ---------------------------------------------


def index_path() -> str:
    from django.conf import settings

    return settings.HAYSTACK_CONNECTIONS["default"]["PATH"]


def build_commands() -> list[tuple[str, dict]]:
    """The project's full index build: the fastest official path there is (see README, issue 3)."""
    from django.core.management import get_commands

    commands = get_commands()
    if "rebuild_index" in commands:
        return [("rebuild_index", {"interactive": False, "verbosity": 0})]
    raise SystemExit("no index build command found")


def phase_build(args) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    commands = build_commands()
    started, cpu_started = time.perf_counter(), time.process_time()
    for name, options in commands:
        call_command(name, **options)
    seconds = time.perf_counter() - started
    # With several writing processes (ARCHIVE_BUILD_PROCS) their CPU counts too: they are waited for, so they are in
    # RUSAGE_CHILDREN; memory is shown for this process and for the largest writer (each holds its own pool).
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_seconds = time.process_time() - cpu_started + children.ru_utime + children.ru_stime
    from whoosh import index

    path = index_path()
    ix = index.open_dir(path)
    with ix.searcher() as searcher:
        counts = {}
        for model in ("quotation", "article", "document", "person", "organisation"):
            counts[model] = searcher.doc_frequency("django_ct", f"archive.{model}")
        segments = len(ix._segments())
        total = searcher.doc_count()
    from bench.engines import directory_size

    result = {
        "command": " + ".join(f"{name} {options}" for name, options in commands),
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "documents": total,
        "documents_by_type": counts,
        "segments": segments,
        "index_bytes": directory_size(path),
        "peak_rss_mb": peak_rss_mb(),
        "writer_peak_rss_mb": children.ru_maxrss / 1024,
    }
    print("RESULT " + json.dumps(result), flush=True)


# --- phase: serve (a fresh process: cold start, search page, browse pages, peak RSS) ----------------------------


def wsgi_get(application, path: str, params: dict | None = None) -> tuple[int, bytes]:
    """One GET through the WSGI application, as a server would call it."""
    from wsgiref.util import setup_testing_defaults

    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": urlencode(params or {}, doseq=True),
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1:8000",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": BytesIO(b""),
    }
    setup_testing_defaults(environ)
    status = []

    def start_response(s, headers, exc_info=None):
        status.append(int(s.split()[0]))

    result = application(environ, start_response)
    try:
        body = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    return status[0], body


def search_params(q: BenchQuery) -> dict:
    """The search page's query string for a benchmark query (the syntax of the search form, issue 3)."""
    params = {"q": q.text}
    if q.speaker:
        params["speaker"] = q.speaker
    if q.document:
        params["document"] = q.document
    if q.sort != "relevance":
        params["sort"] = q.sort
    return params


class FacetSwitch:
    """Facets off for the search page: the view has no switch, so the harness hands it archive.search.search with
    `with_facets=False` (everything else, form, hits, highlighting, template, stays as served)."""

    def __init__(self):
        import archive.views.search as view_module
        from archive import search as search_module

        self.on = True
        original = search_module.search

        def switchable(params, *args, **kwargs):
            if not self.on:
                kwargs["with_facets"] = False
            return original(params, *args, **kwargs)

        view_module.search = switchable


def search_layers(queries: list[BenchQuery]) -> dict:
    """The same mix one layer down, to see where the page's time goes: archive.search.search() (hits loaded and
    highlighted, facets labelled, names matched) and the backend's run_query() alone, facets on and off."""
    from django.http import QueryDict

    from archive import search as search_module
    from archive.forms import SearchForm
    from archive.search.query import AllOf

    prepared = []
    for q in queries:
        params = SearchForm(QueryDict(urlencode(search_params(q)))).params()
        parsed = search_module.parse_query(params.q)
        children = ((parsed.node,) if parsed.node else ()) + tuple(search_module.filter_nodes(params))
        sort = search_module.effective_sort(params, parsed)
        prepared.append((params, parsed, AllOf(children), sort))
    backend = search_module.backend()
    facets = search_module.TYPES["quotations"].facets
    variants = {
        "search_facets_on": lambda item: search_module.search(item[0], item[1]),
        "search_facets_off": lambda item: search_module.search(item[0], item[1], with_facets=False),
        "search_no_extras_facets_off": lambda item: search_module.search(
            item[0], item[1], with_facets=False, with_extras=False
        ),
        "run_query_facets_on": lambda item: backend.run_query(item[2], sort=item[3], facets=facets),
        "run_query_facets_off": lambda item: backend.run_query(item[2], sort=item[3]),
    }
    timings = interleaved(prepared, variants, warm=False)
    return {name: summarise_by_kind(queries, *timings[name]) for name in variants}


def phase_serve(args) -> None:
    data_dir = Path(args.data_dir)
    mix = json.loads((data_dir / MIX_FILE).read_text())
    queries = [BenchQuery.from_dict(d) for d in mix["queries"]]

    from archive.wsgi import application

    status, _ = wsgi_get(application, "/search/", search_params(queries[0]))
    print(f"READY {status}", flush=True)
    switch = FacetSwitch()

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    errors: list[str] = []

    def get(path, params=None):
        status, body = wsgi_get(application, path, params)
        if status != 200 and len(errors) < 20:
            errors.append(f"{status} {path}?{urlencode(params or {})}: {body[:300]!r}")
        return status

    def counted(path, params=None):
        """Warm-up request: its status and the number of SQL queries it ran."""
        with CaptureQueriesContext(connection) as ctx:
            status = get(path, params)
        return status, len(ctx.captured_queries)

    result: dict = {"first_search_status": status, "errors": errors}
    rss = result["rss_mb"] = {"after_first_search": rss_detail()}

    # Search page: a warm-up pass with facets on and one with facets off (SQL queries counted), then both timed,
    # interleaved query by query.
    def page_with(facets):
        def call(q):
            switch.on = facets
            return get("/search/", search_params(q))

        return call

    for label, facets in (("facets_on", True), ("facets_off", False)):
        switch.on = facets
        warm = [counted("/search/", search_params(q)) for q in queries]
        result[f"search_{label}_sql"] = {"min": min(w[1] for w in warm), "max": max(w[1] for w in warm)}
        result[f"search_{label}_status"] = sorted({w[0] for w in warm})
    timings = interleaved(queries, {"facets_on": page_with(True), "facets_off": page_with(False)}, warm=False)
    for label in ("facets_on", "facets_off"):
        result[f"search_{label}"] = summarise_by_kind(queries, *timings[label])
    switch.on = True
    rss["after_search_mix"] = rss_detail()

    # Pages: every sampled page once to warm up (and count queries), then timed. A kind whose pages are so slow
    # that warming them up exceeds the time budget is measured on the pages warmed so far.
    pages = {}
    caches = []  # the per-data-change caches of the code measured (older code has fewer)
    for name in ("figures", "page_cache"):
        with contextlib.suppress(ImportError):
            caches.append(importlib.import_module(f"archive.{name}").clear)

    def make_a_change():
        """What every committed edit writes: a row in the search-index queue, which moves the data version both
        caches are keyed on (the row is left for an index worker the benchmark does not run)."""
        from archive.models import PendingIndexUpdate

        PendingIndexUpdate.objects.create(model="archive.article", object_id="0")

    def settle(limit=30.0):
        """Wait for any background recompute the last request started (archive.figures), so the next sample
        starts from a quiet process, as the first reader after an occasional edit would."""
        deadline = time.perf_counter() + limit
        while time.perf_counter() < deadline and any(
            t.name == "archive-figures-refresh" and t.is_alive() for t in threading.enumerate()
        ):
            time.sleep(0.02)

    def cleared(fetch):
        def call(path):
            for clear in caches:
                clear()
            return fetch(path)

        return call

    def timed_after_changes(paths, deadline):
        """(wall ms, CPU ms, (status, queries)) of each path's first request after a change."""
        wall, cpu, seen = [], [], []
        for path in paths:
            make_a_change()
            started, started_cpu = time.perf_counter(), time.process_time()
            seen.append(counted(path))
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            settle()
            if time.perf_counter() > deadline:
                break
        return wall, cpu, seen

    variants = [(kind, "warm") for kind in PAGE_KINDS]
    if caches:
        variants = [(kind, v) for kind in PAGE_KINDS for v in ("warm", "after_change")] + [("home", "new_process")]
    for kind, variant in variants:
        sampled = mix["pages"][kind]
        deadline = time.perf_counter() + args.page_budget
        if variant == "after_change":
            wall, cpu, warm = timed_after_changes(sampled, deadline)
            paths = sampled[: len(warm)]
        else:
            fetch, count = (cleared(get), cleared(counted)) if variant == "new_process" else (get, counted)
            paths, warm = sampled, []
            for path in paths:
                warm.append(count(path))
                if time.perf_counter() > deadline:
                    break
            paths = paths[: len(warm)]
            if variant == "warm":  # the queries of the requests timed: the pass above filled the caches
                warm = [count(path) for path in paths]
            wall, cpu = interleaved(paths, {"page": fetch}, warm=False)["page"]
        sql = [w[1] for w in warm]
        label = {"warm": kind, "after_change": AFTER_A_CHANGE, "new_process": NEW_PROCESS}[variant].format(kind)
        pages[label] = {
            **summary(wall, cpu),
            "sql_min": min(sql) if sql else None,
            "sql_max": max(sql) if sql else None,
            "statuses": sorted({w[0] for w in warm}),
            "cut_short": len(paths) < len(sampled),
        }
    result["pages"] = pages
    rss["after_pages"] = rss_detail()
    try:
        # A subset (the first queries of the fixed order: every kind), the index already warm from the pages.
        result["layers"] = search_layers(queries[: args.layer_queries])
    except Exception as error:  # the search module's internals changed: the page figures above still stand
        result["layers"] = {"error": repr(error)}
    rss["after_layers"] = rss_detail()
    result["peak_rss_mb"] = peak_rss_mb()
    print("RESULT " + json.dumps(result), flush=True)


# --- orchestration ------------------------------------------------------------------------------------------------


def child(args, phase: str, data_dir: Path) -> subprocess.Popen:
    env = dict(os.environ)
    return subprocess.Popen(
        [
            sys.executable,
            str(Path(__file__).resolve()),
            "--phase",
            phase,
            "--data-dir",
            str(data_dir),
            "--page-budget",
            str(args.page_budget),
            "--layer-queries",
            str(args.layer_queries),
            "--raw-whoosh-procs",
            str(args.raw_whoosh_procs),
        ],  # fmt: skip
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=str(REPO_ROOT),
    )


def child_result(proc: subprocess.Popen, phase: str, data_dir: Path) -> dict:
    """The phase's figures; also kept in the data folder (bench-<phase>.json), so nothing measured is lost."""
    out, err = proc.communicate()
    for line in out.splitlines():
        if line.startswith("RESULT "):
            result = json.loads(line[len("RESULT ") :])
            (data_dir / f"bench-{phase}.json").write_text(json.dumps(result, indent=1))
            return result
    raise SystemExit(f"the {phase} phase failed (exit {proc.returncode}):\n{err[-4000:]}\n{out[-2000:]}")


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def choose_pages(n: int, seed: int) -> dict[str, list[str]]:
    """`n` pages of each kind (fewer if the archive has fewer), the same for the same archive and seed."""
    from django.urls import reverse

    from archive.models import Article, Document, Organisation, Person

    rng = random.Random(f"pages-{seed}")

    def sample(queryset):
        slugs = list(queryset.order_by("pk").values_list("slug", flat=True))
        return rng.sample(slugs, min(n, len(slugs)))

    return {
        "home": [reverse("archive:home")] * n,
        "article": [reverse("archive:article_detail", args=[s]) for s in sample(Article.objects.published())],
        "speaker": [reverse("archive:person_detail", args=[s]) for s in sample(Person.objects.public())],
        "organisation": [
            reverse("archive:organisation_detail", args=[s]) for s in sample(Organisation.objects.public())
        ],
        "document": [reverse("archive:document_detail", args=[s]) for s in sample(Document.objects.public())],
    }


def phase_baselines(args) -> None:
    """The baselines in their own process: the archive's patches of Whoosh are installed only where its Whoosh
    backend is created, so raw Whoosh is measured as Whoosh ships (the process never creates that backend)."""
    import django

    django.setup()
    data_dir = Path(args.data_dir)
    queries = [BenchQuery.from_dict(d) for d in json.loads((data_dir / MIX_FILE).read_text())["queries"]]
    result = run_baselines(queries, data_dir / "baselines", raw_procs=args.raw_whoosh_procs)
    from archive.search.backends.whoosh import patches

    result["whoosh_patched"] = patches.installed()
    print("RESULT " + json.dumps(result), flush=True)


def run_baselines(queries: list[BenchQuery], work_dir: Path, raw_procs: int = 1) -> dict:
    """Raw Whoosh and FTS5 over the archive's corpus: build, then the mix warm, facets on and off."""
    from bench.engines import Fts5, RawWhoosh, directory_size, export_corpus

    started = time.perf_counter()
    docs = export_corpus()
    n_quotations = sum(d.kind == "quotation" for d in docs)
    n_articles = len(docs) - n_quotations
    log(f"baselines: corpus exported ({len(docs)} documents, {time.perf_counter() - started:.1f} s)")
    out = {}
    for name, engine in (
        ("raw_whoosh", RawWhoosh(str(work_dir / "raw_whoosh"))),
        ("fts5", Fts5(str(work_dir / "fts5.sqlite3"))),
    ):
        cpu = time.process_time()
        seconds = engine.build(docs, procs=raw_procs) if name == "raw_whoosh" else engine.build(docs)
        cpu = time.process_time() - cpu
        size = directory_size(engine.path) if os.path.isdir(engine.path) else os.path.getsize(engine.path)
        log(f"baselines: {name} built in {seconds:.1f} s")
        engine.open()
        result = {
            "build": {
                "seconds": seconds,
                "documents": len(docs),
                "articles_per_s": n_articles / seconds,
                "quotations_per_s": n_quotations / seconds,
                "cpu_seconds": cpu,
                "quotations_per_cpu_s": n_quotations / cpu if cpu else float("nan"),
                "index_bytes": size,
            }
        }
        timings = interleaved(
            queries,
            {"facets_on": lambda q, e=engine: e.search(q, True), "facets_off": lambda q, e=engine: e.search(q, False)},
        )
        for label in ("facets_on", "facets_off"):
            result[f"search_{label}"] = summarise_by_kind(queries, *timings[label])
        engine.close()
        out[name] = result
    return out


def serve_phase(args, data_dir: Path) -> dict:
    """Start the serving process; the time until it has answered its first search is the cold start."""
    log("serve: a fresh process answers the search mix and the pages")
    started = time.perf_counter()
    proc = child(args, "serve", data_dir)
    ready = proc.stdout.readline()
    cold = time.perf_counter() - started
    if not ready.startswith("READY"):
        rest, err = proc.communicate()
        raise SystemExit(f"the serving process did not answer a search:\n{err[-4000:]}\n{ready}{rest[-2000:]}")
    serve = child_result(proc, "serve", data_dir)
    serve["cold_start_s"] = cold
    (data_dir / "bench-serve.json").write_text(json.dumps(serve, indent=1))
    log(f"serve: cold start {cold:.2f} s")
    return serve


def run(args) -> dict:
    temporary = args.data_dir is None
    data_dir = Path(args.data_dir or tempfile.mkdtemp(prefix="archive-bench-")).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    configure(data_dir)
    report: dict = {
        "machine": machine(),
        "arguments": {"articles": args.articles, "queries": args.queries, "seed": args.seed, "data_dir": str(data_dir)},
    }
    try:
        import django

        django.setup()
        from django.core.management import call_command

        from bench.queries import query_mix
        from bench.synthetic import SyntheticArchive

        marker = data_dir / MARKER_FILE
        wanted = {"articles": args.articles, "seed": args.seed}
        reuse = args.reuse and marker.exists() and json.loads(marker.read_text()).get("archive") == wanted
        if reuse:
            saved = json.loads(marker.read_text())
            report["archive"] = saved["stats"]
            queries = [BenchQuery.from_dict(d) for d in json.loads((data_dir / MIX_FILE).read_text())["queries"]]
            log(f"reusing the archive in {data_dir}")
        else:
            call_command("migrate", interactive=False, verbosity=0)
            log(f"generating {args.articles} articles in {data_dir}")
            corpus = SyntheticArchive(args.articles, seed=args.seed)
            step = max(1, args.articles // 10)

            def progress(done, total):
                if done % step < 500 or done == total:
                    log(f"  {done}/{total} articles")

            stats = corpus.load(progress=progress)
            report["archive"] = stats.summary()
            queries = query_mix(stats, args.queries, seed=args.seed)
            pages = choose_pages(args.page_samples, args.seed)
            (data_dir / MIX_FILE).write_text(
                json.dumps({"queries": [q.as_dict() for q in queries], "pages": pages}, indent=1)
            )
            marker.write_text(json.dumps({"archive": wanted, "stats": stats.summary()}))
        # As `manage.py serve` starts: the schema brought up to date (a reused archive may predate a migration) and
        # SQLite's planner statistics gathered.
        from archive.dbstats import analyze

        call_command("migrate", interactive=False, verbosity=0)
        report["sqlite_analyze"] = analyze()
        log("migrated and analysed, as `serve` does at start")
        from django.db import connections

        connections.close_all()

        if reuse and args.skip_build and (data_dir / "bench-build.json").exists():
            report["build"] = json.loads((data_dir / "bench-build.json").read_text())
            report["build"]["reused"] = True
            log("build: figures of the earlier build of this archive (--skip-build)")
        if not (reuse and args.skip_build):
            log("build: the project's full index build, in a fresh process")
            report["build"] = child_result(child(args, "build", data_dir), "build", data_dir)
            log(f"build: {report['build']['seconds']:.1f} s")
        if "build" in report:
            b = report["build"]
            b["articles_per_s"] = report["archive"]["published_articles"] / b["seconds"]
            b["quotations_per_s"] = report["archive"]["public_quotations"] / b["seconds"]
            b["quotations_per_cpu_s"] = report["archive"]["public_quotations"] / b["cpu_seconds"]

        if reuse and args.skip_serve and (data_dir / "bench-serve.json").exists():
            report["serve"] = json.loads((data_dir / "bench-serve.json").read_text())
            report["serve"]["reused"] = True
            log("serve: figures of the earlier serving run on this archive (--skip-serve)")
        else:
            report["serve"] = serve_phase(args, data_dir)

        baselines_file = data_dir / "bench-baselines.json"
        if args.no_baselines:
            report["baselines"] = unmeasured_baselines()
            log("baselines: not measured (--no-baselines)")
        elif reuse and args.skip_baselines and baselines_file.exists():
            report["baselines"] = json.loads(baselines_file.read_text())
            report["baselines"]["reused"] = True
            log("baselines: figures of the earlier raw Whoosh and FTS5 runs on this archive (--skip-baselines)")
        else:
            log("baselines: raw Whoosh and FTS5, in a fresh process")
            report["baselines"] = child_result(child(args, "baselines", data_dir), "baselines", data_dir)
            report["baselines"]["raw_whoosh"]["build"]["procs"] = args.raw_whoosh_procs
            baselines_file.write_text(json.dumps(report["baselines"]))
        report["ratios"] = ratios(report)
        report["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
        return report
    finally:
        if temporary and not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)


def unmeasured_baselines() -> dict:
    """Stand-in baseline figures (all NaN) for --no-baselines: at 100,000 articles building raw Whoosh again takes
    longer than the rest of the run."""
    nan = float("nan")
    timing = summary([], [])
    search = {kind: dict(timing) for kind in ("all", *KINDS)}
    build = dict.fromkeys(
        ("seconds", "articles_per_s", "quotations_per_s", "cpu_seconds", "quotations_per_cpu_s", "index_bytes"), nan
    )
    engine = {"build": {**build, "documents": 0, "procs": 1}, "search_facets_on": search, "search_facets_off": search}
    return {"not_measured": True, "raw_whoosh": engine, "fts5": engine}


def ratios(report: dict) -> dict:
    out = {}
    for label in ("facets_on", "facets_off"):
        archive = report["serve"][f"search_{label}"]["all"]
        for base in ("raw_whoosh", "fts5"):
            other = report["baselines"][base][f"search_{label}"]["all"]
            for p in ("p50", "p95"):
                out[f"search_{label}_{p}_vs_{base}"] = archive[p] / other[p] if other[p] else float("nan")
    on, off = report["serve"]["search_facets_on"]["all"], report["serve"]["search_facets_off"]["all"]
    out["facets_on_vs_off_p50"] = on["p50"] / off["p50"] if off["p50"] else float("nan")
    out["facets_on_vs_off_p95"] = on["p95"] / off["p95"] if off["p95"] else float("nan")
    if "build" in report:
        for base in ("raw_whoosh", "fts5"):
            other = report["baselines"][base]["build"]
            out[f"build_quotations_per_s_vs_{base}"] = report["build"]["quotations_per_s"] / other["quotations_per_s"]
    return out


# --- the table ----------------------------------------------------------------------------------------------------


def render(report: dict) -> str:
    m, a = report["machine"], report["archive"]
    lines = [
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM; Python {m['python']}; Django {m['django']}, "
        f"django-haystack {m['haystack']}, Whoosh {m['whoosh']}, SQLite {m['sqlite']}",
        f"Load average (1/5/15 min) at start {m['load_average']}, at end {m.get('load_average_at_end')}: "
        f"wall-clock figures include waiting for the CPU when other work runs; CPU-time columns do not",
        f"Archive: {a['articles']:,} articles ({a['published_articles']:,} published), {a['quotations']:,} quotations "
        f"({a['public_quotations']:,} public), {a['people']:,} speakers, {a['organisations']:,} organisations, "
        f"{a['documents']:,} documents; {a['words'] / 1e6:.1f} M words, {a['text_bytes'] / 1e6:.0f} MB of text; "
        f"generated and stored in {a['seconds']:.0f} s"
        + ("; SQLite ANALYZE run after loading, as `serve` does" if report.get("sqlite_analyze") else ""),
        "",
    ]
    base = report["baselines"]
    nan = float("nan")  # figures an older run's JSON does not have
    if base.get("not_measured"):
        lines += ["Baselines (raw Whoosh, FTS5): not measured in this run (--no-baselines); their columns are nan", ""]
    elif base.get("reused"):
        lines += [
            "Baselines (raw Whoosh, FTS5): an earlier run's figures on the same archive (--skip-baselines), measured "
            "under that run's load, not alongside this one",
            "",
        ]
    if "build" in report:
        b = report["build"]
        rw, ft = base["raw_whoosh"]["build"], base["fts5"]["build"]
        lines += [
            f"BUILD (full index: {b['command']})",
            f"  {'':22}{'archive':>12}{'raw Whoosh':>12}{'FTS5':>12}"
            + (f"   (raw Whoosh writer: {rw['procs']} processes)" if rw.get("procs", 1) > 1 else ""),
            f"  {'seconds':22}{b['seconds']:12.1f}{rw['seconds']:12.1f}{ft['seconds']:12.1f}",
            f"  {'documents':22}{b['documents']:12,}{rw['documents']:12,}{ft['documents']:12,}",
            f"  {'articles/s':22}{b['articles_per_s']:12,.0f}{rw['articles_per_s']:12,.0f}"
            f"{ft['articles_per_s']:12,.0f}",
            f"  {'quotations/s':22}{b['quotations_per_s']:12,.0f}{rw['quotations_per_s']:12,.0f}"
            f"{ft['quotations_per_s']:12,.0f}",
            f"  {'CPU seconds':22}{b.get('cpu_seconds', nan):12.1f}{rw.get('cpu_seconds', nan):12.1f}"
            f"{ft.get('cpu_seconds', nan):12.1f}",
            f"  {'quotations/CPU-s':22}{b.get('quotations_per_cpu_s', nan):12,.0f}"
            f"{rw.get('quotations_per_cpu_s', nan):12,.0f}{ft.get('quotations_per_cpu_s', nan):12,.0f}",
            f"  {'index size MB':22}{b['index_bytes'] / 1e6:12.1f}{rw['index_bytes'] / 1e6:12.1f}"
            f"{ft['index_bytes'] / 1e6:12.1f}",
            f"  {'peak RSS MB':22}{b['peak_rss_mb']:12.0f}{'':>12}{'':>12}"
            + (f"   (largest writing process: {b['writer_peak_rss_mb']:.0f})" if b.get("writer_peak_rss_mb") else ""),
            f"  {'segments':22}{b['segments']:12}",
            "",
        ]
    s = report["serve"]
    n = s["search_facets_on"]["all"]["n"]
    lines += [
        f"SEARCH PAGE (/search/, 20 highlighted hits; {n} queries, warm), ms",
        f"  {'':12}{'facets on':^20}{'facets off':^20}{'raw Whoosh on':^20}{'FTS5 on':^20}",
        f"  {'kind':12}" + f"{'p50':>6}{'p95':>7}{'p99':>7}" * 4,
    ]
    columns = [s["search_facets_on"], s["search_facets_off"], base["raw_whoosh"]["search_facets_on"],
               base["fts5"]["search_facets_on"]]  # fmt: skip
    for kind in ("all", *KINDS):
        row = f"  {kind:12}"
        for col in columns:
            row += f"{col[kind]['p50']:6.1f}{col[kind]['p95']:7.1f}{col[kind]['p99']:7.1f}"
        lines.append(row)
    rw_off, ft_off = base["raw_whoosh"]["search_facets_off"]["all"], base["fts5"]["search_facets_off"]["all"]
    r = report["ratios"]
    lines += [
        f"  baselines with facets off: raw Whoosh p50 {rw_off['p50']:.1f} / p95 {rw_off['p95']:.1f}; "
        f"FTS5 p50 {ft_off['p50']:.1f} / p95 {ft_off['p95']:.1f}",
        f"  SQL queries per search page: {s['search_facets_on_sql']['min']}-{s['search_facets_on_sql']['max']}; "
        f"statuses {s['search_facets_on_status']} / {s['search_facets_off_status']}",
        f"  facets on / off: p50 {r['facets_on_vs_off_p50']:.2f}x, p95 {r['facets_on_vs_off_p95']:.2f}x "
        f"(off: the view given archive.search.search(with_facets=False); it has no switch of its own)",
        f"  CPU time, search page facets on: p50 {s['search_facets_on']['all']['cpu_p50']:.1f} / "
        f"p95 {s['search_facets_on']['all']['cpu_p95']:.1f}; facets off: p50 "
        f"{s['search_facets_off']['all']['cpu_p50']:.1f} / p95 {s['search_facets_off']['all']['cpu_p95']:.1f}",
        "",
        "RATIOS (archive / baseline)",
        f"  {'':26}{'p50':>8}{'p95':>8}",
    ]
    for label in ("facets_on", "facets_off"):
        for b in ("raw_whoosh", "fts5"):
            name = f"search {label.replace('_', ' ')} / {'raw Whoosh' if b == 'raw_whoosh' else 'FTS5'}"
            lines.append(f"  {name:26}{r[f'search_{label}_p50_vs_{b}']:8.1f}{r[f'search_{label}_p95_vs_{b}']:8.1f}")
    if "build" in report:
        lines.append(
            f"  build quotations/s: {r['build_quotations_per_s_vs_raw_whoosh']:.2f}x raw Whoosh, "
            f"{r['build_quotations_per_s_vs_fts5']:.2f}x FTS5"
        )
    layers = s.get("layers") or {}
    if "error" in layers:
        lines += ["", f"SEARCH LAYERS: not measured ({layers['error']})"]
    elif layers:
        rows = [
            ("search page, facets on", s["search_facets_on"]),
            ("search page, facets off", s["search_facets_off"]),
            ("search(), facets on", layers["search_facets_on"]),
            ("search(), facets off", layers["search_facets_off"]),
            ("search(), no facets/extras", layers["search_no_extras_facets_off"]),
            ("run_query(), facets on", layers["run_query_facets_on"]),
            ("run_query(), facets off", layers["run_query_facets_off"]),
            ("raw Whoosh, facets on", base["raw_whoosh"]["search_facets_on"]),
            ("raw Whoosh, facets off", base["raw_whoosh"]["search_facets_off"]),
            ("FTS5, facets on", base["fts5"]["search_facets_on"]),
            ("FTS5, facets off", base["fts5"]["search_facets_off"]),
        ]
        lines += [
            "",
            f"WHERE THE TIME GOES (all kinds; layers: first {layers['search_facets_on']['all']['n']} queries), ms",
            f"  {'':30}{'p50':>8}{'p95':>8}{'mean':>8}{'CPU p50':>9}{'CPU p95':>9}",
        ]
        for name, col in rows:
            c = col["all"]
            lines.append(
                f"  {name:30}{c['p50']:8.1f}{c['p95']:8.1f}{c['mean']:8.1f}{c['cpu_p50']:9.1f}{c['cpu_p95']:9.1f}"
            )
    lines += [
        "",
        "PAGES (caches warm; after a committed change; home in a new process, caches empty), ms",
        f"  {'page':30}{'n':>5}{'p50':>8}{'p95':>8}{'CPU p50':>9}{'CPU p95':>9}{'SQL queries':>14}",
    ]
    for kind in s["pages"]:
        p = s["pages"][kind]
        lines.append(
            f"  {kind:30}{p['n']:5}{p['p50']:8.1f}{p['p95']:8.1f}{p['cpu_p50']:9.1f}{p['cpu_p95']:9.1f}"
            f"{p['sql_min']:>8}-{p['sql_max']}" + ("  (time budget: fewer pages)" if p.get("cut_short") else "")
        )
    lines += [
        "",
        "SERVING PROCESS",
        f"  cold start to first answered search: {s['cold_start_s']:.2f} s",
        f"  peak RSS: {s['peak_rss_mb']:.0f} MB",
    ]
    for label, key in (("first search", "after_first_search"), ("search mix", "after_search_mix"),
                       ("pages", "after_pages")):  # fmt: skip
        r = s["rss_mb"][key]
        lines.append(
            f"  RSS after the {label}: {r['rss']:.0f} MB (own memory {r.get('anon', float('nan')):.0f} MB, "
            f"file-backed {r.get('file', float('nan')):.0f} MB)"
        )
    if s["errors"]:
        lines += ["", "ERRORS (non-200 responses, first 20):", *(f"  {e}" for e in s["errors"])]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000, help="articles in the synthetic archive")
    parser.add_argument("--queries", type=int, default=500, help="queries in the search mix (default 500)")
    parser.add_argument("--page-samples", type=int, default=50, help="pages of each kind to render (default 50)")
    parser.add_argument(
        "--page-budget", type=float, default=120, help="seconds at most to warm up one kind of page (default 120)"
    )
    parser.add_argument(
        "--layer-queries", type=int, default=140, help="queries of the mix timed layer by layer (default 140)"
    )
    parser.add_argument(
        "--raw-whoosh-procs", type=int, default=1, help="processes of the raw Whoosh writer (default 1: one writer)"
    )
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--json", help="write every figure to this file")
    parser.add_argument("--data-dir", help="keep the archive here instead of a temporary folder")
    parser.add_argument("--reuse", action="store_true", help="reuse the archive in --data-dir if it matches")
    parser.add_argument("--skip-build", action="store_true", help="with --reuse: keep the index as it is")
    parser.add_argument(
        "--skip-serve", action="store_true", help="with --reuse: report the earlier serving run's figures"
    )
    parser.add_argument(
        "--skip-baselines",
        action="store_true",
        help="with --reuse: report the earlier raw Whoosh and FTS5 figures instead of building them again",
    )
    parser.add_argument(
        "--no-baselines", action="store_true", help="leave raw Whoosh and FTS5 out (their columns print nan)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--phase", choices=("build", "serve", "baselines"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.phase:
        configure(Path(args.data_dir))
        phases = {"build": phase_build, "serve": phase_serve, "baselines": phase_baselines}
        phases[args.phase](args)
        return 0

    report = run(args)
    if args.json:  # before rendering: a figure is never lost to a printing error
        Path(args.json).write_text(json.dumps(report, indent=2, default=str))
    print(render(report))
    return 1 if report["serve"]["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
