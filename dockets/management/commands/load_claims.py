"""Load N synthetic claims into one case with COPY, and report the ratio to a raw COPY.

    manage.py load_claims --case 12 --count 100000

For benchmarks and mega-case drills only (never run by `make test`).
"""

from django.core.management.base import BaseCommand, CommandError

from cases.models import Case
from dockets.claims.bulk import load_claims


class Command(BaseCommand):
    help = "Bulk-load synthetic claims into a case (COPY) and compare with a raw COPY of the same rows."

    def add_arguments(self, parser):
        parser.add_argument("--case", type=int, required=True, help="Case id")
        parser.add_argument(
            "--count", type=int, required=True, help="How many claims to add"
        )
        parser.add_argument(
            "--no-baseline", action="store_true", help="Skip the raw COPY comparison"
        )

    def handle(self, *args, case, count, no_baseline, **options):
        if count < 1:
            raise CommandError("--count must be at least 1.")
        if not Case.objects.filter(pk=case).exists():
            raise CommandError(f"No case with id {case}.")
        result = load_claims(
            case_id=case, count=count, measure_baseline=not no_baseline
        )
        line = (
            f"Loaded {result.count} claims ({result.first_number}-{result.last_number}) into case {case} "
            f"in {result.seconds:.2f} s"
        )
        if result.ratio is not None:
            line += f"; raw COPY of the same rows {result.baseline_seconds:.2f} s; ratio {result.ratio:.1f}x"
        self.stdout.write(line)
