"""One client address (ECF_TRUSTED_PROXY_COUNT) for every limit; failed logins limited per
(account, client) and per client, so a stranger cannot lock the owner out."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

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
