"""A client written only from the OpenAPI document: it looks operations up by
operationId, builds each request from the document, and never imports the app.

It opens a case, files a motion, uploads a batch of 25 claims (one of them bad) and
reads the docket back, over HTTP against the live server.
"""

import json

import pytest
import requests
from pdfmaker import pdf_bytes

pytestmark = [pytest.mark.django_db(transaction=True)]


class OpenApiClient:
    def __init__(self, base: str, token: str):
        self.base = base
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"
        self.document = requests.get(f"{base}/api/v1/openapi.json", timeout=30).json()
        self.operations = {}
        for path, item in self.document["paths"].items():
            for method, operation in item.items():
                self.operations[operation["operationId"]] = (method, path, operation)

    def body_fields(self, operation_id: str, media: str) -> set[str]:
        _method, _path, operation = self.operations[operation_id]
        schema = operation["requestBody"]["content"][media]["schema"]
        if "$ref" in schema:
            schema = self.document["components"]["schemas"][
                schema["$ref"].rsplit("/", 1)[-1]
            ]
        return set(schema["properties"])

    def call(
        self,
        operation_id: str,
        *,
        path=None,
        query=None,
        form=None,
        files=None,
        json_body=None,
        key=None,
    ):
        method, template, operation = self.operations[operation_id]
        url = self.base + template.format(**(path or {}))
        declared = {p["name"] for p in operation.get("parameters", [])}
        assert set(query or {}) <= declared, f"{operation_id} takes {declared}"
        headers = {}
        if key is not None:
            assert "Idempotency-Key" in declared
            headers["Idempotency-Key"] = key
        if form is not None or files is not None:
            allowed = self.body_fields(operation_id, "multipart/form-data")
            assert set(form or {}) | set(files or {}) <= allowed, allowed
        if json_body is not None:
            assert set(json_body) <= self.body_fields(operation_id, "application/json")
        response = self.session.request(
            method.upper(),
            url,
            params=query,
            data=form,
            files=files,
            json=json_body,
            headers=headers,
            timeout=120,
        )
        documented = operation["responses"]
        assert str(response.status_code) in documented, (
            response.status_code,
            response.text[:500],
        )
        return response


def claim(index: int) -> dict:
    return {
        "creditor_name": f"Creditor Number {index}",
        "creditor_address": f"{index} Main St\nSan Diego, CA 92101",
        "basis": "Goods sold",
        "amount_cents": 10000 + index,
        "unsecured_cents": 10000 + index,
    }


def test_petition_software_journey(live_server, demo, make_token):
    attorney = OpenApiClient(
        live_server.url, make_token(demo.users["attorney"], scopes=["read", "file"])
    )
    creditor = OpenApiClient(
        live_server.url, make_token(demo.users["creditor"], scopes=["read", "claims"])
    )

    # Open a case with its petition and creditor matrix.
    opened = attorney.call(
        "openCase",
        form={
            "office": "3",
            "chapter": "7",
            "debtors": json.dumps(
                [
                    {
                        "name": "Rosa Delgado",
                        "tax_id": "512-34-1111",
                        "city": "San Diego",
                        "state": "CA",
                        "zip_code": "92101",
                        "address_lines": ["9 Bay St"],
                    }
                ]
            ),
        },
        files={
            "petition": (
                "petition.pdf",
                pdf_bytes(
                    text="VOLUNTARY PETITION\nDebtor: Rosa Delgado\n/s/ Dana M. Whitaker"
                ),
                "application/pdf",
            ),
            "matrix": (
                "matrix.txt",
                b"First Bank\n1 Main St\nSan Diego, CA 92101\n",
                "text/plain",
            ),
        },
        key="open-1",
    )
    assert opened.status_code == 201, opened.text
    case_id = opened.json()["case"]["id"]
    assert opened.json()["receipt"]["number"] == 1

    # File a motion for the debtor.
    parties = attorney.call("listParties", path={"case_id": case_id}).json()
    debtor = next(p for p in parties if p["role"] == "debtor")
    motion = attorney.call(
        "fileDocument",
        path={"case_id": case_id},
        form={
            "events": ["extime"],
            "party_ids": [str(debtor["id"])],
            "fields": json.dumps({"extend_what": "file schedules"}),
            "acknowledge_warnings": "true",
        },
        files={
            "main": (
                "motion.pdf",
                pdf_bytes(
                    text="MOTION TO EXTEND TIME\nIn re Rosa Delgado\n/s/ Dana M. Whitaker"
                ),
                "application/pdf",
            )
        },
        key="motion-1",
    )
    assert motion.status_code == 201, motion.text
    motion_number = motion.json()["number"]

    # A batch of 25 claims, one of them bad (priority claimed without its basis).
    claims = [claim(i) for i in range(25)]
    claims[7]["priority_cents"] = 500
    batch = creditor.call(
        "fileClaimsBatch",
        path={"case_id": case_id},
        json_body={"claims": claims},
        key="batch-1",
    )
    assert batch.status_code == 200, batch.text
    results = batch.json()["results"]
    assert batch.json()["accepted"] == 24 and batch.json()["refused"] == 1
    assert results[7]["status"] == "refused" and results[7]["reason"]
    assert [r["claim_number"] for r in results if r["status"] == "accepted"] == [
        f"{n}-1" for n in range(1, 25)
    ]

    # Read the docket back, page by page.
    seen, after = [], None
    while True:
        query = {"limit": 10, **({"after": after} if after is not None else {})}
        page = attorney.call(
            "listEntries", path={"case_id": case_id}, query=query
        ).json()
        seen += page["results"]
        after = page["next_after"]
        if after is None:
            break
    numbered = [e for e in seen if e["number"] is not None]
    assert numbered[0]["number"] == 1
    assert any(
        e["number"] == motion_number and "Extend Time" in e["text"] for e in numbered
    )
    assert sum(1 for e in seen if "Claim No." in e["text"]) == 24
    for entry in numbered:
        for document in entry["documents"]:
            assert len(document["sha512"]) == 128
