"""Hostile request bodies: deep JSON, huge JSON, broken multipart, NUL and control
characters. Each gets the API's error shape and a clear status, never a 500."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pdfmaker import pdf_bytes

pytestmark = pytest.mark.django_db


def motion_form(case, **extra):
    debtor = case.parties.get(role="debtor")
    data = {
        "events": ["extime"],
        "party_ids": [str(debtor.pk)],
        "fields": json.dumps({"extend_what": "file schedules"}),
        "acknowledge_warnings": "true",
        "main": SimpleUploadedFile(
            "m.pdf",
            pdf_bytes(text="MOTION\nIn re Ana Ruiz\n/s/ Dana M. Whitaker"),
            content_type="application/pdf",
        ),
    }
    data.update(extra)
    return data


def assert_error_shape(response, status):
    assert response.status_code == status, response.content[:500]
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] and body["error"]["message"]
    return body["error"]


def test_fields_nested_5000_deep_is_a_clear_422(client, demo, opened_case, bearer):
    deep = "[" * 5000 + "]" * 5000
    response = client.post(
        f"/api/v1/cases/{opened_case.pk}/filings",
        data=motion_form(opened_case, fields=deep),
        headers=bearer(demo.users["attorney"]),
    )
    error = assert_error_shape(response, 422)
    assert "nested" in error["message"]
    assert opened_case.entries.count() == 1


def test_claim_body_nested_deep_is_a_clear_422(client, demo, opened_case, bearer):
    body = '{"creditor_name": ' + "[" * 5000 + "]" * 5000 + "}"
    response = client.post(
        f"/api/v1/cases/{opened_case.pk}/claims",
        data=body,
        content_type="application/json",
        headers=bearer(demo.users["attorney"]),
    )
    error = assert_error_shape(response, 422)
    assert "nested" in error["message"]


def test_debtors_nested_deep_is_a_clear_422(client, demo, bearer):
    response = client.post(
        "/api/v1/cases",
        data={"office": "1", "chapter": "7", "debtors": "[" * 5000 + "]" * 5000},
        headers=bearer(demo.users["attorney"]),
    )
    assert response.status_code in (400, 422), response.content[:300]
    assert response.json()["error"]["code"]


def test_multipart_without_boundary_is_a_400_in_the_error_shape(
    client, demo, opened_case, bearer
):
    response = client.generic(
        "POST",
        f"/api/v1/cases/{opened_case.pk}/filings",
        b'--x\r\nContent-Disposition: form-data; name="events"\r\n\r\nextime\r\n--x--',
        content_type="multipart/form-data",
        headers=bearer(demo.users["attorney"]),
    )
    error = assert_error_shape(response, 400)
    assert "multipart" in error["message"].lower()


def test_nul_in_a_json_field_is_refused(client, demo, opened_case, bearer):
    response = client.post(
        f"/api/v1/cases/{opened_case.pk}/filings",
        data=motion_form(opened_case, fields='{"extend_what": "a\\u0000b"}'),
        headers=bearer(demo.users["attorney"]),
    )
    assert_error_shape(response, 422)


@pytest.mark.parametrize("query", ["?q=%00", "?q=a%00b&after=%00"])
def test_nul_in_api_search_is_a_422_in_the_error_shape(client, demo, query):
    response = client.get("/api/v1/cases" + query)
    assert_error_shape(response, 422)


def test_nul_in_api_entry_filters_is_a_422(client, demo, opened_case):
    response = client.get(f"/api/v1/cases/{opened_case.pk}/entries?after=%00")
    assert response.status_code in (400, 422), response.content[:300]
    assert response.json()["error"]["code"]


def test_api_text_is_normalised_at_the_schema_layer():
    """Control characters go and Unicode is NFC before an operation sees the text."""
    from dockets.api.writes import DebtorIn

    debtor = DebtorIn.model_validate(
        {"name": "Ana\x07 Rui\u0301z\x1b", "address_lines": ["12 Elm\x0b St"]}
    )
    assert debtor.name == "Ana Ruíz"
    assert debtor.address_lines == ["12 Elm St"]
