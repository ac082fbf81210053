"""Registration through the real pages: sign-up, e-mail confirmation, status, refusals, rate limits."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from filerkit import (  # noqa: F401
    PASSWORD,
    UNMET,
    _no_outside_requirements,
    confirmation_path,
    mails_to,
    signup_data,
    use_fake_progress,
    use_fake_requirements,
)

from core.models import AuditEvent
from filers.models import Filer, User

pytestmark = pytest.mark.django_db

SIGNUP = "/accounts/signup/"


@pytest.fixture
def private_cache(settings):
    """A cache of this test's own: other test runs sharing Redis flush it at will."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "filers-tests",
        }
    }
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def sign_up(client, **overrides):
    return client.post(SIGNUP, signup_data(**overrides))


def test_signup_page_asks_for_role_and_agreement(client, demo):
    page = client.get(SIGNUP).content.decode()
    assert "<h1>Register to file electronically</h1>" in page
    for label in (
        "Full name",
        "Bar number (attorneys)",
        "I accept the e-filing agreement",
        "Creditor (limited filer)",
    ):
        assert label in page
    assert '<label for="id_email">' in page


def test_attorney_registers_confirms_email_and_waits(client, demo):
    response = sign_up(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "Check your e-mail" in client.get(response["Location"]).content.decode()
    user = User.objects.get(email="avery@example.test")
    filer = user.filer
    assert (filer.role, filer.status, filer.bar_number, filer.bar_state) == (
        "attorney",
        "pending",
        "287654",
        "CA",
    )
    assert filer.admitted_in_court and filer.agreement_accepted_at
    assert not EmailAddress.objects.get(user=user).verified
    assert AuditEvent.objects.filter(
        action="filers.registration.submitted", actor=user
    ).exists()

    # Confirm the address from the mailed link, then log in and see where things stand.
    path = confirmation_path("avery@example.test")
    assert client.get(path).status_code == 200
    client.post(path)
    assert EmailAddress.objects.get(user=user).verified
    login = client.post(
        "/accounts/login/", {"login": "avery@example.test", "password": PASSWORD}
    )
    assert login.status_code == 302
    status = client.get(reverse("filers:status")).content.decode()
    assert "E-mail address confirmed:</strong> yes" in status
    assert "waiting for the clerk" in status


def test_registration_with_a_known_email_looks_the_same_and_mails_the_owner(
    client, demo
):
    before = Filer.objects.count()
    response = sign_up(client, email="attorney@ecf.test")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert Filer.objects.count() == before
    owner_mail = mails_to("attorney@ecf.test").last()
    assert owner_mail.subject == "Someone tried to register with your e-mail address"
    assert (
        "already belongs to an ECF account, so nothing was changed"
        in owner_mail.body_text
    )
    assert "/accounts/password/reset/" in owner_mail.body_text
    # A new address gets the very same page.
    fresh = sign_up(client, email="someone-new@example.test")
    assert fresh["Location"] == response["Location"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"bar_number": "ABC-12"},
            "Enter your bar number as it appears on your bar card",
        ),
        ({"bar_number": ""}, "Enter your bar number as it appears on your bar card"),
        ({"bar_state": "Calif"}, "two-letter code"),
        ({"admitted_in_court": None}, "must be admitted to practise in this court"),
        ({"agreement_accepted": None}, "You must accept the e-filing agreement"),
        ({"role": "clerk"}, "Select a valid choice"),
        ({"password2": "something-else-entirely"}, "same password"),
    ],
)
def test_bad_registration_gets_a_clear_message_and_changes_nothing(
    client, demo, overrides, message
):
    users_before = User.objects.count()
    response = sign_up(client, **overrides)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page.replace("&#x27;", "'")
    assert 'role="alert"' in page
    assert User.objects.count() == users_before
    assert not mails_to("avery@example.test").exists()


def test_a_creditor_needs_no_bar_number(client, demo):
    response = sign_up(
        client, role="creditor", bar_number="", bar_state="", admitted_in_court=None
    )
    assert response.status_code == 302
    assert User.objects.get(email="avery@example.test").filer.role == "creditor"


def test_signup_is_rate_limited(client, demo, settings, private_cache):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "3/h/ip"}
    codes = [sign_up(client, email=f"r{i}@example.test").status_code for i in range(5)]
    assert codes[:3] == [302, 302, 302]
    assert codes[3] == 429
    assert User.objects.filter(email="r4@example.test").count() == 0


def test_logged_in_user_without_a_role_registers_from_the_form(client, demo):
    public = demo.users["public"]
    client.force_login(public)
    page = client.get(reverse("filers:register")).content.decode()
    assert "Register to file electronically" in page
    data = signup_data(
        role="party", bar_number="", bar_state="", admitted_in_court=None
    )
    response = client.post(reverse("filers:register"), data)
    assert response.status_code == 302
    assert User.objects.get(pk=public.pk).filer.status == Filer.Status.PENDING
    # Registered once; the page now sends them to their status.
    assert client.get(reverse("filers:register"))["Location"] == reverse(
        "filers:status"
    )


# -- where a registrant stands --------------------------------------------------------------


def registered(email="stand@example.test", role="creditor"):
    from filers import services

    user = User.objects.create_user(email=email, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    services.register_filer(
        user=user,
        data=services.Registration(
            role=role, full_name="Stan Ding", agreement_accepted=True
        ),
    )
    return User.objects.get(pk=user.pk)


def test_status_shows_training_done_and_still_to_do(
    client, demo, settings, monkeypatch
):
    use_fake_requirements(monkeypatch, settings)
    use_fake_progress(monkeypatch)
    user = registered()
    UNMET[user.pk] = ["Training exercise not passed: File a practice motion"]
    try:
        client.force_login(user)
        page = client.get(reverse("filers:status")).content.decode()
    finally:
        UNMET.pop(user.pk)
    assert '<h2 class="h3">Done</h2>' in page
    assert "<li>Open a practice case</li>" in page
    assert "Still to do" in page
    assert "<li>File a practice motion</li>" in page
    assert (
        "Training exercise not passed: File a practice motion" not in page
    )  # said once
    assert "waiting for the clerk" in page


@pytest.mark.parametrize(
    ("decision", "reason", "expected"),
    [
        ("certify", "", "approved"),
        (
            "refuse",
            "Bar number not found.",
            "The clerk's reason: <q>Bar number not found.</q>",
        ),
    ],
)
def test_status_shows_the_clerks_decision(client, demo, decision, reason, expected):
    from filers import decisions

    user = registered()
    clerk = demo.users["clerk"]
    if decision == "certify":
        decisions.certify_filer(filer=user.filer, actor=clerk)
    else:
        decisions.refuse_filer(filer=user.filer, actor=clerk, reason=reason)
    client.force_login(user)
    page = client.get(reverse("filers:status")).content.decode().replace("&#x27;", "'")
    assert expected in page
    if decision == "certify":
        assert "Set up two-factor authentication" in page


def test_status_of_a_user_without_a_role_offers_registration(client, demo):
    client.force_login(demo.users["public"])
    page = client.get(reverse("filers:status")).content.decode()
    assert "not registered to file" in page
    assert reverse("filers:register") in page


# -- logging in ----------------------------------------------------------------------------


def test_failed_login_says_the_same_for_known_and_unknown_emails(client, demo):
    pages = []
    for email in ("attorney@ecf.test", "nobody@example.test"):
        response = client.post(
            "/accounts/login/", {"login": email, "password": "wrong-password"}
        )
        assert response.status_code == 200
        page = response.content.decode()
        start = page.index('role="alert"')
        pages.append(page[start : page.index("</div>", start)])
    assert pages[0] == pages[1]
    assert "not correct" in pages[0]


def test_the_tenth_failed_login_in_a_row_is_refused(client, demo, private_cache):
    attorney = demo.users["attorney"]
    responses = [
        client.post(
            "/accounts/login/", {"login": attorney.email, "password": f"wrong-{i}"}
        )
        for i in range(10)
    ]
    last = responses[-1].content.decode()
    assert "Too many failed login attempts" in last
    # Even the right password is refused while the limit lasts.
    right = client.post(
        "/accounts/login/", {"login": attorney.email, "password": "ecf-demo-password"}
    )
    assert right.status_code != 302
    assert "_auth_user_id" not in client.session


def test_password_reset_looks_the_same_for_known_and_unknown_emails(client, demo):
    known = client.post("/accounts/password/reset/", {"email": "attorney@ecf.test"})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.test"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert mails_to("attorney@ecf.test").last().subject == "Set a new ECF password"
    assert "no ECF account uses it" in mails_to("nobody@example.test").last().body_text


def test_confirmation_mail_reads_well(client, demo):
    sign_up(client)
    mail = mails_to("avery@example.test").get(
        subject="Confirm your e-mail address for ECF"
    )
    assert mail.body_text.startswith(
        "U.S. Bankruptcy Court, Southern District of California"
    )
    assert (
        "This address was given for the ECF account of Avery Q. Counsel."
        in mail.body_text
    )
