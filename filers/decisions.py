"""The clerk's decisions on a filer account: certify, refuse, suspend, reinstate,
revoke, change role. Each re-checks that the actor is the clerk's office, writes one
audit event and tells the filer by e-mail.
"""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.audit import record_event
from core.errors import NotAllowed, UserFacingError

from .models import REGISTRABLE_ROLES, AgentLink, Filer, Role, User
from .services import (
    PRINCIPAL_ROLES,
    locked_filer,
    site_link,
    tell_user,
    unmet_certification_requirements,
)


def _require_clerk(actor: User) -> None:
    if not (actor.is_authenticated and actor.is_clerk):
        raise NotAllowed("Only the clerk's office can do this.")


def _snapshot(filer: Filer) -> dict:
    return {"status": filer.status, "role": filer.role, "reason": filer.status_reason}


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
    filer = locked_filer(filer)
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
    tell_user(
        filer.user,
        "Your ECF registration was approved",
        [
            f"The clerk's office approved your registration as {filer.get_role_display().lower()}.",
            "Before your first filing, set up two-factor authentication (an authenticator "
            "app and recovery codes). Your login and password are your signature on every "
            "filing.",
            f"Start here: {site_link('filers:menu')}",
        ],
    )
    return filer


@transaction.atomic(durable=True)
def refuse_filer(*, filer: Filer, actor: User, reason: str) -> Filer:
    """Refuse a pending registration, with the reason the registrant will read."""
    _require_clerk(actor)
    reason = _require_reason(reason)
    filer = locked_filer(filer)
    if filer.status != Filer.Status.PENDING:
        raise UserFacingError(
            f"Only a waiting registration can be refused; this one is {filer.get_status_display().lower()}."
        )
    _set_status(
        filer, Filer.Status.REFUSED, reason, actor, "filers.certification.refused"
    )
    tell_user(
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
    filer = locked_filer(filer)
    if filer.status != Filer.Status.CERTIFIED:
        raise UserFacingError("Only a certified filer can be suspended.")
    _set_status(filer, Filer.Status.SUSPENDED, reason, actor, "filers.filer.suspended")
    tell_user(
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
    filer = locked_filer(filer)
    if filer.status != Filer.Status.SUSPENDED:
        raise UserFacingError("Only a suspended filer can be reinstated.")
    _set_status(filer, Filer.Status.CERTIFIED, "", actor, "filers.filer.reinstated")
    tell_user(
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
    filer = locked_filer(filer)
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
    tell_user(
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
    filer = locked_filer(filer)
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
    tell_user(
        filer.user,
        "Your ECF role was changed",
        [
            f"The clerk's office changed your role to {filer.get_role_display().lower()}.",
            reason,
        ],
    )
    return filer
