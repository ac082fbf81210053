"""Fees: amounts and exemptions, the test gateway, the receipt entry and the lockout."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def _events(*codes):
    from dockets.models import Event

    return [Event.objects.get(code=c) for c in codes]


def test_fee_amounts_come_from_the_catalogue(demo, setup):
    from dockets.fees import quote_fee

    attorney = demo.users["attorney2"]
    assert (
        quote_fee(
            events=_events("nmrp"),
            case=setup.case,
            filer=attorney,
            parties=[setup.bank],
            fields={},
        ).due_cents
        == 19900
    )
    assert (
        quote_fee(
            events=_events("objt"),
            case=setup.case,
            filer=attorney,
            parties=[setup.bank],
            fields={},
        ).due_cents
        == 0
    )


def test_debtor_and_trustee_are_exempt_from_the_stay_relief_fee(demo, setup):
    """wiwb m_relief_from_stay: no fee when the debtor moves; trustees are not charged."""
    from dockets.fees import quote_fee
    from dockets.models import DocketEntry

    quote = quote_fee(
        events=_events("nmrp"),
        case=setup.case,
        filer=demo.users["attorney"],
        parties=[setup.debtor],
        fields={},
    )
    assert (quote.base_cents, quote.due_cents, quote.status) == (
        19900,
        0,
        DocketEntry.FeeStatus.EXEMPT,
    )
    assert quote.exemption == "filed by the debtor"
    assert quote.note == "Fee Not Due."
    trustee = quote_fee(
        events=_events("nmrp"),
        case=setup.case,
        filer=demo.users["trustee"],
        parties=[],
        fields={},
    )
    assert trustee.due_cents == 0


def test_child_support_creditor_claims_the_exemption(demo, setup):
    from dockets.fees import quote_fee

    quote = quote_fee(
        events=_events("nmrp"),
        case=setup.case,
        filer=demo.users["attorney2"],
        parties=[setup.bank],
        fields={},
        child_support=True,
    )
    assert quote.due_cents == 0


def test_conversion_fee_depends_on_the_chapters(demo, setup):
    from dockets.fees import quote_fee

    quote = quote_fee(
        events=_events("cnvt7"),
        case=setup.other_case,
        filer=demo.users["attorney"],
        parties=[setup.other_party],
        fields={"to_chapter": "7"},
    )
    assert quote.base_cents == 2500  # 13 -> 7


def test_exempt_filing_says_fee_not_due(client, demo, setup, pdf, start_draft):
    """The debtor's own motion is exempt: the docket text shows the fee and "Fee Not Due"; nothing is owed."""
    from dockets.models import DocketEntry, Event, Payment

    client.force_login(demo.users["attorney"])
    draft = start_draft(client, setup.case)

    def url(step):
        return reverse(
            "dockets:filing-step", kwargs={"draft_id": draft.pk, "step": step}
        )

    client.post(url("events"), {"events": [Event.objects.get(code="nmrp").pk]})
    client.post(
        url("parties"), {"parties": [setup.debtor.pk], "against": [setup.bank.pk]}
    )
    client.post(
        url("documents"),
        {
            "main": pdf(text="In re Maria L. Gonzalez\n/s/ Dana M. Whitaker"),
            "next": "1",
        },
    )
    client.post(url("related"), {})
    client.post(
        url("fields"),
        {"property_type": "Personal Property", "objection_deadline": "2099-01-01"},
    )
    page = client.get(url("fee")).content.decode()
    assert "is not due: filed by the debtor" in page
    client.post(url("fee"), {"pay": "later"})
    response = client.post(url("review"), {"submit": "1", "acknowledged": "on"})
    assert response.status_code == 302
    entry = DocketEntry.objects.get(event__code="nmrp")
    assert entry.text.endswith("Fee Amount $199. Fee Not Due.")
    assert entry.fee_status == DocketEntry.FeeStatus.EXEMPT
    assert not Payment.objects.filter(entry=entry).exists()


def _filed_with_fee(client, demo, setup, file_relief_motion, pay="later"):
    from dockets.models import DocketEntry, Payment

    client.force_login(demo.users["attorney2"])
    _draft, response = file_relief_motion(client, setup, attachments=(), pay=pay)
    entry = DocketEntry.objects.get(event__code="nmrp")
    return entry, Payment.objects.get(entry=entry), response


def test_pay_now_goes_to_the_gateway_and_dockets_a_receipt(
    client, demo, setup, file_relief_motion
):
    """Pay now: the test card is approved, the fee is paid and an unnumbered receipt entry is docketed."""
    from dockets.models import DocketEntry, Payment

    entry, payment, response = _filed_with_fee(
        client, demo, setup, file_relief_motion, pay="now"
    )
    assert response["Location"] == reverse(
        "dockets:fee-pay", kwargs={"payment_id": payment.pk}
    )
    to_gateway = client.post(response["Location"])
    assert to_gateway["Location"].startswith("/pay/")
    page = client.get(to_gateway["Location"])
    assert "Test payment gateway" in page.content.decode()
    paid = client.post(
        to_gateway["Location"],
        {"name": "Marcus Lee", "card_number": "4111 1111 1111 1111"},
    )
    assert paid["Location"] == reverse(
        "dockets:filing-receipt", kwargs={"entry_id": entry.pk}
    )
    payment.refresh_from_db()
    entry.refresh_from_db()
    assert payment.status == Payment.Status.PAID
    assert entry.fee_status == DocketEntry.FeeStatus.PAID
    receipt = payment.receipt_entry
    assert receipt.number is None
    assert receipt.seq == entry.seq + 1
    assert list(receipt.related.all()) == [entry]
    assert receipt.text == (
        f"Receipt of Motion for Relief From Stay (Fee) ({setup.case.long_number}) [motion,nmrp] ( 199.00) "
        f"Filing Fee. Receipt number {payment.receipt_number}. Fee amount 199.00."
    )
    assert "Fee paid. Receipt number" in client.get(paid["Location"]).content.decode()


def test_declined_card_leaves_the_fee_due(client, demo, setup, file_relief_motion):
    from dockets.models import Payment

    _entry, payment, _ = _filed_with_fee(client, demo, setup, file_relief_motion)
    gateway = client.post(
        reverse("dockets:fee-pay", kwargs={"payment_id": payment.pk})
    )["Location"]
    response = client.post(
        gateway, {"name": "Marcus Lee", "card_number": "4000 0000 0000 0002"}
    )
    assert response.status_code == 200
    assert "The card was declined." in response.content.decode()
    payment.refresh_from_db()
    assert payment.status == Payment.Status.DUE
    assert payment.receipt_entry is None


def test_paying_twice_dockets_one_receipt(client, demo, setup, file_relief_motion):
    from dockets.fees import pay_fee
    from dockets.models import DocketEntry

    _entry, payment, _ = _filed_with_fee(client, demo, setup, file_relief_motion)
    first = pay_fee(payment=payment, user=demo.users["attorney2"])
    second = pay_fee(payment=payment, user=demo.users["attorney2"])
    assert first.pk == second.pk
    assert (
        DocketEntry.objects.filter(case=setup.case, event__code="rcptfee").count() == 1
    )


def test_payments_due_lists_unpaid_fees_and_others_cannot_pay_them(
    client, demo, setup, file_relief_motion
):
    _entry, payment, _ = _filed_with_fee(client, demo, setup, file_relief_motion)
    page = client.get(reverse("dockets:fees-due")).content.decode()
    assert "Pay $199 for" in page
    client.force_login(demo.users["attorney"])
    assert "No fees are due" in client.get(reverse("dockets:fees-due")).content.decode()
    assert (
        client.get(
            reverse("dockets:fee-pay", kwargs={"payment_id": payment.pk})
        ).status_code
        == 404
    )


def test_unpaid_fee_past_the_limit_locks_out_filing_not_reading(
    client, demo, setup, file_relief_motion, settings
):
    """After ECF_FEE_LOCKOUT_DAYS the filer cannot start a filing until paid, but can still read."""
    from dockets.fees import fee_lockout_blockers, pay_fee
    from filers.permissions import filing_blockers

    settings.ECF_FEE_LOCKOUT_DAYS = 2
    entry, payment, _ = _filed_with_fee(client, demo, setup, file_relief_motion)
    user = demo.users["attorney2"]
    assert fee_lockout_blockers(user) == []
    with time_machine.travel(timezone.now() + dt.timedelta(days=3)):
        assert fee_lockout_blockers(user) == [
            "1 filing fee is unpaid for more than 2 days ($199 in all). Pay them under Internet payments due, "
            "then file again."
        ]
        assert filing_blockers(user)
        client.force_login(user)  # sessions are shorter than the lockout
        page = client.get(reverse("dockets:filing-start"))
        assert "You cannot file right now." in page.content.decode()
        refused = client.post(
            reverse("dockets:filing-start"), {"case_number": setup.case.display_number}
        )
        assert "You cannot file right now." in refused.content.decode()
        assert (
            client.get(
                reverse("dockets:filing-receipt", kwargs={"entry_id": entry.pk})
            ).status_code
            == 200
        )
        assert client.get(reverse("dockets:fees-due")).status_code == 200
        pay_fee(payment=payment, user=user)
        assert fee_lockout_blockers(user) == []


def test_agent_pays_for_its_attorney(client, demo, setup, pdf, start_draft):
    """An agent with may_pay_fees sees the attorney's fees due and can pay them."""
    from dockets.fees import payments_due_for
    from dockets.models import DocketEntry, Event, Payment

    client.force_login(demo.users["agent"])
    draft = start_draft(client, setup.case, principal=demo.users["attorney"].pk)

    def url(step):
        return reverse(
            "dockets:filing-step", kwargs={"draft_id": draft.pk, "step": step}
        )

    client.post(url("events"), {"events": [Event.objects.get(code="nmrp").pk]})
    client.post(
        url("parties"), {"parties": [setup.bank.pk], "against": [setup.debtor.pk]}
    )
    client.post(url("documents"), {"main": pdf(), "next": "1"})
    client.post(url("related"), {})
    client.post(
        url("fields"),
        {"property_type": "Real Property", "objection_deadline": "2099-01-01"},
    )
    client.post(url("fee"), {"pay": "later"})
    response = client.post(url("review"), {"submit": "1", "acknowledged": "on"})
    assert response.status_code == 302
    entry = DocketEntry.objects.get(event__code="nmrp")
    assert entry.filer == demo.users["attorney"]
    assert entry.entered_by == demo.users["agent"]
    assert (
        "Filed by Dana M. Whitaker on behalf of Coastal Federal Credit Union."
        in entry.text
    )
    payment = Payment.objects.get(entry=entry)
    assert payment.payer == demo.users["attorney"]
    assert list(payments_due_for(demo.users["agent"])) == [payment]


def test_payments_due_page_has_no_n_plus_one(
    client, demo, setup, django_assert_max_num_queries
):
    from django.db import transaction

    from dockets.models import DocketEntry, Event, Payment
    from dockets.services import FilingRequest, create_entry, lock_case

    user = demo.users["attorney2"]
    for _ in range(8):
        with transaction.atomic():
            case = lock_case(setup.case.pk)
            entry = create_entry(
                FilingRequest(
                    case=case, events=[Event.objects.get(code="nmrp")], filer=user
                ),
                case=case,
            )
        Payment.objects.create(entry=entry, payer=user, amount_cents=entry.fee_cents)
    assert DocketEntry.objects.filter(fee_status="due").count() == 8
    client.force_login(user)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("dockets:fees-due"))
    assert page.content.decode().count("Pay $199 for") == 8


def test_gateway_page_is_the_payers_own_and_checks_the_card(
    client, demo, setup, file_relief_motion
):
    """Another user cannot open someone's checkout; a non-test card number gets a plain message."""
    _entry, payment, _ = _filed_with_fee(client, demo, setup, file_relief_motion)
    gateway = client.post(
        reverse("dockets:fee-pay", kwargs={"payment_id": payment.pk})
    )["Location"]
    short = client.post(gateway, {"name": "Marcus Lee", "card_number": "4111"})
    assert "Type the whole card number." in short.content.decode()
    other = client.post(
        gateway, {"name": "Marcus Lee", "card_number": "5555 5555 5555 4444"}
    )
    assert "That is not a test card number." in other.content.decode()
    client.force_login(demo.users["attorney"])
    assert client.get(gateway).status_code == 404
    assert (
        client.get(
            reverse("dockets:pay-gateway", kwargs={"token": "no-such-token"})
        ).status_code
        == 404
    )


def test_paid_fee_page_returns_to_the_receipt(client, demo, setup, file_relief_motion):
    from dockets.fees import pay_fee

    entry, payment, _ = _filed_with_fee(client, demo, setup, file_relief_motion)
    pay_fee(payment=payment, user=demo.users["attorney2"])
    response = client.get(reverse("dockets:fee-pay", kwargs={"payment_id": payment.pk}))
    assert response["Location"] == reverse(
        "dockets:filing-receipt", kwargs={"entry_id": entry.pk}
    )


def test_agent_without_payment_rights_is_sent_to_the_receipt(
    client, demo, setup, pdf, start_draft
):
    """An agent who may not pay fees files with "pay now" and lands on the receipt, not a 404."""
    from dockets.models import DocketEntry, Event
    from filers.models import AgentLink

    AgentLink.objects.filter(agent__user=demo.users["agent"]).update(may_pay_fees=False)
    client.force_login(demo.users["agent"])
    draft = start_draft(client, setup.case, principal=demo.users["attorney"].pk)

    def url(step):
        return reverse(
            "dockets:filing-step", kwargs={"draft_id": draft.pk, "step": step}
        )

    client.post(url("events"), {"events": [Event.objects.get(code="nmrp").pk]})
    client.post(
        url("parties"), {"parties": [setup.bank.pk], "against": [setup.debtor.pk]}
    )
    client.post(url("documents"), {"main": pdf(), "next": "1"})
    client.post(url("related"), {})
    client.post(
        url("fields"),
        {"property_type": "Real Property", "objection_deadline": "2099-01-01"},
    )
    client.post(url("fee"), {"pay": "now"})
    response = client.post(url("review"), {"submit": "1", "acknowledged": "on"})
    entry = DocketEntry.objects.get(event__code="nmrp")
    assert response["Location"] == reverse(
        "dockets:filing-receipt", kwargs={"entry_id": entry.pk}
    )
    receipt = client.get(response["Location"]).content.decode()
    assert "Dana M. Whitaker pays it from Internet payments due." in receipt


def test_exemptions_never_follow_a_self_made_party_or_a_self_chosen_role(demo, setup):
    """A debtor or U.S. Trustee party a filer adds while filing exempts nothing; a
    trustee-role account pays unless it is linked to the case's trustee; the U.S.
    Trustee exemption follows the office membership."""
    from cases.models import Party, Trustee
    from cases.services import PartyData, PartyRoleRefused, add_party
    from dockets.fees import quote_fee
    from dockets.filing.forms import PartiesForm

    stranger = demo.users["attorney2"]
    fake_debtor = Party(
        case=setup.case, role=Party.Role.DEBTOR, name="Me", added_in_filing=True
    )
    fake_ust = Party(
        case=setup.case, role=Party.Role.US_TRUSTEE, name="UST", added_in_filing=True
    )
    for parties in ([fake_debtor], [fake_ust], [setup.debtor]):
        quote = quote_fee(
            events=_events("nmrp"),
            case=setup.case,
            filer=stranger,
            parties=parties,
            fields={},
        )
        assert quote.due_cents == 19900, parties
    # The wizard does not offer, and the service refuses, privileged roles to a filer.
    form = PartiesForm(
        {"new_party_name": "Me", "new_party_role": "debtor"},
        case=setup.case,
        attorneys=type(stranger).objects.none(),
        needs_against=False,
        party_required=True,
    )
    assert not form.is_valid()
    assert "new_party_role" in form.errors
    with pytest.raises(PartyRoleRefused):
        add_party(
            case=setup.case,
            actor=stranger,
            data=PartyData(role="us_trustee", name="UST", added_in_filing=True),
        )
    # A trustee-role account not linked to this case's trustee pays.
    panel = Trustee.objects.get(pk=setup.case.trustee_id)
    trustee_user = demo.users["trustee"]
    panel.members.remove(trustee_user)
    assert (
        quote_fee(
            events=_events("nmrp"),
            case=setup.case,
            filer=trustee_user,
            parties=[],
            fields={},
        ).due_cents
        == 19900
    )
    ust = demo.users["ustrustee"]
    assert (
        quote_fee(
            events=_events("nmrp"), case=setup.case, filer=ust, parties=[], fields={}
        ).due_cents
        == 0
    )
    Trustee.objects.get(court=demo.court, kind="ust").members.remove(ust)
    assert (
        quote_fee(
            events=_events("nmrp"), case=setup.case, filer=ust, parties=[], fields={}
        ).due_cents
        == 19900
    )


def test_the_lockout_is_read_with_the_session_user(client, demo, setup, settings):
    """Every step of the wizard asks the fee lockout: the query that reads the
    session's user answers it (filers.hooks.on_read_with_user), for the request's
    own time, so no step asks the payments again; an overdue fee still locks out."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dockets.models import Payment
    from filers.backends import ModelBackend
    from filers.permissions import filing_blockers

    from .filing_helpers import text_entry

    settings.ECF_FEE_LOCKOUT_DAYS = 2
    user = demo.users["attorney2"]
    entry = text_entry(setup.case, "nmrp", user)
    Payment.objects.create(entry=entry, payer=user, amount_cents=19900)
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("dockets:filing-start"))
        read = ModelBackend().get_user(user.pk)
        assert filing_blockers(read) == []
    assert "You cannot file right now." not in page.content.decode()
    lockout_reads = [
        q["sql"]
        for q in queries
        if '"dockets_payment"' in q["sql"] and '"filers_user"' not in q["sql"]
    ]
    assert lockout_reads == []
    with time_machine.travel(timezone.now() + dt.timedelta(days=3)):
        client.force_login(user)  # sessions are shorter than the lockout
        page = client.get(reverse("dockets:filing-start"))
        assert "You cannot file right now." in page.content.decode()
        read = ModelBackend().get_user(user.pk)
        assert filing_blockers(read) == [
            "1 filing fee is unpaid for more than 2 days ($199 in all). Pay them "
            "under Internet payments due, then file again."
        ]
