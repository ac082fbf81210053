"""Bulk-load synthetic claims into one case with PostgreSQL COPY (benchmarks, mega-case drills).

Numbers come from Case.last_claim_number under the case lock, as for one claim, so a
bulk load and live filings never collide. Claims go in with psycopg's `cursor.copy()`;
their first versions and "Claim #N filed" history rows are derived in SQL
(INSERT ... SELECT), and the case's ClaimTotals row moves on by the sums of the new
claims, added up while their rows are written (no aggregate over the case).
Synthetic claims carry no documents and are not docketed.

`measure_baseline` also COPYs the same rows into a scratch table with no indexes (a
temporary table dropped at commit), so the load's cost can be read as a ratio.
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from core import clock
from core.audit import record_event
from dockets.services import lock_case
from filers.models import User

from .services import _adjust_totals

COLUMNS = (
    "created_at", "updated_at", "case_id", "number", "version", "creditor_name", "creditor_address",
    "creditor_email", "creditor_phone", "payment_name", "payment_address", "governmental", "amount_cents",
    "secured_cents", "priority_cents", "priority_basis", "unsecured_cents", "admin_cents", "basis",
    "account_last4", "interest_fees", "status", "holder_name", "holder_address", "late", "wrong_case",
    "description", "remarks", "epoc", "filed_at", "entered_at", "filed_date",
)  # fmt: skip
BASES = (
    "Credit card",
    "Money loaned",
    "Goods sold",
    "Services performed",
    "Personal injury",
    "Wages",
)
# Rows per write to the COPY stream: large enough to amortise the call, small enough
# to keep memory flat.
CHUNK_ROWS = 5000


@dataclass
class LoadResult:
    case_id: int
    count: int
    first_number: int
    last_number: int
    seconds: float
    baseline_seconds: float | None

    @property
    def ratio(self) -> float | None:
        if not self.baseline_seconds:
            return None
        return self.seconds / self.baseline_seconds


def _rows(
    case_id: int,
    first: int,
    count: int,
    now_text: str,
    today_text: str,
    sums: dict[str, int] | None = None,
):
    """Yield COPY text chunks of `count` claims numbered from `first`.

    `sums`, if given, is filled with the totals of the claims yielded (as
    ClaimTotals counts them: every synthetic claim is filed, in its case).
    """
    totals = dict.fromkeys(
        ("count", "amount_cents", "secured_cents", "priority_cents", "unsecured_cents"),
        0,
    )
    buffer = io.StringIO()
    for i in range(count):
        number = first + i
        unsecured = 10_000 + (number * 7919) % 5_000_000
        secured = (number * 104_729) % 20_000_000 if number % 5 == 0 else 0
        priority = (number * 31) % 300_000 if number % 7 == 0 else 0
        amount = unsecured + secured + priority
        basis = BASES[number % len(BASES)]
        totals["count"] += 1
        totals["amount_cents"] += amount
        totals["secured_cents"] += secured
        totals["priority_cents"] += priority
        totals["unsecured_cents"] += unsecured
        buffer.write(
            "\t".join(
                (
                    now_text, now_text, str(case_id), str(number), "1", f"Creditor {number:06d} LLC",
                    f"{100 + number % 900} Main Street\\nSan Diego, CA 92101", "", "", "", "", "f", str(amount),
                    str(secured), str(priority), "11 U.S.C. 507(a)(4) Wages, salaries, or commissions" if priority else "",
                    str(unsecured), "0", basis, f"{number % 10000:04d}", "f", "filed", "", "", "f", "f", basis, "",
                    "t", now_text, now_text, today_text,
                )
            )
        )  # fmt: skip
        buffer.write("\n")
        if (i + 1) % CHUNK_ROWS == 0:
            yield buffer.getvalue()
            buffer = io.StringIO()
    rest = buffer.getvalue()
    if rest:
        yield rest
    if sums is not None:
        sums.update(totals)


def _copy(
    table: str,
    case_id: int,
    first: int,
    count: int,
    now_text: str,
    today_text: str,
    sums: dict[str, int] | None = None,
) -> None:
    sql = f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN"
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor
        with raw.copy(sql) as copy:
            for chunk in _rows(case_id, first, count, now_text, today_text, sums):
                copy.write(chunk)


_MONEY_SQL = (
    "CASE WHEN c.amount_cents %% 100 = 0 "
    "THEN to_char(c.amount_cents / 100, 'FM999,999,999,999,990') "
    "ELSE to_char(c.amount_cents / 100.0, 'FM999,999,999,990.00') END"
)


def load_claims(
    *,
    case_id: int,
    count: int,
    measure_baseline: bool = False,
    actor: User | None = None,
    analyze: bool = True,
) -> LoadResult:
    """Add `count` synthetic claims to the case; return the numbers used and the timings.

    `analyze=False` leaves the table's statistics for the caller to refresh once,
    after the last of several loads in a row.
    """
    if count < 1:
        raise ValueError("count must be at least 1")
    now = timezone.now()
    now_text = now.isoformat()
    today_text = clock.local_date(now).isoformat()
    baseline = None
    if measure_baseline:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(
                    "CREATE TEMP TABLE claims_copy_baseline "
                    "(LIKE dockets_claim INCLUDING DEFAULTS INCLUDING IDENTITY) ON COMMIT DROP"
                )
            started = time.perf_counter()
            _copy("claims_copy_baseline", case_id, 1, count, now_text, today_text)
            baseline = time.perf_counter() - started
    started = time.perf_counter()
    with transaction.atomic():
        case = lock_case(case_id)
        first = case.last_claim_number + 1
        case.last_claim_number += count
        case.save(update_fields=["last_claim_number", "updated_at"])
        sums: dict[str, int] = {}
        _copy("dockets_claim", case_id, first, count, now_text, today_text, sums)
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO dockets_claimversion (claim_id, version, filed_at, entered_at, filed_date, "
                "creditor_name, amount_cents, secured_cents, priority_cents, unsecured_cents, admin_cents, "
                "data, epoc, late) "
                "SELECT c.id, 1, c.filed_at, c.entered_at, c.filed_date, c.creditor_name, c.amount_cents, "
                "c.secured_cents, c.priority_cents, c.unsecured_cents, c.admin_cents, '{}'::jsonb, c.epoc, c.late "
                "FROM dockets_claim c WHERE c.case_id = %s AND c.number BETWEEN %s AND %s",
                [case_id, first, first + count - 1],
            )
            cursor.execute(
                # _MONEY_SQL is a constant expression; the values are parameters.
                "INSERT INTO dockets_claimactivity (claim_id, kind, label, date, text, created_at) "  # noqa: S608
                "SELECT c.id, 'filed', c.number || '-1', c.filed_date, "
                "'Claim #' || c.number || ' filed by ' || c.creditor_name || ', Amount claimed: $' || "
                f"{_MONEY_SQL}, c.created_at "
                "FROM dockets_claim c WHERE c.case_id = %s AND c.number BETWEEN %s AND %s",
                [case_id, first, first + count - 1],
            )
        # The same running totals a single claim moves (services._adjust_totals).
        _adjust_totals(case_id, None, sums)
        record_event(
            actor=actor,
            action="dockets.claims.bulk_loaded",
            target=case,
            case_id=case_id,
            after={"count": count, "first": first, "last": first + count - 1},
        )
    # PostgreSQL's advice after a bulk load: fresh statistics, so the planner keeps using
    # the (case, number) index for keyset pages instead of guessing from stale counts.
    if analyze:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE dockets_claim")
    seconds = time.perf_counter() - started
    return LoadResult(
        case_id=case_id,
        count=count,
        first_number=first,
        last_number=first + count - 1,
        seconds=seconds,
        baseline_seconds=baseline,
    )
