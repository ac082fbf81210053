"""One client address (ECF_TRUSTED_PROXY_COUNT) for every limit; failed logins limited per
(account, client) and per client, so a stranger cannot lock the owner out."""

from __future__ import annotations

import re

import pytest
from django.test import RequestFactory
from django.urls import reverse

PROXY = "10.0.0.1"


@pytest.mark.parametrize(
    ("count", "xff", "expected"),
    [
        (0, "203.0.113.9", PROXY),  # no proxy trusted: the header is the client's words
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # rotated spoof left of it: ignored
        (2, "203.0.113.9, 192.0.2.5", "203.0.113.9"),
        (2, "192.0.2.5", PROXY),  # shorter than the proxies: not trusted
        (1, "not-an-address", PROXY),
        (1, "", PROXY),
    ],
)
def test_client_ip_takes_the_address_the_trusted_proxy_saw(
    settings, count, xff, expected
):
    from core.clientip import client_ip

    settings.ECF_TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=xff)
    assert client_ip(request) == expected


@pytest.mark.django_db
def test_a_stranger_cannot_lock_the_clerk_out(client, demo, settings):
    from training.management.commands.seed_demo import DEMO_PASSWORD

    settings.ECF_TRUSTED_PROXY_COUNT = 1
    clerk = demo.users["clerk"]

    def login(password, address):
        return client.post(
            "/accounts/login/",
            {"login": clerk.email, "password": password},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=address,
        )

    for _ in range(6):
        login("wrong-password", "198.51.100.66")
    locked = login(DEMO_PASSWORD, "198.51.100.66")
    assert "Too many failed login attempts" in locked.content.decode()
    # The clerk, from their own address, gets past the password to the two-factor step.
    own = login(DEMO_PASSWORD, "192.0.2.10")
    assert own.status_code == 302
    assert "/2fa/" in own["Location"]


@pytest.mark.django_db
def test_one_client_guessing_many_accounts_is_stopped(client, demo, settings):
    """The per-client limit: ten wrong passwords from one address, each for a different
    account (so no account's own limit is reached), and that address is refused even the
    right password; another address still signs in."""
    from training.management.commands.seed_demo import DEMO_PASSWORD

    settings.ECF_TRUSTED_PROXY_COUNT = 1
    user = demo.users["public"]  # no second factor: the password alone makes a session

    def login(email, password, address):
        return client.post(
            "/accounts/login/",
            {"login": email, "password": password},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=address,
        )

    for i in range(10):
        login(f"guess-{i}@example.test", "wrong-password", "198.51.100.77")
    refused = login(user.email, DEMO_PASSWORD, "198.51.100.77")
    assert "Too many failed login attempts" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    login(user.email, DEMO_PASSWORD, "192.0.2.20")
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_a_locked_out_owner_signs_in_with_an_emailed_code(client, demo):
    """Past the account's limit on their own address, the owner asks for a sign-in code
    by e-mail and is let in with it: wrong passwords typed by someone else cannot keep
    the owner out."""
    from core.models import InboxMessage
    from training.management.commands.seed_demo import DEMO_PASSWORD

    user = demo.users["public"]  # no second factor: the code alone makes a session
    for _ in range(6):
        client.post("/accounts/login/", {"login": user.email, "password": "wrong"})
    locked = client.post(
        "/accounts/login/", {"login": user.email, "password": DEMO_PASSWORD}
    )
    assert "Too many failed login attempts" in locked.content.decode()
    InboxMessage.objects.filter(to_email=user.email).delete()
    asked = client.post(reverse("account_request_login_code"), {"email": user.email})
    assert asked.status_code == 302
    message = InboxMessage.objects.get(to_email=user.email)
    code = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", message.body_text, re.M)
    assert code, message.body_text
    client.post(reverse("account_confirm_login_code"), {"code": code.group(1)})
    assert client.session["_auth_user_id"] == str(user.pk)
