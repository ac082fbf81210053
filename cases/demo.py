"""Who adds demo data to `manage.py seed_demo` (demo mode only, never production).

seed_demo (training/management/commands/seed_demo.py) makes the demo court, users and
cases, then runs every registered seeder. Each app that has demo data of its own
registers its seeder from its AppConfig.ready() (cases: case flags; dockets: claims;
training: exercises and practice cases), in code. The registry lives here, in the
lowest app that owns what a seeder receives (the Court), so every app can reach it
without an import running the wrong way. Seeders run in the order they were
registered, which is the order of INSTALLED_APPS (ready() runs in that order).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, TextIO

if TYPE_CHECKING:
    from django.core.management.base import OutputWrapper

    from filers.models import User

    from .models import Court


class DemoSeeder(Protocol):
    """Adds one app's demo data to `court` (idempotent); `users` by e-mail or name."""

    def __call__(
        self, *, court: Court, users: dict[str, User], stdout: OutputWrapper | TextIO
    ) -> None: ...


_seeders: list[DemoSeeder] = []


def on_demo_seed(seeder: DemoSeeder) -> None:
    """Register `seeder(court=, users=, stdout=)` for seed_demo (once per seeder)."""
    if seeder not in _seeders:
        _seeders.append(seeder)


def demo_seeders() -> tuple[DemoSeeder, ...]:
    return tuple(_seeders)
