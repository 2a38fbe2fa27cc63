# A throwaway PostgreSQL cluster for the test suite, on 127.0.0.1 only. Sourced by .ci/run:
#   start_postgres   initdb into a temporary folder, start the server, create a role and a database,
#                    and export TEST_DATABASE_URL (postgres://...)
#   stop_postgres    stop the server and delete the folder (safe to call twice; .ci/run calls it from a trap)
# As root the server runs as the `postgres` user (PostgreSQL refuses to run as root); otherwise as the caller.

pg_bin() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [ -n "$dir" ] || { echo "PostgreSQL server binaries not found under /usr/lib/postgresql" >&2; return 1; }
  echo "$dir"
}

as_pg_user() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_postgres() {
  local bin port password
  bin="$(pg_bin)" || return 1
  PG_BIN="$bin"
  PG_DIR="$(mktemp -d /tmp/archive-pg.XXXXXX)"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$PG_DIR"; fi
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  password="$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
  printf '%s\n' "$password" > "$PG_DIR/pwfile"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$PG_DIR/pwfile"; fi
  # Local socket: trust (only this folder's owner can reach it); TCP on 127.0.0.1: password.
  as_pg_user "$bin/initdb" -D "$PG_DIR/data" -U postgres --pwfile="$PG_DIR/pwfile" --auth-local=trust \
    --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 --no-sync >"$PG_DIR/initdb.log" 2>&1 \
    || { cat "$PG_DIR/initdb.log" >&2; return 1; }
  as_pg_user "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -k $PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -p $port" \
    start >/dev/null || { cat "$PG_DIR/server.log" >&2; return 1; }
  # The archive's own role may create databases: the test runner makes test_archive next to archive.
  as_pg_user "$bin/psql" -h "$PG_DIR" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
    -c "CREATE ROLE archive LOGIN CREATEDB PASSWORD '$password'" \
    -c "CREATE DATABASE archive OWNER archive" || return 1
  export TEST_DATABASE_URL="postgres://archive:$password@127.0.0.1:$port/archive"
}

stop_postgres() {
  if [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR/data" ]; then
    as_pg_user "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  if [ -n "${PG_DIR:-}" ]; then rm -rf "$PG_DIR"; fi
  PG_DIR=""
}
