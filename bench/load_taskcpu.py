"""Loaded only by the load run's Celery worker (`celery worker --include bench.load_taskcpu`):
the CPU time of each pipeline task, so the load report splits Celery's CPU into stamping
and NEF (bench/load_users.cpu_by_role measures processes, which cannot tell them apart).

A prefork child runs one task at a time, so the child's process CPU time between
task_prerun and task_postrun is that task's. Each task appends one JSON line
{"task", "cpu_s", "ended"} (ended: wall-clock time.time()) to TASK_CPU_LOG, which
bench/load.py truncates before a run and sums per phase.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from celery.signals import task_postrun, task_prerun

TASK_CPU_LOG = Path(__file__).resolve().parent / "out" / "load_task_cpu.jsonl"

_started: dict[str, float] = {}


@task_prerun.connect(dispatch_uid="bench-taskcpu-prerun")
def _prerun(task_id=None, **kwargs) -> None:
    _started[task_id] = time.process_time()


@task_postrun.connect(dispatch_uid="bench-taskcpu-postrun")
def _postrun(task_id=None, task=None, **kwargs) -> None:
    began = _started.pop(task_id, None)
    if began is None:
        return
    line = json.dumps(
        {
            "task": getattr(task, "name", ""),
            "cpu_s": round(time.process_time() - began, 6),
            "ended": time.time(),
        }
    )
    # One short line per write: appends from several children do not interleave.
    fd = os.open(TASK_CPU_LOG, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, (line + "\n").encode())
    finally:
        os.close(fd)
