"""Helpers shared by tests: the demo users' authenticator codes and polling.

They live here, not in conftest.py: several test folders have a conftest.py of
their own, so `from conftest import ...` would find whichever was imported last.
"""

import contextlib
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Allauth accepts only the current 30-second code (no tolerance). A code read in the
# last seconds of its period can expire before a slow browser submits it, so the
# helpers wait for a fresh period when fewer than this many seconds are left.
TOTP_MARGIN_SECONDS = 6


# The time step whose code was last handed out, per user, in this test process.
# Allauth refuses a code used once (a replay), and the cache that remembers it outlives
# each test, so a user's second login in one 30-second period waits for the next one.
_HANDED_OUT: dict[int, int] = {}


def _period() -> tuple[int, float]:
    """The current TOTP time step and the seconds left in it."""
    from allauth.mfa import app_settings

    step = app_settings.TOTP_PERIOD
    now = time.time()
    return int(now // step), step - now % step


def _wait_for_a_fresh_period(*, after: int | None = None) -> None:
    """Sleep until at least TOTP_MARGIN_SECONDS are left in the period, and (with
    `after`) until the period is a later one than `after`."""
    while True:
        counter, left = _period()
        if left >= TOTP_MARGIN_SECONDS and (after is None or counter > after):
            return
        time.sleep(left + 0.05)


def _code(secret: str) -> str:
    from allauth.mfa.totp.internal.auth import (
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def totp_code_for_secret(secret: str) -> str:
    """The current code an authenticator app shows for `secret` (the base32 text the
    two-factor setup page prints), for enrolling through the real page."""
    _wait_for_a_fresh_period()
    return _code(secret)


def totp_code(user) -> str:
    """The current authenticator code of a demo user, as their app shows it.

    Each code is handed out once per period: if this user's current code was already
    handed out in this test process (and so may have been used), this waits for the
    next period, as a person would. Nothing forgets a used code, so replays stay refused.
    """
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import decrypt

    auth = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    secret = decrypt(auth.data["secret"])
    _wait_for_a_fresh_period(after=_HANDED_OUT.get(user.pk))
    _HANDED_OUT[user.pk] = _period()[0]
    return _code(secret)


def wait_for(predicate, timeout=30.0, interval=0.1):
    """Poll until predicate() is truthy; return its value or fail after timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout}s waiting for {predicate}")


def require_command(name: str) -> str:
    """The path of the system command `name` (qpdf, tesseract), or a failure that says
    how to install it: a test that needs a tool never passes, or skips, without it."""
    import shutil

    path = shutil.which(name)
    if path is None:
        pytest.fail(
            f"{name} is missing: `make test` installs it (make test-deps; as root it "
            f"runs apt-get install {name})",
            pytrace=False,
        )
    return path


def search(pattern: str, text: str, flags: int = 0) -> re.Match[str]:
    """re.search that fails the test, naming the pattern, when nothing matches."""
    match = re.search(pattern, text, flags)
    assert match is not None, f"no match for {pattern!r}"
    return match


def start_celery_worker(
    queues: str, env: Mapping[str, str], log_path: Path, *options: str
) -> tuple[subprocess.Popen[bytes], IO[str]]:
    """A real Celery worker process (solo pool, no gossip or mingle) consuming `queues`
    (comma-separated), its output written to `log_path`; `options` go to `celery
    worker`. Stop it with stop_process()."""
    log = open(log_path, "w")  # noqa: SIM115 (stop_process closes it)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "ecf",
            "worker",
            "-Q",
            queues,
            "-P",
            "solo",
            "-l",
            "info",
            "--without-gossip",
            "--without-mingle",
            *options,
        ],
        cwd=ROOT,
        env=dict(env),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    return proc, log


def stop_process(
    proc: subprocess.Popen[bytes], log: IO[str], timeout: float = 10
) -> None:
    """Terminate `proc` (kill it if it has not gone after `timeout` s); close its log."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
    if not log.closed:
        log.close()


@contextlib.contextmanager
def celery_eager() -> Iterator[None]:
    """Celery tasks run in this process as they are sent, their errors propagating (no
    worker needed); the app's settings are restored afterwards."""
    from ecf.celery import app

    old = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    try:
        yield
    finally:
        app.conf.task_always_eager, app.conf.task_eager_propagates = old


def production_env() -> dict[str, str]:
    """The environment of a production start (ecf.settings.base and every variable it
    requires), for a `manage.py` or `python -c` child process."""
    return {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "ecf.settings.base",
        "DJANGO_SECRET_KEY": "x" * 20
        + "production-like-secret-key-with-enough-entropy-0987654321",
        "DJANGO_ALLOWED_HOSTS": "ecf.example-court.gov",
        "DATABASE_URL": "postgres://ecf@127.0.0.1:54329/ecf",
        "TRAINING_DATABASE_URL": "postgres://ecf@127.0.0.1:54329/ecf_training",
        "CELERY_BROKER_URL": "redis://127.0.0.1:63799/0",
        "ECF_CACHE_URL": "redis://127.0.0.1:63799/1",
        # Mandatory in production (core.crypto): a Fernet key, newest first.
        "ECF_FIELD_ENCRYPTION_KEY": "Lx3s6n0hUOkD0Q6ZcWgOZCWT1l2kq1nLmS0ZbS0nW2E=",
    }


def model_fields(obj) -> dict:
    """Every stored field of a model object (attname -> value), to compare two reads."""
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def assert_same_object(fast, slow, related=(), annotations=()) -> None:
    """Two reads of one row (a compiled query's and the ORM's) give the same object:
    its fields, the object at each dotted path in `related` (or None on both sides)
    and each annotation."""

    def follow(obj, path: str):
        for name in path.split("."):
            if obj is None:
                return None
            obj = getattr(obj, name)
        return obj

    assert type(fast) is type(slow)
    assert model_fields(fast) == model_fields(slow)
    for path in related:
        a, b = follow(fast, path), follow(slow, path)
        assert (a is None) == (b is None), path
        if a is not None:
            assert type(a) is type(b), path
            assert model_fields(a) == model_fields(b), path
    for name in annotations:
        assert getattr(fast, name) == getattr(slow, name), name


# Tables whose rows one case can hold by the million (a mega case's matrix creditors,
# docket entries, claims): a prepared statement's generic plan assumes one case holds
# most of them.
_SKEWED = r'"(cases_party|dockets_docketentry|dockets_claim|dockets_document)"'


def prepared_statements_now() -> list[str]:
    """The statements prepared on the test's database connection."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def generic_plan_hazards(statements: list[str]) -> list[str]:
    """Prepared statements that take the first rows of one case's skewed table in some
    order (`WHERE "case_id" = $1 ... ORDER BY ... LIMIT`) with nothing more selective.

    PostgreSQL's generic plan for them (chosen after five executions when it looks
    cheaper) walks the order's index and filters: with a mega case holding most rows
    it estimates the first match at once, and for any other case it reads the whole
    table (0.8 s per claim on the full-size data set). A statement that also matches
    a selective column (a key, a matrix key, a user) is planned by that column's
    index and safe; the case and low-cardinality columns (role, status, kind...)
    are not.
    """
    broad = {"case_id", "role", "status", "kind", "visibility", "category"}
    hazards = []
    for sql in statements:
        if not (
            re.search(rf"FROM {_SKEWED}", sql)
            and re.search(r'\."case_id" = \$\d+', sql)
            and re.search(r"ORDER BY .* LIMIT", sql)
        ):
            continue
        matched = set(re.findall(r'\."(\w+)" (?:= \$\d+|IN \(\$)', sql))
        if matched <= broad:
            hazards.append(sql)
    return hazards
