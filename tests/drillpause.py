"""Test-only: pause a Celery worker in the middle of a pipeline task, so a drill can kill
it right there. Product code has no pause; only the drills' workers load this module
(`celery worker --include tests.drillpause`).

ECF_DRILL_PAUSE (seconds) and ECF_DRILL_PAUSE_AT choose where the worker stops:

- "stamp": right after `stamp_document` has claimed a document (attempts + 1 committed)
  and before it stamps and records the copy: a worker killed there holds a claimed,
  unrecorded stamp.
- "send": right after a batch of NEF e-mails of `send_notice` has committed and each
  of its messages has been queued for delivery: a worker killed there has sent part of
  a notice.

How: Celery's task_prerun/task_postrun signals say which task this worker is running.
For "stamp", Django's post_save of the claim registers an on-commit callback, so the
pause starts the moment the claim commits (other processes already see it). For "send",
post_save counts the batch's new inbox messages and Celery's after_task_publish counts
their delivery tasks; the pause starts once the last of them is published.
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

# Where to pause: the task that must be running, and the row its service saves there.
POINTS = {
    "stamp": ("dockets.pipeline.tasks.stamp_entry_task", "dockets.Document"),
    "send": ("dockets.pipeline.tasks.send_notice_task", "core.InboxMessage"),
}

_state = threading.local()


@task_prerun.connect(dispatch_uid="drillpause-prerun")
def _task_started(sender=None, **kwargs) -> None:
    _state.task = getattr(sender, "name", "")
    _state.armed = False
    _state.created = _state.published = 0


@task_postrun.connect(dispatch_uid="drillpause-postrun")
def _task_ended(sender=None, **kwargs) -> None:
    _state.task = ""


def _pause_after_commit() -> None:
    _state.armed = False
    time.sleep(PAUSE)


def _saved(sender, instance, created, update_fields=None, **kwargs) -> None:
    task, _model = POINTS[AT]
    if getattr(_state, "task", "") != task or getattr(_state, "armed", False):
        return
    if AT == "stamp" and set(update_fields or ()) != {"attempts", "updated_at"}:
        return  # only the claim, not the recorded stamp
    if AT == "send":
        if created and instance.kind == "nef":
            _state.created += 1
        return
    _state.armed = True  # once per transaction, however many rows it saves
    transaction.on_commit(_pause_after_commit)


def _published(sender=None, **kwargs) -> None:
    if getattr(_state, "task", "") != POINTS["send"][0]:
        return
    if sender != "core.tasks.deliver_message_task":
        return
    _state.published += 1
    if _state.published == _state.created:  # the whole batch is committed and queued
        _state.created = _state.published = 0
        time.sleep(PAUSE)


if PAUSE and AT:
    if AT not in POINTS:
        raise ValueError(
            f"ECF_DRILL_PAUSE_AT must be one of {sorted(POINTS)}, not {AT!r}"
        )
    post_save.connect(_saved, sender=POINTS[AT][1], dispatch_uid="drillpause-saved")
    after_task_publish.connect(_published, dispatch_uid="drillpause-published")
