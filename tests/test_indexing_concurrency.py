"""Several processes saving and deleting at once leave an index that matches the database exactly."""

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "fixtures" / "seed_archive.json"
WORKER = ROOT / "tests" / "index_concurrency_worker.py"
PROCESSES = 6
ROUNDS = 15


def manage(env, *args, check=True):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=check
    )


def test_concurrent_writers_leave_the_index_exactly_matching_the_database(tmp_path):
    """6 processes on one SQLite file and one Whoosh index save and delete at once; then check_index finds no drift
    and nothing left in the queue, without any repair."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_SETTINGS"))},
        "DJANGO_SETTINGS_MODULE": "archive.settings",
        "ARCHIVE_DATA_DIR": str(tmp_path / "data"),
        "SECRET_KEY": "concurrency-test-secret-key-" + "x" * 40,
        "ARCHIVE_HTTPS": "0",
        "SEARCH_URL": "",
        "PYTHONWARNINGS": "ignore",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    manage(env, "migrate", "--verbosity", "0")
    manage(env, "loaddata", str(SEED), "--verbosity", "0")
    manage(env, "rebuild_index", "--noinput", "--verbosity", "0")  # as `serve` does for a new data folder

    started = time.monotonic()
    workers = [
        subprocess.Popen(
            [sys.executable, str(WORKER), str(n), str(ROUNDS)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(PROCESSES)
    ]
    outputs = [worker.communicate(timeout=150) for worker in workers]
    for worker, (out, err) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, err[-3000:]
        assert "done" in out
        assert "stay queued" not in err and "left for the index worker" not in err, err[-3000:]
    elapsed = time.monotonic() - started

    check = manage(env, "check_index", check=False)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No drift" in check.stdout, check.stdout
    assert "queued" not in check.stdout, check.stdout  # every change was applied by the process that made it
    print(f"{PROCESSES} writers x {ROUNDS} rounds in {elapsed:.1f} s; {check.stdout.strip()}")
