"""Chambers: the judge's orders to sign."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from core.errors import UserFacingError
from filers.http import AuthedRequest

from ...models import Document
from ...permissions import access_entry
from .. import selectors, services
from ..event_forms import (
    SignOrderForm,
)
from ..permissions import require_judge
from .common import docketed, show_refusal


@login_required
@require_GET
def orders_to_sign(request: AuthedRequest) -> HttpResponse:
    require_judge(request.user)
    return render(
        request,
        "dockets/clerk/orders_to_sign.html",
        {"documents": selectors.proposed_orders_for(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def order_sign(request: AuthedRequest, document_id: int) -> HttpResponse:
    require_judge(request.user)
    document = (
        Document.objects.select_related("entry", "entry__event", "entry__case")
        .filter(pk=document_id)
        .first()
    )
    if document is None:
        raise Http404
    motion = access_entry(request.user, document.entry_id)
    form = SignOrderForm(request.POST or None, motion=motion)
    if request.method == "POST" and form.is_valid():
        try:
            order = services.sign_proposed_order(
                document=document,
                judge=request.user,
                event=form.cleaned_data["event"],
                values=form.values(),
            )
            messages.success(
                request,
                "Signed. " + docketed(order),
            )
            return redirect("dockets:orders-to-sign")
        except UserFacingError as error:
            show_refusal(request, form, error)
    return render(
        request,
        "dockets/clerk/order_sign.html",
        {"document": document, "motion": motion, "form": form},
        status=400 if request.method == "POST" else 200,
    )
