"""Error reporting through sentry-sdk, only when SENTRY_DSN is set.

What is sent is scrubbed first (`scrub`): no request bodies (uploaded documents, form
fields), no cookies or headers that authenticate, no local variables, and every string
that looks like a Social Security number or an ITIN is masked, wherever it appears.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sentry_sdk.types import Breadcrumb, BreadcrumbHint, Event, Hint

# 123-45-6789, 123 45 6789, 123456789 (not part of a longer number).
SSN_RE = re.compile(r"(?<![\d-])\d{3}[- ]?\d{2}[- ]?\d{4}(?![\d-])")
MASK = "[scrubbed]"
# Keys whose values are never sent, whatever they hold (matched per word of the key).
SECRET_KEYS = re.compile(
    r"(^|[_-])(pass(word|wd)?|secret|token|api_?key|private_?key|auth(orization)?|"
    r"cookie|sessionid|session|csrf(token)?|ssn|tax_?id|itin|ein|signature|content|"
    r"body|file|files|document|pdf|upload)($|[_-])",
    re.I,
)
DROP_REQUEST = ("data", "cookies", "query_string", "env")


def _clean(value: Any, depth: int = 0) -> Any:
    if depth > 12:
        return MASK
    if isinstance(value, str):
        return SSN_RE.sub("***-**-****", value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return MASK
    if isinstance(value, dict):
        return {
            k: (
                MASK
                if isinstance(k, str) and SECRET_KEYS.search(k)
                else _clean(v, depth + 1)
            )
            for k, v in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [_clean(v, depth + 1) for v in value]
    return value


def scrub(event: Event, hint: Hint | None = None) -> Event:
    """Sentry's before_send: drop bodies and locals, mask SSNs and secrets everywhere."""
    request: Any = event.get("request")
    if isinstance(request, dict):
        for key in DROP_REQUEST:
            request.pop(key, None)
        headers = request.get("headers") or {}
        request["headers"] = {
            k: v
            for k, v in headers.items()
            if k.lower() not in ("cookie", "authorization", "x-csrftoken")
        }
    data: dict[str, Any] = dict(event)
    for exception in (data.get("exception") or {}).get("values") or []:
        for frame in (exception.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    for thread in (data.get("threads") or {}).get("values") or []:
        for frame in (thread.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    return _clean(event)


def scrub_breadcrumb(
    crumb: Breadcrumb, hint: BreadcrumbHint | None = None
) -> Breadcrumb:
    return _clean(crumb)


def init(dsn: str, *, environment: str, release: str = "") -> None:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        before_send=scrub,
        before_breadcrumb=scrub_breadcrumb,
        traces_sample_rate=0.0,
    )
