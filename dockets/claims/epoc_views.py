"""ePOC: a proof of claim filed without a login, its receipt and stamped copy, and the
claim-stamped PDF of any claim document.

ePOC speaks the reader's language (English or Spanish), but the Form 410 it files is the
court's official form in English: the review page shows that form, built from the answers,
before the filer signs (dockets.claims.forms.EpocForm carries the proof of the review).

Abuse controls for a public form that writes court records, with no JavaScript and no
third party: a signed arithmetic question, a honeypot field, a rate limit per IP address
(allauth's, keyed by the one client address), and a one-time submission token (submitting twice files once).
"""

from __future__ import annotations

import datetime as dt

from allauth.core import ratelimit
from django.conf import settings
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases.models import Case
from cases.numbers import parse_case_number
from cases.permissions import access_case
from core.crypto import decrypt
from core.errors import UserFacingError
from dockets.permissions import (
    access_document,
    can_view_document,
    record_document_access,
)
from dockets.uploads import held_documents, release_held

from . import services
from .claim_form import form410_data
from .epoc_forms import SIGN_FIELDS, EpocForm, make_challenge, question_for
from .form410 import form410_preview_html
from .forms import new_submission_token
from .models import Claim, ClaimVersion
from .notices import RECEIPT_SALT, receipt_token
from .uploads import describe_upload, keep_claim_attachments, stamped_claim_pdf


def _rate_limited(request: HttpRequest) -> bool:
    """allauth's rate limit "epoc" (ECF_EPOC_RATE_LIMIT per hour per client address,
    the address from core.clientip through the account adapter)."""
    return not ratelimit.consume(request, action="epoc")


# -- ePOC: filing without a login --------------------------------------------------------


@require_http_methods(["GET", "POST"])
def epoc_start(request: HttpRequest) -> HttpResponse:
    """Find the case to file a claim in, by its number."""
    error = ""
    number = (request.GET.get("case_number") or "").strip()
    if number:
        query = parse_case_number(number)
        if query is None:
            error = _(
                "That is not a case number. Write it like 26-00123 or 3:26-bk-00123."
            )
        else:
            qs = Case.objects.filter(
                year=query.year, number=query.number, case_type=query.case_type or "bk"
            )
            if query.office:
                qs = qs.filter(office__number=query.office)
            case = qs.first()
            if case is None:
                error = _(
                    "No case %(number)s was found in this court. Check the number on "
                    "your notice."
                ) % {"number": number}
            else:
                return redirect("dockets:epoc", case_id=case.pk)
    return render(
        request, "dockets/claims/epoc_start.html", {"error": error, "number": number}
    )


@require_http_methods(["GET", "POST"])
def epoc(request: HttpRequest, case_id: int) -> HttpResponse:
    """ePOC in two steps: the answers, then the review page, which shows the English
    Form 410 they make and takes the signature (EpocForm)."""
    case = access_case(request.user, case_id)
    if case.has_claims_agent:
        return render(
            request,
            "dockets/claims/claim_message.html",
            {
                "case": case,
                "title": _("Claims in this case go to the claims agent"),
                "message": _(
                    "This case has a claims agent. File your proof of claim with the "
                    "claims agent, not through this court's ePOC form."
                ),
            },
        )
    if not case.is_open:
        return render(
            request,
            "dockets/claims/claim_message.html",
            {
                "case": case,
                "title": _("This case is not accepting claims"),
                "message": _(
                    "Case %(number)s is %(status)s. Claims cannot be filed in it. "
                    "Contact the clerk's office if you believe this is wrong."
                )
                % {
                    "number": case.display_number,
                    # A stored English label, shown in the reader's language.
                    "status": _(case.get_status_display()).lower(),
                },
            },
        )
    question: str | None  # None: the posted token is not one of ours (a new question)
    if request.method == "GET":
        question, token = make_challenge()
        form = EpocForm(
            initial={"human_token": token, "submission": new_submission_token()}
        )
        return _answers_page(request, case, form, question=question, kept=[])
    if _rate_limited(request):
        return render(
            request,
            "dockets/claims/claim_message.html",
            {
                "case": case,
                "title": _("Too many claims from this address"),
                "message": _(
                    "Too many claims were sent from your network in the last hour. "
                    "Wait an hour and try again, or contact the clerk's office."
                ),
            },
            status=429,
        )
    form = EpocForm(request.POST, request.FILES)
    kept = keep_claim_attachments(request, form)
    form.review_scope = _review_scope(case, kept)
    token = request.POST.get("human_token", "")
    question = question_for(token)
    if question is None:
        question, token = make_challenge()
    if "edit" in request.POST:  # "Change my answers" on the review page
        return _answers_page(request, case, form, question=question, kept=kept)
    valid = form.is_valid()
    if not valid and not (form.signing and set(form.errors) <= set(SIGN_FIELDS)):
        return _answers_page(
            request, case, form, question=question, kept=kept, status=400
        )
    c = form.cleaned_data
    try:
        amends = _amended_claim(case, c.get("amends"))
        if not form.signing or not valid:
            return _review_page(
                request, case, form, question=question, token=token, kept=kept,
                amends=amends, status=200 if valid else 400,
            )  # fmt: skip
        with held_documents(kept, describe=describe_upload) as attachments:
            if amends is None:
                version = services.file_claim(
                    case=case,
                    data=form.to_data(),
                    attachments=attachments,
                    epoc=True,
                    idempotency_key=f"epoc:{c['submission']}",
                )
            else:
                version = services.amend_claim(
                    claim=amends,
                    data=form.to_data(),
                    attachments=attachments,
                    epoc=True,
                    claim_code=c.get("claim_code", ""),
                    idempotency_key=f"epoc:{c['submission']}",
                )
    except UserFacingError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return _answers_page(
            request, case, form, question=question, kept=kept, status=400
        )
    release_held(kept)
    return redirect("dockets:epoc-receipt", token=receipt_token(version.pk))


def _review_scope(case: Case, kept: list) -> str:
    """What the review digest covers besides the answers: the case and the files."""
    return f"{case.pk}:" + ",".join(k.token for k in kept)


def _answers_page(
    request: HttpRequest, case: Case, form: EpocForm, *, question: str, kept: list,
    status: int = 200,
) -> HttpResponse:  # fmt: skip
    if form.is_bound:
        assert isinstance(form.data, QueryDict)  # noqa: S101 (bound to request.POST)
        data = form.data.copy()
        data["reviewed"] = ""  # changed answers are reviewed again before signing
        data["human_answer"] = ""
        form.data = data
    return render(
        request,
        "dockets/claims/epoc_form.html",
        {"case": case, "form": form, "question": question, "kept": kept},
        status=status,
    )


def _review_page(
    request: HttpRequest, case: Case, form: EpocForm, *, question: str, token: str,
    kept: list, amends: Claim | None, status: int,
) -> HttpResponse:  # fmt: skip
    """Show the English Form 410 the answers make, and ask for the signature.

    Raises UserFacingError for answers the filing service would refuse, so they are
    corrected before signing.
    """
    data = form.to_data(signer_name="", signer_title="")
    data.check()
    data.attachment_names = [
        describe_upload(k.filename, index) for index, k in enumerate(kept, 1)
    ]
    preview = form410_data(
        case=case, data=data, epoc=True, amends=amends.label if amends else ""
    )
    preview.signer_name = ""
    preview.signer_title = ""
    assert isinstance(form.data, QueryDict)  # noqa: S101 (bound to request.POST)
    data_ = form.data.copy()
    data_["human_token"] = token
    data_["human_answer"] = ""
    review_token = form.review_token()
    form.data = data_
    return render(
        request,
        "dockets/claims/epoc_review.html",
        {
            "case": case,
            "form": form,
            "question": question,
            "human_token": token,
            "review_token": review_token,
            "kept": kept,
            "form410_html": form410_preview_html(preview),
        },
        status=status,
    )


def _amended_claim(case: Case, number: int | None) -> Claim | None:
    """The claim an ePOC filing amends (Form 410 question 4), or None for a new claim."""
    if not number:
        return None
    claim = Claim.objects.filter(case=case, number=number).first()
    if claim is None:
        raise UserFacingError(
            _(
                "There is no claim %(claim)s in case %(case)s. Check the claim number "
                "on the claims register, or leave the field empty to file a new claim."
            )
            % {"claim": number, "case": case.display_number},
            field="amends",
        )
    return claim


def _receipt_version(token: str) -> tuple[ClaimVersion, bool]:
    """The version a receipt token names, and whether the link is still fresh.

    A receipt link lives ECF_LINK_EXPIRY_DAYS; after that it is only an address of the
    claim: its documents open under normal access (dockets.permissions) and the claim
    code is no longer shown.
    """
    max_age = dt.timedelta(days=settings.ECF_LINK_EXPIRY_DAYS)
    fresh = True
    try:
        version_id = signing.loads(token, salt=RECEIPT_SALT, max_age=max_age)
    except signing.SignatureExpired:
        fresh = False
        version_id = signing.loads(token, salt=RECEIPT_SALT)
    except signing.BadSignature:
        raise Http404 from None
    version = (
        ClaimVersion.objects.select_related(
            "claim",
            "claim__case",
            "claim__case__court",
            "claim__case__office",
            "claim__case__judge",
            "entry",
        )
        .filter(pk=version_id)
        .first()
    )
    if version is None:
        raise Http404
    return version, fresh


@require_http_methods(["GET"])
def epoc_receipt(request: HttpRequest, token: str) -> HttpResponse:
    version, fresh = _receipt_version(token)
    documents = (
        [
            d
            for d in version.entry.documents.order_by("sequence")
            if can_view_document(request.user, d)
        ]
        if version.entry is not None
        else []
    )
    response = render(
        request,
        "dockets/claims/epoc_receipt.html",
        {
            "version": version,
            "claim": version.claim,
            "case": version.claim.case,
            "documents": documents,
            "token": token,
            "expired": not fresh,
            # The claim's own code, on the original ePOC receipt only (never the
            # register), while the receipt link is fresh.
            "claim_code": decrypt(version.claim.epoc_code_encrypted)
            if fresh and version.version == 1 and version.claim.epoc
            else "",
        },
    )
    response["Cache-Control"] = "private, no-store"  # the claim code: never in a cache
    return response


@require_http_methods(["GET"])
def epoc_download(request: HttpRequest, token: str, sequence: int) -> HttpResponse:
    """The ePOC filer's stamped copy. The link grants nothing beyond can_view_document:
    a sealed or restricted claim document never opens through it."""
    version, fresh = _receipt_version(token)
    if version.entry is None:
        raise Http404
    document = version.entry.documents.filter(sequence=sequence).first()
    if document is None:
        raise Http404
    if not fresh:
        return redirect("dockets:claim-document", document_id=document.pk)
    if not can_view_document(request.user, document):
        raise Http404
    record_document_access(request=request, document=document, route="epoc-receipt")
    return _pdf_response(document, version)


def _pdf_response(document, version: ClaimVersion) -> HttpResponse:
    claim = version.claim
    data = stamped_claim_pdf(
        document=document,
        case_number=claim.case.display_number,
        claim_label=f"{claim.number}-{version.version}",
        filed=version.filed_date,
    )
    response = HttpResponse(data, content_type="application/pdf")
    label = f"claim-{claim.number}-{version.version}-{document.sequence}.pdf"
    response["Content-Disposition"] = f'inline; filename="{label}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET"])
def claim_document(request: HttpRequest, document_id: int) -> HttpResponse:
    """A claim document with its claim stamp; visibility decided by dockets.permissions."""
    document = access_document(request.user, document_id)
    version = (
        ClaimVersion.objects.select_related(
            "claim",
            "claim__case",
            "claim__case__court",
            "claim__case__office",
            "claim__case__judge",
        )
        .filter(entry_id=document.entry_id)
        .first()
    )
    if version is None:
        raise Http404
    record_document_access(request=request, document=document, route="claim-document")
    return _pdf_response(document, version)
