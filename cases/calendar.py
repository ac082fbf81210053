"""The court calendar: when a period ends under Fed. R. Bankr. P. 9006(a).

One function, `compute_deadline`, answers "when is this due" for every deadline in
ECF (objections, claims bar dates, deficiency cures, transcript redaction, 341
follow-ups), and says which rule produced the date, so the docket can show it.

FRBP 9006(a)(1): exclude the day of the event that triggers the period, count every
day, include the last day; if the last day is a Saturday, Sunday or legal holiday,
the period runs until the end of the next day that is none of those.
FRBP 9006(a)(5): the "next day" is found counting forward for a period measured
after an event and backward for one measured before an event ("7 days before the
hearing").
FRBP 9006(a)(6): legal holidays are the federal holidays (and days the President or
Congress declares), and, for periods measured after an event only, the state's
holidays where the court sits (ECF_COURT_STATE, California for casb). The dates come
from the maintained `holidays` package, not a hand-kept list.
FRBP 9006(a)(3)(A): a day the clerk's office was inaccessible (a closure, or the
electronic filing system being down: a `CourtClosure` the clerk records) moves the
deadline only when it is the last day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import holidays
from django.conf import settings


@dataclass(frozen=True)
class Due:
    """A computed deadline and the rule that produced it, in plain words."""

    day: dt.date
    rule: str


@lru_cache(maxsize=64)
def _federal(year: int) -> dict[dt.date, str]:
    return dict(holidays.country_holidays("US", years=year))


@lru_cache(maxsize=64)
def _state(state: str, year: int) -> dict[dt.date, str]:
    if not state:
        return {}
    federal = _federal(year)
    return {
        day: name
        for day, name in holidays.country_holidays(
            "US", subdiv=state, years=year
        ).items()
        if day not in federal
    }


def court_state() -> str:
    return getattr(settings, "ECF_COURT_STATE", "")


def legal_holiday(
    day: dt.date, *, forward: bool = True, state: str | None = None
) -> str:
    """The holiday's name if `day` is a legal holiday under FRBP 9006(a)(6), else ""."""
    name = _federal(day.year).get(day)
    if name:
        return name
    if forward:
        state = court_state() if state is None else state
        name = _state(state, day.year).get(day) if state else ""
        if name:
            return f"{name} ({state} state holiday)"
    return ""


def _why_not_open(day: dt.date, *, forward: bool, state: str | None) -> str:
    if day.weekday() == 5:
        return "a Saturday"
    if day.weekday() == 6:
        return "a Sunday"
    holiday = legal_holiday(day, forward=forward, state=state)
    return f"a legal holiday ({holiday})" if holiday else ""


def _closure(day: dt.date, closures) -> str:
    for closure in closures:
        if closure.covers(day):
            return closure.describe()
    return ""


def recorded_closures(day: dt.date):
    """Closures and outages the clerk recorded that touch `day` (cases.models.CourtClosure)."""
    from .models import CourtClosure

    return list(CourtClosure.objects.filter(starts_on__lte=day, ends_on__gte=day))


def compute_deadline(
    event_day: dt.date,
    days: int,
    *,
    before: bool = False,
    what: str = "",
    state: str | None = None,
    closures=None,
) -> Due:
    """The last day of a period of `days` days after (or `before`) `event_day`.

    `what` names the event in the rule text ("the filing", "the hearing").
    `closures` defaults to the clerk's recorded closures; pass [] to ignore them.
    """
    if days < 0:
        raise ValueError("a period has a non-negative number of days")
    step = -1 if before else 1
    forward = not before
    # 9006(a)(1)(A)-(B): exclude the event's day, count every day after (or before) it.
    last = event_day + dt.timedelta(days=step * days)
    when = "before" if before else "after"
    words = [
        f"{days} days {when} {what or 'the event'} on {event_day:%m/%d/%Y} "
        f"is {last:%m/%d/%Y}"
    ]
    moved = False
    while True:
        why = _why_not_open(last, forward=forward, state=state)
        if not why:
            found = recorded_closures(last) if closures is None else closures
            why = _closure(last, found)
        if not why:
            break
        words.append(f"{last:%m/%d/%Y} is {why}")
        last += dt.timedelta(days=step)
        moved = True
    if moved:
        rule = "9006(a)(5)" if before else "9006(a)(1)(C)"
        direction = "previous" if before else "next"
        words.append(
            f"so it moves to the {direction} open day, {last:%m/%d/%Y} (FRBP {rule})"
        )
    else:
        words[0] += " (FRBP 9006(a)(1))"
    return Due(day=last, rule="; ".join(words) + ".")
