"""POST /api/v1/claims/uploads: the claims-upload ZIP through the API, with its log."""

import pytest
from batchkit import add_function, batch_xml, make_zip
from claimkit import make_case

from dockets.claims.batch import process_batch
from dockets.models import Claim

pytestmark = pytest.mark.django_db

URL = "/api/v1/claims/uploads"


@pytest.fixture
def bearer():
    from dockets.api.services import create_api_token

    def headers(user, scopes=("read", "file", "claims")):
        _row, secret = create_api_token(
            user=user, name="Claims agent software", scopes=list(scopes), days=30
        )
        return {"Authorization": f"Bearer {secret}"}

    return headers


def _post(client, headers, data, name="batch.zip"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        URL,
        {"upload": SimpleUploadedFile(name, data, "application/zip")},
        headers=headers,
    )


def test_a_batch_is_accepted_then_filed_and_its_log_read(client, demo, bearer):
    creditor = demo.users["creditor"]
    case = make_case(demo)
    headers = bearer(creditor)
    xml = batch_xml(
        add_function(case.display_number, creditor="Api Bank"),
        add_function(
            case.display_number, creditor="Api Wrong", amount="5.00", unsecured="4.00"
        ),
        batch_id="API-1",
        user=creditor.email,
    )
    response = _post(client, headers, make_zip({"claims.xml": xml}))
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == "queued" and body["total"] == 2
    process_batch(body["id"])
    log = client.get(f"{URL}/{body['id']}", headers=headers).json()
    assert log["status"] == "done" and (log["filed"], log["refused"]) == (1, 1)
    assert (
        log["items"][0]["status"] == "filed"
        and log["items"][0]["claim_number"] == "1-1"
    )
    assert "do not add up" in log["items"][1]["reason"]
    # The same batch id again: 200 with the first log, nothing filed twice.
    again = _post(client, headers, make_zip({"claims.xml": xml}))
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert Claim.objects.filter(creditor_name="Api Bank").count() == 1
    # The same batch id for other claims: refused with the reason, nothing filed.
    reused = _post(
        client,
        headers,
        make_zip(
            {
                "claims.xml": xml.replace("Api Bank", "Api Other Bank"),
            }
        ),
    )
    assert reused.status_code == 422, reused.content
    assert "Batch id API-1 was already used" in reused.json()["error"]["message"]
    assert not Claim.objects.filter(creditor_name="Api Other Bank").exists()
    # Someone else's batch log is not found.
    other = bearer(demo.users["attorney"])
    assert client.get(f"{URL}/{body['id']}", headers=other).status_code == 404


def test_a_hostile_zip_is_refused_with_422_and_its_reason(client, demo, bearer):
    headers = bearer(demo.users["creditor"])
    xml = batch_xml(
        add_function("26-00001"), batch_id="X", user=demo.users["creditor"].email
    )
    response = _post(
        client, headers, make_zip({"claims.xml": xml, "../evil.pdf": b"%PDF-"})
    )
    assert response.status_code == 422, response.content
    assert "no folders" in response.json()["error"]["message"]


def test_the_upload_needs_the_claims_scope(client, demo, bearer):
    headers = bearer(demo.users["creditor"], scopes=("read",))
    response = _post(client, headers, make_zip({"claims.xml": "<x/>"}))
    assert response.status_code == 403


def test_a_batch_without_an_id_takes_its_zip_file_name(client, demo, bearer):
    creditor = demo.users["creditor"]
    case = make_case(demo)
    xml = batch_xml(
        add_function(case.display_number, creditor="Zip Name Bank"),
        batch_id="",
        user=creditor.email,
    ).replace(' BatchId=""', "")
    response = _post(
        client, bearer(creditor), make_zip({"claims.xml": xml}), name="agent-0042.zip"
    )
    assert response.status_code == 202, response.content
    assert response.json()["batch_id"] == "agent-0042"
