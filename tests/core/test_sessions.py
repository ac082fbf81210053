"""Sessions are Django's database sessions, read with a query compiled once per
process (core.sessions, issue 21): signed in stays signed in, an expired or unknown
session is no session, and no request compiles the read again."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db.models.sql.compiler import SQLCompiler
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def _status(client):
    return client.get(reverse("filers:status"))


def test_a_signed_in_request_reads_its_session_without_compiling_it(
    client, demo, monkeypatch
):
    attorney = demo.users["attorney"]
    client.force_login(attorney)
    assert _status(client).status_code == 200
    compiled = []
    original = SQLCompiler.as_sql

    def counted(self, *args, **kwargs):
        if self.query.model is Session:
            compiled.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counted)
    page = _status(client)
    assert page.status_code == 200
    assert page.wsgi_request.user.pk == attorney.pk
    assert compiled == []


def test_an_expired_or_unknown_session_signs_nobody_in(client, demo):
    client.force_login(demo.users["attorney"])
    assert _status(client).status_code == 200
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    page = _status(client)
    assert page.status_code == 302 and "/accounts/login/" in page["Location"]
    assert not page.wsgi_request.user.is_authenticated

    client.force_login(demo.users["attorney"])
    client.cookies[settings.SESSION_COOKIE_NAME] = "x" * 32  # never issued
    page = _status(client)
    assert page.status_code == 302
    assert not page.wsgi_request.user.is_authenticated


def test_signing_out_ends_the_session(client, demo):
    client.force_login(demo.users["attorney"])
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert _status(client).status_code == 200
    client.post(reverse("account_logout"))
    assert not Session.objects.filter(session_key=key).exists()
    client.cookies[settings.SESSION_COOKIE_NAME] = key  # the old cookie, replayed
    assert _status(client).status_code == 302
