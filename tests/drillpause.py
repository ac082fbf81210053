"""Test-only: pause a Celery worker in the middle of a pipeline task, so a drill can kill
it right there. Product code has no pause; only the drills' workers load this module
(`celery worker --include tests.drillpause`).

ECF_DRILL_PAUSE (seconds) and ECF_DRILL_PAUSE_AT choose where the worker stops:

- "stamp": right after the stamping has claimed the entry's documents (attempts + 1
  committed) and before it stamps and records the first copy: a worker killed there
  holds a claimed, unrecorded stamp.
- "send": right after a batch of NEF e-mails of `send_notice` (run by the stamping
  task after it stamps, or by send_notice_task) has committed and its messages have
  been queued for delivery: a worker killed there has sent part of a notice.

How: Celery's task_prerun/task_postrun signals say which task this worker is running.
For "stamp", the worker's dockets.pipeline.stamping.stamp_pdf is wrapped: the claim is
one UPDATE (no post_save) committed before any file is stamped, so the pause starts
at the first stamp_pdf call of the task (other processes already see the claim). For "send",
the batch's messages are inserted in one statement (no post_save) and queued after
commit as one delivery task (core.mail.send_copies, fewer than DELIVERY_BATCH
messages): Celery's after_task_publish of that task starts the pause.
"""

from __future__ import annotations

import os
import threading
import time

from celery.signals import after_task_publish, task_postrun, task_prerun

PAUSE = float(os.environ.get("ECF_DRILL_PAUSE") or 0)
AT = os.environ.get("ECF_DRILL_PAUSE_AT", "")

# Where to pause: the tasks that may be running there.
POINTS = {
    "stamp": ("dockets.pipeline.tasks.stamp_entry_task",),
    "send": (
        "dockets.pipeline.tasks.stamp_entry_task",
        "dockets.pipeline.tasks.send_notice_task",
    ),
}

_state = threading.local()


@task_prerun.connect(dispatch_uid="drillpause-prerun")
def _task_started(sender=None, **kwargs) -> None:
    _state.task = getattr(sender, "name", "")
    _state.armed = False
    if AT == "stamp" and PAUSE:
        _wrap_stamp_pdf()


def _wrap_stamp_pdf() -> None:
    """Pause once per stamping task, before its first file is stamped (the claim has
    committed by then: stamping runs outside any transaction)."""
    from dockets.pipeline import stamping

    if getattr(stamping.stamp_pdf, "drill_paused", False):
        return
    stamp_pdf = stamping.stamp_pdf

    def paused(*args, **kwargs):
        if getattr(_state, "task", "") in POINTS["stamp"] and not _state.armed:
            _state.armed = True
            time.sleep(PAUSE)
        return stamp_pdf(*args, **kwargs)

    paused.drill_paused = True  # type: ignore[attr-defined]
    stamping.stamp_pdf = paused


@task_postrun.connect(dispatch_uid="drillpause-postrun")
def _task_ended(sender=None, **kwargs) -> None:
    _state.task = ""


def _published(sender=None, **kwargs) -> None:
    if AT != "send" or getattr(_state, "task", "") not in POINTS["send"]:
        return
    if sender != "core.tasks.deliver_messages_task":
        return
    time.sleep(PAUSE)  # the whole batch is committed and queued


if PAUSE and AT:
    if AT not in POINTS:
        raise ValueError(
            f"ECF_DRILL_PAUSE_AT must be one of {sorted(POINTS)}, not {AT!r}"
        )
    after_task_publish.connect(_published, dispatch_uid="drillpause-published")
