"""Helpers for browser tests: log in through the real pages, MFA step included."""

import importlib.util
from pathlib import Path


def _root_conftest():
    # Sub-folders of tests/ have conftest.py files too, and `import conftest` gets
    # whichever one pytest imported last; load tests/conftest.py by its path.
    spec = importlib.util.spec_from_file_location(
        "ecf_tests_root_conftest", Path(__file__).with_name("conftest.py")
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


totp_code = _root_conftest().totp_code


def login(page, live_server, user, password: str = "ecf-demo-password") -> None:
    """Log `user` in through the login page (and the two-factor page if enrolled)."""
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    if "/2fa/" in page.url or page.get_by_label("Code").count():
        page.get_by_label("Code").fill(totp_code(user))
        page.get_by_role("button", name="Sign In").click()
