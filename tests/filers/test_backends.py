"""A session's user is read with its filer account and two-factor in one query."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_session_user_comes_with_its_filer_and_two_factor(
    demo, django_assert_num_queries
):
    """One query reads the user; the gates then ask nothing more about its standing."""
    from filers.backends import AuthenticationBackend, ModelBackend
    from filers.permissions import has_mfa, is_active_filer

    attorney = demo.users["attorney"]
    for backend in (ModelBackend(), AuthenticationBackend()):
        with django_assert_num_queries(1):
            user = backend.get_user(attorney.pk)
        assert user is not None
        with django_assert_num_queries(0):
            assert user.filer_or_none is not None
            assert has_mfa(user) and is_active_filer(user)


def test_an_inactive_user_gets_no_session_and_old_sessions_still_work(client, demo):
    """An inactive account is refused as Django's backend refuses it; a session signed
    in through Django's own backend (before this one was listed) still works."""
    from filers.backends import ModelBackend

    attorney = demo.users["attorney"]
    attorney.is_active = False
    attorney.save(update_fields=["is_active"])
    assert ModelBackend().get_user(attorney.pk) is None
    creditor = demo.users["creditor"]
    client.force_login(creditor, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(reverse("filers:status"))
    assert page.status_code == 200
    assert page.wsgi_request.user.pk == creditor.pk


def _compiles_of(model):
    """Count the ORM compiling a query on `model` (a patch of SQLCompiler.as_sql)."""
    from django.db.models.sql.compiler import SQLCompiler

    calls = []
    original = SQLCompiler.as_sql

    def counted(self, *args, **kwargs):
        if self.query.model is model:
            calls.append(1)
        return original(self, *args, **kwargs)

    return calls, counted


def test_the_session_user_is_the_users_own_row_with_its_standing(demo):
    """The query compiled once per process gives what the ORM gives: every field, the
    filer account (or none), two-factor enrolled or not; nothing for an unknown or
    malformed id."""
    from filers.backends import ModelBackend, user_with_standing_query
    from filers.models import User

    backend = ModelBackend()
    checked = 0
    for user in User.objects.all():
        expected = user_with_standing_query(user.pk).get()
        got = backend.get_user(str(user.pk))  # as the session keeps it
        if not user.is_active:
            assert got is None
            continue
        assert got is not None and type(got) is User
        for field in User._meta.concrete_fields:
            assert getattr(got, field.attname) == getattr(expected, field.attname)
        assert got.__dict__["has_mfa_enrolled"] == expected.__dict__["has_mfa_enrolled"]
        expected_filer = getattr(expected, "filer", None)
        assert (got.filer_or_none and got.filer_or_none.pk) == (
            expected_filer and expected_filer.pk
        )
        checked += 1
    assert checked >= 3
    assert {
        bool(u.filer_or_none) for u in User.objects.all() if backend.get_user(u.pk)
    } == {True, False}
    for missing in (10**12, "not-a-number", None):
        assert backend.get_user(missing) is None


def test_a_signed_in_request_does_not_compile_its_users_query_again(
    client, demo, monkeypatch
):
    """Every signed-in request reads its user; the query is compiled once per process
    (core.compiled), not on each request (issue 21)."""
    from django.db.models.sql.compiler import SQLCompiler

    from filers.models import User

    attorney = demo.users["attorney"]
    client.force_login(attorney)
    url = reverse("filers:status")
    assert client.get(url).status_code == 200
    calls, counted = _compiles_of(User)
    monkeypatch.setattr(SQLCompiler, "as_sql", counted)
    page = client.get(url)
    assert page.status_code == 200
    assert page.wsgi_request.user.pk == attorney.pk
    assert calls == []
