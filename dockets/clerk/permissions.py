"""Who may use the clerk's screens. Everyone else gets the same Http404 as a missing page.

Threat model: clerk pages show sealed documents, every filer's findings and the
audit log; a refused user must not learn that they exist.
"""

from django.http import Http404

from filers.models import Role


def _role(user) -> str:
    if user is None or not user.is_authenticated:
        return ""
    return user.role


def is_clerk(user) -> bool:
    return _role(user) == Role.CLERK


def is_judge(user) -> bool:
    return _role(user) == Role.JUDGE


def require_court_user(user):
    """Return `user` if a clerk or judge (chambers); else raise Http404."""
    if _role(user) not in (Role.CLERK, Role.JUDGE):
        raise Http404
    return user


def require_clerk(user):
    """Return `user` if a clerk (case administrator); else raise Http404."""
    if not is_clerk(user):
        raise Http404
    return user


def require_judge(user):
    """Return `user` if a judge or chambers user; else raise Http404."""
    if not is_judge(user):
        raise Http404
    return user
