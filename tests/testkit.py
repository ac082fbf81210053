"""Helpers shared by tests: the demo users' authenticator codes and polling.

They live here, not in conftest.py: several test folders have a conftest.py of
their own, so `from conftest import ...` would find whichever was imported last.
"""

import time

import pytest

# Allauth accepts only the current 30-second code (no tolerance). A code read in the
# last seconds of its period can expire before a slow browser submits it, so the
# helpers wait for a fresh period when fewer than this many seconds are left.
TOTP_MARGIN_SECONDS = 6


def _wait_for_a_fresh_period() -> None:
    from allauth.mfa import app_settings

    left = app_settings.TOTP_PERIOD - time.time() % app_settings.TOTP_PERIOD
    if left < TOTP_MARGIN_SECONDS:
        time.sleep(left + 0.05)


def totp_code_for_secret(secret: str) -> str:
    """The current code an authenticator app shows for `secret` (the base32 text the
    two-factor setup page prints), for enrolling through the real page."""
    from allauth.mfa.totp.internal.auth import (
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    _wait_for_a_fresh_period()
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def totp_code(user) -> str:
    """The current authenticator code of a demo user (and forget it was used)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import (
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )
    from allauth.mfa.utils import decrypt
    from django.core.cache import cache

    auth = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    secret = decrypt(auth.data["secret"])
    _wait_for_a_fresh_period()
    counters = list(yield_hotp_counters_from_time())
    code = format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))
    cache.delete(f"allauth.mfa.totp.used?user={user.pk}&code={code}")
    return code


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
