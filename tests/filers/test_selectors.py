"""Whom a user may file for, and whether an agent may pay (the filing wizard's questions)."""

import pytest
from filerkit import _no_outside_requirements  # noqa: F401

from filers import agents, decisions
from filers.models import AgentLink
from filers.selectors import may_pay_fees, principals_for

pytestmark = pytest.mark.django_db


def test_an_agent_files_for_its_linked_certified_principals(demo):
    agent, attorney, attorney2 = (
        demo.users["agent"],
        demo.users["attorney"],
        demo.users["attorney2"],
    )
    assert principals_for(agent) == [attorney.filer]
    agents.link_agent(principal=attorney2, agent_email=agent.email, may_pay_fees=False)
    assert [f.user for f in principals_for(agent)] == [attorney, attorney2]
    decisions.suspend_filer(
        filer=attorney.filer, actor=demo.users["clerk"], reason="Fees unpaid."
    )
    assert [f.user for f in principals_for(agent)] == [attorney2]


def test_an_agent_files_for_no_principal_without_two_factor(demo):
    """The principal passes the one gate (is_active_filer): certified is not enough."""
    from allauth.mfa.models import Authenticator

    agent, attorney = demo.users["agent"], demo.users["attorney"]
    assert principals_for(agent) == [attorney.filer]
    Authenticator.objects.filter(user=attorney).delete()
    assert attorney.filer.status == attorney.filer.Status.CERTIFIED
    assert principals_for(agent) == []


def test_an_agent_without_two_factor_files_for_nobody(demo):
    from allauth.mfa.models import Authenticator

    Authenticator.objects.filter(user=demo.users["agent"]).delete()
    assert principals_for(demo.users["agent"]) == []


def test_a_non_agent_files_only_for_itself(demo):
    assert principals_for(demo.users["attorney"]) == [demo.users["attorney"].filer]
    assert principals_for(demo.users["creditor"]) == [demo.users["creditor"].filer]
    assert principals_for(demo.users["public"]) == []


def test_an_unlinked_agent_files_for_nobody(demo):
    link = AgentLink.objects.get(agent=demo.users["agent"].filer, active=True)
    agents.unlink_agent(principal=demo.users["attorney"], link_id=link.pk)
    assert principals_for(demo.users["agent"]) == []


def test_fee_payment_follows_the_link_setting(demo):
    agent, attorney, attorney2 = (
        demo.users["agent"],
        demo.users["attorney"],
        demo.users["attorney2"],
    )
    assert may_pay_fees(agent, attorney)  # the demo link allows it
    assert may_pay_fees(attorney, attorney)  # one's own fees
    assert not may_pay_fees(agent, attorney2)  # no link
    link = AgentLink.objects.get(
        agent=agent.filer, principal=attorney.filer, active=True
    )
    agents.set_agent_fee_permission(
        principal=attorney, link_id=link.pk, may_pay_fees=False
    )
    assert not may_pay_fees(agent, attorney)
