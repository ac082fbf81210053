"""The clerk's and the judge's screens. Thin: check the user, read the form, call one
service, then render or redirect. Refusals come back as plain messages and change
nothing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.models import Case
from cases.permissions import access_case
from core import clock
from core.downloads import protected_file_response
from core.errors import UserFacingError
from filers.models import User

from ..models import DocketEntry, Document, Event
from ..permissions import access_entry
from ..uploads import held_documents, keep_form_upload, release_held
from . import selectors, services
from .event_forms import (
    EventEntryForm,
    EventPickForm,
    PaperFilingForm,
    PaperPetitionForm,
    SignOrderForm,
)
from .forms import (
    CaseLookupForm,
    CorrectiveForm,
    DeficiencyForm,
    DocumentVisibilityForm,
    EnteredInErrorForm,
    EntryVisibilityForm,
    EscalateForm,
    ModifyTextForm,
    MoveForm,
    NoteForm,
    QcFilterForm,
    ReplaceDocumentForm,
    SealAllowanceForm,
    SealRevokeForm,
    StrikeForm,
    cleanup,
)
from .models import Deficiency
from .permissions import require_clerk, require_court_user, require_judge


def docketed(entry: DocketEntry) -> str:
    """'Hearing Set docketed as an unnumbered entry.' / 'Order on Motion docketed as entry #7.'"""
    where = f"entry #{entry.number}" if entry.number else "an unnumbered entry"
    return f"{entry.event.name} docketed as {where}."


def _entry_for_clerk(request: HttpRequest, entry_id: int) -> DocketEntry:
    require_clerk(request.user)
    return access_entry(request.user, entry_id)


# The rule book names the API's fields; these are the clerk's form fields for them.
PROBLEM_FIELDS = {
    "party_ids": "party",
    "against_ids": "against",
    "related_numbers": "related",
    "main": "pdf",
}


def _fail(request: HttpRequest, form, error: UserFacingError) -> None:
    """Show a refusal on the form: each rule-book problem on its own field when the
    form has that field, otherwise at the top."""
    problems = getattr(error, "problems", None)
    if not problems:
        form.add_error(None, error.message)
    for problem in problems or []:
        name = PROBLEM_FIELDS.get(problem.field, "")
        if problem.field.startswith("fields."):
            name = "f_" + problem.field.removeprefix("fields.")
        form.add_error(name if name in form.fields else None, problem.message)
    messages.error(request, error.message)


# -- QC ----------------------------------------------------------------------------------


@login_required
@require_GET
def qc_queue(request: HttpRequest) -> HttpResponse:
    require_clerk(request.user)
    form = QcFilterForm(request.GET or None)
    filters = selectors.QcFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.QcFilters(
            status=data["status"] or "pending",
            office=data["office"].pk if data["office"] else None,
            chapter=data["chapter"],
            judge=data["judge"].pk if data["judge"] else None,
            event=data["event"].strip(),
            filer=data["filer"],
            older_than_days=data["older_than_days"],
            case=data["case"].strip(),
        )
    page = selectors.qc_queue(filters, after=request.GET.get("after", ""))
    params = request.GET.copy()
    params.pop("after", None)
    next_url = ""
    if page.next_cursor:
        params["after"] = page.next_cursor
        next_url = f"?{params.urlencode()}"
    return render(
        request,
        "dockets/clerk/qc_queue.html",
        {
            "form": form,
            "page": page,
            "filters": filters,
            "next_url": next_url,
            "review_form": NoteForm(),
        },
    )


@login_required
@require_POST
def qc_review(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = _entry_for_clerk(request, entry_id)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.mark_entry_reviewed(entry=entry, clerk=request.user, note=note)
        messages.success(
            request,
            f"Entry {services._ref(entry)} in case {entry.case.display_number} marked reviewed.",
        )
    except UserFacingError as error:
        messages.error(request, error.message)
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect("dockets:qc-queue")


@login_required
@require_GET
def qc_document(request: HttpRequest, document_id: int) -> HttpResponse:
    """Show a filed PDF inline to a court user (the original; replaced ones too)."""
    require_court_user(request.user)
    document = Document.objects.filter(pk=document_id).first()
    if document is None:
        raise Http404
    field = (
        document.stamped
        if document.stamped and request.GET.get("original") != "1"
        else document.original
    )
    if not field.name:
        raise Http404
    return protected_file_response(
        field.name, filename=f"document-{document.pk}.pdf", as_attachment=False
    )


@login_required
@require_GET
def clerk_dashboard(request: HttpRequest) -> HttpResponse:
    require_clerk(request.user)
    lookup = CaseLookupForm(request.GET or None)
    found = (
        lookup.cleaned_data["case_number"]
        if request.GET and lookup.is_valid()
        else None
    )
    return render(
        request,
        "dockets/clerk/dashboard.html",
        {
            "lookup": lookup,
            "found": found,
            "board": selectors.dashboard(),
            "failures_url": reverse("dockets:pipeline-failures"),
        },
    )


# -- corrections ---------------------------------------------------------------------------

CORRECTION_FORMS = {
    "corrective": ("corr", CorrectiveForm),
    "entered_in_error": ("eie", EnteredInErrorForm),
    "modify_text": ("text", ModifyTextForm),
    "replace_document": ("repl", ReplaceDocumentForm),
    "strike": ("strike", StrikeForm),
    "move": ("move", MoveForm),
}


def _correction_forms(
    entry: DocketEntry, data=None, files=None, action: str = ""
) -> dict:
    forms = {}
    for name, (prefix, cls) in CORRECTION_FORMS.items():
        bound = data if name == action else None
        kwargs = {"prefix": prefix}
        if cls in (ReplaceDocumentForm, StrikeForm):
            kwargs["entry"] = entry
        if cls is ModifyTextForm and bound is None:
            kwargs["initial"] = {"text": entry.text}
        forms[name] = cls(bound, files if bound is not None else None, **kwargs)
    return forms


@login_required
@require_http_methods(["GET", "POST"])
def entry_correct(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = _entry_for_clerk(request, entry_id)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if request.method == "POST" and action not in CORRECTION_FORMS:
        messages.error(request, "Pick one of the corrections on this page.")
        return redirect("dockets:entry-correct", entry_id=entry.pk)
    forms = _correction_forms(entry, request.POST, request.FILES, action)
    kept: list = []
    if request.method == "POST":
        form = forms[action]
        if action == "replace_document":
            # The corrected PDF is checked now and kept across any form error.
            kept = keep_form_upload(request, form, "upload")
        if form.is_valid():
            data = form.cleaned_data
            try:
                with held_documents(kept) as documents:
                    if documents:
                        data["upload"] = documents[0]
                    done = _correct(entry, request.user, action, data)
                release_held(kept)
                messages.success(request, done)
                return redirect("dockets:entry-correct", entry_id=entry.pk)
            except UserFacingError as error:
                _fail(request, form, error)
    entry = access_entry(request.user, entry.pk)
    return render(
        request,
        "dockets/clerk/entry_correct.html",
        {
            "entry": entry,
            "forms": forms,
            "documents": entry.documents.order_by("sequence", "id"),
            "revisions": entry.revisions.select_related("changed_by"),
            "referred_by": entry.referred_by.select_related("event").order_by("seq"),
            "docket_url": reverse("dockets:docket", kwargs={"case_id": entry.case_id}),
            "kept": kept,
        },
        status=400 if request.method == "POST" else 200,
    )


def _correct(entry: DocketEntry, clerk, action: str, data: dict) -> str:
    if action == "corrective":
        new = services.docket_corrective_entry(
            entry=entry, clerk=clerk, correction=data["correction"], note=data["note"]
        )
        return f"Corrective entry {services._ref(new)} docketed."
    if action == "entered_in_error":
        new = services.mark_entered_in_error(
            entry=entry, clerk=clerk, reason=data["reason"]
        )
        return f"Entry marked entered in error; notice {services._ref(new)} docketed."
    if action == "modify_text":
        services.modify_docket_text(
            entry=entry, clerk=clerk, text=data["text"], reason=data["reason"]
        )
        return "Docket text modified; the parties are sent a notice of the change."
    if action == "replace_document":
        services.replace_document(
            document=data["document"],
            clerk=clerk,
            upload=data["upload"],
            reason=data["reason"],
        )
        return "PDF replaced. The old one is kept on the record, visible to court users only."
    if action == "strike":
        services.strike_entry(entry=entry, clerk=clerk, order=data["order"])
        return "Entry stricken."
    moved = services.move_entry_to_case(
        entry=entry, clerk=clerk, target=data["case_number"]
    )
    return f"Re-docketed in case {moved.case.display_number} as entry {services._ref(moved)}; the filer was told."


# -- visibility ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def entry_visibility(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = _entry_for_clerk(request, entry_id)
    form = EntryVisibilityForm(
        request.POST or None,
        initial={"visibility": entry.visibility, "visible_from": entry.visible_from},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_entry_visibility(
                entry=entry,
                clerk=request.user,
                visibility=form.cleaned_data["visibility"],
                reason=form.cleaned_data["reason"],
                visible_from=form.cleaned_data["visible_from"],
            )
            messages.success(
                request,
                "Access changed. It applies at once everywhere the entry appears.",
            )
            return redirect("dockets:entry-visibility", entry_id=entry.pk)
        except UserFacingError as error:
            _fail(request, form, error)
    return _render_entry_visibility(request, entry, form=form)


def _render_entry_visibility(
    request: HttpRequest,
    entry: DocketEntry,
    *,
    form=None,
    allow_form=None,
    status: int | None = None,
) -> HttpResponse:
    form = form or EntryVisibilityForm(
        initial={"visibility": entry.visibility, "visible_from": entry.visible_from}
    )
    allow_form = allow_form or SealAllowanceForm(
        candidates=services.seal_allow_list_candidates(entry), prefix="allow"
    )
    return render(
        request,
        "dockets/clerk/entry_visibility.html",
        {
            "entry": entry,
            "form": form,
            "allow_form": allow_form,
            "allowances": entry.seal_allowances.select_related(
                "user", "added_by"
            ).order_by("created_at"),
            "documents": entry.documents.order_by("sequence", "id"),
        },
        status=status or (400 if request.method == "POST" else 200),
    )


@login_required
@require_POST
def entry_seal_allow(request: HttpRequest, entry_id: int) -> HttpResponse:
    """Add a person named by the sealing order to the entry's allow-list."""
    entry = _entry_for_clerk(request, entry_id)
    form = SealAllowanceForm(
        request.POST,
        candidates=services.seal_allow_list_candidates(entry),
        prefix="allow",
    )
    if form.is_valid():
        data = form.cleaned_data
        if data["participant"]:
            user = User.objects.filter(pk=data["participant"]).first()
        else:
            user = User.objects.filter(email__iexact=data["email"]).first()
        try:
            allowance = services.allow_sealed_entry(
                entry=entry, clerk=request.user, user=user, reason=data["reason"]
            )
            messages.success(
                request,
                f"{allowance.user.email} may now read this sealed entry and its documents.",
            )
            return redirect("dockets:entry-visibility", entry_id=entry.pk)
        except UserFacingError as error:
            _fail(request, form, error)
    return _render_entry_visibility(request, entry, allow_form=form, status=400)


@login_required
@require_POST
def entry_seal_revoke(request: HttpRequest, entry_id: int) -> HttpResponse:
    """Remove a person from the entry's sealing allow-list."""
    entry = _entry_for_clerk(request, entry_id)
    form = SealRevokeForm(request.POST)
    if form.is_valid():
        try:
            services.revoke_sealed_entry_allowance(
                entry=entry,
                clerk=request.user,
                allowance_id=form.cleaned_data["allowance"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, "Removed; their access ended at once.")
            return redirect("dockets:entry-visibility", entry_id=entry.pk)
        except UserFacingError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, "Give the reason for removing this person.")
    return _render_entry_visibility(request, entry, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def document_visibility(request: HttpRequest, document_id: int) -> HttpResponse:
    require_clerk(request.user)
    document = Document.objects.select_related("entry").filter(pk=document_id).first()
    if document is None:
        raise Http404
    entry = access_entry(request.user, document.entry_id)
    form = DocumentVisibilityForm(
        request.POST or None,
        entry=entry,
        prefix="doc",
        initial={"document": document, "visibility": document.visibility},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_document_visibility(
                document=form.cleaned_data["document"],
                clerk=request.user,
                visibility=form.cleaned_data["visibility"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, "The document's access changed.")
            return redirect("dockets:entry-visibility", entry_id=entry.pk)
        except UserFacingError as error:
            _fail(request, form, error)
    return render(
        request,
        "dockets/clerk/document_visibility.html",
        {"entry": entry, "document": document, "form": form},
        status=400 if request.method == "POST" else 200,
    )


# -- deficiencies --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def deficiency_new(request: HttpRequest, case_id: int) -> HttpResponse:
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
            _fail(request, form, error)
    return render(
        request,
        "dockets/clerk/deficiency_new.html",
        {"case": case, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def deficiency_report(request: HttpRequest) -> HttpResponse:
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
def deficiency_action(request: HttpRequest, deficiency_id: int) -> HttpResponse:
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
            _fail(request, form, error)
    return render(
        request,
        "dockets/clerk/deficiency_action.html",
        {"deficiency": deficiency, "form": form},
        status=400 if request.method == "POST" else 200,
    )


# -- court events, paper filings -------------------------------------------------------------


def _events_for(case: Case, *, court: bool):
    """Events the clerk may docket here; whether each fits the case (type, chapter,
    closed case) is dockets.filing.rules.event_fits_case."""
    from ..filing.rules import event_fits_case

    qs = Event.objects.filter(active=True)
    if court:
        qs = qs.filter(filer_roles__contains=["court"])
    else:
        qs = (
            qs.exclude(filer_roles=["court"])
            .exclude(case_action__in=["open_bk", "open_ap"])
            .exclude(case_action__startswith="claim_")
        )
    events = [e.pk for e in qs if not event_fits_case(e, case)]
    return Event.objects.filter(pk__in=events).order_by("category", "name")


def _event_entry_view(
    request: HttpRequest, case_id: int, *, paper: bool
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
                _fail(request, form, error)
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


def _docket_from_form(case, clerk, event, form, *, paper: bool) -> DocketEntry:
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
def court_event(request: HttpRequest, case_id: int) -> HttpResponse:
    return _event_entry_view(request, case_id, paper=False)


@login_required
@require_http_methods(["GET", "POST"])
def paper_filing(request: HttpRequest, case_id: int) -> HttpResponse:
    return _event_entry_view(request, case_id, paper=True)


@login_required
@require_http_methods(["GET", "POST"])
def paper_petition(request: HttpRequest) -> HttpResponse:
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
                _fail(request, form, error)
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


# -- orders to sign ----------------------------------------------------------------------------


@login_required
@require_GET
def orders_to_sign(request: HttpRequest) -> HttpResponse:
    require_judge(request.user)
    return render(
        request,
        "dockets/clerk/orders_to_sign.html",
        {"documents": selectors.proposed_orders_for(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def order_sign(request: HttpRequest, document_id: int) -> HttpResponse:
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
            _fail(request, form, error)
    return render(
        request,
        "dockets/clerk/order_sign.html",
        {"document": document, "motion": motion, "form": form},
        status=400 if request.method == "POST" else 200,
    )


# -- audit log -----------------------------------------------------------------------------------


def _before(request: HttpRequest) -> int | None:
    raw = request.GET.get("before", "")
    return int(raw) if raw.isdigit() else None


@login_required
@require_GET
def audit_case(request: HttpRequest, case_id: int) -> HttpResponse:
    require_clerk(request.user)
    case = access_case(request.user, case_id)
    page = selectors.audit_events(case=case, before=_before(request))
    return render(
        request,
        "dockets/clerk/audit_list.html",
        {"case": case, "subject": None, "page": page},
    )


@login_required
@require_GET
def audit_user(request: HttpRequest, user_id: int) -> HttpResponse:
    require_clerk(request.user)
    subject = User.objects.filter(pk=user_id).first()
    if subject is None:
        raise Http404
    page = selectors.audit_events(user=subject, before=_before(request))
    return render(
        request,
        "dockets/clerk/audit_list.html",
        {"case": None, "subject": subject, "page": page},
    )
