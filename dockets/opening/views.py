"""Opening cases: voluntary, involuntary and chapter 15 petitions, adversary
proceedings, and the creditor matrix.

Opening a case is a filing (ARCHITECTURE.md), so these pages live in `dockets` and
call dockets.case_opening, which opens the case through cases.services and dockets
the petition as entry 1 in one transaction. `cases` never imports `dockets`.
"""

from __future__ import annotations

import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from cases import selectors
from cases.matrix import parse_matrix
from cases.models import Case, Court, Party
from cases.permissions import access_case
from cases.services import PartyData
from core.errors import UserFacingError
from filers.http import AuthedRequest
from filers.models import Role, User
from filers.permissions import filing_blockers, has_active_role

from ..case_opening import (
    ComplaintRequest,
    PetitionRequest,
    checked_pdf,
    load_creditor_matrix,
    open_adversary_proceeding,
    open_voluntary_case,
)
from ..models import DocketEntry
from ..selectors import readable_entry_q
from ..uploads import held_documents, keep_uploads, release_held
from .forms import AdversaryForm, MatrixConfirmForm, MatrixUploadForm, OpenCaseForm


def _court(request: HttpRequest) -> Court:
    from django.conf import settings

    court = (
        Court.objects.filter(code=settings.ECF_COURT_ID).first()
        or Court.objects.order_by("id").first()
    )
    if court is None:
        raise Http404
    return court


def _filer_for_opening(
    user: User, roles: tuple[str, ...] = (Role.ATTORNEY,)
) -> tuple[User | None, User | None, list[str]]:
    """Return (filer whose signature it carries, agent who keys it, reasons refused).

    A filing agent files for the attorney it works for (its first active principal).
    """
    reasons = filing_blockers(user)
    if reasons:
        return None, None, reasons
    filer = user.filer_or_none
    if has_active_role(user, *roles):
        return user, None, []
    if filer is not None and has_active_role(user, Role.FILING_AGENT):
        link = (
            filer.principal_links.filter(active=True, principal__role__in=roles)
            .select_related("principal__user")
            .order_by("id")
            .first()
        )
        if link is not None:
            return link.principal.user, user, []
    who = " or ".join(roles).replace("_", " ")
    return (
        None,
        None,
        [f"Only an {who} (or a filing agent working for one) can file this."],
    )


def _refused(request: HttpRequest, reasons: list[str], title: str) -> HttpResponse:
    return render(
        request,
        "cases/case_refused.html",
        {"reasons": reasons, "title": title},
        status=403,
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_open(request: AuthedRequest) -> HttpResponse:
    """Open a voluntary, involuntary or chapter 15 case: the petition becomes entry 1."""

    filer, agent, reasons = _filer_for_opening(request.user)
    if reasons or filer is None:
        return _refused(request, reasons, "You cannot open a case")
    court = _court(request)
    form = OpenCaseForm(request.POST or None, request.FILES or None, court=court)
    kept: list = []
    if request.method == "POST":
        # The petition is checked (outside any transaction) and kept with the form
        # whatever else is wrong, so a form error never makes the filer upload it again.
        kept, refusals = keep_uploads(
            request,
            files=request.FILES.getlist("petition"),
            field="petition",
            needs_signature=True,
            limit=1,
        )
        form.files = form.files.copy()
        form.files.pop("petition", None)
        form.fields["petition"].required = not kept
        for message in refusals:
            form.add_error("petition", message)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with held_documents(kept) as (petition,):
                entry = open_voluntary_case(
                    PetitionRequest(
                        filer=filer,
                        entered_by=agent,
                        office=data["office"],
                        chapter=data["chapter"],
                        debtors=form.debtors,
                        petition=petition,
                        fee_choice=data["fee_choice"],
                        voluntary=data["kind"] == OpenCaseForm.KIND_VOLUNTARY,
                        petitioning_creditors=form.creditors,
                        foreign_representative=form.representative,
                        foreign_proceeding=data.get("foreign_proceeding", ""),
                        idempotency_key=f"open:{request.user.pk}:{data['idempotency_key']}",
                    )
                )
        except UserFacingError as error:
            form.add_error("petition" if error.field == "pdf" else None, error.message)
        else:
            release_held(kept)
            return redirect("dockets:case-opened", case_id=entry.case_id)
    return render(request, "cases/case_open.html", {"form": form, "kept": kept})


@login_required
@require_GET
def case_opened(request: AuthedRequest, case_id: int) -> HttpResponse:
    """The receipt of a new case: its number, judge, trustee and entry 1."""

    case = access_case(request.user, case_id)
    entry = (
        DocketEntry.objects.filter(case=case, number=1)
        .filter(readable_entry_q(request.user, case))
        .select_related("event")
        .first()
    )
    if entry is None:
        raise Http404
    pay_url = ""
    filed_by_viewer = request.user.pk in (entry.filer_id, entry.entered_by_id)
    if entry.fee_status == DocketEntry.FeeStatus.DUE and filed_by_viewer:
        payment = entry.payments.filter(status__in=["due", "failed"]).first()
        if payment is not None:
            pay_url = reverse("dockets:fee-pay", kwargs={"payment_id": payment.pk})
    context = {
        "case": case,
        "entry": entry,
        "pay_url": pay_url,
        "docket_url": reverse("dockets:docket", kwargs={"case_id": case.pk}),
        "can_manage": selectors.can_manage_parties(request.user, case),
        "deadlines": list(selectors.open_deadlines(case)),
    }
    return render(request, "cases/case_opened.html", context)


def _excluded_names(case: Case) -> list[str]:
    """Who never goes on the matrix: the debtor, trustee, U.S. Trustee, judge (nyeb)."""
    roles = [
        Party.Role.DEBTOR,
        Party.Role.JOINT_DEBTOR,
        Party.Role.DEBTOR_IN_POSSESSION,
        Party.Role.TRUSTEE,
        Party.Role.US_TRUSTEE,
    ]
    names = list(case.parties.filter(role__in=roles).values_list("name", flat=True))
    if case.judge is not None:
        names.append(case.judge.name)
    names += [
        r.attorney.get_full_name()
        for r in case.representations.select_related("attorney")
    ]
    return names


def _check_matrix(case: Case, data: bytes):
    return parse_matrix(
        data,
        max_lines=case.court.matrix_max_lines,
        max_chars=case.court.matrix_max_chars,
        excluded_names=_excluded_names(case),
    )


@login_required
@require_http_methods(["GET", "POST"])
def matrix_upload(request: AuthedRequest, case_id: int) -> HttpResponse:
    """Upload the creditor matrix: check it, show the count and every problem, then
    save the new creditors and docket the matrix."""

    case = access_case(request.user, case_id)
    if not selectors.can_manage_parties(request.user, case):
        raise Http404
    filer: User | None
    agent: User | None
    if request.user.is_court_user:
        filer, agent = request.user, None
    else:
        filer, agent, reasons = _filer_for_opening(request.user)
        if reasons or filer is None:
            return _refused(request, reasons, "You cannot file the creditor matrix")
    form = MatrixUploadForm()
    context: dict = {"case": case}
    if request.method == "POST" and "content" in request.POST:
        confirm = MatrixConfirmForm(request.POST)
        if not confirm.is_valid():
            messages.error(
                request, "The matrix could not be read back. Upload the file again."
            )
            return redirect("dockets:matrix-upload", case_id=case.pk)
        result = _check_matrix(case, confirm.cleaned_data["content"])
        context["result"] = result
        if result.ok:
            try:
                added, skipped, entry = load_creditor_matrix(
                    case=case, result=result, filer=filer, entered_by=agent
                )
            except UserFacingError as error:
                messages.error(request, error.message)
                return redirect("cases:summary", case_id=case.pk)
            text = f"{len(added)} creditors added to case {case.display_number}."
            if skipped:
                text += f" {skipped} already on the case were skipped."
            if entry is not None:
                text += f" Docketed as entry {entry.number}: {entry.text}"
            messages.success(request, text)
            return redirect("cases:summary", case_id=case.pk)
    elif request.method == "POST":
        form = MatrixUploadForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data["matrix"].read()
            result = _check_matrix(case, data)
            context["result"] = result
            if result.ok:
                existing = set(
                    case.parties.filter(from_matrix=True).values_list(
                        "matrix_key", flat=True
                    )
                )
                context["already"] = sum(
                    1 for c in result.creditors if c.key in existing
                )
                context["new_count"] = len(result.creditors) - context["already"]
                context["amendment"] = bool(existing)
                context["confirm"] = MatrixConfirmForm(
                    initial={"content": base64.b64encode(data).decode()}
                )
    context["form"] = form
    return render(request, "cases/matrix_upload.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def adversary_open(request: AuthedRequest, case_id: int) -> HttpResponse:
    """Open an adversary proceeding in a bankruptcy case; the complaint is entry 1."""

    lead = access_case(request.user, case_id)
    filer, agent, reasons = _filer_for_opening(
        request.user, roles=(Role.ATTORNEY, Role.TRUSTEE, Role.US_TRUSTEE)
    )
    if reasons or filer is None:
        return _refused(request, reasons, "You cannot open an adversary proceeding")
    form = AdversaryForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with checked_pdf(data["complaint"]) as complaint:
                entry = open_adversary_proceeding(
                    ComplaintRequest(
                        filer=filer,
                        entered_by=agent,
                        lead_case=lead,
                        plaintiffs=[
                            PartyData(role="", name=n) for n in data["plaintiffs"]
                        ],
                        defendants=[
                            PartyData(role="", name=n) for n in data["defendants"]
                        ],
                        nature_of_suit=[
                            c
                            for c in (
                                data["nature_of_suit"],
                                data.get("nature_of_suit_2"),
                            )
                            if c
                        ],
                        complaint=complaint,
                        demand_thousands=data.get("demand_thousands"),
                        fee_exemption=data.get("fee_exemption") or "",
                        jury_demand=data.get("jury_demand", False),
                        class_action=data.get("class_action", False),
                        idempotency_key=f"ap:{request.user.pk}:{data['idempotency_key']}",
                    )
                )
        except UserFacingError as error:
            form.add_error("complaint" if error.field == "pdf" else None, error.message)
        else:
            return redirect("dockets:case-opened", case_id=entry.case_id)
    return render(request, "cases/adversary_open.html", {"form": form, "lead": lead})
