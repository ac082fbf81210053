"""Helpers for browser tests: log in through the real pages, MFA step included."""

from conftest import totp_code


def login(page, live_server, user, password: str = "ecf-demo-password") -> None:
    """Log `user` in through the login page (and the two-factor page if enrolled)."""
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    if "/2fa/" in page.url or page.get_by_label("Code").count():
        page.get_by_label("Code").fill(totp_code(user))
        page.get_by_role("button", name="Sign In").click()
