"""One JSON shape for every error the API returns, with a message in plain words:

{"error": {"code": "not_found", "message": "...", "fields": {"name": "..."}}}
"""

from __future__ import annotations

import logging

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from core.errors import NotAllowed, UserFacingError
from core.jsonsafe import JsonRefused

logger = logging.getLogger(__name__)


class ApiError(Exception):
    """An error answered as JSON with `status`, a stable `code` and a plain message."""

    def __init__(
        self, status: int, code: str, message: str, fields: dict | None = None
    ):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields or {}


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def _respond(api: NinjaAPI, request, status: int, body: dict) -> HttpResponse:
    return api.create_response(request, body, status=status)


def _field_name(loc) -> str:
    # ("body", "payload", "events") -> "events"; ("query", "limit") -> "limit"
    parts = [
        str(p)
        for p in loc
        if p not in ("body", "query", "path", "form", "file", "header", "payload")
    ]
    return ".".join(parts) or "request"


def _plain(error: dict) -> str:
    kind = error.get("type", "")
    if kind == "missing":
        return "This is required."
    message = str(error.get("msg", "This value is not valid."))
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")


# Exceptions answered the same way whatever they carry: (status, code, message).
FIXED_ANSWERS: dict[type[Exception], tuple[int, str, str]] = {
    Http404: (
        404,
        "not_found",
        "Nothing was found at this address, or you may not see it.",
    ),
    MultiPartParserError: (
        400,
        "bad_request",
        "The multipart/form-data body could not be read (is the boundary missing or "
        "wrong?). Send the form fields and files as multipart/form-data with a "
        "boundary, or JSON where the operation takes JSON.",
    ),
    RequestDataTooBig: (
        413,
        "too_large",
        "The request is larger than the court accepts.",
    ),
    SuspiciousOperation: (400, "bad_request", "The request could not be read."),
}
SERVER_ERROR = (
    500,
    "server_error",
    "Something went wrong on the court's side. Nothing was filed; try again later.",
)


DATABASE_UNAVAILABLE = (
    503,
    "unavailable",
    "The court's database could not be reached just now. Try again in a moment; "
    "with the same Idempotency-Key a filing is never made twice.",
)


def install_handlers(api: NinjaAPI) -> None:
    """Answer every exception an operation can raise in the one error shape."""

    @api.exception_handler(ApiError)
    def api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        response = _respond(
            api, request, exc.status, error_body(exc.code, exc.message, exc.fields)
        )
        if exc.status == 401:
            response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        fields: dict[str, str] = {}
        for error in exc.errors:
            fields.setdefault(_field_name(error.get("loc", ())), _plain(error))
        summary = "; ".join(f"{k}: {v}" for k, v in list(fields.items())[:5])
        return _respond(
            api,
            request,
            422,
            error_body("invalid", f"The request is not valid. {summary}", fields),
        )

    @api.exception_handler(NotAllowed)
    def not_allowed(request: HttpRequest, exc: NotAllowed) -> HttpResponse:
        return _respond(api, request, 403, error_body("forbidden", exc.message))

    @api.exception_handler(UserFacingError)
    def refused(request: HttpRequest, exc: UserFacingError) -> HttpResponse:
        fields = {exc.field: exc.message} if exc.field else {}
        return _respond(api, request, 422, error_body("refused", exc.message, fields))

    @api.exception_handler(Throttled)
    def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        wait = int(exc.wait or 60) + 1
        response = _respond(
            api,
            request,
            429,
            error_body(
                "rate_limited",
                f"Too many requests. Wait {wait} seconds and try again.",
            ),
        )
        response["Retry-After"] = str(wait)
        return response

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = _respond(
            api,
            request,
            401,
            error_body(
                "unauthenticated",
                "This needs an API token: send it as 'Authorization: Bearer <token>'.",
            ),
        )
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc.__cause__, JsonRefused):
            # The body parser's refusal (too deep, too long, not JSON).
            message = exc.__cause__.message
            return _respond(
                api, request, 422, error_body("invalid", message, {"body": message})
            )
        return _respond(
            api, request, exc.status_code, error_body("http_error", str(exc))
        )

    for exception, (status, code, message) in FIXED_ANSWERS.items():
        api.add_exception_handler(exception, _fixed(api, status, code, message))

    @api.exception_handler(OperationalError)
    @api.exception_handler(InterfaceError)
    def database_unavailable(request: HttpRequest, exc: Exception) -> HttpResponse:
        # As core.middleware.DatabaseUnavailableMiddleware answers the pages: the
        # database is down, dropped this process's connection (the next request gets
        # a new one) or a lock wait ran out. Logged, so the operator can tell which.
        logger.error(
            "database error on API %s %s: %s",
            request.method,
            request.path,
            exc,
            exc_info=exc,
        )
        status, code, message = DATABASE_UNAVAILABLE
        response = _respond(api, request, status, error_body(code, message))
        response["Retry-After"] = "30"
        return response

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("API error on %s", request.path)
        status, code, message = SERVER_ERROR
        return _respond(api, request, status, error_body(code, message))


def _fixed(api: NinjaAPI, status: int, code: str, message: str):
    def handler(request: HttpRequest, exc: Exception) -> HttpResponse:
        return _respond(api, request, status, error_body(code, message))

    return handler
