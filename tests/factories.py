"""Test data: the demo court and users (as seed_demo builds them), plus small factories."""

from dataclasses import dataclass

from django.core.management import call_command


@dataclass
class Demo:
    court: object
    users: dict


def seed_court_and_users() -> Demo:
    """Run the demo seed's court and user parts (events too), without demo cases."""
    from training.management.commands.seed_demo import Command

    from dockets.catalogue import sync_events

    sync_events()
    cmd = Command()
    court = cmd.seed_court()
    users = cmd.seed_users(court)
    return Demo(court=court, users={email.split("@")[0]: user for email, user in users.items()})


def seed_everything() -> None:
    call_command("seed_demo", verbosity=0)
