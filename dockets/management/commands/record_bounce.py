"""Take in a bounced NEF by hand: `manage.py record_bounce name@example.com`.

There is no real mail server here, so bounces arrive through this command (or,
in production, from the mail provider's webhook calling the same service).
"""

from django.core.management.base import BaseCommand, CommandError

from core.errors import UserFacingError
from dockets.pipeline.services import record_bounce


class Command(BaseCommand):
    help = "Mark the latest notice sent to an e-mail address as bounced and flag the filer account."

    def add_arguments(self, parser):
        parser.add_argument(
            "email", help="The address the mail server returned the notice from"
        )
        parser.add_argument(
            "--reason", default="", help="The mail server's reason, if known"
        )

    def handle(self, *args, email: str, reason: str, **options):
        try:
            marked = record_bounce(email=email, reason=reason)
        except UserFacingError as exc:
            raise CommandError(exc.message) from exc
        if marked:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Marked the latest notice to {email} as bounced; the account is flagged."
                )
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"No notice was sent to {email} yet; the filer account is flagged."
                )
            )
