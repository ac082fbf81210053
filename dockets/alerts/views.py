"""My alerts: follow a name or a saved search, choose how often, stop following."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import UserFacingError
from filers.http import AuthedRequest

from . import services
from .models import Alert


@login_required
@require_http_methods(["GET", "POST"])
def alert_list(request: AuthedRequest) -> HttpResponse:
    """The user's alerts, and a form to follow a name or a search (POST)."""
    if request.method == "POST":
        try:
            alert = services.follow(
                user=request.user,
                kind=request.POST.get("kind", ""),
                term=request.POST.get("term", ""),
                frequency=request.POST.get("frequency", ""),
            )
        except UserFacingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"You now follow {alert}.")
        return redirect("dockets:alerts")
    alerts = (
        Alert.objects.filter(user=request.user)
        .select_related("case")
        .order_by("kind", "term", "id")
    )
    return render(
        request,
        "dockets/alerts/alert_list.html",
        {
            "alerts": alerts,
            "kinds": [
                (Alert.Kind.NAME, "A party or creditor name"),
                (Alert.Kind.SEARCH, "A search of docket text and document text"),
            ],
            "frequencies": Alert.Frequency.choices,
        },
    )


@login_required
@require_POST
def alert_change(request: AuthedRequest, alert_id: int) -> HttpResponse:
    """Change how often an alert is sent, or stop it (action=stop)."""
    alert = (
        Alert.objects.filter(pk=alert_id, user=request.user)
        .select_related("case")
        .first()
    )
    if alert is None:
        messages.error(request, "That alert no longer exists.")
    elif request.POST.get("action") == "stop":
        services.unfollow(user=request.user, alert_id=alert.pk)
        if alert.kind == Alert.Kind.CASE and alert.case is not None:
            from ..reports.follow import set_following

            set_following(case=alert.case, user=request.user, on=False)
        messages.success(request, f"You no longer follow {alert}.")
    else:
        try:
            services.follow(
                user=request.user,
                kind=alert.kind,
                case=alert.case,
                term=alert.term,
                frequency=request.POST.get("frequency", ""),
            )
        except UserFacingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Saved.")
    return redirect("dockets:alerts")
