"""Deficiencies: issue one, the report, and the clerk's action on each."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from cases.permissions import access_case
from core import clock
from core.errors import UserFacingError
from filers.http import AuthedRequest

from ...models import DocketEntry
from .. import selectors, services
from ..forms import (
    DeficiencyForm,
    EscalateForm,
)
from ..models import Deficiency
from ..permissions import require_clerk
from .common import docketed, show_refusal


@login_required
@require_http_methods(["GET", "POST"])
def deficiency_new(request: AuthedRequest, case_id: int) -> HttpResponse:
    require_clerk(request.user)
    case = access_case(request.user, case_id)
    initial = {}
    if request.GET.get("entry", "").isdigit():
        initial["entry"] = DocketEntry.objects.filter(
            case=case, pk=int(request.GET["entry"])
        ).first()
    form = DeficiencyForm(request.POST or None, case=case, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            deficiency = services.issue_deficiency(
                case=case,
                clerk=request.user,
                kind=data["kind"],
                cure_by=data["cure_by"],
                details=data["details"],
                entry=data["entry"],
                event_code=data["event"].code,
            )
            messages.success(
                request,
                f"Deficiency notice {services._ref(deficiency.notice_entry)} docketed; cure by "
                f"{services.mdy(deficiency.cure_by)}.",
            )
            return redirect("dockets:deficiency-report")
        except UserFacingError as error:
            show_refusal(request, form, error)
    return render(
        request,
        "dockets/clerk/deficiency_new.html",
        {"case": case, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def deficiency_report(request: AuthedRequest) -> HttpResponse:
    require_clerk(request.user)
    past_due = request.GET.get("past_due") == "1"
    status = request.GET.get("status", Deficiency.Status.OPEN)
    if status not in (*Deficiency.Status.values, "all"):
        status = Deficiency.Status.OPEN
    rows = list(
        selectors.deficiencies_report(
            past_due_only=past_due, status="" if status == "all" else status
        )[:500]
    )
    return render(
        request,
        "dockets/clerk/deficiency_report.html",
        {
            "rows": rows,
            "past_due": past_due,
            "status": status,
            "statuses": Deficiency.Status.choices,
            "today": clock.today(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def deficiency_action(request: AuthedRequest, deficiency_id: int) -> HttpResponse:
    require_clerk(request.user)
    deficiency = (
        Deficiency.objects.select_related(
            "case",
            "case__court",
            "case__office",
            "case__judge",
            "notice_entry",
            "entry",
        )
        .filter(pk=deficiency_id)
        .first()
    )
    if deficiency is None:
        raise Http404
    action = request.POST.get("action", "")
    form = EscalateForm(request.POST if action == "escalate" else None, prefix="esc")
    if request.method == "POST":
        try:
            if action == "cure":
                services.mark_deficiency_cured(
                    deficiency=deficiency, clerk=request.user
                )
                messages.success(request, "Deficiency marked cured.")
                return redirect("dockets:deficiency-report")
            if action == "escalate" and form.is_valid():
                order = services.escalate_deficiency(
                    deficiency=deficiency,
                    clerk=request.user,
                    event_code=form.cleaned_data["event"],
                    values=form.values(),
                )
                messages.success(
                    request,
                    docketed(order),
                )
                return redirect("dockets:deficiency-report")
        except UserFacingError as error:
            show_refusal(request, form, error)
    return render(
        request,
        "dockets/clerk/deficiency_action.html",
        {"deficiency": deficiency, "form": form},
        status=400 if request.method == "POST" else 200,
    )
