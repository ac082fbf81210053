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
