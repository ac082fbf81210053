"""The clerk's queue and decisions through the real pages; nobody else can reach them."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from filerkit import (  # noqa: F401
    UNMET,
    _no_outside_requirements,
    mails_to,
    use_fake_progress,
    use_fake_requirements,
)

from core.models import AuditEvent
from filers import services
from filers.models import Filer, Role, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk_client(client, demo):
    client.force_login(demo.users["clerk"])
    return client


def registrant(n=0, role=Role.CREDITOR, verified=True):
    email = f"queue{n}@example.test"
    user = User.objects.create_user(email=email, password="x-password-123")
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    return services.register_filer(
        user=user,
        data=services.Registration(
            role=role, full_name=f"Queued Person {n}", agreement_accepted=True
        ),
    )


def test_queue_lists_pending_registrations_with_progress(
    clerk_client, demo, monkeypatch, django_assert_max_num_queries
):
    use_fake_progress(monkeypatch)
    filers = [registrant(n, verified=n % 2 == 0) for n in range(12)]
    UNMET[filers[0].user_id] = ["not yet"]
    try:
        with django_assert_max_num_queries(12):
            response = clerk_client.get(reverse("filers:clerk-queue"))
    finally:
        UNMET.pop(filers[0].user_id)
    page = response.content.decode()
    assert response.status_code == 200
    assert "13 registrations, oldest first" in page  # twelve plus the demo trainee
    assert "Queued Person 11" in page
    assert "1 of 2 exercises" in page and "2 of 2 exercises" in page
    assert "Dana M. Whitaker" not in page  # certified filers are not in the queue


@pytest.mark.parametrize("who", ["attorney", "judge", "public", None])
def test_clerk_pages_are_not_found_for_everyone_else(client, demo, who):
    filer = registrant()
    if who:
        client.force_login(demo.users[who])
    for url in (
        reverse("filers:clerk-queue"),
        reverse("filers:clerk-filers"),
        reverse("filers:clerk-filer", args=[filer.pk]),
    ):
        response = client.get(url)
        assert response.status_code == (404 if who else 302), url
    response = client.post(reverse("filers:clerk-decide", args=[filer.pk, "certify"]))
    assert response.status_code == (404 if who else 302)
    filer.refresh_from_db()
    assert filer.status == Filer.Status.PENDING


def test_a_missing_filer_looks_like_a_forbidden_one(clerk_client, demo):
    assert (
        clerk_client.get(reverse("filers:clerk-filer", args=[999999])).status_code
        == 404
    )


def test_clerk_without_mfa_is_sent_to_set_it_up(client, demo):
    from allauth.mfa.models import Authenticator

    clerk = demo.users["clerk"]
    Authenticator.objects.filter(user=clerk).delete()
    client.force_login(clerk)
    response = client.get(reverse("filers:clerk-queue"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_clerk_certifies_through_the_page(clerk_client, demo):
    filer = registrant()
    detail = clerk_client.get(
        reverse("filers:clerk-filer", args=[filer.pk])
    ).content.decode()
    assert "Every requirement is met." in detail
    # The status is the live one, and the history reads in words, not action codes.
    assert "Training complete: waiting for the clerk's decision" in detail
    assert "Registration submitted by" in detail
    assert "filers.registration.submitted" not in detail
    response = clerk_client.post(
        reverse("filers:clerk-decide", args=[filer.pk, "certify"])
    )
    assert response["Location"] == reverse("filers:clerk-queue")
    filer.refresh_from_db()
    assert filer.status == Filer.Status.CERTIFIED
    assert AuditEvent.objects.filter(
        action="filers.certification.granted", actor=demo.users["clerk"]
    ).exists()
    assert (
        mails_to(filer.user.email)
        .filter(subject="Your ECF registration was approved")
        .exists()
    )


def test_certify_is_refused_with_the_unmet_requirements(
    clerk_client, demo, settings, monkeypatch
):
    use_fake_requirements(monkeypatch, settings)
    filer = registrant(verified=False)
    UNMET[filer.user_id] = ["Training exercise not passed: File a practice claim"]
    try:
        detail = clerk_client.get(
            reverse("filers:clerk-filer", args=[filer.pk])
        ).content.decode()
        assert "This registration cannot be approved yet" in detail
        response = clerk_client.post(
            reverse("filers:clerk-decide", args=[filer.pk, "certify"]), follow=True
        )
    finally:
        UNMET.pop(filer.user_id)
    page = response.content.decode()
    assert "The e-mail address has not been confirmed." in page
    assert "File a practice claim" in page
    filer.refresh_from_db()
    assert filer.status == Filer.Status.PENDING


def test_refusal_without_a_reason_is_refused_and_with_one_is_mailed(clerk_client, demo):
    filer = registrant()
    url = reverse("filers:clerk-decide", args=[filer.pk, "refuse"])
    response = clerk_client.post(url, {"reason": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    filer.refresh_from_db()
    assert filer.status == Filer.Status.PENDING
    clerk_client.post(url, {"reason": "We could not verify your identity."})
    filer.refresh_from_db()
    assert filer.status == Filer.Status.REFUSED
    assert (
        "We could not verify your identity."
        in mails_to(filer.user.email).last().body_text
    )


def test_clerk_suspends_reinstates_and_revokes(clerk_client, demo):
    filer = demo.users["creditor"].filer

    def decide(what, **data):
        return clerk_client.post(
            reverse("filers:clerk-decide", args=[filer.pk, what]), data
        )

    decide("suspend", reason="Repeated deficient filings.")
    filer.refresh_from_db()
    assert filer.status == Filer.Status.SUSPENDED
    page = clerk_client.get(
        reverse("filers:clerk-filer", args=[filer.pk])
    ).content.decode()
    assert "Filer suspended by Alma D. Morales" in page
    decide("reinstate")
    filer.refresh_from_db()
    assert filer.status == Filer.Status.CERTIFIED
    decide("revoke", reason="Left the organisation.")
    filer.refresh_from_db()
    assert filer.status == Filer.Status.REVOKED
    # A decision that does not fit the status is refused in words and changes nothing.
    response = clerk_client.post(
        reverse("filers:clerk-decide", args=[filer.pk, "reinstate"]), follow=True
    )
    assert "Only a suspended filer can be reinstated." in response.content.decode()
    filer.refresh_from_db()
    assert filer.status == Filer.Status.REVOKED


def test_clerk_changes_a_role(clerk_client, demo):
    filer = registrant(role=Role.PARTY)
    response = clerk_client.post(
        reverse("filers:clerk-role", args=[filer.pk]),
        {"role": "creditor", "reason": "Registered in error."},
    )
    assert response.status_code == 302
    filer.refresh_from_db()
    assert filer.role == Role.CREDITOR
    bad = clerk_client.post(
        reverse("filers:clerk-role", args=[filer.pk]),
        {"role": "attorney", "reason": "x"},
    )
    assert bad.status_code == 400
    assert "needs a bar number" in bad.content.decode()


def test_filer_search(clerk_client, demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        page = clerk_client.get(
            reverse("filers:clerk-filers"), {"q": "whitaker"}
        ).content.decode()
    assert "Dana M. Whitaker" in page and "Marcus Lee" not in page
    page = clerk_client.get(
        reverse("filers:clerk-filers"), {"status": "pending"}
    ).content.decode()
    assert "Tomas Rivera" in page and "Dana M. Whitaker" not in page
