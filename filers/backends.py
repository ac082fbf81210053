"""Session sign-in backends that load a signed-in user with what every page's gates ask.

Django's ModelBackend.get_user reads the user alone; the first gate then reads the
filer account (User.filer_or_none) and has_mfa asks for the authenticator: three
queries on every signed-in request. These read the user, its filer account and
whether two-factor is enrolled in one query (cached on that request's user object
only, as filers.permissions.has_mfa caches it). Sign-in itself is unchanged.

Both are listed in settings.AUTHENTICATION_BACKENDS before Django's and allauth's own,
which stay listed so sessions signed in through them keep working.
"""

from __future__ import annotations

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from .models import User
from .permissions import mfa_enrolled, remember_mfa


def _user_with_standing(backend, user_id) -> User | None:
    user = (
        User._default_manager.select_related("filer")
        .annotate(has_mfa_enrolled=mfa_enrolled())
        .filter(pk=user_id)
        .first()
    )
    if user is None or not backend.user_can_authenticate(user):
        return None
    remember_mfa(user, user.has_mfa_enrolled)
    return user


class ModelBackend(DjangoModelBackend):
    """Django's ModelBackend; a session's user comes with its filer and two-factor."""

    def get_user(self, user_id):
        return _user_with_standing(self, user_id)


class AuthenticationBackend(AllauthBackend):
    """allauth's backend (sign-in by e-mail); a session's user as ModelBackend here."""

    def get_user(self, user_id):
        return _user_with_standing(self, user_id)
