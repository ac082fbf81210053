"""The API tokens page: made after an authenticator code, shown once, stored hashed, revocable."""

import hashlib

import pytest
from browserkit import totp_code
from django.urls import reverse

from core.models import AuditEvent
from dockets.api.models import ApiToken

pytestmark = pytest.mark.django_db


def test_certified_filer_makes_a_token_after_an_mfa_check(client, demo):
    attorney = demo.users["attorney"]
    client.force_login(attorney)
    url = reverse("dockets:api-tokens")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "name": "Petition software",
            "scopes": ["read", "file"],
            "days": "30",
            "code": totp_code(attorney),
        },
    )
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret.startswith("ecf_") and secret.encode() in response.content
    assert response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(user=attorney)
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.values_list().get())
    assert token.scopes == ["read", "file"]
    assert AuditEvent.objects.filter(action="dockets.api_token.created").exists()
    # Shown once: the list shows only its first characters.
    listing = client.get(url)
    assert secret.encode() not in listing.content
    assert token.prefix.encode() in listing.content
    # The token works until revoked.
    api = "/api/v1/cases?q=x"
    assert (
        client.get(api, headers={"Authorization": f"Bearer {secret}"}).status_code
        == 200
    )
    client.post(reverse("dockets:api-token-revoke", kwargs={"token_id": token.pk}))
    assert (
        client.get(api, headers={"Authorization": f"Bearer {secret}"}).status_code
        == 401
    )


def test_wrong_authenticator_code_makes_no_token(client, demo):
    attorney = demo.users["attorney"]
    client.force_login(attorney)
    response = client.post(
        reverse("dockets:api-tokens"),
        {"name": "x", "scopes": ["read"], "days": "30", "code": "000000"},
    )
    assert response.status_code == 422
    assert "not correct" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_user_without_filing_rights_cannot_make_a_token(client, demo):
    client.force_login(demo.users["public"])
    response = client.get(reverse("dockets:api-tokens"))
    assert "no filing rights" in response.content.decode()
    assert b"Make token" not in response.content


def test_another_users_token_cannot_be_revoked(client, demo, make_token):
    make_token(demo.users["attorney"])
    token = ApiToken.objects.get()
    client.force_login(demo.users["attorney2"])
    response = client.post(
        reverse("dockets:api-token-revoke", kwargs={"token_id": token.pk})
    )
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_reference_page_lists_every_operation(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    for operation_id in (
        "searchCases",
        "listEntries",
        "fileDocument",
        "openCase",
        "fileClaimsBatch",
    ):
        assert operation_id in html
    assert "<script" not in html.split("</main>")[0].split("<main")[-1]
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["version"] == "1.0.0"
