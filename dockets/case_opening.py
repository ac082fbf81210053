"""Open cases by filing: a petition opens a bankruptcy case, a complaint an adversary one.

A petition is a filing like any other (ARCHITECTURE.md "The path of a filing"): its
PDF is checked in the sandbox before anything is saved, then ONE transaction creates
the case with the next gap-free number, its parties, the judge and trustee from the
office's rotation, and dockets the petition as entry 1 with its fee. Stamping and
notices are queued after commit (dockets.services.after_filing).

Every rule a filer can break is checked before the transaction starts and raised as
UserFacingError in plain words, so bad input saves nothing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction

from cases.assignment import add_official_parties, next_assignment
from cases.deadlines import set_deadline
from cases.models import Case, Office, Party
from cases.services import (
    PartyData,
    add_party,
    associate_attorney,
    create_case,
)
from cases.status import apply_flags
from core.errors import UserFacingError
from filers.models import User

from .catalogue_data import INSTALLMENT_FINAL_DAYS, NATURE_OF_SUIT
from .fees import create_payment
from .models import DocketEntry, Event
from .services import (
    FilingRequest,
    UploadedDocument,
    after_filing,
    create_entry,
    documents_stored,
    file_docket_entry,
    lock_case,
)

# Chapters a case may be opened under here (cmecf.md 2.2; chapter 9 is filed on paper).
OPENING_CHAPTERS = ("7", "11", "12", "13", "15")
INVOLUNTARY_CHAPTERS = ("7", "11")
NATURE_OF_SUIT_LABELS = dict(NATURE_OF_SUIT)


class FeeChoice:
    PAY = "pay"
    INSTALLMENTS = "install"
    WAIVER = "waiver"

    CHOICES = [
        (PAY, "Pay the filing fee now"),
        (INSTALLMENTS, "Apply to pay in installments (Official Form 103A)"),
        (WAIVER, "Apply to have the fee waived (Official Form 103B, chapter 7 only)"),
    ]


# Who is exempt from the adversary complaint fee (catalogue fee_exemptions of `cmp`).
AP_FEE_EXEMPTIONS = [
    ("", "No exemption: the $350 fee is due"),
    ("debtor", "The plaintiff is the debtor"),
    ("trustee", "The plaintiff is the trustee (paid by the estate later)"),
    ("us_trustee", "The plaintiff is the U.S. Trustee"),
    ("government", "The plaintiff is the United States or a state"),
    ("child_support_creditor", "The plaintiff is a child support creditor"),
]


# -- The petition or complaint PDF -------------------------------------------------------


@contextlib.contextmanager
def checked_pdf(
    upload, *, debtor_names: Sequence[str] = (), description: str = "Main Document"
) -> Iterator[UploadedDocument]:
    """Write an uploaded file to a private temporary file, check it in the sandbox,
    and yield it as an UploadedDocument; the temporary file is removed afterwards.

    Raises UserFacingError with the sandbox's plain reason if the file is refused.
    """
    from .uploads import validated_upload

    with validated_upload(upload, debtor_names=debtor_names, field="pdf") as checked:
        yield checked.as_document(description=description)


# -- Bankruptcy cases ------------------------------------------------------------------


@dataclass
class PetitionRequest:
    """What the open-case screens collect (voluntary, involuntary or chapter 15)."""

    filer: User  # the attorney whose signature the petition carries
    office: Office
    chapter: str
    debtors: list[PartyData]
    petition: UploadedDocument
    fee_choice: str = FeeChoice.PAY
    voluntary: bool = True
    entered_by: User | None = None  # a filing agent keying it in for the attorney
    petitioning_creditors: list[PartyData] = field(default_factory=list)
    foreign_representative: PartyData | None = None
    foreign_proceeding: str = ""
    idempotency_key: str | None = None


def petition_event_code(*, chapter: str, voluntary: bool, entity: bool) -> str:
    """The catalogue code of the petition: volp7 / volp7n / volp15 / invol7 ..."""
    if not voluntary:
        return f"invol{chapter}"
    if chapter == "15":
        return "volp15"
    return f"volp{chapter}n" if entity else f"volp{chapter}"


def petition_problems(request: PetitionRequest) -> list[str]:
    """Return every rule the request breaks, in plain words (empty when it may be filed)."""
    problems: list[str] = []
    chapter, debtors = request.chapter, request.debtors
    if chapter not in OPENING_CHAPTERS:
        return [
            f"Chapter {chapter or '(none)'} cases cannot be opened here; pick chapter 7, 11, 12, 13 or 15."
        ]
    if not debtors:
        return ["Enter the debtor."]
    if len(debtors) > 2:
        problems.append("A petition has at most two debtors (spouses filing jointly).")
    entity = debtors[0].is_entity
    joint = len(debtors) == 2
    if joint and any(d.is_entity for d in debtors):
        # 11 U.S.C. 302(a): only an individual and that individual's spouse may file jointly.
        problems.append(
            "Only two individuals who are spouses can file a joint petition; a business files alone."
        )
    if not request.voluntary:
        if chapter not in INVOLUNTARY_CHAPTERS:
            # 11 U.S.C. 303(a): involuntary cases only under chapter 7 or 11.
            problems.append(
                "An involuntary petition can only be filed under chapter 7 or 11."
            )
        if not request.petitioning_creditors:
            problems.append("List at least one petitioning creditor.")
        if joint:
            problems.append("An involuntary petition is filed against one debtor.")
        if request.fee_choice != FeeChoice.PAY:
            problems.append(
                "Petitioning creditors pay the filing fee; installments and waivers are for individual debtors."
            )
        return problems
    if chapter == "15":
        if (
            request.foreign_representative is None
            or not request.foreign_representative.name.strip()
        ):
            problems.append(
                "Enter the foreign representative who files the chapter 15 petition."
            )
        if not request.foreign_proceeding.strip():
            problems.append("Name the foreign proceeding to be recognised.")
        if joint:
            problems.append("A chapter 15 petition is filed for one foreign debtor.")
    if chapter == "13" and entity:
        # 11 U.S.C. 109(e): only individuals may be chapter 13 debtors.
        problems.append(
            "Only individuals can file under chapter 13. A business can file under chapter 7 or 11."
        )
    if chapter != "15":
        for debtor in debtors:
            if not debtor.tax_id_digits:
                kind = "EIN" if debtor.is_entity else "Social Security number or ITIN"
                problems.append(f"Enter the {kind} of {debtor.name or 'the debtor'}.")
    if request.fee_choice == FeeChoice.INSTALLMENTS and entity:
        # FRBP 1006(b): installments are for individuals only.
        problems.append(
            "Only individual debtors can pay the filing fee in installments."
        )
    if request.fee_choice == FeeChoice.WAIVER:
        # 28 U.S.C. 1930(f): the fee can be waived only for an individual in chapter 7.
        if chapter != "7":
            problems.append("A fee waiver can be requested only in a chapter 7 case.")
        elif entity:
            problems.append("Only individual debtors can ask for a fee waiver.")
    if request.fee_choice not in (
        FeeChoice.PAY,
        FeeChoice.INSTALLMENTS,
        FeeChoice.WAIVER,
    ):
        problems.append("Choose how the filing fee will be paid.")
    return problems


def _event(code: str) -> Event:
    event = Event.objects.filter(code=code, active=True).first()
    if event is None:
        raise UserFacingError(
            f"The court's event catalogue has no active event {code!r}. Contact the clerk's office."
        )
    return event


def _case_title(names: Sequence[str]) -> str:
    return " and ".join(n.strip() for n in names if n.strip())


def open_voluntary_case(request: PetitionRequest) -> DocketEntry:
    """Open a bankruptcy case and docket its petition as entry 1; return the entry.

    One transaction: the rotation row and the case-number counter are locked (numbers
    never repeat or skip), the case, debtors, trustee and U.S. Trustee parties and the
    attorney's representation are created, the petition is docketed with its fee, and
    stamping and notices are queued for after commit. Involuntary and chapter 15
    petitions take the same path (`request.voluntary`, `request.foreign_representative`).
    Raises UserFacingError, saving nothing, if the petition breaks a rule.
    A repeated idempotency key returns the first petition's entry.
    """
    problems = petition_problems(request)
    if problems:
        raise UserFacingError(" ".join(problems))
    if request.idempotency_key:
        existing = DocketEntry.objects.filter(
            idempotency_key=request.idempotency_key
        ).first()
        if existing is not None:
            return existing
    entity = request.debtors[0].is_entity
    event = _event(
        petition_event_code(
            chapter=request.chapter, voluntary=request.voluntary, entity=entity
        )
    )
    try:
        # Stored before the transaction: no counter or case lock is held while the
        # bytes are copied (dockets.services.documents_stored).
        with documents_stored([request.petition], case_id=None):
            return _open_bk(request, event)
    except IntegrityError:
        # Only a double submit racing the first one gets here: both used one key.
        existing = (
            DocketEntry.objects.filter(idempotency_key=request.idempotency_key).first()
            if request.idempotency_key
            else None
        )
        if existing:
            return existing
        raise


@transaction.atomic
def _open_bk(request: PetitionRequest, event: Event) -> DocketEntry:
    filer, actor = request.filer, request.entered_by or request.filer
    chapter = request.chapter
    joint = len(request.debtors) == 2
    fee_choice = request.fee_choice
    case_fee_status = {
        FeeChoice.PAY: "due",
        FeeChoice.INSTALLMENTS: "install",
        FeeChoice.WAIVER: "waiver",
    }[fee_choice]
    judge, trustee = next_assignment(office=request.office, chapter=chapter)
    case = create_case(
        court=request.office.court,
        office=request.office,
        chapter=chapter,
        title=_case_title([d.name for d in request.debtors]),
        voluntary=request.voluntary,
        joint=joint,
        judge=judge,
        trustee=trustee,
        actor=actor,
        opened_by=filer,
        fee_status=case_fee_status,
        practice_owner=actor if settings.ECF_IS_TRAINING else None,
    )
    debtor_role = Party.Role.DEBTOR
    if chapter == "11" and request.voluntary:
        debtor_role = Party.Role.DEBTOR_IN_POSSESSION
    debtors = []
    for i, data in enumerate(request.debtors):
        data.role = Party.Role.JOINT_DEBTOR if i else debtor_role
        debtors.append(add_party(case=case, data=data, actor=actor))
    add_official_parties(case=case, actor=actor)
    filing_parties = debtors
    against: list[Party] = []
    fields: dict = (
        {"joint": joint}
        if event.code.startswith("volp") and event.code[-1] != "n" and chapter != "15"
        else {}
    )
    if not request.voluntary:
        filing_parties = []
        for data in request.petitioning_creditors:
            data.role = Party.Role.PETITIONING_CREDITOR
            filing_parties.append(add_party(case=case, data=data, actor=actor))
        against = debtors
        fields = {"petitioning_creditors": ", ".join(p.name for p in filing_parties)}
    elif chapter == "15":
        rep = request.foreign_representative
        assert rep is not None  # noqa: S101 (petition_problems requires it)
        rep.role = Party.Role.FOREIGN_REPRESENTATIVE
        filing_parties = [add_party(case=case, data=rep, actor=actor)]
        fields = {"foreign_proceeding": request.foreign_proceeding.strip()}
    elif event.fields and any(f["name"] == "fee_payment" for f in event.fields):
        fields["fee_payment"] = {
            FeeChoice.PAY: "Paid",
            FeeChoice.INSTALLMENTS: "Installments",
            FeeChoice.WAIVER: "Waiver requested",
        }[fee_choice]
    for party in filing_parties:
        associate_attorney(
            case=case, party=party, attorney=filer, notice=True, actor=actor
        )
    fee_status, fee_note = {
        FeeChoice.PAY: (DocketEntry.FeeStatus.DUE, ""),
        FeeChoice.INSTALLMENTS: (
            DocketEntry.FeeStatus.INSTALLMENTS,
            "Application to pay in installments",
        ),
        FeeChoice.WAIVER: (
            DocketEntry.FeeStatus.WAIVER,
            "Application to waive the filing fee",
        ),
    }[fee_choice]
    locked = lock_case(case.pk)
    entry = create_entry(
        FilingRequest(
            case=locked,
            events=[event],
            filer=filer,
            entered_by=request.entered_by,
            parties=filing_parties,
            against=against,
            documents=[request.petition],
            fields=fields,
            fee_status=fee_status,
            fee_note=fee_note,
            idempotency_key=request.idempotency_key,
        ),
        case=locked,
    )
    if fee_choice == FeeChoice.INSTALLMENTS:
        # FRBP 1006(b)(2): the last installment is due within 120 days of the petition.
        from cases.calendar import compute_deadline

        final = compute_deadline(
            entry.filed_date, INSTALLMENT_FINAL_DAYS, what="the petition"
        )
        set_deadline(
            case=locked,
            kind="installment",
            due=final.day,
            rule=final.rule,
            actor=actor,
            entry_id=entry.pk,
        )
        apply_flags(locked, "install")
    # The fee due shows under Internet payments due (and counts for the fee lockout).
    create_payment(entry=entry, payer=filer)
    after_filing(entry)
    return entry


# -- Adversary proceedings -------------------------------------------------------------


@dataclass
class ComplaintRequest:
    filer: User
    lead_case: Case
    plaintiffs: list[PartyData]
    defendants: list[PartyData]
    nature_of_suit: list[str]
    complaint: UploadedDocument
    demand_thousands: int | None = None
    fee_exemption: str = ""
    jury_demand: bool = False
    class_action: bool = False
    entered_by: User | None = None
    idempotency_key: str | None = None


def complaint_problems(request: ComplaintRequest) -> list[str]:
    problems = []
    lead = request.lead_case
    if lead.case_type != Case.CaseType.BANKRUPTCY:
        problems.append(
            "An adversary proceeding is opened in a bankruptcy case, not in another adversary proceeding."
        )
    elif not lead.is_open:
        problems.append(
            f"Case {lead.display_number} is {lead.get_status_display().lower()}; it must be reopened first."
        )
    if not [p for p in request.plaintiffs if p.name.strip()]:
        problems.append("Enter at least one plaintiff.")
    if not [p for p in request.defendants if p.name.strip()]:
        problems.append("Enter at least one defendant.")
    codes = [c for c in request.nature_of_suit if c]
    if not codes:
        problems.append("Pick the nature of suit (Form B1040).")
    for code in codes:
        if code not in NATURE_OF_SUIT_LABELS:
            problems.append(f"{code} is not a nature-of-suit code.")
    if len(set(codes)) != len(codes):
        problems.append("Pick each nature of suit once.")
    if request.fee_exemption not in dict(AP_FEE_EXEMPTIONS):
        problems.append("Pick a fee exemption from the list, or none.")
    if request.demand_thousands is not None and request.demand_thousands < 0:
        problems.append("The demand cannot be negative.")
    return problems


def open_adversary_proceeding(request: ComplaintRequest) -> DocketEntry:
    """Open an adversary proceeding in `request.lead_case` with the complaint as entry 1.

    The proceeding gets the next number of the court's own adversary sequence, the
    lead case's judge and office, its plaintiffs and defendants, and the $350 fee
    unless an exemption applies. Raises UserFacingError, saving nothing, on bad input.
    """
    problems = complaint_problems(request)
    if problems:
        raise UserFacingError(" ".join(problems))
    if request.idempotency_key:
        existing = DocketEntry.objects.filter(
            idempotency_key=request.idempotency_key
        ).first()
        if existing is not None:
            return existing
    event = _event("cmp")
    with documents_stored([request.complaint], case_id=None):
        return _open_ap(request, event)


@transaction.atomic
def _open_ap(request: ComplaintRequest, event: Event) -> DocketEntry:
    filer, actor = request.filer, request.entered_by or request.filer
    lead = lock_case(request.lead_case.pk)
    plaintiffs = [p for p in request.plaintiffs if p.name.strip()]
    defendants = [p for p in request.defendants if p.name.strip()]
    codes = [c for c in request.nature_of_suit if c]
    title = (
        f"{plaintiffs[0].name.strip()}{' et al.' if len(plaintiffs) > 1 else ''} v. "
        f"{defendants[0].name.strip()}{' et al.' if len(defendants) > 1 else ''}"
    )
    case = create_case(
        court=lead.court,
        office=lead.office,
        case_type=Case.CaseType.ADVERSARY,
        title=title,
        judge=lead.judge,
        lead_case=lead,
        actor=actor,
        opened_by=filer,
        nature_of_suit=codes,
        demand_thousands=request.demand_thousands,
        practice_owner=lead.practice_owner,
    )
    plaintiff_parties = []
    for data in plaintiffs:
        data.role = Party.Role.PLAINTIFF
        plaintiff_parties.append(add_party(case=case, data=data, actor=actor))
    defendant_parties = []
    for data in defendants:
        data.role = Party.Role.DEFENDANT
        defendant_parties.append(add_party(case=case, data=data, actor=actor))
    for party in plaintiff_parties:
        associate_attorney(
            case=case, party=party, attorney=filer, notice=True, actor=actor
        )
    exempt = bool(request.fee_exemption)
    fields = {
        "nature_of_suit": "; ".join(f"({c} {NATURE_OF_SUIT_LABELS[c]})" for c in codes),
        "jury_demand": request.jury_demand,
        "class_action": request.class_action,
    }
    if len(codes) > 1:
        fields["nature_of_suit_2"] = codes[1]
    if request.demand_thousands is not None:
        fields["demand"] = request.demand_thousands
    locked = lock_case(case.pk)
    entry = create_entry(
        FilingRequest(
            case=locked,
            events=[event],
            filer=filer,
            entered_by=request.entered_by,
            parties=plaintiff_parties,
            against=defendant_parties,
            documents=[request.complaint],
            fields=fields,
            fee_cents=0 if exempt else None,
            fee_status=DocketEntry.FeeStatus.EXEMPT if exempt else None,
            idempotency_key=request.idempotency_key,
        ),
        case=locked,
    )
    # The fee due shows under Internet payments due (and counts for the fee lockout).
    create_payment(entry=entry, payer=filer)
    after_filing(entry)
    return entry


# -- Creditor matrix ---------------------------------------------------------------------


@transaction.atomic
def load_creditor_matrix(
    *, case: Case, result, filer: User, entered_by: User | None = None
) -> tuple[list[Party], int, DocketEntry | None]:
    """Add the matrix's new creditors and docket the upload; return (added, skipped, entry).

    The first upload is docketed as "Creditor Matrix"; a later one that adds creditors
    as "Amended Creditor Matrix" with its fee (areb book 65: amendments list only the
    new creditors). Nothing is docketed when every creditor was already on the case.
    Raises UserFacingError if the file has errors or the case is closed to filings.
    """
    from cases.services import add_matrix_creditors

    first = not Party.objects.filter(case=case, from_matrix=True).exists()
    added, skipped = add_matrix_creditors(
        case=case, result=result, actor=entered_by or filer
    )
    if not added:
        return added, skipped, None
    court_user = bool(getattr(filer, "is_court_user", False))
    debtors = list(
        case.parties.filter(
            role__in=[
                Party.Role.DEBTOR,
                Party.Role.JOINT_DEBTOR,
                Party.Role.DEBTOR_IN_POSSESSION,
            ],
            terminated_on__isnull=True,
        )
    )
    entry = file_docket_entry(
        FilingRequest(
            case=case,
            events=[_event("crmtx" if first else "amdmtx")],
            filer=filer,
            entered_by=entered_by,
            parties=[] if court_user else debtors,
            fields={"creditors_added": str(len(added))},
            text_suffix=f"Number of creditors: {len(added)}." if first else "",
            fee_cents=0 if court_user else None,
        )
    )
    create_payment(entry=entry, payer=filer)
    return added, skipped, entry
