"""Shared fixtures: the demo court, users of every role, a case, and a real worker."""

import os
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from testkit import celery_eager, start_celery_worker, stop_process


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters and used TOTP codes live in the cache: start each test clean.

    Only this test process's keys are removed (its KEY_PREFIX), never the whole Redis
    database, so parallel test runs don't reset each other's counters.
    """
    from django.conf import settings
    from django.core.cache import cache

    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    # RedisCache._cache is Django's RedisCacheClient; the stubs leave the attribute out.
    client = cache._cache.get_client(write=True)  # type: ignore[attr-defined]
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Seed the demo court, users and events once per test database.

    Tests that roll back keep the seed; a transactional test's flush removes it, and
    the next `demo` fixture seeds it again.
    """
    from factories import seed_court_and_users

    with django_db_blocker.unblock():
        seed_court_and_users()


@pytest.fixture
def demo(db):
    """The demo court and users (no cases), as seed_demo makes them."""
    from factories import seed_court_and_users

    return seed_court_and_users()


@pytest.fixture
def court(demo):
    return demo.court


@pytest.fixture
def users(demo):
    return demo.users


@pytest.fixture
def eager_tasks():
    """Celery tasks run in this process as they are sent (testkit.celery_eager)."""
    with celery_eager():
        yield


@pytest.fixture
def celery_worker_process(transactional_db):
    """A real Celery worker process on a queue of its own, against the test database.

    The test must use `transactional_db` (committed rows) so the worker sees them.
    Yields the process; the worker also consumes "<queue>-text" (document text and
    OCR, dockets.fulltext) and is stopped after the test.
    """
    from ecf.celery import app

    queue = f"test-{uuid.uuid4().hex[:10]}"
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ecf.settings.test",
        "DATABASE_URL": url,
        "ECF_CELERY_QUEUE": queue,
        "ECF_TEST_TMP": os.environ["ECF_TEST_TMP"],
        "ECF_TEST_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
    }
    proc, log = start_celery_worker(
        f"{queue},{queue}-text",  # and its text queue (dockets.fulltext)
        env,
        Path(os.environ["ECF_TEST_TMP"]) / f"worker-{queue}.log",
        "--without-heartbeat",
    )
    old_queue = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    try:
        yield proc
    finally:
        app.conf.task_default_queue = old_queue
        stop_process(proc, log)


# Shared helpers live in tests/testkit.py (importable by name, unlike conftest).
from testkit import totp_code, wait_for  # noqa: E402, F401


@pytest.fixture
def numbering_only(monkeypatch):
    """File without starting the pipeline (no NEF row, no stamping queued): for the
    benchmarks that measure the numbering transaction alone. dockets.apps registers
    the pipeline for every other test, as in production."""
    from dockets import services

    monkeypatch.setattr(services, "_filing_hooks", [lambda entry: None])
