"""What the clerk's screens share: the clerk's door to an entry and how a refusal is shown."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest

from core.errors import UserFacingError

from ...models import DocketEntry
from ...permissions import access_entry
from ..permissions import require_clerk


def docketed(entry: DocketEntry) -> str:
    """'Hearing Set docketed as an unnumbered entry.' / 'Order on Motion docketed as entry #7.'"""
    where = f"entry #{entry.number}" if entry.number else "an unnumbered entry"
    return f"{entry.event.name} docketed as {where}."


def entry_for_clerk(request: HttpRequest, entry_id: int) -> DocketEntry:
    require_clerk(request.user)
    return access_entry(request.user, entry_id)


# The rule book names the API's fields; these are the clerk's form fields for them.
PROBLEM_FIELDS = {
    "party_ids": "party",
    "against_ids": "against",
    "related_numbers": "related",
    "main": "pdf",
}


def show_refusal(request: HttpRequest, form, error: UserFacingError) -> None:
    """Show a refusal on the form: each rule-book problem on its own field when the
    form has that field, otherwise at the top."""
    problems = getattr(error, "problems", None)
    if not problems:
        form.add_error(None, error.message)
    for problem in problems or []:
        name = PROBLEM_FIELDS.get(problem.field, "")
        if problem.field.startswith("fields."):
            name = "f_" + problem.field.removeprefix("fields.")
        form.add_error(name if name in form.fields else None, problem.message)
    messages.error(request, error.message)
