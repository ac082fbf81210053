"""The gate functions, tested directly for every role x status x two-factor.

filers.permissions answers "is this an active court user / active filer";
cases.permissions answers "does this user act for a party in this case". A role means
nothing until the clerk certified the account, it is not suspended or revoked, and
two-factor is set up; a trustee or U.S. Trustee acts only in the cases of the record
the clerk linked it to.
"""

from __future__ import annotations

import itertools
import uuid

import pytest

pytestmark = pytest.mark.django_db

STATUSES = ["pending", "refused", "certified", "suspended", "revoked"]
ROLES = [
    "attorney",
    "filing_agent",
    "creditor",
    "trustee",
    "us_trustee",
    "court_reporter",
    "party",
    "clerk",
    "judge",
]


def make_user(role: str, status: str, *, mfa: bool):
    from allauth.mfa.totp.internal.auth import TOTP

    from filers.models import Filer, User

    user = User.objects.create_user(
        email=f"{role}-{status}-{uuid.uuid4().hex[:8]}@gate.test",
        password="x",
        full_name=f"Gate {role} {status}",
    )
    Filer.objects.create(user=user, role=role, status=status)
    if mfa:
        TOTP.activate(user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    return user


@pytest.fixture
def world(demo):
    """Two divisional offices, a U.S. Trustee office for each, a case in each."""
    from filing_helpers_sec import add_party_to, case_in

    from cases.models import Office, Party, Trustee

    court = demo.court
    north = Office.objects.get(court=court, number=3)
    south, _ = Office.objects.get_or_create(
        court=court, number=9, defaults={"name": "Gate South"}
    )
    ust_north = Trustee.objects.create(
        court=court, kind=Trustee.Kind.US_TRUSTEE, name="UST North"
    )
    ust_north.offices.add(north)
    ust_south = Trustee.objects.create(
        court=court, kind=Trustee.Kind.US_TRUSTEE, name="UST South"
    )
    ust_south.offices.add(south)
    panel = Trustee.objects.create(
        court=court, kind=Trustee.Kind.PANEL_7, name="Gate Panel Trustee"
    )
    case_north = case_in(court, north, trustee=panel)
    case_south = case_in(court, south, trustee=None)
    debtor = add_party_to(case_north, Party.Role.DEBTOR, "Gate Debtor")
    return {
        "north": case_north,
        "south": case_south,
        "ust_north": ust_north,
        "panel": panel,
        "debtor": debtor,
    }


@pytest.mark.parametrize(
    ("role", "status", "mfa"), list(itertools.product(ROLES, STATUSES, [True, False]))
)
def test_active_gates_for_every_role_status_and_two_factor(demo, role, status, mfa):
    from filers.permissions import (
        is_active_clerk,
        is_active_court_user,
        is_active_filer,
        is_active_judge,
    )

    user = make_user(role, status, mfa=mfa)
    active = status == "certified" and mfa
    assert is_active_filer(user) is active
    assert is_active_court_user(user) is (active and role in ("clerk", "judge"))
    assert is_active_clerk(user) is (active and role == "clerk")
    assert is_active_judge(user) is (active and role == "judge")
    # The model's properties (used by templates) say the same.
    assert user.is_court_user is is_active_court_user(user)
    assert user.is_clerk is is_active_clerk(user)
    # A transfer of claim: the transferee (an active attorney or creditor, the roles of
    # the transfer event) or the clerk's office; never a judge, trustee or other role.
    from dockets.claims.permissions import may_file_transfer

    assert may_file_transfer(user) is (
        active and role in ("attorney", "creditor", "clerk")
    )


def test_a_deactivated_login_is_no_court_user(demo):
    from filers.permissions import is_active_court_user

    clerk = make_user("clerk", "certified", mfa=True)
    clerk.is_active = False
    assert not is_active_court_user(clerk)


def test_anonymous_and_accounts_without_a_filer_are_nobody(demo):
    from django.contrib.auth.models import AnonymousUser

    from filers.models import User
    from filers.permissions import is_active_court_user, is_active_filer

    bare = User.objects.create_user(email="bare@gate.test", password="x")
    for user in (AnonymousUser(), bare, None):
        assert not is_active_filer(user)
        assert not is_active_court_user(user)


@pytest.mark.parametrize(
    ("status", "mfa"), list(itertools.product(STATUSES, [True, False]))
)
def test_us_trustee_acts_only_in_its_linked_offices_cases(world, status, mfa):
    from cases.permissions import acts_for_party, is_case_participant

    ust = make_user("us_trustee", status, mfa=mfa)
    stranger = make_user("us_trustee", status, mfa=mfa)
    world["ust_north"].members.add(ust)
    active = status == "certified" and mfa
    assert is_case_participant(ust, world["north"]) is active
    assert acts_for_party(ust, world["north"]) is active
    # Never in another office's case, never without the clerk's link.
    assert not is_case_participant(ust, world["south"])
    assert not is_case_participant(stranger, world["north"])


@pytest.mark.parametrize(
    ("status", "mfa"), list(itertools.product(STATUSES, [True, False]))
)
def test_trustee_acts_only_in_the_cases_of_its_record(world, status, mfa):
    from cases.permissions import is_case_participant

    trustee = make_user("trustee", status, mfa=mfa)
    world["panel"].members.add(trustee)
    assert is_case_participant(trustee, world["north"]) is (
        status == "certified" and mfa
    )
    assert not is_case_participant(trustee, world["south"])


@pytest.mark.parametrize(
    ("status", "mfa"), list(itertools.product(STATUSES, [True, False]))
)
def test_attorney_and_its_agent_act_through_a_representation(world, status, mfa):
    from cases.models import Representation
    from cases.permissions import is_case_participant
    from filers.models import AgentLink

    attorney = make_user("attorney", status, mfa=mfa)
    Representation.objects.create(
        case=world["north"], party=world["debtor"], attorney=attorney
    )
    agent = make_user("filing_agent", "certified", mfa=True)
    AgentLink.objects.create(agent=agent.filer, principal=attorney.filer)
    active = status == "certified" and mfa
    assert is_case_participant(attorney, world["north"]) is active
    assert not is_case_participant(attorney, world["south"])
    # The agent shares a certified principal's cases only.
    assert is_case_participant(agent, world["north"]) is (status == "certified")


@pytest.mark.parametrize("role", ROLES)
def test_no_role_alone_makes_a_participant(world, role):
    from cases.permissions import is_case_participant

    user = make_user(role, "certified", mfa=True)
    assert is_case_participant(user, world["north"]) is (role in ("clerk", "judge"))
