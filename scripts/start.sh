#!/usr/bin/env bash
# Start the web servers, one Celery worker per instance and one beat (which schedules
# both instances' periodic work: ecf/settings/components/celery.py), each in the
# background with its PID under var/run. Running it again starts only what is down.
# gunicorn reads gunicorn.conf.py, the same file the image and the drill test use.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
RUN=var/run; LOG=var/log
mkdir -p "$RUN" "$LOG"
TRAINING=(ECF_INSTANCE=training DJANGO_SECRET_KEY=dev-only-training-secret-key-0123456789abcdef ECF_CACHE_URL=redis://127.0.0.1:63799/3)

alive() { [ -f "$RUN/$1.pid" ] && kill -0 "$(cat "$RUN/$1.pid")" 2>/dev/null; }
start() {  # name, then the command (env assignments allowed first)
  local name=$1; shift
  if alive "$name"; then echo "  $name already running (pid $(cat "$RUN/$name.pid"))"; return; fi
  env "$@" >>"$LOG/$name.log" 2>&1 &
  echo $! >"$RUN/$name.pid"
  echo "  started $name (pid $!)"
}
# Priorities (README, "Celery workers"): the web runs a little below the pipeline's
# worker, the text reader well below it, so a busy machine delays filers, not notices.
start web-live ECF_WEB_BIND=127.0.0.1:8000 ECF_METRICS_PORT=9100 ECF_WEB_WORKERS=2 \
  nice -n 4 "$VENV/bin/gunicorn" -c gunicorn.conf.py
start web-training "${TRAINING[@]}" ECF_WEB_BIND=127.0.0.1:8001 ECF_METRICS_PORT=9101 ECF_WEB_WORKERS=1 \
  "$VENV/bin/gunicorn" -c gunicorn.conf.py
start worker-live "$VENV/bin/celery" -A ecf worker -Q ecf-live -n live@%h -c 2 -l info
start worker-live-text nice -n 10 "$VENV/bin/celery" -A ecf worker -Q ecf-live-text -n live-text@%h -c 1 -l info
start worker-training "${TRAINING[@]}" "$VENV/bin/celery" -A ecf worker -Q ecf-training,ecf-training-text -n training@%h -c 1 -l info
start beat "$VENV/bin/celery" -A ecf beat -l info -s var/run/celerybeat-schedule
# Wait until both web servers answer.
for port in 8000 8001; do
  for _ in $(seq 1 100); do
    if "$VENV/bin/python" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/healthz', timeout=2)" 2>/dev/null; then break; fi
    sleep 0.2
  done
done
