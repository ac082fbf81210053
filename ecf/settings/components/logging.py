"""Logs: one JSON object per line (ECF_LOG_FORMAT=json, the default) or plain text,
each with the request id that follows a filing into its Celery tasks (core.logs)."""

from ecf.env import env

ECF_LOG_FORMAT = env.str("ECF_LOG_FORMAT", default="json")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.logs.RequestIdFilter"}},
    "formatters": {
        "plain": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
        },
        "json": {"()": "core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if ECF_LOG_FORMAT == "json" else "plain",
            "filters": ["request_id"],
        }
    },
    "root": {
        "handlers": ["console"],
        "level": env.str("ECF_LOG_LEVEL", default="INFO"),
    },
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # pikepdf announces its C++ log bridge at INFO on every import.
        "pikepdf": {"level": "WARNING"},
    },
}
