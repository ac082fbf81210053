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
