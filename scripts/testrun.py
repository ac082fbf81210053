"""The whole test suite in two pytest processes side by side (`make test`).

The suite spends much of its time waiting: on Chromium, on Celery worker processes, on
PostgreSQL. Two processes on a 2-core machine finish it in about two thirds of the time.
They are as far apart as two developers sharing the services: each has its own test
databases (ECF_TEST_DB_SUFFIX), its own cache key prefix and its own Celery queues
(ecf/settings/test.py, tests/conftest.py), and its own coverage data file.

- lane "journeys": the browser journeys and the tests that start servers, workers and fault
  drills on ports of their own (tests/browser, tests/ops, tests/security, tests/training);
  only this lane runs drills, so two drills never share a port;
- lane "units": everything else.

Its output streams live; the other lane's output is kept in var/log/ and printed when
both have finished. Coverage (--cov) is measured in both and combined into one report.
Arguments after the script name go to both pytest processes; `make test PYTEST_ARGS=...`
with paths runs a single pytest instead (scripts/testrun.py is for the whole suite).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JOURNEYS = ["tests/browser", "tests/ops", "tests/security", "tests/training"]


def _pytest(
    lane: str, paths: list[str], extra: list[str], coverage: bool, log: Path | None
) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env["ECF_TEST_DB_SUFFIX"] = f"{os.environ.get('ECF_TEST_DB_SUFFIX', '')}_{lane}"
    command = [sys.executable, "-m", "pytest", *extra]
    if coverage:
        env["COVERAGE_FILE"] = str(ROOT / f".coverage.{lane}")
        command += ["--cov", "--cov-report="]
    command += paths
    output = log.open("wb") if log else None
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT if log else None,
    )


def main(argv: list[str]) -> int:
    coverage = "--no-cov" not in argv
    extra = [arg for arg in argv if arg != "--no-cov"]
    units = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "tests").iterdir())
        if str(path.relative_to(ROOT)) not in JOURNEYS
        and (path.is_dir() or path.name.startswith("test_"))
        and path.name != "__pycache__"
    ]
    log_dir = ROOT / "var" / "log"
    log_dir.mkdir(parents=True, exist_ok=True)
    log = log_dir / "pytest-units.log"
    started = time.monotonic()
    print(
        f"Two lanes: journeys ({' '.join(JOURNEYS)}) here; units in {log}", flush=True
    )
    unit_run = _pytest("units", units, extra, coverage, log)
    journey_run = _pytest("journeys", JOURNEYS, extra, coverage, None)
    journeys_rc = journey_run.wait()
    units_rc = unit_run.wait()
    print(f"\n===== units lane (var/log/{log.name}) =====", flush=True)
    sys.stdout.write(log.read_text(errors="replace"))
    if coverage:
        combined = [str(ROOT / f".coverage.{lane}") for lane in ("units", "journeys")]
        subprocess.run(
            [sys.executable, "-m", "coverage", "combine", "--quiet", *combined],
            cwd=ROOT,
            check=False,
        )
        print("\n===== coverage of the product code (both lanes) =====", flush=True)
        subprocess.run(
            [sys.executable, "-m", "coverage", "report", "--skip-covered"],
            cwd=ROOT,
            check=False,
        )
    minutes, seconds = divmod(int(time.monotonic() - started), 60)
    verdict = "passed" if journeys_rc == units_rc == 0 else "FAILED"
    print(
        f"\nmake test {verdict} in {minutes} min {seconds} s "
        f"(journeys lane exit {journeys_rc}, units lane exit {units_rc})",
        flush=True,
    )
    return 0 if journeys_rc == units_rc == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
