"""Helpers shared by tests: the demo users' authenticator codes and polling.

They live here, not in conftest.py: several test folders have a conftest.py of
their own, so `from conftest import ...` would find whichever was imported last.
"""

import re
import time

import pytest

# Allauth accepts only the current 30-second code (no tolerance). A code read in the
# last seconds of its period can expire before a slow browser submits it, so the
# helpers wait for a fresh period when fewer than this many seconds are left.
TOTP_MARGIN_SECONDS = 6


# The time step whose code was last handed out, per user, in this test process.
# Allauth refuses a code used once (a replay), and the cache that remembers it outlives
# each test, so a user's second login in one 30-second period waits for the next one.
_HANDED_OUT: dict[int, int] = {}


def _period() -> tuple[int, float]:
    """The current TOTP time step and the seconds left in it."""
    from allauth.mfa import app_settings

    step = app_settings.TOTP_PERIOD
    now = time.time()
    return int(now // step), step - now % step


def _wait_for_a_fresh_period(*, after: int | None = None) -> None:
    """Sleep until at least TOTP_MARGIN_SECONDS are left in the period, and (with
    `after`) until the period is a later one than `after`."""
    while True:
        counter, left = _period()
        if left >= TOTP_MARGIN_SECONDS and (after is None or counter > after):
            return
        time.sleep(left + 0.05)


def _code(secret: str) -> str:
    from allauth.mfa.totp.internal.auth import (
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def totp_code_for_secret(secret: str) -> str:
    """The current code an authenticator app shows for `secret` (the base32 text the
    two-factor setup page prints), for enrolling through the real page."""
    _wait_for_a_fresh_period()
    return _code(secret)


def totp_code(user) -> str:
    """The current authenticator code of a demo user, as their app shows it.

    Each code is handed out once per period: if this user's current code was already
    handed out in this test process (and so may have been used), this waits for the
    next period, as a person would. Nothing forgets a used code, so replays stay refused.
    """
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import decrypt

    auth = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    secret = decrypt(auth.data["secret"])
    _wait_for_a_fresh_period(after=_HANDED_OUT.get(user.pk))
    _HANDED_OUT[user.pk] = _period()[0]
    return _code(secret)


def wait_for(predicate, timeout=30.0, interval=0.1):
    """Poll until predicate() is truthy; return its value or fail after timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout}s waiting for {predicate}")


def require_command(name: str) -> str:
    """The path of the system command `name` (qpdf, tesseract), or a failure that says
    how to install it: a test that needs a tool never passes, or skips, without it."""
    import shutil

    path = shutil.which(name)
    if path is None:
        pytest.fail(
            f"{name} is missing: `make test` installs it (make test-deps; as root it "
            f"runs apt-get install {name})",
            pytrace=False,
        )
    return path


def search(pattern: str, text: str, flags: int = 0) -> re.Match[str]:
    """re.search that fails the test, naming the pattern, when nothing matches."""
    match = re.search(pattern, text, flags)
    assert match is not None, f"no match for {pattern!r}"
    return match
