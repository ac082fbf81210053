"""/readyz, /metrics, request ids in JSON logs and tasks, Sentry's scrubber, downloads."""

import json
import logging
import re
from typing import TYPE_CHECKING

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse
from django.test import override_settings
from opskit import PrivateRedis

from core import logs
from core.sentry import scrub

if TYPE_CHECKING:
    from sentry_sdk.types import Event

pytestmark = pytest.mark.django_db(databases="__all__")


def test_readyz_answers_200_when_every_part_is_ready(client):
    response = client.get("/readyz", HTTP_HOST="10.0.0.7:8000")  # a probe's address
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["ok"] is True and body["failing"] == []
    assert set(body["checks"]) >= {
        "database:default",
        "database:training",
        "migrations:default",
        "migrations:training",
        "redis:cache",
        "redis:broker",
        "storage",
    }


def test_readyz_fails_while_redis_is_stopped_and_recovers_when_it_returns(
    client, tmp_path
):
    redis = PrivateRedis(tmp_path / "redis")
    redis.start()
    try:
        with override_settings(CELERY_BROKER_URL=f"{redis.url}/0"):
            assert client.get("/readyz").status_code == 200
            redis.stop()
            down = client.get("/readyz")
            assert down.status_code == 503
            assert down.json()["failing"] == ["redis:broker"]
            assert down.json()["checks"]["redis:broker"].startswith("failed:")
            redis.proc = None
            redis.start()
            assert client.get("/readyz").status_code == 200
    finally:
        redis.stop()


def test_readyz_names_pending_migrations(client, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(
        MigrationExecutor, "migration_plan", lambda self, targets: [("x", False)]
    )
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "migrations:default" in response.json()["failing"]
    assert "1 migrations not applied" in response.json()["checks"]["migrations:default"]


def test_metrics_answer_only_on_the_metrics_port(client, settings, demo):
    settings.ECF_METRICS_PORT = 9100
    assert client.get("/metrics").status_code == 404  # the public port (via the proxy)
    client.get("/")
    response = client.get("/metrics", SERVER_PORT="9100")
    assert response.status_code == 200
    text = response.content.decode()
    for name in (
        "ecf_http_requests_total",
        "ecf_filings_total",
        "ecf_pipeline_lag_seconds",
        "ecf_pipeline_pending",
        "ecf_failed_notices",
        "ecf_queue_depth",
    ):
        assert f"\n{name}" in text, name
    assert re.search(
        r'ecf_http_requests_total\{method="GET",status="2xx"\} [1-9]', text
    )


def test_request_id_is_in_the_json_log_line_and_the_response(client, caplog):
    formatter = logs.JsonFormatter()
    seen = []

    def view_logger(request):
        logging.getLogger("ecf.test").warning("filing received")
        seen.append(logs.request_id.get())

    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(formatter.format(record))

    handler = Collect()
    handler.addFilter(logs.RequestIdFilter())
    logging.getLogger("ecf.test").addHandler(handler)
    try:
        response = client.get("/", HTTP_X_REQUEST_ID="proxy-req-0123456789")
        assert response["X-Request-ID"] == "proxy-req-0123456789"
        middleware = logs.RequestIdMiddleware(
            lambda r: view_logger(r) or __import__("django.http").http.HttpResponse()
        )
        from django.test import RequestFactory

        out = middleware(RequestFactory().get("/", HTTP_X_REQUEST_ID="bad id!"))
    finally:
        logging.getLogger("ecf.test").removeHandler(handler)
    line = json.loads(lines[0])
    assert line["message"] == "filing received" and line["level"] == "WARNING"
    assert line["request_id"] == seen[0] == out["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", seen[0])  # an invalid incoming id is replaced


def test_a_task_published_in_a_request_carries_its_request_id():
    """before_task_publish puts the id in the message headers; the worker restores it."""
    from ecf.celery import app

    headers: dict[str, str] = {}
    token = logs.request_id.set("req-abcdef123456")
    try:
        logs._publish_with_request_id(headers=headers)
    finally:
        logs.request_id.reset(token)
    assert headers["ecf_request_id"] == "req-abcdef123456"

    @app.task(name="ecf-test-request-id-echo")
    def echo():
        return logs.request_id.get()

    result = echo.apply(headers={"ecf_request_id": "req-abcdef123456"})
    assert result.get() == "req-abcdef123456"
    assert logs.request_id.get() == ""


SSN = "123-45-6789"


def test_sentry_scrubber_sends_no_document_contents_or_ssns():
    event: Event = {
        "message": f"Claim for debtor SSN {SSN} failed",
        "request": {
            "url": "https://ecf.example/filing/",
            "data": {"document": "%PDF-1.7 secret"},
            "cookies": {"ecf_live_session": "abc"},
            "headers": {"Cookie": "x", "User-Agent": "UA", "Authorization": "Bearer t"},
        },
        "exception": {
            "values": [
                {
                    "value": f"bad ssn 123456789 in {SSN}",
                    "stacktrace": {
                        "frames": [{"function": "f", "vars": {"pdf": b"%PDF-1.7"}}]
                    },
                }
            ]
        },
        "extra": {"ssn": "123 45 6789", "upload": b"%PDF", "note": "case 24-01234"},
        "breadcrumbs": {"values": [{"message": f"debtor {SSN}"}]},
    }
    cleaned = scrub(event, {})
    text = json.dumps(cleaned)
    assert "6789" not in text and "%PDF" not in text and "secret" not in text
    assert "data" not in cleaned["request"] and "cookies" not in cleaned["request"]
    assert cleaned["request"]["headers"] == {"User-Agent": "UA"}
    assert "vars" not in cleaned["exception"]["values"][0]["stacktrace"]["frames"][0]
    assert "case 24-01234" in text  # case numbers are not SSNs


def test_without_sentry_dsn_nothing_is_initialised():
    import sentry_sdk

    assert not sentry_sdk.get_client().is_active()


def test_accel_downloads_hand_the_file_to_the_proxy(settings):
    name = default_storage.save("accel-test/doc.pdf", ContentFile(b"%PDF-1.4 x"))
    from core.downloads import protected_file_response

    settings.ECF_PROTECTED_DOWNLOADS = "accel"
    response = protected_file_response(name, filename="24-1_doc1.pdf")
    assert response["X-Accel-Redirect"] == "/_protected/media/" + name
    assert response.content == b""
    assert response["Content-Disposition"] == 'attachment; filename="24-1_doc1.pdf"'
    settings.ECF_PROTECTED_DOWNLOADS = "stream"
    streamed = protected_file_response(name, filename="24-1_doc1.pdf")
    assert isinstance(streamed, FileResponse)
    assert streamed.getvalue() == b"%PDF-1.4 x"
    assert "X-Accel-Redirect" not in streamed
    from django.http import Http404

    settings.ECF_PROTECTED_DOWNLOADS = "accel"
    with pytest.raises(Http404):
        protected_file_response("accel-test/missing.pdf", filename="x.pdf")


def test_accel_downloads_on_s3_use_a_short_lived_presigned_url(settings):
    from moto import mock_aws
    from storages.backends.s3 import S3Storage

    from core import downloads

    with mock_aws():
        import boto3

        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="court")
        storage = S3Storage(
            bucket_name="court",
            location="live",
            addressing_style="path",
            signature_version="s3v4",
        )
        name = storage.save("doc.pdf", ContentFile(b"%PDF"))
        settings.ECF_DOWNLOAD_URL_SECONDS = 60
        old = downloads.default_storage
        downloads.default_storage = storage
        try:
            target = downloads.accel_target(name)
        finally:
            downloads.default_storage = old
    assert target.startswith("/_protected/s3/court/live/doc")
    assert "X-Amz-Expires=60" in target and "X-Amz-Signature=" in target


@pytest.mark.parametrize("mode", ["with-dsn", "without-dsn"])
def test_sentry_gets_scrubbed_errors_only_when_a_dsn_is_set(mode):
    """A real sentry-sdk sends to a local stand-in: the error arrives, the SSN and the
    document do not; with no SENTRY_DSN nothing is sent at all."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if k != "SENTRY_DSN"}
    result = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("sentry_probe.py")), mode],
        cwd=root,
        env={
            **env,
            "DJANGO_SETTINGS_MODULE": "ecf.settings.test",
            "PYTHONPATH": str(root),
            "PROBE_SSN": SSN,
            "PROBE_DOCUMENT": "%PDF-1.7 the debtor's schedules",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    envelopes = json.loads(result.stdout.strip().splitlines()[-1])["envelopes"]
    if mode == "without-dsn":
        assert envelopes == []
        return
    text = "\n".join(envelopes)
    assert "could not be stamped" in text and "ValueError" in text
    # The SDK's own values (times to the microsecond, ids, versions, the release's hash)
    # are digits that may happen to hold the SSN's last four; everything else must not.
    data = "\n".join(_strings_outside_sdk_metadata(envelopes))
    assert "could not be stamped" in data
    assert "6789" not in data and "%PDF" not in data and "schedules" not in data
    assert not re.search(r"\b\d{3}[- ]?\d{2}[- ]?\d{4}\b", text)


_SDK_METADATA = {
    "timestamp",
    "start_timestamp",
    "sent_at",
    "event_id",
    "release",
    "modules",
    "sdk",
    "server_name",
    "trace_id",
    "span_id",
    "parent_span_id",
    "trace",
    "dsn",
    "length",
}


def _strings_outside_sdk_metadata(envelopes: list[str]) -> list[str]:
    """Every string and number in the envelopes' items, but for the SDK's own metadata."""
    found: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key not in _SDK_METADATA:
                    found.append(str(key))
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        else:
            found.append(str(value))

    for envelope in envelopes:
        for line in envelope.splitlines():
            if line.strip():
                walk(json.loads(line))
    return found
