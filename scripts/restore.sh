#!/bin/sh
# Restore a backup made by backup.sh: checks the manifest first, then each database and the media.
# usage: restore.sh BACKUP_DIR
# env:   PGHOST PGPORT PGUSER as for backup.sh; ECF_MEDIA_ROOT (var/media/<instance>) where the media go;
#        ECF_RESTORE_SUFFIX: restore database X into X<suffix> (e.g. _restored) instead of X;
#        ECF_RESTORE_FORCE=1: replace a database that already exists (it is dropped first).
set -eu
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}; PGBIN=${PGBIN:-$VENV/pgsql/bin}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-54329} PGUSER=${PGUSER:-postgres}
SRC=${1:?usage: restore.sh BACKUP_DIR}
MEDIA=${ECF_MEDIA_ROOT:-$(pwd)/var/media/$("$VENV/bin/python" -c "from ecf.instance import INSTANCE; print(INSTANCE)")}
SUFFIX=${ECF_RESTORE_SUFFIX:-}
[ -f "$SRC/MANIFEST.sha512" ] || { echo "restore: $SRC has no MANIFEST.sha512" >&2; exit 1; }
if ! (cd "$SRC" && sha512sum --quiet -c MANIFEST.sha512); then
  echo "restore: $SRC does not match its manifest; nothing was restored" >&2; exit 1
fi
psql_() { "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -d postgres "$@"; }
for db in $(cat "$SRC/DATABASES"); do
  target=$db$SUFFIX
  if psql_ -tAc "SELECT 1 FROM pg_database WHERE datname='$target'" | grep -q 1; then
    [ "${ECF_RESTORE_FORCE:-}" = 1 ] || { echo "restore: database $target exists (set ECF_RESTORE_FORCE=1 to replace it)" >&2; exit 1; }
    psql_ -c "DROP DATABASE \"$target\" WITH (FORCE)"
  fi
  psql_ -c "CREATE DATABASE \"$target\""
  "$PGBIN/pg_restore" --no-owner --exit-on-error -d "$target" "$SRC/$db.dump"
  echo "restore: database $target restored"
done
mkdir -p "$MEDIA"
tar -C "$MEDIA" -xzf "$SRC/media.tar.gz"
echo "restore: media restored into $MEDIA; run: manage.py verify_records"
