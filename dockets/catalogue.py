"""Load the court's event catalogue (dockets.catalogue_data) into the Event table."""

from django.db import transaction

from .models import Event

EVENT_KEYS = (
    "category",
    "name",
    "form_number",
    "case_types",
    "chapters",
    "filer_roles",
    "fee_cents",
    "fee_exemptions",
    "pdf",
    "attachments",
    "numbered",
    "refers",
    "refer_categories",
    "needs_party_against",
    "fields",
    "docket_text",
    "sets_deadlines",
    "ends_deadlines",
    "bnc",
    "case_action",
    "visibility",
    "description",
)


def _values(data: dict) -> dict:
    values = {key: data[key] for key in EVENT_KEYS}
    values["search_text"] = " ".join(
        [
            data["name"],
            data["code"],
            data.get("form_number", ""),
            data["category"],
            data.get("description", ""),
        ]
    ).lower()
    return values


@transaction.atomic
def sync_events(*, using: str = "default") -> int:
    """Create or update every catalogue event by code; returns how many were written.

    Events the clerk's office added in the admin (codes not in the data) are left alone;
    events whose stored values already match the data are not written again.
    """
    from .catalogue_data import EVENTS

    existing = {
        e.code: e
        for e in Event.objects.using(using).filter(code__in=[d["code"] for d in EVENTS])
    }
    new, changed = [], []
    for data in EVENTS:
        values = _values(data)
        event = existing.get(data["code"])
        if event is None:
            new.append(Event(code=data["code"], **values))
        elif any(getattr(event, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(event, key, value)
            changed.append(event)
    if new:
        Event.objects.using(using).bulk_create(new, batch_size=500)
    if changed:
        Event.objects.using(using).bulk_update(
            changed, [*EVENT_KEYS, "search_text", "updated_at"], batch_size=500
        )
    return len(new) + len(changed)
