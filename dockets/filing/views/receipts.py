"""After filing: the receipt, the filer's transaction log, fees due and their payment."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from core import clock
from core.compiled import CompiledQuery, prepared_statements
from filers.http import AuthedRequest
from filers.models import User

from ... import fees
from ...models import DocketEntry, Document, Payment
from ...permissions import access_entry, can_see_entry_text, can_view_document
from ...text import money
from .. import forms
from ..models import Checkout
from ..rules import (
    may_act_for,
    principals_for,
)
from .common import post_data, render


def _may_see_receipt(user: User, entry: DocketEntry) -> bool:
    if user.is_court_user:
        return True
    if user.pk in (entry.filer_id, entry.entered_by_id):
        return True
    return entry.filer is not None and may_act_for(user, entry.filer)


# The receipt's reads of the entry's documents and its latest payment
# (entry.documents, entry.payments), compiled once per process.
_DOCUMENTS = CompiledQuery(
    lambda entry_id: Document.objects.filter(entry_id=entry_id)  # in Meta.ordering
)
_LAST_PAYMENT = CompiledQuery(
    lambda entry_id: Payment.objects.filter(entry_id=entry_id).order_by("-id")[:1]
)


@login_required
@prepared_statements()
def filing_receipt(request: AuthedRequest, entry_id: int) -> HttpResponse:
    """The filer's receipt: the Notice of Electronic Filing as it will be sent."""
    entry = access_entry(request.user, entry_id)
    if entry.filer_id == request.user.pk:
        entry.filer = request.user  # one user object: its filer record is read once
    if not _may_see_receipt(request.user, entry):
        raise Http404
    # The filer's own receipt obeys the gate too: once the clerk seals the entry (or
    # rewrites its text under seal), the text reaches the court and the order's list only.
    text_visible = can_see_entry_text(request.user, entry)
    documents = []
    if text_visible:
        for document in _DOCUMENTS.all(entry.pk):
            document.entry = entry  # as entry.documents gives them: not read again
            if can_view_document(request.user, document):
                documents.append(document)
    payment = _LAST_PAYMENT.first(entry.pk)
    docket_url = reverse("dockets:docket", kwargs={"case_id": entry.case_id})
    from ...pipeline.recipients import recipients_for

    plan = recipients_for(entry)
    return render(
        request,
        "dockets/filing/filing_receipt.html",
        {
            "entry": entry,
            "case": entry.case,
            "documents": documents,
            "text_visible": text_visible,
            "payment": payment,
            "docket_url": docket_url,
            "plan": plan,
            "entered_local": clock.local(entry.entered_at),
            "tz": clock.tz_abbrev(entry.entered_at),
            "fee_text": money(payment.amount_cents) if payment else "",
            "may_pay": payment is not None and fees.may_pay(request.user, payment),
        },
    )


@login_required
def filing_log(request: AuthedRequest) -> HttpResponse:
    """The filer's own filings, newest first (a transaction log)."""
    user = request.user
    principal_ids = [p.pk for p in principals_for(user)]
    entries = (
        DocketEntry.objects.filter(
            Q(filer=user)
            | Q(entered_by=user)
            | Q(entered_by__isnull=False, filer_id__in=principal_ids)
        )
        .exclude(event__case_action="fee_receipt")
        .select_related(
            "case", "case__office", "case__judge", "event", "filer", "entered_by"
        )
        .order_by("-filed_at", "-id")
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "dockets/filing/filing_log.html", {"page": page})


@login_required
def fees_due(request: AuthedRequest) -> HttpResponse:
    """Internet payments due: fees not yet paid, with a Pay button each."""
    payments = list(fees.payments_due_for(request.user))
    for p in payments:
        p.amount_text = money(p.amount_cents)
    return render(
        request,
        "dockets/filing/fees_due.html",
        {
            "payments": payments,
            "total_text": money(sum(p.amount_cents for p in payments)),
            "lockout": fees.fee_lockout_blockers(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def fee_pay(request: AuthedRequest, payment_id: int) -> HttpResponse:
    """Start paying one fee: a confirmation, then off to the gateway's page."""
    payment = fees.access_payment(request.user, payment_id)
    if payment.status == Payment.Status.PAID:
        return redirect("dockets:filing-receipt", entry_id=payment.entry_id)
    if request.method == "POST":
        url = fees.gateway().start(
            payment=payment,
            user=request.user,
            return_url=reverse(
                "dockets:filing-receipt", kwargs={"entry_id": payment.entry_id}
            ),
        )
        return redirect(url)
    return render(
        request,
        "dockets/filing/fee_pay.html",
        {
            "payment": payment,
            "entry": payment.entry,
            "amount_text": money(payment.amount_cents),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def pay_gateway(request: AuthedRequest, token: str) -> HttpResponse:
    """The built-in test gateway's card page (stands in for pay.gov)."""
    checkout = (
        Checkout.objects.select_related(
            "payment", "payment__entry", "payment__entry__case", "payment__entry__event"
        )
        .filter(token=token)
        .first()
    )
    if checkout is None or checkout.started_by_id != request.user.pk:
        raise Http404
    payment = checkout.payment
    if payment.status == Payment.Status.PAID:
        return redirect(checkout.return_url or reverse("dockets:fees-due"))
    form = forms.CardForm(post_data(request))
    declined = ""
    if request.method == "POST" and form.is_valid():
        approved, message = fees.TestGateway.charge(form.cleaned_data["card_number"])
        last4 = form.cleaned_data["card_number"][-4:]
        if approved:
            fees.pay_fee(
                payment=payment,
                user=request.user,
                gateway_reference=f"TEST-{checkout.token[:12]}",
            )
            Checkout.objects.filter(pk=checkout.pk).update(
                status=Checkout.Status.PAID, card_last4=last4, message=message
            )
            messages.success(
                request,
                f"Payment of ${payment.amount_cents / 100:,.2f} received. Thank you.",
            )
            return redirect(checkout.return_url or reverse("dockets:fees-due"))
        Checkout.objects.filter(pk=checkout.pk).update(
            status=Checkout.Status.DECLINED, card_last4=last4, message=message
        )
        fees.record_declined_payment(
            payment=payment, user=request.user, message=message
        )
        declined = message
    return render(
        request,
        "dockets/filing/pay_gateway.html",
        {
            "form": form,
            "checkout": checkout,
            "payment": payment,
            "declined": declined,
            "amount_text": money(payment.amount_cents),
        },
    )
