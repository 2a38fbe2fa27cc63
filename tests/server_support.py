"""The helpers that run the archive as real processes live in bench/servers.py (the load test uses them too)."""

from bench.servers import (  # noqa: F401
    ROOT,
    SEED,
    archive_env,
    free_port,
    get,
    manage,
    output,
    shell,
    spawn,
    start_server,
    stop,
    wait_until,
)
