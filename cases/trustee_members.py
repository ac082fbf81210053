"""Trustee and U.S. Trustee office members, linked and unlinked by the clerk."""

from __future__ import annotations

from django.db import transaction

from core.audit import record_event
from core.errors import UserFacingError
from filers.models import Role, User

from .models import Trustee


class MembershipRefused(UserFacingError):
    """The clerk's link or unlink could not be made (the message says why)."""


def _member_roles(trustee: Trustee) -> tuple[Role, ...]:
    if trustee.kind == Trustee.Kind.US_TRUSTEE:
        return (Role.US_TRUSTEE, Role.FILING_AGENT)
    return (Role.TRUSTEE, Role.FILING_AGENT)


def link_trustee_member(*, trustee: Trustee, email: str, actor: User):
    """The clerk links the account with `email` to a trustee or U.S. Trustee office.

    The account then acts for that record in its cases (cases.permissions), once it is
    certified and has two-factor set up. Audited.
    """
    from filers.models import User
    from filers.permissions import is_active_clerk

    if not is_active_clerk(actor):
        raise MembershipRefused("Only the clerk's office links accounts to a trustee.")
    user = (
        User.objects.select_related("filer")
        .filter(email__iexact=(email or "").strip())
        .first()
    )
    filer = user.filer_or_none if user is not None else None
    if user is None or filer is None:
        raise MembershipRefused(
            "No filer account has that e-mail address. The person registers first.",
            field="email",
        )
    allowed = _member_roles(trustee)
    if filer.role not in allowed:
        words = " or ".join(r.label for r in allowed)
        raise MembershipRefused(
            f"{user.email} is registered as {filer.get_role_display()}; only a "
            f"{words} account may be linked to {trustee.name}.",
            field="email",
        )
    if trustee.members.filter(pk=user.pk).exists():
        raise MembershipRefused(
            f"{user.email} is already linked to {trustee.name}.", field="email"
        )
    with transaction.atomic():
        trustee.members.add(user)
        record_event(
            actor=actor,
            action="cases.trustee.member_linked",
            target=trustee,
            after={"member": user.email, "trustee": trustee.name},
        )
    return user


def unlink_trustee_member(*, trustee: Trustee, user: User, actor: User) -> None:
    """The clerk ends an account's link to a trustee or U.S. Trustee office. Audited."""
    from filers.permissions import is_active_clerk

    if not is_active_clerk(actor):
        raise MembershipRefused("Only the clerk's office unlinks accounts.")
    if not trustee.members.filter(pk=user.pk).exists():
        raise MembershipRefused(f"{user.email} is not linked to {trustee.name}.")
    with transaction.atomic():
        trustee.members.remove(user)
        record_event(
            actor=actor,
            action="cases.trustee.member_unlinked",
            target=trustee,
            before={"member": user.email, "trustee": trustee.name},
        )
