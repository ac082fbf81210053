"""Check that nothing recorded was changed: the audit chains and every stored document.

Exit code 0 when everything matches, 1 on any problem; always ends with a summary line.
"""

import sys

from django.core.management.base import BaseCommand

from core.audit import verify_chain
from core.models import AuditChain, AuditEvent
from dockets.integrity import verify_documents


class Command(BaseCommand):
    help = "Verify the hash-chained audit log and every document against its SHA-512 digest."

    def add_arguments(self, parser):
        parser.add_argument(
            "--database", default="default", help="Database alias to check."
        )

    def handle(self, *args, **options):
        using = options["database"]
        problems = list(verify_chain(using=using))
        events = AuditEvent.objects.using(using).count()
        chains = AuditChain.objects.using(using).count()
        counts = {"original": 0, "stamped": 0}
        for kind, problem in verify_documents(using=using):
            counts[kind] += 1
            if problem:
                problems.append(problem)
        for problem in problems:
            self.stderr.write(problem)
        summary = (
            f"verify_records: {events} audit events in {chains} chains, "
            f"{counts['original']} original documents, {counts['stamped']} stamped copies checked; "
            f"{len(problems)} problem{'s' if len(problems) != 1 else ''}."
        )
        if problems:
            self.stdout.write(self.style.ERROR(summary))
            sys.exit(1)
        self.stdout.write(self.style.SUCCESS(summary))
