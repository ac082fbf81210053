"""The court calendar (cases.calendar.compute_deadline) under FRBP 9006(a): weekends,
every federal and California holiday of 2026 and 2027, backward periods, recorded
closures and outages on the last day only, and the year boundary."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import holidays
import pytest

from cases.calendar import compute_deadline, legal_holiday

D = dt.date

FEDERAL = sorted(
    d for y in (2026, 2027) for d in holidays.country_holidays("US", years=y)
)
# Weekdays only: a state holiday on a weekend moves nothing a weekend would not.
CALIFORNIA_ONLY = sorted(
    d
    for y in (2026, 2027)
    for d in holidays.country_holidays("US", subdiv="CA", years=y)
    if d not in holidays.country_holidays("US", years=y) and d.weekday() < 5
)


def _open(day: dt.date, *, state: str = "CA", forward: bool = True) -> bool:
    return day.weekday() < 5 and not legal_holiday(day, forward=forward, state=state)


@pytest.mark.parametrize("holiday", FEDERAL, ids=str)
def test_a_period_ending_on_a_federal_holiday_runs_to_the_next_open_day(holiday):
    """14 days after the event lands on the holiday: the deadline is the next open day."""
    start = holiday - dt.timedelta(days=14)
    due = compute_deadline(start, 14, closures=[], state="CA")
    assert due.day > holiday
    assert _open(due.day)
    assert all(
        not _open(holiday + dt.timedelta(days=i))
        for i in range((due.day - holiday).days)
    )
    reason = "a Saturday" if holiday.weekday() == 5 else "a Sunday"
    assert ("legal holiday" if holiday.weekday() < 5 else reason) in due.rule
    assert "9006(a)(1)(C)" in due.rule


@pytest.mark.parametrize("holiday", CALIFORNIA_ONLY, ids=str)
def test_california_holidays_end_forward_periods_only(holiday):
    """9006(a)(6)(C): a state holiday moves a period counted after an event, not before one."""
    forward = compute_deadline(
        holiday - dt.timedelta(days=7), 7, closures=[], state="CA"
    )
    assert forward.day > holiday and "state holiday" in forward.rule
    backward = compute_deadline(
        holiday + dt.timedelta(days=7), 7, before=True, closures=[], state="CA"
    )
    assert backward.day == holiday


def test_without_a_state_only_federal_holidays_count():
    cesar_chavez = D(2026, 3, 31)  # a Tuesday, California only
    assert (
        compute_deadline(D(2026, 3, 17), 14, closures=[], state="").day == cesar_chavez
    )
    assert compute_deadline(D(2026, 3, 17), 14, closures=[], state="CA").day == D(
        2026, 4, 1
    )


def test_the_event_day_is_excluded_and_an_open_day_is_kept():
    due = compute_deadline(D(2026, 12, 1), 14, closures=[], state="CA")
    assert due.day == D(2026, 12, 15)  # a Tuesday
    assert due.rule == (
        "14 days after the event on 12/01/2026 is 12/15/2026 (FRBP 9006(a)(1))."
    )


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (D(2026, 11, 28), D(2026, 12, 14)),  # ends Saturday 12/12 -> Monday 12/14
        (D(2026, 11, 29), D(2026, 12, 14)),  # ends Sunday 12/13 -> Monday 12/14
    ],
)
def test_weekend_moves_forward_to_monday(start, expected):
    assert compute_deadline(start, 14, closures=[], state="CA").day == expected


def test_backward_period_moves_to_the_previous_open_day():
    """7 days before a hearing on Monday 1/25/2027 is Monday 1/18/2027 (MLK Day): Friday 1/15."""
    due = compute_deadline(
        D(2027, 1, 25), 7, before=True, what="the hearing", closures=[], state="CA"
    )
    assert due.day == D(2027, 1, 15)
    assert "previous open day" in due.rule and "9006(a)(5)" in due.rule


def test_backward_period_over_a_weekend():
    # 7 days before Saturday-adjacent: before Sunday 12/20/2026 is Sunday 12/13 -> Friday 12/11.
    assert compute_deadline(
        D(2026, 12, 20), 7, before=True, closures=[], state="CA"
    ).day == D(2026, 12, 11)


def test_year_boundary_new_years_day_and_weekend():
    """21 days after 12/11/2026 is Friday 1/1/2027 (New Year's Day): Monday 1/4/2027."""
    assert compute_deadline(D(2026, 12, 11), 21, closures=[], state="CA").day == D(
        2027, 1, 4
    )
    # New Year's Day 2028 is a Saturday, observed on Friday 12/31/2027.
    assert compute_deadline(D(2027, 12, 17), 14, closures=[], state="CA").day == D(
        2028, 1, 3
    )


class _Closure:
    def __init__(self, day, reason="power failure"):
        self.day, self.reason = day, reason

    def covers(self, day):
        return day == self.day

    def describe(self):
        return f"a day the filing system was down ({self.reason}; FRBP 9006(a)(3))"


def test_outage_on_the_last_day_extends_it():
    outage = _Closure(D(2026, 12, 15))
    due = compute_deadline(D(2026, 12, 1), 14, closures=[outage], state="CA")
    assert due.day == D(2026, 12, 16)
    assert "filing system was down" in due.rule and "9006(a)(3)" in due.rule


def test_outage_on_an_earlier_day_changes_nothing():
    outage = _Closure(D(2026, 12, 10))
    due = compute_deadline(D(2026, 12, 1), 14, closures=[outage], state="CA")
    assert due.day == D(2026, 12, 15)


@pytest.mark.django_db
def test_recorded_closure_is_read_from_the_database(demo):
    from cases.models import CourtClosure

    CourtClosure.objects.create(
        kind=CourtClosure.Kind.CLOSURE,
        starts_on=D(2026, 12, 15),
        ends_on=D(2026, 12, 16),
        reason="Building closed (water leak)",
        recorded_by=demo.users["clerk"],
    )
    due = compute_deadline(D(2026, 12, 1), 14, state="CA")
    assert due.day == D(2026, 12, 17)
    assert "clerk's office was closed (Building closed (water leak)" in due.rule


@pytest.mark.django_db
def test_clerk_records_a_closure_and_the_public_sees_it(client, demo):
    """The clerk's page records an outage (audited); the public status page lists it."""
    from django.urls import reverse

    from cases.models import CourtClosure
    from core.models import AuditEvent

    client.force_login(demo.users["clerk"])
    response = client.post(
        reverse("cases:closures"),
        {
            "record": "1",
            "kind": "outage",
            "starts_on": "2026-12-15",
            "ends_on": "2026-12-15",
            "reason": "ECF unavailable 9 AM to 6 PM",
        },
    )
    assert response.status_code == 302
    closure = CourtClosure.objects.get()
    assert AuditEvent.objects.filter(action="cases.closure.recorded").exists()
    client.logout()
    page = client.get(reverse("cases:status")).content.decode()
    assert "ECF unavailable 9 AM to 6 PM" in page and "12/15/2026" in page
    assert compute_deadline(D(2026, 12, 1), 14, state="CA").day == D(2026, 12, 16)
    client.force_login(demo.users["attorney"])
    assert client.get(reverse("cases:closures")).status_code == 404
    assert CourtClosure.objects.filter(pk=closure.pk).exists()


@pytest.mark.django_db
def test_a_deadline_counted_from_a_filing_uses_the_calendar(demo):
    """An event that sets "120 days after the filing" gets the calendar's date and rule."""
    import time_machine

    from cases.models import Deadline

    # The filing helpers' folder, as pytest imports it (the package `filing`).
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "dockets"))
    from filing.filing_helpers import make_case, text_entry

    case = make_case(demo.court, title="Ana Ruiz")
    # Filed Thursday 8/6/2026: 120 days later is Friday 12/4/2026, an open day;
    # filed Friday 7/30/2027: 120 days later is Sunday 11/27/2027 -> Monday 11/29.
    with time_machine.travel(dt.datetime(2027, 7, 30, 18, 0, tzinfo=dt.UTC)):
        text_entry(case, "instal", demo.users["attorney"])
    deadline = Deadline.objects.get(case=case, kind="installment")
    assert deadline.due == D(2027, 11, 29)
    assert "11/27/2027 is a Saturday" in deadline.rule
    assert "11/28/2027 is a Sunday" in deadline.rule
    assert "next open day, 11/29/2027" in deadline.rule
