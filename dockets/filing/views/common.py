"""What every page of the filing views shares: court-time rendering, the filing clock, the draft door."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.shortcuts import render as django_render
from django.utils import timezone

from core import clock
from core.compiled import CompiledQuery
from filers.models import AnyUser, User

from .. import wizard
from ..models import Draft
from ..rules import (
    may_act_for,
)


def render(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    """Render with times shown in the court's time zone (stored in UTC)."""
    with timezone.override(clock.court_tz()):
        return django_render(request, template, context)


def post_data(request: HttpRequest):
    """The POST data of a POST (even an empty one), else None: an empty form is still submitted."""
    return request.POST if request.method == "POST" else None


def filing_clock() -> dict:
    """The filing clock: court-local time now and the date a filing made now carries."""
    now = clock.now()
    return {
        "clock_now": now,
        "clock_filed_date": now.date(),
        "clock_now_text": f"{now:%m/%d/%Y %I:%M %p} {now.tzname()}",
        "clock_date_text": f"{now:%m/%d/%Y}",
    }


def access_draft(user: AnyUser, draft_id: int) -> Draft:
    """Return an open draft `user` may work on (its owner, its attorney, or the attorney's agents)."""
    draft = _DRAFT.first(draft_id)
    if draft is None or not isinstance(user, User):
        raise Http404
    if user.pk not in (draft.owner_id, draft.principal_id) and not may_act_for(
        user, draft.principal
    ):
        raise Http404
    # The signed-in user is one object per request: what it has read once (its filer
    # record, its two-factor answer) is not read again for draft.principal or .owner.
    if draft.principal_id == user.pk:
        draft.principal = user
    if draft.owner_id == user.pk:
        draft.owner = user
    return draft


# Every step's read of its draft, compiled once per process (issue 21). The owner is
# asked only by id (who may work on the draft), so its row is not read.
_DRAFT = CompiledQuery(
    lambda draft_id: (
        Draft.objects.select_related(
            "case", "case__office", "case__judge", "case__court", "principal"
        )
        .filter(pk=draft_id)
        .order_by("pk")[:1]
    )
)


def render_step(request, draft: Draft, step: str, context: dict) -> HttpResponse:
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
            **filing_clock(),
            **context,
        },
    )


def go_to_step(draft: Draft, step: str) -> HttpResponse:
    return redirect("dockets:filing-step", draft_id=draft.pk, step=step)
