"""Test data: the demo court and users (as seed_demo builds them), plus small factories."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.management import call_command

if TYPE_CHECKING:
    from cases.models import Court
    from filers.models import User


@dataclass
class Demo:
    court: Court
    users: dict[str, User]


def seed_court_and_users() -> Demo:
    """Run the demo seed's court and user parts (events too), without demo cases."""
    from cases.models import Court
    from dockets.catalogue import sync_events
    from dockets.catalogue_data import EVENTS
    from dockets.models import Event
    from filers.models import User
    from training.management.commands.seed_demo import DEMO_USERS, PUBLIC_USER, Command

    emails = [u[0] for u in DEMO_USERS] + [PUBLIC_USER[0]]
    court = Court.objects.filter(code="casb").first()
    if court is not None and Event.objects.count() >= len(EVENTS):
        # Already seeded in this database (the session seed, not yet flushed): reuse it.
        found = {
            u.email: u
            for u in User.objects.filter(email__in=emails).select_related("filer")
        }
        if len(found) == len(emails):
            return Demo(court=court, users={e.split("@")[0]: found[e] for e in emails})
    sync_events()
    cmd = Command()
    court = cmd.seed_court()
    users = cmd.seed_users(court)
    return Demo(
        court=court, users={email.split("@")[0]: user for email, user in users.items()}
    )


def seed_everything() -> None:
    call_command("seed_demo", verbosity=0)
