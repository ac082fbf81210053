"""Who is an active filer, an active court user: the one place these are decided.

Threat model: anyone can register and pick a role. A role means nothing until the
clerk has certified the account, the account is not suspended or revoked, and
two-factor is set up (CM/ECF requires it of every filer). Every view, selector, API
route, feed, export and task asks these functions; product code never compares
`User.role` to a court or trustee role itself (tests/security/test_role_gate.py).

Which events each role may file is the event catalogue's business (dockets). The
fee lockout is added by the filing code (filers.hooks.on_filing_check).
"""

from typing import TypeGuard

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.http import Http404

from . import hooks
from .models import COURT_ROLES, AnyUser, Filer, Role, User


def _memo(user: User) -> dict:
    """Where answers about this user object are kept for its request: its own
    attributes (request.user's user, not the lazy wrapper Django hands out)."""
    wrapped = vars(user).get("_wrapped")
    return vars(wrapped) if isinstance(wrapped, User) else vars(user)


def user_memo(user: User) -> dict:
    """Where an app keeps an answer about this user object for its request (the fee
    lockout read with the session's user: filers.hooks.ReadWithUser)."""
    return _memo(user)


def has_mfa(user: AnyUser) -> bool:
    """True when `user` has an authenticator app (TOTP) enrolled (cached per user object)."""
    if not isinstance(user, User) or user.pk is None:
        return False
    memo = _memo(user)
    cached = memo.get("_ecf_has_mfa")
    if cached is None:
        from allauth.mfa.models import Authenticator

        cached = Authenticator.objects.filter(
            user=user, type=Authenticator.Type.TOTP
        ).exists()
        memo["_ecf_has_mfa"] = cached
    return cached


def mfa_enrolled(user_field: str = "pk") -> Exists:
    """has_mfa as an annotation, so a query that loads a user can answer it too.

    `user_field` names the user's id in the outer query (e.g. "user_id" on a token).
    Hand the value to `remember_mfa` on the loaded user object.
    """
    from allauth.mfa.models import Authenticator

    return Exists(
        Authenticator.objects.filter(
            user=OuterRef(user_field), type=Authenticator.Type.TOTP
        )
    )


def remember_mfa(user: User, enrolled: bool) -> None:
    """Give has_mfa the answer a query already read (`mfa_enrolled`) for this user object."""
    _memo(user)["_ecf_has_mfa"] = bool(enrolled)


def forget_cached_access(user: User) -> None:
    """Drop what has_mfa cached on this user object (after enrolment or removal)."""
    _memo(user).pop("_ecf_has_mfa", None)


def _filer(user: AnyUser) -> Filer | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if not user.is_active:
        return None
    return user.filer_or_none


def filer_is_active(filer: Filer | None) -> bool:
    """The filer's standing alone: certified, not suspended, revoked, refused or pending.

    On the training instance every practice account counts as certified (training is
    where people prepare for certification), but suspension and revocation still apply.
    """
    if filer is None:
        return False
    if filer.status == Filer.Status.CERTIFIED:
        return True
    return settings.ECF_IS_TRAINING and filer.status not in (
        Filer.Status.SUSPENDED,
        Filer.Status.REVOKED,
    )


def is_active_filer(user: AnyUser) -> TypeGuard[User]:
    """True if `user` is a certified, unsuspended filer with two-factor set up.

    Any role counts (court users included); on the training instance two-factor and
    certification are not asked (practice accounts), suspension and revocation are.
    """
    filer = _filer(user)
    if not filer_is_active(filer):
        return False
    return settings.ECF_IS_TRAINING or has_mfa(user)


def has_active_role(user: AnyUser, *roles: str) -> TypeGuard[User]:
    """True if `user` is an active filer (see is_active_filer) with one of `roles`."""
    filer = _filer(user)
    return filer is not None and filer.role in roles and is_active_filer(user)


def is_active_court_user(user: AnyUser) -> TypeGuard[User]:
    """Clerk or judge (chambers), certified, not suspended or revoked, two-factor enrolled."""
    return has_active_role(user, *COURT_ROLES)


def is_active_clerk(user: AnyUser) -> TypeGuard[User]:
    return has_active_role(user, Role.CLERK)


def is_active_judge(user: AnyUser) -> TypeGuard[User]:
    return has_active_role(user, Role.JUDGE)


def is_active_us_trustee(user: AnyUser) -> TypeGuard[User]:
    """A certified U.S. Trustee account; what it may see still depends on office membership."""
    return has_active_role(user, Role.US_TRUSTEE)


def is_active_trustee(user: AnyUser) -> TypeGuard[User]:
    return has_active_role(user, Role.TRUSTEE)


def needs_mfa_setup(user: AnyUser, *roles: str) -> bool:
    """True for a certified filer (with one of `roles`, if given) who has not set up
    two-factor yet: pages send them to set it up instead of answering 'not found'."""
    filer = _filer(user)
    if filer is None or settings.ECF_IS_TRAINING:
        return False
    if roles and filer.role not in roles:
        return False
    return filer.status == Filer.Status.CERTIFIED and not has_mfa(user)


def role_may_be_staff(role: str) -> bool:
    """Only the clerk's office uses the Django admin (and only as an active clerk:
    ecf.admin_site checks is_active_clerk on every request)."""
    return role == Role.CLERK


def may_use_admin(request) -> bool:
    """The Django admin's door: a staff login that is an active court user (certified,
    not suspended, two-factor). Staff status alone opens nothing."""
    user = request.user
    return bool(
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and is_active_court_user(user)
    )


def admin_login_for_court_users(login_view):
    """Wrap the admin's login view: a signed-in user the admin would not let in gets a
    404, never the admin's own password-only form."""

    def view(request, *args, **kwargs):
        if request.user.is_authenticated and not may_use_admin(request):
            raise Http404
        return login_view(request, *args, **kwargs)

    return view


def is_court_role(role: str) -> bool:
    """Is `role` (as data: a label, a practice-case plan) one of the court's own roles?"""
    return role in COURT_ROLES


def holds_role(user: AnyUser, *roles: str) -> bool:
    """For menus and labels: `user`'s role is one of `roles`; a court role counts only for
    an active court user (a pending or suspended clerk sees no clerk menu)."""
    role = role_of(user)
    if role not in roles:
        return False
    return not is_court_role(role) or is_active_court_user(user)


def role_of(user: AnyUser) -> str:
    """The user's role as data (labels, exercise lists), never as a permission."""
    filer = _filer(user)
    return filer.role if filer is not None else ""


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
    for blocker in hooks.filing_blockers():
        problems.extend(blocker(user))
    return problems


def can_file(user: User) -> bool:
    """Return True if `user` may file now (certified, not suspended, MFA set up)."""
    return not filing_blockers(user)


def is_court_user(user: User) -> bool:
    return is_active_court_user(user)


def is_clerk(user: User) -> bool:
    return is_active_clerk(user)


def require_court_user(user: AnyUser):
    """Return `user` if an active clerk or judge; else raise Http404 (as a missing page)."""
    if not is_active_court_user(user):
        raise Http404
    return user


def require_clerk(user: AnyUser):
    if not is_active_clerk(user):
        raise Http404
    return user


def require_judge(user: AnyUser):
    if not is_active_judge(user):
        raise Http404
    return user


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
