"""`manage.py release` on a fresh server: creates training, migrates both, syncs the catalogue."""

import os
import subprocess
import sys

import psycopg
import pytest
from django.conf import settings

from cases.models import Court
from core.models import AuditEvent
from dockets.catalogue import sync_catalogue
from dockets.catalogue_data import EVENTS
from dockets.models import Event

ROOT = settings.BASE_DIR


def _server_url(name: str) -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{name}"


def _drop(*names: str) -> None:
    db = settings.DATABASES["default"]
    with psycopg.connect(
        dbname="postgres",
        user=db["USER"],
        host=db["HOST"],
        port=db["PORT"],
        autocommit=True,
    ) as conn:
        for name in names:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _release(live: str, training: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ecf.settings.base",
        "DJANGO_SECRET_KEY": "release-test-secret-key-0123456789abcdef0123",
        "DJANGO_ALLOWED_HOSTS": "localhost",
        "DATABASE_URL": _server_url(live),
        "TRAINING_DATABASE_URL": _server_url(training),
        "CELERY_BROKER_URL": "redis://127.0.0.1:63799/0",
        "ECF_CACHE_URL": "redis://127.0.0.1:63799/2",
        "ECF_INSTANCE": "live",
    }
    return subprocess.run(
        [sys.executable, "manage.py", "release"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _count(name: str, query: str) -> int:
    db = settings.DATABASES["default"]
    with psycopg.connect(
        dbname=name, user=db["USER"], host=db["HOST"], port=db["PORT"]
    ) as conn:
        row = conn.execute(query).fetchone()
        assert row is not None
        return row[0]


def test_release_twice_on_a_fresh_server_is_idempotent():
    """First run creates training, migrates both, loads events; the second changes nothing."""
    tag = f"{os.environ.get('ECF_TEST_DB_SUFFIX', '')}_{os.getpid()}".lower()
    live, training = f"ecf_release{tag}", f"ecf_release{tag}_training"
    _drop(live, training)
    db = settings.DATABASES["default"]
    with psycopg.connect(
        dbname="postgres",
        user=db["USER"],
        host=db["HOST"],
        port=db["PORT"],
        autocommit=True,
    ) as conn:
        conn.execute(f'CREATE DATABASE "{live}"')  # the operator creates only live
    try:
        first = _release(live, training)
        assert first.returncode == 0, first.stdout + first.stderr
        assert f"created database {training}" in first.stdout
        events = len(EVENTS)
        assert f"catalogue {events} new, 0 changed" in first.stdout
        counts = {
            name: (
                _count(name, "SELECT count(*) FROM dockets_event"),
                _count(name, "SELECT count(*) FROM core_auditevent"),
                _count(name, "SELECT count(*) FROM cases_court"),
                _count(name, "SELECT count(*) FROM django_migrations"),
            )
            for name in (live, training)
        }
        for name in (live, training):
            assert counts[name][0] == events and counts[name][2] == 1
            assert counts[name][1] == 2  # court created, catalogue loaded

        second = _release(live, training)
        assert second.returncode == 0, second.stdout + second.stderr
        assert "created database" not in second.stdout
        assert second.stdout.count("court present; catalogue 0 new, 0 changed") == 2
        for name in (live, training):
            again = (
                _count(name, "SELECT count(*) FROM dockets_event"),
                _count(name, "SELECT count(*) FROM core_auditevent"),
                _count(name, "SELECT count(*) FROM cases_court"),
                _count(name, "SELECT count(*) FROM django_migrations"),
            )
            assert again == counts[name]
    finally:
        _drop(live, training)


@pytest.mark.django_db
def test_a_fee_change_shipped_in_the_code_is_synced_and_recorded():
    """The catalogue in the code wins; the old and new fee are in the audit log."""
    sync_catalogue()
    event = Event.objects.filter(fee_cents__gt=0).first()
    assert event is not None
    Event.objects.filter(pk=event.pk).update(fee_cents=event.fee_cents + 100)
    before = AuditEvent.objects.filter(action="catalogue.sync").count()

    changes = sync_catalogue(audit=True)

    assert list(changes["changed"]) == [event.code]
    assert Event.objects.get(pk=event.pk).fee_cents == event.fee_cents
    record = AuditEvent.objects.filter(action="catalogue.sync").latest("id")
    assert record.after["fee_changes"] == {
        event.code: [event.fee_cents + 100, event.fee_cents]
    }
    assert AuditEvent.objects.filter(action="catalogue.sync").count() == before + 1
    assert sync_catalogue(audit=True) == {"created": [], "changed": {}}
    assert AuditEvent.objects.filter(action="catalogue.sync").count() == before + 1
    assert Court.objects.exists()


@pytest.mark.django_db
def test_createclerk_makes_a_clerk_who_must_enrol_two_factor_on_first_login(
    client, monkeypatch
):
    import io

    from django.core.management import call_command
    from django.core.management.base import CommandError
    from django.urls import reverse

    from filers.models import User

    password = "first-clerk-password-42"
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    out = io.StringIO()
    call_command(
        "createclerk",
        "--email",
        "First.Clerk@court.example",
        "--name",
        "First Clerk",
        "--password-stdin",
        stdout=out,
    )
    user = User.objects.get(email="first.clerk@court.example")
    assert user.is_staff and user.filer.role == "clerk"
    assert user.filer.status == "certified"
    # A certified clerk has no clerk powers until two-factor is set up (filers.permissions).
    assert not user.is_court_user
    assert AuditEvent.objects.filter(action="filer.create_clerk").exists()

    response = client.post(
        reverse("account_login"), {"login": user.email, "password": password}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")

    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    with pytest.raises(CommandError, match="too short"):
        call_command(
            "createclerk",
            "--email",
            "b@court.example",
            "--name",
            "B",
            "--password-stdin",
        )
    with pytest.raises(CommandError, match="already exists"):
        call_command(
            "createclerk", "--email", user.email, "--name", "X", "--password-stdin"
        )
    assert not User.objects.filter(email="b@court.example").exists()
