"""The reads of a claim filing, compiled once per process (issue 21).

A claim filed on the claim page reads the catalogue's claim event (twice: may this
account file, then the entry's event), the version a repeated submit already filed,
the case's debtor for Form 410, its claims bar dates and the creditor the claim is
for: each by one id or key, each compiled by Django's SQL compiler anew on every
request (most of their CPU). Here each is compiled once per process and thread
(core.compiled.CompiledQuery, core.compiled_lookup.CompiledLookup) and run with the
request's values, as a prepared statement. Only the shape of a query is kept: every
call reads the database.

tests/dockets/claims/test_claim_reads.py compares each with the ORM's own read.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.db.models import QuerySet

from cases.models import Deadline, Party
from core.compiled import CompiledQuery
from core.compiled_lookup import CompiledLookup
from dockets.models import Event

from .models import ClaimVersion

DEBTOR_ROLES = (Party.Role.DEBTOR, Party.Role.DEBTOR_IN_POSSESSION)
BAR_KINDS = {True: ("gov_claims_bar", "claims_bar"), False: ("claims_bar",)}


def _event_query(*, shape: str, code: str) -> QuerySet[Event]:
    return Event.objects.filter(code=code)


def _version_query(*, shape: str, key: str) -> QuerySet[ClaimVersion]:
    return ClaimVersion.objects.select_related("claim").filter(idempotency_key=key)


def _creditor_query(*, shape: str, case_id: int, key: str) -> QuerySet[Party]:
    return Party.objects.filter(
        case_id=case_id,
        role=Party.Role.CREDITOR,
        terminated_on__isnull=True,
        matrix_key=key,
    ).order_by("pk")


def _debtors_query(case_id: int) -> QuerySet[Party]:
    return Party.objects.filter(case_id=case_id, role__in=DEBTOR_ROLES)


def _bar_dates_query(case_id: int, *, governmental: bool) -> QuerySet[Deadline]:
    return Deadline.objects.filter(
        case_id=case_id,
        kind__in=BAR_KINDS[governmental],
        terminated=False,
        due__isnull=False,
    )


_EVENT = CompiledLookup(_event_query, {"code": "ecf-placeholder-event"})
_VERSION = CompiledLookup(_version_query, {"key": "ecf-placeholder-claim-key"})
_CREDITOR = CompiledLookup(
    _creditor_query,
    {"case_id": -73_737_373_737, "key": "ecf-placeholder-matrix-key"},
)
_DEBTORS = CompiledQuery(_debtors_query)
_BAR_DATES = {
    governmental: CompiledQuery(partial(_bar_dates_query, governmental=governmental))
    for governmental in (True, False)
}


def event(code: str) -> Event:
    """The catalogue's event `code` (Event.DoesNotExist when there is none)."""
    found = _EVENT.first("plain", code=code)
    if found is None:
        raise Event.DoesNotExist(f"No event {code!r} in the catalogue.")
    return found


def version_by_key(key: str) -> ClaimVersion | None:
    """The claim version a submit with idempotency key `key` filed, with its claim."""
    return _VERSION.first("plain", key=key)


def creditor_by_key(case_id: int, key: str) -> Party | None:
    """The case's current creditor with creditor matrix key `key` (the first one)."""
    return _CREDITOR.first("plain", case_id=case_id, key=key)


def first_debtor(case_id: int) -> Party | None:
    """The case's first debtor (or debtor in possession), by id."""
    return _DEBTORS.first(case_id)


def bar_dates(case_id: int, *, governmental: bool) -> dict[str, dt.date]:
    """The case's claims bar dates in force: deadline kind -> its due date."""
    return {
        d.kind: d.due  # type: ignore[misc]  # due__isnull=False
        for d in _BAR_DATES[governmental].all(case_id)
    }
