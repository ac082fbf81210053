"""The cases pages through the test client: open a case, matrix upload, search, summary,
adversary proceedings. The full SSN typed on the open form never appears in any page."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hostile_pdfs import make_not_a_pdf
from pdfmaker import pdf_bytes

from cases.models import Case, Office, Party
from dockets.models import DocketEntry

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).parent / "matrix_corpus"
SSN_1, SSN_2 = "512-34-5678", "523-45-6789"
FULL_SSNS = ("512-34-5678", "512345678", "523-45-6789", "523456789")


def petition_file(name="petition.pdf"):
    data = pdf_bytes(
        text="VOLUNTARY PETITION\nDebtors: Ana Ruiz and Luis Ruiz\n/s/ Dana M. Whitaker"
    )
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def open_form(demo, **changes):
    data = {
        "idempotency_key": "abc123",
        "office": Office.objects.get(court=demo.court, number=3).pk,
        "chapter": "7",
        "kind": "voluntary",
        "debtor_type": "individual",
        "joint": "on",
        "fee_choice": "pay",
        "debtor_name": "Ana Ruiz",
        "debtor_tax_id": SSN_1,
        "debtor_address1": "12 Elm St",
        "debtor_city": "San Diego",
        "debtor_state": "CA",
        "debtor_zip_code": "92101",
        "debtor_county": "San Diego",
        "debtor_aliases": "aka Ana M. Ruiz\ndba Ruiz Tile",
        "joint_name": "Luis Ruiz",
        "joint_tax_id": SSN_2,
        "joint_address1": "12 Elm St",
        "joint_city": "San Diego",
        "joint_state": "CA",
        "joint_zip_code": "92101",
        "petition": petition_file(),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def assert_no_full_ssn(response):
    body = response.content.decode()
    for ssn in FULL_SSNS:
        assert ssn not in body


@pytest.fixture
def attorney_client(client, demo):
    client.force_login(demo.users["attorney"])
    return client


def open_through_view(client, demo, **changes) -> Case:
    response = client.post(reverse("dockets:case-open"), open_form(demo, **changes))
    assert response.status_code == 302, response.content.decode()[:3000]
    return Case.objects.get(pk=int(response.url.rstrip("/").split("/")[-2]))


def test_attorney_opens_joint_chapter_7_case(attorney_client, demo):
    """The receipt shows the case number, judge, trustee and entry 1; SSNs are masked."""
    response = attorney_client.get(reverse("dockets:case-open"))
    assert response.status_code == 200
    case = open_through_view(attorney_client, demo)
    receipt = attorney_client.get(
        reverse("dockets:case-opened", kwargs={"case_id": case.pk})
    )
    body = receipt.content.decode()
    assert case.display_number in body
    assert "Chapter 7 Voluntary Petition for Individuals" in body
    assert "<dt>Docket entry</dt><dd>1</dd>" in body
    assert_no_full_ssn(receipt)
    summary = attorney_client.get(reverse("cases:summary", kwargs={"case_id": case.pk}))
    body = summary.content.decode()
    assert "xxx-xx-5678" in body and "xxx-xx-6789" in body
    assert "aka Ana M. Ruiz" in body and "dba Ruiz Tile" in body
    assert "represented by <strong>Dana M. Whitaker</strong>" in body
    assert "SAN DIEGO-CA" in body
    assert_no_full_ssn(summary)
    search = attorney_client.get(reverse("cases:search"), {"q": "Ruiz"})
    assert case.display_number in search.content.decode()
    assert_no_full_ssn(search)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"debtor_tax_id": "666-12-3456"}, "none start with 000 or 666"),
        ({"debtor_tax_id": "12-3456789"}, "This looks like an EIN"),
        ({"joint_name": "", "joint_tax_id": ""}, "A joint petition has two debtors"),
        ({"chapter": "13", "fee_choice": "waiver"}, "only in a chapter 7 case"),
        (
            {
                "debtor_type": "business",
                "joint": None,
                "joint_name": "",
                "joint_tax_id": "",
                "debtor_tax_id": "33-1234567",
                "fee_choice": "install",
            },
            "Only individual debtors can pay the filing fee in installments",
        ),
        ({"debtor_aliases": "also known as Ana"}, "Line 1 of the aliases"),
        (
            {
                "petition": SimpleUploadedFile(
                    "petition.pdf", b"PK\x03\x04 not a pdf at all", "application/pdf"
                )
            },
            "PDF",
        ),
    ],
)
def test_bad_petition_input_saves_nothing(attorney_client, demo, changes, message):
    """Each bad input is shown in plain words; nothing is saved; the SSN is not echoed."""
    response = attorney_client.post(
        reverse("dockets:case-open"), open_form(demo, **changes)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "Nothing was saved" in response.content.decode()
    assert_no_full_ssn(response)
    assert not Case.objects.exists()
    assert not Party.objects.exists()


def test_word_file_is_refused_by_the_sandbox(attorney_client, demo, tmp_path):
    docx = make_not_a_pdf(tmp_path / "petition.pdf", kind="docx").read_bytes()
    response = attorney_client.post(
        reverse("dockets:case-open"),
        open_form(demo, petition=SimpleUploadedFile("petition.pdf", docx)),
    )
    assert response.status_code == 200
    assert not Case.objects.exists()


def test_double_submit_opens_one_case(attorney_client, demo):
    open_through_view(attorney_client, demo)
    open_through_view(attorney_client, demo)
    assert Case.objects.count() == 1


@pytest.mark.parametrize(
    ("who", "status"),
    [("creditor", 403), ("public", 403), ("trustee", 403), ("agent", 200)],
)
def test_who_may_open_a_case(client, demo, who, status):
    client.force_login(demo.users[who])
    assert client.get(reverse("dockets:case-open")).status_code == status


def test_agent_opens_case_for_attorney(client, demo):
    client.force_login(demo.users["agent"])
    case = open_through_view(client, demo)
    entry = DocketEntry.objects.get(case=case)
    assert entry.filer == demo.users["attorney"]
    assert entry.entered_by == demo.users["agent"]


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("dockets:case-open"))
    assert response.status_code == 302 and "login" in response.url


# -- Matrix --------------------------------------------------------------------------


def upload(client, case, name_or_bytes):
    data = (
        name_or_bytes
        if isinstance(name_or_bytes, bytes)
        else (CORPUS / name_or_bytes).read_bytes()
    )
    return client.post(
        reverse("dockets:matrix-upload", kwargs={"case_id": case.pk}),
        {"matrix": SimpleUploadedFile("matrix.txt", data, "text/plain")},
    )


def test_matrix_upload_previews_then_saves(attorney_client, demo):
    case = open_through_view(attorney_client, demo)
    response = upload(attorney_client, case, "good_basic.txt")
    body = response.content.decode()
    assert "Total creditors read: 5" in body
    assert not case.parties.filter(
        role=Party.Role.CREDITOR
    ).exists()  # nothing saved yet
    content = response.context["confirm"].initial["content"]
    response = attorney_client.post(
        reverse("dockets:matrix-upload", kwargs={"case_id": case.pk}),
        {"content": content},
    )
    assert response.status_code == 302
    assert case.parties.filter(role=Party.Role.CREDITOR, from_matrix=True).count() == 5
    summary = attorney_client.get(response.url)
    assert "5 creditors added" in summary.content.decode()
    assert "<dt>Creditors</dt><dd>5</dd>" in summary.content.decode()
    entry = DocketEntry.objects.get(case=case, event__code="crmtx")
    assert entry.number == 2
    assert (
        "Creditor Matrix. Filed by Dana M. Whitaker on behalf of Ana Ruiz, Luis Ruiz."
        in entry.text
    )
    assert "Number of creditors: 5." in entry.text
    # The same file again adds nothing: every creditor is already on the case.
    response = upload(attorney_client, case, "good_basic.txt")
    assert (
        "0 new creditors will be added; 5 already on the case will be skipped"
        in response.content.decode()
    )


def test_amended_matrix_adds_new_creditors_with_fee(attorney_client, demo):
    """An amended matrix adds only the new creditors, docketed with the amendment fee."""
    import base64

    from dockets.models import Payment

    case = open_through_view(attorney_client, demo)
    url = reverse("dockets:matrix-upload", kwargs={"case_id": case.pk})
    first = (CORPUS / "good_basic.txt").read_bytes()
    attorney_client.post(url, {"content": base64.b64encode(first).decode()})
    amended = first + b"\nNew Lender LLC\n9 Main St\nReno, NV 89501\n"
    response = upload(attorney_client, case, amended)
    assert (
        "1 new creditor will be added; 5 already on the case will be skipped"
        in response.content.decode()
    )
    response = attorney_client.post(
        url, {"content": base64.b64encode(amended).decode()}
    )
    assert response.status_code == 302
    assert case.parties.filter(from_matrix=True).count() == 6
    entry = DocketEntry.objects.get(case=case, event__code="amdmtx")
    assert entry.number == 3
    assert "Creditors added: 1." in entry.text and "Fee Amount $34" in entry.text
    assert Payment.objects.get(entry=entry).amount_cents == 3400
    # Nothing new: nothing docketed.
    attorney_client.post(url, {"content": base64.b64encode(amended).decode()})
    assert DocketEntry.objects.filter(case=case).count() == 3


def test_matrix_duplicates_are_reported(attorney_client, demo):
    case = open_through_view(attorney_client, demo)
    body = upload(attorney_client, case, "good_duplicates.txt").content.decode()
    assert "Listed twice (kept once): 3" in body
    assert "The creditor at line 9 repeats the one at line 1" in body


@pytest.mark.parametrize(
    ("name", "lines", "words"),
    [
        ("bad_zip.txt", (3, 7, 11, 15), "is not a ZIP code"),
        ("bad_tab.txt", (2, 5), "has a tab"),
        ("bad_pdf.txt", (), "not a plain-text creditor matrix"),
        ("bad_empty.txt", (), ""),
    ],
)
def test_bad_matrix_shows_every_line_and_saves_nothing(
    attorney_client, demo, name, lines, words
):
    case = open_through_view(attorney_client, demo)
    response = upload(attorney_client, case, name)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was saved" in body or "empty" in body.lower()
    assert words in body
    for line in lines:
        assert f"<tr><td>{line}</td>" in body
    assert "confirm" not in response.context or response.context.get("confirm") is None
    assert not case.parties.filter(role=Party.Role.CREDITOR).exists()


def test_matrix_that_lists_the_debtor_is_refused(attorney_client, demo):
    case = open_through_view(attorney_client, demo)
    body = upload(
        attorney_client, case, b"Ana Ruiz\n12 Elm St\nSan Diego, CA 92101\n"
    ).content.decode()
    assert "Nothing was saved" in body
    assert not case.parties.filter(role=Party.Role.CREDITOR).exists()


def test_forged_confirm_is_checked_again(attorney_client, demo):
    import base64

    case = open_through_view(attorney_client, demo)
    forged = base64.b64encode(b"Bad Co\n\tPO Box 1\nReno, NV 89501\n").decode()
    response = attorney_client.post(
        reverse("dockets:matrix-upload", kwargs={"case_id": case.pk}),
        {"content": forged},
    )
    assert response.status_code == 200
    assert "Nothing was saved" in response.content.decode()
    assert not case.parties.filter(role=Party.Role.CREDITOR).exists()


def test_other_attorney_cannot_upload_matrix(attorney_client, client, demo):
    case = open_through_view(attorney_client, demo)
    client.force_login(demo.users["attorney2"])
    assert (
        client.get(
            reverse("dockets:matrix-upload", kwargs={"case_id": case.pk})
        ).status_code
        == 404
    )
    assert upload(client, case, "good_basic.txt").status_code == 404


# -- Search and summary -------------------------------------------------------------


def test_search_by_number_in_any_format_and_not_found(attorney_client, client, demo):
    case = open_through_view(attorney_client, demo)
    for q in (
        case.long_number,
        case.display_number,
        f"{case.year % 100}-{case.number}",
    ):
        response = client.get(reverse("cases:search"), {"q": q})
        assert case.title in response.content.decode(), q
    response = client.get(reverse("cases:search"), {"q": "3:19-bk-04444"})
    assert "No case has the number 3:19-bk-04444" in response.content.decode()
    response = client.get(reverse("cases:search"), {"q": "Ruiz", "chapter": "13"})
    assert "No cases match" in response.content.decode()
    response = client.get(
        reverse("cases:search"), {"filed_from": "2026-02-01", "filed_to": "2026-01-01"}
    )
    assert "The end date is before the start date." in response.content.decode()


def test_search_and_summary_query_budgets(
    attorney_client, client, demo, django_assert_max_num_queries
):
    for i in range(12):
        open_through_view(
            attorney_client, demo, idempotency_key=f"k{i}", petition=petition_file()
        )
    with django_assert_max_num_queries(6):
        response = client.get(reverse("cases:search"), {"q": "Ruiz"})
    assert response.content.decode().count("Ana Ruiz and Luis Ruiz") == 12
    case = Case.objects.first()
    assert case is not None
    with django_assert_max_num_queries(14):
        client.get(reverse("cases:summary", kwargs={"case_id": case.pk}))


def test_summary_of_missing_case_is_404(client):
    assert (
        client.get(reverse("cases:summary", kwargs={"case_id": 999999})).status_code
        == 404
    )


# -- Adversary ----------------------------------------------------------------------


def test_adversary_opened_through_view_and_listed_on_lead(
    attorney_client, client, demo
):
    lead = open_through_view(attorney_client, demo)
    client.force_login(demo.users["attorney2"])
    response = client.post(
        reverse("dockets:adversary-open", kwargs={"case_id": lead.pk}),
        {
            "idempotency_key": "ap1",
            "plaintiffs": "Coastal Federal Credit Union",
            "defendants": "Ana Ruiz\nLuis Ruiz",
            "nature_of_suit": "62",
            "nature_of_suit_2": "",
            "demand_thousands": "45",
            "fee_exemption": "",
            "complaint": petition_file("complaint.pdf"),
        },
    )
    assert response.status_code == 302
    ap = Case.objects.get(case_type="ap")
    assert ap.title == "Coastal Federal Credit Union v. Ana Ruiz et al."
    body = client.get(
        reverse("cases:summary", kwargs={"case_id": lead.pk})
    ).content.decode()
    assert "Associated cases" in body and ap.display_number in body
    body = client.get(
        reverse("cases:summary", kwargs={"case_id": ap.pk})
    ).content.decode()
    assert "Lead BK Case" in body and "Plaintiff" in body and "Defendant" in body


def test_adversary_without_nature_of_suit_is_refused(attorney_client, demo):
    lead = open_through_view(attorney_client, demo)
    response = attorney_client.post(
        reverse("dockets:adversary-open", kwargs={"case_id": lead.pk}),
        {
            "idempotency_key": "ap2",
            "plaintiffs": "X",
            "defendants": "Y",
            "nature_of_suit": "",
            "complaint": petition_file("complaint.pdf"),
        },
    )
    assert response.status_code == 200
    assert not Case.objects.filter(case_type="ap").exists()


def test_fee_due_is_payable_from_the_receipt(attorney_client, demo):
    """Pay now: the petition's fee is a payment due, linked from the receipt."""
    from dockets.models import Payment

    case = open_through_view(attorney_client, demo)
    payment = Payment.objects.get(entry__case=case)
    assert payment.amount_cents == 33800 and payment.payer == demo.users["attorney"]
    body = attorney_client.get(
        reverse("dockets:case-opened", kwargs={"case_id": case.pk})
    ).content.decode()
    assert "Pay the filing fee now" in body
    assert reverse("dockets:fee-pay", kwargs={"payment_id": payment.pk}) in body


def test_installments_owe_nothing_now(attorney_client, demo):
    from dockets.models import Payment

    case = open_through_view(attorney_client, demo, fee_choice="install")
    assert not Payment.objects.filter(entry__case=case).exists()
    body = attorney_client.get(
        reverse("cases:summary", kwargs={"case_id": case.pk})
    ).content.decode()
    assert "Filing fee installments due" in body


def test_summary_queries_do_not_grow_with_parties(
    attorney_client, client, demo, django_assert_max_num_queries
):
    from cases.services import associate_attorney

    case = open_through_view(attorney_client, demo)
    for i in range(15):
        creditor = Party.objects.create(
            case=case, role=Party.Role.CREDITOR, name=f"Creditor {i}"
        )
        associate_attorney(case=case, party=creditor, attorney=demo.users["attorney2"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("cases:summary", kwargs={"case_id": case.pk}))
    assert response.content.decode().count("represented by") == 17


def test_demo_cases_summaries_and_search_mask_every_ssn(client, db, settings):
    """Every seeded debtor's page shows only the last four digits of the SSN or EIN."""
    from factories import seed_everything

    from core.crypto import decrypt

    settings.ECF_DEMO = True
    seed_everything()
    full_numbers = [
        decrypt(p.tax_id_encrypted) for p in Party.objects.exclude(tax_id_encrypted="")
    ]
    assert full_numbers
    pages = [client.get(reverse("cases:search"), {"q": "Gonzalez"})]
    pages += [
        client.get(reverse("cases:summary", kwargs={"case_id": pk}))
        for pk in Case.objects.values_list("pk", flat=True)
    ]
    assert "Maria L. Gonzalez and Robert A. Gonzalez" in pages[0].content.decode()
    for page in pages:
        assert page.status_code == 200
        body = page.content.decode()
        for digits in full_numbers:
            assert digits not in body
            assert f"{digits[:3]}-{digits[3:5]}-{digits[5:]}" not in body
            assert f"{digits[:2]}-{digits[2:]}" not in body


def test_involuntary_petition_through_the_view(attorney_client, demo):
    case = open_through_view(
        attorney_client,
        demo,
        kind="involuntary",
        debtor_type="business",
        joint=None,
        joint_name="",
        joint_tax_id="",
        debtor_name="Harbor Freight Lines, Inc.",
        debtor_tax_id="",
        debtor_aliases="",
        petitioning_creditors="Acme Supply Co.\nBeta Metals LLC",
    )
    assert not case.voluntary
    assert set(
        case.parties.filter(role="petitioning").values_list("name", flat=True)
    ) == {
        "Acme Supply Co.",
        "Beta Metals LLC",
    }
    body = attorney_client.get(
        reverse("cases:summary", kwargs={"case_id": case.pk})
    ).content.decode()
    assert "Involuntary" in body and "Petitioning Creditor" in body


def test_involuntary_without_creditors_is_refused(attorney_client, demo):
    response = attorney_client.post(
        reverse("dockets:case-open"),
        open_form(
            demo,
            kind="involuntary",
            joint=None,
            joint_name="",
            joint_tax_id="",
            petitioning_creditors="",
        ),
    )
    assert "List at least one petitioning creditor." in response.content.decode()
    assert not Case.objects.exists()


def test_chapter_15_through_the_view(attorney_client, demo):
    case = open_through_view(
        attorney_client,
        demo,
        chapter="15",
        debtor_type="business",
        joint=None,
        joint_name="",
        joint_tax_id="",
        debtor_name="Nordhavn Shipping A/S",
        debtor_tax_id="",
        debtor_aliases="",
        foreign_representative="Kirsten Holm",
        foreign_proceeding="Danish bankruptcy of Nordhavn Shipping A/S",
    )
    assert case.chapter == "15"
    assert (
        case.parties.get(name="Kirsten Holm").role == Party.Role.FOREIGN_REPRESENTATIVE
    )


def test_clerk_may_load_matrix_without_fee(client, attorney_client, demo):
    import base64

    case = open_through_view(attorney_client, demo)
    client.force_login(demo.users["clerk"])
    url = reverse("dockets:matrix-upload", kwargs={"case_id": case.pk})
    data = (CORPUS / "good_basic.txt").read_bytes()
    response = client.post(url, {"content": base64.b64encode(data).decode()})
    assert response.status_code == 302
    entry = DocketEntry.objects.get(case=case, event__code="crmtx")
    assert entry.filer == demo.users["clerk"] and entry.fee_cents == 0


def test_unknown_state_code_is_refused(attorney_client, demo):
    response = attorney_client.post(
        reverse("dockets:case-open"), open_form(demo, debtor_state="XX")
    )
    assert (
        "Enter the two-letter state code, for example CA." in response.content.decode()
    )
    assert not Case.objects.exists()


def test_open_form_shows_fees_per_chapter(attorney_client):
    body = attorney_client.get(reverse("dockets:case-open")).content.decode()
    assert "chapter 7 $338" in body and "chapter 13 $313" in body


def test_training_search_shows_only_own_practice_cases(
    attorney_client, client, demo, settings
):
    """On the training instance a trainee finds only their own practice cases."""
    settings.ECF_IS_TRAINING = True
    case = open_through_view(attorney_client, demo)
    assert case.practice_owner == demo.users["attorney"]
    found = attorney_client.get(reverse("cases:search"), {"q": "Ruiz"}).content.decode()
    assert case.display_number in found
    client.force_login(demo.users["attorney2"])
    other = client.get(reverse("cases:search"), {"q": "Ruiz"}).content.decode()
    assert "No cases match" in other
    assert (
        client.get(reverse("cases:summary", kwargs={"case_id": case.pk})).status_code
        == 404
    )


def test_clerk_adds_and_terminates_parties(attorney_client, client, demo):
    case = open_through_view(attorney_client, demo)
    client.force_login(demo.users["clerk"])
    url = reverse("cases:parties", kwargs={"case_id": case.pk})
    response = client.post(
        url,
        {
            "role": "committee",
            "name": "Official Committee of Unsecured Creditors",
            "is_entity": "on",
            "state": "ZZ",
        },
    )
    assert "Enter the two-letter state code" in response.content.decode()
    assert not case.parties.filter(role="committee").exists()
    response = client.post(
        url,
        {
            "role": "committee",
            "name": "Official Committee of Unsecured Creditors",
            "is_entity": "on",
        },
    )
    assert response.status_code == 302
    committee = case.parties.get(role="committee")
    body = client.get(
        reverse("cases:summary", kwargs={"case_id": case.pk})
    ).content.decode()
    assert (
        "Creditor Committee" in body
        and "Official Committee of Unsecured Creditors" in body
    )
    client.post(
        reverse(
            "cases:party-terminate",
            kwargs={"case_id": case.pk, "party_id": committee.pk},
        )
    )
    committee.refresh_from_db()
    assert committee.terminated_on is not None
    body = client.get(
        reverse("cases:summary", kwargs={"case_id": case.pk})
    ).content.decode()
    assert "(Terminated:" in body


@pytest.mark.parametrize("who", ["attorney", "public"])
def test_only_court_users_manage_parties(client, attorney_client, demo, who):
    case = open_through_view(attorney_client, demo)
    party = case.parties.first()
    assert party is not None
    client.force_login(demo.users[who])
    assert (
        client.get(reverse("cases:parties", kwargs={"case_id": case.pk})).status_code
        == 404
    )
    url = reverse(
        "cases:party-terminate", kwargs={"case_id": case.pk, "party_id": party.pk}
    )
    assert client.post(url).status_code == 404
    party.refresh_from_db()
    assert party.terminated_on is None


def test_a_form_error_keeps_the_petition(attorney_client, demo):
    """A missing debtor name comes back with the petition kept; the fixed form opens the case
    without choosing the file again (no page re-asks for a file it accepted)."""
    import re

    response = attorney_client.post(
        reverse("dockets:case-open"), open_form(demo, debtor_name="")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "kept: petition.pdf, 1 page" in html
    (token,) = re.findall(r'<input type="hidden" name="kept" value="([^"]+)"', html)
    case = open_through_view(attorney_client, demo, petition=None, kept=token)
    entry = case.entries.get(number=1)
    assert entry.documents.get().original_filename == "petition.pdf"
