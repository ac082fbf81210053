"""Build the mega-case benchmark data set through bulk paths, and report its own speed.

    manage.py bench_data                # 2,000,000 entries, 70,000-entry mega case,
                                        # 500,000 claims, 1,000,000 notice parties
    manage.py bench_data --quick        # 20,000 / 5,000 / 20,000 / 50,000
    manage.py bench_data --json bench/out/bench_data.json

It orchestrates the two loaders other benchmarks use and adds the notice list:

1. `generate_bench_data` COPYs the docket entries (a court of `--cases` cases, one
   mega case of `--mega` entries inside a table of `--entries`), timed against a
   raw COPY of the same rows;
2. `dockets.claims.bulk.load_claims` (what `load_claims` runs) COPYs `--claims`
   claims into the mega case in chunks of 100,000, each timed against a raw COPY;
3. this command COPYs `--parties` notice parties (cases.Party creditors from the
   matrix, with realistic names and San Diego-area addresses) into the mega case,
   timed against a raw COPY of the same rows into an unindexed scratch table.

Each loader's ratio to its raw COPY is reported (target at most 10x, the issue's
bar), in the common bench shape (see tests/bench/benchkit.py) when --json is given.

Never run it against a court's database: it writes thousands of fake cases. `make
bench` runs it inside bench/load.py's throw-away database.
"""

from __future__ import annotations

import io
import json
import random
import time
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from cases.models import Party

TARGET_RATIO = 10.0
CLAIM_CHUNK = 100_000
FULL = {
    "entries": 2_000_000,
    "mega": 70_000,
    "cases": 3_000,
    "claims": 500_000,
    "parties": 1_000_000,
}
QUICK = {
    "entries": 20_000,
    "mega": 5_000,
    "cases": 60,
    "claims": 20_000,
    "parties": 50_000,
}

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
    "Hiroshi",
    "Fatima",
    "Miguel",
    "Olga",
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
    "Haddad",
    "Park",
    "Murphy",
    "Ivanova",
]
FIRMS = [
    "Coastal Federal Credit Union",
    "Ally Financial",
    "Capital One Bank (USA), N.A.",
    "Franchise Tax Board",
    "Wells Fargo Bank, N.A.",
    "Sharp Memorial Hospital",
    "Toyota Motor Credit Corporation",
    "San Diego Gas & Electric",
    "Pacific Supply Co.",
    "Harbor View Apartments LLC",
]
STREETS = [
    "Ocean View Blvd",
    "Frost Street",
    "El Cajon Blvd",
    "Harbor Drive",
    "Mission Gorge Rd",
    "University Ave",
    "Rosecrans St",
    "Garnet Ave",
    "Balboa Ave",
    "Imperial Ave",
]
CITIES = [
    ("San Diego", "92101"),
    ("Chula Vista", "91910"),
    ("Oceanside", "92054"),
    ("Escondido", "92025"),
    ("El Cajon", "92020"),
    ("Carlsbad", "92008"),
    ("National City", "91950"),
    ("La Mesa", "91941"),
]


class Command(BaseCommand):
    help = "Build the mega-case benchmark data (entries, claims, notice parties) with COPY and report ratios."

    def add_arguments(self, parser):
        parser.add_argument(
            "--quick", action="store_true", help="small sizes for a quick look"
        )
        for name in FULL:
            parser.add_argument(
                f"--{name}",
                type=int,
                help=f"default {FULL[name]:,} ({QUICK[name]:,} with --quick)",
            )
        parser.add_argument(
            "--json", type=Path, help="write the figures here (common bench shape)"
        )

    def handle(self, *args, **options):
        sizes = dict(QUICK if options["quick"] else FULL)
        sizes.update({k: options[k] for k in FULL if options.get(k) is not None})
        if any(v < 1 for v in sizes.values()):
            raise CommandError("Every size must be at least 1.")

        out = io.StringIO()
        call_command(
            "generate_bench_data",
            entries=sizes["entries"],
            mega=sizes["mega"],
            cases=sizes["cases"],
            measure_baseline=True,
            json=True,
            stdout=out,
        )
        docket = json.loads(out.getvalue().strip().splitlines()[-1])
        mega_id = docket["mega_case_id"]
        self.stdout.write(
            f"docket entries: {docket['entries']:,} in {docket['cases']:,} cases (mega case id {mega_id}, "
            f"{sizes['mega']:,} entries): {docket['seconds']:.1f} s, raw COPY {docket['baseline_seconds']:.1f} s, "
            f"ratio {docket['ratio']}x"
        )

        claims_s, claims_base = self._claims(mega_id, sizes["claims"])
        self.stdout.write(
            f"claims: {sizes['claims']:,} in case {mega_id}: {claims_s:.1f} s, raw COPY {claims_base:.1f} s, "
            f"ratio {claims_s / claims_base:.1f}x"
        )
        parties_s, parties_base = self._parties(mega_id, sizes["parties"])
        self.stdout.write(
            f"notice parties: {sizes['parties']:,} in case {mega_id}: {parties_s:.1f} s, raw COPY "
            f"{parties_base:.1f} s, ratio {parties_s / parties_base:.1f}x"
        )

        figures = [
            _figure(
                f"data generator: {docket['entries']:,} docket entries (mega case {sizes['mega']:,})",
                docket["seconds"],
                docket["baseline_seconds"],
            ),
            _figure(
                f"data generator: {sizes['claims']:,} claims in one case",
                claims_s,
                claims_base,
            ),
            _figure(
                f"data generator: {sizes['parties']:,} notice parties in one case",
                parties_s,
                parties_base,
            ),
        ]
        if options["json"]:
            options["json"].parent.mkdir(parents=True, exist_ok=True)
            options["json"].write_text(
                json.dumps(
                    {
                        "benchmark": "bench_data",
                        "quick": options["quick"],
                        "sizes": sizes,
                        "mega_case_id": mega_id,
                        "case_ids_by_size": docket.get("case_ids_by_size", {}),
                        "figures": figures,
                    },
                    indent=2,
                )
                + "\n"
            )

    def _claims(self, case_id: int, count: int) -> tuple[float, float]:
        from dockets.claims.bulk import load_claims

        seconds = baseline = 0.0
        left = count
        while left:
            step = min(left, CLAIM_CHUNK)
            # Statistics once, after the last chunk (as one big load would).
            result = load_claims(
                case_id=case_id,
                count=step,
                measure_baseline=True,
                analyze=left == step,
            )
            seconds += result.seconds
            assert result.baseline_seconds is not None  # noqa: S101 (measure_baseline=True)
            baseline += result.baseline_seconds
            left -= step
        return seconds, baseline

    def _parties(self, case_id: int, count: int) -> tuple[float, float]:
        """COPY `count` matrix creditors into the case; time it against a raw COPY."""
        fields = [f for f in Party._meta.concrete_fields if not f.primary_key]
        columns = [f.column for f in fields]
        now = timezone.now()
        defaults = {f.attname: f.get_default() for f in fields}

        def rows():
            rng = random.Random(count)  # noqa: S311 (synthetic bench data)
            for i in range(count):
                entity = i % 3 == 0
                if entity:
                    name = (
                        f"{rng.choice(FIRMS)}"
                        if i % 30
                        else f"{rng.choice(LAST)} Holdings {i} LLC"
                    )
                else:
                    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
                city, zip_code = rng.choice(CITIES)
                street = f"{rng.randint(100, 9999)} {rng.choice(STREETS)}"
                values = {
                    **defaults,
                    "created_at": now,
                    "updated_at": now,
                    "case_id": case_id,
                    "role": Party.Role.CREDITOR,
                    "name": name,
                    "is_entity": entity,
                    "address_lines": [street]
                    if i % 4
                    else ["Attn: Bankruptcy Dept.", street],
                    "city": city,
                    "state": "CA",
                    "zip_code": zip_code,
                    "from_matrix": True,
                    "matrix_key": f"{name}|{street}|{zip_code}".upper()[:300],
                }
                yield [values[f.attname] for f in fields]

        def copy_into(table: str) -> float:
            started = time.perf_counter()
            with (
                connection.cursor() as cursor,
                cursor.cursor.copy(
                    f"COPY {table} ({', '.join(columns)}) FROM STDIN"
                ) as copy,
            ):
                for row in rows():
                    copy.write_row(row)
            return time.perf_counter() - started

        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(
                    f"CREATE TEMP TABLE bench_raw_parties (LIKE {Party._meta.db_table} "
                    "INCLUDING DEFAULTS INCLUDING IDENTITY) ON COMMIT DROP"
                )
            baseline = copy_into("bench_raw_parties")
        with transaction.atomic():
            seconds = copy_into(Party._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Party._meta.db_table}")
        return seconds, baseline


def _figure(name: str, seconds: float, baseline: float) -> dict:
    ratio = seconds / baseline if baseline else float("inf")
    return {
        "target": "P9",
        "name": name,
        "figure": round(seconds, 3),
        "unit": "s",
        "baseline": round(baseline, 3),
        "baseline_name": "raw COPY of the same rows into an unindexed scratch table",
        "ratio": round(ratio, 3),
        "target_ratio": TARGET_RATIO,
        "direction": "max",
        "pass": ratio <= TARGET_RATIO,
        "note": "bulk load through the real table's indexes and triggers",
    }
