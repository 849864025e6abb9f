#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL 15 + PostGIS cluster on 127.0.0.1, then removes it.
# The command sees WATCHFLOOR_TEST_DATABASE_URL (postgresql+psycopg://...).
set -euo pipefail
PGBIN=/usr/lib/postgresql/15/bin
[ -x "$PGBIN/initdb" ] || { echo "PostgreSQL 15 is missing: apt-get install postgresql-15 postgresql-15-postgis-3" >&2; exit 1; }

dir=$(mktemp -d /tmp/watchfloor-pg.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  # initdb and postgres refuse to run as root: the cluster belongs to the postgres system user.
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres "$dir"
  as_owner=(runuser -u postgres --)
fi

cleanup() {
  "${as_owner[@]}" "$PGBIN/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT INT TERM

"${as_owner[@]}" "$PGBIN/initdb" -D "$dir/data" -U watchfloor --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 1; }
"${as_owner[@]}" "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=on -c max_connections=200" start >/dev/null \
  || { cat "$dir/server.log" >&2; exit 1; }
"$PGBIN/psql" -q -h 127.0.0.1 -p "$port" -U watchfloor -d postgres \
  -c "CREATE DATABASE watchfloor" >/dev/null

export WATCHFLOOR_TEST_DATABASE_URL="postgresql+psycopg://watchfloor@127.0.0.1:$port/watchfloor"
echo "PostgreSQL 15 throwaway cluster on 127.0.0.1:$port ($dir)"
set +e
"$@"
rc=$?
set -e
exit $rc
