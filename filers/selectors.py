"""Reads about filers that carry rules: whom an agent may file for, the clerk's queue."""

from allauth.account.models import EmailAddress
from django.db.models import Exists, OuterRef, QuerySet

from . import hooks
from .models import AgentLink, Filer, Role, User
from .permissions import is_active_filer
from .services import PRINCIPAL_ROLES


def principals_for(user: User) -> list[Filer]:
    """Return the filers `user` may sign filings as.

    A filing agent gets the attorneys and trustees it is actively linked to, by
    name, each an active filer by the one gate (filers.permissions.is_active_filer:
    certified, not suspended, two-factor set up); anyone else with a filer account
    gets just their own filer. A user with no filer account (the public) gets an
    empty list.
    """
    if not user.is_authenticated:
        return []
    filer = user.filer_or_none
    if filer is None:
        return []
    if filer.role != Role.FILING_AGENT:
        return [filer]
    if not is_active_filer(user):
        return []
    links = (
        AgentLink.objects.filter(
            agent=filer, active=True, principal__role__in=PRINCIPAL_ROLES
        )
        .select_related("principal__user")
        .order_by("principal__user__full_name", "principal__user__email")
    )
    return [link.principal for link in links if is_active_filer(link.principal.user)]


def may_pay_fees(agent_user: User, principal_user: User) -> bool:
    """Return True if `agent_user` may pay fees for filings signed by `principal_user`.

    Filers always may pay their own fees; an agent only through an active link that
    allows it.
    """
    if not agent_user.is_authenticated:
        return False
    if agent_user.pk == principal_user.pk:
        return True
    return AgentLink.objects.filter(
        agent__user=agent_user,
        agent__status=Filer.Status.CERTIFIED,
        principal__user=principal_user,
        active=True,
        may_pay_fees=True,
    ).exists()


def agent_links_for(principal: Filer) -> QuerySet[AgentLink]:
    """Active links of the agents working for `principal`."""
    return (
        AgentLink.objects.filter(principal=principal, active=True)
        .select_related("agent__user")
        .order_by("agent__user__full_name", "agent__user__email")
    )


def principal_links_for(agent: Filer) -> QuerySet[AgentLink]:
    """Active links of the attorneys and trustees `agent` works for."""
    return (
        AgentLink.objects.filter(agent=agent, active=True)
        .select_related("principal__user")
        .order_by("principal__user__full_name", "principal__user__email")
    )


def filers_for_clerk(*, status: str = "", query: str = "") -> QuerySet[Filer]:
    """Filers for the clerk's lists, each annotated with `email_confirmed`."""
    confirmed = EmailAddress.objects.filter(user=OuterRef("user"), verified=True)
    filers = Filer.objects.select_related("user").annotate(
        email_confirmed=Exists(confirmed)
    )
    if status:
        filers = filers.filter(status=status)
    if query:
        filers = (
            filers.filter(user__email__icontains=query)
            | filers.filter(user__full_name__icontains=query)
            | filers.filter(bar_number__iexact=query)
        )
    return filers.order_by("created_at", "pk")


def registration_progress(users: list[User]) -> dict[int, list[tuple[str, bool]]]:
    """Return each user's training steps as (what, done) pairs, keyed by user id.

    The training app answers (filers.hooks.on_registration_progress:
    `users -> {user_id: [(title, passed), ...]}`), one call for the whole list so the
    clerk's queue costs the same queries for any length.
    """
    progress: dict[int, list[tuple[str, bool]]] = {u.pk: [] for u in users}
    if not users:
        return progress
    for source in hooks.registration_progress():
        for user_id, steps in source(users).items():
            progress.setdefault(user_id, []).extend(steps)
    return progress
