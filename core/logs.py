"""JSON logs with a request id that follows a filing from the web request into its tasks.

RequestIdMiddleware takes the proxy's X-Request-ID (or makes one), keeps it in a context
variable for the request, and returns it in the response. Every Celery task published
while it is set carries it in the message headers (`ecf_request_id`); the worker puts it
back into the context before the task runs, so the task's log lines carry the same id.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import uuid

from celery.signals import before_task_publish, task_postrun, task_prerun

logger = logging.getLogger("ecf.tasks")
request_id: contextvars.ContextVar[str] = contextvars.ContextVar(
    "ecf_request_id", default=""
)
HEADER = "ecf_request_id"
_VALID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def new_request_id() -> str:
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Set the request id for the request's log lines and tasks; echo it back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        rid = incoming if _VALID.match(incoming) else new_request_id()
        request.request_id = rid
        token = request_id.set(rid)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response["X-Request-ID"] = rid
        return response


class RequestIdFilter(logging.Filter):
    """Add `request_id` (and the instance) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        from django.conf import settings

        record.request_id = getattr(record, "request_id", "") or request_id.get()
        record.instance = getattr(settings, "ECF_INSTANCE", "")
        return True


_STANDARD = set(vars(logging.LogRecord("x", 0, "x", 0, "", None, None))) | {
    "message",
    "asctime",
    "request_id",
    "instance",
    "color_message",
    "request",
    "server_time",
}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, extras."""

    def format(self, record: logging.LogRecord) -> str:
        data = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S")
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", ""),
            "instance": getattr(record, "instance", ""),
            "process": record.process,
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                data[key] = (
                    value if isinstance(value, (int, float, bool)) else str(value)
                )
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, default=str)


JsonFormatter.converter = __import__("time").gmtime


@before_task_publish.connect(dispatch_uid="ecf-request-id-publish")
def _publish_with_request_id(headers=None, **kwargs):
    rid = request_id.get()
    if rid and headers is not None and not headers.get(HEADER):
        headers[HEADER] = rid


_task_tokens: dict[str, contextvars.Token] = {}


@task_prerun.connect(dispatch_uid="ecf-request-id-prerun")
def _task_takes_request_id(task_id=None, task=None, **kwargs):
    rid = getattr(task.request, HEADER, None) or (task.request.headers or {}).get(
        HEADER
    )
    _task_tokens[task_id] = request_id.set(rid or f"task-{task_id}")
    logger.info("task started: %s", task.name, extra={"task_id": task_id})


@task_postrun.connect(dispatch_uid="ecf-request-id-postrun")
def _task_drops_request_id(task_id=None, **kwargs):
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        request_id.reset(token)
