"""Webhooks (issue 24): a real loopback receiver gets every event once, signed, and a
delivery that failed is tried again; private and loopback targets are refused."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse
from testkit import wait_for

from core.errors import UserFacingError
from dockets.alerts.models import Webhook, WebhookDelivery
from dockets.alerts.webhooks import _allowed_address, register_webhook
from dockets.api.services import create_api_token
from dockets.clerk import services as clerk
from dockets.models import Visibility


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://localhost/hook",
        "https://10.1.2.3/hook",
        "https://192.168.0.5/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/hook",
        "https://[fe80::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://0.0.0.0/hook",
        "http://93.184.216.34/hook",  # public, but not https
        "ftp://93.184.216.34/hook",
        "https://user:pw@93.184.216.34/hook",
        "https://no-such-host.invalid/hook",
    ],
)
def test_private_loopback_and_plain_http_targets_are_refused(demo, url):
    with pytest.raises(UserFacingError):
        register_webhook(user=demo.users["attorney"], url=url)
    assert not Webhook.objects.exists()


def test_only_public_addresses_pass_unless_the_test_setting_allows_loopback(settings):
    assert _allowed_address("93.184.216.34")
    assert not _allowed_address("100.64.0.1")  # carrier-grade NAT
    assert not _allowed_address("127.0.0.1")
    settings.ECF_WEBHOOK_ALLOW_LOOPBACK_HTTP = True
    assert _allowed_address("127.0.0.1") and not _allowed_address("10.0.0.1")


class Receiver:
    """An HTTP server on loopback that answers 500 to its first request, then 200."""

    def __init__(self) -> None:
        self.requests: list[tuple[dict, bytes]] = []
        self.fail_first = 1
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                failing = receiver.fail_first > 0
                receiver.fail_first -= 1
                self.send_response(500 if failing else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/ecf-hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def loopback_allowed(monkeypatch, settings):
    """The test-only setting, here and in the worker (started after this fixture)."""
    monkeypatch.setenv("ECF_WEBHOOK_ALLOW_LOOPBACK_HTTP", "true")
    monkeypatch.setenv("ECF_WEBHOOK_RETRY_BASE", "0.5")
    settings.ECF_WEBHOOK_ALLOW_LOOPBACK_HTTP = True


def _verify(secret: str, headers: dict, body: bytes) -> bool:
    parts = dict(p.split("=", 1) for p in headers["X-ECF-Signature"].split(","))
    expected = hmac.new(
        secret.encode(), f"{parts['t']}.".encode() + body, hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(expected, parts["v1"])


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_loopback_receiver_gets_every_event_once_signed_and_retried(
    world, file_entry, client, loopback_allowed, celery_worker_process
):
    receiver = Receiver()
    try:
        attorney = world.users["attorney"]
        _row, token = create_api_token(
            user=attorney, name="hooks", scopes=["read"], days=30
        )
        auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        response = client.post(
            "/api/v1/webhooks",
            data=json.dumps({"url": receiver.url, "case_id": world.case.pk}),
            content_type="application/json",
            **auth,
        )
        assert response.status_code == 201, response.content
        created = response.json()
        secret = created["secret"]

        def delivered(n):
            # Each event is told as it stands when sent, so wait before the next one.
            wait_for(
                lambda: WebhookDelivery.objects.filter(status="delivered").count() == n,
                timeout=60,
            )

        entry = file_entry(world.case, "msj", attorney, text_override="Motion A.")
        file_entry(world.case, "crtnef", attorney)  # an entry without a document
        delivered(2)
        clerk.modify_docket_text(
            entry=entry, clerk=world.users["clerk"], text="Motion A, amended."
        )
        delivered(3)
        clerk.set_entry_visibility(
            entry=entry,
            clerk=world.users["clerk"],
            visibility=Visibility.SEALED,
            reason="Order",
        )
        delivered(4)
        assert WebhookDelivery.objects.count() == 4
        # 5 requests: the first failed (500) and was tried again.
        wait_for(lambda: len(receiver.requests) == 5, timeout=10)
        ids = [h["X-ECF-Delivery"] for h, _b in receiver.requests]
        assert len(set(ids)) == 4 and len(ids) == 5
        assert max(WebhookDelivery.objects.values_list("attempts", flat=True)) == 2
        events = []
        for headers, body in receiver.requests:
            assert _verify(secret, headers, body)
            payload = json.loads(body)
            events.append((headers["X-ECF-Delivery"], payload["event"]))
            assert payload["case"]["id"] == world.case.pk
            if payload["event"] == "dockets.entry.visibility_changed":
                assert payload["entry"]["text"] is None
                assert "amended" not in body.decode()
        assert sorted({e for _i, e in events}) == [
            "dockets.entry.filed",
            "dockets.entry.text_modified",
            "dockets.entry.visibility_changed",
        ]
        assert not _verify("wrong" + secret, *receiver.requests[-1])

        log = client.get(f"/api/v1/webhooks/{created['id']}/deliveries", **auth).json()[
            "deliveries"
        ]
        assert len(log) == 4 and {d["status"] for d in log} == {"delivered"}
        assert (
            "secret" not in client.get("/api/v1/webhooks", **auth).json()["webhooks"][0]
        )
    finally:
        receiver.close()


@pytest.mark.django_db
def test_a_webhook_is_disabled_after_repeated_failures(world, settings):
    from dockets.alerts.webhooks import attempt_delivery, plan_delivery

    settings.ECF_WEBHOOK_ALLOW_LOOPBACK_HTTP = True
    settings.ECF_WEBHOOK_DISABLE_AFTER = 3
    settings.ECF_WEBHOOK_MAX_ATTEMPTS = 2
    receiver = Receiver()
    receiver.fail_first = 100
    try:
        hook = register_webhook(user=world.users["attorney"], url=receiver.url)
        planned = [
            plan_delivery(
                hook=hook, key=f"k{i}", event="dockets.entry.filed", payload={}
            )
            for i in range(3)
        ]
        ids = [delivery_id for delivery_id in planned if delivery_id is not None]
        assert len(ids) == 3
        assert plan_delivery(hook=hook, key="k0", event="x", payload={}) is None
        assert attempt_delivery(delivery_id=ids[0]) == "retry"
        assert attempt_delivery(delivery_id=ids[0]) == "failed"
        assert attempt_delivery(delivery_id=ids[1]) == "retry"
        hook.refresh_from_db()
        assert not hook.active and "3 failed deliveries" in hook.disabled_reason
        assert attempt_delivery(delivery_id=ids[2]) == "failed"
        assert len(receiver.requests) == 3  # nothing sent once disabled
        assert WebhookDelivery.objects.get(pk=ids[0]).last_status_code == 500
    finally:
        receiver.close()
    assert reverse("api-v1:create_webhook")
