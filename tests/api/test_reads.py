"""Public reads through the API, with the web's visibility rules (the access matrix)."""

import datetime as dt

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.test import override_settings
from pdfmaker import pdf_bytes

from dockets.models import Document, Event, Visibility
from dockets.services import FilingRequest, UploadedDocument, file_docket_entry

pytestmark = pytest.mark.django_db


def add_entry(case, user, tmp_path, *, visibility, text):
    path = tmp_path / f"{visibility}.pdf"
    path.write_bytes(pdf_bytes(text=text))
    return file_docket_entry(
        FilingRequest(
            case=case,
            events=[Event.objects.get(code="extime")],
            filer=user,
            documents=[UploadedDocument.from_path(path, page_count=1)],
            text_override=text,
            visibility=visibility,
        )
    )


@pytest.fixture
def docket(demo, opened_case, tmp_path):
    attorney = demo.users["attorney"]
    sealed = add_entry(
        opened_case,
        attorney,
        tmp_path,
        visibility=Visibility.SEALED,
        text="Secret sealed motion",
    )
    restricted = add_entry(
        opened_case,
        attorney,
        tmp_path,
        visibility=Visibility.RESTRICTED,
        text="Restricted motion",
    )
    public = add_entry(
        opened_case,
        attorney,
        tmp_path,
        visibility=Visibility.PUBLIC,
        text="Public motion",
    )
    return {"sealed": sealed, "restricted": restricted, "public": public}


def entries(client, case, headers=None, **params):
    response = client.get(
        f"/api/v1/cases/{case.pk}/entries", params, headers=headers or {}
    )
    assert response.status_code == 200, response.content
    return response.json()


ACCESS = [
    # who, sees sealed text, sees restricted documents
    (None, False, False),
    ("public", False, False),
    ("creditor", False, False),
    ("attorney", False, True),
    ("clerk", True, True),
]


@pytest.mark.parametrize(("who", "sealed_shown", "restricted_docs"), ACCESS)
def test_access_matrix_on_the_api(
    client, demo, opened_case, docket, make_token, who, sealed_shown, restricted_docs
):
    """Sealed entries' text and documents never appear to those not entitled; restricted
    documents only for participants (the attorney of record) and the court."""
    headers = None
    if who is not None:
        user = demo.users[who]
        if who == "public":
            from dockets.api.models import ApiToken
            from dockets.api.services import token_digest

            secret = "ecf_public-test-token"
            ApiToken.objects.create(
                user=user,
                name="t",
                prefix=secret[:12],
                digest=token_digest(secret),
                scopes=["read"],
                expires_at="2099-01-01T00:00:00Z",
            )
        else:
            secret = make_token(user, scopes=["read"])
        headers = {"Authorization": f"Bearer {secret}"}
    rows = {r["id"]: r for r in entries(client, opened_case, headers)["results"]}
    sealed = rows[docket["sealed"].pk]
    assert sealed["text_shown"] is sealed_shown
    assert ("Secret sealed motion" in sealed["text"]) is sealed_shown
    assert bool(sealed["documents"]) is sealed_shown
    restricted = rows[docket["restricted"].pk]
    assert bool(restricted["documents"]) is restricted_docs
    assert rows[docket["public"].pk]["documents"]
    # The sealed document itself: 404 unless entitled (same as missing).
    document = docket["sealed"].documents.get()
    response = client.get(
        f"/api/v1/documents/{document.pk}/download", headers=headers or {}
    )
    assert response.status_code == (200 if sealed_shown else 404)
    if not sealed_shown:
        assert response.json()["error"]["code"] == "not_found"


def test_entries_are_keyset_paged_and_filtered(
    client, demo, opened_case, docket, django_assert_max_num_queries
):
    first = entries(client, opened_case, limit=2)
    assert [r["number"] for r in first["results"]] == [1, 2]
    second = entries(client, opened_case, limit=2, after=first["next_after"])
    assert [r["number"] for r in second["results"]] == [3, 4]
    assert second["next_after"] is None
    assert [
        r["number"]
        for r in entries(client, opened_case, number_from=3, number_to=3)["results"]
    ] == [3]
    with django_assert_max_num_queries(12):
        entries(client, opened_case, limit=100)


def test_bad_query_gets_a_plain_422(client, opened_case):
    response = client.get(f"/api/v1/cases/{opened_case.pk}/entries", {"limit": "lots"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid" and "limit" in error["fields"]


def test_missing_case_is_the_same_404(client, demo):
    response = client.get("/api/v1/cases/999999")
    assert response.status_code == 404
    assert response.json() == {
        "error": {
            "code": "not_found",
            "message": response.json()["error"]["message"],
            "fields": {},
        }
    }


def test_case_search_summary_and_parties(client, opened_case):
    found = client.get("/api/v1/cases", {"q": "Ruiz"}).json()
    assert [c["id"] for c in found["results"]] == [opened_case.pk]
    summary = client.get(f"/api/v1/cases/{opened_case.pk}").json()
    assert summary["number"] == opened_case.display_number
    assert any(
        p["name"] == "Ana Ruiz" and p["role"] == "debtor" for p in summary["parties"]
    )
    parties = client.get(f"/api/v1/cases/{opened_case.pk}/parties").json()
    assert "tax_id" not in str(parties)


def test_download_serves_the_stamped_copy_once_ready(client, opened_case, docket):
    document = docket["public"].documents.get()
    response = client.get(f"/api/v1/documents/{document.pk}/download")
    assert response.status_code == 200 and response["X-ECF-Stamped"] == "false"
    Document.objects.filter(pk=document.pk).update(
        stamped=Document.stamped.field.generate_filename(document, "s.pdf")
    )
    document.refresh_from_db()
    document.stamped.storage.save(document.stamped.name, ContentFile(b"%PDF-stamped"))
    response = client.get(f"/api/v1/documents/{document.pk}/download")
    assert response["X-ECF-Stamped"] == "true"
    assert b"".join(response.streaming_content) == b"%PDF-stamped"


@override_settings(ECF_API_ANON_RATE_PER_MINUTE=3, ECF_API_TOKEN_RATE_PER_MINUTE=5)
def test_rate_limits_are_lower_without_a_token(client, demo, opened_case, make_token):
    """Anonymous readers get the lower limit; a 429 says when to come back."""
    traveller = time_machine.travel(
        dt.datetime(2026, 11, 26, 12, 0, 10, tzinfo=dt.UTC), tick=False
    )
    traveller.start()
    url = f"/api/v1/cases/{opened_case.pk}"
    statuses = [client.get(url).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get(url)
    assert int(limited["Retry-After"]) >= 1
    assert limited.json()["error"]["code"] == "rate_limited"
    headers = {
        "Authorization": f"Bearer {make_token(demo.users['attorney'], scopes=['read'])}"
    }
    assert [client.get(url, headers=headers).status_code for _ in range(6)] == [
        200
    ] * 5 + [429]
    traveller.stop()


def test_invalid_expired_or_revoked_token_is_401(client, demo, opened_case, make_token):
    from dockets.api.models import ApiToken
    from dockets.api.services import revoke_api_token

    url = f"/api/v1/cases/{opened_case.pk}"
    assert (
        client.get(url, headers={"Authorization": "Bearer ecf_nonsense"}).status_code
        == 401
    )
    secret = make_token(demo.users["attorney"])
    revoke_api_token(user=demo.users["attorney"], token=ApiToken.objects.get())
    response = client.get(url, headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_token"


def test_training_isolation(client, demo, opened_case, settings):
    """On the training instance, another trainee's practice case is a 404 through the API too."""
    from filers.models import User

    settings.ECF_IS_TRAINING = True
    other = User.objects.create_user(email="other-trainee@ecf.test", password="x")
    type(opened_case).objects.filter(pk=opened_case.pk).update(practice_owner=other)
    assert client.get(f"/api/v1/cases/{opened_case.pk}").status_code == 404
    assert client.get(f"/api/v1/cases/{opened_case.pk}/entries").status_code == 404
    assert client.get("/api/v1/cases", {"q": "Ruiz"}).json()["results"] == []
