"""manage.py seed_practice --user-email E: practice cases for one trainee (training instance).

Run with ECF_INSTANCE=training; it writes only to that instance's own database.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from filers.models import User
from training.seeding import create_practice_cases


class Command(BaseCommand):
    help = "Give a practice account its own practice cases (chapter 7 and 13)."

    def add_arguments(self, parser):
        parser.add_argument("--user-email", required=True)

    def handle(self, *args, user_email, **options):
        if not settings.ECF_IS_TRAINING:
            raise CommandError("Run seed_practice with ECF_INSTANCE=training.")
        trainee = User.objects.filter(email__iexact=user_email).first()
        if trainee is None:
            raise CommandError(f"No practice account for {user_email} on training.")
        cases = create_practice_cases(trainee=trainee, using="default")
        self.stdout.write(f"{len(cases)} practice case(s) created for {trainee.email}.")
