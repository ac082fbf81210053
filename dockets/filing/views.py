"""Views of the filing wizard, the receipt, the filer's transaction log and fee payment.

Thin: parse the request, get objects through access functions (missing and forbidden
both 404), call one service, render or redirect. Every screen works without
JavaScript; each wizard screen shows the filing clock.
"""

from __future__ import annotations

import contextlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.shortcuts import render as django_render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from cases.models import Party
from core import clock
from core.errors import UserFacingError
from filers.models import Filer, Role, User
from filers.permissions import filing_blockers, is_active_court_user

from .. import fees
from ..models import DocketEntry, Payment
from ..permissions import access_entry, can_see_entry_text, can_view_document
from ..text import money
from . import forms, services, wizard
from .models import Checkout, Draft
from .rules import (
    CLOSED_CASE_WHY,
    FilingCheck,
    blocking,
    conflict_problems,
    events_for,
    first_step_to_fix,
    may_act_for,
    principals_for,
)


def render(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    """Render with times shown in the court's time zone (stored in UTC)."""
    with timezone.override(clock.court_tz()):
        return django_render(request, template, context)


def _post(request: HttpRequest):
    """The POST data of a POST (even an empty one), else None: an empty form is still submitted."""
    return request.POST if request.method == "POST" else None


def _clock() -> dict:
    """The filing clock: court-local time now and the date a filing made now carries."""
    now = clock.now()
    return {
        "clock_now": now,
        "clock_filed_date": now.date(),
        "clock_now_text": f"{now:%m/%d/%Y %I:%M %p} {now.tzname()}",
        "clock_date_text": f"{now:%m/%d/%Y}",
    }


def access_draft(user, draft_id: int) -> Draft:
    """Return an open draft `user` may work on (its owner, its attorney, or the attorney's agents)."""
    draft = (
        Draft.objects.select_related(
            "case", "case__office", "case__judge", "case__court", "principal", "owner"
        )
        .filter(pk=draft_id)
        .first()
    )
    if draft is None or not user.is_authenticated:
        raise Http404
    if user.pk not in (draft.owner_id, draft.principal_id) and not may_act_for(
        user, draft.principal
    ):
        raise Http404
    return draft


def _render_step(request, draft: Draft, step: str, context: dict) -> HttpResponse:
    events = context.get("events") or wizard.events_of(draft)
    steps = wizard.steps_for(draft, events)
    return render(
        request,
        f"dockets/filing/step_{step}.html",
        {
            "draft": draft,
            "case": draft.case,
            "step": step,
            "steps": [(s, wizard.STEP_TITLES[s]) for s in steps],
            "step_heading": wizard.STEP_TITLES[step],
            "step_title": wizard.STEP_TITLES[step],
            "step_number": steps.index(step) + 1 if step in steps else 1,
            "step_count": len(steps),
            "chosen_events": events,
            **_clock(),
            **context,
        },
    )


def _go(draft: Draft, step: str) -> HttpResponse:
    return redirect("dockets:filing-step", draft_id=draft.pk, step=step)


@login_required
@require_http_methods(["GET", "POST"])
def filing_start(request: HttpRequest) -> HttpResponse:
    """Start a filing: the case number (and, for an agent, the attorney filed for)."""
    user = request.user
    is_agent = user.role == Role.FILING_AGENT
    principals = principals_for(user) if is_agent else None
    blockers = (
        filing_blockers(user)
        if is_agent
        else services.blockers_for(user=user, principal=user)
    )
    form = forms.CaseForm(
        _post(request),
        user=user,
        principals=principals,
        initial={"case_number": request.GET.get("case", "")},
    )
    if request.method == "POST" and not blockers and form.is_valid():
        principal = form.cleaned_data.get("principal") or user
        try:
            draft = services.start_draft(user=user, principal=principal, case=form.case)
        except UserFacingError as error:
            form.add_error(None, error.message)
        else:
            return _go(draft, "events")
    drafts = (
        Draft.objects.filter(status=Draft.Status.OPEN, expires_at__gt=timezone.now())
        .filter(Q(owner=user) | Q(principal=user) | Q(principal__in=principals or []))
        .select_related("case", "case__office", "case__judge", "principal")
        .order_by("-updated_at")[:50]
    )
    return render(
        request,
        "dockets/filing/filing_start.html",
        {
            "form": form,
            "blockers": blockers,
            "drafts": drafts,
            "is_agent": is_agent,
            **_clock(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def filing_step(request: HttpRequest, draft_id: int, step: str) -> HttpResponse:
    draft = access_draft(request.user, draft_id)
    if draft.status == Draft.Status.SUBMITTED and draft.entry_id:
        return redirect("dockets:filing-receipt", entry_id=draft.entry_id)
    if draft.status != Draft.Status.OPEN:
        raise Http404
    handler = STEP_VIEWS.get(step)
    steps = wizard.steps_for(draft)
    if handler is None or step not in steps:
        return _go(draft, steps[0] if step not in wizard.STEPS else "events")
    # The rule book decides which steps are open: a step after one with an unmet
    # requirement sends the filer back there (the step links, and forged POSTs, cannot
    # skip a required detail).
    earlier = steps[: steps.index(step)]
    # The first step has no earlier step to finish: no verdict needed.
    chosen = wizard.load(draft) if earlier else None
    problems = (
        services.draft_problems(draft=draft, user=request.user, chosen=chosen)
        if earlier
        else []
    )
    fix = first_step_to_fix(problems, earlier)
    if fix is not None:
        for problem in blocking(problems):
            if problem.step == fix:
                messages.error(request, problem.message)
        messages.error(
            request,
            f"Finish \u201c{wizard.STEP_TITLES[fix]}\u201d before you go on to "
            f"\u201c{wizard.STEP_TITLES[step]}\u201d. Nothing was filed.",
        )
        return _go(draft, fix)
    if step == "review":
        # The review shows this same verdict: the rule book runs once per request.
        return step_review(request, draft, chosen=chosen, problems=problems)
    return handler(request, draft)


def _back_or_next(request, draft, step, events=None) -> HttpResponse:
    if "back" in request.POST:
        return _go(draft, wizard.previous_step(draft, step, events))
    return _go(draft, wizard.next_step(draft, step, events))


def step_events(request: HttpRequest, draft: Draft) -> HttpResponse:
    allowed = events_for(request.user, draft.case, principal=draft.principal)
    query = request.GET.get("q", "").strip().lower()
    category = request.GET.get("category", "")
    shown = [
        e
        for e in allowed
        if (not query or query in e.search_text or query in e.name.lower())
        and (not category or e.category == category)
    ]
    chosen_ids = draft.state.get("event_ids", [])
    form = forms.EventsForm(
        _post(request), allowed=allowed, initial={"events": chosen_ids}
    )
    if request.method == "POST" and form.is_valid():
        events = sorted(
            form.cleaned_data["events"], key=lambda e: e.name
        )  # CM/ECF: alphabetical order
        services.save_state(
            draft,
            step="events",
            event_ids=[e.pk for e in events],
            event_names=[e.name for e in events],
        )
        return _go(draft, wizard.next_step(draft, "events", events))
    for e in shown:
        e.fee_text = money(e.fee_cents) if e.fee_cents else ""
    categories = sorted({e.category for e in allowed})
    shown_ids = {e.pk for e in shown}
    return _render_step(
        request,
        draft,
        "events",
        {
            "form": form,
            "shown": shown,
            "hidden_chosen": [
                e for e in allowed if e.pk in chosen_ids and e.pk not in shown_ids
            ],
            "chosen_ids": chosen_ids,
            "query": request.GET.get("q", ""),
            "category": category,
            "categories": categories,
            "closed": not draft.case.is_open,
            "closed_why": CLOSED_CASE_WHY,
        },
    )


def step_parties(request: HttpRequest, draft: Draft) -> HttpResponse:
    events = wizard.events_of(draft)
    attorneys = (
        User.objects.filter(
            filer__role=Role.ATTORNEY, filer__status=Filer.Status.CERTIFIED
        )
        .exclude(pk=draft.principal_id)
        .order_by("full_name")
    )
    needs_against = any(e.needs_party_against for e in events)
    state = draft.state
    form = forms.PartiesForm(
        _post(request),
        case=draft.case,
        attorneys=attorneys,
        needs_against=needs_against,
        party_required=not is_active_court_user(draft.principal),
        any_party_role=is_active_court_user(draft.principal),
        initial={
            "parties": state.get("party_ids", []),
            "against": state.get("against_ids", []),
            "joint": bool(state.get("joint_ids")),
            "joint_attorneys": state.get("joint_ids", []),
        },
    )
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            new = (
                [
                    {
                        "name": data["new_party_name"].strip(),
                        "role": data["new_party_role"],
                    }
                ]
                if data.get("new_party_name", "").strip()
                else []
            )
            services.save_state(
                draft,
                step="parties",
                party_ids=[p.pk for p in data["parties"]],
                against_ids=[p.pk for p in data.get("against", [])],
                new_parties=new,
                joint_ids=[u.pk for u in data["joint_attorneys"]]
                if data.get("joint")
                else [],
            )
            conflicts = _conflicts(request, draft, events, data.get("against", []))
            if conflicts and not (
                "back" in request.POST or "conflict_ok" in request.POST
            ):
                # The filer represents a party this filing is against: say so now,
                # on this step (the choices are saved), not seven screens later.
                return _render_step(
                    request,
                    draft,
                    "parties",
                    {
                        "form": form,
                        "events": events,
                        "new_parties": new,
                        "conflicts": conflicts,
                        "conflict_asked": True,
                    },
                )
            return _back_or_next(request, draft, "parties", events)
        if "back" in request.POST:
            return _go(draft, wizard.previous_step(draft, "parties", events))
    against = Party.objects.filter(case=draft.case, pk__in=state.get("against_ids", []))
    return _render_step(
        request,
        draft,
        "parties",
        {
            "form": form,
            "events": events,
            "new_parties": state.get("new_parties", []),
            "conflicts": _conflicts(request, draft, events, list(against)),
        },
    )


def _conflicts(request, draft: Draft, events, against) -> list[str]:
    """The rule book's conflict warnings for these parties against (the filer, or the
    attorney an agent files for, represents one of them)."""
    if not against:
        return []
    check = FilingCheck(
        user=request.user,
        principal=draft.principal,
        case=draft.case,
        events=list(events),
        against=list(against),
    )
    return [p.message for p in conflict_problems(check)]


def step_documents(request: HttpRequest, draft: Draft) -> HttpResponse:
    events = wizard.events_of(draft)
    attachments_allowed = any(e.attachments for e in events)
    form = forms.UploadForm(
        _post(request),
        request.FILES or None,
        attachments_allowed=attachments_allowed,
    )
    errors: list[str] = []
    if request.method == "POST":
        if "remove" in request.POST:
            with contextlib.suppress(ValueError):
                services.remove_upload(draft=draft, index=int(request.POST["remove"]))
            return _go(draft, "documents")
        if form.is_valid():
            data = form.cleaned_data
            if data.get("main"):
                result = services.add_upload(
                    draft=draft, upload=data["main"], main=True
                )
                if not result.ok:
                    errors.append(
                        f"The main document was not accepted: {result.message}"
                    )
            if data.get("attachment"):
                result = services.add_upload(
                    draft=draft,
                    upload=data["attachment"],
                    main=False,
                    attachment_type=data.get("attachment_type", ""),
                    description=data.get("attachment_description", ""),
                )
                if not result.ok:
                    errors.append(f"The attachment was not accepted: {result.message}")
            if not errors:
                if "back" in request.POST:
                    return _go(draft, wizard.previous_step(draft, "documents", events))
                if "upload" in request.POST:
                    messages.success(
                        request, "The file was checked and added to this filing."
                    )
                    return _go(draft, "documents")
                has_main = any(d.get("main") for d in draft.state.get("documents", []))
                if not has_main and any(e.pdf == "required" for e in events):
                    errors.append("Upload the main document (PDF) before you continue.")
                else:
                    return _go(draft, wizard.next_step(draft, "documents", events))
    return _render_step(
        request,
        draft,
        "documents",
        {
            "form": form,
            "events": events,
            "errors": errors,
            "documents": list(enumerate(draft.state.get("documents", []))),
            "max_mb": settings.ECF_MAX_UPLOAD_BYTES // (1024 * 1024),
        },
    )


def step_related(request: HttpRequest, draft: Draft) -> HttpResponse:
    events = wizard.events_of(draft)
    categories = sorted({c for e in events for c in e.refer_categories}) or sorted(
        set(
            wizard.relatable_entries(request.user, draft.case).values_list(
                "event__category", flat=True
            )
        )
    )
    category = request.GET.get("category", "")
    if category and categories and category not in categories:
        category = ""
    everything = wizard.relatable_entries(request.user, draft.case)
    if any(e.refer_categories for e in events):
        everything = everything.filter(event__category__in=categories)
    shown = everything.filter(event__category=category) if category else everything
    chosen = draft.state.get("related_ids", [])
    form = forms.RelatedForm(
        _post(request), entries=everything, initial={"related": chosen}
    )
    if request.method == "POST" and form.is_valid():
        picked = [e.pk for e in form.cleaned_data["related"]]
        if (
            any(e.refers == "required" for e in events)
            and not picked
            and "back" not in request.POST
        ):
            form.add_error(
                "related", "This filing must refer to an earlier entry: tick it."
            )
        else:
            services.save_state(draft, step="related", related_ids=picked)
            return _back_or_next(request, draft, "related", events)
    return _render_step(
        request,
        draft,
        "related",
        {
            "form": form,
            "events": events,
            "categories": categories,
            "category": category,
            "shown_ids": set(shown.values_list("pk", flat=True)),
        },
    )


def step_fields(request: HttpRequest, draft: Draft) -> HttpResponse:
    events = wizard.events_of(draft)
    specs = wizard.field_specs(events)
    form = forms.FieldsForm(
        _post(request), specs=specs, values=draft.state.get("fields", {})
    )
    if request.method == "POST":
        if form.is_valid():
            values = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
            services.save_state(draft, step="fields", fields=values)
            return _back_or_next(request, draft, "fields", events)
        if "back" in request.POST:
            return _go(draft, wizard.previous_step(draft, "fields", events))
    return _render_step(request, draft, "fields", {"form": form, "events": events})


def step_fee(request: HttpRequest, draft: Draft) -> HttpResponse:
    events = wizard.events_of(draft)
    request_preview = services.build_request(draft=draft, user=request.user)
    quote = fees.quote_fee(
        events=events,
        case=draft.case,
        filer=draft.principal,
        parties=request_preview.parties,
        fields=request_preview.fields,
        child_support=bool(draft.state.get("child_support")),
    )
    child_ok = any(
        "child_support_creditor" in e.fee_exemptions and e.fee_cents for e in events
    )
    form = forms.FeeForm(
        _post(request),
        child_support_allowed=child_ok,
        initial={
            "pay": draft.state.get("pay", "now"),
            "child_support": draft.state.get("child_support", False),
        },
    )
    if request.method == "POST" and form.is_valid():
        services.save_state(
            draft,
            step="fee",
            pay=form.cleaned_data["pay"],
            child_support=bool(form.cleaned_data.get("child_support")),
        )
        return _back_or_next(request, draft, "fee", events)
    return _render_step(
        request,
        draft,
        "fee",
        {
            "form": form,
            "events": events,
            "quote": quote,
            "due_text": money(quote.due_cents),
            "base_text": money(quote.base_cents),
            "lockout_days": settings.ECF_FEE_LOCKOUT_DAYS,
        },
    )


def step_review(
    request: HttpRequest,
    draft: Draft,
    *,
    chosen: wizard.Chosen | None = None,
    problems: list | None = None,
) -> HttpResponse:
    from ..services import compose_text

    chosen = chosen or wizard.load(draft)
    documents = draft.state.get("documents", [])
    repairs = [
        (i, d)
        for i, d in enumerate(documents)
        if d.get("repair_offered") and d.get("repaired")
    ]
    if problems is None:
        problems = services.draft_problems(
            draft=draft, user=request.user, chosen=chosen
        )
    findings = services.review_findings(
        draft=draft, problems=problems, events=chosen.events
    )
    form = forms.ReviewForm(
        _post(request),
        has_findings=bool(findings),
        repairs=repairs,
        initial={f"repair_{i}": d.get("use_repaired") for i, d in repairs},
    )
    error = ""
    if request.method == "POST":
        if "back" in request.POST:
            return _go(draft, wizard.previous_step(draft, "review", chosen.events))
        if form.is_valid():
            if repairs:
                for i, doc in repairs:
                    doc["use_repaired"] = bool(form.cleaned_data.get(f"repair_{i}"))
                services.save_state(draft, step="review", documents=documents)
            try:
                entry = services.submit_draft(
                    draft=draft,
                    user=request.user,
                    acknowledged=bool(form.cleaned_data.get("acknowledged")),
                    chosen=chosen,
                )
            except UserFacingError as exc:
                error = exc.message
            else:
                payment = services.payment_for(entry)
                may_pay = (
                    payment is not None
                    and fees.payments_due_for(request.user)
                    .filter(pk=payment.pk)
                    .exists()
                )
                if may_pay and draft.state.get("pay", "now") == "now":
                    return redirect("dockets:fee-pay", payment_id=payment.pk)
                return redirect("dockets:filing-receipt", entry_id=entry.pk)
    preview = services.build_request(draft=draft, user=request.user, chosen=chosen)
    fee = preview.fee_cents if preview.fee_status == "due" else 0
    text = compose_text(preview, fee_cents=preview.fee_cents)
    problems = [p.message for p in blocking(problems)]
    return render(
        request,
        "dockets/filing/step_review.html",
        {
            "draft": draft,
            "case": draft.case,
            "step": "review",
            "form": form,
            "chosen": chosen,
            "findings": findings,
            "documents": list(enumerate(documents)),
            "docket_text": text,
            "fee_due": fee,
            "preview": preview,
            "error": error,
            "problems": problems,
            "fields": preview.text_fields,
            "fee_text": money(fee),
            "steps": [
                (s, wizard.STEP_TITLES[s])
                for s in wizard.steps_for(draft, chosen.events)
            ],
            "chosen_events": chosen.events,
            "step_heading": wizard.STEP_TITLES["review"],
            "step_title": wizard.STEP_TITLES["review"],
            **_clock(),
        },
    )


STEP_VIEWS = {
    "events": step_events,
    "parties": step_parties,
    "documents": step_documents,
    "related": step_related,
    "fields": step_fields,
    "fee": step_fee,
    "review": step_review,
}


@login_required
def draft_file(
    request: HttpRequest, draft_id: int, index: int, kind: str
) -> FileResponse:
    """Download a file uploaded to the draft, or its repaired copy, for review."""
    draft = access_draft(request.user, draft_id)
    documents = draft.state.get("documents", [])
    if not 0 <= index < len(documents):
        raise Http404
    doc = documents[index]
    name = (
        doc["name"] if kind == "original" else (doc.get("repaired") or {}).get("name")
    )
    if not name or not default_storage.exists(name):
        raise Http404
    filename = doc["filename"] if kind == "original" else f"repaired-{doc['filename']}"
    return FileResponse(
        default_storage.open(name, "rb"),
        content_type="application/pdf",
        filename=filename,
    )


@login_required
@require_http_methods(["GET", "POST"])
def draft_discard(request: HttpRequest, draft_id: int) -> HttpResponse:
    """Ask first, then delete an unfinished draft and its uploaded files."""
    draft = access_draft(request.user, draft_id)
    if draft.status != Draft.Status.OPEN:
        return redirect("dockets:filing-start")
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        services.discard_draft(draft=draft, user=request.user)
        messages.success(request, "The draft was deleted.")
        return redirect("dockets:filing-start")
    return render(
        request,
        "dockets/filing/draft_discard.html",
        {
            "draft": draft,
            "case": draft.case,
            "events": wizard.events_of(draft),
            "documents": draft.state.get("documents", []),
            "back": reverse(
                "dockets:filing-step",
                kwargs={"draft_id": draft.pk, "step": draft.step or "events"},
            ),
        },
    )


def _may_see_receipt(user, entry: DocketEntry) -> bool:
    if user.is_court_user:
        return True
    if user.pk in (entry.filer_id, entry.entered_by_id):
        return True
    return entry.filer is not None and may_act_for(user, entry.filer)


@login_required
def filing_receipt(request: HttpRequest, entry_id: int) -> HttpResponse:
    """The filer's receipt: the Notice of Electronic Filing as it will be sent."""
    entry = access_entry(request.user, entry_id)
    if not _may_see_receipt(request.user, entry):
        raise Http404
    # The filer's own receipt obeys the gate too: once the clerk seals the entry (or
    # rewrites its text under seal), the text reaches the court and the order's list only.
    text_visible = can_see_entry_text(request.user, entry)
    documents = (
        [d for d in entry.documents.all() if can_view_document(request.user, d)]
        if text_visible
        else []
    )
    payment = entry.payments.order_by("-id").first()
    docket_url = reverse("dockets:docket", kwargs={"case_id": entry.case_id})
    from ..pipeline.recipients import recipients_for

    plan = recipients_for(entry)
    return render(
        request,
        "dockets/filing/filing_receipt.html",
        {
            "entry": entry,
            "case": entry.case,
            "documents": documents,
            "text_visible": text_visible,
            "payment": payment,
            "docket_url": docket_url,
            "plan": plan,
            "entered_local": clock.local(entry.entered_at),
            "tz": clock.tz_abbrev(entry.entered_at),
            "related": list(entry.related.select_related("event")),
            "fee_text": money(payment.amount_cents) if payment else "",
            "may_pay": payment is not None
            and fees.payments_due_for(request.user).filter(pk=payment.pk).exists(),
        },
    )


@login_required
def filing_log(request: HttpRequest) -> HttpResponse:
    """The filer's own filings, newest first (a transaction log)."""
    user = request.user
    principal_ids = [p.pk for p in principals_for(user)]
    entries = (
        DocketEntry.objects.filter(
            Q(filer=user)
            | Q(entered_by=user)
            | Q(entered_by__isnull=False, filer_id__in=principal_ids)
        )
        .exclude(event__case_action="fee_receipt")
        .select_related(
            "case", "case__office", "case__judge", "event", "filer", "entered_by"
        )
        .order_by("-filed_at", "-id")
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "dockets/filing/filing_log.html", {"page": page})


@login_required
def fees_due(request: HttpRequest) -> HttpResponse:
    """Internet payments due: fees not yet paid, with a Pay button each."""
    payments = list(fees.payments_due_for(request.user))
    for p in payments:
        p.amount_text = money(p.amount_cents)
    return render(
        request,
        "dockets/filing/fees_due.html",
        {
            "payments": payments,
            "total_text": money(sum(p.amount_cents for p in payments)),
            "lockout": fees.fee_lockout_blockers(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def fee_pay(request: HttpRequest, payment_id: int) -> HttpResponse:
    """Start paying one fee: a confirmation, then off to the gateway's page."""
    payment = fees.access_payment(request.user, payment_id)
    if payment.status == Payment.Status.PAID:
        return redirect("dockets:filing-receipt", entry_id=payment.entry_id)
    if request.method == "POST":
        url = fees.gateway().start(
            payment=payment,
            user=request.user,
            return_url=reverse(
                "dockets:filing-receipt", kwargs={"entry_id": payment.entry_id}
            ),
        )
        return redirect(url)
    return render(
        request,
        "dockets/filing/fee_pay.html",
        {
            "payment": payment,
            "entry": payment.entry,
            "amount_text": money(payment.amount_cents),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def pay_gateway(request: HttpRequest, token: str) -> HttpResponse:
    """The built-in test gateway's card page (stands in for pay.gov)."""
    checkout = (
        Checkout.objects.select_related(
            "payment", "payment__entry", "payment__entry__case", "payment__entry__event"
        )
        .filter(token=token)
        .first()
    )
    if checkout is None or checkout.started_by_id != request.user.pk:
        raise Http404
    payment = checkout.payment
    if payment.status == Payment.Status.PAID:
        return redirect(checkout.return_url or reverse("dockets:fees-due"))
    form = forms.CardForm(_post(request))
    declined = ""
    if request.method == "POST" and form.is_valid():
        approved, message = fees.TestGateway.charge(form.cleaned_data["card_number"])
        last4 = form.cleaned_data["card_number"][-4:]
        if approved:
            fees.pay_fee(
                payment=payment,
                user=request.user,
                gateway_reference=f"TEST-{checkout.token[:12]}",
            )
            Checkout.objects.filter(pk=checkout.pk).update(
                status=Checkout.Status.PAID, card_last4=last4, message=message
            )
            messages.success(
                request,
                f"Payment of ${payment.amount_cents / 100:,.2f} received. Thank you.",
            )
            return redirect(checkout.return_url or reverse("dockets:fees-due"))
        Checkout.objects.filter(pk=checkout.pk).update(
            status=Checkout.Status.DECLINED, card_last4=last4, message=message
        )
        fees.record_declined_payment(
            payment=payment, user=request.user, message=message
        )
        declined = message
    return render(
        request,
        "dockets/filing/pay_gateway.html",
        {
            "form": form,
            "checkout": checkout,
            "payment": payment,
            "declined": declined,
            "amount_text": money(payment.amount_cents),
        },
    )
