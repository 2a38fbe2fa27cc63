"""Faults: processes killed with SIGKILL while they import or index, and a search index that is missing, corrupted
or has locks left behind. Nothing committed is lost, the database stays consistent, the repair command brings the
index back to match the database exactly, search says it is unavailable (503) while browsing goes on, and one
documented command rebuilds the index.

Every process here is a real `manage.py` with production settings in a data folder of its own (SQLite + Whoosh).
"""

import json
import re
import shutil
import signal
import time

import pytest

from tests.server_support import archive_env, get, manage, shell, spawn, start_server, stop, wait_until

pytestmark = pytest.mark.slow

CONSISTENCY = """
import json
from django.db import connection
from archive.search.indexing import pending_count
from archive.models import Article, DocumentMention, Quotation
from archive.sanitize import html_to_text
problems = []
if connection.vendor == "sqlite":
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA integrity_check")
        problems += [row[0] for row in cursor.fetchall() if row[0] != "ok"]
for article in Article.objects.all():
    if article.body_text != html_to_text(article.body_html):
        problems.append(f"article {article.pk}: body and text disagree")
for quotation in Quotation.objects.select_related("article"):
    if quotation.start is not None and quotation.article.body_text[quotation.start:quotation.end] != quotation.text:
        problems.append(f"quotation {quotation.pk}: offsets do not point at its text")
print(json.dumps({
    "problems": problems,
    "titles": sorted(Article.objects.values_list("title", flat=True)),
    "articles": Article.objects.count(),
    "quotations": Quotation.objects.count(),
    "pending": pending_count(),
}))
"""


def state(env) -> dict:
    return json.loads(shell(env, CONSISTENCY))


def repaired_without_drift(env) -> str:
    """check_index --repair succeeds, and a plain check_index afterwards finds no drift and nothing queued."""
    repair = manage(env, "check_index", "--repair", check=False)
    assert repair.returncode == 0, repair.stdout + repair.stderr
    check = manage(env, "check_index", check=False)
    assert check.returncode == 0 and "No drift" in check.stdout, check.stdout + check.stderr
    assert "queued" not in check.stdout, check.stdout
    return repair.stdout


def kill_when(process, seen, seconds: float = 60) -> str:
    """SIGKILL the process group as soon as `seen(output)` is true (or after `seconds`); returns its output."""
    from tests.server_support import output

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None and not seen(output(process)):
        time.sleep(0.05)
    return stop(process, signal.SIGKILL)


def write_articles(folder, count: int) -> list[str]:
    """`count` plain-text articles in the seed's format, each with a quotation extraction will find."""
    folder.mkdir()
    titles = []
    for n in range(count):
        title = f"Fault test article number {n}"
        titles.append(title)
        paragraphs = [
            f"“Cooperation against extremism must continue in round {n},” Secretary-General Rashid Alimov said.",
            *(f"Paragraph {p} of article {n} describes the meeting of the member states in detail." for p in range(8)),
        ]
        (folder / f"article_{n:03d}.txt").write_text(f"{title}\n13.06.2017 07:48\n\n" + "\n\n".join(paragraphs))
    return titles


def test_an_import_killed_midway_loses_nothing_committed_and_repair_restores_the_index(tmp_path):
    """import_articles is SIGKILLed after some files committed: every file it reported is there, the database is
    consistent, check_index --repair leaves no drift, and importing again completes the set without duplicates."""
    env = archive_env(tmp_path / "data")
    manage(env, "serve", "--prepare-only")
    titles = write_articles(tmp_path / "incoming", 60)

    importer = spawn(env, "import_articles", str(tmp_path / "incoming"), "--confirm")
    printed = kill_when(importer, lambda out: out.count(": created:") >= 8)
    assert importer.returncode == -signal.SIGKILL, printed
    reported = re.findall(r": created: (.*?) \(", printed)
    assert len(reported) >= 8

    after = state(env)
    assert after["problems"] == []
    assert set(reported) <= set(after["titles"])  # every file reported as imported had committed
    assert len(after["titles"]) < len(titles) + 1  # killed before the end
    repaired_without_drift(env)

    again = manage(env, "import_articles", str(tmp_path / "incoming"), "--confirm", check=False)
    assert again.returncode == 0, again.stdout + again.stderr
    final = state(env)
    assert final["problems"] == [] and final["articles"] == len(titles) + 1  # the seed's article and every file
    assert final["quotations"] >= after["quotations"]
    check = manage(env, "check_index", check=False)
    assert check.returncode == 0 and "No drift" in check.stdout, check.stdout + check.stderr


WRITER = """
import itertools, sys
from django.db import transaction
from archive.models import Article, Person, Quotation
alimov = Person.objects.get(slug="rashid-alimov")
for n in itertools.count():
    with transaction.atomic():
        text = f"We keep every statement number {n} on cooperation,"
        article = Article.objects.create(title=f"Killed writer article {n}", status="published",
                                         body_html=f"<p>“{text}” he said.</p>")
        Quotation.objects.create(article=article, speaker=alimov, text=text)
        if n % 3 == 0:
            alimov.description = f"Touched by the writer in round {n}."
            alimov.save()
    print(f"committed {article.pk}", flush=True)
"""


def test_writers_and_the_index_worker_killed_while_indexing_lose_nothing_and_repair_restores_the_index(tmp_path):
    """An ORM writer that indexes each change on commit and an index_worker looping beside it are both SIGKILLed
    mid-run, then a rebuild_index is SIGKILLed halfway: every reported commit is in the database, the database is
    consistent, and check_index --repair brings the index back to match it exactly each time."""
    env = archive_env(tmp_path / "data")
    manage(env, "serve", "--prepare-only")

    worker = spawn(env, "index_worker", "--interval", "0.05")
    writer = spawn(env, "shell", "-c", WRITER)
    written = kill_when(writer, lambda out: out.count("committed") >= 40, seconds=90)
    stop(worker, signal.SIGKILL)
    committed = [int(line.split()[1]) for line in written.splitlines() if line.startswith("committed ")]
    assert len(committed) >= 40, written[-2000:]

    after = state(env)
    assert after["problems"] == []
    present = json.loads(
        shell(
            env,
            "import json; from archive.models import Article; "
            "print(json.dumps(list(Article.objects.values_list('pk', flat=True))))",
        )
    )
    assert set(committed) <= set(present)
    repaired_without_drift(env)

    # A full rebuild killed halfway leaves a partial index; the repair command completes it.
    rebuild = spawn(env, "rebuild_index", "--noinput", "--batch-size", "5", "--verbosity", "2")
    kill_when(rebuild, lambda out: "Indexing" in out and "quotations" in out.split("Indexing")[-1], seconds=60)
    assert rebuild.returncode == -signal.SIGKILL
    repaired_without_drift(env)


def test_a_corrupted_or_missing_index_makes_search_unavailable_while_browsing_works(tmp_path):
    """Against a running server: an index overwritten with garbage gives 503 "temporarily unavailable" on search
    (and stays so: nothing half-repairs it) while every browsing page answers 200; `rebuild_index --noinput`
    brings search back with no drift. A deleted index is rebuilt by the server's own worker. Lock files left
    behind block nothing."""
    data = tmp_path / "data"
    env = archive_env(data)
    server, port = start_server(env)
    index = data / "whoosh_index"
    browse = [
        "/",
        "/speakers/rashid-alimov/",
        "/organisations/sco/",
        "/documents/",
        "/archive/2017/",
        "/feeds/articles/",
        "/api/quotations/",
        "/quotations/1/",
        "/sitemap.xml",
    ]
    try:
        status, html = get(port, "/search/?q=extremism")
        assert status == 200 and "Rashid Alimov" in html
        article = shell(env, "from archive.models import Article; print(Article.objects.get().get_absolute_url())")
        browse.append(article)

        # 1. Every file of the index overwritten with garbage (table of contents and segments).
        files = [path for path in index.iterdir() if path.is_file()]
        assert any(path.suffix == ".seg" for path in files) and any(path.suffix == ".toc" for path in files)
        for n, path in enumerate(files):  # half cut short, half garbled in place at their own length
            size = path.stat().st_size
            garbage = b"\x00\xffnot a whoosh index\x00" * (size // 21 + 1)
            path.write_bytes(garbage[: size if n % 2 else 64])
        for _ in range(2):
            status, html = get(port, "/search/?q=extremism")
            assert status == 503 and "temporarily unavailable" in html
            assert "Traceback" not in html
            assert {path: get(port, path)[0] for path in browse} == dict.fromkeys(browse, 200)
            time.sleep(2.5)  # the server's worker loop runs meanwhile, and does not make things worse
            assert server.poll() is None  # still serving: no SIGBUS from a file cut short under a memory map
        rebuilt = manage(env, "rebuild_index", "--noinput")
        assert "Indexing 13 quotations" in rebuilt.stdout
        status, html = get(port, "/search/?q=extremism")
        assert status == 200 and "Rashid Alimov" in html
        repaired_without_drift(env)

        # 2. Lock files left behind by a crashed writer (ours next to the index, Whoosh's inside) block nothing.
        (tmp_path / "data" / "whoosh_index.lock").write_text("pid 999999\n")
        (index / "MAIN_WRITELOCK").write_text("left behind")
        shell(
            env,
            "from archive.models import Person; p = Person.objects.get(slug='rashid-alimov'); "
            "p.aliases = 'Zanzibarian Alimov'; p.save()",
        )
        assert wait_until(lambda: 'href="/quotations/' in get(port, "/search/?q=speaker:zanzibarian")[1], seconds=15)
        check = manage(env, "check_index", check=False)
        assert check.returncode == 0 and "No drift" in check.stdout, check.stdout

        # 3. The index folder deleted: search answers 503 or is already back; the worker rebuilds it by itself.
        shutil.rmtree(index)
        assert get(port, "/search/?q=extremism")[0] in (200, 503)
        assert {path: get(port, path)[0] for path in browse} == dict.fromkeys(browse, 200)
        assert wait_until(lambda: "Rashid Alimov" in get(port, "/search/?q=extremism")[1], seconds=20)
    finally:
        stop(server)
    check = manage(env, "check_index", check=False)
    assert check.returncode == 0 and "No drift" in check.stdout, check.stdout


def test_search_is_unavailable_with_the_index_deleted_and_browsing_is_not(client, seed_archive, search_index):
    """With no index folder at all (and no worker to rebuild it), search answers 503 and every page type 200."""
    from archive.search.indexing import apply_pending_updates

    apply_pending_updates()
    shutil.rmtree(search_index)
    response = client.get("/search/", {"q": "extremism", "speaker": "rashid-alimov"})
    assert response.status_code == 503 and "temporarily unavailable" in response.content.decode()
    quotation = seed_archive.quotations.first()
    pages = [
        "/",
        seed_archive.get_absolute_url(),
        f"/quotations/{quotation.pk}/",
        "/speakers/rashid-alimov/",
        "/organisations/sco/",
        "/documents/",
        "/archive/2017/06/",
        "/feeds/articles/",
        "/api/articles/",
    ]
    assert {page: client.get(page).status_code for page in pages} == dict.fromkeys(pages, 200)
    assert not search_index.exists()
