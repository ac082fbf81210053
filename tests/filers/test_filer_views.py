"""A filer's own pages: filing menu, account, filing agents, two-factor setup, the home page."""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse
from filerkit import _no_outside_requirements, mails_to  # noqa: F401

from core.models import AuditEvent
from filers import decisions
from filers.models import AgentLink, Filer

pytestmark = pytest.mark.django_db


# -- filing menu -------------------------------------------------------------------------


def test_menu_of_a_certified_filer_lists_what_they_may_do(client, demo):
    client.force_login(demo.users["attorney"])
    page = client.get(reverse("filers:menu")).content.decode()
    assert "<h1>Filing menu</h1>" in page
    assert "can't file yet" not in page
    assert "/s/ Dana M. Whitaker" in page
    assert reverse("filers:agents") in page


@pytest.mark.parametrize(
    ("who", "shown", "hidden"),
    [
        ("attorney", "Open a bankruptcy case", "Review new filings"),
        ("creditor", "File a document in an existing case", "Open a bankruptcy case"),
        ("clerk", "Review new filings (quality control)", "Open a bankruptcy case"),
    ],
)
def test_menu_links_follow_the_role_and_the_pages_that_exist(
    client, demo, who, shown, hidden
):
    from filers.views import MENU_ITEMS, _reverse_first

    client.force_login(demo.users[who])
    page = client.get(reverse("filers:menu")).content.decode()
    item = next(i for i in MENU_ITEMS if i["label"].startswith(shown))
    url = _reverse_first(item["urls"])
    assert f'<a href="{url}">{item["label"]}</a>' in page
    assert hidden not in page


@pytest.mark.parametrize(
    ("who", "setup", "reason", "fix"),
    [
        ("public", None, "This account has no filing rights", "filers:register"),
        ("trainee", None, "has not been approved by the clerk yet", "filers:status"),
        ("attorney", "suspend", "Your filing rights are suspended", None),
        (
            "attorney",
            "no_mfa",
            "Set up two-factor authentication before your first filing.",
            "mfa_activate_totp",
        ),
    ],
)
def test_menu_says_exactly_why_a_user_cannot_file(
    client, demo, who, setup, reason, fix
):
    user = demo.users[who]
    if setup == "suspend":
        decisions.suspend_filer(
            filer=user.filer, actor=demo.users["clerk"], reason="Fees unpaid."
        )
    if setup == "no_mfa":
        Authenticator.objects.filter(user=user).delete()
    client.force_login(user)
    page = client.get(reverse("filers:menu")).content.decode().replace("&#x27;", "'")
    assert "You can't file yet" in page
    assert reason in page
    if fix:
        assert f'href="{reverse(fix)}"' in page


def test_menu_needs_a_login(client, demo):
    response = client.get(reverse("filers:menu"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# -- account -----------------------------------------------------------------------------


def test_filer_updates_account_details(client, demo):
    attorney = demo.users["attorney"]
    client.force_login(attorney)
    page = client.get(reverse("filers:account")).content.decode()
    assert 'value="619-555-0100"' in page
    response = client.post(
        reverse("filers:account"),
        {
            "full_name": "Dana M. Whitaker",
            "firm": "Whitaker Law",
            "address_line1": "1 Main St",
            "city": "San Diego",
            "state": "ca",
            "zip_code": "92101",
            "phone": "619-555-0123",
            "notice_email": "",
            "secondary_emails": "para@whitaker.test\nassistant@whitaker.test",
            "nef_preference": "daily",
        },
    )
    assert response.status_code == 302
    filer = Filer.objects.get(user=attorney)
    assert (filer.firm, filer.state, filer.nef_preference) == (
        "Whitaker Law",
        "CA",
        "daily",
    )
    assert filer.notice_emails == [
        "attorney@ecf.test",
        "para@whitaker.test",
        "assistant@whitaker.test",
    ]
    assert AuditEvent.objects.filter(
        action="filers.account.updated", actor=attorney
    ).exists()


def test_bad_secondary_email_gets_a_clear_message_and_changes_nothing(client, demo):
    attorney = demo.users["attorney"]
    client.force_login(attorney)
    response = client.post(
        reverse("filers:account"),
        {
            "full_name": "Dana",
            "secondary_emails": "para@whitaker\n",
            "nef_preference": "each",
            "phone": "1",
        },
    )
    assert response.status_code == 200
    assert "para@whitaker is not a valid e-mail address." in response.content.decode()
    filer = Filer.objects.get(user=attorney)
    assert filer.phone == "619-555-0100" and filer.secondary_emails == []


# -- filing agents -------------------------------------------------------------------------


def test_attorney_links_agent_through_the_page(client, demo):
    attorney2 = demo.users["attorney2"]
    client.force_login(attorney2)
    assert (
        "No filing agents are linked to you."
        in client.get(reverse("filers:agents")).content.decode()
    )
    response = client.post(
        reverse("filers:agent-link"),
        {"agent_email": "agent@ecf.test", "may_pay_fees": "on"},
    )
    assert response.status_code == 302
    link = AgentLink.objects.get(principal=attorney2.filer, active=True)
    assert link.may_pay_fees
    page = client.get(reverse("filers:agents")).content.decode()
    assert "Priya Natarajan" in page
    client.post(reverse("filers:agent-fees", args=[link.pk]), {"may_pay_fees": ""})
    link.refresh_from_db()
    assert not link.may_pay_fees
    client.post(reverse("filers:agent-unlink", args=[link.pk]))
    link.refresh_from_db()
    assert not link.active
    assert (
        mails_to("agent@ecf.test")
        .filter(subject="You can no longer file for Marcus Lee")
        .exists()
    )


@pytest.mark.parametrize(
    ("who", "email", "message"),
    [
        (
            "attorney2",
            "creditor@ecf.test",
            "No filing agent is registered with that e-mail address.",
        ),
        (
            "agent",
            "attorney@ecf.test",
            "Only attorneys and trustees can link filing agents.",
        ),
        ("attorney2", "not an email", "Enter a valid email address."),
    ],
)
def test_bad_agent_link_gets_a_clear_message_and_changes_nothing(
    client, demo, who, email, message
):
    client.force_login(demo.users[who])
    before = AgentLink.objects.count()
    response = client.post(reverse("filers:agent-link"), {"agent_email": email})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert AgentLink.objects.count() == before


def test_agent_sees_whom_it_files_for(client, demo):
    client.force_login(demo.users["agent"])
    page = client.get(reverse("filers:agents")).content.decode()
    assert "Attorneys and trustees you file for" in page
    assert "Dana M. Whitaker" in page


def test_another_attorneys_link_cannot_be_removed(client, demo):
    link = AgentLink.objects.get(principal=demo.users["attorney"].filer, active=True)
    client.force_login(demo.users["attorney2"])
    response = client.post(reverse("filers:agent-unlink", args=[link.pk]), follow=True)
    assert "That filing agent is not linked to you." in response.content.decode()
    link.refresh_from_db()
    assert link.active


# -- two-factor pages ----------------------------------------------------------------------------


def test_authenticator_setup_page_shows_its_qr_code_under_the_csp(client, demo):
    from filers import decisions

    filer = demo.users["trainee"].filer
    decisions.certify_filer(filer=filer, actor=demo.users["clerk"])
    client.post(
        "/accounts/login/",
        {"login": "trainee@ecf.test", "password": "ecf-demo-password"},
    )
    # Changing two-factor settings asks for the password again first.
    first = client.get(reverse("mfa_activate_totp"))
    assert first["Location"].startswith(reverse("account_reauthenticate"))
    reauth = client.get(first["Location"]).content.decode()
    assert "<h1>Confirm it's you</h1>" in reauth.replace("&#x27;", "'")
    client.post(first["Location"], {"password": "ecf-demo-password"})
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(
        r'<img class="totp-qr" src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+"', page
    )
    assert "<h1>Set up an authenticator app</h1>" in page
    assert '<label for="id_code">' in page
    assert "<script" not in page and "style=" not in page
    csp = response["Content-Security-Policy"]
    assert "img-src 'self' data:" in csp and "'unsafe-inline'" not in csp


# -- the public home page -------------------------------------------------------------------------


def test_home_page_explains_ecf_from_the_courts_data(
    client, demo, django_assert_max_num_queries
):
    # Events, fees and the training exercises (the roles' training column).
    with django_assert_max_num_queries(4):
        response = client.get("/")
    page = response.content.decode()
    for heading in (
        "What ECF is",
        "New to ECF?",
        "Already a filer?",
        "Live and training",
        "Help with common filings",
        "Fee schedule",
        "Requirements",
        "Questions and answers",
    ):
        assert f">{heading}</h2>" in page, heading
    for item in (
        "A chapter 7 case",
        "A chapter 11 case",
        "A chapter 12 case",
        "A chapter 13 case",
        "An amended schedule",
        "A motion for relief from stay",
        "A new adversary complaint",
        "A proof of claim",
        "An abstract of judgment",
        "A change of address",
    ):
        assert f">{item}</h3>" in page, item
    # Fees come from the event catalogue, so changing a fee changes the page.
    assert "Chapter 7 Voluntary Petition for Individuals" in page
    assert "$338.00" in page
    # Chapters in number order, and the court's own time zone.
    assert page.index("Chapter 7 Voluntary Petition for Individuals</td>") < page.index(
        "Chapter 11 Voluntary Petition for Individuals</td>"
    )
    assert re.search(r"by the court's clock \(P[SD]T\)", page.replace("&#x27;", "'"))
    from dockets.models import Event

    Event.objects.filter(code="volp7").update(fee_cents=34500)
    assert "$345.00" in client.get("/").content.decode()


def test_a_suspended_filer_trying_to_file_is_told_why(client, demo):
    start = reverse("dockets:filing-start")
    attorney = demo.users["attorney"]
    decisions.suspend_filer(
        filer=attorney.filer, actor=demo.users["clerk"], reason="Fees unpaid."
    )
    client.force_login(attorney)
    page = client.get(start).content.decode().replace("&#x27;", "'")
    assert "Your filing rights are suspended. Contact the clerk's office." in page


def test_admin_lists_filers_for_a_superuser(client, demo):
    """The admin opens for a superuser who is an active clerk (certified, two-factor);
    a bare superuser without the court role is kept out (tests/security/test_admin_door)."""
    from filers.models import User

    bare = User.objects.create_superuser(
        email="root@example.test", password="x-password-123"
    )
    client.force_login(bare)
    assert client.get("/admin/filers/filer/").status_code in (302, 404)
    admin = demo.users["clerk"]
    admin.is_superuser = True
    admin.save(update_fields=["is_superuser"])
    client.force_login(admin)
    for url in (
        "/admin/filers/filer/",
        "/admin/filers/user/",
        "/admin/filers/agentlink/",
    ):
        assert client.get(url).status_code == 200, url
    filer = demo.users["attorney"].filer
    assert client.get(f"/admin/filers/filer/{filer.pk}/change/").status_code == 200
