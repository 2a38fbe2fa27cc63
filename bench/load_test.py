"""A bounded load test of the production server: searches, page views and admin saves at once, on loopback only.

    python bench/load_test.py                         # the long form: 60 s, 4 gunicorn workers, 8 readers, 2 editors
    python bench/load_test.py --duration 120 --workers 4 --readers 12 --editors 2 --articles 500 --json out.json

It builds a throwaway archive in a temporary data folder (production settings, SQLite and Whoosh by default, or
--database-url/--search-url to use PostgreSQL) with --articles synthetic articles (bench/synthetic.py) indexed (or
the seed alone with --articles 0) and an admin account; starts `manage.py serve --workers N` (gunicorn) on a free
port of 127.0.0.1; runs the load for --duration seconds; stops the server; then runs `manage.py check_index` and
reports whether the index matches the database.

Readers loop over a weighted mix: searches (words, phrases, OR, prefixes, field filters, facet filters, sorts,
pages, result types) and page views (home, articles, quotations, speakers, organisations, documents, lists,
archive by year, feeds, the JSON API). Editors log in to the admin once, then add articles with a quotation
(admin add form with its inline) and publish or unpublish them (admin changelist action): each save goes through
the index queue. Every response is checked: readers expect 200 (a 503 from search counts as an error), editors a
302 redirect. Exceptions count as errors.

The client is plain threads over http.client with keep-alive (one connection per thread; a request is retried once
only when the server had closed an idle kept-alive connection, and such retries are counted). Why not locust: its
gevent workers and web UI add a large dependency for what 200 lines do, and on a 2-core machine a lighter client
leaves more CPU to the server under test. Nothing here talks to any address but 127.0.0.1.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import asdict, dataclass, field
from pathlib import Path

if str(Path(__file__).resolve().parent.parent) not in sys.path:  # run as `python bench/load_test.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.servers import ROOT, SEED, archive_env, manage, start_server, stop  # noqa: E402

ADMIN_USER, ADMIN_PASSWORD = "loadtest", "load-test-passphrase-1"

SEARCHES = [
    {"q": "extremism"},
    {"q": "security cooperation"},
    {"q": '"international security"'},
    {"q": "terrorism OR separatism"},
    {"q": "extrem*"},
    {"q": "cooperation -terrorism"},
    {"q": "speaker:alimov"},
    {"q": "organisation:SCO extremism"},
    {"q": "year:2017"},
    {"q": "development", "sort": "newest"},
    {"q": "dialogue", "sort": "oldest", "page": "2"},
    {"q": "agreement", "type": "articles"},
    {"q": "convention", "type": "documents"},
    {"q": "security", "year": "2017"},
    {"q": "peace", "from": "2005-01-01", "to": "2020-12-31"},
    {"q": "extremsm"},
    {"speaker": "rashid-alimov"},
    {"q": "load test statement"},
]


PREPARE = """
import json, sys
from django.contrib.auth import get_user_model
from archive.models import Article, Document, Organisation, Person, Quotation
articles = {articles}
if articles:  # the synthetic archive numbers its own records: it goes into an empty database, without the seed
    from bench.synthetic import SyntheticArchive
    SyntheticArchive(articles=articles, seed=7).load()  # moves PostgreSQL's id sequences past its explicit ids
else:
    from django.core.management import call_command
    call_command("loaddata", {seed!r}, verbosity=0)
get_user_model().objects.create_superuser({user!r}, "load@example.org", {password!r})
quotations = list(Quotation.objects.public().values_list("pk", flat=True)[:200])
print(json.dumps({{
    "articles": [a.get_absolute_url() for a in Article.objects.published()[:200]],
    "quotations": [f"/quotations/{{pk}}/" for pk in quotations],
    "speakers": [p.get_absolute_url() for p in Person.objects.public()[:100]],
    "organisations": [o.get_absolute_url() for o in Organisation.objects.public()[:50]],
    "documents": [d.get_absolute_url() for d in Document.objects.public()[:50]],
    "speaker_pk": Person.objects.public().order_by("pk").first().pk,
}}))
"""


def prepare_archive(env: dict, articles: int) -> dict:
    """Migrate, load `articles` synthetic articles (or the seed when 0), index everything, add the admin account.

    Returns the public page URLs to visit and the primary key of the speaker editors quote."""
    manage(env, "migrate", "--verbosity", "0")
    script = PREPARE.format(articles=int(articles), seed=str(SEED), user=ADMIN_USER, password=ADMIN_PASSWORD)
    out = manage(env, "shell", "-c", script).stdout
    manage(env, "rebuild_index", "--noinput", "--verbosity", "0")
    manage(env, "index_worker", "--once")  # rows queued while loading, already in the rebuilt index
    return json.loads(out.strip().splitlines()[-1])


# --- The client --------------------------------------------------------------------------------------------------


class Client:
    """One keep-alive connection to 127.0.0.1:port with a cookie jar."""

    def __init__(self, port: int):
        self.port = port
        self.conn: http.client.HTTPConnection | None = None
        self.cookies: dict[str, str] = {}
        self.retries = 0

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, dict, bytes]:
        body = urllib.parse.urlencode(form, doseq=True) if form is not None else None
        headers = {"Host": f"127.0.0.1:{self.port}", "User-Agent": "archive-load-test"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            reused = self.conn is not None
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                self.conn = None
                if reused and attempt == 1:  # the server closed an idle kept-alive connection: reconnect once
                    self.retries += 1
                    continue
                raise
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key.strip()] = rest.split(";", 1)[0]
            if response.getheader("Connection", "").lower() == "close":
                self.conn.close()
                self.conn = None
            return response.status, dict(response.getheaders()), data
        raise AssertionError("unreachable")


@dataclass
class Sample:
    kind: str
    seconds: float
    ok: bool


@dataclass
class Report:
    duration: float
    workers: int
    readers: int
    editors: int
    requests: int = 0
    errors: int = 0
    rps: float = 0.0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    p99_ms: float = 0.0
    by_kind: dict = field(default_factory=dict)
    error_examples: list = field(default_factory=list)
    reconnects: int = 0
    articles_added: int = 0
    status_changes: int = 0
    drift: str = ""
    drift_ok: bool = False
    load_average: list = field(default_factory=list)  # 1/5/15-minute load before the run, then after it

    def text(self) -> str:
        lines = [
            f"{self.requests} requests in {self.duration:.1f} s: {self.rps:.1f} requests/s, "
            f"p50 {self.p50_ms:.0f} ms, p95 {self.p95_ms:.0f} ms, p99 {self.p99_ms:.0f} ms, errors {self.errors}",
            f"  ({self.workers} gunicorn workers; {self.readers} reader and {self.editors} editor threads; "
            f"{self.articles_added} articles added and {self.status_changes} publish/unpublish saves in the admin; "
            f"{self.reconnects} idle keep-alive reconnects)",
        ]
        for kind, figures in sorted(self.by_kind.items()):
            lines.append(
                f"  {kind:8} {figures['requests']:6} requests  p50 {figures['p50_ms']:6.0f} ms  "
                f"p95 {figures['p95_ms']:6.0f} ms  p99 {figures['p99_ms']:6.0f} ms  errors {figures['errors']}"
            )
        lines += [f"  error: {e}" for e in self.error_examples]
        lines.append(f"index check after the run: {self.drift}")
        if self.load_average:
            before, after = self.load_average[:3], self.load_average[3:]
            lines.append(
                f"load average (1/5/15 min) before {before}, after {after} on {os.cpu_count()} cores: latencies "
                "include waiting for the CPU when other work runs"
            )
        return "\n".join(lines)


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))]


class LoadRun:
    def __init__(self, port: int, urls: dict, duration: float, readers: int, editors: int, seed: int = 1):
        self.port, self.urls, self.duration = port, urls, duration
        self.readers, self.editors, self.seed = readers, editors, seed
        self.samples: list[Sample] = []
        self.errors: list[str] = []
        self.lock = threading.Lock()
        self.reconnects = 0
        self.added = 0
        self.toggled = 0

    def record(self, kind: str, started: float, ok: bool, detail: str = "") -> None:
        with self.lock:
            self.samples.append(Sample(kind, time.monotonic() - started, ok))
            if not ok and len(self.errors) < 20:
                self.errors.append(f"{kind}: {detail}")

    def timed(self, client: Client, kind: str, method: str, path: str, form=None, expect=(200,)):
        started = time.monotonic()
        try:
            status, headers, body = client.request(method, path, form)
        except Exception as error:  # a refused or dropped connection is an error like any other
            self.record(kind, started, False, f"{method} {path}: {error!r}")
            return None
        ok = status in expect
        self.record(kind, started, ok, f"{method} {path}: HTTP {status}")
        return (status, headers, body) if ok else None

    def page_path(self, rng: random.Random) -> str:
        kind = rng.choices(
            ["home", "articles", "quotations", "speakers", "organisations", "documents", "lists", "api", "feed"],
            weights=[2, 4, 4, 2, 1, 2, 2, 1, 1],
        )[0]
        if kind == "home":
            return "/"
        if kind == "lists":
            return rng.choice(["/speakers/", "/organisations/", "/documents/", "/archive/", "/archive/2017/"])
        if kind == "api":
            return rng.choice(["/api/quotations/?page_size=20", "/api/articles/", "/api/search/?q=security"])
        if kind == "feed":
            return rng.choice(["/feeds/articles/", "/feeds/search/?q=extremism"])
        return rng.choice(self.urls[kind] or ["/"])

    def reader(self, number: int, deadline: float) -> None:
        rng = random.Random(self.seed * 1000 + number)
        client = Client(self.port)
        while time.monotonic() < deadline:
            if rng.random() < 0.5:
                params = dict(rng.choice(SEARCHES))
                self.timed(client, "search", "GET", "/search/?" + urllib.parse.urlencode(params))
            else:
                self.timed(client, "page", "GET", self.page_path(rng))
        with self.lock:
            self.reconnects += client.retries

    def editor(self, number: int, deadline: float) -> None:
        rng = random.Random(self.seed * 2000 + number)
        client = Client(self.port)
        # Logging in is timed apart from saves: its password hashing (PBKDF2, on purpose slow) is not a save's wait.
        got = self.timed(client, "login", "GET", "/admin/login/?next=/admin/")
        if not got:
            return
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', got[2]).group(1).decode()
        login = {"csrfmiddlewaretoken": token, "username": ADMIN_USER, "password": ADMIN_PASSWORD, "next": "/admin/"}
        if not self.timed(client, "login", "POST", "/admin/login/?next=/admin/", login, expect=(302,)):
            return
        mine: list[str] = []
        n = 0
        while time.monotonic() < deadline:
            n += 1
            if mine and rng.random() < 0.35:
                action = rng.choice(["publish", "unpublish"])
                form = {"csrfmiddlewaretoken": client.cookies.get("csrftoken", token), "action": action}
                form["_selected_action"] = rng.sample(mine, min(2, len(mine)))
                form["index"] = "0"
                if self.timed(client, "admin", "POST", "/admin/archive/article/", form, expect=(302,)):
                    with self.lock:
                        self.toggled += 1
                continue
            words = f"load test statement {number} {n} on regional security"
            text = f"We will keep working on {words},"
            form = {
                "csrfmiddlewaretoken": client.cookies.get("csrftoken", token),
                "title": f"Load test article {self.seed}-{number}-{n}",
                "slug": "",
                "status": "published",
                "published_at_0": "2021-03-04",
                "published_at_1": "10:00:00",
                "language": "en",
                "place": "",
                "source_name": "",
                "source_url": "",
                "body_html": f"<p>“{text}” the spokesperson said.</p><p>{words.capitalize()}.</p>",
                "quotations-TOTAL_FORMS": "1",
                "quotations-INITIAL_FORMS": "0",
                "quotations-MIN_NUM_FORMS": "0",
                "quotations-MAX_NUM_FORMS": "1000",
                "quotations-0-speaker": str(self.urls["speaker_pk"]),
                "quotations-0-text": text,
                "quotations-0-speech": "direct",
                "quotations-0-review": "confirmed",
                "document_mentions-TOTAL_FORMS": "0",
                "document_mentions-INITIAL_FORMS": "0",
                "document_mentions-MIN_NUM_FORMS": "0",
                "document_mentions-MAX_NUM_FORMS": "1000",
                "_continue": "1",
            }
            got = self.timed(client, "admin", "POST", "/admin/archive/article/add/", form, expect=(302,))
            if got:
                match = re.search(r"/admin/archive/article/(\d+)/change/", got[1].get("Location", ""))
                if match:
                    mine.append(match.group(1))
                    with self.lock:
                        self.added += 1

    def run(self) -> Report:
        deadline = time.monotonic() + self.duration
        threads = [threading.Thread(target=self.reader, args=(n, deadline)) for n in range(self.readers)]
        threads += [threading.Thread(target=self.editor, args=(n, deadline)) for n in range(self.editors)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        report = Report(duration=elapsed, workers=0, readers=self.readers, editors=self.editors)
        report.requests = len(self.samples)
        report.errors = sum(not s.ok for s in self.samples)
        report.rps = report.requests / elapsed if elapsed else 0.0
        latencies = [s.seconds * 1000 for s in self.samples]
        report.p50_ms, report.p95_ms, report.p99_ms = (percentile(latencies, f) for f in (0.5, 0.95, 0.99))
        for kind in sorted({s.kind for s in self.samples}):
            mine = [s for s in self.samples if s.kind == kind]
            values = [s.seconds * 1000 for s in mine]
            report.by_kind[kind] = {
                "requests": len(mine),
                "errors": sum(not s.ok for s in mine),
                "p50_ms": percentile(values, 0.5),
                "p95_ms": percentile(values, 0.95),
                "p99_ms": percentile(values, 0.99),
                "mean_ms": statistics.fmean(values) if values else 0.0,
            }
        report.error_examples = list(self.errors)
        report.reconnects = self.reconnects
        report.articles_added, report.status_changes = self.added, self.toggled
        return report


def run_load_test(
    duration: float = 60,
    workers: int = 4,
    threads: int = 4,
    readers: int = 8,
    editors: int = 2,
    articles: int = 300,
    data_dir: Path | None = None,
    database_url: str = "",
    search_url: str = "",
    reuse: bool = False,
) -> Report:
    """Prepare an archive, serve it with `workers` gunicorn workers, load it for `duration` s, check the index.

    With `data_dir` and `reuse`, an archive prepared there by an earlier run (same size and database) is served
    again as it is, articles added by that run's editors included."""
    with tempfile.TemporaryDirectory(prefix="archive-load-") as scratch:
        data = Path(data_dir or scratch)
        data.mkdir(parents=True, exist_ok=True)
        urls_given = {"DATABASE_URL": database_url, "SEARCH_URL": search_url}
        env = archive_env(data, **{name: url for name, url in urls_given.items() if url})
        marker = data / "load-test-archive.json"
        wanted = {"articles": articles, "database_url": database_url, "search_url": search_url}
        saved = json.loads(marker.read_text()) if reuse and marker.exists() else {}
        if saved.get("archive") == wanted:
            urls = saved["urls"]
        else:
            urls = prepare_archive(env, articles)
            marker.write_text(json.dumps({"archive": wanted, "urls": urls}))
        load_before = os.getloadavg()
        server, port = start_server(env, "--workers", str(workers), "--threads", str(threads))
        try:
            report = LoadRun(port, urls, duration, readers, editors).run()
        finally:
            log = stop(server)
        report.workers = workers
        report.load_average = [round(x, 2) for x in (*load_before, *os.getloadavg())]
        # Whatever the requests left queued is applied by the worker, then the index is compared with the database.
        manage(env, "index_worker", "--once")
        check = subprocess.run(
            [sys.executable, "manage.py", "check_index"], cwd=ROOT, env=env, capture_output=True, text=True
        )
        report.drift = (check.stdout + check.stderr).strip().splitlines()[-1] if (check.stdout + check.stderr) else ""
        report.drift_ok = check.returncode == 0 and "No drift" in check.stdout
        if "Traceback" in log:
            report.error_examples.append("server log has a traceback:\n" + log[-3000:])
            report.errors += 1
        return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=60, help="Seconds of load (default 60).")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes (default 4).")
    parser.add_argument("--threads", type=int, default=4, help="Threads per worker (default 4).")
    parser.add_argument("--readers", type=int, default=8, help="Reader threads: searches and pages (default 8).")
    parser.add_argument("--editors", type=int, default=2, help="Admin threads saving articles (default 2).")
    parser.add_argument("--articles", type=int, default=300, help="Synthetic articles besides the seed (300).")
    parser.add_argument("--database-url", default="", help="A PostgreSQL URL instead of SQLite (database is filled).")
    parser.add_argument("--search-url", default="", help="SEARCH_URL for the server (default: Whoosh).")
    parser.add_argument("--json", type=Path, help="Also write the report as JSON here.")
    parser.add_argument("--data-dir", type=Path, help="Keep the archive in this folder instead of a temporary one.")
    parser.add_argument(
        "--reuse", action="store_true", help="With --data-dir: serve the archive an earlier run prepared there."
    )
    args = parser.parse_args(argv)
    report = run_load_test(
        duration=args.duration,
        workers=args.workers,
        threads=args.threads,
        readers=args.readers,
        editors=args.editors,
        articles=args.articles,
        database_url=args.database_url,
        search_url=args.search_url,
        data_dir=args.data_dir,
        reuse=args.reuse,
    )
    print(report.text())
    if args.json:
        args.json.write_text(json.dumps(asdict(report), indent=2))
    return 0 if report.errors == 0 and report.drift_ok else 1


if __name__ == "__main__":
    sys.exit(main())
