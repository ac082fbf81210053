""" "Follow this case": the docket's button, kept as a CaseWatch (for the button and the
account pages) and an alert of kind "case" (dockets.alerts), which sends the e-mails.

Threat model: a follower is anyone with a login, so what each e-mail says is decided
per follower by dockets.alerts.services, at send time, with dockets.permissions: an
entry sealed between filing and sending is not sent.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from cases.models import Case, CaseWatch
from core.audit import record_event
from filers.models import User

from ..alerts.models import Alert
from ..alerts.services import follow


def set_following(*, case: Case, user: User, on: bool) -> bool:
    """Start (on=True) or stop following `case`; returns whether anything changed."""
    with transaction.atomic():
        if on:
            try:
                with transaction.atomic():
                    _watch, created = CaseWatch.objects.get_or_create(
                        case=case, user=user, kind=CaseWatch.Kind.FOLLOW
                    )
            except IntegrityError:  # two clicks at once: the other one made it
                created = False
            if created:
                follow(user=user, kind=Alert.Kind.CASE, case=case)
        else:
            created = bool(
                CaseWatch.objects.filter(
                    case=case, user=user, kind=CaseWatch.Kind.FOLLOW
                ).delete()[0]
            )
            Alert.objects.filter(user=user, kind=Alert.Kind.CASE, case=case).delete()
        if created:
            record_event(
                actor=user,
                action="dockets.case.followed" if on else "dockets.case.unfollowed",
                target=case,
                case_id=None,
            )
    return created
