"""Security headers on every response, and a clean page when the database is down."""

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string


class SecurityHeadersMiddleware:
    """Add the Content Security Policy (no inline script), a tight Permissions-Policy,
    and `Cache-Control: private, no-store` on every response that may show non-public
    data."""

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
        if _shows_private_data(request, response) and "no-store" not in response.get(
            "Cache-Control", ""
        ):
            response.headers["Cache-Control"] = "private, no-store"
        return response


def _shows_private_data(request, response) -> bool:
    """A response that may show non-public data: to a signed-in user (court users see
    sealed text), to an API token, or marked private by its view (receipt links). No
    shared or browser cache may keep it."""
    if getattr(response, "ecf_private", False):
        return True
    if request.headers.get("Authorization"):
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


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
            html = render_to_string("503.html", {"request": request})
            response = HttpResponse(html, status=503)
            response["Retry-After"] = "30"
            return response
        return None
