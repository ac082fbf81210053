"""Load the court's event catalogue (dockets.catalogue_data) into the Event table."""

from django.db import transaction

from .models import Event

EVENT_KEYS = (
    "category", "name", "form_number", "case_types", "chapters", "filer_roles", "fee_cents",
    "fee_exemptions", "pdf", "attachments", "numbered", "refers", "refer_categories",
    "needs_party_against", "fields", "docket_text", "sets_deadlines", "ends_deadlines", "bnc",
    "case_action", "visibility", "description",
)


@transaction.atomic
def sync_events(*, using: str = "default") -> int:
    """Create or update every catalogue event by code; returns how many were written.

    Events the clerk's office added in the admin (codes not in the data) are left alone.
    """
    from .catalogue_data import EVENTS

    count = 0
    for data in EVENTS:
        values = {key: data[key] for key in EVENT_KEYS}
        values["search_text"] = " ".join(
            [data["name"], data["code"], data.get("form_number", ""), data["category"], data.get("description", "")]
        ).lower()
        Event.objects.using(using).update_or_create(code=data["code"], defaults=values)
        count += 1
    return count
