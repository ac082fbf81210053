"""The home page, the inbox, and the error pages."""

import pytest
from django.urls import reverse

from core.mail import send_message

pytestmark = pytest.mark.django_db


def test_home_page_is_public_and_names_the_court(client):
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    assert "Southern District of California" in response.content.decode()
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_inbox_shows_only_the_users_own_messages(client, demo):
    attorney, trustee = demo.users["attorney"], demo.users["trustee"]
    mine = send_message(
        to_email=attorney.email, subject="For the attorney", text="a", user=attorney
    )
    theirs = send_message(
        to_email=trustee.email, subject="For the trustee", text="b", user=trustee
    )
    client.force_login(attorney)
    page = client.get(reverse("core:inbox")).content.decode()
    assert "For the attorney" in page and "For the trustee" not in page
    assert client.get(reverse("core:inbox-message", args=[mine.pk])).status_code == 200
    assert (
        client.get(reverse("core:inbox-message", args=[theirs.pk])).status_code == 404
    )


def test_unknown_page_gets_a_plain_404(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
