"""Filing, amending, withdrawing, transferring and correcting claims (dockets.claims.services)."""

import datetime as dt
import io

import pytest
from claimkit import (
    case_fixture,  # noqa: F401 (the `case` fixture)
    claim_data,
    make_case,
)
from django.db import DatabaseError, transaction
from pypdf import PdfReader

from cases.models import Case, Deadline
from core import clock
from core.errors import NotAllowed, UserFacingError
from core.models import AuditEvent
from dockets.claims import claim_events, corrections, services
from dockets.claims.models import Claim, ClaimActivity, ClaimTotals, ClaimVersion
from dockets.claims.selectors import aggregate_totals, case_totals
from dockets.models import DocketEntry

pytestmark = pytest.mark.django_db


def test_first_claim_is_1_1_with_a_generated_form_410(case, users):
    """A creditor's first claim is numbered 1-1 and filed with Official Form 410 made from the data."""
    version = services.file_claim(case=case, data=claim_data(), filer=users["creditor"])
    claim = version.claim
    assert (claim.number, claim.version, version.version) == (1, 1, 1)
    assert Case.objects.get(pk=case.pk).last_claim_number == 1
    entry = version.entry
    assert entry is not None
    assert entry.number is None, "claims are not numbered docket entries"
    assert entry.event.code == "claim"
    assert entry.text.startswith(
        "Claim #1 filed by Coastal Federal Credit Union, Amount claimed: $32,611.40"
    )
    form = entry.documents.get(sequence=0)
    with form.original.open("rb") as fh:
        reader = PdfReader(io.BytesIO(fh.read()))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Official Form 410" in text
    assert "Coastal Federal Credit Union" in text
    assert "$32,611.40" in text
    assert reader.root_object["/Lang"] == "en"
    assert reader.metadata is not None and reader.metadata.title is not None
    assert "Proof of Claim" in reader.metadata.title
    history = list(claim.activities.values_list("label", "text"))
    assert history == [
        (
            "1-1",
            "Claim #1 filed by Coastal Federal Credit Union, Amount claimed: $32,611.40",
        )
    ]
    assert (
        AuditEvent.objects.filter(action="dockets.claim.filed", case_id=case.pk).count()
        == 1
    )


def test_claims_are_numbered_in_order_per_case(case, demo, users):
    """Each case has its own claim numbers: 1, 2, 3 here and 1 in another case."""
    numbers = [
        services.file_claim(
            case=case, data=claim_data(), filer=users["creditor"]
        ).claim.number
        for _ in range(3)
    ]
    other = make_case(demo, title="James T. Whitfield")
    assert numbers == [1, 2, 3]
    assert (
        services.file_claim(case=other, data=claim_data(), epoc=True).claim.number == 1
    )


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"unsecured_cents": 2_261_139}, "amount", "do not add up"),
        (
            {"amount_cents": -5, "unsecured_cents": -1_000_005},
            "amount",
            "cannot be negative",
        ),
        (
            {
                "amount_cents": 10_000_000_000_001,
                "unsecured_cents": 10_000_000_000_001 - 1_000_000,
            },
            "amount",
            "more than $100,000,000,000",
        ),
        (
            {"amount_cents": 0, "secured_cents": 0, "unsecured_cents": 0},
            "amount",
            "more than $0",
        ),
        ({"basis": "Loan, borrower SSN 512-34-5678"}, "basis", "9037"),
        (
            {"creditor_address": "Acct 4111 1111 1111 1111\nP.O. Box 9000"},
            "creditor_address",
            "last 4 digits",
        ),
        ({"account_last4": "123456789"}, "account_last4", "last 4 digits"),
        (
            {"priority_cents": 100, "unsecured_cents": 2_261_040, "priority_basis": ""},
            "priority_basis",
            "priority",
        ),
    ],
)
def test_bad_claims_are_refused_and_nothing_is_saved(
    case, users, overrides, field, words
):
    """Amounts that don't add up to the cent, negative or absurd amounts, and unredacted numbers are refused."""
    with pytest.raises(UserFacingError) as refused:
        services.file_claim(
            case=case, data=claim_data(**overrides), filer=users["creditor"]
        )
    assert refused.value.field == field
    assert words in refused.value.message
    assert not Claim.objects.exists()
    assert not DocketEntry.objects.filter(case=case).exists()
    assert Case.objects.get(pk=case.pk).last_claim_number == 0


def test_phone_numbers_zip_codes_and_masked_accounts_are_not_taken_for_account_numbers(
    case,
):
    """A notice address with ZIP+4, a formatted phone and a masked account number is accepted."""
    data = claim_data(
        creditor_address="Acct XXXX-XXXX-1234\nP.O. Box 9000\nSan Diego, CA 92169-1234\n(619) 555-0100"
    )
    assert services.file_claim(case=case, data=data, epoc=True).claim.number == 1


def test_claim_in_closed_case_is_refused(case, users):
    """A closed case takes no claims; the filer is told why."""
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED)
    case.refresh_from_db()
    with pytest.raises(UserFacingError, match="closed"):
        services.file_claim(case=case, data=claim_data(), filer=users["creditor"])
    assert not Claim.objects.exists()


def test_same_submission_twice_files_once(case):
    """An idempotency key repeated (a double-clicked ePOC submit) returns the first claim."""
    first = services.file_claim(
        case=case, data=claim_data(), epoc=True, idempotency_key="epoc:abc"
    )
    second = services.file_claim(
        case=case, data=claim_data(), epoc=True, idempotency_key="epoc:abc"
    )
    assert second.pk == first.pk
    assert Claim.objects.count() == 1
    assert ClaimVersion.objects.count() == 1
    assert case_totals(case)["count"] == 1


def test_amendment_creates_version_2_linked_to_the_claim(case, users):
    """Amending claim 1-1 files 1-2: the register shows the new amounts, both versions stay filed."""
    first = services.file_claim(case=case, data=claim_data(), filer=users["creditor"])
    amended = services.amend_claim(
        claim=first.claim,
        filer=users["creditor"],
        data=claim_data(
            amount_cents=3_000_000, secured_cents=1_000_000, unsecured_cents=2_000_000
        ),
    )
    claim = Claim.objects.get(pk=first.claim_id)
    assert amended.claim_id == first.claim_id
    assert (claim.number, claim.version, claim.label) == (1, 2, "1-2")
    assert claim.status == Claim.Status.AMENDED
    assert claim.amount_cents == 3_000_000
    assert list(claim.versions.values_list("version", "amount_cents")) == [
        (1, 3_261_140),
        (2, 3_000_000),
    ]
    assert amended.entry is not None
    assert amended.entry.event.code == "amdclm"
    assert Case.objects.get(pk=case.pk).last_claim_number == 1, (
        "an amendment takes no new claim number"
    )
    assert list(claim.activities.values_list("label", flat=True)) == ["1-1", "1-2"]
    latest = claim.activities.last()
    assert latest is not None
    assert "Amended Claim #1 filed by" in latest.text
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        ClaimVersion.objects.filter(pk=first.pk).update(amount_cents=1)
    assert case_totals(case)["amount_cents"] == 3_000_000


def test_withdrawal_is_a_docket_event_and_leaves_the_totals(case, users):
    """Withdrawing a claim dockets a numbered entry and the claim no longer counts in the totals."""
    kept = services.file_claim(
        case=case, data=claim_data(), filer=users["creditor"]
    ).claim
    gone = services.file_claim(
        case=case, data=claim_data(creditor_name="Capital One"), filer=users["creditor"]
    ).claim
    entry = claim_events.withdraw_claim(claim=gone, filer=users["creditor"])
    gone.refresh_from_db()
    assert entry.number is not None and entry.event.code == "wdclm"
    assert "Withdrawal of Claim: 2-1" in entry.text
    assert gone.status == Claim.Status.WITHDRAWN
    totals = case_totals(case)
    assert totals["count"] == 1 and totals["amount_cents"] == kept.amount_cents
    with pytest.raises(UserFacingError, match="already withdrawn"):
        claim_events.withdraw_claim(claim=gone, filer=users["creditor"])


def _evidence(tmp_path):
    from pdfmaker import make_pdf

    from dockets.services import UploadedDocument

    path = make_pdf(tmp_path / "form2100a.pdf", text="Form 2100A Transfer of Claim")
    return UploadedDocument.from_path(path, filename="form2100a.pdf", page_count=1)


def test_transfer_waits_for_the_objection_period_before_the_holder_changes(
    case, users, tmp_path
):
    """A transfer (FRBP 3001(e)(2)) is docketed with transferor and transferee and the
    transferor is told; the register's holder changes only after 21 days without
    objection."""
    from core.models import InboxMessage

    claim = services.file_claim(
        case=case, data=claim_data(), filer=users["creditor"]
    ).claim
    entry = claim_events.transfer_claim(
        claim=claim,
        filer=users["attorney2"],
        transferee_name="Jefferson Capital Systems LLC",
        transferee_address="P.O. Box 7999\nSaint Cloud, MN 56302",
        document=_evidence(tmp_path),
    )
    claim.refresh_from_db()
    assert entry.number is not None
    assert (
        "Transferor: Coastal Federal Credit Union To Jefferson Capital Systems LLC"
        in entry.text
    )
    assert entry.fee_cents == 2600
    assert claim.holder == "Coastal Federal Credit Union"
    assert claim.status == Claim.Status.FILED
    assert InboxMessage.objects.filter(
        to_email=users["creditor"].email, subject__contains="Transfer of your claim"
    ).exists()
    transfer = claim.transfers.get()
    assert claim_events.complete_due_transfers(today=transfer.objection_deadline) == 0
    assert (
        claim_events.complete_due_transfers(
            today=transfer.objection_deadline + dt.timedelta(days=1)
        )
        == 1
    )
    claim.refresh_from_db()
    assert claim.holder == "Jefferson Capital Systems LLC"
    assert claim.status == Claim.Status.TRANSFERRED
    assert claim.activities.filter(
        kind=ClaimActivity.Kind.TRANSFERRED, entry=entry
    ).exists()


def test_an_objection_keeps_the_holder_and_a_court_order_substitutes_at_once(
    case, users, tmp_path
):
    claim = services.file_claim(
        case=case, data=claim_data(), filer=users["creditor"]
    ).claim
    with pytest.raises(UserFacingError, match="evidence of transfer"):
        claim_events.transfer_claim(
            claim=claim,
            filer=users["attorney2"],
            transferee_name="No Evidence LLC",
            transferee_address="",
            document=None,
        )
    claim_events.transfer_claim(
        claim=claim,
        filer=users["attorney2"],
        transferee_name="Objected LLC",
        transferee_address="",
        document=_evidence(tmp_path),
    )
    transfer = claim.transfers.get()
    claim_events.decide_transfer(
        transfer=transfer, clerk=users["clerk"], outcome="objection"
    )
    claim_events.complete_due_transfers(
        today=transfer.objection_deadline + dt.timedelta(days=5)
    )
    claim.refresh_from_db()
    assert claim.holder == "Coastal Federal Credit Union"
    claim_events.transfer_claim(
        claim=claim,
        filer=users["attorney2"],
        transferee_name="Ordered LLC",
        transferee_address="",
        document=_evidence(tmp_path),
    )
    ordered = claim.transfers.get(transferee_name="Ordered LLC")
    with pytest.raises(NotAllowed):
        claim_events.decide_transfer(
            transfer=ordered, clerk=users["attorney"], outcome="order"
        )
    claim_events.decide_transfer(
        transfer=ordered, clerk=users["clerk"], outcome="order"
    )
    claim.refresh_from_db()
    assert claim.holder == "Ordered LLC"


def test_rule_3002_1_notice_is_filed_against_the_claim_in_chapter_13_only(
    demo, case, users
):
    """A mortgage payment change notice attaches to its claim in a chapter 13 case, and is refused in chapter 7."""
    ch13 = make_case(demo, chapter="13", title="James T. Whitfield")
    claim = services.file_claim(
        case=ch13, data=claim_data(), filer=users["creditor"]
    ).claim
    entry = claim_events.file_claim_supplement(
        claim=claim,
        filer=users["creditor"],
        code="mtgchg",
        document=None,
        fields={"new_payment": "$1,912.44", "effective_date": "01/01/2027"},
    )
    assert "New payment $1,912.44 effective 01/01/2027" in entry.text
    assert claim.activities.filter(
        kind=ClaimActivity.Kind.SUPPLEMENT, entry=entry
    ).exists()
    ch7_claim = services.file_claim(
        case=case, data=claim_data(), filer=users["creditor"]
    ).claim
    with pytest.raises(UserFacingError, match="chapter 13"):
        claim_events.file_claim_supplement(
            claim=ch7_claim,
            filer=users["creditor"],
            code="mtgchg",
            document=None,
            fields={"new_payment": "$1", "effective_date": "01/01/2027"},
        )


def test_clerk_correction_shows_in_history_and_totals(case, users):
    """The clerk corrects the amount with a remark; history, remarks, audit and totals follow."""
    claim = services.file_claim(
        case=case, data=claim_data(), filer=users["creditor"]
    ).claim
    corrections.correct_claim(
        claim=claim,
        clerk=users["clerk"],
        remark="Amount keyed wrongly; per Form 410 page 1",
        changes={
            "amount_cents": 3_261_100,
            "unsecured_cents": 2_261_100,
            "allowed_unsecured_cents": 2_000_000,
        },
    )
    claim.refresh_from_db()
    assert claim.amount_cents == 3_261_100
    assert "(1-1) Amount keyed wrongly" in claim.remarks
    row = claim.activities.get(kind=ClaimActivity.Kind.CORRECTED)
    assert row.text.startswith("Clerk's Note: Amount keyed wrongly")
    assert "amount from $32,611.40 to $32,611" in row.text
    totals = case_totals(case)
    assert (
        totals["amount_cents"] == 3_261_100
        and totals["allowed_unsecured_cents"] == 2_000_000
    )
    assert AuditEvent.objects.filter(action="dockets.claim.corrected").exists()
    with pytest.raises(NotAllowed):
        corrections.correct_claim(
            claim=claim, clerk=users["creditor"], remark="x", changes={"basis": "y"}
        )


def test_clerk_marks_claim_filed_in_the_wrong_case(case, users):
    """A claim filed in the wrong case keeps its row, gets the clerk's note and leaves the totals."""
    claim = services.file_claim(
        case=case, data=claim_data(), filer=users["creditor"]
    ).claim
    corrections.mark_claim_wrong_case(claim=claim, clerk=users["clerk"])
    claim.refresh_from_db()
    assert (
        "Clerk's Note: PLEASE DISREGARD - Claim filed in the wrong case"
        in claim.remarks
    )
    assert claim.activities.filter(kind=ClaimActivity.Kind.WRONG_CASE).exists()
    assert case_totals(case)["count"] == 0


def test_claim_after_the_bar_date_is_accepted_and_flagged_late(case, users):
    """A claim filed after the claims bar date is filed, flagged late; the government has its own date."""
    today = clock.today()
    Deadline.objects.create(
        case=case,
        kind="claims_bar",
        label="Proof of Claim due",
        due=today - dt.timedelta(days=1),
    )
    Deadline.objects.create(
        case=case,
        kind="gov_claims_bar",
        label="Government Proof of Claim due",
        due=today + dt.timedelta(days=90),
    )
    late = services.file_claim(case=case, data=claim_data(), filer=users["creditor"])
    government = services.file_claim(
        case=case,
        data=claim_data(creditor_name="Franchise Tax Board", governmental=True),
        epoc=True,
    )
    assert late.claim.late and late.late
    assert not government.claim.late


def test_running_totals_equal_the_sum_of_the_claims(case, users):
    """After filings, an amendment, a withdrawal, a correction and a wrong-case mark, the
    ClaimTotals row equals one aggregate over the claims."""
    made = [
        services.file_claim(
            case=case,
            data=claim_data(
                amount_cents=a + s + p,
                secured_cents=s,
                priority_cents=p,
                unsecured_cents=a,
                priority_basis="507(a)(8)" if p else "",
            ),
            epoc=True,
        ).claim
        for a, s, p in [
            (100, 0, 0),
            (2_000_01, 5_000_00, 0),
            (0, 0, 7_77),
            (123_456_78, 1, 2),
        ]
    ]
    from core.crypto import decrypt

    services.amend_claim(
        claim=made[0],
        epoc=True,
        claim_code=decrypt(made[0].epoc_code_encrypted),
        data=claim_data(amount_cents=999, secured_cents=0, unsecured_cents=999),
    )
    claim_events.withdraw_claim(claim=made[1], filer=users["clerk"])
    corrections.correct_claim(
        claim=made[2],
        clerk=users["clerk"],
        remark="allowed",
        changes={"allowed_priority_cents": 700},
    )
    corrections.mark_claim_wrong_case(claim=made[3], clerk=users["clerk"])
    stored = (
        ClaimTotals.objects.filter(case=case)
        .values(*aggregate_totals(Claim.objects.none()).keys())
        .get()
    )
    assert stored == aggregate_totals(Claim.objects.filter(case=case))
    assert stored["count"] == 2
    assert stored["amount_cents"] == 999 + 7_77


def test_epoc_refused_in_a_case_with_a_claims_agent(case):
    """The service itself refuses ePOC claims where a claims agent keeps the register."""
    Case.objects.filter(pk=case.pk).update(has_claims_agent=True)
    case.refresh_from_db()
    with pytest.raises(UserFacingError, match="claims agent"):
        services.file_claim(case=case, data=claim_data(), epoc=True)
    assert not Claim.objects.exists()


@pytest.mark.parametrize("who", ["attorney2", "trustee", "judge", "creditor_pending"])
def test_only_the_claims_filer_or_the_clerk_amends_or_withdraws(case, users, who):
    """A stranger's amendment or withdrawal is refused and the register is unchanged."""
    from core.errors import NotAllowed
    from filers.models import Filer

    claim = services.file_claim(
        case=case, data=claim_data(), filer=users["creditor"]
    ).claim
    actor = users["creditor" if who == "creditor_pending" else who]
    if who == "creditor_pending":
        Filer.objects.filter(user=actor).update(status=Filer.Status.SUSPENDED)
        actor.filer.refresh_from_db()
    with pytest.raises(NotAllowed):
        services.amend_claim(
            claim=claim,
            filer=actor,
            data=claim_data(creditor_name="Mallory Redirect LLC"),
        )
    with pytest.raises(NotAllowed):
        claim_events.withdraw_claim(claim=claim, filer=actor)
    claim.refresh_from_db()
    assert (claim.label, claim.status) == ("1-1", "filed")
    assert claim.creditor_name != "Mallory Redirect LLC"
    # The filer itself and the clerk may.
    if who != "creditor_pending":
        services.amend_claim(
            claim=claim, filer=users["creditor"], data=claim_data(basis="Amended")
        )
        claim_events.withdraw_claim(claim=claim, filer=users["clerk"])


def test_a_payment_address_change_is_always_shown_to_the_clerk_in_qc(
    client, case, users
):
    """An amendment that moves the payment address puts a finding on its QC row."""
    from django.urls import reverse

    claim = services.file_claim(
        case=case,
        data=claim_data(payment_address="P.O. Box 1\nSan Diego, CA 92101"),
        filer=users["creditor"],
    ).claim
    same = services.amend_claim(
        claim=claim,
        filer=users["creditor"],
        data=claim_data(payment_address="P.O. Box 1\nSan Diego, CA 92101"),
    )
    assert same.entry is not None
    assert same.entry.findings == []
    moved = services.amend_claim(
        claim=claim,
        filer=users["creditor"],
        data=claim_data(payment_address="9 Elsewhere Ave\nReno, NV 89501"),
    )
    assert moved.entry is not None
    assert [f["code"] for f in moved.entry.findings] == ["claim_payment_change"]
    client.force_login(users["clerk"])
    page = client.get(reverse("dockets:qc-queue")).content.decode()
    assert "Amendment changes the payment address of claim 1" in page
    assert "9 Elsewhere Ave Reno, NV 89501" in page
