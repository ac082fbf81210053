"""Helpers of the alert tests: the alert e-mails a user was sent."""

from __future__ import annotations

from core.models import InboxMessage
from filers.models import User


def alert_mail(user: User, needle: str = "") -> list[InboxMessage]:
    """The alert e-mails sent to `user` (those whose text contains `needle`), oldest first."""
    return list(
        InboxMessage.objects.filter(
            user=user, kind="alert", body_text__contains=needle
        ).order_by("id")
    )
