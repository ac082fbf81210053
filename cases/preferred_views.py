"""Preferred notice addresses page: a creditor registers its own (court-wide or for one
case); the clerk's office registers one for any creditor and works the bounce tasks."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.errors import UserFacingError
from filers.http import AuthedRequest
from filers.models import AnyUser
from filers.permissions import is_active_court_user

from .models import Case, Court
from .numbers import parse_case_number
from .preferred import (
    BounceTask,
    PreferredAddress,
    confirm_preferred_address,
    may_register_preferred_address,
    register_preferred_address,
)


class PreferredAddressForm(forms.Form):
    creditor_name = forms.CharField(label="Creditor name", max_length=200)
    case_number = forms.CharField(
        label="Case number (leave empty for every case in this court)",
        max_length=40,
        required=False,
        help_text="Empty: 11 U.S.C. 342(f), all cases. A case number: 342(e), that case only.",
    )
    email = forms.EmailField(label="Preferred e-mail address", required=False)
    address = forms.CharField(
        label="Preferred mailing address",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One line per line, at most 5.",
    )

    def clean_case_number(self):
        text = self.cleaned_data.get("case_number", "").strip()
        if not text:
            return None
        query = parse_case_number(text)
        case = None
        if query is not None:
            qs = Case.objects.filter(
                year=query.year, number=query.number, case_type=query.case_type or "bk"
            )
            if query.office:
                qs = qs.filter(office__number=query.office)
            case = qs.first()
        if case is None:
            raise forms.ValidationError(f"No case {text} was found in this court.")
        return case


def _allowed(user: AnyUser) -> bool:
    return is_active_court_user(user) or may_register_preferred_address(user)


@login_required
@require_http_methods(["GET", "POST"])
def preferred_addresses(request: AuthedRequest) -> HttpResponse:
    if not _allowed(request.user):
        raise Http404
    clerk = is_active_court_user(request.user)
    if clerk and request.method == "POST" and "done" in request.POST:
        BounceTask.objects.filter(pk=request.POST["done"]).update(done=True)
        return redirect("cases:preferred-addresses")
    if clerk and request.method == "POST" and "confirm" in request.POST:
        row = PreferredAddress.objects.filter(
            pk=request.POST["confirm"], awaiting_clerk=True
        ).first()
        if row is None:
            raise Http404
        confirm_preferred_address(actor=request.user, row=row)
        messages.success(request, f"The address for {row.creditor_name} is in force.")
        return redirect("cases:preferred-addresses")
    form = PreferredAddressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        court = (
            c["case_number"].court
            if c["case_number"]
            else Court.objects.filter(code=settings.ECF_COURT_ID).first()
        )
        try:
            register_preferred_address(
                actor=request.user,
                court=court,
                case=c["case_number"],
                creditor_name=c["creditor_name"],
                email=c.get("email") or "",
                address_lines=(c.get("address") or "").splitlines(),
            )
        except UserFacingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                "The preferred address is registered."
                if clerk
                else "Sent to the clerk's office: notices go to this address once the "
                "clerk confirms it.",
            )
            return redirect("cases:preferred-addresses")
    rows = PreferredAddress.objects.filter(
        Q(active=True) | Q(awaiting_clerk=True)
    ).select_related("case")
    if not clerk:
        rows = rows.filter(registered_by=request.user)
    tasks = (
        BounceTask.objects.filter(done=False).select_related("case") if clerk else []
    )
    return render(
        request,
        "cases/preferred_addresses.html",
        {
            "form": form,
            "rows": rows.order_by("creditor_name")[:500],
            "tasks": tasks,
            "clerk": clerk,
        },
    )
