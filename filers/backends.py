"""Session sign-in backends that load a signed-in user with what every page's gates ask.

Django's ModelBackend.get_user reads the user alone; the first gate then reads the
filer account (User.filer_or_none) and has_mfa asks for the authenticator: three
queries on every signed-in request. These read the user, its filer account and
whether two-factor is enrolled in one query (cached on that request's user object
only, as filers.permissions.has_mfa caches it). Sign-in itself is unchanged.

The apps above add their answers to the same query through filers.hooks
(`on_read_with_user`): dockets adds whether a fee is overdue (the filing lockout,
asked by every step of the filing wizard), read for this request's time. Each
answer lives on that request's user object only.

Both are listed in settings.AUTHENTICATION_BACKENDS before Django's and allauth's own,
which stay listed so sessions signed in through them keep working.
"""

from __future__ import annotations

import functools
from typing import Any

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.db.models import QuerySet

from core.compiled import PLACEHOLDER
from core.compiled_lookup import CompiledLookup

from . import hooks
from .models import User
from .permissions import mfa_enrolled, remember_mfa


def user_with_standing_query(
    *, shape: str = "plain", user_id: int, **values: Any
) -> QuerySet[User]:
    """The user `user_id`, its filer account, whether two-factor is enrolled, and each
    answer registered with filers.hooks.on_read_with_user (for `values`, by the
    answer's name; this request's value where none is given)."""
    qs = User._default_manager.select_related("filer").annotate(
        has_mfa_enrolled=mfa_enrolled()
    )
    for read in hooks.reads_with_user():
        value = values[read.name] if read.name in values else read.value()
        qs = qs.annotate(**{read.name: read.expression(value)})
    return qs.filter(pk=user_id)


@functools.cache
def _compiled_read(reads: tuple[hooks.ReadWithUser, ...]) -> CompiledLookup[User]:
    # Every signed-in request reads its user here: compiled once per process
    # (core.compiled_lookup), each answer's value (a time) taken per call.
    return CompiledLookup(
        user_with_standing_query,
        {"user_id": PLACEHOLDER, **{read.name: read.placeholder for read in reads}},
    )


def _user_with_standing(backend, user_id) -> User | None:
    reads = hooks.reads_with_user()
    user = _compiled_read(reads).first(
        "plain",
        user_id=int(user_id),
        **{read.name: read.value() for read in reads},
    )
    if user is None or not backend.user_can_authenticate(user):
        return None
    answers = user.__dict__
    remember_mfa(user, answers.get("has_mfa_enrolled", False))
    for read in reads:
        read.remember(user, answers[read.name])
    return user


class ModelBackend(DjangoModelBackend):
    """Django's ModelBackend; a session's user comes with its filer and two-factor."""

    def get_user(self, user_id):
        return _user_with_standing(self, user_id)


class AuthenticationBackend(AllauthBackend):
    """allauth's backend (sign-in by e-mail); a session's user as ModelBackend here."""

    def get_user(self, user_id):
        return _user_with_standing(self, user_id)
