"""Webhooks in the JSON API: register, list (with the delivery log) and delete.

A token of any scope may manage its own user's webhooks; what each webhook is told
is decided per event with dockets.permissions (see dockets.alerts.webhooks).
"""

from __future__ import annotations

from django.http import Http404
from ninja import Router, Schema

from cases.permissions import access_case
from core.errors import UserFacingError

from ..api.auth import WRITE_AUTH
from ..api.errors import ApiError
from ..api.schemas import with_errors
from . import webhooks
from .models import Webhook
from .webhooks import register_webhook

router = Router(tags=["Webhooks"], auth=WRITE_AUTH)


class WebhookIn(Schema):
    url: str
    case_id: int | None = None


def _out(hook: Webhook, *, secret: bool = False) -> dict:
    data = {
        "id": hook.pk,
        "url": hook.url,
        "case_id": hook.case_id,
        "active": hook.active,
        "consecutive_failures": hook.consecutive_failures,
        "disabled_reason": hook.disabled_reason,
        "created_at": hook.created_at.isoformat(),
    }
    if secret:
        data["secret"] = hook.secret
    return data


@router.post(
    "/webhooks", response=with_errors({201: dict}), operation_id="createWebhook"
)
def create_webhook(request, body: WebhookIn):
    """Register an HTTPS URL; the answer carries the signing secret (shown only once)."""
    user = request.api_token.user
    case = access_case(user, body.case_id) if body.case_id else None
    try:
        hook = register_webhook(user=user, url=body.url, case=case)
    except UserFacingError as exc:
        raise ApiError(400, "invalid_webhook", str(exc)) from exc
    return 201, _out(hook, secret=True)


@router.get("/webhooks", response=with_errors({200: dict}), operation_id="listWebhooks")
def list_webhooks(request):
    hooks = Webhook.objects.filter(user=request.api_token.user).order_by("id")
    return 200, {"webhooks": [_out(h) for h in hooks]}


def _mine(request, webhook_id: int) -> Webhook:
    hook = Webhook.objects.filter(pk=webhook_id, user=request.api_token.user).first()
    if hook is None:
        raise Http404
    return hook


@router.get(
    "/webhooks/{webhook_id}/deliveries",
    response=with_errors({200: dict}),
    operation_id="webhookDeliveries",
)
def webhook_deliveries(request, webhook_id: int):
    """The delivery log: the newest 100 deliveries, their status and last answer."""
    hook = _mine(request, webhook_id)
    rows = hook.deliveries.all()[:100]
    return 200, {
        "deliveries": [
            {
                "id": r.pk,
                "event": r.event,
                "status": r.status,
                "attempts": r.attempts,
                "last_status_code": r.last_status_code,
                "last_error": r.last_error,
                "created_at": r.created_at.isoformat(),
                "delivered_at": r.delivered_at.isoformat() if r.delivered_at else None,
            }
            for r in rows
        ]
    }


@router.delete(
    "/webhooks/{webhook_id}",
    response=with_errors({204: None}),
    operation_id="deleteWebhook",
)
def delete_webhook(request, webhook_id: int):
    webhooks.delete_webhook(
        user=request.api_token.user, hook=_mine(request, webhook_id)
    )
    return 204, None
