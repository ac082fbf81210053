"""Writes through the API: filing, opening a case, claims, idempotency, audit."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pdfmaker import pdf_bytes

from cases.models import Case
from core.models import AuditEvent
from dockets.api.models import ApiIdempotency
from dockets.claims.models import Claim
from dockets.models import DocketEntry

pytestmark = pytest.mark.django_db


def motion_form(case, **extra):
    debtor = case.parties.get(role="debtor")
    data = {
        "events": ["extime"],
        "party_ids": [str(debtor.pk)],
        "fields": json.dumps({"extend_what": "file schedules"}),
        "acknowledge_warnings": "true",
    }
    data.update(extra)
    return data


def pdf(
    name="motion.pdf",
    text="MOTION TO EXTEND TIME\nIn re Ana Ruiz\n/s/ Dana M. Whitaker",
):
    return SimpleUploadedFile(
        name, pdf_bytes(text=text), content_type="application/pdf"
    )


def test_attorney_files_a_motion_and_gets_the_receipt(
    client, demo, opened_case, bearer
):
    """A motion filed through the API is docketed as entry 2 with the wizard's text,
    and the entry's one audit event names the token; no draft is left behind."""
    from dockets.filing.models import Draft

    headers = bearer(demo.users["attorney"])
    response = client.post(
        f"/api/v1/cases/{opened_case.pk}/filings",
        data={**motion_form(opened_case), "main": pdf()},
        headers=headers,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"] == 2
    assert body["text"].startswith("Motion to Extend Time to file schedules")
    assert len(body["documents"]) == 1 and len(body["documents"][0]["sha512"]) == 128
    entry = DocketEntry.objects.get(pk=body["entry_id"])
    audit = AuditEvent.objects.get(action="dockets.entry.filed", target_id=entry.pk)
    assert audit.after["token_id"] and audit.note.startswith("API token ")
    assert audit.after["number"] == 2
    assert not AuditEvent.objects.filter(action__startswith="dockets.draft").exists()
    assert not Draft.objects.exists()


def test_api_filing_adds_one_link_to_the_case_audit_chain(
    client, demo, opened_case, bearer
):
    """One API filing is one audit event on the case's chain (no draft or second API
    event), and the chain still verifies: the event is the entry's, naming the token."""
    from core.audit import verify_chain
    from core.models import AuditChain

    chain = f"case:{opened_case.pk}"
    before = AuditEvent.objects.filter(chain_key=chain).count()
    response = client.post(
        f"/api/v1/cases/{opened_case.pk}/filings",
        data={**motion_form(opened_case), "main": pdf()},
        headers=bearer(demo.users["attorney"]),
    )
    assert response.status_code == 201, response.content
    events = AuditEvent.objects.filter(chain_key=chain).order_by("sequence")
    assert events.count() == before + 1
    last = events.last()
    assert last is not None
    assert last.action == "dockets.entry.filed" and last.after["token_id"]
    head = AuditChain.objects.get(key=chain)
    assert head.length == last.sequence and head.last_hash == last.hash
    assert verify_chain() == []


def test_filing_needs_a_token_with_the_file_scope(client, demo, opened_case, bearer):
    """No token: 401. A read-only token: 403. Nothing is docketed either way."""
    url = f"/api/v1/cases/{opened_case.pk}/filings"
    response = client.post(url, data={**motion_form(opened_case), "main": pdf()})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
    response = client.post(
        url,
        data={**motion_form(opened_case), "main": pdf()},
        headers=bearer(demo.users["attorney"], scopes=["read"]),
    )
    assert response.status_code == 403
    assert "'file' scope" in response.json()["error"]["message"]
    assert opened_case.entries.count() == 1


def test_refused_pdf_changes_nothing(client, demo, opened_case, bearer):
    """A file that is not a PDF gets a plain reason (422) and no entry or draft is left."""
    from dockets.filing.models import Draft

    bad = SimpleUploadedFile(
        "motion.pdf", b"this is not a pdf at all", content_type="application/pdf"
    )
    response = client.post(
        f"/api/v1/cases/{opened_case.pk}/filings",
        data={**motion_form(opened_case), "main": bad},
        headers=bearer(demo.users["attorney"]),
    )
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["code"] == "refused" and "motion.pdf" in error["message"]
    assert opened_case.entries.count() == 1
    assert not Draft.objects.exists()


def test_creditor_cannot_file_an_attorney_motion(client, demo, opened_case, bearer):
    """The catalogue's role rules apply: a creditor is refused with the wizard's reason."""
    response = client.post(
        f"/api/v1/cases/{opened_case.pk}/filings",
        data={**motion_form(opened_case), "main": pdf()},
        headers=bearer(demo.users["creditor"]),
    )
    assert response.status_code in (403, 422)
    assert "can be filed only by" in response.json()["error"]["message"]
    assert opened_case.entries.count() == 1


def test_missing_event_field_is_refused_in_plain_words(
    client, demo, opened_case, bearer
):
    response = client.post(
        f"/api/v1/cases/{opened_case.pk}/filings",
        data={**motion_form(opened_case, fields="{}"), "main": pdf()},
        headers=bearer(demo.users["attorney"]),
    )
    assert response.status_code == 422
    assert "Extend time to" in response.json()["error"]["message"]


def test_retry_with_the_same_idempotency_key_files_once(
    client, demo, opened_case, make_token
):
    """A client that retries after a timeout gets the first receipt; the docket has one entry.
    The same key with a different request is refused."""
    headers = {
        "Authorization": f"Bearer {make_token(demo.users['attorney'])}",
        "Idempotency-Key": "retry-1",
    }
    url = f"/api/v1/cases/{opened_case.pk}/filings"
    first = client.post(
        url, data={**motion_form(opened_case), "main": pdf()}, headers=headers
    )
    second = client.post(
        url, data={**motion_form(opened_case), "main": pdf()}, headers=headers
    )
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert opened_case.entries.count() == 2
    other = client.post(
        url,
        data={
            **motion_form(opened_case, fields=json.dumps({"extend_what": "object"})),
            "main": pdf(),
        },
        headers=headers,
    )
    assert other.status_code == 422
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    assert opened_case.entries.count() == 2
    assert ApiIdempotency.objects.count() == 1


def test_open_case_with_petition_and_matrix(client, demo, bearer):
    """Petition software opens a case: entry 1 is the petition, the matrix adds creditors."""
    debtors = [
        {
            "name": "Maria Lopez",
            "address_lines": ["4 Oak Ave"],
            "city": "San Diego",
            "state": "CA",
            "zip_code": "92101",
            "county": "San Diego",
            "tax_id": "512-34-9876",
        }
    ]
    matrix = b"First Bank\n1 Main St\nSan Diego, CA 92101\n\nCity Credit Union\n2 Market St\nSan Diego, CA 92102\n"
    response = client.post(
        "/api/v1/cases",
        data={
            "office": "3",
            "chapter": "7",
            "debtors": json.dumps(debtors),
            "petition": SimpleUploadedFile(
                "petition.pdf",
                pdf_bytes(
                    text="VOLUNTARY PETITION\nDebtor: Maria Lopez\n/s/ Dana M. Whitaker"
                ),
            ),
            "matrix": SimpleUploadedFile(
                "matrix.txt", matrix, content_type="text/plain"
            ),
        },
        headers=bearer(demo.users["attorney"]),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["receipt"]["number"] == 1
    assert body["creditors_added"] == 2
    case = Case.objects.get(pk=body["case"]["id"])
    assert case.parties.filter(role="creditor").count() == 2
    assert body["case"]["number"] == case.display_number


def test_open_case_with_bad_matrix_saves_nothing(client, demo, bearer):
    before = Case.objects.count()
    response = client.post(
        "/api/v1/cases",
        data={
            "office": "3",
            "chapter": "7",
            "debtors": json.dumps([{"name": "Maria Lopez", "tax_id": "512-34-9876"}]),
            "petition": SimpleUploadedFile(
                "petition.pdf", pdf_bytes(text="PETITION\nMaria Lopez")
            ),
            "matrix": SimpleUploadedFile("matrix.txt", b"\x00\x01binary"),
        },
        headers=bearer(demo.users["attorney"]),
    )
    assert response.status_code == 422
    assert "matrix" in response.json()["error"]["message"].lower()
    assert Case.objects.count() == before


def claim(name="First Bank", amount=125000, **extra):
    return {
        "creditor_name": name,
        "creditor_address": "1 Main St\nSan Diego, CA 92101",
        "basis": "Money loaned",
        "amount_cents": amount,
        "unsecured_cents": amount,
        **extra,
    }


def test_batch_claims_accepts_good_claims_and_refuses_bad_ones(
    client, demo, opened_case, bearer
):
    """Each claim gets its own result; the refused one leaves no claim and no entry behind."""
    claims = [claim(f"Creditor {i}", 1000 + i) for i in range(4)]
    claims[2] = claim(
        "Bad Creditor", 1000, priority_cents=500
    )  # priority without a basis
    response = client.post(
        f"/api/v1/cases/{opened_case.pk}/claims/batch",
        data={"claims": claims},
        content_type="application/json",
        headers=bearer(demo.users["creditor"]),
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["accepted"], body["refused"]) == (3, 1)
    assert [r["status"] for r in body["results"]] == [
        "accepted",
        "accepted",
        "refused",
        "accepted",
    ]
    assert body["results"][2]["reason"] and body["results"][2]["fields"]
    assert [r["claim_number"] for r in body["results"] if r["claim_number"]] == [
        "1-1",
        "2-1",
        "3-1",
    ]
    assert Claim.objects.filter(case=opened_case).count() == 3
    assert not Claim.objects.filter(creditor_name="Bad Creditor").exists()


def test_batch_of_26_claims_is_refused(client, demo, opened_case, bearer):
    response = client.post(
        f"/api/v1/cases/{opened_case.pk}/claims/batch",
        data={"claims": [claim() for _ in range(26)]},
        content_type="application/json",
        headers=bearer(demo.users["creditor"]),
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"]
    assert not Claim.objects.exists()


def test_single_claim_needs_the_claims_scope(client, demo, opened_case, bearer):
    url = f"/api/v1/cases/{opened_case.pk}/claims"
    refused = client.post(
        url,
        data=claim(),
        content_type="application/json",
        headers=bearer(demo.users["creditor"], scopes=["file"]),
    )
    assert refused.status_code == 403
    response = client.post(
        url,
        data=claim(),
        content_type="application/json",
        headers=bearer(demo.users["creditor"], scopes=["claims"]),
    )
    assert response.status_code == 201, response.content
    assert response.json()["claim_number"] == "1-1"
    assert AuditEvent.objects.filter(action="dockets.api.claim_filed").count() == 1


def test_filing_agent_files_for_the_attorney(client, demo, opened_case, bearer):
    """An agent's filing carries the attorney's name; the agent is recorded as entered_by."""
    response = client.post(
        f"/api/v1/cases/{opened_case.pk}/filings",
        data={**motion_form(opened_case), "main": pdf()},
        headers=bearer(demo.users["agent"]),
    )
    assert response.status_code == 201, response.content
    entry = DocketEntry.objects.get(pk=response.json()["entry_id"])
    assert entry.entered_by == demo.users["agent"]
    assert entry.filer is not None
    assert entry.filer.role == "attorney"


def test_an_unexpected_error_is_a_json_500(client, demo, opened_case, monkeypatch):
    """Even a bug answers in the one error shape, with no details leaked."""
    from dockets.api import reads

    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(reads, "search_cases", broken)
    response = client.get("/api/v1/cases", {"q": "x"})
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "server_error"
    assert "secret" not in response.content.decode()


def test_expired_token_is_refused(client, demo, opened_case, make_token):
    import datetime as dt

    import time_machine

    secret = make_token(demo.users["attorney"], days=1)
    url = f"/api/v1/cases/{opened_case.pk}"
    assert (
        client.get(url, headers={"Authorization": f"Bearer {secret}"}).status_code
        == 200
    )
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=2)):
        response = client.get(url, headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_token"


def test_retry_while_the_first_request_runs_gets_409(
    client, demo, opened_case, make_token
):
    """Two requests with one key at the same moment: the second is told to wait."""
    import hashlib

    from django.core.cache import cache

    from dockets.api.models import ApiToken

    secret = make_token(demo.users["creditor"])
    token = ApiToken.objects.get()
    cache.add(
        f"api-idem:{token.pk}:{hashlib.sha256(b'k-1').hexdigest()}", 1, timeout=60
    )
    response = client.post(
        f"/api/v1/cases/{opened_case.pk}/claims",
        data=claim(),
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}", "Idempotency-Key": "k-1"},
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "in_progress"
    assert not Claim.objects.exists()


def test_open_case_retry_returns_the_same_case(client, demo, make_token):
    headers = {
        "Authorization": f"Bearer {make_token(demo.users['attorney'])}",
        "Idempotency-Key": "open-twice",
    }

    def send():
        return client.post(
            "/api/v1/cases",
            data={
                "office": "3",
                "chapter": "13",
                "debtors": json.dumps([{"name": "Lee Park", "tax_id": "512-34-2222"}]),
                "petition": SimpleUploadedFile(
                    "petition.pdf",
                    pdf_bytes(text="PETITION\nLee Park\n/s/ Dana M. Whitaker"),
                ),
            },
            headers=headers,
        )

    first, second = send(), send()
    assert first.status_code == second.status_code == 201, first.content
    assert first.json()["case"]["id"] == second.json()["case"]["id"]
    assert Case.objects.filter(title="Lee Park").count() == 1
