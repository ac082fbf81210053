"""Filing agents linked to an attorney or trustee (cmecf.md 1.1), by the principal."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from core.audit import record_event
from core.errors import NotAllowed, UserFacingError

from .models import AgentLink, Filer, Role, User
from .services import (
    PRINCIPAL_ROLES,
    tell_user,
)


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
    if agent_user is None or agent is None or agent.role != Role.FILING_AGENT:
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
    tell_user(
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
    tell_user(
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
    tell_user(
        link.agent.user,
        f"You can no longer file for {principal.get_full_name()}",
        [f"{principal.get_full_name()} ended your link as their filing agent."],
    )
    return link
