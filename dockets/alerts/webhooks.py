"""Webhooks: the events of dockets.alerts, POSTed as signed JSON to an API client's URL.

Threat model:
- Server-side request forgery: a target must be https (a test-only setting allows
  http to loopback), and every address its host resolves to must be public; the
  connection then goes to the address that was checked (no second lookup, so a
  DNS answer that changes in between cannot point it inside), with no redirects.
- Leaks: the payload says what the webhook's owner may see, by the same per-user
  rules as alert e-mails (dockets.alerts.services._entry_summary): a sealed entry
  is announced as sealed, never with its text.
- Authenticity: `X-ECF-Signature: t=<unix time>,v1=<hex HMAC-SHA256(secret, "t.body")>`.
- Reliability: one delivery row per (webhook, event); retries with exponential
  backoff (Celery); a webhook is disabled after ECF_WEBHOOK_DISABLE_AFTER failed
  deliveries in a row, with the reason shown to its owner.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import ipaddress
import json
import secrets
import socket
import ssl
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.audit import record_event
from core.errors import UserFacingError
from filers.models import User

from .models import Webhook, WebhookDelivery

MAX_WEBHOOKS = 10
TIMEOUT = 10


class TargetRefused(Exception):
    """The target's address is not one ECF will connect to."""


def _allowed_address(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if ip.is_loopback and settings.ECF_WEBHOOK_ALLOW_LOOPBACK_HTTP:
        return True
    return ip.is_global and not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def resolve_target(url: str) -> tuple[str, str, int, str, str]:
    """(scheme, host, port, path, checked address) of a target, or TargetRefused."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    loopback_http = settings.ECF_WEBHOOK_ALLOW_LOOPBACK_HTTP and scheme == "http"
    if scheme != "https" and not loopback_http:
        raise TargetRefused("The address must start with https://.")
    if parts.username or parts.password:
        raise TargetRefused("The address must not carry a user name or password.")
    host = parts.hostname or ""
    if not host:
        raise TargetRefused("The address has no host name.")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError as exc:
        raise TargetRefused("The address has an impossible port.") from exc
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise TargetRefused(f"The host {host} could not be found.") from exc
    addresses = sorted({str(info[4][0]) for info in infos})
    if not addresses or not all(_allowed_address(a) for a in addresses):
        raise TargetRefused(
            f"The host {host} has a private, link-local or loopback address; "
            "webhooks go to public addresses only."
        )
    if loopback_http and not all(
        ipaddress.ip_address(a).is_loopback for a in addresses
    ):
        raise TargetRefused("The address must start with https://.")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return scheme, host, port, path, addresses[0]


def register_webhook(*, user: User, url: str, case=None) -> Webhook:
    """Register a webhook after checking its target; the secret is shown once, here."""
    url = (url or "").strip()
    if len(url) > 500:
        raise UserFacingError("The address is too long (500 characters at most).")
    try:
        resolve_target(url)
    except TargetRefused as exc:
        raise UserFacingError(str(exc)) from exc
    if Webhook.objects.filter(user=user, active=True).count() >= MAX_WEBHOOKS:
        raise UserFacingError(f"At most {MAX_WEBHOOKS} active webhooks per account.")
    with transaction.atomic():
        hook = Webhook.objects.create(
            user=user, url=url, case=case, secret=secrets.token_hex(32)
        )
        record_event(
            actor=user,
            action="dockets.webhook.registered",
            target=hook,
            case_id=None,
            after={"url": url, "case": case.pk if case else None},
        )
    return hook


def rotate_webhook_secret(*, user: User, hook: Webhook) -> Webhook:
    """Give the webhook a new signing secret (shown once); the old one stops at once."""
    with transaction.atomic():
        hook = Webhook.objects.select_for_update().get(pk=hook.pk, user=user)
        hook.secret = secrets.token_hex(32)
        hook.save(update_fields=["secret", "updated_at"])
        record_event(
            actor=user,
            action="dockets.webhook.secret_rotated",
            target=hook,
            case_id=None,
        )
    return hook


def reactivate_webhook(*, user: User, hook: Webhook) -> Webhook:
    """Turn a webhook disabled after failures on again (its target is checked again)."""
    try:
        resolve_target(hook.url)
    except TargetRefused as exc:
        raise UserFacingError(str(exc)) from exc
    with transaction.atomic():
        hook = Webhook.objects.select_for_update().get(pk=hook.pk, user=user)
        hook.active, hook.consecutive_failures, hook.disabled_reason = True, 0, ""
        hook.save(
            update_fields=[
                "active",
                "consecutive_failures",
                "disabled_reason",
                "updated_at",
            ]
        )
        record_event(
            actor=user, action="dockets.webhook.reactivated", target=hook, case_id=None
        )
    return hook


def delete_webhook(*, user: User, hook: Webhook) -> None:
    """Delete a webhook and its delivery log; nothing more is sent to it."""
    with transaction.atomic():
        record_event(
            actor=user,
            action="dockets.webhook.deleted",
            target=hook,
            case_id=None,
            before={"url": hook.url},
        )
        Webhook.objects.filter(pk=hook.pk, user=user).delete()


def retry_delivery(*, user: User, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a failed delivery once more, now (queued after commit).

    The payload is sent as it was signed; attempt_delivery checks again that the
    owner may still see what it says.
    """
    from .tasks import deliver_webhook_task

    with transaction.atomic():
        row = (
            WebhookDelivery.objects.select_for_update(of=("self",))
            .select_related("webhook")
            .get(pk=delivery.pk, webhook__user=user)
        )
        if row.status != WebhookDelivery.Status.FAILED:
            raise UserFacingError("Only a failed delivery can be sent again.")
        if not row.webhook.active:
            raise UserFacingError(
                "The webhook is turned off: turn it on again first, then retry."
            )
        row.status = WebhookDelivery.Status.PENDING
        row.save(update_fields=["status", "updated_at"])
        record_event(
            actor=user,
            action="dockets.webhook.delivery_retried",
            target=row.webhook,
            case_id=None,
            after={"delivery": row.pk},
        )
        delivery_id = row.pk
        transaction.on_commit(lambda: deliver_webhook_task.delay(delivery_id))
    return row


def _withdrawn(hook: Webhook, payload: str) -> str:
    """Why a payload may no longer go to the hook's owner ("" when it may).

    A payload quotes an entry's text as its owner could read it when it was made; an
    entry sealed since then (a retry hours later, a manual retry) is not sent.
    """
    from ..models import DocketEntry
    from ..permissions import can_see_entry_text

    try:
        data = json.loads(payload)
    except ValueError:
        return ""
    entry_data = data.get("entry") if isinstance(data, dict) else None
    if not isinstance(entry_data, dict) or entry_data.get("text") is None:
        return ""
    entry_id = entry_data.get("id")
    entry = (
        DocketEntry.objects.filter(pk=entry_id).first()
        if entry_id is not None
        else None
    )
    if entry is None or not (
        hook.user.is_active and can_see_entry_text(hook.user, entry)
    ):
        return "Not sent: the entry has been sealed or restricted since."
    return ""


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def plan_delivery(*, hook: Webhook, key: str, event: str, payload: dict) -> int | None:
    """Create the delivery row (once per webhook and event) and queue it after commit."""
    from .tasks import deliver_webhook_task

    body = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    try:
        with transaction.atomic():
            row = WebhookDelivery.objects.create(
                webhook=hook, key=key, event=event, payload=body
            )
    except IntegrityError:
        return None
    delivery_id = row.pk
    transaction.on_commit(lambda: deliver_webhook_task.delay(delivery_id))
    return delivery_id


def _post(url: str, body: bytes, headers: dict) -> int:
    scheme, host, port, path, address = resolve_target(url)
    sock = socket.create_connection((address, port), timeout=TIMEOUT)
    connection: http.client.HTTPConnection
    try:
        if scheme == "https":
            context = ssl.create_default_context()
            sock = context.wrap_socket(sock, server_hostname=host)
            connection = http.client.HTTPSConnection(host, port, timeout=TIMEOUT)
        else:
            connection = http.client.HTTPConnection(host, port, timeout=TIMEOUT)
        connection.sock = sock  # the checked address; no second DNS lookup
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(65536)
        return response.status
    finally:
        sock.close()


def attempt_delivery(*, delivery_id: int) -> str:
    """POST one delivery; returns "delivered", "retry" or "failed" (no more tries)."""
    with transaction.atomic():
        row = (
            WebhookDelivery.objects.select_for_update(of=("self",))
            .select_related("webhook", "webhook__user")
            .filter(pk=delivery_id)
            .first()
        )
        if row is None or row.status != WebhookDelivery.Status.PENDING:
            return "done"
        if not row.webhook.active:
            row.status = WebhookDelivery.Status.FAILED
            row.last_error = "The webhook is disabled."
            row.save(update_fields=["status", "last_error", "updated_at"])
            return "failed"
        withdrawn = _withdrawn(row.webhook, row.payload)
        if withdrawn:
            row.status = WebhookDelivery.Status.FAILED
            row.last_error = withdrawn
            row.save(update_fields=["status", "last_error", "updated_at"])
            return "failed"
        row.attempts += 1
        row.save(update_fields=["attempts", "updated_at"])
    hook = row.webhook
    body = row.payload.encode()
    now = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "ECF-Webhooks/1",
        "X-ECF-Event": row.event,
        "X-ECF-Delivery": str(row.pk),
        "X-ECF-Signature": signature(hook.secret, now, body),
    }
    code, error = None, ""
    try:
        code = _post(hook.url, body, headers)
    except TargetRefused as exc:
        error = str(exc)
    except (OSError, http.client.HTTPException) as exc:
        error = f"{type(exc).__name__}: {exc}"
    ok = code is not None and 200 <= code < 300
    if code is not None and not ok:
        error = f"The receiver answered {code}."
    final = ok or row.attempts >= settings.ECF_WEBHOOK_MAX_ATTEMPTS
    with transaction.atomic():
        hook = Webhook.objects.select_for_update().get(pk=hook.pk)
        row.last_status_code = code
        row.last_error = error[:500]
        if ok:
            row.status = WebhookDelivery.Status.DELIVERED
            row.delivered_at = timezone.now()
            hook.consecutive_failures = 0
        else:
            hook.consecutive_failures += 1
            if final:
                row.status = WebhookDelivery.Status.FAILED
            if hook.consecutive_failures >= settings.ECF_WEBHOOK_DISABLE_AFTER:
                hook.active = False
                hook.disabled_reason = (
                    f"Disabled after {hook.consecutive_failures} failed deliveries in "
                    f"a row; last: {error}"
                )[:300]
        row.save()
        hook.save()
    if ok:
        return "delivered"
    return "failed" if final else "retry"
