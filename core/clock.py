"""The court clock: now and today in the court's time zone.

Stored times are UTC; a filing's filed date is the court-local date of its commit
(filings count until midnight court time: ARCHITECTURE.md "Time and numbers").
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone


def court_tz() -> ZoneInfo:
    return ZoneInfo(settings.ECF_COURT_TIME_ZONE)


def now() -> dt.datetime:
    """Return the current time, aware, in the court's time zone."""
    return timezone.now().astimezone(court_tz())


def today() -> dt.date:
    """Return the court-local date."""
    return now().date()


def local(value: dt.datetime) -> dt.datetime:
    """Return an aware datetime converted to the court's time zone."""
    return value.astimezone(court_tz())


def local_date(value: dt.datetime) -> dt.date:
    return local(value).date()


def tz_abbrev(value: dt.datetime | None = None) -> str:
    """Return PST or PDT (whatever applies at `value`, default now)."""
    return local(value or timezone.now()).strftime("%Z")
