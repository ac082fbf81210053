#!/bin/sh
# A second, throwaway PostgreSQL + Redis for fault drills, under var/drill on ports 54339/63809,
# so stopping and restarting them never disturbs the servers the rest of the suite uses.
# usage: drill_services.sh start|stop|status|running|psql   (same as services.sh)
set -eu
cd "$(dirname "$0")/.."
VAR_DIR=$(pwd)/var/drill PGPORT=${DRILL_PGPORT:-54339} REDIS_PORT=${DRILL_REDIS_PORT:-63809} \
  ECF_DATABASES="ecf_drill ecf_drill_training" exec sh scripts/services.sh "$@"
