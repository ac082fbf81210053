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


def test_the_session_user_read_is_what_the_orm_reads(demo, django_assert_num_queries):
    """The read is compiled once per process (core.compiled): for an attorney (filer,
    two-factor), a clerk (no filer account) and the public user, the same fields,
    filer account and two-factor answer as the ORM's own query."""
    from filers.backends import ModelBackend, user_with_standing_query
    from filers.permissions import has_mfa

    def fields(obj) -> dict:
        return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}

    for who in ("attorney", "clerk", "public", "creditor"):
        user = demo.users[who]
        fast = ModelBackend().get_user(user.pk)
        slow = user_with_standing_query(user_id=user.pk).get()
        assert fast is not None
        assert fields(fast) == fields(slow)
        with django_assert_num_queries(0):
            assert has_mfa(fast) == getattr(slow, "has_mfa_enrolled", None)
            fast_filer, slow_filer = fast.filer_or_none, slow.filer_or_none
        assert (fast_filer is None) == (slow_filer is None), who
        if fast_filer is not None:
            assert fields(fast_filer) == fields(slow_filer)
    assert ModelBackend().get_user(10**9) is None
