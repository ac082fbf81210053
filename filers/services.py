"""Every write to a filer account: registration, the clerk's decisions, agent links, details.

Each service owns its transaction, re-checks the rule it enforces (a view's form is
not the last line of defence), writes one audit event and tells the filer by e-mail
through core.mail (the in-app inbox plus a worker delivery after commit).

Refusals raise core.errors.UserFacingError with a message a person can act on; nothing
is changed when one is raised.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

from core.audit import record_event
from core.errors import NotAllowed, UserFacingError
from core.mail import send_message

from .models import REGISTRABLE_ROLES, AgentLink, Filer, Role, User

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

    Asks every function named in ECF_CERTIFICATION_REQUIREMENTS, after the checks
    this app owns (confirmed e-mail, accepted agreement).
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
    for path in settings.ECF_CERTIFICATION_REQUIREMENTS:
        unmet.extend(import_string(path)(user))
    return unmet


# -- e-mail ---------------------------------------------------------------------------


def _site_link(name: str) -> str:
    return settings.ECF_SITE_URL.rstrip("/") + reverse(name)


def _tell(user: User, subject: str, paragraphs: list[str]) -> None:
    """Send `user` an account message at their login address."""
    greeting = f"Dear {user.get_full_name()},"
    closing = f"{settings.ECF_COURT_NAME}\nElectronic Case Filing"
    text = "\n\n".join([greeting, *paragraphs, closing]) + "\n"
    send_message(
        to_email=user.email, subject=subject, text=text, user=user, kind="account"
    )


def _require_clerk(actor: User) -> None:
    if not (actor.is_authenticated and actor.is_clerk):
        raise NotAllowed("Only the clerk's office can do this.")


def _snapshot(filer: Filer) -> dict:
    return {"status": filer.status, "role": filer.role, "reason": filer.status_reason}


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
    _tell(
        user,
        "Your ECF registration was received",
        [
            f"We received your registration as {filer.get_role_display().lower()}.",
            "Before the clerk's office can approve it: confirm your e-mail address (we "
            "sent a separate message with the link) and complete the training exercises "
            "for your role on the training system.",
            f"See where your registration stands at any time: {_site_link('filers:status')}",
        ],
    )
    # Issue 10: the training app queues the practice account (ECF_AFTER_REGISTRATION).
    for path in getattr(settings, "ECF_AFTER_REGISTRATION", []):
        import_string(path)(user=user, filer=filer)
    return filer


# -- the clerk's decisions ------------------------------------------------------------


def _locked(filer: Filer) -> Filer:
    return Filer.objects.select_for_update().select_related("user").get(pk=filer.pk)


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise UserFacingError("Give a reason: the filer will read it.", field="reason")
    return reason


def _set_status(
    filer: Filer, status: str, reason: str, actor: User, action: str
) -> Filer:
    before = _snapshot(filer)
    filer.status = status
    filer.status_reason = reason
    filer.status_changed_at = timezone.now()
    fields = ["status", "status_reason", "status_changed_at", "updated_at"]
    if status == Filer.Status.CERTIFIED and filer.certified_at is None:
        filer.certified_at = filer.status_changed_at
        filer.certified_by = actor
        fields += ["certified_at", "certified_by"]
    filer.save(update_fields=fields)
    record_event(
        actor=actor,
        action=action,
        target=filer,
        before=before,
        after=_snapshot(filer),
        note=reason,
    )
    return filer


@transaction.atomic(durable=True)
def certify_filer(*, filer: Filer, actor: User) -> Filer:
    """Approve a pending registration; refused while any requirement is unmet."""
    _require_clerk(actor)
    filer = _locked(filer)
    if filer.status != Filer.Status.PENDING:
        raise UserFacingError(
            f"Only a waiting registration can be approved; this one is {filer.get_status_display().lower()}."
        )
    unmet = unmet_certification_requirements(filer.user)
    if unmet:
        raise UserFacingError(
            "This registration cannot be approved yet: " + " ".join(unmet)
        )
    _set_status(
        filer, Filer.Status.CERTIFIED, "", actor, "filers.certification.granted"
    )
    _tell(
        filer.user,
        "Your ECF registration was approved",
        [
            f"The clerk's office approved your registration as {filer.get_role_display().lower()}.",
            "Before your first filing, set up two-factor authentication (an authenticator "
            "app and recovery codes). Your login and password are your signature on every "
            "filing.",
            f"Start here: {_site_link('filers:menu')}",
        ],
    )
    return filer


@transaction.atomic(durable=True)
def refuse_filer(*, filer: Filer, actor: User, reason: str) -> Filer:
    """Refuse a pending registration, with the reason the registrant will read."""
    _require_clerk(actor)
    reason = _require_reason(reason)
    filer = _locked(filer)
    if filer.status != Filer.Status.PENDING:
        raise UserFacingError(
            f"Only a waiting registration can be refused; this one is {filer.get_status_display().lower()}."
        )
    _set_status(
        filer, Filer.Status.REFUSED, reason, actor, "filers.certification.refused"
    )
    _tell(
        filer.user,
        "Your ECF registration was refused",
        [
            "The clerk's office refused your registration for this reason:",
            reason,
            "If you have questions, contact the clerk's office.",
        ],
    )
    return filer


@transaction.atomic(durable=True)
def suspend_filer(*, filer: Filer, actor: User, reason: str) -> Filer:
    """Suspend a certified filer's filing rights (they keep read access)."""
    _require_clerk(actor)
    reason = _require_reason(reason)
    filer = _locked(filer)
    if filer.status != Filer.Status.CERTIFIED:
        raise UserFacingError("Only a certified filer can be suspended.")
    _set_status(filer, Filer.Status.SUSPENDED, reason, actor, "filers.filer.suspended")
    _tell(
        filer.user,
        "Your ECF filing rights are suspended",
        [
            "The clerk's office suspended your filing rights for this reason:",
            reason,
            "You can still log in and read dockets. Contact the clerk's office to have "
            "your filing rights restored.",
        ],
    )
    return filer


@transaction.atomic(durable=True)
def reinstate_filer(*, filer: Filer, actor: User) -> Filer:
    """Restore a suspended filer's filing rights."""
    _require_clerk(actor)
    filer = _locked(filer)
    if filer.status != Filer.Status.SUSPENDED:
        raise UserFacingError("Only a suspended filer can be reinstated.")
    _set_status(filer, Filer.Status.CERTIFIED, "", actor, "filers.filer.reinstated")
    _tell(
        filer.user,
        "Your ECF filing rights are restored",
        ["The clerk's office restored your filing rights. You can file again."],
    )
    return filer


@transaction.atomic(durable=True)
def revoke_filer(*, filer: Filer, actor: User, reason: str) -> Filer:
    """End a filer's filing rights for good (a new registration is needed to file again)."""
    _require_clerk(actor)
    reason = _require_reason(reason)
    filer = _locked(filer)
    if filer.status not in (Filer.Status.CERTIFIED, Filer.Status.SUSPENDED):
        raise UserFacingError("Only a certified or suspended filer can be revoked.")
    _set_status(filer, Filer.Status.REVOKED, reason, actor, "filers.filer.revoked")
    # A revoked filer's agent links end with it (either side), so nobody files through them.
    ended = AgentLink.objects.filter(
        Q(agent=filer) | Q(principal=filer), active=True
    ).update(active=False, ended_at=timezone.now())
    if ended:
        record_event(
            actor=actor,
            action="filers.agent.links_ended",
            target=filer,
            after={"links": ended},
        )
    _tell(
        filer.user,
        "Your ECF filing rights were revoked",
        [
            "The clerk's office revoked your filing rights for this reason:",
            reason,
            "You can still log in and read dockets.",
        ],
    )
    return filer


@transaction.atomic(durable=True)
def change_filer_role(*, filer: Filer, actor: User, role: str, reason: str) -> Filer:
    """Change a filer's role (clerk only); an attorney role needs a bar number on file."""
    _require_clerk(actor)
    reason = _require_reason(reason)
    filer = _locked(filer)
    if role not in REGISTRABLE_ROLES:
        raise UserFacingError("Choose one of the roles listed.", field="role")
    if role == filer.role:
        raise UserFacingError("The filer already has that role.", field="role")
    if role == Role.ATTORNEY and not filer.bar_number:
        raise UserFacingError(
            "An attorney needs a bar number on file; ask the filer to register as an attorney.",
            field="role",
        )
    # An agent's links, or a principal's links when the new role cannot have agents,
    # would otherwise let filings be signed in a role nobody certified for them.
    links = AgentLink.objects.filter(active=True)
    if links.filter(agent=filer).exists() or (
        role not in PRINCIPAL_ROLES and links.filter(principal=filer).exists()
    ):
        raise UserFacingError(
            "End this filer's filing-agent links before changing the role."
        )
    before = _snapshot(filer)
    filer.role = role
    filer.save(update_fields=["role", "updated_at"])
    record_event(
        actor=actor,
        action="filers.role.changed",
        target=filer,
        before=before,
        after=_snapshot(filer),
        note=reason,
    )
    _tell(
        filer.user,
        "Your ECF role was changed",
        [
            f"The clerk's office changed your role to {filer.get_role_display().lower()}.",
            reason,
        ],
    )
    return filer


# -- filing agents ----------------------------------------------------------------------


def _principal_filer(user: User) -> Filer:
    filer = user.filer_or_none
    if filer is None or filer.role not in PRINCIPAL_ROLES:
        raise NotAllowed("Only attorneys and trustees can link filing agents.")
    if filer.status != Filer.Status.CERTIFIED:
        raise NotAllowed(
            "You can link filing agents once your own filing rights are active."
        )
    return filer


@transaction.atomic(durable=True)
def link_agent(*, principal: User, agent_email: str, may_pay_fees: bool) -> AgentLink:
    """Link the filing agent registered under `agent_email` to `principal`."""
    principal_filer = _principal_filer(principal)
    email = (agent_email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise UserFacingError(
            "Enter the filing agent's e-mail address.", field="agent_email"
        ) from None
    agent_user = (
        User.objects.filter(email__iexact=email).select_related("filer").first()
    )
    agent = agent_user.filer_or_none if agent_user else None
    if agent is None or agent.role != Role.FILING_AGENT:
        raise UserFacingError(
            "No filing agent is registered with that e-mail address. The agent must register "
            "as a filing agent first.",
            field="agent_email",
        )
    if agent.status != Filer.Status.CERTIFIED:
        raise UserFacingError(
            "That filing agent's registration is not active (it is "
            f"{agent.get_status_display().lower()}).",
            field="agent_email",
        )
    if (
        AgentLink.objects.select_for_update()
        .filter(agent=agent, principal=principal_filer, active=True)
        .exists()
    ):
        raise UserFacingError(
            "That filing agent is already linked to you.", field="agent_email"
        )
    link = AgentLink.objects.create(
        agent=agent, principal=principal_filer, may_pay_fees=may_pay_fees
    )
    record_event(
        actor=principal,
        action="filers.agent.linked",
        target=link,
        after={
            "agent": agent_user.email,
            "principal": principal.email,
            "may_pay_fees": may_pay_fees,
        },
    )
    fees = "may pay filing fees" if may_pay_fees else "may not pay filing fees"
    _tell(
        agent_user,
        f"You can now file for {principal.get_full_name()}",
        [
            f"{principal.get_full_name()} linked you as a filing agent. You can file on their "
            f"behalf: choose them at the start of a filing. You {fees}.",
            "The docket will name them as the filer; the court's records name you as the "
            "person who entered the filing.",
        ],
    )
    return link


def _own_link(principal: User, link_id: int) -> AgentLink:
    principal_filer = _principal_filer(principal)
    link = (
        AgentLink.objects.select_for_update()
        .select_related("agent__user")
        .filter(pk=link_id, principal=principal_filer, active=True)
        .first()
    )
    if link is None:
        raise UserFacingError("That filing agent is not linked to you.")
    return link


@transaction.atomic(durable=True)
def set_agent_fee_permission(
    *, principal: User, link_id: int, may_pay_fees: bool
) -> AgentLink:
    """Allow or stop a linked agent paying fees for `principal`."""
    link = _own_link(principal, link_id)
    if link.may_pay_fees == may_pay_fees:
        return link
    before = {"may_pay_fees": link.may_pay_fees}
    link.may_pay_fees = may_pay_fees
    link.save(update_fields=["may_pay_fees", "updated_at"])
    record_event(
        actor=principal,
        action="filers.agent.fees_changed",
        target=link,
        before=before,
        after={"may_pay_fees": may_pay_fees},
    )
    _tell(
        link.agent.user,
        f"Fee payment for {principal.get_full_name()} changed",
        [
            f"{principal.get_full_name()} "
            + (
                "now lets you pay filing fees for them."
                if may_pay_fees
                else "no longer lets you pay filing fees for them."
            )
        ],
    )
    return link


@transaction.atomic(durable=True)
def unlink_agent(*, principal: User, link_id: int) -> AgentLink:
    """End a filing agent's link to `principal`; the agent can no longer file for them."""
    link = _own_link(principal, link_id)
    link.active = False
    link.ended_at = timezone.now()
    link.save(update_fields=["active", "ended_at", "updated_at"])
    record_event(
        actor=principal,
        action="filers.agent.unlinked",
        target=link,
        before={"active": True},
        after={"active": False, "agent": link.agent.user.email},
    )
    _tell(
        link.agent.user,
        f"You can no longer file for {principal.get_full_name()}",
        [f"{principal.get_full_name()} ended your link as their filing agent."],
    )
    return link


# -- account details ----------------------------------------------------------------------

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
    filer = _locked(filer)
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
    changed = ", ".join(
        Filer._meta.get_field(n).verbose_name if n != "full_name" else "name"
        for n in after
    )
    _tell(
        user,
        "Your ECF account details were changed",
        [
            f"These details of your ECF account were changed: {changed}.",
            "If you did not make this change, contact the clerk's office at once.",
        ],
    )
    return filer
