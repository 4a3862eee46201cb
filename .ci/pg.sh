#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on loopback for the tests (installing it from the
# distribution's packages when missing). Prints the URL to use as GRIDBOT_TEST_PG.
set -euo pipefail
PORT=${PGPORT_TEST:-55432}
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  (apt-get update -qq && apt-get install -y -qq postgresql >/dev/null) >&2
fi
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
DIR=${PGDATA_TEST:-/tmp/gridbot-pg}
if [ -f "$DIR/data/postmaster.pid" ] && runuser -u postgres -- "$BIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
  echo "postgres://postgres@127.0.0.1:$PORT/postgres"
  exit 0
fi
rm -rf "$DIR"
mkdir -p "$DIR"
chown postgres "$DIR"
runuser -u postgres -- "$BIN/initdb" -D "$DIR/data" -A trust -U postgres >/dev/null
runuser -u postgres -- "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w \
  -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off" start >&2
echo "postgres://postgres@127.0.0.1:$PORT/postgres"
