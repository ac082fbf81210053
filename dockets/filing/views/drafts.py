"""Starting a filing, dispatching to its current step, and a draft's files and discard."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from core.compiled import PLACEHOLDER, prepared_statements
from core.compiled_lookup import ID_LIST_PLACEHOLDER, CompiledLookup, id_in
from core.errors import UserFacingError
from filers.http import AuthedRequest
from filers.models import Role
from filers.permissions import filing_blockers

from .. import forms, services, wizard
from ..models import Draft
from ..rules import (
    blocking,
    filing_problems,
    first_step_to_fix,
    principals_for,
)
from .common import access_draft, filing_clock, go_to_step, post_data, render
from .steps import STEP_VIEWS, step_review


# The wizard's pages find every row by id or key (the draft, its case, events and
# parties): their statements are planned once per connection (core.compiled).
@login_required
@require_http_methods(["GET", "POST"])
@prepared_statements()
def filing_start(request: AuthedRequest) -> HttpResponse:
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
        post_data(request),
        user=user,
        principals=principals,
        initial={"case_number": request.GET.get("case", "")},
    )
    if request.method == "POST" and not blockers and form.is_valid():
        principal = form.cleaned_data.get("principal") or user
        assert form.case is not None  # noqa: S101 (clean_case_number found it)
        try:
            draft = services.start_draft(user=user, principal=principal, case=form.case)
        except UserFacingError as error:
            form.add_error(None, error.message)
        else:
            return go_to_step(draft, "events")
    drafts = _OPEN_DRAFTS.all(
        "plain",
        user_id=user.pk,
        principal_ids=[p.pk for p in principals or []],
        now=timezone.now(),
    )
    return render(
        request,
        "dockets/filing/filing_start.html",
        {
            "form": form,
            "blockers": blockers,
            "drafts": drafts,
            "is_agent": is_agent,
            **filing_clock(),
        },
    )


def open_drafts_query(
    *, shape: str, user_id: int, principal_ids: list[int], now: dt.datetime
) -> QuerySet[Draft]:
    """The unfinished drafts the user started, files under, or (an agent) may resume
    for the attorneys `principal_ids`, newest first (the start page lists 50)."""
    return (
        Draft.objects.filter(status=Draft.Status.OPEN, expires_at__gt=now)
        .filter(
            Q(owner_id=user_id)
            | Q(principal_id=user_id)
            | Q(id_in("principal_id", principal_ids))
        )
        .select_related("case", "case__office", "case__judge", "principal")
        .order_by("-updated_at")[:50]
    )


# The start page lists them on every visit: compiled once per process.
_OPEN_DRAFTS = CompiledLookup(
    open_drafts_query,
    {
        "user_id": PLACEHOLDER,
        "principal_ids": ID_LIST_PLACEHOLDER,
        "now": dt.datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=dt.UTC),
    },
)


@login_required
@require_http_methods(["GET", "POST"])
@prepared_statements()
def filing_step(request: AuthedRequest, draft_id: int, step: str) -> HttpResponse:
    draft = access_draft(request.user, draft_id)
    if draft.status == Draft.Status.SUBMITTED and draft.entry_id:
        return redirect("dockets:filing-receipt", entry_id=draft.entry_id)
    if draft.status != Draft.Status.OPEN:
        raise Http404
    handler = STEP_VIEWS.get(step)
    steps = wizard.steps_for(draft)
    if handler is None or step not in steps:
        return go_to_step(draft, steps[0] if step not in wizard.STEPS else "events")
    # The rule book decides which steps are open: a step after one with an unmet
    # requirement sends the filer back there (the step links, and forged POSTs, cannot
    # skip a required detail).
    earlier = steps[: steps.index(step)]
    # The first step has no earlier step to finish: no verdict needed. The gate asks
    # only what blocks; the review page shows the warnings too (rules.filing_problems).
    chosen = wizard.load(draft) if earlier else None
    problems = (
        filing_problems(
            services.check_for(draft=draft, user=request.user, chosen=chosen),
            warnings=step == "review",
        )
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
        return go_to_step(draft, fix)
    if step == "review":
        # The review shows this same verdict: the rule book runs once per request.
        return step_review(request, draft, chosen=chosen, problems=problems)
    return handler(request, draft)


@login_required
def draft_file(
    request: AuthedRequest, draft_id: int, index: int, kind: str
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
def draft_discard(request: AuthedRequest, draft_id: int) -> HttpResponse:
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
