"""/healthz (alive), /readyz (ready to serve) and /metrics, answered before any other
middleware: a probe comes from the container engine or the metrics scraper on a
private address, with no court host name and no HTTPS, and must not be redirected.

/readyz checks every part a request needs: each database, Redis (cache and broker),
the file storage, and that no migration is pending. 200 {"ok": true, ...} or 503 with
the failing parts named. /metrics answers only on ECF_METRICS_PORT.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import redis
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponseNotFound, JsonResponse

from . import metrics

PROBE_TIMEOUT = 3


def check_database(alias: str) -> str:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def check_migrations(alias: str) -> str:
    executor = MigrationExecutor(connections[alias])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        raise RuntimeError(
            f"{len(plan)} migrations not applied (run manage.py release)"
        )
    return "ok"


def check_redis(url: str) -> str:
    client = redis.Redis.from_url(
        url, socket_connect_timeout=PROBE_TIMEOUT, socket_timeout=PROBE_TIMEOUT
    )
    try:
        client.ping()
    finally:
        client.close()
    return "ok"


def check_storage() -> str:
    default_storage.exists("readyz-probe")
    return "ok"


def readiness() -> dict[str, str]:
    """Name -> "ok" or what is wrong, for every part a request depends on."""
    checks: dict[str, Callable[[], str]] = {}
    for alias in settings.DATABASES:
        checks[f"database:{alias}"] = partial(check_database, alias)
        checks[f"migrations:{alias}"] = partial(check_migrations, alias)
    checks["redis:cache"] = lambda: check_redis(settings.CACHES["default"]["LOCATION"])
    checks["redis:broker"] = lambda: check_redis(settings.CELERY_BROKER_URL)
    checks["storage"] = check_storage
    results = {}
    for name, check in list(checks.items()):
        if name in results:
            continue
        try:
            results[name] = check()
        except Exception as error:
            message = str(error).splitlines()[0][:200] if str(error) else ""
            results[name] = f"failed: {type(error).__name__} {message}".strip()
            if name.startswith("database:"):
                connections[name.split(":", 1)[1]].close()
                results[f"migrations:{name.split(':', 1)[1]}"] = "skipped"
    return results


def readyz_response() -> JsonResponse:
    results = readiness()
    failing = sorted(name for name, result in results.items() if result != "ok")
    failing = [n for n in failing if results[n] != "skipped"]
    body = {"ok": not failing, "failing": failing, "checks": results}
    response = JsonResponse(body, status=200 if not failing else 503)
    response["Cache-Control"] = "no-store"
    return response


def healthz_response() -> JsonResponse:
    return JsonResponse({"ok": True})


class ProbeMiddleware:
    """First in MIDDLEWARE: answer the probes before host checks and HTTPS redirects."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)  # the usual checks (CSRF) answer it
        if path == "/readyz":
            return readyz_response()
        if path == "/healthz":
            return healthz_response()
        if path == "/metrics":
            port = settings.ECF_METRICS_PORT
            if not port or request.META.get("SERVER_PORT") != str(port):
                return HttpResponseNotFound("Not found", content_type="text/plain")
            return metrics.render()
        return self.get_response(request)
