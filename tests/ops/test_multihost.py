"""The multi-host drill (tests/ops/multihost.py): two web processes and two workers in
separate working directories sharing only PostgreSQL, Redis and S3 (moto's server)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.worker


def test_a_court_on_two_hosts_files_reads_and_survives_a_killed_worker():
    # The drill stops itself after 110 s (and then cleans up); this is the last resort.
    result = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "ops" / "multihost.py")],
        cwd=ROOT,
        env={**os.environ, "ECF_DRILL_BUDGET": "110"},
        capture_output=True,
        text=True,
        timeout=180,
    )
    summary = [
        line for line in result.stdout.splitlines() if "multihost drill:" in line
    ]
    print("\n" + (summary[-1] if summary else "(no summary)"))
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    assert "0 problems, 0 unstamped, 0 unsent" in summary[-1]
    assert "verify_records:" in summary[-1] and "; 0 problems." in summary[-1]
