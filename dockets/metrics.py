"""Docket figures for Prometheus, computed at each scrape (core.metrics): filings,
the pipeline's backlog and lag, failed notices, and the depth of this instance's queue."""

from __future__ import annotations

import redis
from django.conf import settings
from django.db.models import Min
from django.utils import timezone
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

from .models import DocketEntry, Document, Notice, NoticeRecipient


def collect():
    now = timezone.now()
    instance = settings.ECF_INSTANCE
    filings = CounterMetricFamily(
        "ecf_filings", "Docket entries recorded (all time).", labels=["instance"]
    )
    filings.add_metric([instance], DocketEntry.objects.count())
    yield filings

    pending = GaugeMetricFamily(
        "ecf_pipeline_pending",
        "Documents waiting to be stamped and notices waiting to be sent.",
        labels=["instance", "kind"],
    )
    lag = GaugeMetricFamily(
        "ecf_pipeline_lag_seconds",
        "Age of the oldest document or notice still waiting (0 when none).",
        labels=["instance", "kind"],
    )
    for kind, model in (("document", Document), ("notice", Notice)):
        waiting = model.objects.filter(status=model.Status.PENDING)
        pending.add_metric([instance, kind], waiting.count())
        oldest = waiting.aggregate(oldest=Min("created_at"))["oldest"]
        lag.add_metric(
            [instance, kind], (now - oldest).total_seconds() if oldest else 0.0
        )
    yield pending
    yield lag

    failed = GaugeMetricFamily(
        "ecf_failed_notices",
        "Notices, notice recipients and stamps that failed and wait for the clerk.",
        labels=["instance", "kind"],
    )
    failed.add_metric(
        [instance, "notice"], Notice.objects.filter(status=Notice.Status.FAILED).count()
    )
    failed.add_metric(
        [instance, "recipient"],
        NoticeRecipient.objects.filter(
            status__in=[NoticeRecipient.Status.FAILED, NoticeRecipient.Status.BOUNCED]
        ).count(),
    )
    failed.add_metric(
        [instance, "stamp"],
        Document.objects.filter(status=Document.Status.FAILED).count(),
    )
    yield failed

    depth = GaugeMetricFamily(
        "ecf_queue_depth",
        "Tasks waiting in this instance's Celery queue.",
        labels=["queue"],
    )
    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    client = redis.Redis.from_url(
        settings.CELERY_BROKER_URL, socket_connect_timeout=2, socket_timeout=2
    )
    try:
        depth.add_metric([queue], client.llen(queue))
    except redis.RedisError:
        depth.add_metric([queue], float("nan"))
    finally:
        client.close()
    yield depth
