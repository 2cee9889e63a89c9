#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the store tests.
#
#   scripts/pg-test-server.sh start   # init once, start on 127.0.0.1:54329, print the URL
#   scripts/pg-test-server.sh stop    # stop it (the data dir stays for the next start)
#   scripts/pg-test-server.sh url     # print the URL
#
# Works as root (runs the server as the `postgres` user via runuser) or as an ordinary user.
# Needs apt's postgresql (binaries under /usr/lib/postgresql/*/bin) or pg_ctl on PATH.
# Environment: PG_TEST_DIR (data dir, default /tmp/threatscape-pg-test), PG_TEST_PORT (54329).
set -euo pipefail

PORT="${PG_TEST_PORT:-54329}"
DATA="${PG_TEST_DIR:-/tmp/threatscape-pg-test}"
ROLE=threatscape
PASSWORD=threatscape
DB=threatscape_test
URL="postgresql://${ROLE}:${PASSWORD}@127.0.0.1:${PORT}/${DB}"

find_bin() {
    local dir
    dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    if [[ -n "$dir" && -x "$dir/pg_ctl" ]]; then
        echo "$dir"
    elif command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(command -v pg_ctl)"
    else
        echo "pg-test-server: no PostgreSQL binaries found (apt-get install -y postgresql)" >&2
        exit 1
    fi
}

BIN="$(find_bin)"

as_pg() {
    if [[ "$(id -u)" == 0 ]]; then
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

psql_admin() {
    as_pg "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$DATA" -p "$PORT" -d postgres "$@"
}

init_cluster() {
    [[ -f "$DATA/PG_VERSION" ]] && return 0
    mkdir -p "$DATA"
    if [[ "$(id -u)" == 0 ]]; then
        chown postgres:postgres "$DATA"
    fi
    chmod 700 "$DATA"
    as_pg "$BIN/initdb" -D "$DATA" --auth-local=trust --auth-host=scram-sha-256 -U postgres --no-sync -E UTF8 >/dev/null
}

start() {
    init_cluster
    if ! as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
        as_pg "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w -t 30 start \
            -o "-h 127.0.0.1 -p $PORT -k $DATA -c fsync=off -c full_page_writes=off" >/dev/null
    fi
    psql_admin <<SQL
SELECT 'CREATE ROLE ${ROLE} LOGIN CREATEDB PASSWORD ''${PASSWORD}'''
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${ROLE}') \gexec
SELECT 'CREATE DATABASE ${DB} OWNER ${ROLE}'
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '${DB}') \gexec
SQL
    echo "$URL"
}

stop() {
    if [[ -f "$DATA/PG_VERSION" ]]; then
        as_pg "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null 2>&1 || true
    fi
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    url) echo "$URL" ;;
    *) echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
