"""The one gunicorn configuration (Dockerfile/compose, scripts/start.sh, the drill test).

Everything comes from the environment, with production defaults:
  ECF_WEB_BIND      address the proxy reaches, default 0.0.0.0:8000
  ECF_WEB_WORKERS   worker processes, default 2 x CPUs + 1 (at most 8)
  ECF_WEB_THREADS   threads per worker, default 1
  ECF_METRICS_PORT  a second bind on which only /metrics answers (core.probes); 0 = none
  ECF_WEB_TIMEOUT   seconds before a stuck worker is replaced, default 120
"""

import json
import multiprocessing
import os
import shutil
import tempfile

wsgi_app = "ecf.wsgi:application"
_bind = os.environ.get("ECF_WEB_BIND", "0.0.0.0:8000")
_metrics_port = int(os.environ.get("ECF_METRICS_PORT", "9100") or 0)
bind = [_bind]
if _metrics_port:
    bind.append(f"{_bind.rsplit(':', 1)[0]}:{_metrics_port}")
workers = int(
    os.environ.get("ECF_WEB_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 8))
)
threads = int(os.environ.get("ECF_WEB_THREADS", "1"))
timeout = int(os.environ.get("ECF_WEB_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
# Uploads are buffered by the proxy; a request line or header this long is refused.
limit_request_line = 8190
# Replace workers now and then (slow leaks stay bounded). Not too often: a fresh worker
# imports the app, starts its PDF checkers and warms its caches (compiled queries,
# templates, Form 410's layouts), several CPU-seconds in all. At 1,000 requests a worker
# was replaced every ~45 s under the load run (a quarter of the web's CPU, p99 ~7 s);
# a worker grows ~1.5 MB per 1,000 requests once warm (~170 MB).
max_requests = 10000
max_requests_jitter = 1000
# Behind the proxy: trust its X-Forwarded-* only from these addresses.
forwarded_allow_ips = os.environ.get("ECF_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = "-"
errorlog = "-"
# One JSON object per request, with the id the response carries (core.logs).
access_log_format = json.dumps(
    {
        "logger": "gunicorn.access",
        "remote": "%(h)s",
        "method": "%(m)s",
        "path": "%(U)s",
        "status": "%(s)s",
        "bytes": "%(B)s",
        "duration_ms": "%(M)s",
        "request_id": "%({x-request-id}o)s",
    }
)

# Prometheus counters shared by the worker processes (core.metrics): a fresh folder per
# start, so a restarted server does not add up the counts of its previous life.
if _metrics_port and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    _dir = tempfile.mkdtemp(prefix="ecf-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = _dir


def on_exit(server):
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")
    if folder and os.path.basename(folder).startswith("ecf-metrics-"):
        shutil.rmtree(folder, ignore_errors=True)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


def post_worker_init(worker):
    # The PDF check's sandbox children (dockets.pdf.sandbox) start with the worker, so
    # the first upload it serves costs the check, not the children's interpreter start.
    from dockets.pdf.sandbox import warm_pool

    warm_pool()
