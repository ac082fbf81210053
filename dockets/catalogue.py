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


def sync_events(*, using: str = "default") -> int:
    """Create or update every catalogue event by code; returns how many were written.

    Events the clerk's office added in the admin (codes not in the data) are left alone;
    events whose stored values already match the data are not written again.
    """
    changes = sync_catalogue(using=using)
    return len(changes["created"]) + len(changes["changed"])


def sync_catalogue(*, using: str = "default", audit: bool = False) -> dict:
    """Bring the Event table in line with the code's catalogue (events and their fees).

    Returns {"created": [codes], "changed": {code: {field: [old, new]}}}. With `audit`,
    a sync that changed anything is recorded as one court-wide audit event (who: the
    release step), so a fee change shipped with an upgrade shows in the record.
    """
    with transaction.atomic(using=using):
        return _sync_catalogue(using=using, audit=audit)


def _sync_catalogue(*, using: str, audit: bool) -> dict:
    from core.audit import record_event

    from .catalogue_data import EVENTS

    existing = {
        e.code: e
        for e in Event.objects.using(using).filter(code__in=[d["code"] for d in EVENTS])
    }
    new, changed = [], []
    diffs: dict[str, dict] = {}
    for data in EVENTS:
        values = _values(data)
        event = existing.get(data["code"])
        if event is None:
            new.append(Event(code=data["code"], **values))
            continue
        diff = {
            key: [getattr(event, key), value]
            for key, value in values.items()
            if getattr(event, key) != value
        }
        if diff:
            for key, value in values.items():
                setattr(event, key, value)
            changed.append(event)
            # search_text follows the other fields; the record shows what a user sees.
            diff.pop("search_text", None)
            diffs[data["code"]] = diff
    if new:
        Event.objects.using(using).bulk_create(new, batch_size=500)
    if changed:
        Event.objects.using(using).bulk_update(
            changed, [*EVENT_KEYS, "search_text", "updated_at"], batch_size=500
        )
    changes = {"created": [e.code for e in new], "changed": diffs}
    if audit and (new or changed):
        fees = {
            code: diff["fee_cents"]
            for code, diff in diffs.items()
            if "fee_cents" in diff
        }
        record_event(
            actor=None,
            action="catalogue.sync",
            after={**changes, "fee_changes": fees},
            note=(
                f"Event catalogue synced from the release: {len(new)} new, "
                f"{len(changed)} changed ({len(fees)} fee changes)."
            ),
            using=using,
        )
    return changes
