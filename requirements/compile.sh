#!/usr/bin/env bash
# Regenerates the lock files from pyproject.toml's ranges; run it after changing a dependency there:
#   python3 -m venv /tmp/pip-tools && /tmp/pip-tools/bin/pip install pip-tools
#   LOCK_COMPILER=/tmp/pip-tools/bin/pip-compile bash requirements/compile.sh
# Pins already in a lock file are kept; pass --upgrade to move every pin to the newest version the ranges allow.
#   run.txt       what `serve` needs (SQLite + Whoosh)
#   postgres.txt  the same and the PostgreSQL driver
#   test.txt      everything, with the test tools
set -euo pipefail
cd "$(dirname "$0")/.."
compile="${LOCK_COMPILER:-pip-compile}"
common=(--quiet --no-header --strip-extras --resolver=backtracking --no-emit-index-url --no-emit-find-links "$@")
"$compile" "${common[@]}" -o requirements/run.txt pyproject.toml
"$compile" "${common[@]}" --extra postgres -o requirements/postgres.txt pyproject.toml
"$compile" "${common[@]}" --extra postgres --extra test -o requirements/test.txt pyproject.toml
