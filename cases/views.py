"""Pages for finding cases, reading a case summary, and managing parties.

Opening a case is a filing, so its pages live in dockets.opening (`cases` never
imports `dockets`).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from core.errors import UserFacingError
from filers.http import AuthedRequest
from filers.models import AnyUser, Role
from filers.permissions import has_active_role, is_active_court_user, require_clerk

from . import selectors
from .closures import record_court_closure, withdraw_court_closure
from .forms import (
    AddPartyForm,
    CaseSearchForm,
    CourtClosureForm,
    TrusteeMemberForm,
)
from .models import Case, Court, CourtClosure, Trustee
from .permissions import access_case
from .services import add_party, terminate_party
from .trustee_members import (
    MembershipRefused,
    link_trustee_member,
    unlink_trustee_member,
)

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
        "docket_url": reverse("dockets:docket", kwargs={"case_id": case.pk}),
        "claims_url": ""
        if case.is_adversary
        else reverse("dockets:claims-register", kwargs={"case_id": case.pk}),
        "epoc_url": ""
        if case.is_adversary or case.has_claims_agent or not case.is_open
        else reverse("dockets:epoc", kwargs={"case_id": case.pk}),
        "case_added": request.user.is_authenticated
        and case.watches.filter(user=request.user, kind="added").exists(),
        "can_manage": selectors.can_manage_parties(request.user, case),
        "can_open_ap": case.case_type == Case.CaseType.BANKRUPTCY
        and case.is_open
        and has_active_role(
            request.user,
            Role.ATTORNEY,
            Role.FILING_AGENT,
            Role.TRUSTEE,
            Role.US_TRUSTEE,
        ),
    }
    return render(request, "cases/case_summary.html", context)


# -- Parties (clerk) -------------------------------------------------------------------


def _access_case_as_clerk(user: AnyUser, case_id: int) -> Case:
    case = access_case(user, case_id)
    if not is_active_court_user(user):
        raise Http404
    return case


@login_required
@require_http_methods(["GET", "POST"])
def party_manage(request: AuthedRequest, case_id: int) -> HttpResponse:
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
def party_terminate(
    request: AuthedRequest, case_id: int, party_id: int
) -> HttpResponse:
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


# -- Trustee and U.S. Trustee office members (clerk) -----------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def trustee_members(request: AuthedRequest) -> HttpResponse:
    """The clerk links accounts to a trustee or the U.S. Trustee office, and sees who is
    linked. A member acts for the record only in its own cases (cases.permissions)."""
    require_clerk(request.user)
    court = Court.objects.filter(code=settings.ECF_COURT_ID).first()
    if court is None:
        raise Http404
    form = TrusteeMemberForm(request.POST or None, court=court)
    if request.method == "POST" and form.is_valid():
        trustee = form.cleaned_data["trustee"]
        try:
            user = link_trustee_member(
                trustee=trustee, email=form.cleaned_data["email"], actor=request.user
            )
        except MembershipRefused as error:
            form.add_error(error.field or None, error.message)
        else:
            messages.success(request, f"{user.email} now acts for {trustee.name}.")
            return redirect("cases:trustee-members")
    trustees = (
        Trustee.objects.filter(court=court)
        .prefetch_related("members__filer", "offices")
        .order_by("kind", "name")
    )
    return render(
        request,
        "cases/trustee_members.html",
        {"form": form, "trustees": trustees},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["POST"])
def trustee_member_unlink(
    request: AuthedRequest, trustee_id: int, user_id: int
) -> HttpResponse:
    require_clerk(request.user)
    trustee = Trustee.objects.filter(pk=trustee_id).first()
    member = trustee.members.filter(pk=user_id).first() if trustee else None
    if trustee is None or member is None:
        raise Http404
    unlink_trustee_member(trustee=trustee, user=member, actor=request.user)
    messages.success(request, f"{member.email} no longer acts for {trustee.name}.")
    return redirect("cases:trustee-members")


@login_required
@require_http_methods(["GET", "POST"])
def closures_manage(request: AuthedRequest) -> HttpResponse:
    """The clerk records (or withdraws) closures and outages; each change is audited."""
    if not is_active_court_user(request.user):
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
