"""Running the archive as real processes, for the tests and the load test: `manage.py` commands and servers with
production settings in a data folder of their own, on a free port of 127.0.0.1, stopped (or killed) by process
group."""

import http.client
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "fixtures" / "seed_archive.json"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def archive_env(data_dir: Path, **extra: str) -> dict:
    """Production settings (plain HTTP) in `data_dir`; DATABASE_URL/SEARCH_URL only when given in `extra`."""
    deployment = {"DEBUG", "SECRET_KEY", "DATABASE_URL", "SEARCH_URL", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE"}
    env = {k: v for k, v in os.environ.items() if k not in deployment and not k.startswith(("ARCHIVE_", "PYTEST"))}
    env.update(
        DJANGO_SETTINGS_MODULE="archive.settings",
        ARCHIVE_DATA_DIR=str(data_dir),
        SECRET_KEY="fault-test-secret-key-" + "x" * 40,
        ARCHIVE_HTTPS="0",
        PYTHONWARNINGS="ignore",
        PYTHONUNBUFFERED="1",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    )
    env.update(extra)
    return env


class ProcessFailed(AssertionError):
    """A command or server did not do what it was started for (an AssertionError, so a test reports it as one)."""


def manage(env: dict, *args: str, timeout: float = 600, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    if check and result.returncode != 0:
        raise ProcessFailed(f"manage.py {' '.join(args)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result


def shell(env: dict, code: str, timeout: float = 120) -> str:
    """Run Python code in `manage.py shell`; its last line of output."""
    out = manage(env, "shell", "-c", code, timeout=timeout).stdout.strip().splitlines()
    return out[-1] if out else ""


def spawn(env: dict, *args: str) -> subprocess.Popen:
    """`manage.py ARGS` in its own process group, output to a temporary file (read it with output())."""
    log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 - closed by stop()
    process = subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    process.log = log
    return process


def output(process: subprocess.Popen) -> str:
    process.log.seek(0)
    return process.log.read()


def stop(process: subprocess.Popen, sig: int = signal.SIGTERM) -> str:
    """Send `sig` to the process group (SIGKILL after 20 s if it lingers); return what it printed."""
    try:
        os.killpg(process.pid, sig)
        process.wait(timeout=20)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    text = output(process)
    process.log.close()
    return text


def get(port: int, path: str, timeout: float = 30) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Host": f"127.0.0.1:{port}"})
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def start_server(env: dict, *extra: str, seconds: float = 90) -> tuple[subprocess.Popen, int]:
    """`manage.py serve EXTRA` (set-up included) on a free port; returns (process, port) once the home page answers."""
    port = free_port()
    process = spawn(env, "serve", "--port", str(port), *extra)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ProcessFailed(f"serve exited early:\n{output(process)}")
        try:
            if get(port, "/", timeout=5)[0] == 200:
                return process, port
        except OSError:
            pass
        time.sleep(0.3)
    stop(process, signal.SIGKILL)
    raise ProcessFailed(f"serve did not answer within {seconds} s")


def wait_until(condition, seconds: float = 30, interval: float = 0.3):
    """Poll `condition()` until it returns something true; that value, or None after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    return None
