"""Rule 3002.1 (as amended December 1, 2025): when a mortgage payment change takes effect.

FRBP 3002.1(b): the holder files a notice of any change in the payment amount at least
21 days before the new payment is due. A notice filed later takes effect only on the
first payment due at least 21 days after the notice was filed. The 21 days are counted
by the court calendar (cases.calendar.compute_deadline, FRBP 9006(a)); payment due dates
themselves come from the loan (monthly, on the same day of the month) and do not move.

Response and motion windows (the holder's 28 days to answer a motion to determine the
status of the mortgage claim or the final cure, 21 days on the other motions) are set by
the events' own deadlines in the catalogue, also computed by the court calendar.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from dataclasses import dataclass

from cases.calendar import compute_deadline

NOTICE_DAYS = 21
PAYMENT_CHANGE_EVENTS = {"mtgchg": "change", "helocntc": "heloc"}


@dataclass(frozen=True)
class EffectiveDate:
    day: dt.date
    moved: bool
    rule: str


def _next_month(day: dt.date, due_day: int) -> dt.date:
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    last = _calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(due_day, last))


def payment_change_effective_date(
    *, filed_on: dt.date, stated_due: dt.date
) -> EffectiveDate:
    """The day the payment change takes effect: the stated due date if the notice came
    at least 21 days before it, else the first monthly due date at least 21 days after
    the notice was filed."""
    earliest = compute_deadline(filed_on, NOTICE_DAYS, what="the notice")
    if stated_due >= earliest.day:
        return EffectiveDate(
            day=stated_due,
            moved=False,
            rule=(
                f"Filed {filed_on:%m/%d/%Y}, at least {NOTICE_DAYS} days before the payment "
                f"due {stated_due:%m/%d/%Y}: the change takes effect then (FRBP 3002.1(b))."
            ),
        )
    due = stated_due
    while due < earliest.day:
        due = _next_month(due, stated_due.day)
    return EffectiveDate(
        day=due,
        moved=True,
        rule=(
            f"Filed {filed_on:%m/%d/%Y}, less than {NOTICE_DAYS} days before the payment due "
            f"{stated_due:%m/%d/%Y}. {earliest.rule} The change takes effect on the first "
            f"payment due at least {NOTICE_DAYS} days after the notice: {due:%m/%d/%Y} "
            "(FRBP 3002.1(b), as amended December 1, 2025)."
        ),
    )
