"""Roles in templates, through the `Role` enum and the permission functions only.

`{% load roles %}` then `{% if user|holds_role:"ATTORNEY FILING_AGENT" %}` (menus: a court
role counts only for an active court user, as filers.permissions.holds_role says) or
`{% if filer|role_is:"FILING_AGENT" %}` (the account's kind, as data), and the filer's
status through `Filer.Status`: `{% if filer|status_is:"PENDING SUSPENDED" %}`. The arguments
are names of `filers.models.Role` (or `Filer.Status`) members: a misspelt name raises KeyError when the page is
rendered instead of silently never matching, as a string compared with `==` would.
tests/security/test_role_gate.py fails on a template comparing a role or a filer's status
with a string.
"""

from django import template

from ..models import AnyUser, Filer, Role
from ..permissions import holds_role as _holds_role

register = template.Library()


def _roles(names: str) -> list[Role]:
    return [Role[name] for name in names.split()]


@register.filter
def holds_role(user: AnyUser, names: str) -> bool:
    """`user` holds one of the named roles (filers.permissions.holds_role)."""
    return _holds_role(user, *_roles(names))


@register.filter
def role_is(filer: Filer | None, names: str) -> bool:
    """The filer account's role is one of the named roles (what kind of account it is)."""
    return filer is not None and filer.role in _roles(names)


@register.filter
def status_is(filer: Filer | None, names: str) -> bool:
    """The filer account's status is one of the named `Filer.Status` members."""
    return filer is not None and filer.status in [
        Filer.Status[name] for name in names.split()
    ]
