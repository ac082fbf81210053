"""Helpers for browser tests: register and log in through the real pages (the mailed
confirmation link and the MFA step included), and the ePOC human check answered as a
person would."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from testkit import search, totp_code

from dockets.claims.epoc_forms import NUMBER_WORDS as EN_NUMBER_WORDS
from dockets.claims.epoc_forms import NUMBER_WORDS_ES

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


# The ePOC human check asks "What is three plus 4?" in the reader's language: the
# field's label, the question, and the number words it uses (0 to 10).
HUMAN_CHECK = {
    "en": (r"^Human check", r"What is (\w+) plus (\d+)\?"),
    "es": (r"^Verificación humana", r"¿Cuánto es (\w+) más (\d+)\?"),
}
# The number words the question may use: the form's own lists.
NUMBER_WORDS = {"en": EN_NUMBER_WORDS, "es": NUMBER_WORDS_ES}


def answer_human_check(page, language: str = "en") -> None:
    """Read the ePOC human check's question off its label and type the answer."""
    label, question = HUMAN_CHECK[language]
    field = page.get_by_label(re.compile(label))
    asked = page.locator(f"label[for='{field.get_attribute('id')}']").inner_text()
    first, second = search(question, asked).groups()
    field.fill(str(NUMBER_WORDS[language].index(first) + int(second)))


def confirmation_link(email: str) -> str:
    """The path of the e-mail confirmation link most recently mailed to `email`."""
    from core.models import InboxMessage

    for message in InboxMessage.objects.filter(to_email=email).order_by("-created_at"):
        found = re.search(r"(/accounts/confirm-email/[^/\s]+/)", message.body_text)
        if found:
            return found.group(1)
    raise AssertionError("no confirmation link was mailed")


def register(
    page, live_server, *, name: str, email: str, password: str, role: str
) -> None:
    """Register through the sign-up page as `role` (its label there), then confirm the
    e-mail address with the link the confirmation e-mail carries."""
    page.goto(live_server.url + "/accounts/signup/")
    page.get_by_label("Full name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password (required)", exact=True).fill(password)
    page.get_by_label("Password (again)").fill(password)
    page.get_by_label(role, exact=True).check()
    page.get_by_label("I accept the e-filing agreement").check()
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
    page.goto(live_server.url + confirmation_link(email))
    page.get_by_role("button", name="Confirm").click()
