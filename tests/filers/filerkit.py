"""Helpers for the filers tests: sign-up data, mail readers, requirement hooks, fixtures."""

import re

import pytest

from core.models import InboxMessage
from filers import hooks

PASSWORD = "a-Long-unusual-passphrase-42"


def signup_data(**overrides) -> dict:
    """A complete attorney registration as the sign-up form posts it."""
    data = {
        "full_name": "Avery Q. Counsel",
        "email": "avery@example.test",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "role": "attorney",
        "bar_number": "287654",
        "bar_state": "CA",
        "admitted_in_court": "on",
        "firm": "Counsel Law PC",
        "address_line1": "600 B Street",
        "city": "San Diego",
        "state": "CA",
        "zip_code": "92101",
        "phone": "619-555-0199",
        "agreement_accepted": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def mails_to(email: str):
    return InboxMessage.objects.filter(to_email__iexact=email).order_by(
        "created_at", "pk"
    )


def confirmation_path(email: str) -> str:
    """The e-mail confirmation link's path from the newest message to `email`."""
    for message in reversed(list(mails_to(email))):
        found = re.search(r"(/accounts/confirm-email/[^/\s]+/)", message.body_text)
        if found:
            return found.group(1)
    raise AssertionError(f"no confirmation link mailed to {email}")


@pytest.fixture(autouse=True)
def _no_outside_requirements(settings, monkeypatch):
    """Certification asks only this app's own checks unless a test registers others."""
    settings.ECF_CERTIFICATION_REQUIREMENTS = []
    monkeypatch.setattr(hooks, "_registration_progress", [])


# Hooks the tests register in place of the training app's.
UNMET: dict[int, list[str]] = {}


def use_fake_requirements(monkeypatch, settings) -> None:
    """For this test, certification asks `fake_requirements` (and nothing else)."""
    monkeypatch.setitem(hooks._certification_requirements, "fake", fake_requirements)
    settings.ECF_CERTIFICATION_REQUIREMENTS = ["fake"]


def use_fake_progress(monkeypatch) -> None:
    """For this test, registration progress comes from `fake_progress` alone."""
    monkeypatch.setattr(hooks, "_registration_progress", [fake_progress])


def fake_requirements(user) -> list[str]:
    return list(UNMET.get(user.pk, []))


def fake_progress(users) -> dict:
    return {
        u.pk: [
            ("Open a practice case", True),
            ("File a practice motion", not UNMET.get(u.pk)),
        ]
        for u in users
    }
