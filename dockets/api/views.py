"""Web pages of the API: the filer's token page and the API reference page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import UserFacingError
from filers.http import AuthedRequest
from filers.models import User
from filers.permissions import filing_blockers

from .forms import TokenForm
from .models import ApiToken
from .services import create_api_token, revoke_api_token


def access_own_token(user: User, token_id: int) -> ApiToken:
    """Return the user's token; another user's token or none at all is the same 404."""
    token = ApiToken.objects.filter(pk=token_id, user=user).first()
    if token is None:
        raise Http404
    return token


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: AuthedRequest) -> HttpResponse:
    """List the filer's API tokens and make a new one (after an authenticator code)."""
    blockers = filing_blockers(request.user)
    form = TokenForm(request.POST or None, user=request.user)
    if request.method == "POST" and not blockers and form.is_valid():
        data = form.cleaned_data
        try:
            token, secret = create_api_token(
                user=request.user,
                name=data["name"],
                scopes=data["scopes"],
                days=data["days"],
            )
        except UserFacingError as error:
            form.add_error(
                error.field if error.field in form.fields else None, error.message
            )
        else:
            # Shown once, in this response only: never stored, never redirected through.
            response = render(
                request,
                "dockets/api/token_created.html",
                {"token": token, "secret": secret},
            )
            response["Cache-Control"] = "no-store"
            return response
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at")
    return render(
        request,
        "dockets/api/token_list.html",
        {"form": form, "tokens": tokens, "blockers": blockers},
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def token_revoke(request: AuthedRequest, token_id: int) -> HttpResponse:
    """Revoke one of the filer's tokens at once."""
    token = revoke_api_token(
        user=request.user, token=access_own_token(request.user, token_id)
    )
    messages.success(
        request, f"Token \u201c{token.name}\u201d is revoked; it no longer works."
    )
    return redirect("dockets:api-tokens")


@require_GET
def api_reference(request: HttpRequest) -> HttpResponse:
    """The API reference, rendered on the server from the OpenAPI document."""
    from .api import dockets_api
    from .reference import operations, schemas

    document = dockets_api.get_openapi_schema()
    return render(
        request,
        "dockets/api/api_reference.html",
        {
            "info": document["info"],
            "operations": operations(document),
            "schemas": schemas(document),
        },
    )
