"""Pages for finding cases, reading a case summary, and managing parties.

Opening a case is a filing, so its pages live in dockets.opening (`cases` never
imports `dockets`).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_http_methods

from core.errors import UserFacingError

from . import selectors
from .forms import (
    AddPartyForm,
    CaseSearchForm,
    CourtClosureForm,
)
from .models import Case, CourtClosure
from .permissions import access_case
from .services import (
    add_party,
    record_court_closure,
    terminate_party,
    withdraw_court_closure,
)


def _url_or_blank(name: str, **kwargs) -> str:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return ""


# -- Search and summary ---------------------------------------------------------------


@require_GET
def case_search(request: HttpRequest) -> HttpResponse:
    """Find a case by number or party name, with filters; results paged by keyset."""
    form = CaseSearchForm(request.GET or None)
    result = None
    if request.GET and form.is_valid():
        data = form.cleaned_data
        result = selectors.search_cases(
            user=request.user,
            q=data["q"],
            chapter=data["chapter"],
            status=data["status"],
            case_type=data["case_type"],
            filed_from=data["filed_from"],
            filed_to=data["filed_to"],
            after=data["after"],
        )
    next_query = ""
    if result is not None and result.next_cursor:
        params = request.GET.copy()
        params["after"] = result.next_cursor
        next_query = params.urlencode()
    return render(
        request,
        "cases/case_search.html",
        {"form": form, "result": result, "next_query": next_query},
    )


@require_GET
def case_summary(request: HttpRequest, case_id: int) -> HttpResponse:
    """The header block and party blocks of the docket report."""
    case = access_case(request.user, case_id)
    parties = selectors.summary_parties(case)
    context = {
        "case": case,
        "parties": parties,
        "creditor_count": selectors.creditor_count(case),
        "deadlines": list(selectors.open_deadlines(case)),
        "associated": selectors.associated_cases(case),
        "docket_url": _url_or_blank("dockets:docket", case_id=case.pk),
        "claims_url": ""
        if case.is_adversary
        else _url_or_blank("dockets:claims-register", case_id=case.pk),
        "epoc_url": ""
        if case.is_adversary or case.has_claims_agent or not case.is_open
        else _url_or_blank("dockets:epoc", case_id=case.pk),
        "case_added": request.user.is_authenticated
        and case.watches.filter(user=request.user, kind="added").exists(),
        "can_manage": selectors.can_manage_parties(request.user, case),
        "can_open_ap": case.case_type == Case.CaseType.BANKRUPTCY
        and case.is_open
        and request.user.is_authenticated
        and request.user.role in ("attorney", "filing_agent", "trustee", "us_trustee"),
    }
    return render(request, "cases/case_summary.html", context)


# -- Parties (clerk) -------------------------------------------------------------------


def _access_case_as_clerk(user, case_id: int) -> Case:
    case = access_case(user, case_id)
    if not getattr(user, "is_court_user", False):
        raise Http404
    return case


@login_required
@require_http_methods(["GET", "POST"])
def party_manage(request: HttpRequest, case_id: int) -> HttpResponse:
    """The clerk adds a party to a case, or terminates one (kept, shown as terminated)."""
    case = _access_case_as_clerk(request.user, case_id)
    form = AddPartyForm(request.POST or None, case_type=case.case_type)
    if request.method == "POST" and form.is_valid():
        party = add_party(case=case, data=form.party_data(), actor=request.user)
        messages.success(request, f"{party.name} added as {party.get_role_display()}.")
        return redirect("cases:parties", case_id=case.pk)
    parties = case.parties.order_by("terminated_on", "role", "id")
    return render(
        request,
        "cases/party_manage.html",
        {"case": case, "form": form, "parties": parties},
    )


@login_required
@require_http_methods(["POST"])
def party_terminate(request: HttpRequest, case_id: int, party_id: int) -> HttpResponse:
    case = _access_case_as_clerk(request.user, case_id)
    party = case.parties.filter(pk=party_id).first()
    if party is None:
        raise Http404
    if party.terminated_on is None:
        terminate_party(party=party, actor=request.user)
        messages.success(request, f"{party.name} terminated.")
    return redirect("cases:parties", case_id=case.pk)


@require_GET
def court_status(request: HttpRequest) -> HttpResponse:
    """Public: recorded closures of the clerk's office and outages of the filing system.

    FRBP 9006(a)(3): a deadline whose last day falls on one of these days moves to
    the next open day; this page is where filers can see it.
    """
    from .calendar import court_state

    closures = CourtClosure.objects.select_related(None).order_by("-starts_on", "-id")[
        :200
    ]
    return render(
        request,
        "cases/court_status.html",
        {"closures": closures, "state": court_state()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def closures_manage(request: HttpRequest) -> HttpResponse:
    """The clerk records (or withdraws) closures and outages; each change is audited."""
    if not getattr(request.user, "is_court_user", False):
        raise Http404
    form = CourtClosureForm(request.POST if "record" in request.POST else None)
    if request.method == "POST" and "withdraw" in request.POST:
        closure = CourtClosure.objects.filter(pk=request.POST["withdraw"]).first()
        if closure is not None:
            withdraw_court_closure(actor=request.user, closure=closure)
            messages.success(request, "The closure was withdrawn.")
        return redirect("cases:closures")
    if request.method == "POST" and form.is_valid():
        try:
            record_court_closure(actor=request.user, **form.cleaned_data)
        except UserFacingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                "Recorded. Deadlines whose last day falls on it move to the next open day.",
            )
            return redirect("cases:closures")
    closures = CourtClosure.objects.select_related("recorded_by").order_by(
        "-starts_on", "-id"
    )[:200]
    return render(
        request, "cases/closures_manage.html", {"form": form, "closures": closures}
    )
