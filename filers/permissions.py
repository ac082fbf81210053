"""The question every filing asks: may this user file at all right now?

Which events each role may file is the event catalogue's business (dockets). The
fee lockout is added by the filing code through ECF_FILING_BLOCKERS.
"""

from django.conf import settings
from django.http import Http404
from django.utils.module_loading import import_string

from .models import Filer, Role, User


def has_mfa(user: User) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(
        user=user, type=Authenticator.Type.TOTP
    ).exists()


def filing_blockers(user: User) -> list[str]:
    """Return why `user` cannot file now, in plain words (empty when they can)."""
    if not user.is_authenticated:
        return ["Log in with your ECF filer account to file."]
    filer = user.filer_or_none
    if filer is None:
        return ["This account has no filing rights. Register as a filer first."]
    if filer.status == Filer.Status.SUSPENDED:
        return ["Your filing rights are suspended. Contact the clerk's office."]
    if filer.status == Filer.Status.REVOKED:
        return ["Your filing rights were revoked. Contact the clerk's office."]
    if filer.status == Filer.Status.REFUSED and not settings.ECF_IS_TRAINING:
        reason = f": {filer.status_reason}" if filer.status_reason else "."
        return [f"The clerk's office refused your registration{reason}"]
    if filer.status != Filer.Status.CERTIFIED and not settings.ECF_IS_TRAINING:
        return ["Your registration has not been approved by the clerk yet."]
    problems = []
    if not settings.ECF_IS_TRAINING and not has_mfa(user):
        problems.append("Set up two-factor authentication before your first filing.")
    for path in getattr(settings, "ECF_FILING_BLOCKERS", []):
        problems.extend(import_string(path)(user))
    return problems


def can_file(user: User) -> bool:
    """Return True if `user` may file now (certified, not suspended, MFA set up)."""
    return not filing_blockers(user)


def is_court_user(user: User) -> bool:
    return user.is_authenticated and user.role in (Role.CLERK, Role.JUDGE)


def is_clerk(user: User) -> bool:
    return user.is_authenticated and user.role == Role.CLERK


def access_filer_for_clerk(user: User, filer_id: int) -> Filer:
    """Return the filer for the clerk's review; raise Http404 otherwise.

    Missing filers and non-clerk viewers get the same error, so ids reveal nothing.
    """
    if not is_clerk(user):
        raise Http404
    filer = (
        Filer.objects.select_related("user", "certified_by").filter(pk=filer_id).first()
    )
    if filer is None:
        raise Http404
    return filer
