"""In a real browser: an attorney makes an API token (re-entering an authenticator
code), copies it once, revokes it; the API reference page is readable without JavaScript."""

import re

import pytest
from browserkit import login, totp_code
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_attorney_makes_and_revokes_a_token(page, live_server, demo, assert_accessible):
    attorney = demo.users["attorney"]
    login(page, live_server, attorney)
    page.goto(live_server.url + "/account/api-tokens/")
    expect(page.get_by_role("heading", name="API tokens", level=1)).to_be_visible()
    assert_accessible()
    page.get_by_label("Name").fill("Petition software")
    page.get_by_label("Read dockets and documents").check()
    page.get_by_label("File documents and open cases").check()
    page.get_by_label("Authenticator code").fill("000000")
    page.get_by_role("button", name="Make token").click()
    expect(page.get_by_text("That code is not correct")).to_be_visible()
    assert_accessible()
    page.get_by_label("Authenticator code").fill(totp_code(attorney))
    page.get_by_role("button", name="Make token").click()
    expect(page.get_by_role("heading", name="Your new API token")).to_be_visible()
    assert_accessible()
    secret = page.get_by_label("Token").input_value()
    assert re.fullmatch(r"ecf_[A-Za-z0-9_-]{40,}", secret)
    page.get_by_role("link", name="Back to your API tokens").click()
    expect(
        page.get_by_role("cell", name="Petition software", exact=True)
    ).to_be_visible()
    assert secret not in page.content()
    page.get_by_role("button", name="Revoke token Petition software").click()
    expect(page.get_by_text("is revoked; it no longer works")).to_be_visible()
    assert_accessible()


def test_api_reference_page(page, live_server, demo, assert_accessible):
    page.goto(live_server.url + "/api/v1/docs")
    expect(
        page.get_by_role("heading", name=re.compile("ECF API"), level=1)
    ).to_be_visible()
    expect(
        page.get_by_role("heading", name="POST /api/v1/cases/{case_id}/claims/batch")
    ).to_be_visible()
    assert_accessible()
