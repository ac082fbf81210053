"""/admin/ behind the same door as the court's pages: allauth's login (two-factor), an
active court user with staff status only, every admin save in the audit log."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_admin_login_sends_to_allauths_login_with_two_factor(client, demo):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    # A password alone through the old admin form logs nobody in.
    posted = client.post(
        "/admin/login/",
        {"username": demo.users["clerk"].email, "password": "demo-password"},
    )
    assert posted.status_code == 302
    assert posted["Location"].startswith("/accounts/login/")
    assert client.get("/admin/").status_code == 302


def test_active_staff_clerk_gets_in(client, demo):
    client.force_login(demo.users["clerk"])
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("change", ["suspended", "no_mfa", "not_court"])
def test_staff_without_an_active_court_role_is_kept_out(client, demo, change):
    from allauth.mfa.models import Authenticator

    from filers.models import Filer

    user = demo.users["clerk" if change != "not_court" else "attorney"]
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    if change == "suspended":
        Filer.objects.filter(user=user).update(status=Filer.Status.SUSPENDED)
    if change == "no_mfa":
        Authenticator.objects.filter(user=user).delete()
    client.force_login(user)
    assert client.get("/admin/").status_code in (302, 404)
    assert client.get("/admin/login/").status_code == 404
    assert client.get("/admin/filers/user/").status_code in (302, 404)


def test_staff_status_only_for_court_roles_and_admin_saves_are_audited(client, demo):
    from core.models import AuditEvent

    attorney = demo.users["attorney"]
    clerk = demo.users["clerk"]
    clerk.is_superuser = True  # model permissions; the door is the court-user check
    clerk.save(update_fields=["is_superuser"])
    client.force_login(clerk)
    url = reverse("admin:filers_user_change", args=[attorney.pk])
    data = {
        "email": attorney.email,
        "full_name": attorney.full_name,
        "is_active": "on",
        "is_staff": "on",
        "last_login_0": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    }
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "Staff status is only for clerk" in refused.content.decode()
    attorney.refresh_from_db()
    assert not attorney.is_staff
    data.pop("is_staff")
    data["full_name"] = "Dana M. Whitaker-Lee"
    saved = client.post(url, data)
    assert saved.status_code == 302, saved.content.decode()[:2000]
    event = AuditEvent.objects.filter(action="admin.changed").latest("pk")
    assert str(event.after["object_id"]) == str(attorney.pk)
    assert event.actor_id == demo.users["clerk"].pk
