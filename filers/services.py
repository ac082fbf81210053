"""Registration of a filer account, and what every write to a filer account shares.

The other writes live beside this module: filers.decisions (the clerk's decisions),
filers.agents (filing-agent links) and filers.accounts (the filer's own details).

Each service owns its transaction, re-checks the rule it enforces (a view's form is
not the last line of defence), writes one audit event and tells the filer by e-mail
through core.mail (the in-app inbox plus a worker delivery after commit).

Refusals raise core.errors.UserFacingError with a message a person can act on; nothing
is changed when one is raised.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.audit import record_event
from core.errors import UserFacingError
from core.mail import send_message

from . import hooks
from .models import REGISTRABLE_ROLES, Filer, Role, User

# Roles a filing agent may work for (cmecf.md 1.1: "staff of an attorney or trustee").
PRINCIPAL_ROLES = (Role.ATTORNEY, Role.TRUSTEE)
# State bar numbers are digits, sometimes with a letter prefix (e.g. "123456",
# "P12345", "24012345"); anything else is a typo.
BAR_NUMBER_RE = re.compile(r"^[A-Z]{0,2}\d{3,10}$")
US_STATES = frozenset(
    [
        "AL",
        "AK",
        "AZ",
        "AR",
        "CA",
        "CO",
        "CT",
        "DE",
        "DC",
        "FL",
        "GA",
        "HI",
        "ID",
        "IL",
        "IN",
        "IA",
        "KS",
        "KY",
        "LA",
        "ME",
        "MD",
        "MA",
        "MI",
        "MN",
        "MS",
        "MO",
        "MT",
        "NE",
        "NV",
        "NH",
        "NJ",
        "NM",
        "NY",
        "NC",
        "ND",
        "OH",
        "OK",
        "OR",
        "PA",
        "RI",
        "SC",
        "SD",
        "TN",
        "TX",
        "UT",
        "VT",
        "VA",
        "WA",
        "WV",
        "WI",
        "WY",
        "PR",
        "VI",
        "GU",
        "MP",
        "AS",
    ]
)
MAX_SECONDARY_EMAILS = 5


def clean_bar_number(value: str) -> str:
    """Return the bar number normalised (upper case, no spaces or dashes) or raise."""
    number = re.sub(r"[\s-]", "", value or "").upper()
    if not BAR_NUMBER_RE.match(number):
        raise UserFacingError(
            "Enter your bar number as it appears on your bar card: 3 to 10 digits, "
            "optionally after one or two letters (for example 123456).",
            field="bar_number",
        )
    return number


def clean_state(value: str, *, field: str = "bar_state") -> str:
    """Return a two-letter U.S. state or territory code, upper case, or raise."""
    state = (value or "").strip().upper()
    if state not in US_STATES:
        raise UserFacingError(
            "Enter the two-letter code of a U.S. state or territory, for example CA.",
            field=field,
        )
    return state


def unmet_certification_requirements(user: User) -> list[str]:
    """Return what still stands between `user` and certification (empty when nothing).

    Asks every requirement the court names in ECF_CERTIFICATION_REQUIREMENTS
    (filers.hooks), after the checks this app owns (confirmed e-mail, agreement).
    """
    from allauth.account.models import EmailAddress

    unmet: list[str] = []
    if not EmailAddress.objects.filter(
        user=user, email__iexact=user.email, verified=True
    ).exists():
        unmet.append("The e-mail address has not been confirmed.")
    filer = user.filer_or_none
    if filer is None or filer.agreement_accepted_at is None:
        unmet.append("The e-filing agreement has not been accepted.")
    for requirement in hooks.certification_requirements():
        unmet.extend(requirement(user))
    return unmet


# -- e-mail ---------------------------------------------------------------------------


def site_link(name: str) -> str:
    return settings.ECF_SITE_URL.rstrip("/") + reverse(name)


def tell_user(user: User, subject: str, paragraphs: list[str]) -> None:
    """Send `user` an account message at their login address."""
    greeting = f"Dear {user.get_full_name()},"
    closing = f"{settings.ECF_COURT_NAME}\nElectronic Case Filing"
    text = "\n\n".join([greeting, *paragraphs, closing]) + "\n"
    send_message(
        to_email=user.email, subject=subject, text=text, user=user, kind="account"
    )


def locked_filer(filer: Filer) -> Filer:
    """Re-read `filer` with its row locked; call inside the caller's transaction."""
    return Filer.objects.select_for_update().select_related("user").get(pk=filer.pk)


# -- registration ---------------------------------------------------------------------


@dataclass(frozen=True)
class Registration:
    """What a person gives when registering for one role."""

    role: str
    full_name: str
    agreement_accepted: bool
    bar_number: str = ""
    bar_state: str = ""
    admitted_in_court: bool = False
    firm: str = ""
    address_line1: str = ""
    address_line2: str = ""
    city: str = ""
    state: str = ""
    zip_code: str = ""
    phone: str = ""


def validate_registration(data: Registration) -> Registration:
    """Return `data` with normalised fields, or raise UserFacingError for the first problem."""
    if data.role not in REGISTRABLE_ROLES:
        raise UserFacingError("Choose one of the roles listed.", field="role")
    if not data.full_name.strip():
        raise UserFacingError(
            "Enter your full name (or your organisation's name).", field="full_name"
        )
    if not data.agreement_accepted:
        raise UserFacingError(
            "You must accept the e-filing agreement to register.",
            field="agreement_accepted",
        )
    bar_number, bar_state, admitted = "", "", False
    if data.role == Role.ATTORNEY:
        bar_number = clean_bar_number(data.bar_number)
        bar_state = clean_state(data.bar_state)
        if not data.admitted_in_court:
            raise UserFacingError(
                "Attorneys must be admitted to practise in this court to register as "
                "attorneys. If you only file claims, register as a creditor instead.",
                field="admitted_in_court",
            )
        admitted = True
    state = clean_state(data.state, field="state") if data.state.strip() else ""
    return Registration(
        role=data.role,
        full_name=data.full_name.strip(),
        agreement_accepted=True,
        bar_number=bar_number,
        bar_state=bar_state,
        admitted_in_court=admitted,
        firm=data.firm.strip(),
        address_line1=data.address_line1.strip(),
        address_line2=data.address_line2.strip(),
        city=data.city.strip(),
        state=state,
        zip_code=data.zip_code.strip(),
        phone=data.phone.strip(),
    )


@transaction.atomic
def register_filer(*, user: User, data: Registration) -> Filer:
    """Create `user`'s filer account for one role, waiting for training and the clerk.

    Runs inside allauth's sign-up as well as on its own (a logged-in user with no
    filing role), so it joins an outer transaction instead of insisting on its own.
    """
    data = validate_registration(data)
    user = User.objects.select_for_update().get(pk=user.pk)
    if Filer.objects.filter(user=user).exists():
        raise UserFacingError("This account is already registered for a filing role.")
    now = timezone.now()
    user.full_name = data.full_name
    user.save(update_fields=["full_name"])
    filer = Filer(
        user=user,
        role=data.role,
        status=Filer.Status.PENDING,
        status_changed_at=now,
        bar_number=data.bar_number,
        bar_state=data.bar_state,
        admitted_in_court=data.admitted_in_court,
        firm=data.firm,
        address_line1=data.address_line1,
        address_line2=data.address_line2,
        city=data.city,
        state=data.state,
        zip_code=data.zip_code,
        phone=data.phone,
        agreement_accepted_at=now,
    )
    filer.full_clean()
    filer.save()
    record_event(
        actor=user,
        action="filers.registration.submitted",
        target=filer,
        after={
            "role": filer.role,
            "status": filer.status,
            "agreement_accepted_at": now,
        },
    )
    tell_user(
        user,
        "Your ECF registration was received",
        [
            f"We received your registration as {filer.get_role_display().lower()}.",
            "Before the clerk's office can approve it: confirm your e-mail address (we "
            "sent a separate message with the link) and complete the training exercises "
            "for your role on the training system.",
            f"See where your registration stands at any time: {site_link('filers:status')}",
        ],
    )
    # Issue 10: the training app queues the practice account (filers.hooks).
    for hook in hooks.after_registration():
        hook(user=user, filer=filer)
    return filer
