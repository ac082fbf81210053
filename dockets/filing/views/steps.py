"""The wizard's steps: one view per screen (events, parties, documents, related, fields, fee, review).

Each takes the draft already checked by `access_draft` and works without JavaScript.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect

from cases.models import Party
from core.errors import UserFacingError
from filers.http import AuthedRequest
from filers.models import Filer, Role, User
from filers.permissions import is_active_court_user

from ... import fees
from ...text import money
from .. import forms, services, wizard
from ..models import Draft
from ..rules import (
    CLOSED_CASE_WHY,
    FilingCheck,
    blocking,
    can_file_event,
    conflict_problems,
    events_for,
)
from .common import filing_clock, go_to_step, post_data, render, render_step


def _back_or_next(request, draft, step, events=None) -> HttpResponse:
    if "back" in request.POST:
        return go_to_step(draft, wizard.previous_step(draft, step, events))
    return go_to_step(draft, wizard.next_step(draft, step, events))


def step_events(request: AuthedRequest, draft: Draft) -> HttpResponse:
    assert draft.case is not None  # noqa: S101 (every draft is made in a case)
    if request.method == "POST" and "back" not in request.POST:
        # The chosen events are judged one by one by the rule book's gate, which is
        # what events_for applies to the whole catalogue: an answer that passes is
        # saved without reading the catalogue; any other goes through the full form
        # below, for the same verdict and its messages.
        quick = forms.EventsForm(request.POST, allowed=None)
        if quick.is_valid():
            events = sorted(quick.cleaned_data["events"], key=lambda e: e.name)
            if all(
                not can_file_event(
                    request.user, e, draft.case, principal=draft.principal
                )
                for e in events
            ):
                return _save_events(draft, events)
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
        post_data(request), allowed=allowed, initial={"events": chosen_ids}
    )
    if request.method == "POST" and form.is_valid():
        return _save_events(
            draft, sorted(form.cleaned_data["events"], key=lambda e: e.name)
        )
    for e in shown:
        e.fee_text = money(e.fee_cents) if e.fee_cents else ""
    categories = sorted({e.category for e in allowed})
    shown_ids = {e.pk for e in shown}
    return render_step(
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


def _save_events(draft: Draft, events: list) -> HttpResponse:
    """Keep the chosen events (CM/ECF: in alphabetical order) and go on."""
    services.save_state(
        draft,
        step="events",
        event_ids=[e.pk for e in events],
        event_names=[e.name for e in events],
    )
    return go_to_step(draft, wizard.next_step(draft, "events", events))


def step_parties(request: AuthedRequest, draft: Draft) -> HttpResponse:
    assert draft.case is not None  # noqa: S101 (every draft is made in a case)
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
        post_data(request),
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
                return render_step(
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
            return go_to_step(draft, wizard.previous_step(draft, "parties", events))
    against = Party.objects.filter(case=draft.case, pk__in=state.get("against_ids", []))
    return render_step(
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
    assert draft.case is not None  # noqa: S101 (every draft is made in a case)
    check = FilingCheck(
        user=request.user,
        principal=draft.principal,
        case=draft.case,
        events=list(events),
        against=list(against),
    )
    return [p.message for p in conflict_problems(check)]


def step_documents(request: AuthedRequest, draft: Draft) -> HttpResponse:
    events = wizard.events_of(draft)
    attachments_allowed = any(e.attachments for e in events)
    form = forms.UploadForm(
        post_data(request),
        request.FILES or None,
        attachments_allowed=attachments_allowed,
    )
    errors: list[str] = []
    if request.method == "POST":
        if "remove" in request.POST:
            with contextlib.suppress(ValueError):
                services.remove_upload(draft=draft, index=int(request.POST["remove"]))
            return go_to_step(draft, "documents")
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
                    return go_to_step(
                        draft, wizard.previous_step(draft, "documents", events)
                    )
                if "upload" in request.POST:
                    messages.success(
                        request, "The file was checked and added to this filing."
                    )
                    return go_to_step(draft, "documents")
                has_main = any(d.get("main") for d in draft.state.get("documents", []))
                if not has_main and any(e.pdf == "required" for e in events):
                    errors.append("Upload the main document (PDF) before you continue.")
                else:
                    return go_to_step(
                        draft, wizard.next_step(draft, "documents", events)
                    )
    return render_step(
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


def step_related(request: AuthedRequest, draft: Draft) -> HttpResponse:
    assert draft.case is not None  # noqa: S101 (every draft is made in a case)
    events = wizard.events_of(draft)
    required = any(e.refers == "required" for e in events)
    if (
        request.method == "POST"
        and not request.POST.getlist("related")
        and (not required or "back" in request.POST)
    ):
        # Nothing picked and nothing required: no entry to check against what the
        # filer may read (the answer the full form below would save).
        services.save_state(draft, step="related", related_ids=[])
        return _back_or_next(request, draft, "related", events)
    # The filer's readable entries, decided once for this request.
    everything = wizard.relatable_entries(request.user, draft.case)
    refer_categories = sorted({c for e in events for c in e.refer_categories})
    if refer_categories:
        everything = everything.filter(event__category__in=refer_categories)
    chosen = draft.state.get("related_ids", [])
    form = forms.RelatedForm(
        post_data(request), entries=everything, initial={"related": chosen}
    )
    if request.method == "POST" and form.is_valid():
        picked = [e.pk for e in form.cleaned_data["related"]]
        if required and not picked and "back" not in request.POST:
            form.add_error(
                "related", "This filing must refer to an earlier entry: tick it."
            )
        else:
            services.save_state(draft, step="related", related_ids=picked)
            return _back_or_next(request, draft, "related", events)
    # The category filter is read only for the page that shows it.
    categories = refer_categories or sorted(
        set(everything.values_list("event__category", flat=True))
    )
    category = request.GET.get("category", "")
    if category and categories and category not in categories:
        category = ""
    shown = everything.filter(event__category=category) if category else everything
    return render_step(
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


def step_fields(request: AuthedRequest, draft: Draft) -> HttpResponse:
    events = wizard.events_of(draft)
    specs = wizard.field_specs(events)
    form = forms.FieldsForm(
        post_data(request), specs=specs, values=draft.state.get("fields", {})
    )
    if request.method == "POST":
        if form.is_valid():
            values = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
            services.save_state(draft, step="fields", fields=values)
            return _back_or_next(request, draft, "fields", events)
        if "back" in request.POST:
            return go_to_step(draft, wizard.previous_step(draft, "fields", events))
    return render_step(request, draft, "fields", {"form": form, "events": events})


def step_fee(request: AuthedRequest, draft: Draft) -> HttpResponse:
    assert draft.case is not None  # noqa: S101 (every draft is made in a case)
    events = wizard.events_of(draft)
    child_ok = any(
        "child_support_creditor" in e.fee_exemptions and e.fee_cents for e in events
    )
    form = forms.FeeForm(
        post_data(request),
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
    # The quote is read only for the page that shows it (a saved answer redirects).
    request_preview = services.build_request(draft=draft, user=request.user)
    quote = fees.quote_fee(
        events=events,
        case=draft.case,
        filer=draft.principal,
        parties=request_preview.parties,
        fields=request_preview.fields,
        child_support=bool(draft.state.get("child_support")),
    )
    return render_step(
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
    request: AuthedRequest,
    draft: Draft,
    *,
    chosen: wizard.Chosen | None = None,
    problems: list | None = None,
) -> HttpResponse:
    from ...services import compose_text

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
        post_data(request),
        has_findings=bool(findings),
        repairs=repairs,
        initial={f"repair_{i}": d.get("use_repaired") for i, d in repairs},
    )
    error = ""
    if request.method == "POST":
        if "back" in request.POST:
            return go_to_step(
                draft, wizard.previous_step(draft, "review", chosen.events)
            )
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
                    # The verdict shown above still holds unless the filer's
                    # choice of repaired copies just changed the documents.
                    problems=None if repairs else problems,
                )
            except UserFacingError as exc:
                error = exc.message
            else:
                # "Pay later" goes to the receipt without asking about the payment.
                if draft.state.get("pay", "now") == "now":
                    payment = services.payment_for(entry)
                    if payment is not None and fees.may_pay(request.user, payment):
                        return redirect("dockets:fee-pay", payment_id=payment.pk)
                return redirect("dockets:filing-receipt", entry_id=entry.pk)
    preview = services.build_request(draft=draft, user=request.user, chosen=chosen)
    # build_request always sets fee_cents (0 when nothing is due).
    fee = (preview.fee_cents or 0) if preview.fee_status == "due" else 0
    text = compose_text(preview, fee_cents=preview.fee_cents or 0)
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
            **filing_clock(),
        },
    )


STEP_VIEWS: dict[str, Callable[[AuthedRequest, Draft], HttpResponse]] = {
    "events": step_events,
    "parties": step_parties,
    "documents": step_documents,
    "related": step_related,
    "fields": step_fields,
    "fee": step_fee,
    "review": step_review,
}
