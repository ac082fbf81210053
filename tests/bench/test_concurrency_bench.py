"""Benchmark P4 (performance.md §6): gap-free docket numbers under concurrent filings.

Run by `make bench` (marked bench, so `make test` skips it); writes
bench/out/concurrency.json in the common shape (see benchkit.py).

N threads file on ONE case through `dockets.services.file_docket_entry` (the case row
lock, the counter, the entry, the audit chain) while N more file on random other
cases. The baseline is the same thread layout doing a raw SQL counter-and-insert
(`UPDATE counter ... RETURNING`, `INSERT`, one transaction each) on scratch tables,
run in the same job. Targets: the service reaches >= 0.5x the raw rate, and every
case ends with numbers exactly 1..n: zero gaps, zero duplicates.

The follow-up work a filing queues (stamping, notices) is switched off here
(ECF_AFTER_FILING = []): this measures numbering and the transaction, not Celery.
"""

from __future__ import annotations

import random
import threading
import time

import pytest
from benchkit import QUICK, figure, write
from django.db import connection, connections, transaction

pytestmark = [pytest.mark.bench, pytest.mark.django_db(transaction=True)]

THREADS = 8 if QUICK else 32  # on the one case; as many again on other cases
PER_THREAD = 5 if QUICK else 20
OTHER_CASES = 10
REPS = 3


def _case(demo, title):
    from cases.models import Judge, Office, Trustee
    from cases.services import create_case

    court = demo.court
    return create_case(
        court=court,
        office=Office.objects.get(court=court, number=3),
        chapter="7",
        title=title,
        judge=Judge.objects.get(court=court, initials="LT"),
        trustee=Trustee.objects.get(court=court, kind=Trustee.Kind.PANEL_7),
    )


def _run_threads(
    work, case_ids_one, case_ids_other
) -> tuple[float, list[BaseException]]:
    """Run THREADS workers on the one case and THREADS on the others; return seconds."""
    errors: list[BaseException] = []
    start = threading.Barrier(2 * THREADS + 1)

    def worker(choose):
        try:
            start.wait()
            rng = random.Random()
            for _ in range(PER_THREAD):
                work(choose(rng))
        except BaseException as error:  # reported by the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=worker, args=(lambda rng: case_ids_one,))
        for _ in range(THREADS)
    ] + [
        threading.Thread(target=worker, args=(lambda rng: rng.choice(case_ids_other),))
        for _ in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    start.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, errors


def _gaps(rows: list[tuple[int, int, int, int]]) -> list[str]:
    """rows: (case id, count, distinct count, max); every case must be 1..n."""
    return [
        f"case {case}: {count} entries, {distinct} distinct numbers, max {top}"
        for case, count, distinct, top in rows
        if not (count == distinct == top)
    ]


def test_concurrent_filings_on_one_case(demo, settings):
    from dockets.models import DocketEntry, Event
    from dockets.services import FilingRequest, file_docket_entry

    settings.ECF_AFTER_FILING = []
    event = Event.objects.get(code="extime")
    filer = demo.users["attorney"]

    service_rates, raw_rates = [], []
    all_cases: list[int] = []
    for round_no in range(REPS):
        one = _case(demo, f"Mega Filing Corp. {round_no}").pk
        others = [
            _case(demo, f"Other Debtor {round_no}-{i}").pk for i in range(OTHER_CASES)
        ]
        all_cases += [one, *others]

        def file_one(case_id):
            from cases.models import Case

            file_docket_entry(
                FilingRequest(
                    case=Case.objects.get(pk=case_id),
                    events=[event],
                    filer=filer,
                    fields={"extend_what": "respond"},
                )
            )

        seconds, errors = _run_threads(file_one, one, others)
        assert not errors, errors[:3]
        service_rates.append(2 * THREADS * PER_THREAD / seconds)

        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TABLE IF NOT EXISTS bench_counter (case_id int PRIMARY KEY, last int NOT NULL);"
                "CREATE TABLE IF NOT EXISTS bench_entry (id bigserial PRIMARY KEY, case_id int NOT NULL,"
                " num int NOT NULL, text text NOT NULL, filed_at timestamptz NOT NULL,"
                " UNIQUE (case_id, num));"
                "TRUNCATE bench_counter, bench_entry;"
            )
            cursor.executemany(
                "INSERT INTO bench_counter VALUES (%s, 0)",
                [(c,) for c in [one, *others]],
            )

        def raw_one(case_id):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE bench_counter SET last = last + 1 WHERE case_id = %s RETURNING last",
                    [case_id],
                )
                (number,) = cursor.fetchone()
                cursor.execute(
                    "INSERT INTO bench_entry (case_id, num, text, filed_at) VALUES (%s, %s, %s, now())",
                    [case_id, number, "Motion to Extend Time to respond"],
                )

        seconds, errors = _run_threads(raw_one, one, others)
        assert not errors, errors[:3]
        raw_rates.append(2 * THREADS * PER_THREAD / seconds)

    import statistics

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT case_id, count(*), count(DISTINCT number), max(number) FROM dockets_docketentry"
            " WHERE case_id = ANY(%s) AND number IS NOT NULL GROUP BY case_id",
            [all_cases],
        )
        gaps = _gaps(cursor.fetchall())
        cursor.execute("DROP TABLE IF EXISTS bench_counter, bench_entry")
    total = DocketEntry.objects.filter(case_id__in=all_cases).count()

    service, raw = statistics.median(service_rates), statistics.median(raw_rates)
    figures = [
        figure(
            target="P4",
            name=f"filings/s, {THREADS} threads on one case + {THREADS} on {OTHER_CASES} others, through the service",
            figure=service,
            unit="filings/s",
            baseline=raw,
            baseline_name="raw SQL counter UPDATE ... RETURNING + INSERT, same threads",
            target_ratio=0.5,
            direction="min",
            note=f"median of {REPS} rounds of {2 * THREADS * PER_THREAD} filings",
        ),
        figure(
            target="P4",
            name="gaps or duplicates in entry numbers after the concurrent filings",
            figure=len(gaps),
            unit="cases",
            baseline=total,
            baseline_name=f"entries filed ({len(all_cases)} cases)",
            ratio=float(len(gaps)),
            target_ratio=0,
            note="; ".join(gaps[:3]) or "every case numbered exactly 1..n",
        ),
    ]
    write("concurrency", figures)
    assert not gaps, gaps
    failed = [f["name"] for f in figures if not f["pass"]]
    assert not failed, f"targets missed: {failed}"
