"""Court events, paper filings and signed orders."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from cases.models import Case, Party
from core import clock
from core.audit import record_event
from core.errors import UserFacingError
from filers.models import User

from ...catalogue_data import EventCategory
from ...models import (
    DocketEntry,
    Document,
    Event,
)
from ...services import (
    FilingRequest,
    UploadedDocument,
    after_filing,
    create_entry,
    documents_stored,
    lock_case,
    stored_then_atomic,
)
from ...text import build_docket_text, event_text, event_text_for
from ..models import SignedOrder
from .common import (
    _check_open,
    _copy_documents,
    _docket,
    _event,
    _related_text,
    _set_deadlines,
    _storable,
    check_event_fits,
    clerk_initials,
    field_text_values,
)


def closing_warnings(case: Case) -> list[str]:
    """What should be settled before a case closes: fees due, the creditor matrix,
    deficiencies not yet cured. Plain words, one sentence each."""
    from cases.models import Deadline

    from ...models import Payment

    warnings = []
    due = Payment.objects.filter(
        entry__case=case, status__in=[Payment.Status.DUE, Payment.Status.FAILED]
    )
    if due.exists():
        total = sum(p.amount_cents for p in due)
        warnings.append(
            f"{due.count()} fee(s) totalling ${total / 100:,.2f} are unpaid."
        )
    if (
        case.case_type == Case.CaseType.BANKRUPTCY
        and not case.parties.filter(from_matrix=True).exists()
    ):
        warnings.append("No creditor matrix was filed.")
    pending = Deadline.objects.filter(
        case=case,
        kind="deficiency_cure",
        satisfied_on__isnull=True,
        terminated=False,
    ).count()
    if pending:
        warnings.append(f"{pending} deficiency notice(s) are not cured.")
    return warnings


def check_values(event: Event, values: dict) -> None:
    """Refuse missing required fields (dockets.filing.rules.field_problems decides)."""
    from ...filing.rules import field_problems

    problems = field_problems(event.fields, values, shapes=False)
    if problems:
        raise UserFacingError(" ".join(p.message for p in problems))


def refuse_rule_book_problems(
    *,
    case: Case,
    clerk: User,
    event: Event,
    documents: list[UploadedDocument],
    values: dict,
    related: list[DocketEntry],
    parties: Sequence[Party] = (),
    against: Sequence[Party] = (),
    acting_as: str = "paper",
) -> None:
    """Raise FilingRefused (each problem with its field) if the rule book
    (dockets.filing.rules.filing_problems) stops this court event ("court") or paper
    filing ("paper"); warnings (a conflict) do not stop the clerk."""
    from ...filing.rules import FilingCheck, blocking, filing_problems
    from ...filing.services import FilingRefused

    problems = blocking(
        filing_problems(
            FilingCheck(
                user=clerk,
                principal=clerk,
                case=case,
                events=[event],
                parties=list(parties),
                against=list(against),
                related=related,
                documents=[{"main": i == 0} for i in range(len(documents))],
                fields=values,
                acting_as=acting_as,
            )
        )
    )
    if problems:
        raise FilingRefused(problems)


@stored_then_atomic(lambda a: [a["document"]], lambda a: a["case"].pk)
def docket_court_event(
    *,
    case: Case,
    clerk: User,
    event: Event,
    values: dict,
    related: Sequence[DocketEntry] = (),
    note: str = "",
    document: UploadedDocument | None = None,
    override: bool = False,
) -> DocketEntry:
    """Docket a court event (hearing set, 341 notice, discharge, closing, ...) on `case`.

    Closing a case with a fee due, no creditor matrix or a deficiency still to cure
    is refused with those warnings unless `override`; an override is audited.

    Status changes and deadlines go through dockets.case_events.apply_case_action,
    which create_entry calls in the same transaction.
    """
    case = lock_case(case.pk)
    related = list(related)
    if any(f["name"] == "signed_on" for f in event.fields):
        values = {"signed_on": clock.today(), **values}
    if event.pdf == "none":
        document = None
    refuse_rule_book_problems(
        case=case,
        clerk=clerk,
        event=event,
        documents=[document] if document else [],
        values=values,
        related=related,
        acting_as="court",
    )
    warnings = closing_warnings(case) if event.case_action == "close" else []
    if warnings and not override:
        raise UserFacingError(
            "Before closing this case: "
            + " ".join(warnings)
            + " Tick \u201cClose the case anyway\u201d to close it regardless; the override is recorded."
        )
    if warnings:
        record_event(
            actor=clerk,
            action="dockets.case.close_override",
            target=case,
            case_id=case.pk,
            after={"warnings": warnings},
            note="Closed despite: " + " ".join(warnings),
        )
    entry = _docket(
        case=case,
        event=event,
        clerk=clerk,
        values=values,
        related=related,
        note=note,
        documents=[document] if document else [],
    )
    record_event(
        actor=clerk,
        action="dockets.court_event.docketed",
        target=entry,
        case_id=case.pk,
        after={"event": event.code, "number": entry.number, "text": entry.text},
    )
    return entry


@stored_then_atomic(lambda a: a["documents"], lambda a: a["case"].pk)
def docket_paper_filing(
    *,
    case: Case,
    clerk: User,
    event: Event,
    party_name: str,
    documents: list[UploadedDocument],
    filer: User | None = None,
    parties: Sequence[Party] = (),
    values: dict | None = None,
    related: Sequence[DocketEntry] = (),
    fee_status: str = DocketEntry.FeeStatus.DUE,
    visibility: str | None = None,
    against: Sequence[Party] = (),
) -> DocketEntry:
    """Docket what came over the counter or by mail, on the filer's behalf.

    The whole rule book (dockets.filing.rules.filing_problems) judges it first, as
    it judges the wizard and the API: event fits the case and its status, parties
    (and the party against), documents, related entries and every required detail.

    The docket shows who filed (`filer_name`, the party) and that the clerk entered it
    (`entered_by`, and the text ends with the clerk's initials).
    """
    values = values or {}
    party_name = " ".join(party_name.split())
    if not party_name:
        raise UserFacingError(
            "Give the name of the person or party who filed the paper."
        )
    case = lock_case(case.pk)
    if event.filer_roles == ["court"]:
        raise UserFacingError(
            f"{event.name} is a court event; use Docket a court event."
        )
    if event.case_action.startswith("claim_"):
        raise UserFacingError(
            "A paper proof of claim goes on the claims register: key it in through the case's "
            "claims register (ePOC form), which numbers the claim."
        )
    if event.case_action in ("open_bk", "open_ap"):
        raise UserFacingError(
            "A paper petition opens a new case: open the case first, then docket the papers."
        )
    related = list(related)
    refuse_rule_book_problems(
        case=case,
        clerk=clerk,
        event=event,
        documents=documents,
        parties=list(parties),
        against=list(against),
        values=values,
        related=related,
    )
    fee_cents = event.fee_cents
    if fee_status not in DocketEntry.FeeStatus.values:
        raise UserFacingError("Pick how the fee stands.")
    if not fee_cents:
        fee_status = DocketEntry.FeeStatus.NONE
    texts = [event_text_for(event, field_text_values(event, values))]
    text = build_docket_text(
        event_texts=texts,
        filer_name=party_name,
        related=_related_text(related),
        attachments=[d.description for d in documents[1:]],
        fee_cents=fee_cents,
    )
    text = f"{text} ({clerk_initials(clerk)})"
    request = FilingRequest(
        case=case,
        events=[event],
        filer=filer,
        entered_by=clerk,
        parties=list(parties),
        against=list(against),
        related=related,
        documents=list(documents),
        fields=_storable(values),
        text_override=text,
        fee_cents=fee_cents,
        fee_status=fee_status,
        filer_label=party_name,
        visibility=visibility,
    )
    entry = create_entry(request, case=case)
    now = timezone.now()
    DocketEntry.objects.filter(pk=entry.pk).update(
        qc_status=DocketEntry.QcStatus.REVIEWED, qc_by=clerk, qc_at=now
    )
    _set_deadlines(entry, values)
    record_event(
        actor=clerk,
        on_behalf_of=filer,
        action="dockets.paper_filing.docketed",
        target=entry,
        case_id=case.pk,
        after={"event": event.code, "party": party_name, "number": entry.number},
    )
    after_filing(entry)
    entry.refresh_from_db()
    return entry


def is_proposed_order(document: Document) -> bool:
    words = f"{document.description} {document.attachment_type}".lower()
    return "proposed order" in words


def sign_proposed_order(
    *, document: Document, judge: User, event: Event, values: dict
) -> DocketEntry:
    """Sign a lodged proposed order: docket it as the court's order referring to the motion.

    The order's copy of the proposed order is made and stored before the case lock
    (an original never changes, so the copy made first is the one signed).
    """
    document = Document.objects.select_related("entry__event", "entry__case").get(
        pk=document.pk
    )
    with tempfile.TemporaryDirectory(prefix="ecf-order-") as tmp:
        uploads = _copy_documents(document.entry, Path(tmp), only=[document])
        uploads[0].description = "Main Document"
        with documents_stored(uploads, case_id=document.entry.case_id):
            return _sign_proposed_order(
                document=document,
                judge=judge,
                event=event,
                values=values,
                uploads=uploads,
            )


@transaction.atomic
def _sign_proposed_order(
    *,
    document: Document,
    judge: User,
    event: Event,
    values: dict,
    uploads: list[UploadedDocument],
) -> DocketEntry:
    motion = document.entry
    case = lock_case(motion.case_id)
    if SignedOrder.objects.filter(proposed_document=document).exists():
        raise UserFacingError("That proposed order was already signed.")
    if not is_proposed_order(document) and motion.event.category != EventCategory.ORDER:
        raise UserFacingError("That document is not a proposed order.")
    if document.replaced or motion.entered_in_error or motion.stricken:
        raise UserFacingError(
            "That proposed order was withdrawn from the docket; it cannot be signed."
        )
    if event.category != EventCategory.ORDER:
        raise UserFacingError("Pick an order event.")
    check_event_fits(event, case, court=True)
    _check_open(case)
    if event.refer_categories and motion.event.category not in event.refer_categories:
        raise UserFacingError(f"{event.name} cannot refer to a {motion.event.name}.")
    values = {"signed_on": clock.today(), **values}
    check_values(event, values)
    order = _docket(
        case=case,
        event=event,
        clerk=judge,
        values=values,
        related=[motion],
        documents=uploads,
    )
    SignedOrder.objects.create(
        proposed_document=document,
        motion_entry=motion,
        order_entry=order,
        signed_by=judge,
    )
    record_event(
        actor=judge,
        action="dockets.order.signed",
        target=order,
        case_id=case.pk,
        after={
            "proposed_document": document.pk,
            "motion": motion.pk,
            "text": order.text,
        },
    )
    return order


PAPER_PETITION_CHAPTERS = ("7", "11", "12", "13")
FEE_CHOICE_WORDS: dict[str, str] = {
    DocketEntry.FeeStatus.PAID: "Paid",
    DocketEntry.FeeStatus.DUE: "Paid",
    DocketEntry.FeeStatus.INSTALLMENTS: "Installments",
    DocketEntry.FeeStatus.WAIVER: "Waiver requested",
}
CASE_FEE_STATUS: dict[str, str] = {
    DocketEntry.FeeStatus.PAID: "paid",
    DocketEntry.FeeStatus.DUE: "due",
    DocketEntry.FeeStatus.INSTALLMENTS: "install",
    DocketEntry.FeeStatus.WAIVER: "waiver",
}


@stored_then_atomic(lambda a: [a["petition"]], lambda a: None)
def docket_paper_petition(
    *,
    clerk: User,
    office,
    chapter: str,
    debtor,
    petition: UploadedDocument,
    fee_status: str = DocketEntry.FeeStatus.PAID,
) -> DocketEntry:
    """Open a case from a petition filed on paper (a pro se debtor) and docket it as entry 1.

    The judge and trustee come from the office's rotation, as for an e-filed petition;
    the entry names the debtor as filer and ends with the clerk's initials.
    `debtor` is a cases.services.PartyData.
    """
    from cases.assignment import add_official_parties, next_assignment
    from cases.services import add_party, create_case

    from ...case_opening import petition_event_code

    if chapter not in PAPER_PETITION_CHAPTERS:
        raise UserFacingError("Pick chapter 7, 11, 12 or 13.")
    name = " ".join(debtor.name.split())
    if not name:
        raise UserFacingError("Enter the debtor's name as it appears on the petition.")
    if fee_status not in CASE_FEE_STATUS:
        raise UserFacingError("Pick how the filing fee stands.")
    if fee_status == DocketEntry.FeeStatus.WAIVER and chapter != "7":
        # 28 U.S.C. 1930(f): the fee can be waived only in chapter 7.
        raise UserFacingError("A fee waiver can be requested only in a chapter 7 case.")
    event = _event(
        petition_event_code(chapter=chapter, voluntary=True, entity=debtor.is_entity)
    )
    judge, trustee = next_assignment(office=office, chapter=chapter)
    case = create_case(
        court=office.court,
        office=office,
        chapter=chapter,
        title=name,
        judge=judge,
        trustee=trustee,
        actor=clerk,
        fee_status=CASE_FEE_STATUS[fee_status],
    )
    debtor.role = (
        Party.Role.DEBTOR_IN_POSSESSION if chapter == "11" else Party.Role.DEBTOR
    )
    party = add_party(case=case, data=debtor, actor=clerk)
    add_official_parties(case=case, actor=clerk)
    case = lock_case(case.pk)
    values = {}
    if any(f["name"] == "fee_payment" for f in event.fields):
        values["fee_payment"] = FEE_CHOICE_WORDS[fee_status]
    text = build_docket_text(
        event_texts=[event_text(event.docket_text, values)],
        filer_name=name,
        fee_cents=event.fee_cents,
    )
    request = FilingRequest(
        case=case,
        events=[event],
        filer=None,
        entered_by=clerk,
        parties=[party],
        documents=[petition],
        fields=values,
        text_override=f"{text} ({clerk_initials(clerk)})",
        fee_cents=event.fee_cents,
        fee_status=fee_status,
        filer_label=name,
    )
    entry = create_entry(request, case=case)
    now = timezone.now()
    DocketEntry.objects.filter(pk=entry.pk).update(
        qc_status=DocketEntry.QcStatus.REVIEWED, qc_by=clerk, qc_at=now
    )
    record_event(
        actor=clerk,
        action="dockets.paper_filing.petition",
        target=entry,
        case_id=case.pk,
        after={"case": case.display_number, "debtor": name, "event": event.code},
    )
    after_filing(entry)
    entry.refresh_from_db()
    return entry
