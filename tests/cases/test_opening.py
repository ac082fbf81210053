"""Opening cases by filing (dockets/case_opening.py): petitions and complaints."""

import pytest
from factories import petition_request, ruiz_debtor
from pdfmaker import make_pdf

from cases.calendar import compute_deadline
from cases.models import (
    AssignmentRotation,
    Case,
    Deadline,
    Judge,
    Office,
    Party,
    Representation,
    Trustee,
)
from cases.services import PartyData
from core.crypto import decrypt
from core.errors import UserFacingError
from core.models import AuditEvent
from dockets.case_opening import (
    ComplaintRequest,
    open_adversary_proceeding,
    open_voluntary_case,
)
from dockets.catalogue_data import (
    ADVERSARY_COMPLAINT_FEE_CENTS,
    INSTALLMENT_FINAL_DAYS,
    PETITION_FEES_CENTS,
)
from dockets.models import DocketEntry
from dockets.services import UploadedDocument

pytestmark = pytest.mark.django_db

SSN = "512-34-5678"


@pytest.fixture
def petition_pdf(tmp_path):
    path = make_pdf(
        tmp_path / "petition.pdf",
        text="VOLUNTARY PETITION\nDebtor: Ana Ruiz\n/s/ Dana M. Whitaker",
    )
    return UploadedDocument.from_path(path, filename="petition.pdf", page_count=1)


def business(name="Harbor Freight Lines, Inc.", ein="331234567"):
    return PartyData(
        role="",
        name=name,
        is_entity=True,
        tax_id_kind="ein",
        tax_id_digits=ein,
        address_lines=["1 Pier Rd"],
        city="San Diego",
        state="CA",
        zip_code="92101",
    )


def test_chapter7_joint_petition_opens_case_with_entry_1(demo, petition_pdf):
    """A joint chapter 7 petition opens a case, numbers it, assigns judge and trustee,
    and dockets the petition as entry 1 with the chapter 7 fee due."""
    entry = open_voluntary_case(
        petition_request(
            demo,
            petition_pdf,
            debtors=[
                ruiz_debtor(aliases=[("aka", "Ana M. Ruiz")]),
                ruiz_debtor("Luis Ruiz", "523456789"),
            ],
        )
    )
    case = entry.case
    assert entry.number == 1
    assert entry.event.code == "volp7"
    assert entry.fee_cents == PETITION_FEES_CENTS["7"] == 33800
    assert entry.fee_status == DocketEntry.FeeStatus.DUE
    assert "Fee Amount $338" in entry.text
    assert case.number == 1 and case.year == entry.filed_date.year
    assert case.joint and case.voluntary and case.chapter == "7"
    assert case.title == "Ana Ruiz and Luis Ruiz"
    assert case.judge is not None and case.trustee is not None
    assert case.trustee.kind == Trustee.Kind.PANEL_7
    assert case.display_number == f"{case.year % 100:02d}-00001-{case.judge.initials}7"
    roles = dict(case.parties.values_list("name", "role"))
    assert roles["Ana Ruiz"] == Party.Role.DEBTOR
    assert roles["Luis Ruiz"] == Party.Role.JOINT_DEBTOR
    assert roles[case.trustee.name] == Party.Role.TRUSTEE
    assert Party.Role.US_TRUSTEE in roles.values()
    ana = case.parties.get(name="Ana Ruiz")
    assert ana.masked_tax_id == "xxx-xx-5678"
    assert "512345678" not in ana.tax_id_encrypted
    assert decrypt(ana.tax_id_encrypted) == "512345678"
    assert list(ana.aliases.values_list("kind", "name")) == [("aka", "Ana M. Ruiz")]
    assert (
        Representation.objects.filter(
            case=case, attorney=demo.users["attorney"], notice=True
        ).count()
        == 2
    )
    assert AuditEvent.objects.filter(
        case_id=case.pk, action="cases.case.opened"
    ).exists()
    assert AuditEvent.objects.filter(
        case_id=case.pk, action="dockets.entry.filed"
    ).exists()


def test_full_ssn_never_in_audit_trail(demo, petition_pdf):
    """The audit log records the party, never the full taxpayer number."""
    entry = open_voluntary_case(petition_request(demo, petition_pdf))
    for event in AuditEvent.objects.filter(case_id=entry.case_id):
        assert (
            "512345678" not in str(event.after) + str(event.before) + event.target_repr
        )


def test_rotation_takes_turns_between_judges(demo, petition_pdf):
    """Judges are assigned in turn from the office's rotation for the chapter."""
    first = open_voluntary_case(petition_request(demo, petition_pdf)).case
    second = open_voluntary_case(
        petition_request(
            demo, petition_pdf, debtors=[ruiz_debtor("Bo Chen", "534567890")]
        )
    ).case
    assert {first.judge_id, second.judge_id} == set(
        Judge.objects.filter(court=demo.court).values_list("id", flat=True)
    )
    rotation = AssignmentRotation.objects.get(office__number=3, chapter="7")
    assert rotation.next_judge_index == 0


def test_rotation_configured_by_court_is_used(demo, petition_pdf):
    """A rotation the clerk set up (one judge only) decides the assignment."""
    office = Office.objects.get(court=demo.court, number=3)
    only = Judge.objects.get(initials="CL")
    rotation = AssignmentRotation.objects.create(office=office, chapter="13")
    rotation.judges.set([only])
    ch13 = Trustee.objects.get(kind=Trustee.Kind.STANDING_13)
    rotation.trustees.set([ch13])
    for name, ssn in [("A One", "512340001"), ("B Two", "512340002")]:
        case = open_voluntary_case(
            petition_request(
                demo, petition_pdf, chapter="13", debtors=[ruiz_debtor(name, ssn)]
            )
        ).case
        assert case.judge == only
        assert case.trustee == ch13
        assert case.display_number.endswith("-CL13")


def test_installments_set_case_fee_status_and_deadline(demo, petition_pdf):
    """Installments: entry and case marked, and the last installment due in 120 days."""
    entry = open_voluntary_case(
        petition_request(demo, petition_pdf, fee_choice="install")
    )
    case = Case.objects.get(pk=entry.case_id)
    assert entry.fee_status == DocketEntry.FeeStatus.INSTALLMENTS
    assert case.fee_status == "install"
    deadline = Deadline.objects.get(case=case, kind="installment")
    # FRBP 9006(a): counted by the court calendar (weekends and holidays move it).
    assert (
        deadline.due == compute_deadline(entry.filed_date, INSTALLMENT_FINAL_DAYS).day
    )


def test_waiver_in_chapter_7(demo, petition_pdf):
    entry = open_voluntary_case(
        petition_request(demo, petition_pdf, fee_choice="waiver")
    )
    assert entry.fee_status == DocketEntry.FeeStatus.WAIVER
    assert entry.case.fee_status == "waiver"


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"chapter": "13", "fee_choice": "waiver"}, "only in a chapter 7 case"),
        (
            {"debtors": [business()], "fee_choice": "install"},
            "Only individual debtors can pay",
        ),
        (
            {"debtors": [business()], "chapter": "13"},
            "Only individuals can file under chapter 13",
        ),
        ({"debtors": [business(), ruiz_debtor()]}, "joint petition"),
        ({"chapter": "9"}, "cannot be opened here"),
        ({"debtors": [ruiz_debtor(ssn="")]}, "Social Security number"),
        ({"voluntary": False, "chapter": "13"}, "only be filed under chapter 7 or 11"),
        ({"voluntary": False}, "at least one petitioning creditor"),
        ({"chapter": "15"}, "foreign representative"),
    ],
)
def test_petition_rules_refuse_and_save_nothing(demo, petition_pdf, changes, words):
    """A petition that breaks a rule is refused in plain words and nothing is saved."""
    with pytest.raises(UserFacingError) as info:
        open_voluntary_case(petition_request(demo, petition_pdf, **changes))
    assert words in info.value.message
    assert not Case.objects.exists()
    assert not DocketEntry.objects.exists()
    assert not Party.objects.exists()


def test_numbers_do_not_skip_after_a_refused_petition(demo, petition_pdf):
    """A refused petition uses no number: the next case gets 1, then 2."""
    with pytest.raises(UserFacingError):
        open_voluntary_case(
            petition_request(demo, petition_pdf, chapter="13", fee_choice="waiver")
        )
    first = open_voluntary_case(petition_request(demo, petition_pdf)).case
    second = open_voluntary_case(
        petition_request(
            demo, petition_pdf, debtors=[ruiz_debtor("Bo Chen", "534567890")]
        )
    ).case
    assert (first.number, second.number) == (1, 2)


def test_business_chapter_11_uses_non_individual_petition(demo, petition_pdf):
    entry = open_voluntary_case(
        petition_request(demo, petition_pdf, chapter="11", debtors=[business()])
    )
    assert entry.event.code == "volp11n"
    assert (
        entry.case.parties.get(name="Harbor Freight Lines, Inc.").role
        == Party.Role.DEBTOR_IN_POSSESSION
    )
    assert (
        entry.case.parties.get(name="Harbor Freight Lines, Inc.").masked_tax_id
        == "xx-xxx4567"
    )
    assert entry.case.trustee is None


def test_involuntary_petition(demo, petition_pdf):
    """Petitioning creditors open an involuntary case against the alleged debtor."""
    entry = open_voluntary_case(
        petition_request(
            demo,
            petition_pdf,
            voluntary=False,
            debtors=[business(ein="")],
            petitioning_creditors=[
                PartyData(role="", name="Acme Supply Co.", is_entity=True)
            ],
        )
    )
    case = entry.case
    assert entry.event.code == "invol7"
    assert not case.voluntary
    assert "Involuntary Petition (Chapter 7) by Acme Supply Co." in entry.text
    assert list(entry.against_parties.values_list("name", flat=True)) == [
        "Harbor Freight Lines, Inc."
    ]
    creditor = case.parties.get(name="Acme Supply Co.")
    assert creditor.role == Party.Role.PETITIONING_CREDITOR
    assert Representation.objects.filter(
        party=creditor, attorney=demo.users["attorney"]
    ).exists()
    # FRBP 1011(b): the debtor answers within 21 days.
    assert (
        Deadline.objects.get(case=case, kind="response").due
        == compute_deadline(entry.filed_date, 21).day
    )


def test_chapter15_petition(demo, petition_pdf):
    entry = open_voluntary_case(
        petition_request(
            demo,
            petition_pdf,
            chapter="15",
            debtors=[business(name="Nordhavn Shipping A/S", ein="")],
            foreign_representative=PartyData(role="", name="Kirsten Holm"),
            foreign_proceeding="Danish bankruptcy of Nordhavn Shipping A/S",
        )
    )
    assert entry.event.code == "volp15"
    assert (
        entry.case.parties.get(name="Kirsten Holm").role
        == Party.Role.FOREIGN_REPRESENTATIVE
    )
    assert "Recognition of Foreign Proceeding: Danish bankruptcy" in entry.text


def test_idempotency_key_opens_once(demo, petition_pdf):
    """A double submit of the same form opens one case."""
    first = open_voluntary_case(
        petition_request(demo, petition_pdf, idempotency_key="k1")
    )
    again = open_voluntary_case(
        petition_request(demo, petition_pdf, idempotency_key="k1")
    )
    assert first.pk == again.pk
    assert Case.objects.count() == 1


def _lead(demo, pdf):
    return open_voluntary_case(petition_request(demo, pdf)).case


def complaint_for(demo, lead, pdf, **kwargs):
    values = {
        "filer": demo.users["attorney2"],
        "lead_case": lead,
        "plaintiffs": [PartyData(role="", name="Coastal Federal Credit Union")],
        "defendants": [PartyData(role="", name="Ana Ruiz")],
        "nature_of_suit": ["62"],
        "complaint": pdf,
        "demand_thousands": 45,
    }
    values.update(kwargs)
    return ComplaintRequest(**values)


def test_adversary_complaint_opens_ap_case_linked_to_lead(demo, petition_pdf):
    """A complaint opens an ap case in its own number range, with the $350 fee."""
    lead = _lead(demo, petition_pdf)
    entry = open_adversary_proceeding(complaint_for(demo, lead, petition_pdf))
    ap = entry.case
    assert ap.case_type == Case.CaseType.ADVERSARY
    assert ap.number == demo.court.ap_number_start
    assert ap.lead_case == lead and ap.judge == lead.judge
    assert ap.nature_of_suit == ["62"] and ap.demand_thousands == 45
    assert ap.title == "Coastal Federal Credit Union v. Ana Ruiz"
    assert entry.number == 1
    assert entry.fee_cents == ADVERSARY_COMPLAINT_FEE_CENTS
    assert "Fee Amount $350" in entry.text
    assert "Nature of Suit: (62 Dischargeability - 523(a)(2)" in entry.text
    assert ap.parties.get(name="Ana Ruiz").role == Party.Role.DEFENDANT
    assert list(lead.associated_cases.all()) == [ap]
    assert (
        ap.display_number
        == f"{ap.year % 100:02d}-{demo.court.ap_number_start}-{lead.judge.initials}"
    )


def test_adversary_fee_exempt(demo, petition_pdf):
    lead = _lead(demo, petition_pdf)
    entry = open_adversary_proceeding(
        complaint_for(demo, lead, petition_pdf, fee_exemption="trustee")
    )
    assert entry.fee_cents == 0
    assert entry.fee_status == DocketEntry.FeeStatus.EXEMPT


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"nature_of_suit": []}, "nature of suit"),
        ({"nature_of_suit": ["99"]}, "not a nature-of-suit code"),
        ({"defendants": []}, "at least one defendant"),
        ({"fee_exemption": "friend"}, "fee exemption"),
    ],
)
def test_adversary_bad_input_saves_nothing(demo, petition_pdf, changes, words):
    lead = _lead(demo, petition_pdf)
    with pytest.raises(UserFacingError) as info:
        open_adversary_proceeding(complaint_for(demo, lead, petition_pdf, **changes))
    assert words in info.value.message
    assert not Case.objects.filter(case_type="ap").exists()


def test_petition_nef_and_inbox_never_show_the_full_ssn(
    demo, petition_pdf, eager_tasks, django_capture_on_commit_callbacks
):
    """The petition's NEF (sent after commit: stamping, then notice) names the debtors
    but never carries a full SSN."""
    from core.models import InboxMessage
    from dockets.models import Notice

    with django_capture_on_commit_callbacks(execute=True):
        entry = open_voluntary_case(
            petition_request(
                demo,
                petition_pdf,
                debtors=[ruiz_debtor(), ruiz_debtor("Luis Ruiz", "523456789")],
            )
        )
    notices = list(Notice.objects.filter(entry=entry))
    messages = list(InboxMessage.objects.all())
    assert notices, "no NEF was built for the petition"
    texts = [n.subject + n.body_text + n.body_html for n in notices]
    texts += [m.subject + m.body_text + m.body_html for m in messages]
    assert any("Ana Ruiz" in t for t in texts)
    for text in texts:
        for ssn in ("512345678", "512-34-5678", "523456789", "523-45-6789"):
            assert ssn not in text
