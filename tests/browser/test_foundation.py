"""The demo clerk logs in through the real pages (password, then authenticator code)."""

import pytest
from browserkit import login
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clerk_logs_in_and_sees_the_home_page(
    page, live_server, demo, assert_accessible
):
    page.goto(live_server.url + "/")
    assert_accessible()
    login(page, live_server, demo.users["clerk"])
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(
        page.get_by_role("heading", name="Signed in as Alma D. Morales")
    ).to_be_visible()
    assert_accessible()


def test_failed_login_says_the_same_for_known_and_unknown_emails(
    page, live_server, demo, assert_accessible
):
    messages = []
    for email in ("clerk@ecf.test", "nobody@ecf.test"):
        page.goto(live_server.url + "/accounts/login/")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill("wrong-password")
        page.get_by_role("button", name="Sign In").click()
        messages.append(
            page.locator(".errorlist, .alert, [role=alert]").first.inner_text()
        )
    assert messages[0] == messages[1]
    assert_accessible()
