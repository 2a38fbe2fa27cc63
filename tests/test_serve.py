"""The README's run command: `manage.py serve` sets everything up and serves the archive."""

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from bench.servers import free_port

REPO = Path(__file__).resolve().parent.parent
SEED_TITLE = "SCO Secretary-General: The threat of extremism must be removed without delay"


def production_env(data_dir: Path, **extra) -> dict:
    deployment = {"DEBUG", "SECRET_KEY", "DATABASE_URL", "SEARCH_URL", "ALLOWED_HOSTS"}
    env = {k: v for k, v in os.environ.items() if k not in deployment and not k.startswith("ARCHIVE_")}
    env.update(DJANGO_SETTINGS_MODULE="archive.settings", ARCHIVE_DATA_DIR=str(data_dir), **extra)
    return env


def manage(*args, env, timeout=120):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout
    )


def fetch(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read().decode()


def wait_for(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"serve exited early:\n{process.stdout.read()}")
        try:
            fetch(url)
            return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within {seconds} s")


def test_serve_sets_up_an_empty_data_folder_and_serves_the_seed(tmp_path):
    """On a fresh data folder, serve migrates, loads the seed, builds the index and answers on its port."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--port", str(port)],
        cwd=REPO,
        env=production_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/", process)
        status, home = fetch(f"http://127.0.0.1:{port}/")
        assert status == 200 and SEED_TITLE in home
        status, css = fetch(f"http://127.0.0.1:{port}/static/css/archive.css")
        assert status == 200 and "--accent" in css
        assert fetch(f"http://127.0.0.1:{port}/admin/login/")[0] == 200
    finally:
        process.terminate()
        output = process.communicate(timeout=20)[0]
    assert f"http://127.0.0.1:{port}/" in output
    assert "createsuperuser" in output
    assert (tmp_path / "archive.sqlite3").exists()
    assert (tmp_path / "whoosh_index").is_dir()


def test_running_serve_again_keeps_what_is_stored(tmp_path):
    """A second set-up neither reloads the seed over the archive nor loses records added since."""
    env = production_env(tmp_path)
    assert manage("serve", "--prepare-only", env=env).returncode == 0
    added = manage(
        "shell",
        "-c",
        "from archive.models import Person; Person.objects.create(name='Lim Jock Hoi'); "
        "from archive.models import Article; a = Article.objects.get(); a.title = 'Edited title'; a.save()",
        env=env,
    )
    assert added.returncode == 0, added.stderr
    second = manage("serve", "--prepare-only", env=env)
    assert second.returncode == 0, second.stderr
    assert "loading the seed" not in second.stdout
    counts = manage(
        "shell",
        "-c",
        "from archive.models import Person, Article; "
        "print(Person.objects.count(), Article.objects.count(), Article.objects.get().title)",
        env=env,
    )
    assert counts.stdout.strip().splitlines()[-1] == "2 1 Edited title"


@pytest.mark.parametrize("debug", ["0"])
def test_deploy_check_is_clean_with_debug_off_and_a_secret_set(tmp_path, debug):
    """With DEBUG off and a real secret, Django's deployment checklist reports nothing."""
    env = production_env(tmp_path, DEBUG=debug, SECRET_KEY="k" * 30 + "-a-long-random-production-secret-value")
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
