"""Fault drills against a second PostgreSQL + Redis (never the suite's own servers)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Ports of the drill's servers (scripts/drill_services.sh reads the same variables).
PG = os.environ.get("DRILL_PGPORT", "54339")
REDIS = os.environ.get("DRILL_REDIS_PORT", "63809")
DRILL_ENV = {
    "DJANGO_SETTINGS_MODULE": "ecf.settings.test",
    "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PG}/ecf_drill",
    "TRAINING_DATABASE_URL": f"postgres://postgres@127.0.0.1:{PG}/ecf_drill_training",
    "CELERY_BROKER_URL": f"redis://127.0.0.1:{REDIS}/0",
    "ECF_CACHE_URL": f"redis://127.0.0.1:{REDIS}/1",
}


def test_redis_and_postgres_restarts_lose_nothing(tmp_path):
    subprocess.run(
        ["sh", "scripts/drill_services.sh", "start"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=120,
    )
    try:
        # The script runs by path: PYTHONPATH makes it import this checkout's code.
        env = {
            **os.environ,
            **DRILL_ENV,
            "ECF_TEST_TMP": str(tmp_path),
            "PYTHONPATH": str(ROOT),
        }
        result = subprocess.run(
            [sys.executable, "tests/security/drill.py"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        subprocess.run(
            ["sh", "scripts/drill_services.sh", "stop"],
            cwd=ROOT,
            capture_output=True,
            timeout=120,
        )
    print("\n" + (result.stdout.strip().splitlines() or ["(no output)"])[-1])
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "0 records lost" in result.stdout and "2 survived" in result.stdout
