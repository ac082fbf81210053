"""Test-only: pause a Celery worker in the middle of a pipeline task, so a drill can kill
it right there. Product code has no pause; only the drills' workers load this module
(`celery worker --include tests.drillpause`).

ECF_DRILL_PAUSE (seconds) and ECF_DRILL_PAUSE_AT choose where the worker stops:

- "stamp": right after `stamp_document` has claimed a document (attempts + 1 committed)
  and before it stamps and records the copy: a worker killed there holds a claimed,
  unrecorded stamp.
- "send": right after a batch of NEF e-mails of `send_notice` (run by the stamping
  task after it stamps, or by send_notice_task) has committed and its messages have
  been queued for delivery: a worker killed there has sent part of a notice.

How: Celery's task_prerun/task_postrun signals say which task this worker is running.
For "stamp", Django's post_save of the claim registers an on-commit callback, so the
pause starts the moment the claim commits (other processes already see it). For "send",
the batch's messages are inserted in one statement (no post_save) and queued after
commit as one delivery task (core.mail.send_copies, fewer than DELIVERY_BATCH
messages): Celery's after_task_publish of that task starts the pause.
"""

from __future__ import annotations

import os
import threading
import time

from celery.signals import after_task_publish, task_postrun, task_prerun
from django.db import transaction
from django.db.models.signals import post_save

PAUSE = float(os.environ.get("ECF_DRILL_PAUSE") or 0)
AT = os.environ.get("ECF_DRILL_PAUSE_AT", "")

# Where to pause: the tasks that may be running, and the row its service saves there.
POINTS = {
    "stamp": (("dockets.pipeline.tasks.stamp_entry_task",), "dockets.Document"),
    "send": (
        (
            "dockets.pipeline.tasks.stamp_entry_task",
            "dockets.pipeline.tasks.send_notice_task",
        ),
        None,
    ),
}

_state = threading.local()


@task_prerun.connect(dispatch_uid="drillpause-prerun")
def _task_started(sender=None, **kwargs) -> None:
    _state.task = getattr(sender, "name", "")
    _state.armed = False


@task_postrun.connect(dispatch_uid="drillpause-postrun")
def _task_ended(sender=None, **kwargs) -> None:
    _state.task = ""


def _pause_after_commit() -> None:
    _state.armed = False
    time.sleep(PAUSE)


def _saved(sender, instance, created, update_fields=None, **kwargs) -> None:
    tasks, _model = POINTS[AT]
    if getattr(_state, "task", "") not in tasks or getattr(_state, "armed", False):
        return
    if AT == "stamp" and set(update_fields or ()) != {"attempts", "updated_at"}:
        return  # only the claim, not the recorded stamp
    _state.armed = True  # once per transaction, however many rows it saves
    transaction.on_commit(_pause_after_commit)


def _published(sender=None, **kwargs) -> None:
    if AT != "send" or getattr(_state, "task", "") not in POINTS["send"][0]:
        return
    if sender != "core.tasks.deliver_messages_task":
        return
    time.sleep(PAUSE)  # the whole batch is committed and queued


if PAUSE and AT:
    if AT not in POINTS:
        raise ValueError(
            f"ECF_DRILL_PAUSE_AT must be one of {sorted(POINTS)}, not {AT!r}"
        )
    if POINTS[AT][1] is not None:
        post_save.connect(_saved, sender=POINTS[AT][1], dispatch_uid="drillpause-saved")
    after_task_publish.connect(_published, dispatch_uid="drillpause-published")
