"""Rule 3002.1 (as amended Dec. 1, 2025): a late payment change takes effect on the first
payment due at least 21 days after the notice, counted by the court calendar."""

import datetime as dt

import pytest
import time_machine
from claimkit import claim_data, make_case

from dockets.claims import claim_events, services
from dockets.claims.rule3002_1 import payment_change_effective_date

pytestmark = pytest.mark.django_db

D = dt.date


def test_a_timely_notice_takes_effect_on_the_stated_due_date(demo):
    result = payment_change_effective_date(
        filed_on=D(2027, 3, 1), stated_due=D(2027, 4, 1)
    )
    assert result.day == D(2027, 4, 1) and not result.moved


def test_a_late_notice_moves_to_the_first_payment_due_21_days_after_it(demo):
    # 21 days after 12/04/2026 is Christmas Day, so the period runs to Monday 12/28 (FRBP 9006).
    result = payment_change_effective_date(
        filed_on=D(2026, 12, 4), stated_due=D(2026, 12, 15)
    )
    assert result.day == D(2027, 1, 15) and result.moved
    assert "12/28/2026" in result.rule and "01/15/2027" in result.rule
    # Due on the 31st: the next due date in February is its last day.
    month_end = payment_change_effective_date(
        filed_on=D(2027, 1, 20), stated_due=D(2027, 1, 31)
    )
    assert month_end.day == D(2027, 2, 28)


@time_machine.travel(dt.datetime(2026, 12, 4, 18, 0, tzinfo=dt.UTC), tick=False)
def test_a_payment_change_notice_shows_its_computed_effective_date(demo, client):
    creditor = demo.users["creditor"]
    case = make_case(demo, chapter="13", title="James T. Whitfield")
    claim = services.file_claim(case=case, data=claim_data(), filer=creditor).claim
    entry = claim_events.file_claim_supplement(
        claim=claim,
        filer=creditor,
        code="mtgchg",
        document=None,
        fields={"new_payment": "$1,912.44", "effective_date": "12/15/2026"},
    )
    assert "New payment $1,912.44 effective 01/15/2027" in entry.text
    change = claim.payment_changes.get()
    assert (change.stated_due, change.effective_on, change.new_payment_cents) == (
        D(2026, 12, 15),
        D(2027, 1, 15),
        191_244,
    )
    page = client.get(f"/claims/{claim.pk}/").content.decode()
    assert "Mortgage payment changes (Rule 3002.1)" in page
    assert "<strong>01/15/2027</strong> (moved)" in page


def test_the_payment_change_notice_alerts_the_debtors_attorney_and_the_trustee(demo):
    from dockets.pipeline.recipients import recipients_for

    creditor = demo.users["creditor"]
    case = make_case(demo, chapter="13", title="Rosa Alvarez")
    claim = services.file_claim(case=case, data=claim_data(), filer=creditor).claim
    entry = claim_events.file_claim_supplement(
        claim=claim,
        filer=creditor,
        code="helocntc",
        document=None,
        fields={"new_payment": "$410.00", "effective_date": "03/01/2099"},
    )
    assert "effective 03/01/2099" in entry.text
    emails = {e for a in recipients_for(entry).electronic for e in a.emails}
    assert demo.users["attorney"].email in emails
    assert case.trustee.user.email in emails or case.trustee.email in emails
    assert claim.payment_changes.get().kind == "heloc"


@time_machine.travel(dt.datetime(2026, 12, 4, 18, 0, tzinfo=dt.UTC), tick=False)
def test_rule_3002_1_notices_alert_the_debtors_attorney_the_trustee_and_followers(
    demo, client, django_capture_on_commit_callbacks
):
    """Besides the NEF, each Rule 3002.1 notice sends its own alert (what changed, the
    computed effective date) to the debtor's attorney, the case trustee and the case's
    followers, never to the filer; the register shows the latest change inline."""
    from core.models import InboxMessage
    from dockets.alerts import services as alerts

    creditor = demo.users["creditor"]
    follower = demo.users["public"]
    case = make_case(demo, chapter="13", title="James T. Whitfield")
    assert case.trustee.user_id, "the chapter 13 trustee has an account"
    alerts.follow(user=follower, kind="case", case=case)
    claim = services.file_claim(case=case, data=claim_data(), filer=creditor).claim
    assert not InboxMessage.objects.filter(kind="rule3002_1").exists()
    with django_capture_on_commit_callbacks(execute=True):
        claim_events.file_claim_supplement(
            claim=claim,
            filer=creditor,
            code="mtgchg",
            document=None,
            fields={"new_payment": "$1,912.44", "effective_date": "12/15/2026"},
        )
    sent = InboxMessage.objects.filter(kind="rule3002_1")
    assert set(sent.values_list("to_email", flat=True)) == {
        demo.users["attorney"].email,
        case.trustee.user.email,
        follower.email,
    }
    message = sent.first()
    assert message is not None
    assert message.subject.startswith("Rule 3002.1: Mortgage payment change, claim 1-1")
    assert "New payment $1,912.44, effective 01/15/2027." in message.body_text
    assert "first payment due at least 21 days after the notice" in message.body_text

    with django_capture_on_commit_callbacks(execute=True):
        claim_events.file_claim_supplement(
            claim=claim,
            filer=creditor,
            code="pstfee",
            document=None,
            fields={"amount": "$250.00"},
        )
    fees = InboxMessage.objects.filter(kind="rule3002_1", subject__contains="fees")
    assert fees.count() == 3
    first_fee = fees.first()
    assert first_fee is not None
    assert "Amount: $250.00" in first_fee.body_text

    register = client.get(f"/cases/{case.pk}/claims/").content.decode()
    assert (
        "<strong>Mortgage payment (Rule 3002.1):</strong> $1,912.44 effective "
        "<strong>01/15/2027</strong>, payment change filed 12/04/2026" in register
    )


def test_the_end_of_case_events_carry_the_amended_rules_names(demo):
    """Dec. 1, 2025: the notice of final cure payment became the trustee's notice of
    disbursements made (Form 410C13-N), answered by Form 410C13-NR. The release's
    catalogue sync renames the events of an existing court in place (same codes)."""
    from dockets.catalogue import sync_events
    from dockets.models import Event

    sync_events()
    notice, response = (
        Event.objects.get(code="fcure"),
        Event.objects.get(code="cureresp"),
    )
    assert notice.name == "Trustee's Notice of Disbursements Made (Rule 3002.1(g))"
    assert notice.form_number == "410C13-N"
    assert response.name == (
        "Response to Trustee's Notice of Disbursements Made (Rule 3002.1(h))"
    )
    assert response.form_number == "410C13-NR"
    assert not Event.objects.filter(name__icontains="Notice of Final Cure").exists()
