"""Helpers for browser tests: log in through the real pages, MFA step included."""

import pytest
from playwright.sync_api import expect
from testkit import totp_code

# Mark a browser test with this to run it under the app's own Content-Security-Policy
# (conftest.py fails the test on any violation the browser reports).
CSP_ENFORCED = pytest.mark.browser_context_args(bypass_csp=False)


def login(page, live_server, user, password: str = "ecf-demo-password") -> None:
    """Log `user` in through the login page (and the two-factor page if enrolled)."""
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    # Wait until the browser has left the login form (for the 2FA step or the next page).
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    if "/2fa/" in page.url:
        page.get_by_label("Code").fill(totp_code(user))
        page.get_by_role("button", name="Sign In").click()
        page.wait_for_url(lambda url: "/2fa/authenticate" not in url)
    # Signed in: the page offers "Log out" (inside the collapsed menu on a phone).
    expect(
        page.get_by_role("button", name="Log out", include_hidden=True)
    ).to_be_attached()
