"""My webhooks: the web page of dockets.alerts.webhooks for a signed-in filer.

Add a target (checked against server-side request forgery by register_webhook, the
same door as the API), see its signing secret once, rotate it, delete it, and read the
newest deliveries with their status; a failed delivery can be sent again. Every
webhook and delivery is looked up through the owner (access_own_webhook), so another
user's ids are the same 404 as missing ones. Works without JavaScript.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cases.numbers import parse_case_number
from cases.selectors import cases_visible_to
from core.errors import UserFacingError
from filers.http import AuthedRequest
from filers.models import AnyUser, User
from filers.permissions import filing_blockers

from .models import Webhook, WebhookDelivery
from .webhooks import (
    MAX_WEBHOOKS,
    delete_webhook,
    reactivate_webhook,
    register_webhook,
    retry_delivery,
    rotate_webhook_secret,
)

DELIVERIES_SHOWN = 50


def access_own_webhook(user: User, webhook_id: int) -> Webhook:
    """Return the user's webhook; another user's or none at all is the same 404."""
    hook = (
        Webhook.objects.filter(pk=webhook_id, user=user).select_related("case").first()
    )
    if hook is None:
        raise Http404
    return hook


def _case_from_number(user: AnyUser, text: str):
    """The case a webhook is limited to, from its number (empty: every case)."""
    text = (text or "").strip()
    if not text:
        return None
    parsed = parse_case_number(text)
    if parsed is None:
        raise UserFacingError(
            "That is not a case number (for example 24-01234 or 3:24-bk-01234)."
        )
    qs = cases_visible_to(user).filter(number=parsed.number, year=parsed.year)
    if parsed.case_type:
        qs = qs.filter(case_type=parsed.case_type)
    if parsed.office is not None:
        qs = qs.filter(office__number=parsed.office)
    found = list(qs[:2])
    if not found:
        raise UserFacingError(f"No case has the number {text}.")
    if len(found) > 1:
        raise UserFacingError(
            "Several cases have that number: give the office and type too, "
            "for example 3:24-bk-01234."
        )
    return found[0]


def _secret_page(request: HttpRequest, hook: Webhook, *, rotated: bool) -> HttpResponse:
    # Shown once, in this response only: never stored in a message or a redirect.
    response = render(
        request,
        "dockets/alerts/webhook_secret.html",
        {"hook": hook, "rotated": rotated},
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def webhook_list(request: AuthedRequest) -> HttpResponse:
    """The filer's webhooks, and a form to add one (POST)."""
    blockers = filing_blockers(request.user)
    error, values = "", {"url": "", "case": ""}
    if request.method == "POST":
        values = {
            "url": request.POST.get("url", "")[:600],
            "case": request.POST.get("case", "")[:60],
        }
        if blockers:
            error = blockers[0]
        else:
            try:
                case = _case_from_number(request.user, values["case"])
                hook = register_webhook(user=request.user, url=values["url"], case=case)
            except UserFacingError as exc:
                error = str(exc)
            else:
                return _secret_page(request, hook, rotated=False)
    hooks = Webhook.objects.filter(user=request.user).select_related("case")
    return render(
        request,
        "dockets/alerts/webhook_list.html",
        {
            "hooks": hooks.order_by("-created_at", "-id"),
            "blockers": blockers,
            "error": error,
            "values": values,
            "max_webhooks": MAX_WEBHOOKS,
        },
        status=422 if error else 200,
    )


@login_required
@require_http_methods(["GET"])
def webhook_detail(request: AuthedRequest, webhook_id: int) -> HttpResponse:
    """One webhook: its state and the newest deliveries (status, answer, retry)."""
    hook = access_own_webhook(request.user, webhook_id)
    deliveries = hook.deliveries.all()[:DELIVERIES_SHOWN]
    return render(
        request,
        "dockets/alerts/webhook_detail.html",
        {
            "hook": hook,
            "deliveries": deliveries,
            "shown": DELIVERIES_SHOWN,
            "failed": WebhookDelivery.Status.FAILED,
            "blockers": filing_blockers(request.user),
        },
    )


@login_required
@require_POST
def webhook_rotate(request: AuthedRequest, webhook_id: int) -> HttpResponse:
    """A new signing secret, shown once; the old one no longer signs anything."""
    hook = access_own_webhook(request.user, webhook_id)
    blockers = filing_blockers(request.user)
    if blockers:
        messages.error(request, blockers[0])
        return redirect("dockets:webhook-detail", webhook_id=hook.pk)
    hook = rotate_webhook_secret(user=request.user, hook=hook)
    return _secret_page(request, hook, rotated=True)


@login_required
@require_POST
def webhook_reactivate(request: AuthedRequest, webhook_id: int) -> HttpResponse:
    hook = access_own_webhook(request.user, webhook_id)
    blockers = filing_blockers(request.user)
    try:
        if blockers:
            raise UserFacingError(blockers[0])
        reactivate_webhook(user=request.user, hook=hook)
    except UserFacingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"The webhook to {hook.url} is on again.")
    return redirect("dockets:webhook-detail", webhook_id=hook.pk)


@login_required
@require_POST
def webhook_delete(request: AuthedRequest, webhook_id: int) -> HttpResponse:
    hook = access_own_webhook(request.user, webhook_id)
    delete_webhook(user=request.user, hook=hook)
    messages.success(request, f"The webhook to {hook.url} is deleted.")
    return redirect("dockets:webhooks")


@login_required
@require_POST
def webhook_retry(
    request: AuthedRequest, webhook_id: int, delivery_id: int
) -> HttpResponse:
    """Send one failed delivery again; its new status shows on the webhook's page."""
    hook = access_own_webhook(request.user, webhook_id)
    delivery = hook.deliveries.filter(pk=delivery_id).first()
    if delivery is None:
        raise Http404
    blockers = filing_blockers(request.user)
    try:
        if blockers:
            raise UserFacingError(blockers[0])
        retry_delivery(user=request.user, delivery=delivery)
    except UserFacingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Delivery {delivery.pk} is queued to be sent again.")
    return redirect("dockets:webhook-detail", webhook_id=hook.pk)
