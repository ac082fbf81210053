"""Claims pages: the public register (HTML and CSV), Form 410 with a login, a claim's
page, and the claim actions (amend, withdraw, transfer, Rule 3002.1, clerk). The ePOC
pages (no login) are in epoc_views.py.

Thin: parse, access_*, one service, render or redirect. Every page works without
JavaScript.
"""

from __future__ import annotations

import functools
import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString
from django.views.decorators.http import require_http_methods, require_POST

from cases.permissions import access_case, is_case_participant
from core import csvsafe
from core.compiled import prepared_statements
from core.errors import UserFacingError
from dockets.reports import cmecf
from dockets.reports.legacy import legacy_claims_context
from dockets.selectors import documents_readable_by
from dockets.uploads import held_documents, release_held
from filers.http import AuthedRequest
from filers.permissions import require_clerk

from . import claim_events, corrections, services
from .action_forms import (
    CorrectionForm,
    SupplementForm,
    TransferDecisionForm,
    TransferForm,
    WithdrawForm,
)
from .forms import (
    SUBMISSION_SALT,
    ClaimForm,
    RegisterFilterForm,
    new_submission_token,
)
from .models import Claim, ClaimTransfer
from .permissions import (
    access_claim,
    access_claim_for_clerk,
    access_claim_for_filer,
    access_claim_for_transfer,
    can_manage_claim,
    may_file_transfer,
)
from .selectors import (
    PAGE_SIZE,
    PAGE_SIZES,
    RegisterFilters,
    attach_document_links,
    bar_dates,
    history_prefetch,
    register_csv_rows,
    register_page,
    totals_rows,
)
from .uploads import describe_upload, keep_claim_attachments, validated_pdfs


def _filters(form: RegisterFilterForm) -> RegisterFilters:
    if not form.is_valid():
        return RegisterFilters()
    c = form.cleaned_data
    return RegisterFilters(
        number_from=c.get("number_from"),
        number_to=c.get("number_to"),
        filed_from=c.get("filed_from"),
        filed_to=c.get("filed_to"),
        creditor=(c.get("creditor") or "").strip(),
        order=c.get("order") or "number",
    )


def _int_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() and len(value) < 10 else None


def _page_size(request: HttpRequest) -> int:
    """Claims per page: one of PAGE_SIZES (default 100)."""
    value = _int_param(request, "size")
    return value if value in PAGE_SIZES else PAGE_SIZE


def _submission_key(request: HttpRequest) -> str | None:
    """The idempotency key of a signed-in filer's form: submitting it twice files once."""
    try:
        token = signing.loads(request.POST.get("submission", ""), salt=SUBMISSION_SALT)
    except signing.BadSignature:
        return None
    return f"claim:{request.user.pk}:{token}"[:80]


# -- the register -------------------------------------------------------------------


@require_http_methods(["GET"])
def claims_register(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case(request.user, case_id)
    form = RegisterFilterForm(request.GET or None)
    filters = _filters(form)
    page = register_page(
        case=case,
        viewer=request.user,
        filters=filters,
        after=_int_param(request, "after"),
        before=_int_param(request, "before"),
        last=request.GET.get("page") == "last",
        size=_page_size(request),
    )
    keep = request.GET.copy()
    for key in ("after", "before", "page"):
        keep.pop(key, None)
    base = keep.urlencode()
    return render(
        request,
        "dockets/claims/register.html",
        {
            "case": case,
            "form": form,
            "page": page,
            "totals_rows": totals_rows(page.totals),
            "bars": bar_dates(case),
            "filters_active": filters.active,
            "query_base": base,
            "trustee": case.trustee,
        },
    )


@require_http_methods(["GET"])
def claims_register_legacy(request: HttpRequest) -> HttpResponse:
    """CM/ECF's `/cgi-bin/SearchClaims.pl?<case_id>`: the whole register in CM/ECF's
    markup (reference/cmecf-samples/claims_registers_njb.html), read through the same
    register_page selector (and document access) as the modern register."""
    match = re.match(r"^(\d{1,12})", request.META.get("QUERY_STRING", ""))
    if not match:
        raise Http404
    case = access_case(request.user, int(match.group(1)))
    claims: list[Claim] = []
    after = None
    while True:
        page = register_page(
            case=case,
            viewer=request.user,
            filters=_filters(RegisterFilterForm(None)),
            after=after,
            size=500,
        )
        claims.extend(page.claims)
        if not page.has_next or page.last_cursor is None:
            break
        after = page.last_cursor
    context = legacy_claims_context(
        request, case=case, claims=claims, totals=page.totals, bars=bar_dates(case)
    )
    body = render(request, "dockets/legacy/claims_register.html", context).content
    text = body.decode()
    text += cmecf.receipt(
        when=context["now"],
        login=context["login"],
        description="Claims Register",
        criteria=f"{case.display_number} Filed or Entered From: "
        f"{cmecf.mdy(case.date_filed)} Filed or Entered To: {cmecf.mdy(context['now'].date())}",
        size=len(text),
    )
    return HttpResponse(text + "</div></body></html>\n")


class _Echo:
    def write(self, value: str) -> str:
        return value


@require_http_methods(["GET"])
def claims_csv(request: HttpRequest, case_id: int) -> StreamingHttpResponse:
    case = access_case(request.user, case_id)
    filters = _filters(RegisterFilterForm(request.GET or None))
    writer = csvsafe.writer(_Echo())
    rows = (
        writer.writerow(row) for row in register_csv_rows(case=case, filters=filters)
    )
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    name = re.sub(r"[^A-Za-z0-9-]", "_", case.display_number)
    response["Content-Disposition"] = (
        f'attachment; filename="claims-register-{name}.csv"'
    )
    return response


# -- filing with a login ---------------------------------------------------------------


@functools.lru_cache(maxsize=len(settings.LANGUAGES))
def _blank_claim_fields(language: str) -> SafeString:
    """The claim form's fields as a GET shows them, rendered once per process and
    language (measured: most of the claim page's CPU, some 30 field templates).

    An unbound ClaimForm renders the same for every filer and case: no data, no
    initial values, no errors, no kept uploads; the page around it (the case, the
    CSRF and submission tokens) is rendered for each request."""
    with translation.override(language):
        return render_to_string(
            "dockets/claims/_fields.html", {"form": ClaimForm(), "kept": []}
        )


# The claim form finds every row by id or key (the case, the claimant, the form's
# key): its statements are planned once per connection (core.compiled).
@login_required
@require_http_methods(["GET", "POST"])
@prepared_statements()
def claim_file(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = access_case(request.user, case_id)
    problem = services.claim_filing_problem(request.user, case)
    form = ClaimForm(request.POST or None, request.FILES or None)
    kept: list = []
    if problem is None and request.method == "POST":
        kept = keep_claim_attachments(request, form)
    if problem is None and request.method == "POST" and form.is_valid():
        try:
            with held_documents(kept, describe=describe_upload) as attachments:
                version = services.file_claim(
                    case=case,
                    data=form.to_data(signer_name=request.user.get_full_name()),
                    attachments=attachments,
                    filer=request.user,
                    idempotency_key=_submission_key(request),
                )
        except UserFacingError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            release_held(kept)
            messages.success(
                request,
                f"Claim {version.claim.number}-{version.version} filed in case {case.display_number}.",
            )
            return redirect("dockets:claim-detail", claim_id=version.claim_id)
    return render(
        request,
        "dockets/claims/claim_form.html",
        {
            "case": case,
            "form": form,
            "problem": problem,
            "title": "File a Proof of Claim (Official Form 410)",
            "kept": kept,
            "submission": request.POST.get("submission") or new_submission_token(),
            "amends": None,
            "blank_fields": (
                _blank_claim_fields(translation.get_language())
                if request.method == "GET"
                else None
            ),
        },
        status=403 if problem else 200,  # the page says why this account cannot file
    )


@login_required
@require_http_methods(["GET", "POST"])
def claim_amend(request: AuthedRequest, claim_id: int) -> HttpResponse:
    claim = access_claim_for_filer(request.user, claim_id)
    case = claim.case
    problem = (
        None
        if request.user.is_court_user
        else services.claim_filing_problem(request.user, case)
    )
    form = ClaimForm(
        request.POST or None,
        request.FILES or None,
        initial=ClaimForm.initial_from(claim),
    )
    kept: list = []
    if problem is None and request.method == "POST":
        kept = keep_claim_attachments(request, form)
    if problem is None and request.method == "POST" and form.is_valid():
        try:
            with held_documents(kept, describe=describe_upload) as attachments:
                version = services.amend_claim(
                    claim=claim,
                    data=form.to_data(signer_name=request.user.get_full_name()),
                    attachments=attachments,
                    filer=request.user,
                    idempotency_key=_submission_key(request),
                )
        except UserFacingError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            release_held(kept)
            messages.success(
                request,
                f"Amended claim {version.claim.number}-{version.version} filed.",
            )
            return redirect("dockets:claim-detail", claim_id=claim.pk)
    return render(
        request,
        "dockets/claims/claim_form.html",
        {
            "kept": kept,
            "case": case,
            "form": form,
            "problem": problem,
            "title": f"Amend Claim {claim.label}",
            "submission": request.POST.get("submission") or new_submission_token(),
            "amends": claim,
        },
    )


@login_required
@require_http_methods(["GET"])
def my_claims(request: AuthedRequest) -> HttpResponse:
    """The claims the signed-in filer has filed, in every case, 50 a page."""
    from django.core.paginator import Paginator

    from .selectors import claims_of_filer

    page = Paginator(claims_of_filer(request.user), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "dockets/claims/claim_list.html", {"page": page})


# -- a claim -----------------------------------------------------------------------------


@require_http_methods(["GET"])
def claim_detail(request: HttpRequest, claim_id: int) -> HttpResponse:
    case = access_claim(request.user, claim_id).case
    claim = (
        Claim.objects.select_related("filed_by")
        .prefetch_related(history_prefetch())
        .get(pk=claim_id)
    )
    attach_document_links([claim], viewer=request.user, case=case)
    versions = list(
        claim.versions.select_related("entry")
        .prefetch_related("entry__documents")
        .order_by("version")
    )
    # Only documents this viewer may open are linked (a sealed attachment is not).
    participant = is_case_participant(request.user, case)
    for version in versions:
        version.readable_documents = (
            documents_readable_by(request.user, version.entry, participant=participant)
            if version.entry is not None
            else []
        )
    manager = can_manage_claim(request.user, claim)
    transfer_ok = may_file_transfer(request.user)
    return render(
        request,
        "dockets/claims/claim_detail.html",
        {
            "claim": claim,
            "case": case,
            "versions": versions,
            "manager": manager,
            "transfer_ok": transfer_ok and claim.status != Claim.Status.WITHDRAWN,
            "is_clerk": bool(request.user.is_authenticated and request.user.is_clerk),
        },
    )


def _action_page(
    request, claim, form, *, title: str, intro: str, button: str
) -> HttpResponse:
    return render(
        request,
        "dockets/claims/claim_action.html",
        {
            "claim": claim,
            "case": claim.case,
            "form": form,
            "title": title,
            "intro": intro,
            "button": button,
        },
    )


def _one_pdf(form) -> list:
    upload = form.cleaned_data.get("document")
    return [upload] if upload else []


@login_required
@require_http_methods(["GET", "POST"])
def claim_withdraw(request: AuthedRequest, claim_id: int) -> HttpResponse:
    claim = access_claim_for_filer(request.user, claim_id)
    form = WithdrawForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            with validated_pdfs(_one_pdf(form), field="document") as docs:
                entry = claim_events.withdraw_claim(
                    claim=claim, filer=request.user, document=docs[0] if docs else None
                )
        except UserFacingError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(
                request, f"Claim {claim.label} withdrawn (docket entry {entry.number})."
            )
            return redirect("dockets:claim-detail", claim_id=claim.pk)
    return _action_page(
        request,
        claim,
        form,
        title=f"Withdraw Claim {claim.label}",
        button="Withdraw claim",
        intro="The claim stays on the register, marked withdrawn, and no longer counts in the totals.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def claim_transfer(request: AuthedRequest, claim_id: int) -> HttpResponse:
    claim = access_claim_for_transfer(request.user, claim_id)
    form = TransferForm(request.POST or None, request.FILES or None)
    problem = (
        None
        if request.user.is_clerk
        else services.claim_filing_problem(request.user, claim.case)
    )
    if problem:
        # Said on the page, bound form or not (add_error needs a bound form).
        messages.error(request, problem)
    elif request.method == "POST" and form.is_valid():
        if not form.cleaned_data.get("document"):
            form.add_error(
                "document", "Attach the evidence of transfer (Form 2100A) as a PDF."
            )
        else:
            try:
                with validated_pdfs(_one_pdf(form), field="document") as docs:
                    entry = claim_events.transfer_claim(
                        claim=claim,
                        filer=request.user,
                        transferee_name=form.cleaned_data["transferee_name"],
                        transferee_address=form.cleaned_data["transferee_address"],
                        document=docs[0],
                    )
            except UserFacingError as exc:
                form.add_error(
                    exc.field if exc.field in form.fields else None, exc.message
                )
            else:
                messages.success(
                    request,
                    f"Transfer of claim {claim.label} docketed as entry {entry.number}.",
                )
                return redirect("dockets:claim-detail", claim_id=claim.pk)
    return _action_page(
        request,
        claim,
        form,
        title=f"Transfer Claim {claim.label} (FRBP 3001(e))",
        button="File transfer",
        intro="The transfer is docketed on the case docket and the register shows the transferee "
        "as the claim's holder. The transfer fee applies.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def claim_supplement(request: AuthedRequest, claim_id: int) -> HttpResponse:
    claim = access_claim_for_filer(request.user, claim_id)
    form = SupplementForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        from dockets.text import money

        fields = {"new_payment": money(c["amount"]), "amount": money(c["amount"])}
        if c.get("effective_date"):
            fields["effective_date"] = c["effective_date"].strftime("%m/%d/%Y")
        try:
            with validated_pdfs(_one_pdf(form), field="document") as docs:
                entry = claim_events.file_claim_supplement(
                    claim=claim,
                    filer=request.user,
                    code=c["code"],
                    fields=fields,
                    document=docs[0],
                )
        except UserFacingError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(
                request, f"{entry.event.name} filed against claim {claim.label}."
            )
            return redirect("dockets:claim-detail", claim_id=claim.pk)
    return _action_page(
        request,
        claim,
        form,
        title=f"Rule 3002.1 notice on Claim {claim.label}",
        button="File notice",
        intro="Mortgage notices in chapter 13 cases are filed against the claim they concern.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def claim_correct(request: AuthedRequest, claim_id: int) -> HttpResponse:
    claim = access_claim_for_clerk(request.user, claim_id)
    form = CorrectionForm(
        request.POST or None, initial=CorrectionForm.initial_from(claim)
    )
    if request.method == "POST" and form.is_valid():
        try:
            corrections.correct_claim(
                claim=claim,
                clerk=request.user,
                changes=form.changes(),
                remark=form.cleaned_data["remark"],
            )
        except UserFacingError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, f"Claim {claim.label} corrected.")
            return redirect("dockets:claim-detail", claim_id=claim.pk)
    return _action_page(
        request,
        claim,
        form,
        title=f"Correct Claim {claim.label}",
        button="Save correction",
        intro="The correction and your remark are shown in the claim's history on the register.",
    )


@login_required
@require_POST
def claim_wrong_case(request: AuthedRequest, claim_id: int) -> HttpResponse:
    claim = access_claim_for_clerk(request.user, claim_id)
    try:
        corrections.mark_claim_wrong_case(claim=claim, clerk=request.user)
    except UserFacingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, f"Claim {claim.label} marked as filed in the wrong case."
        )
    return redirect(reverse("dockets:claim-detail", kwargs={"claim_id": claim.pk}))


# -- the clerk's pending transfers (FRBP 3001(e)(2)) ------------------------------------


@login_required
@require_http_methods(["GET"])
def claim_transfers_pending(request: AuthedRequest) -> HttpResponse:
    """Transfers of claim waiting for their objection period, for the clerk to decide by
    court order or on an objection."""
    require_clerk(request.user)
    transfers = (
        ClaimTransfer.objects.filter(status=ClaimTransfer.Status.PENDING)
        .select_related("claim", "claim__case", "claim__case__office", "entry")
        .order_by("objection_deadline", "pk")
    )
    return render(
        request,
        "dockets/claims/transfers_pending.html",
        {"transfers": transfers, "form": TransferDecisionForm()},
    )


@login_required
@require_POST
def claim_transfer_decide(request: AuthedRequest, transfer_id: int) -> HttpResponse:
    """Record the court's order (effective now) or an objection on one pending transfer."""
    require_clerk(request.user)
    transfer = ClaimTransfer.objects.filter(pk=transfer_id).first()
    if transfer is None:
        raise Http404
    form = TransferDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose the court's order or an objection.")
        return redirect("dockets:claim-transfers")
    try:
        decided = claim_events.decide_transfer(
            transfer=transfer,
            clerk=request.user,
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["note"],
        )
    except UserFacingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            f"Transfer of claim {decided.claim.label} to {decided.transferee_name}: "
            f"{decided.get_status_display()}.",
        )
    return redirect("dockets:claim-transfers")
