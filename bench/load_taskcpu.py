"""Loaded only by the load run's Celery workers (`celery worker --include bench.load_taskcpu`):
the CPU time of each task, so the load report splits Celery's CPU into stamping, NEF,
alerts and text (bench/load_users.cpu_spent measures processes, which cannot tell them
apart).

A prefork child runs one task at a time, so the child's process CPU time between
task_prerun and task_postrun is that task's. The pipeline task runs a filing's NEF
(build, copies, e-mail) and its alerts inline after stamping; the services it calls
for them (STEPS) are wrapped here to time them too. Each task appends one JSON line
{"task", "cpu_s", "steps": {step: cpu_s}, "ended"} (ended: wall-clock time.time()) to
TASK_CPU_LOG, which bench/load.py truncates before a run and sums per phase
(bench/load_users.task_cpu).
"""

from __future__ import annotations

import functools
import importlib
import json
import os
import time
from pathlib import Path

from celery.signals import task_postrun, task_prerun, worker_process_init

TASK_CPU_LOG = Path(__file__).resolve().parent / "out" / "load_task_cpu.jsonl"

_started: dict[str, float] = {}
_steps: dict[str, float] = {}

# (module, function, step): what the pipeline task runs inline, timed as its own step.
STEPS = [
    ("dockets.pipeline.services", "send_notice", "nef"),
    ("dockets.alerts.services", "dispatch_now", "alerts"),
]


def _timed(step: str, function):
    @functools.wraps(function)
    def timed(*args, **kwargs):
        began = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            _steps[step] = _steps.get(step, 0.0) + time.process_time() - began

    return timed


@worker_process_init.connect(dispatch_uid="bench-taskcpu-steps")
def _wrap_steps(**kwargs) -> None:
    for module_name, name, step in STEPS:
        module = importlib.import_module(module_name)
        setattr(module, name, _timed(step, getattr(module, name)))


@task_prerun.connect(dispatch_uid="bench-taskcpu-prerun")
def _prerun(task_id=None, **kwargs) -> None:
    _steps.clear()
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
            "steps": {k: round(v, 6) for k, v in _steps.items()},
            "ended": time.time(),
        }
    )
    # One short line per write: appends from several children do not interleave.
    fd = os.open(TASK_CPU_LOG, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, (line + "\n").encode())
    finally:
        os.close(fd)
