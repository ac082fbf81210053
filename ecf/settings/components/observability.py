"""Error reporting (Sentry, only with SENTRY_DSN), metrics (Prometheus), downloads."""

from ecf.env import env
from ecf.instance import INSTANCE

SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    from core.sentry import init as _sentry_init

    _sentry_init(
        SENTRY_DSN,
        environment=f"{env.str('SENTRY_ENVIRONMENT', default='production')}-{INSTANCE}",
        release=env.str("SENTRY_RELEASE", default=""),
    )

# /metrics answers only on this port (a second gunicorn bind the proxy never forwards
# to: gunicorn.conf.py); anywhere else it is a 404. 0 = no metrics endpoint.
ECF_METRICS_PORT = env.int("ECF_METRICS_PORT", default=9100)
# Functions `() -> iterable of prometheus metric families` added to every scrape.
ECF_METRICS_COLLECTORS = ["dockets.metrics.collect"]

# Protected downloads: "stream" (Django reads the file and streams it) or "accel" (after
# the access check Django answers with X-Accel-Redirect and the proxy fetches the file:
# an internal location for the filesystem, or a short-lived presigned S3 URL).
ECF_PROTECTED_DOWNLOADS = env.str("ECF_PROTECTED_DOWNLOADS", default="stream")
ECF_ACCEL_MEDIA_PREFIX = "/_protected/media/"
ECF_ACCEL_S3_PREFIX = "/_protected/s3/"
ECF_DOWNLOAD_URL_SECONDS = env.int("ECF_DOWNLOAD_URL_SECONDS", default=60)
