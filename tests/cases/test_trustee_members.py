"""The clerk links accounts to a trustee or the U.S. Trustee office (audited); only then,
and only in that record's cases, does the account see restricted documents."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _ust_user(status="certified"):
    from allauth.mfa.totp.internal.auth import TOTP

    from filers.models import Filer, User

    user = User.objects.create_user(
        email="new.ust@usdoj.test", password="x", full_name="Nia Newcomb"
    )
    Filer.objects.create(user=user, role="us_trustee", status=status)
    TOTP.activate(user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    return user


def test_clerk_links_and_unlinks_an_account_and_both_are_audited(client, demo):
    from cases.models import Trustee
    from core.models import AuditEvent

    ust = Trustee.objects.get(court=demo.court, kind=Trustee.Kind.US_TRUSTEE)
    user = _ust_user()
    client.force_login(demo.users["clerk"])
    page = client.get(reverse("cases:trustee-members"))
    assert page.status_code == 200
    response = client.post(
        reverse("cases:trustee-members"),
        {"trustee": ust.pk, "email": "NEW.UST@usdoj.test"},
    )
    assert response.status_code == 302
    assert ust.members.filter(pk=user.pk).exists()
    assert AuditEvent.objects.filter(
        action="cases.trustee.member_linked", after__member=user.email
    ).exists()
    assert user.email in client.get(reverse("cases:trustee-members")).content.decode()
    client.post(
        reverse(
            "cases:trustee-member-unlink",
            kwargs={"trustee_id": ust.pk, "user_id": user.pk},
        )
    )
    assert not ust.members.filter(pk=user.pk).exists()
    assert AuditEvent.objects.filter(action="cases.trustee.member_unlinked").exists()


def test_an_account_of_another_role_is_refused_with_a_reason(client, demo):
    from cases.models import Trustee

    ust = Trustee.objects.get(court=demo.court, kind=Trustee.Kind.US_TRUSTEE)
    client.force_login(demo.users["clerk"])
    response = client.post(
        reverse("cases:trustee-members"),
        {"trustee": ust.pk, "email": demo.users["attorney"].email},
    )
    assert response.status_code == 400
    assert "only a U.S. Trustee or Filing agent account" in response.content.decode()
    assert not ust.members.filter(pk=demo.users["attorney"].pk).exists()


@pytest.mark.parametrize("who", ["attorney", "us_trustee", "judge"])
def test_only_the_clerk_may_link(client, demo, who):
    from cases.models import Trustee

    ust = Trustee.objects.get(court=demo.court, kind=Trustee.Kind.US_TRUSTEE)
    user = _ust_user()
    actor = user if who == "us_trustee" else demo.users[who]
    client.force_login(actor)
    response = client.post(
        reverse("cases:trustee-members"), {"trustee": ust.pk, "email": user.email}
    )
    assert response.status_code == 404
    assert not ust.members.filter(pk=user.pk).exists()
