"""The audit log of a case or of a user, for the clerk."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cases.permissions import access_case
from filers.http import AuthedRequest
from filers.models import User

from .. import selectors
from ..permissions import require_clerk


def _before(request: HttpRequest) -> int | None:
    raw = request.GET.get("before", "")
    return int(raw) if raw.isdigit() else None


@login_required
@require_GET
def audit_case(request: AuthedRequest, case_id: int) -> HttpResponse:
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
def audit_user(request: AuthedRequest, user_id: int) -> HttpResponse:
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
