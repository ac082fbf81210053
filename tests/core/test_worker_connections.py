"""A Celery worker keeps its database connection from task to task, as the web does.

Celery's Django fix-up closes every connection before and after each task unless
CELERY_DB_REUSE_MAX is set; ecf.celery then closes one only when it is broken or older
than CONN_MAX_AGE. A task here runs the way a worker runs it: the fix-up's hooks and
the task_prerun/task_postrun signals around it.
"""

import psycopg
import pytest
from celery.fixups.django import DjangoWorkerFixup  # type: ignore[attr-defined]  # not in the stubs
from celery.signals import task_postrun, task_prerun
from django.db import connection

from core.tasks import requeue_pending_messages_task
from ecf.celery import app

pytestmark = pytest.mark.django_db(transaction=True)


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _run_as_a_worker(fixup: DjangoWorkerFixup) -> int:
    """One task's life in a worker process; returns the database backend it used."""
    task = requeue_pending_messages_task
    fixup.on_task_prerun(sender=task)
    task_prerun.send(sender=task, task_id="t", task=task, args=(), kwargs={})
    task()
    pid = _backend_pid()
    fixup.on_task_postrun(sender=task)
    task_postrun.send(sender=task, task_id="t", task=task, args=(), kwargs={})
    return pid


@pytest.fixture
def fixup():
    connection.close()
    yield DjangoWorkerFixup(app)
    connection.close()


def test_tasks_reuse_the_connection_within_conn_max_age(fixup, monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)
    pids = {_run_as_a_worker(fixup) for _ in range(5)}
    assert len(pids) == 1, "each task opened a new PostgreSQL connection"


def test_a_connection_past_conn_max_age_is_replaced(fixup, monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 0)
    assert _run_as_a_worker(fixup) != _run_as_a_worker(fixup)


def test_a_task_after_the_database_dropped_the_connection_gets_a_new_one(
    fixup, monkeypatch
):
    """The kept connection is checked before use: a backend killed between two tasks
    (a database restart, a failover) costs the next task nothing."""
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)
    first = _run_as_a_worker(fixup)
    params = connection.get_connection_params()
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [first])
    second = _run_as_a_worker(fixup)
    assert second != first
