"""A filer's own contact details and notice preferences."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from core.audit import record_event
from core.errors import UserFacingError

from .models import Filer, User
from .services import (
    MAX_SECONDARY_EMAILS,
    clean_state,
    locked_filer,
    tell_user,
)

ACCOUNT_FIELDS = (
    "firm",
    "address_line1",
    "address_line2",
    "city",
    "state",
    "zip_code",
    "phone",
    "notice_email",
    "secondary_emails",
    "nef_preference",
)


@transaction.atomic(durable=True)
def update_account(*, user: User, full_name: str, details: dict) -> Filer:
    """Save the filer's own contact details and notice preferences.

    `details` holds any of ACCOUNT_FIELDS. Nothing is saved when one is invalid.
    """
    filer = user.filer_or_none
    if filer is None:
        raise UserFacingError(
            "This account has no filing role. Register as a filer first."
        )
    filer = locked_filer(filer)
    user = filer.user
    full_name = (full_name or "").strip()
    if not full_name:
        raise UserFacingError("Enter your full name.", field="full_name")
    unknown = set(details) - set(ACCOUNT_FIELDS)
    if unknown:
        raise UserFacingError("Unknown account fields: " + ", ".join(sorted(unknown)))
    clean = {k: (v.strip() if isinstance(v, str) else v) for k, v in details.items()}
    if clean.get("state"):
        clean["state"] = clean_state(clean["state"], field="state")
    if (
        "nef_preference" in clean
        and clean["nef_preference"] not in Filer.NefPreference.values
    ):
        raise UserFacingError(
            "Choose how you want to receive notices.", field="nef_preference"
        )
    emails = [e.strip().lower() for e in clean.get("secondary_emails", []) if e.strip()]
    if len(emails) > MAX_SECONDARY_EMAILS:
        raise UserFacingError(
            f"List at most {MAX_SECONDARY_EMAILS} secondary e-mail addresses.",
            field="secondary_emails",
        )
    for email in [*emails, clean.get("notice_email") or ""]:
        if email:
            try:
                validate_email(email)
            except ValidationError:
                raise UserFacingError(
                    f"{email} is not a valid e-mail address.", field="secondary_emails"
                ) from None
    if "secondary_emails" in clean:
        clean["secondary_emails"] = list(dict.fromkeys(emails))
    before: dict = {}
    after: dict = {}
    if user.full_name != full_name:
        before["full_name"], after["full_name"] = user.full_name, full_name
        user.full_name = full_name
        user.save(update_fields=["full_name"])
    for name, value in clean.items():
        if getattr(filer, name) != value:
            before[name], after[name] = getattr(filer, name), value
            setattr(filer, name, value)
    if not after:
        return filer
    filer.full_clean()
    filer.save()
    record_event(
        actor=user,
        action="filers.account.updated",
        target=filer,
        before=before,
        after=after,
    )
    labels = {f.name: str(f.verbose_name) for f in Filer._meta.concrete_fields}
    changed = ", ".join(labels[n] if n != "full_name" else "name" for n in after)
    tell_user(
        user,
        "Your ECF account details were changed",
        [
            f"These details of your ECF account were changed: {changed}.",
            "If you did not make this change, contact the clerk's office at once.",
        ],
    )
    return filer
