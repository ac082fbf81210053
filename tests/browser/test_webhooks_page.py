"""The webhooks page in Chromium, axe-checked at 1280 and 375 px: an attorney adds a
webhook (a private address is refused first), copies the secret shown once, rotates
it, sends a failed delivery again and deletes the webhook, all without JavaScript."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from dockets.alerts.models import Webhook, WebhookDelivery
from dockets.alerts.webhooks import attempt_delivery, plan_delivery

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _receiver(statuses: list[int]):
    """A loopback receiver answering the given statuses in turn (then 200)."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(statuses.pop(0) if statuses else 200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/hook"


@pytest.mark.parametrize("width", [1280, 375])
def test_webhooks_page_add_rotate_retry_delete(
    page, live_server, demo, assert_accessible, settings, width
):
    from browserkit import login

    from ecf.celery import app

    settings.ECF_WEBHOOK_ALLOW_LOOPBACK_HTTP = True
    server, url = _receiver([500])
    eager = app.conf.task_always_eager
    page.set_viewport_size({"width": width, "height": 900})
    try:
        login(page, live_server, demo.users["attorney"])
        page.goto(live_server.url + reverse("dockets:webhooks"))
        expect(page.get_by_role("heading", level=1, name="Webhooks")).to_be_visible()
        expect(page.get_by_text("You have no webhooks.")).to_be_visible()
        assert_accessible()

        page.get_by_label("Address (HTTPS)").fill("https://10.0.0.8/hook")
        page.get_by_role("button", name="Add webhook").click()
        expect(page.get_by_role("alert")).to_contain_text("private, link-local")
        assert_accessible()

        page.get_by_label("Address (HTTPS)").fill(url)
        page.get_by_role("button", name="Add webhook").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Webhook added")
        hook = Webhook.objects.get()
        expect(page.get_by_label("Signing secret")).to_have_value(hook.secret)
        assert_accessible()

        page.get_by_role("link", name="This webhook and its deliveries").click()
        expect(
            page.get_by_text("Nothing has been sent to this webhook yet.")
        ).to_be_visible()
        assert_accessible()
        page.get_by_role("button", name="Make a new signing secret").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("New signing secret")
        hook.refresh_from_db()
        expect(page.get_by_label("Signing secret")).to_have_value(hook.secret)

        delivery_id = plan_delivery(
            hook=hook, key="event:1", event="dockets.entry.filed", payload={}
        )
        assert delivery_id is not None
        WebhookDelivery.objects.filter(pk=delivery_id).update(attempts=9)
        assert attempt_delivery(delivery_id=delivery_id) == "failed"
        app.conf.task_always_eager = True  # the retry is sent in the request's thread
        page.get_by_role("link", name="This webhook and its deliveries").click()
        row = page.get_by_role("row").filter(has_text="dockets.entry.filed")
        expect(row).to_contain_text("Failed (no more tries)")
        expect(row).to_contain_text("HTTP 500")
        assert_accessible()
        row.get_by_role("button", name="Send again").click()
        expect(page.get_by_role("status")).to_contain_text("queued to be sent again")
        expect(
            page.get_by_role("row").filter(has_text="dockets.entry.filed")
        ).to_contain_text("Delivered")
        assert_accessible()

        page.get_by_role("button", name="Delete this webhook").click()
        expect(page.get_by_text("You have no webhooks.")).to_be_visible()
        assert not Webhook.objects.exists()
    finally:
        app.conf.task_always_eager = eager
        server.shutdown()
        server.server_close()
