"""A new U.S. Trustee account sees restricted documents only once certified, linked by the
clerk to the U.S. Trustee office and enrolled in two-factor, and then only in that office's
cases; an ePOC amendment without the claim's code changes nothing on the register."""

import re
import sys
from pathlib import Path

import pytest
from browserkit import CSP_ENFORCED, answer_human_check, login, register
from django.urls import reverse
from playwright.sync_api import expect
from testkit import totp_code, totp_code_for_secret

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "security"))

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-Long-unusual-passphrase-42"
EMAIL = "new.ust@usdoj.example.test"


def _world(demo):
    """An office of its own with its U.S. Trustee record, a case there and one in the
    demo office (another U.S. Trustee's), each with a restricted document."""
    from seckit import file_pdf_entry

    from cases.models import Judge, Office, Trustee
    from cases.services import create_case
    from dockets.models import Visibility

    court = demo.court
    north, _ = Office.objects.get_or_create(
        court=court, number=9, defaults={"name": "North County"}
    )
    office = Trustee.objects.create(
        court=court, kind=Trustee.Kind.US_TRUSTEE, name="U.S. Trustee North County"
    )
    office.offices.add(north)
    judge = Judge.objects.get(court=court, initials="LT")

    def case_with_restricted(where, title):
        case = create_case(
            court=court, office=where, chapter="7", title=title, judge=judge
        )
        entry = file_pdf_entry(
            case, demo.users["clerk"], visibility=Visibility.RESTRICTED
        )
        return entry.documents.get()

    own = case_with_restricted(north, "North Debtor")
    other = case_with_restricted(
        Office.objects.get(court=court, number=3), "Other Office Debtor"
    )
    return own, other


def _can_open(page, live_server, document) -> bool:
    response = page.goto(f"{live_server.url}/documents/{document.pk}/")
    return response.status == 200


@CSP_ENFORCED
def test_new_us_trustee_sees_restricted_documents_only_when_certified_linked_and_mfa(
    page, live_server, demo, settings, assert_accessible
):
    from allauth.mfa.models import Authenticator

    from filers.models import User

    settings.ECF_CERTIFICATION_REQUIREMENTS = []
    own, other = _world(demo)

    # Anyone may register and pick "U.S. Trustee".
    register(
        page,
        live_server,
        name="Nia Newcomb",
        email=EMAIL,
        password=PASSWORD,
        role="U.S. Trustee",
    )
    user = User.objects.get(email=EMAIL)

    # Pending: the self-chosen role opens nothing.
    login(page, live_server, user, password=PASSWORD)
    assert not _can_open(page, live_server, own)
    expect(page.get_by_role("heading", level=1)).to_contain_text("not found")
    page.get_by_role("button", name="Log out").click()

    # The clerk certifies the registration: still no restricted document.
    login(page, live_server, demo.users["clerk"])
    page.goto(live_server.url + "/filers/clerk/registrations/")
    page.get_by_role("link", name="Nia Newcomb", exact=True).click()
    page.get_by_role("button", name="Approve (certify)").click()
    expect(page.get_by_text("The registration was approved")).to_be_visible()
    page.get_by_role("button", name="Log out").click()
    login(page, live_server, user, password=PASSWORD)
    assert not _can_open(page, live_server, own)
    page.get_by_role("button", name="Log out").click()

    # The clerk links the account to the North County office (audited page).
    login(page, live_server, demo.users["clerk"])
    page.goto(live_server.url + "/cases/trustees/members/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Trustee and U.S. Trustee accounts"
    )
    assert_accessible()
    page.get_by_label("Trustee or office").select_option(
        label="U.S. Trustee North County (U.S. Trustee)"
    )
    page.get_by_label("The account's e-mail address").fill(EMAIL)
    page.get_by_role("button", name="Link the account").click()
    expect(
        page.get_by_text(f"{EMAIL} now acts for U.S. Trustee North County")
    ).to_be_visible()
    assert_accessible()
    page.get_by_role("button", name="Log out").click()

    # Certified and linked, but no two-factor yet: still refused.
    login(page, live_server, user, password=PASSWORD)
    assert not _can_open(page, live_server, own)

    # Two-factor through allauth's own setup page, as the user would.
    page.goto(live_server.url + reverse("mfa_activate_totp"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm it's you")
    assert_accessible()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Set up an authenticator app"
    )
    assert_accessible()
    secret = page.get_by_label("Secret (to type in instead of scanning)").input_value()
    page.get_by_label("Authenticator code").fill("000000")
    page.get_by_role("button", name="Activate").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Set up an authenticator app"
    )
    assert not Authenticator.objects.filter(user=user).exists()
    page.get_by_label("Authenticator code").fill(totp_code_for_secret(secret))
    page.get_by_role("button", name="Activate").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    assert_accessible()
    assert Authenticator.objects.filter(
        user=user, type=Authenticator.Type.TOTP
    ).exists()
    page.get_by_role("button", name="Log out").click()

    # With two-factor (logging in now asks for the code): the office's own case only.
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Enter your two-factor code"
    )
    assert_accessible()
    page.get_by_label("Code").fill(totp_code(user))
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text(
        "Enter your two-factor code"
    )
    assert _can_open(page, live_server, own)
    assert_accessible()
    download = page.request.get(f"{live_server.url}/documents/{own.pk}/download/")
    assert download.status == 200
    assert download.headers["content-type"] == "application/pdf"
    assert not _can_open(page, live_server, other)
    other_download = page.request.get(
        f"{live_server.url}/documents/{other.pk}/download/"
    )
    assert other_download.status == 404


def test_epoc_amendment_without_the_claims_code_changes_nothing(
    page, live_server, demo, assert_accessible
):
    from seckit import make_case

    from dockets.claims.models import Claim
    from dockets.claims.services import ClaimData, file_claim

    case = make_case(demo.court, title="Register Debtor")
    claim = file_claim(
        case=case,
        epoc=True,
        data=ClaimData(
            creditor_name="Sharp Memorial Hospital",
            creditor_address="7901 Frost Street\nSan Diego, CA 92123",
            payment_address="P.O. Box 1\nSan Diego, CA 92123",
            basis="Medical services",
            amount_cents=100_000,
            unsecured_cents=100_000,
            signer_name="Ana Ruiz",
        ),
    ).claim

    page.goto(f"{live_server.url}/cases/{case.pk}/claims/epoc/")
    page.get_by_label(re.compile(r"^Creditor name")).fill("Mallory Redirect LLC")
    page.get_by_label(re.compile(r"^Notice address")).fill(
        "1 Fraud Way\nReno, NV 89501"
    )
    page.get_by_label(re.compile(r"^Amount of the claim")).fill("99,000")
    page.get_by_label(re.compile(r"^Unsecured amount")).fill("99,000")
    page.get_by_label(re.compile(r"^Basis of the claim")).fill("Medical services")
    page.get_by_label(re.compile(r"^Claim number this amends")).fill(str(claim.number))
    page.get_by_role("button", name="Review the claim").click()
    page.get_by_label(re.compile(r"^Your name \(your signature\)")).fill("M. Allory")
    page.get_by_label(re.compile("^I have redacted")).check()
    answer_human_check(page)
    page.get_by_role("button", name="Sign and file claim").click()

    expect(page.get_by_role("alert")).to_contain_text("enter the claim code")
    assert_accessible()
    claim.refresh_from_db()
    assert (claim.label, claim.creditor_name, claim.amount_cents) == (
        "1-1",
        "Sharp Memorial Hospital",
        100_000,
    )
    assert Claim.objects.filter(case=case).count() == 1
    page.goto(f"{live_server.url}/cases/{case.pk}/claims/")
    expect(page.get_by_text("Sharp Memorial Hospital").first).to_be_visible()
    expect(page.get_by_text("Mallory Redirect LLC")).to_have_count(0)
