"""Fees: what a filing costs, who is exempt, paying through the gateway, and the lockout.

Amounts come from the event catalogue (cmecf.md 3.4). A filer pays at once or later
the same day from "Internet payments due"; a payment dockets an unnumbered receipt
entry, as CM/ECF does after pay.gov ("Receipt of ... Filing Fee. Receipt number ...").
A filer with a fee unpaid past ECF_FEE_LOCKOUT_DAYS may still log in and read, but
files nothing new until it is paid (cmecf.md 3.4 "pay.gov flow").

The gateway is an interface (`Gateway`): production plugs in a pay.gov-style service
through ECF_PAYMENT_GATEWAY; the built-in `TestGateway` takes a test card number on
its own page (/pay/<token>/) and never touches a network.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

from cases.models import Case, Party, Trustee
from cases.permissions import acts_for_recorded_party, trustee_kinds_in_case
from core.audit import record_event
from core.errors import UserFacingError
from filers.hooks import ReadWithUser
from filers.models import AnyUser, User
from filers.permissions import is_active_filer, user_memo

from .catalogue_data import CONVERSION_FEE_EVENTS, conversion_fee_cents
from .models import Checkout, DocketEntry, Event, Payment
from .text import money

# Party roles that make a filing "by the debtor" for fee exemptions.
DEBTOR_ROLES = (
    Party.Role.DEBTOR,
    Party.Role.JOINT_DEBTOR,
    Party.Role.DEBTOR_IN_POSSESSION,
)

# The exemption a party's role carries when the filer acts for that party.
PARTY_EXEMPTIONS: dict[str, str] = {
    **dict.fromkeys(DEBTOR_ROLES, "debtor"),
    Party.Role.TRUSTEE: "trustee",
    Party.Role.US_TRUSTEE: "us_trustee",
}

EXEMPTION_WORDS = {
    "debtor": "filed by the debtor",
    "trustee": "filed by the trustee",
    "us_trustee": "filed by the U.S. Trustee",
    "government": "filer exempt from fees (government or CJA)",
    "child_support_creditor": "filed by a child-support creditor",
}


@dataclass(frozen=True)
class FeeQuote:
    """What a filing costs: the event fee, what is owed now, and why not, if exempt."""

    base_cents: int
    due_cents: int
    exemption: str = ""

    @property
    def status(self) -> str:
        if self.due_cents:
            return DocketEntry.FeeStatus.DUE
        if self.base_cents:
            return DocketEntry.FeeStatus.EXEMPT
        return DocketEntry.FeeStatus.NONE

    @property
    def note(self) -> str:
        """The docket text's tail for an exempt fee ("Fee Amount $350. Fee Not Due.")."""
        return "Fee Not Due." if self.base_cents and not self.due_cents else ""


def event_fee_cents(event: Event, *, case: Case, fields: dict) -> int:
    """The fee for one event in `case`; conversions depend on the chapters."""
    if event.code in CONVERSION_FEE_EVENTS:
        return conversion_fee_cents(
            from_chapter=case.chapter, to_chapter=str(fields.get("to_chapter", ""))
        )
    return event.fee_cents


def exemptions_claimed(
    *, filer: User, parties: list[Party], child_support: bool = False, case: Case
) -> set[str]:
    """The fee exemptions that fit this filer and the parties filed for.

    Never from a self-chosen role or a party the filer added while filing:
    - "trustee" / "us_trustee": the filer is a member (linked by the clerk) of the
      case's trustee or of the U.S. Trustee office covering the case;
    - "debtor": a debtor party recorded at opening or by the clerk, filed by its
      attorney of record, the assigned trustee or the court (acts_for_recorded_party).
    """
    claimed: set[str] = set()
    profile = getattr(filer, "filer_or_none", None)
    if profile is not None and profile.fee_exempt and is_active_filer(filer):
        claimed.add("government")
    kinds = trustee_kinds_in_case(filer, case)
    if Trustee.Kind.US_TRUSTEE in kinds:
        claimed.add("us_trustee")
    elif kinds:
        claimed.add("trustee")
    for party in parties:
        # Only a debtor, trustee or U.S. Trustee party carries an exemption: whether the
        # filer acts for any other party changes nothing here, so it is not asked.
        exemption = PARTY_EXEMPTIONS.get(party.role)
        if exemption and acts_for_recorded_party(filer, case, party):
            claimed.add(exemption)
    if child_support:
        claimed.add("child_support_creditor")
    return claimed


def quote_fee(
    *,
    events: list[Event],
    case: Case,
    filer: User,
    parties: list[Party],
    fields: dict,
    child_support: bool = False,
) -> FeeQuote:
    """Return the fee for a filing of `events`, after the exemptions each event allows."""
    fees = [
        (event, event_fee_cents(event, case=case, fields=fields)) for event in events
    ]
    # Exemptions only lower a fee an event allows them on: without one, who the filer
    # acts for cannot change the quote, and is not asked.
    claimed = (
        exemptions_claimed(
            filer=filer, parties=parties, child_support=child_support, case=case
        )
        if any(cents and event.fee_exemptions for event, cents in fees)
        else set()
    )
    base = due = 0
    reasons: list[str] = []
    for event, cents in fees:
        base += cents
        applies = sorted(claimed & set(event.fee_exemptions))
        if cents and applies:
            reasons.append(EXEMPTION_WORDS.get(applies[0], applies[0]))
        else:
            due += cents
    return FeeQuote(
        base_cents=base, due_cents=due, exemption="; ".join(dict.fromkeys(reasons))
    )


# -- Lockout ---------------------------------------------------------------------


def overdue_cutoff() -> dt.datetime:
    """A fee still unpaid that was charged before this is overdue (ECF_FEE_LOCKOUT_DAYS)."""
    return timezone.now() - dt.timedelta(days=settings.ECF_FEE_LOCKOUT_DAYS)


def _overdue(payer, cutoff: dt.datetime | None = None) -> QuerySet[Payment]:
    return Payment.objects.filter(
        payer=payer,
        status__in=[Payment.Status.DUE, Payment.Status.FAILED],
        created_at__lt=cutoff if cutoff is not None else overdue_cutoff(),
    )


def overdue_payments(user: User):
    """Payments `user` owes that are older than the court's limit (ECF_FEE_LOCKOUT_DAYS)."""
    return _overdue(user)


def fees_overdue(user_field: str = "pk", cutoff: dt.datetime | None = None) -> Exists:
    """Whether the user owes an overdue fee, as an annotation: a query that loads the
    user (the API's token lookup) answers the lockout too. `user_field` names the
    user's id in that query; hand the value to `remember_fees_overdue`. `cutoff`
    (default overdue_cutoff(), now) is for a query compiled once and run later."""
    return Exists(_overdue(OuterRef(user_field), cutoff))


def remember_fees_overdue(user: User, overdue: bool) -> None:
    """Give fee_lockout_blockers the answer a query already read for this user object
    (one request's): with none overdue it asks nothing more."""
    user_memo(user)["_ecf_fees_overdue"] = bool(overdue)


# Read with every signed-in user (filers.hooks.on_read_with_user, wired in
# dockets/apps.py): the wizard asks the lockout on each of a filing's steps.
LOCKOUT_WITH_USER = ReadWithUser(
    name="ecf_fees_overdue",
    expression=lambda cutoff: fees_overdue("pk", cutoff),
    value=overdue_cutoff,
    placeholder=dt.datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=dt.UTC),
    remember=remember_fees_overdue,
)


def fee_lockout_blockers(user: AnyUser) -> list[str]:
    """Return why `user` may not file because of unpaid fees (empty when none).

    Reading is never blocked; only new filings. A filers.hooks filing check
    (dockets/apps.py).
    """
    if not isinstance(user, User) or not user.is_authenticated:
        return []
    if user_memo(user).get("_ecf_fees_overdue") is False:
        return []  # read with the user in this request (remember_fees_overdue)
    overdue = overdue_payments(user)
    count = overdue.count()
    if not count:
        return []
    total = sum(p.amount_cents for p in overdue.only("amount_cents"))
    plural = "fee is" if count == 1 else "fees are"
    return [
        f"{count} filing {plural} unpaid for more than {settings.ECF_FEE_LOCKOUT_DAYS} days "
        f"({money(total)} in all). Pay them under Internet payments due, then file again."
    ]


def payments_due_for(user: User):
    """Fees `user` may pay: their own, and those of attorneys they pay for as an agent."""
    from django.db.models import Q

    from filers.models import AgentLink

    payer_ids = [user.pk]
    filer = user.filer_or_none
    if filer is not None:
        payer_ids += list(
            AgentLink.objects.filter(
                agent=filer, active=True, may_pay_fees=True
            ).values_list("principal__user_id", flat=True)
        )
    return (
        Payment.objects.filter(
            Q(payer_id__in=payer_ids),
            status__in=[Payment.Status.DUE, Payment.Status.FAILED],
        )
        .select_related(
            "entry",
            "entry__case",
            "entry__case__office",
            "entry__case__judge",
            "entry__event",
            "payer",
        )
        .order_by("created_at")
    )


def may_pay(user: User, payment: Payment) -> bool:
    """Whether `payment` is among payments_due_for(user) (no query for the payer's own)."""
    if payment.status not in (Payment.Status.DUE, Payment.Status.FAILED):
        return False
    if payment.payer_id == user.pk:
        return True
    return payments_due_for(user).filter(pk=payment.pk).exists()


def access_payment(user: AnyUser, payment_id: int) -> Payment:
    """Return the payment if `user` owes it or pays for its payer; else Http404."""
    from django.http import Http404

    if not isinstance(user, User) or not user.is_authenticated:
        raise Http404
    payment = payments_due_for(user).filter(pk=payment_id).first()
    if payment is None:
        payment = (
            Payment.objects.select_related(
                "entry", "entry__case", "entry__event", "payer"
            )
            .filter(pk=payment_id, payer=user)
            .first()
        )
    if payment is None:
        raise Http404
    return payment


# -- The gateway -----------------------------------------------------------------


class Gateway(Protocol):
    """A payment gateway (pay.gov-style): start a checkout, then learn its result.

    `start` returns the URL to send the payer to. The gateway calls back (or the payer
    returns) and the caller confirms with `pay_fee`, never trusting the browser alone.
    """

    def start(self, *, payment: Payment, user: User, return_url: str) -> str: ...


TEST_CARD_OK = "4111111111111111"
TEST_CARD_DECLINED = "4000000000000002"


class TestGateway:
    """The built-in gateway: a page at /pay/<token>/ that takes a test card number.

    4111 1111 1111 1111 is approved; 4000 0000 0000 0002 is declined; anything else
    is refused as not a test card. No money moves and nothing leaves the machine.
    """

    def start(self, *, payment: Payment, user: User, return_url: str) -> str:
        checkout = Checkout.objects.create(
            payment=payment,
            amount_cents=payment.amount_cents,
            started_by=user,
            return_url=return_url,
        )
        return reverse("dockets:pay-gateway", kwargs={"token": checkout.token})

    @staticmethod
    def charge(card_number: str) -> tuple[bool, str]:
        """Return (approved, message) for a test card number."""
        digits = "".join(ch for ch in card_number if ch.isdigit())
        if digits == TEST_CARD_OK:
            return True, "Approved."
        if digits == TEST_CARD_DECLINED:
            return False, "The card was declined. Use another card, or pay later today."
        return False, "That is not a test card number. Use 4111 1111 1111 1111."


def gateway() -> Gateway:
    """The configured gateway (ECF_PAYMENT_GATEWAY, default the built-in TestGateway)."""
    path = getattr(settings, "ECF_PAYMENT_GATEWAY", "dockets.fees.TestGateway")
    return import_string(path)()


# -- Services ----------------------------------------------------------------------


def create_payment(*, entry: DocketEntry, payer) -> Payment | None:
    """Record the fee an entry owes (inside the filing's transaction); None when nothing is due."""
    if entry.fee_status != DocketEntry.FeeStatus.DUE or not entry.fee_cents:
        return None
    return Payment.objects.create(
        entry=entry, payer=payer, amount_cents=entry.fee_cents
    )


def _receipt_number(payment: Payment) -> str:
    return str(7_000_000 + payment.pk)


def receipt_text(*, payment: Payment, receipt_number: str) -> str:
    """ "Receipt of <event> (<case no>) [<category>,<code>] ( 199.00) Filing Fee. ..." (cmecf.md 3.4)."""
    entry = payment.entry
    amount = f"{payment.amount_cents // 100}.{payment.amount_cents % 100:02d}"
    return (
        f"Receipt of {entry.event.name} ({entry.case.long_number}) [{entry.event.category},{entry.event.code}] "
        f"( {amount}) Filing Fee. Receipt number {receipt_number}. Fee amount {amount}."
    )


@transaction.atomic
def pay_fee(
    *, payment: Payment, user: User, gateway_reference: str = ""
) -> DocketEntry:
    """Mark the fee paid and docket the unnumbered receipt entry; returns the receipt entry.

    Locks the payment row (two confirmations pay once) and the case row (the receipt
    takes the next place on the docket). Paying twice returns the first receipt.
    """
    from .services import FilingRequest, create_entry, lock_case

    payment = (
        Payment.objects.select_for_update()
        .select_related("entry", "entry__event", "entry__case")
        .get(pk=payment.pk)
    )
    if payment.status == Payment.Status.PAID and payment.receipt_entry is not None:
        return payment.receipt_entry
    case = lock_case(payment.entry.case_id)
    payment.entry.case = case
    receipt_event = Event.objects.filter(code="rcptfee").first()
    if receipt_event is None:
        raise UserFacingError(
            "The court's event catalogue has no fee-receipt event; contact the clerk's office."
        )
    number = _receipt_number(payment)
    text = receipt_text(payment=payment, receipt_number=number)
    receipt = create_entry(
        FilingRequest(
            case=case,
            events=[receipt_event],
            filer=payment.payer,
            entered_by=user,
            related=[payment.entry],
            fields={
                "receipt_number": number,
                "amount": f"{payment.amount_cents / 100:.2f}",
            },
            fee_cents=0,
            fee_status=DocketEntry.FeeStatus.NONE,
            text_override=text,
            filer_label="U.S. Treasury",
        ),
        case=case,
    )
    now = timezone.now()
    Payment.objects.filter(pk=payment.pk).update(
        status=Payment.Status.PAID,
        paid_at=now,
        receipt_number=number,
        gateway_reference=gateway_reference[:80],
        receipt_entry=receipt,
        updated_at=now,
    )
    DocketEntry.objects.filter(pk=payment.entry_id).update(
        fee_status=DocketEntry.FeeStatus.PAID, updated_at=now
    )
    record_event(
        actor=user,
        on_behalf_of=payment.payer if user.pk != payment.payer_id else None,
        action="dockets.fee.paid",
        target=payment.entry,
        case_id=case.pk,
        after={
            "payment": payment.pk,
            "amount_cents": payment.amount_cents,
            "receipt_number": number,
        },
    )
    # No NEF for a receipt: CM/ECF dockets it silently ("Auto - docket of credit card").
    return receipt


@transaction.atomic
def record_declined_payment(*, payment: Payment, user: User, message: str) -> None:
    """Note a declined card on the payment (it stays due) and in the audit log."""
    Payment.objects.filter(pk=payment.pk, status=Payment.Status.DUE).update(
        updated_at=timezone.now()
    )
    record_event(
        actor=user,
        action="dockets.fee.declined",
        target=payment.entry,
        after={"payment": payment.pk, "message": message},
    )
