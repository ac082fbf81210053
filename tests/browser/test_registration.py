"""An attorney registers, the clerk certifies them, they set up two-factor and reach the filing menu."""

import re

import pytest
from browserkit import CSP_ENFORCED, confirmation_link, login
from playwright.sync_api import expect
from testkit import totp_code_for_secret

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-Long-unusual-passphrase-42"
EMAIL = "new.attorney@example.test"


def log_out(page) -> None:
    page.get_by_role("button", name="Log out").click()


def test_attorney_registers_is_certified_sets_up_mfa_and_reaches_the_menu(
    page, live_server, demo, settings, assert_accessible
):
    settings.ECF_CERTIFICATION_REQUIREMENTS = []  # the training issue's check is tested there
    from filers.models import User

    # The public home page leads to registration.
    page.goto(live_server.url + "/")
    assert_accessible()
    page.get_by_role("link", name="Register", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Register to file electronically"
    )
    assert_accessible()

    # A malformed bar number is refused in plain words, and nothing is created.
    page.get_by_label("Full name").fill("Jordan P. Advocate")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password (required)", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_label("Attorney", exact=True).check()
    page.get_by_label("Bar number (attorneys)").fill("bar#12")
    page.get_by_label("State of bar admission (attorneys)").fill("CA")
    page.get_by_label("I am admitted to practise in this court").check()
    page.get_by_label("I accept the e-filing agreement").check()
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Enter your bar number as it appears on your bar card"
    )
    assert not User.objects.filter(email=EMAIL).exists()
    assert_accessible()

    page.get_by_label("Password (required)", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_label("Bar number (attorneys)").fill("298765")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
    assert_accessible()

    # Confirm the address from the mailed link.
    page.goto(live_server.url + confirmation_link(EMAIL))
    assert_accessible()
    page.get_by_role("button", name="Confirm").click()

    # Log in: the registration waits for the clerk.
    user = User.objects.get(email=EMAIL)
    login(page, live_server, user, password=PASSWORD)
    page.goto(live_server.url + "/filers/status/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your registration")
    expect(page.get_by_text("waiting for the clerk's office")).to_be_visible()
    assert_accessible()
    log_out(page)

    # The clerk finds the registration in the queue and certifies it.
    login(page, live_server, demo.users["clerk"])
    page.goto(live_server.url + "/filers/clerk/registrations/")
    assert_accessible()
    page.get_by_role("link", name="Jordan P. Advocate", exact=True).click()
    expect(page.get_by_text("Every requirement is met.")).to_be_visible()
    assert_accessible()
    page.get_by_role("button", name="Approve (certify)").click()
    expect(page.get_by_text("The registration was approved")).to_be_visible()
    log_out(page)

    # The attorney is told what still blocks filing, and fixes it.
    login(page, live_server, user, password=PASSWORD)
    page.goto(live_server.url + "/filers/menu/")
    expect(page.get_by_role("heading", name="You can't file yet")).to_be_visible()
    assert_accessible()
    page.get_by_role("link", name="Set up two-factor authentication").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm it's you")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Set up an authenticator app"
    )
    qr = page.get_by_role("img", name=re.compile("QR code"))
    expect(qr).to_be_visible()
    assert page.evaluate("img => img.naturalWidth > 0", qr.element_handle())
    assert_accessible()
    secret = page.get_by_label("Secret (to type in instead of scanning)").input_value()
    page.get_by_label("Authenticator code").fill(totp_code_for_secret(secret))
    page.get_by_role("button", name="Activate").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    assert_accessible()
    page.get_by_role("link", name="Continue to the filing menu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Filing menu")
    expect(page.get_by_role("heading", name="You can't file yet")).to_have_count(0)
    expect(page.get_by_text("/s/ Jordan P. Advocate")).to_be_visible()
    assert_accessible()


@CSP_ENFORCED
def test_filer_pages_work_by_keyboard_and_pass_axe(
    page, live_server, demo, assert_accessible
):
    """The account, agents, two-factor and clerk pages read well and pass axe-core."""
    from filers.models import AgentLink

    login(page, live_server, demo.users["attorney"])
    for path, heading in [
        ("/filers/menu/", "Filing menu"),
        ("/filers/account/", "Your account"),
        ("/filers/agents/", "Your filing agents"),
        ("/filers/agreement/", "Electronic filing agreement"),
        ("/accounts/2fa/", "Two-factor authentication"),
        ("/accounts/password/change/", "Change your password"),
        ("/accounts/email/", "Your login e-mail address"),
    ]:
        page.goto(live_server.url + path)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert_accessible()

    # Turn off fee payments for the demo agent with the keyboard alone.
    page.goto(live_server.url + "/filers/agents/")
    button = page.get_by_role("button", name="Stop fee payments by Priya Natarajan")
    button.focus()
    page.keyboard.press("Enter")
    expect(
        page.get_by_text("Priya Natarajan may not pay filing fees for you.")
    ).to_be_visible()
    assert not AgentLink.objects.get(
        principal=demo.users["attorney"].filer, active=True
    ).may_pay_fees

    # A bad account change is explained next to the field.
    page.goto(live_server.url + "/filers/account/")
    page.get_by_label("Secondary notice e-mails").fill("not-an-address")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "not-an-address is not a valid e-mail address."
    )
    assert_accessible()
    page.get_by_role("button", name="Log out").click()

    login(page, live_server, demo.users["clerk"])
    page.goto(live_server.url + "/filers/clerk/filers/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Filers")
    assert_accessible()
    page.get_by_label("Name, e-mail or bar number").fill("coastal")
    page.get_by_role("button", name="Find").click()
    page.get_by_role("link", name="Coastal Federal Credit Union").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Coastal Federal Credit Union"
    )
    assert_accessible()
    page.get_by_role("button", name="Suspend").click()
    expect(page.get_by_role("alert")).to_contain_text("This field is required.")
    page.get_by_label("Reason (the filer will read this)").fill(
        "Three deficient claims this month."
    )
    page.get_by_role("button", name="Suspend").click()
    expect(
        page.get_by_text("The filer was suspended and told by e-mail.")
    ).to_be_visible()
    assert_accessible()
