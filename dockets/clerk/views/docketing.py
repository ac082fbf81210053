"""Court events and paper filings the clerk dockets, and paper petitions that open a case."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from cases.models import Case
from cases.permissions import access_case
from core.errors import UserFacingError
from filers.http import AuthedRequest
from filers.models import User

from ...catalogue_data import EventFiler
from ...models import DocketEntry, Event
from ...uploads import held_documents, keep_form_upload, release_held
from .. import services
from ..event_forms import (
    EventEntryForm,
    EventPickForm,
    PaperFilingForm,
    PaperPetitionForm,
)
from ..forms import cleanup
from ..permissions import require_clerk
from .common import docketed, show_refusal


def _events_for(case: Case, *, court: bool):
    """Events the clerk may docket here; whether each fits the case (type, chapter,
    closed case) is dockets.filing.rules.event_fits_case."""
    from ...filing.rules import event_fits_case

    qs = Event.objects.filter(active=True)
    if court:
        qs = qs.filter(filer_roles__contains=[EventFiler.COURT])
    else:
        qs = (
            qs.exclude(filer_roles=[EventFiler.COURT])
            .exclude(case_action__in=["open_bk", "open_ap"])
            .exclude(case_action__startswith="claim_")
        )
    events = [e.pk for e in qs if not event_fits_case(e, case)]
    return Event.objects.filter(pk__in=events).order_by("category", "name")


def _event_entry_view(
    request: AuthedRequest, case_id: int, *, paper: bool
) -> HttpResponse:
    require_clerk(request.user)
    case = access_case(request.user, case_id)
    events = _events_for(case, court=not paper)
    pick = EventPickForm(request.GET or None, events=events)
    event = (
        pick.cleaned_data["event"]
        if request.GET.get("event") and pick.is_valid()
        else None
    )
    form = None
    kept: list = []
    if event is not None:
        cls = PaperFilingForm if paper else EventEntryForm
        form = cls(request.POST or None, request.FILES or None, event=event, case=case)
        if request.method == "POST" and "pdf" in form.fields:
            # The PDF is checked now and kept across any form error or refusal.
            kept = keep_form_upload(request, form, "pdf")
        if request.method == "POST" and form.is_valid():
            try:
                with held_documents(kept) as documents:
                    form.cleaned_data["pdf"] = documents[0] if documents else None
                    entry = _docket_from_form(
                        case, request.user, event, form, paper=paper
                    )
                release_held(kept)
                messages.success(request, docketed(entry))
                return redirect(_after_docketing(entry))
            except UserFacingError as error:
                show_refusal(request, form, error)
    template = (
        "dockets/clerk/paper_filing.html" if paper else "dockets/clerk/court_event.html"
    )
    return render(
        request,
        template,
        {"case": case, "pick": pick, "event": event, "form": form, "kept": kept},
        status=400 if request.method == "POST" else 200,
    )


def _after_docketing(entry: DocketEntry) -> str:
    return reverse("dockets:docket", kwargs={"case_id": entry.case_id})


def _docket_from_form(case, clerk: User, event, form, *, paper: bool) -> DocketEntry:
    data = form.cleaned_data
    related = list(data.get("related") or [])
    if not paper:
        return services.docket_court_event(
            case=case,
            clerk=clerk,
            event=event,
            values=form.values(),
            related=related,
            note=data["note"],
            document=data.get("pdf"),
            override=bool(data.get("override")),
        )
    return services.docket_paper_filing(
        case=case,
        clerk=clerk,
        event=event,
        party_name=data["party_name"],
        documents=[data["pdf"]] if data.get("pdf") else [],
        filer=data.get("filer_email"),
        parties=[data["party"]] if data.get("party") else [],
        against=list(data.get("against") or []),
        values=form.values(),
        related=related,
        fee_status=data["fee_status"],
    )


@login_required
@require_http_methods(["GET", "POST"])
def court_event(request: AuthedRequest, case_id: int) -> HttpResponse:
    return _event_entry_view(request, case_id, paper=False)


@login_required
@require_http_methods(["GET", "POST"])
def paper_filing(request: AuthedRequest, case_id: int) -> HttpResponse:
    return _event_entry_view(request, case_id, paper=True)


@login_required
@require_http_methods(["GET", "POST"])
def paper_petition(request: AuthedRequest) -> HttpResponse:
    """Open a case from a paper petition (a pro se debtor) and docket it as entry 1."""
    require_clerk(request.user)
    form = PaperPetitionForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                entry = services.docket_paper_petition(
                    clerk=request.user,
                    office=data["office"],
                    chapter=data["chapter"],
                    debtor=form.party_data(),
                    petition=data["pdf"],
                    fee_status=data["fee_status"],
                )
                messages.success(
                    request,
                    f"Case {entry.case.display_number} opened; the petition is entry #{entry.number}.",
                )
                return redirect(_after_docketing(entry))
            except UserFacingError as error:
                show_refusal(request, form, error)
            finally:
                cleanup(data.get("pdf"))
        else:
            cleanup(form.cleaned_data.get("pdf"))
    return render(
        request,
        "dockets/clerk/paper_petition.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )
