"""Shared helpers for the benchmarks in tests/bench (issue 12).

Every benchmark writes bench/out/<name>.json as a list of figures in one shape,
which bench/report.py turns into bench/results.md:

    {"target": "P5", "name": "...", "figure": x, "unit": "s", "baseline": y,
     "baseline_name": "...", "ratio": r, "target_ratio": t,
     "direction": "max" | "min", "pass": bool, "note": "..."}

`direction` "max" means the ratio must be at most `target_ratio` (a cost), "min"
that it must be at least `target_ratio` (a rate). The figure and its baseline
are always measured in the same run, on the same data.
"""

from __future__ import annotations

import gc
import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path

QUICK = os.environ.get("ECF_BENCH_QUICK") == "1"
OUT_DIR = Path(__file__).resolve().parents[2] / "bench" / "out"


def median_seconds(
    operation: Callable[[], object], *, reps: int = 3, warmup: int = 1
) -> float:
    """Return the median wall time of `reps` runs of `operation` (after `warmup` runs)."""
    for _ in range(warmup):
        operation()
    times = []
    for _ in range(max(reps, 3)):
        gc.collect()
        started = time.perf_counter()
        operation()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def interleaved_medians(
    operations: dict[str, Callable[[], object]], *, reps: int = 3, warmup: int = 1
) -> dict[str, float]:
    """Time several operations in turn (against drift); return the median of each."""
    for _ in range(warmup):
        for operation in operations.values():
            operation()
    runs: dict[str, list[float]] = {name: [] for name in operations}
    for _ in range(max(reps, 3)):
        for name, operation in operations.items():
            gc.collect()
            started = time.perf_counter()
            operation()
            runs[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) for name, values in runs.items()}


def figure(
    *,
    target: str,
    name: str,
    figure: float,
    baseline: float,
    baseline_name: str,
    target_ratio: float,
    direction: str = "max",
    unit: str = "s",
    note: str = "",
    ratio: float | None = None,
    extra_pass: bool = True,
) -> dict:
    """Return one result in the common shape; the ratio is figure / baseline."""
    if ratio is None:
        ratio = figure / baseline if baseline else float("inf")
    ok = ratio <= target_ratio if direction == "max" else ratio >= target_ratio
    return {
        "target": target,
        "name": name,
        "figure": round(figure, 6),
        "unit": unit,
        "baseline": round(baseline, 6),
        "baseline_name": baseline_name,
        "ratio": round(ratio, 4),
        "target_ratio": target_ratio,
        "direction": direction,
        "pass": bool(ok and extra_pass),
        "note": note,
    }


def write(name: str, figures: list[dict], *, series: dict | None = None) -> Path:
    """Write bench/out/<name>.json (figures plus optional plot series) and print it."""
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUT_DIR / f"{name}.json"
    payload = {
        "benchmark": name,
        "quick": QUICK,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "figures": figures,
    }
    if series is not None:
        payload["series"] = series
    path.write_text(json.dumps(payload, indent=2) + "\n")
    for f in figures:
        verdict = "PASS" if f["pass"] else "FAIL"
        sign = "<=" if f["direction"] == "max" else ">="
        print(
            f"{f['target']:4} {f['name']}: {f['figure']:.4g} {f['unit']} vs "
            f"{f['baseline']:.4g} -> {f['ratio']:.3g}x (target {sign} {f['target_ratio']}) {verdict}"
        )
    return path


def rss_mb(pid: int | str = "self") -> float:
    """Return the current resident set size of a process in MB (Linux /proc)."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


# --- realistic docket rows in bulk ----------------------------------------------------

PARTY_NAMES = (
    "Coastal Federal Credit Union",
    "Pacific Gas Supply Co.",
    "Maria L. Gonzalez",
    "Harbor View Apartments LLC",
    "Internal Revenue Service",
    "Franchise Tax Board",
    "Wells Fargo Bank, N.A.",
    "Official Committee of Unsecured Creditors",
    "Sunrise Medical Group",
    "Ad Hoc Group of Wildfire Claimants",
)


def case_for(demo, title: str, *, chapter: str = "11"):
    """Open a plain case in the demo court (no docket entries)."""
    from cases.models import Judge, Office
    from cases.services import create_case

    court = demo.court
    return create_case(
        court=court,
        office=Office.objects.get(court=court, number=3),
        chapter=chapter,
        title=title,
        judge=Judge.objects.get(court=court, initials="LT"),
    )


def bulk_entries(case, count: int, *, batch: int = 5000, events=None) -> None:
    """Append `count` numbered public docket entries to `case` with bulk_create.

    Docket text is composed from real event names of the catalogue (or of `events`
    only) and party names, about as long as real docket text; the case's counters
    move on so the services keep numbering without a gap afterwards.
    """
    import datetime as dt
    import random

    from django.db import transaction
    from django.utils import timezone

    from cases.models import Case
    from dockets.models import DocketEntry, Event, Visibility

    rng = random.Random(case.pk)
    if events is None:
        events = list(Event.objects.filter(numbered=True).only("id", "name")[:200])
    start = timezone.now() - dt.timedelta(days=count // 40 + 1)
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        first_number, first_seq = locked.last_entry_number, locked.last_entry_seq
        rows = []
        for i in range(1, count + 1):
            event = rng.choice(events)
            party = rng.choice(PARTY_NAMES)
            when = start + dt.timedelta(minutes=36 * i)
            text = (
                f"{event.name} Filed by {party}. (Attachments: # 1 Exhibit A # 2 "
                f"Proposed Order) (Lee, Marcus) Entry {first_number + i}"
            )
            rows.append(
                DocketEntry(
                    case_id=case.pk,
                    number=first_number + i,
                    seq=first_seq + i,
                    event_id=event.pk,
                    filed_at=when,
                    entered_at=when,
                    filed_date=when.date(),
                    filer_name="Lee, Marcus",
                    text=text,
                    original_text=text,
                    visibility=Visibility.PUBLIC,
                    qc_status=DocketEntry.QcStatus.REVIEWED,
                )
            )
            if len(rows) >= batch:
                DocketEntry.objects.bulk_create(rows)
                rows = []
        if rows:
            DocketEntry.objects.bulk_create(rows)
        Case.objects.filter(pk=case.pk).update(
            last_entry_number=first_number + count, last_entry_seq=first_seq + count
        )
    # Fresh statistics, as autovacuum would have them on a real server: right after a
    # bulk insert the planner still thinks the table is small and picks poor plans.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_case, dockets_docketentry")


def vacuum_analyze(*tables: str) -> None:
    """VACUUM ANALYZE `tables` of the test database, outside any test's transaction.

    A benchmark runs inside a transaction that is rolled back, so the rows it loaded
    (2,000,000 docket entries for the docket benchmark) stay in the table and its
    indexes as dead rows until autovacuum comes by; the next benchmark's index scans
    would read them (a search of "motion relief" in the 70,000-entry case read 100,000
    dead heap pages: 514 ms instead of ~20 ms). A court's tables are vacuumed by
    autovacuum; the benchmarks start from the same state. Call it from a module-scoped
    fixture, before the test's transaction opens.
    """
    import psycopg
    from django.db import connection

    db = connection.settings_dict
    with psycopg.connect(
        dbname=db["NAME"],
        user=db["USER"],
        password=db["PASSWORD"] or None,
        host=db["HOST"],
        port=db["PORT"] or None,
        autocommit=True,
    ) as conn:
        for table in tables:
            conn.execute(f"VACUUM (ANALYZE) {table}")  # table names are code, not input
