"""The access matrix in every status: real objects of other users, sampled per policy,
and every API route with and without each scope.

test_access_matrix.py walks every URL for the certified demo roles; test_gates.py tests
the gate functions for every role x status x two-factor. This module samples the URLs
that need a court user, a participant or an object's owner with accounts whose role
would open them if a role were enough (pending, refused, suspended, revoked, or
without two-factor), and walks each API route with each token scope. A new API route
without a row in API_SCOPES fails.
"""

from __future__ import annotations

import pytest
from access_matrix import ROWS, SEALED_TEXT
from django.test import Client
from django.urls import reverse
from matrixworld import world_fixture  # noqa: F401  (registers the `world` fixture)

# (role, status, two-factor, linked to the case's trustee/U.S. Trustee record)
STATUS_USERS = [
    ("clerk", "pending", True, False),
    ("clerk", "refused", True, False),
    ("clerk", "suspended", True, False),
    ("clerk", "revoked", True, False),
    ("clerk", "certified", False, False),
    ("judge", "suspended", True, False),
    ("judge", "certified", False, False),
    ("us_trustee", "pending", True, True),
    ("us_trustee", "certified", False, True),
    ("us_trustee", "certified", True, False),  # certified but never linked
    ("trustee", "revoked", True, True),
    ("trustee", "certified", True, False),
    ("creditor", "suspended", True, False),
    ("attorney", "refused", True, False),
]

# URL name -> kwargs (world keys): pages a court user, a participant or an owner would get.
SAMPLED = {
    "dockets:clerk-dashboard": {},
    "dockets:qc-queue": {},
    "dockets:qc-review": {"entry_id": "sealed_entry"},
    "dockets:audit-case": {"case_id": "sealed_case_id"},
    "dockets:orders-to-sign": {},
    "filers:clerk-queue": {},
    "cases:trustee-members": {},
    "dockets:pipeline-failures": {},
    "dockets:document": {"document_id": "restricted_document"},
    "dockets:document-download": {"document_id": "restricted_document"},
    "dockets:qc-document": {"document_id": "sealed_document"},
    "dockets:claim-amend": {"claim_id": "creditor_claim"},
    "dockets:claim-withdraw": {"claim_id": "creditor_claim"},
}


def _status_user(role, status, mfa, linked, world, n):
    from allauth.mfa.totp.internal.auth import TOTP

    from cases.models import Case, Trustee
    from filers.models import Filer, User

    user = User.objects.create_user(
        email=f"status-{n}@matrix.test", password="x", full_name=f"Status {n}"
    )
    Filer.objects.create(user=user, role=role, status=status)
    if mfa:
        TOTP.activate(user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    if linked:
        case = Case.objects.get(pk=world["sealed_case_id"])
        if role == "us_trustee":
            record = Trustee.objects.filter(
                court=case.court, kind=Trustee.Kind.US_TRUSTEE, offices=case.office
            ).first()
        else:
            record = case.trustee
        assert record is not None
        record.members.add(user)
    return user


@pytest.mark.django_db(databases=["default", "training"])
def test_no_status_but_active_opens_court_participant_or_owner_pages(world):
    from test_access_matrix import _request

    failures = []
    private_files = _private_file_bytes(world)
    for n, (role, status, mfa, linked) in enumerate(STATUS_USERS):
        user = _status_user(role, status, mfa, linked, world, n)
        client = Client(raise_request_exception=False)
        client.force_login(user)
        for name, kwargs in SAMPLED.items():
            url = reverse(name, kwargs={k: world[v] for k, v in kwargs.items()})
            response, _posted = _request(client, url, post=ROWS[name].post)
            where = f"{url} as {role}/{status}/mfa={mfa}/linked={linked}"
            if response.status_code >= 500 or response.status_code == 200:
                failures.append(f"{where}: {response.status_code}")
            if response.has_header("X-Accel-Redirect"):
                failures.append(f"{where}: handed a stored file to the proxy")
            raw = body_bytes(response)
            if any(secret in raw for secret in private_files):
                failures.append(f"{where}: the bytes of a non-public document")
            body = raw.decode(errors="replace")
            if SEALED_TEXT in body or world["sealed_file"] in body:
                failures.append(f"{where}: sealed text leaked")
    assert not failures, "\n".join(failures)


def body_bytes(response) -> bytes:
    """The whole body, whatever the response type, so a file served to the wrong user
    is seen, not skipped.

    A streamed response (FileResponse) has no `.content` (AttributeError). Read its
    `streaming_content` to the end and do not call `response.close()` here: the test
    client's iterator wrapper already closes it with close_old_connections detached,
    and a second close() fires request_finished with it attached, which closes the
    test's database connection ("the connection is closed" on the next query)."""
    if not getattr(response, "streaming", False):
        return response.content
    return b"".join(response.streaming_content)


def _private_file_bytes(world) -> list[bytes]:
    """The stored bytes of the non-public documents the sampled URLs point at."""
    from dockets.models import Document

    out = []
    for key in ("restricted_document", "sealed_document"):
        document = Document.objects.get(pk=world[key])
        for field in (document.original, document.stamped):
            if field:
                with field.open("rb") as handle:
                    out.append(handle.read())
    assert out, "the leak check needs the private documents' bytes"
    return out


# Every API route: the scope a token needs for it ("" = no token needed or none checked).
API_SCOPES = {
    "api-v1:openapi-json": "",
    "api-v1:api-root": "",
    "api-v1:unknown": "",
    "api-v1:search": "read",
    "api-v1:case_summary": "read",
    "api-v1:case_parties": "read",
    "api-v1:list_entries": "read",
    "api-v1:document_download": "read",
    "api-v1:open_case": "file",
    "api-v1:file_document": "file",
    "api-v1:file_claim": "claims",
    "api-v1:file_claims_batch": "claims",
    "api-v1:upload_claims": "claims",
    "api-v1:get_claims_upload": "claims",
    # A token of any scope manages its own user's webhooks (dockets/alerts/api.py).
    "api-v1:create_webhook": "",
    "api-v1:list_webhooks": "",
    "api-v1:webhook_deliveries": "",
    "api-v1:delete_webhook": "",
}
API_KWARGS: dict[str, dict[str, str | int]] = {
    "api-v1:case_summary": {"case_id": "own_case"},
    "api-v1:case_parties": {"case_id": "own_case"},
    "api-v1:list_entries": {"case_id": "own_case"},
    "api-v1:document_download": {"document_id": "public_document"},
    "api-v1:file_document": {"case_id": "own_case"},
    "api-v1:file_claim": {"case_id": "own_case"},
    "api-v1:file_claims_batch": {"case_id": "own_case"},
    # Real objects: the creditor's batch (another user's), the attorney's own webhook.
    "api-v1:get_claims_upload": {"batch_pk": "creditor_batch"},
    "api-v1:webhook_deliveries": {"webhook_id": "attorney_webhook"},
    "api-v1:delete_webhook": {"webhook_id": "attorney_webhook"},
    "api-v1:unknown": {"rest": "nothing/here"},
}
WRITES = {
    "api-v1:open_case",
    "api-v1:file_document",
    "api-v1:file_claim",
    "api-v1:file_claims_batch",
    "api-v1:upload_claims",
    "api-v1:create_webhook",
}


def test_every_api_route_has_a_scope_row():
    api_names = {n for n in ROWS if n.startswith("api-v1:")}
    assert api_names == set(API_SCOPES), (
        f"API routes without a scope row: {sorted(api_names - set(API_SCOPES))}"
    )


@pytest.mark.django_db(databases=["default", "training"])
def test_every_api_route_with_and_without_each_scope(world, settings):
    from dockets.api.services import create_api_token

    settings.ECF_API_TOKEN_RATE_PER_MINUTE = 100_000
    settings.ECF_API_ANON_RATE_PER_MINUTE = 100_000
    attorney = world["users"]["attorney"]
    tokens = {
        scope: create_api_token(
            user=attorney, name=f"m-{scope}", scopes=[scope], days=1
        )[1]
        for scope in ("read", "file", "claims")
    }
    failures = []
    for name, needed in API_SCOPES.items():
        kwargs = {k: world.get(v, v) for k, v in API_KWARGS.get(name, {}).items()}
        url = reverse(name, kwargs=kwargs or None)
        method = "post" if name in WRITES else "get"
        for scope, secret in [(None, None), *tokens.items()]:
            headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"} if secret else {}
            response = getattr(Client(), method)(url, **headers)
            where = f"{method.upper()} {url} with {scope or 'no token'}"
            if response.status_code >= 500:
                failures.append(f"{where}: {response.status_code}")
                continue
            scope_missing = (
                response.status_code == 403
                and "scope_missing" in response.content.decode()
            )
            if not needed:
                continue
            if scope is None:
                if name in WRITES and response.status_code != 401:
                    failures.append(f"{where}: {response.status_code}, expected 401")
            elif scope == needed and scope_missing:
                failures.append(f"{where}: refused its own scope")
            elif scope != needed and not scope_missing:
                failures.append(
                    f"{where}: {response.status_code}, expected 403 scope_missing"
                )
    assert not failures, "\n".join(failures)
