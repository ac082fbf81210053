"""Fill the docket table with realistic entries for the P5/P6/P8 benchmarks.

`generate_bench_data --entries 2000000 --mega 70000 --cases 3000` makes benchmark
cases (year 2001 onwards, titled "BENCH ...", so they never collide with real
numbers) with one mega case of `--mega` entries, one case each of 10, 100, 1,000 and
10,000 entries (those that fit) for the size plot, and spreads the rest over the other
cases. Rows go in with COPY (psycopg cursor.copy), through the table's triggers and
indexes, as a real bulk load would. With `--measure-baseline` the same rows are also
COPYed into an unindexed, trigger-free scratch table and the ratio is reported.

Never run it against a court's live database: it writes thousands of fake cases.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from cases.models import Case, Court, Judge, Office, Trustee
from core import clock
from dockets.models import DocketEntry, Event

SIZES = (10, 100, 1_000, 10_000)
BENCH_YEAR = 2001
PER_YEAR = 90_000

COLUMNS = (
    "created_at",
    "updated_at",
    "case_id",
    "number",
    "seq",
    "event_id",
    "filed_at",
    "entered_at",
    "filed_date",
    "filer_name",
    "text",
    "original_text",
    "visibility",
    "entered_in_error",
    "stricken",
    "fee_cents",
    "fee_status",
    "fields",
    "findings",
    "qc_status",
)

FIRST = [
    "Maria",
    "James",
    "Robert",
    "Linda",
    "Wei",
    "Priya",
    "Carlos",
    "Aisha",
    "Thomas",
    "Sofia",
    "Daniel",
    "Grace",
]
LAST = [
    "Gonzalez",
    "Whitfield",
    "Nguyen",
    "Patel",
    "Okafor",
    "Kowalski",
    "Johnson",
    "Silva",
    "Chen",
    "Rivera",
]
FIRMS = [
    "Coastal Federal Credit Union",
    "Ally Financial",
    "Capital One Bank (USA), N.A.",
    "Franchise Tax Board",
    "Wells Fargo Bank, N.A.",
    "Internal Revenue Service",
    "Sharp Memorial Hospital",
    "Toyota Motor Credit",
]
PHRASES = [
    "Motion for Relief from Stay, Real Property located at {n} Ocean View Blvd",
    "Objection to Claim No. {n} of {firm}",
    "Notice of Hearing on Motion to Dismiss Case; hearing scheduled for {d} at 10:00 AM",
    "Certificate of Service of the order confirming plan",
    "Order Granting Motion to Extend Time to file schedules",
    "Chapter 13 Plan; first amended; monthly payment ${n}",
    "Declaration of {first} {last} in support of motion to avoid lien",
    "Application for Compensation for {first} {last}, Debtor's Attorney, Fee: ${n}",
    "Notice of Change of Address of {firm}",
    "Stipulation between the trustee and {firm} regarding turnover of property",
    "Transcript of hearing held on {d}",
    "Order Discharging Debtor; BNC certificate of notice",
    "Reaffirmation Agreement between debtor and {firm}",
    "Response to Motion for Relief from Stay filed by {firm}",
]


def _text(rng: random.Random, day: dt.date) -> tuple[str, str]:
    first, last, firm = rng.choice(FIRST), rng.choice(LAST), rng.choice(FIRMS)
    phrase = rng.choice(PHRASES).format(
        n=rng.randint(2, 9999),
        firm=firm,
        d=day.strftime("%m/%d/%Y"),
        first=first,
        last=last,
    )
    filer = f"{last}, {first}"
    return f"{phrase}. Filed by {first} {last} on behalf of {firm}. ({filer})", filer


class Command(BaseCommand):
    help = "Bulk-load benchmark docket entries with COPY (performance.md P5, P6, P8)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--entries", type=int, default=200_000, help="Total entries to add"
        )
        parser.add_argument(
            "--mega", type=int, default=20_000, help="Entries of the mega case"
        )
        parser.add_argument(
            "--cases", type=int, default=300, help="Number of benchmark cases"
        )
        parser.add_argument("--seed", type=int, default=11)
        parser.add_argument(
            "--measure-baseline",
            action="store_true",
            help="Also time a raw COPY of the rows",
        )
        parser.add_argument(
            "--json", action="store_true", help="Print the result as JSON"
        )

    def handle(self, *args, **options):
        total, mega, ncases = options["entries"], options["mega"], options["cases"]
        if total < 1 or mega < 1 or ncases < 2:
            raise CommandError(
                "--entries and --mega must be positive and --cases at least 2."
            )
        if mega > total:
            raise CommandError("--mega cannot be larger than --entries.")
        court = Court.objects.order_by("id").first()
        event = (
            Event.objects.filter(code="msj").first()
            or Event.objects.order_by("id").first()
        )
        if court is None or event is None:
            raise CommandError("Load the court and events first (seed_demo).")
        sizes = self._sizes(total, mega, ncases)
        cases = self._cases(court, sizes)
        rng = random.Random(options["seed"])  # noqa: S311 (synthetic bench data, seeded)
        rows_sql = self._rows(cases, event.pk, rng)

        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            copy_sql = f"COPY dockets_docketentry ({', '.join(COLUMNS)}) FROM STDIN"
            with cursor.cursor.copy(copy_sql) as copy:
                for row in rows_sql():
                    copy.write_row(row)
            for case, size in cases:
                Case.objects.filter(pk=case.pk).update(
                    last_entry_seq=size, last_entry_number=size
                )
        seconds = time.perf_counter() - started
        with connection.cursor() as cursor:
            # Statistics for every table loaded here, the cases as well as their
            # entries: a search's hits join entries to their cases, and a case table
            # the planner still believes empty (a rolled-back load, analyzed while
            # it held only dead rows) becomes the outer side of that join: 3,000
            # probes of the entries' case index for 20 hits (0.78 s instead of 1 ms).
            cursor.execute(
                f"ANALYZE {Case._meta.db_table}, {DocketEntry._meta.db_table}"
            )

        result = {
            "entries": sum(sizes),
            "cases": len(cases),
            "mega_case_id": cases[0][0].pk,
            "seconds": round(seconds, 3),
            "rows_per_second": round(sum(sizes) / seconds),
            "case_ids_by_size": {
                str(size): case.pk for case, size in cases[: len(SIZES) + 1]
            },
        }
        if options["measure_baseline"]:
            base = self._baseline(rows_sql)
            result["baseline_seconds"] = round(base, 3)
            result["ratio"] = round(seconds / base, 2) if base else None
        self.result = result
        if options["json"]:
            self.stdout.write(json.dumps(result))
        else:
            line = f"{result['entries']} entries in {result['cases']} cases: {seconds:.1f} s"
            if "ratio" in result:
                line += f" ({result['ratio']}x a raw COPY of the same rows, {result['baseline_seconds']} s)"
            self.stdout.write(line)

    def _sizes(self, total: int, mega: int, ncases: int) -> list[int]:
        sizes = [mega]
        left = total - mega
        for size in SIZES:
            if size < mega and size <= left and len(sizes) < ncases:
                sizes.append(size)
                left -= size
        rest = ncases - len(sizes)
        if rest > 0 and left > 0:
            each, extra = divmod(left, rest)
            sizes += [each + (1 if i < extra else 0) for i in range(rest)]
        elif left > 0:
            sizes[0] += left
        return [s for s in sizes if s > 0]

    def _cases(self, court: Court, sizes: list[int]) -> list[tuple[Case, int]]:
        office = Office.objects.filter(court=court).order_by("number").first()
        judge = Judge.objects.filter(court=court).order_by("id").first()
        trustee = Trustee.objects.filter(court=court, kind=Trustee.Kind.PANEL_7).first()
        used = Case.objects.filter(court=court, title__startswith="BENCH ").count()
        objs = []
        for i, _size in enumerate(sizes):
            n = used + i
            objs.append(
                Case(
                    court=court,
                    office=office,
                    year=BENCH_YEAR + n // PER_YEAR,
                    case_type="bk",
                    number=n % PER_YEAR + 1,
                    title=f"BENCH {FIRST[n % len(FIRST)]} {LAST[n % len(LAST)]} {n}",
                    chapter="7",
                    judge=judge,
                    trustee=trustee,
                    date_filed=dt.date(BENCH_YEAR + n // PER_YEAR, 1, 2),
                )
            )
        created = Case.objects.bulk_create(objs, batch_size=1000)
        return list(zip(created, sizes, strict=True))

    def _rows(self, cases, event_id: int, rng: random.Random):
        now = timezone.now()
        state = rng.getstate()

        def generate():
            rng.setstate(state)  # the same rows every time (for the baseline)
            for case, size in cases:
                start = now - dt.timedelta(days=3 * 365)
                step = dt.timedelta(seconds=max(1, int(3 * 365 * 86400 / max(size, 1))))
                for seq in range(1, size + 1):
                    when = start + step * seq
                    day = clock.local_date(when)
                    text, filer = _text(rng, day)
                    yield (
                        now,
                        now,
                        case.pk,
                        seq,
                        seq,
                        event_id,
                        when,
                        when,
                        day,
                        filer,
                        text,
                        text,
                        "public",
                        False,
                        False,
                        0,
                        "",
                        "{}",
                        "[]",
                        "reviewed",
                    )

        return generate

    def _baseline(self, rows_sql) -> float:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMP TABLE bench_raw_entries (LIKE dockets_docketentry INCLUDING DEFAULTS INCLUDING IDENTITY) ON COMMIT DROP"
            )
            started = time.perf_counter()
            with cursor.cursor.copy(
                f"COPY bench_raw_entries ({', '.join(COLUMNS)}) FROM STDIN"
            ) as copy:
                for row in rows_sql():
                    copy.write_row(row)
            return time.perf_counter() - started
