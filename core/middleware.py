"""Security headers on every response, and a clean page when the database is down."""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


class SecurityHeadersMiddleware:
    """Add the Content Security Policy (no inline script) and a tight Permissions-Policy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith("/admin/"):
            response.headers.setdefault("Content-Security-Policy", settings.ECF_CSP)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


class DatabaseUnavailableMiddleware:
    """Answer 503 with a "try again" page when PostgreSQL cannot be reached.

    Django reconnects on the next request (CONN_HEALTH_CHECKS), so the app recovers
    by itself once the database is back.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, (OperationalError, InterfaceError)):
            # Logged: a lock timeout or a full connection table looks the same to
            # the user as a database that is down, and the operator must tell them apart.
            logger.error(
                "database error on %s %s: %s",
                request.method,
                request.path,
                exception,
                exc_info=exception,
            )
            html = render_to_string("503.html", {"request": request})
            response = HttpResponse(html, status=503)
            response["Retry-After"] = "30"
            return response
        return None
