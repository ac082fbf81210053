"""Security headers on every response, a clean page when the database is down, and a
plain 400 for control characters in the address."""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

from .text import has_control_characters

logger = logging.getLogger(__name__)


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
        # A response that already says no-store is kept as it is, and the question
        # below is not asked: it loads the session, which needs the database.
        if "no-store" not in response.get("Cache-Control", "") and _shows_private_data(
            request, response
        ):
            response.headers["Cache-Control"] = "private, no-store"
        return response


def _shows_private_data(request, response) -> bool:
    """A response that may show non-public data: to a signed-in user (court users see
    sealed text) or to an API token. No shared or browser cache may keep it. (A view
    that shows private data to anyone, such as a receipt link, sends its own
    `Cache-Control: private, no-store`, which is kept.)"""
    if request.headers.get("Authorization"):
        return True
    try:
        user = getattr(request, "user", None)
        return bool(user is not None and user.is_authenticated)
    except (OperationalError, InterfaceError):
        # The session could not be read (the database is away, or dropped this
        # process's connection: Django replaces it after this request). Whoever it
        # is, no cache keeps the answer; the answer itself needed no database.
        return True


class DatabaseUnavailableMiddleware:
    """Answer 503 with a "try again" page when PostgreSQL cannot be reached.

    A connection that failed is closed at the end of the request (Django's
    errors_occurred check) and the next request opens a new one, so the app recovers
    by itself once the database is back; a connection the database dropped between
    two requests costs one such 503 (the web does not ping first: ecf/wsgi.py).
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
            return database_unavailable_response(request)
        return None


def database_unavailable_response(request) -> HttpResponse:
    """The "try again" page (503), rendered without the database."""
    html = render_to_string("503.html", {"request": request})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = "30"
    # Never cached; and saying so itself keeps SecurityHeadersMiddleware from
    # asking whether the user is signed in: that loads the session from the
    # database that is down.
    response["Cache-Control"] = "private, no-store"
    return response


def handles_control_characters(view):
    """Mark a view that answers NUL or control characters in its query string itself
    (a search: "no results" with a message) instead of ControlCharactersMiddleware."""
    view.handles_control_characters = True
    return view


class ControlCharactersMiddleware:
    """Answer 400 with a plain page when the query string holds NUL or another control
    character (core.text), before any view passes it to PostgreSQL (which cannot
    store NUL: a 500 otherwise). The API answers in its own error shape; views marked
    with `handles_control_characters` answer themselves.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "handles_control_characters", False):
            return None
        if request.path.startswith("/api/"):
            return None
        if not any(
            has_control_characters(key) or any(map(has_control_characters, values))
            for key, values in request.GET.lists()
        ):
            return None
        html = render_to_string("400_control.html", {"request": request})
        return HttpResponse(html, status=400)
