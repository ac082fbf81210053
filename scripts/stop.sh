#!/usr/bin/env bash
# Stop, by PID, everything scripts/start.sh started.
cd "$(dirname "$0")/.."
RUN=var/run
for f in "$RUN"/*.pid; do
  [ -e "$f" ] || continue
  pid=$(cat "$f"); name=$(basename "$f" .pid)
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
    echo "stopped $name"
  fi
  rm -f "$f"
done
