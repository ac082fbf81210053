"""The versioned JSON API (/api/v1/): one NinjaAPI, its routers, errors and limits.

The OpenAPI document is generated from the code (/api/v1/openapi.json); the reference
page (/api/v1/docs) is rendered on the server from that document (dockets.api.views),
so it needs no CDN and no script and fits the Content Security Policy.
"""

from django.http import Http404
from ninja import NinjaAPI, Router
from ninja.parser import Parser

from core import jsonsafe

from ..alerts.api import router as webhooks_router
from . import claims_upload, filings, writes  # noqa: F401  (registers the write operations)
from .auth import API_THROTTLES
from .errors import install_handlers
from .reads import router as reads_router

DESCRIPTION = """\
The court's electronic filing system as JSON: search cases, read dockets and
documents (free, no token needed, lower rate limit), and, with a personal API token
made on the API tokens page, file documents, open cases and file proofs of claim.

Send the token as `Authorization: Bearer <token>`. Every write accepts an
`Idempotency-Key` header: a retry with the same key returns the first response.
Errors always look like `{"error": {"code": "...", "message": "...", "fields": {}}}`.
"""


class BoundedJsonParser(Parser):
    """JSON bodies are parsed with their depth and size bounded (core.jsonsafe);
    a refusal reaches errors.http_error as the cause of ninja's 400 and is
    answered 422 with its own message."""

    def parse_body(self, request):
        return jsonsafe.loads(request.body)


dockets_api = NinjaAPI(
    parser=BoundedJsonParser(),
    title="ECF API",
    version="1.0.0",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    docs_url=None,
    openapi_url="/openapi.json",
    throttle=API_THROTTLES,
)
install_handlers(dockets_api)
dockets_api.add_router("", reads_router)
dockets_api.add_router("", webhooks_router)  # issue 24

# Anything else under /api/v1/ answers in the same JSON error shape, not an HTML page.
_fallback = Router(auth=None)


@_fallback.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", include_in_schema=False
)
def unknown(request, rest: str):
    raise Http404


dockets_api.add_router("", _fallback)
