"""Filer services: the clerk's decisions, agent links and account changes, each audited and mailed."""

import pytest
from allauth.account.models import EmailAddress
from filerkit import (  # noqa: F401
    UNMET,
    _no_outside_requirements,
    mails_to,
    use_fake_requirements,
)

from core.errors import NotAllowed, UserFacingError
from core.models import AuditEvent
from filers import accounts, agents, decisions, services
from filers.models import AgentLink, Filer, Role, User
from filers.permissions import can_file, filing_blockers

pytestmark = pytest.mark.django_db


def make_registrant(
    email="reg@example.test", role=Role.CREDITOR, *, verified=True, **extra
):
    user = User.objects.create_user(email=email, password="x-password-123")
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    data = services.Registration(
        role=role, full_name="Reggie Strant", agreement_accepted=True, **extra
    )
    return services.register_filer(user=user, data=data)


def events_for(filer, action):
    return AuditEvent.objects.filter(
        action=action, target_type="filers.Filer", target_id=str(filer.pk)
    )


def test_registration_is_pending_audited_and_mailed(demo):
    filer = make_registrant()
    assert filer.status == Filer.Status.PENDING
    assert filer.agreement_accepted_at is not None
    assert filer.user.full_name == "Reggie Strant"
    assert events_for(filer, "filers.registration.submitted").count() == 1
    assert (
        mails_to("reg@example.test")
        .filter(subject="Your ECF registration was received")
        .exists()
    )


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"bar_number": "12-AB"}, "bar_number", "bar number"),
        ({"bar_number": ""}, "bar_number", "bar number"),
        ({"bar_number": "123456", "bar_state": "XX"}, "bar_state", "two-letter"),
        (
            {"bar_number": "123456", "bar_state": "CA", "admitted_in_court": False},
            "admitted_in_court",
            "admitted",
        ),
    ],
)
def test_bad_attorney_registration_is_refused_and_changes_nothing(
    demo, overrides, field, words
):
    user = User.objects.create_user(
        email="atty@example.test", password="x-password-123"
    )
    data = services.Registration(
        role=Role.ATTORNEY,
        full_name="A. Torney",
        agreement_accepted=True,
        **{"bar_state": "CA", "admitted_in_court": True, **overrides},
    )
    with pytest.raises(UserFacingError) as refused:
        services.register_filer(user=user, data=data)
    assert refused.value.field == field
    assert words in refused.value.message.lower()
    assert not Filer.objects.filter(user=user).exists()


def test_registration_without_the_agreement_is_refused(demo):
    user = User.objects.create_user(
        email="noagree@example.test", password="x-password-123"
    )
    data = services.Registration(
        role=Role.CREDITOR, full_name="No Agree", agreement_accepted=False
    )
    with pytest.raises(UserFacingError, match="e-filing agreement"):
        services.register_filer(user=user, data=data)
    assert not Filer.objects.filter(user=user).exists()


def test_certification_is_refused_while_requirements_are_unmet(
    demo, settings, monkeypatch
):
    use_fake_requirements(monkeypatch, settings)
    filer = make_registrant()
    UNMET[filer.user_id] = ["Training exercise not passed: File a practice claim"]
    try:
        with pytest.raises(UserFacingError, match="File a practice claim"):
            decisions.certify_filer(filer=filer, actor=demo.users["clerk"])
    finally:
        UNMET.pop(filer.user_id)
    filer.refresh_from_db()
    assert filer.status == Filer.Status.PENDING
    decisions.certify_filer(filer=filer, actor=demo.users["clerk"])
    filer.refresh_from_db()
    assert filer.status == Filer.Status.CERTIFIED
    assert filer.certified_by == demo.users["clerk"]


def test_certification_needs_a_confirmed_email(demo):
    filer = make_registrant(verified=False)
    with pytest.raises(UserFacingError, match="e-mail address has not been confirmed"):
        decisions.certify_filer(filer=filer, actor=demo.users["clerk"])


def test_only_a_clerk_certifies(demo):
    filer = make_registrant()
    with pytest.raises(NotAllowed):
        decisions.certify_filer(filer=filer, actor=demo.users["attorney"])
    filer.refresh_from_db()
    assert filer.status == Filer.Status.PENDING


def test_each_decision_is_audited_with_who_and_mailed(demo):
    clerk = demo.users["clerk"]
    filer = make_registrant()
    decisions.certify_filer(filer=filer, actor=clerk)
    decisions.suspend_filer(filer=filer, actor=clerk, reason="Fees unpaid for 30 days.")
    decisions.reinstate_filer(filer=filer, actor=clerk)
    decisions.revoke_filer(
        filer=filer, actor=clerk, reason="Misuse of another filer's login."
    )
    for action in (
        "filers.certification.granted",
        "filers.filer.suspended",
        "filers.filer.reinstated",
        "filers.filer.revoked",
    ):
        event = events_for(filer, action).get()
        assert event.actor == clerk
    subjects = set(mails_to("reg@example.test").values_list("subject", flat=True))
    assert {
        "Your ECF registration was approved",
        "Your ECF filing rights are suspended",
        "Your ECF filing rights are restored",
        "Your ECF filing rights were revoked",
    } <= subjects
    suspended = mails_to("reg@example.test").get(
        subject="Your ECF filing rights are suspended"
    )
    assert "Fees unpaid for 30 days." in suspended.body_text


def test_refusal_needs_a_reason_and_mails_it(demo):
    filer = make_registrant()
    with pytest.raises(UserFacingError, match="reason"):
        decisions.refuse_filer(filer=filer, actor=demo.users["clerk"], reason="  ")
    decisions.refuse_filer(
        filer=filer, actor=demo.users["clerk"], reason="Not admitted in this district."
    )
    filer.refresh_from_db()
    assert filer.status == Filer.Status.REFUSED
    assert filer.status_reason == "Not admitted in this district."
    assert (
        "Not admitted in this district."
        in mails_to("reg@example.test").last().body_text
    )


def test_suspended_filer_cannot_file_and_is_told_why(demo):
    attorney = demo.users["attorney"]
    assert can_file(attorney)
    decisions.suspend_filer(
        filer=attorney.filer, actor=demo.users["clerk"], reason="Fees unpaid."
    )
    attorney = User.objects.get(pk=attorney.pk)
    assert not can_file(attorney)
    assert filing_blockers(attorney) == [
        "Your filing rights are suspended. Contact the clerk's office."
    ]


def test_certified_filer_without_mfa_cannot_file(demo):
    filer = make_registrant()
    decisions.certify_filer(filer=filer, actor=demo.users["clerk"])
    user = User.objects.get(pk=filer.user_id)
    assert filing_blockers(user) == [
        "Set up two-factor authentication before your first filing."
    ]


def test_role_change_is_audited(demo):
    filer = make_registrant(role=Role.PARTY)
    decisions.change_filer_role(
        filer=filer,
        actor=demo.users["clerk"],
        role=Role.CREDITOR,
        reason="Asked by phone.",
    )
    filer.refresh_from_db()
    assert filer.role == Role.CREDITOR
    event = events_for(filer, "filers.role.changed").get()
    assert event.before["role"] == "party"
    assert event.after["role"] == "creditor"
    with pytest.raises(UserFacingError, match="bar number"):
        decisions.change_filer_role(
            filer=filer, actor=demo.users["clerk"], role=Role.ATTORNEY, reason="x"
        )


# -- agents ---------------------------------------------------------------------------


def test_attorney_links_an_agent_sets_fees_and_unlinks(demo):
    attorney2, agent = demo.users["attorney2"], demo.users["agent"]
    link = agents.link_agent(
        principal=attorney2, agent_email="AGENT@ecf.test", may_pay_fees=False
    )
    assert link.agent == agent.filer and link.principal == attorney2.filer
    assert (
        mails_to("agent@ecf.test")
        .filter(subject="You can now file for Marcus Lee")
        .exists()
    )
    agents.set_agent_fee_permission(
        principal=attorney2, link_id=link.pk, may_pay_fees=True
    )
    agents.unlink_agent(principal=attorney2, link_id=link.pk)
    link.refresh_from_db()
    assert not link.active and link.ended_at is not None
    actions = list(
        AuditEvent.objects.filter(
            target_type="filers.AgentLink", target_id=str(link.pk)
        )
        .order_by("sequence")
        .values_list("action", "actor")
    )
    assert actions == [
        ("filers.agent.linked", attorney2.pk),
        ("filers.agent.fees_changed", attorney2.pk),
        ("filers.agent.unlinked", attorney2.pk),
    ]


@pytest.mark.parametrize(
    ("principal", "email", "message"),
    [
        ("agent", "attorney@ecf.test", "Only attorneys and trustees"),
        ("creditor", "agent@ecf.test", "Only attorneys and trustees"),
        ("attorney2", "creditor@ecf.test", "No filing agent is registered"),
        ("attorney2", "nobody@ecf.test", "No filing agent is registered"),
        ("attorney", "agent@ecf.test", "already linked"),
        ("attorney2", "not-an-email", "e-mail address"),
    ],
)
def test_bad_agent_links_are_refused_and_change_nothing(
    demo, principal, email, message
):
    before = AgentLink.objects.count()
    with pytest.raises(UserFacingError, match=message):
        agents.link_agent(
            principal=demo.users[principal], agent_email=email, may_pay_fees=True
        )
    assert AgentLink.objects.count() == before


def test_an_attorney_cannot_touch_another_attorneys_link(demo):
    link = AgentLink.objects.get(principal=demo.users["attorney"].filer, active=True)
    with pytest.raises(UserFacingError, match="not linked to you"):
        agents.unlink_agent(principal=demo.users["attorney2"], link_id=link.pk)
    link.refresh_from_db()
    assert link.active


# -- account ----------------------------------------------------------------------------


def test_account_update_saves_audits_and_tells_the_filer(demo):
    attorney = demo.users["attorney"]
    accounts.update_account(
        user=attorney,
        full_name="Dana M. Whitaker-Lee",
        details={
            "phone": "619-555-0111",
            "notice_email": "notices@whitaker.test",
            "secondary_emails": ["Paralegal@whitaker.test", "paralegal@whitaker.test"],
            "nef_preference": "daily",
        },
    )
    filer = Filer.objects.get(user=attorney)
    assert filer.user.full_name == "Dana M. Whitaker-Lee"
    assert filer.notice_emails == ["notices@whitaker.test", "paralegal@whitaker.test"]
    assert filer.nef_preference == "daily"
    event = AuditEvent.objects.get(
        action="filers.account.updated", target_id=str(filer.pk)
    )
    assert event.after["phone"] == "619-555-0111"
    assert (
        mails_to(attorney.email)
        .filter(subject="Your ECF account details were changed")
        .exists()
    )


def test_account_update_with_a_bad_state_changes_nothing(demo):
    attorney = demo.users["attorney"]
    with pytest.raises(UserFacingError, match="two-letter"):
        accounts.update_account(
            user=attorney, full_name="Dana", details={"state": "Cali", "phone": "1"}
        )
    filer = Filer.objects.get(user=attorney)
    assert filer.phone == "619-555-0100"
    assert filer.user.full_name == "Dana M. Whitaker"
