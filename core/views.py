import sys

from django.contrib.auth.decorators import login_required
from django.db import InterfaceError, OperationalError, connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from .mail import withheld_reason
from .middleware import database_unavailable_response
from .models import InboxMessage


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The court's ECF home page; a logged-in user also sees their own menu."""
    return render(request, "core/home.html", {})


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    if request.user.pk is None:  # @login_required lets no anonymous visitor in
        raise Http404
    messages = InboxMessage.objects.filter(user_id=request.user.pk).only(
        "id", "subject", "created_at", "read_at", "kind", "status"
    )[:200]
    return render(request, "core/inbox.html", {"inbox_messages": messages})


@login_required
@require_GET
def inbox_message(request: HttpRequest, message_id: int) -> HttpResponse:
    if request.user.pk is None:  # @login_required lets no anonymous visitor in
        raise Http404
    message = InboxMessage.objects.filter(
        pk=message_id, user_id=request.user.pk
    ).first()
    if message is None:
        raise Http404
    if message.read_at is None:
        InboxMessage.objects.filter(pk=message.pk).update(read_at=timezone.now())
    withheld = withheld_reason(message)
    return render(
        request,
        "core/inbox_message.html",
        {"message": message, "withheld": withheld},
    )


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"ok": True})


def not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # A database error outside a view (the 404 page of a signed-in user reads the
    # session; the connection was dropped) is the same "try again" as inside one.
    if isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        return database_unavailable_response(request)
    return render(request, "500.html", status=500)
