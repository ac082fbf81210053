#!/bin/sh
# Back up ECF: a pg_dump of each database plus the media files, with a SHA-512 manifest.
# usage: backup.sh [DEST_DIR]      (default: var/backups/<UTC timestamp>)
# env:   PGHOST (127.0.0.1) PGPORT (54329) PGUSER (postgres)
#        ECF_BACKUP_DATABASES ("ecf ecf_training")  ECF_MEDIA_ROOT (var/media/<instance>)
set -eu
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}; PGBIN=${PGBIN:-$VENV/pgsql/bin}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-54329} PGUSER=${PGUSER:-postgres}
DATABASES=${ECF_BACKUP_DATABASES:-ecf ecf_training}
MEDIA=${ECF_MEDIA_ROOT:-$(pwd)/var/media/$("$VENV/bin/python" -c "from ecf.instance import INSTANCE; print(INSTANCE)")}
DEST=${1:-var/backups/$(date -u +%Y%m%dT%H%M%SZ)}
[ -x "$PGBIN/pg_dump" ] || { echo "backup: $PGBIN/pg_dump not found (run: make services)" >&2; exit 1; }
[ ! -e "$DEST" ] || [ -z "$(ls -A "$DEST" 2>/dev/null)" ] || { echo "backup: $DEST is not empty" >&2; exit 1; }
mkdir -p "$DEST"
# pg_dump is a client: it needs no user-namespace trick (only the server refuses root).
for db in $DATABASES; do
  "$PGBIN/pg_dump" -Fc --no-owner -f "$DEST/$db.dump" "$db"
done
if [ -d "$MEDIA" ]; then tar -C "$MEDIA" -czf "$DEST/media.tar.gz" .
else tar -czf "$DEST/media.tar.gz" -T /dev/null; fi
printf '%s\n' "$DATABASES" > "$DEST/DATABASES"
(cd "$DEST" && sha512sum ./*.dump media.tar.gz DATABASES > MANIFEST.sha512)
count=$(wc -l < "$DEST/MANIFEST.sha512")
echo "backup: $DEST ($count files, $(du -sh "$DEST" | cut -f1)); manifest MANIFEST.sha512"
