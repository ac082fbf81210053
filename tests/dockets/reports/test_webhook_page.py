"""My webhooks page (issue 24): an active filer adds an HTTPS target (private and
loopback refused), sees its secret once, rotates it, reads the deliveries, retries a
failed one and deletes the webhook; nobody else reaches any of it."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse

from dockets.alerts.models import Webhook, WebhookDelivery
from dockets.alerts.webhooks import attempt_delivery, plan_delivery
from dockets.clerk import services as clerk
from dockets.models import Visibility
from filers.permissions import filing_blockers

pytestmark = pytest.mark.django_db


class Receiver:
    """A loopback HTTP receiver answering `status` and recording each request."""

    def __init__(self, status: int = 200) -> None:
        self.status = status
        self.requests: list[tuple[dict[str, str], bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings):
    settings.ECF_WEBHOOK_ALLOW_LOOPBACK_HTTP = True
    server = Receiver()
    yield server
    server.close()


def _add(client, url, case=""):
    return client.post(reverse("dockets:webhooks"), {"url": url, "case": case})


@pytest.mark.parametrize(
    "url",
    [
        "http://93.184.216.34/hook",
        "https://10.0.0.8/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://127.0.0.1/hook",
        "https://[::1]/hook",
        "not a url",
        "",
    ],
)
def test_private_loopback_and_plain_http_addresses_are_refused_on_the_page(
    world, client, url
):
    """Production settings: the page says why, keeps what was typed, saves nothing."""
    client.force_login(world.users["attorney"])
    response = _add(client, url)
    assert response.status_code == 422
    html = response.content.decode()
    assert 'role="alert"' in html and 'aria-invalid="true"' in html
    assert not Webhook.objects.exists()


def test_an_active_filer_adds_rotates_reads_retries_and_deletes(
    world, client, receiver, django_capture_on_commit_callbacks
):
    attorney = world.users["attorney"]
    assert not filing_blockers(attorney)
    client.force_login(attorney)
    response = _add(client, receiver.url, case=world.case.display_number)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    hook = Webhook.objects.get(user=attorney)
    assert hook.case_id == world.case.pk
    assert hook.secret in response.content.decode()
    # The secret is shown once: never on the list or the webhook's page.
    listing = client.get(reverse("dockets:webhooks")).content.decode()
    assert receiver.url in listing and hook.secret not in listing
    detail_url = reverse("dockets:webhook-detail", kwargs={"webhook_id": hook.pk})
    assert hook.secret not in client.get(detail_url).content.decode()

    old = hook.secret
    rotated = client.post(
        reverse("dockets:webhook-rotate", kwargs={"webhook_id": hook.pk})
    )
    hook.refresh_from_db()
    assert hook.secret != old and hook.secret in rotated.content.decode()
    assert rotated["Cache-Control"] == "no-store"

    # A delivery that failed is listed with its answer and can be sent again.
    receiver.status = 503
    delivery_id = plan_delivery(
        hook=hook, key="event:1", event="dockets.entry.filed", payload={"n": 1}
    )
    assert delivery_id is not None
    WebhookDelivery.objects.filter(pk=delivery_id).update(attempts=5)
    assert attempt_delivery(delivery_id=delivery_id) == "failed"
    html = client.get(detail_url).content.decode()
    assert "Failed (no more tries)" in html and "HTTP 503" in html
    retry = reverse(
        "dockets:webhook-retry",
        kwargs={"webhook_id": hook.pk, "delivery_id": delivery_id},
    )
    receiver.status = 200
    from ecf.celery import app

    app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(retry).status_code == 302
    finally:
        app.conf.task_always_eager = False
    row = WebhookDelivery.objects.get(pk=delivery_id)
    assert row.status == "delivered" and row.attempts == 7
    assert len(receiver.requests) == 2
    assert "Delivered" in client.get(detail_url).content.decode()
    # Only a failed delivery is sent again.
    response = client.post(retry, follow=True)
    assert "Only a failed delivery can be sent again." in response.content.decode()
    assert WebhookDelivery.objects.get(pk=delivery_id).status == "delivered"
    assert len(receiver.requests) == 2

    client.post(reverse("dockets:webhook-delete", kwargs={"webhook_id": hook.pk}))
    assert not Webhook.objects.exists()


def test_nobody_reaches_anothers_webhook_and_a_non_filer_cannot_add_one(
    world, demo, client, receiver
):
    from dockets.alerts.webhooks import register_webhook

    hook = register_webhook(user=world.users["attorney"], url=receiver.url)
    delivery_id = plan_delivery(hook=hook, key="k", event="e", payload={})
    assert delivery_id is not None
    WebhookDelivery.objects.filter(pk=delivery_id).update(status="failed")
    assert client.get(reverse("dockets:webhooks")).status_code == 302  # sign in
    other = world.users["creditor"]
    client.force_login(other)
    kwargs = {"webhook_id": hook.pk}
    assert (
        client.get(reverse("dockets:webhook-detail", kwargs=kwargs)).status_code == 404
    )
    for name in ("webhook-rotate", "webhook-delete", "webhook-reactivate"):
        assert client.post(reverse(f"dockets:{name}", kwargs=kwargs)).status_code == 404
    retry = reverse(
        "dockets:webhook-retry", kwargs={**kwargs, "delivery_id": delivery_id}
    )
    assert client.post(retry).status_code == 404
    hook.refresh_from_db()
    assert Webhook.objects.filter(pk=hook.pk).exists()
    assert WebhookDelivery.objects.get(pk=delivery_id).status == "failed"

    public = demo.users["public"]
    assert filing_blockers(public)
    client.force_login(public)
    page = client.get(reverse("dockets:webhooks")).content.decode()
    assert filing_blockers(public)[0] in page and 'name="url"' not in page
    assert _add(client, receiver.url).status_code == 422
    assert not Webhook.objects.filter(user=public).exists()


def test_a_payload_is_not_sent_once_its_entry_is_sealed(world, file_entry, receiver):
    """A retry (or a late first try) of a payload quoting an entry sealed since then
    is withdrawn: the receiver gets nothing."""
    from dockets.alerts.webhooks import register_webhook

    hook = register_webhook(user=world.users["attorney"], url=receiver.url)
    entry = file_entry(
        world.case, "msj", world.users["attorney"], text_override="Motion OSPREY-9."
    )
    payload = {"event": "dockets.entry.filed", "entry": {"id": entry.pk, "text": "x"}}
    first = plan_delivery(hook=hook, key="a", event="e", payload=payload)
    second = plan_delivery(hook=hook, key="b", event="e", payload=payload)
    assert first is not None and second is not None
    assert attempt_delivery(delivery_id=first) == "delivered"
    clerk.set_entry_visibility(
        entry=entry,
        clerk=world.users["clerk"],
        visibility=Visibility.SEALED,
        reason="Order",
    )
    assert attempt_delivery(delivery_id=second) == "failed"
    row = WebhookDelivery.objects.get(pk=second)
    assert "sealed or restricted since" in row.last_error
    assert len(receiver.requests) == 1
    assert json.loads(receiver.requests[0][1])["entry"]["id"] == entry.pk
