"""Prometheus metrics: requests counted here; filings, queue depth, pipeline lag and
failed notices computed at each scrape by the collectors in ECF_METRICS_COLLECTORS.

Under gunicorn, PROMETHEUS_MULTIPROC_DIR (set by gunicorn.conf.py) lets every worker
process count into shared files and any of them answer the scrape. The endpoint answers
only on ECF_METRICS_PORT, which the proxy never forwards to (core.probes).
"""

from __future__ import annotations

import os
import time

from django.conf import settings
from django.http import HttpResponse
from django.utils.module_loading import import_string
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

REQUESTS = Counter(
    "ecf_http_requests_total",
    "HTTP requests answered, by method and status class.",
    ["method", "status"],
)
LATENCY = Histogram(
    "ecf_http_request_seconds",
    "Time to answer a request.",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)


class RequestMetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        response = self.get_response(request)
        method = (
            request.method if request.method in ("GET", "POST", "HEAD") else "other"
        )
        REQUESTS.labels(method, f"{response.status_code // 100}xx").inc()
        LATENCY.observe(time.monotonic() - started)
        return response


class _Collectors:
    """Adapter: the ECF_METRICS_COLLECTORS functions as one prometheus collector."""

    def collect(self):
        for path in settings.ECF_METRICS_COLLECTORS:
            yield from import_string(path)()


def render() -> HttpResponse:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(REQUESTS)
        registry.register(LATENCY)
    registry.register(_Collectors())
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
