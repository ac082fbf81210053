"""Create the court's first clerk (or another one): a certified clerk account.

    manage.py createclerk --email clerk@court.gov --name "Alma Morales"
    (asks for the password twice; or --password-stdin reads one line from standard input)

The account has no second factor yet: on first login ECF sends the clerk to set up an
authenticator app before any page of the clerk's office opens (filers.adapters).
"""

import getpass
import sys

from allauth.account.models import EmailAddress
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from core.audit import record_event
from filers.models import Filer, Role, User


class Command(BaseCommand):
    help = "Create a clerk account (two-factor set-up is required on first login)."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", required=True, help="The clerk's full name.")
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="Read the password from standard input instead of asking.",
        )

    def handle(self, *args, email: str, name: str, password_stdin: bool, **options):
        email = email.strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise CommandError(
                f"An account for {email} already exists; nothing changed."
            )
        if password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The passwords differ; nothing changed.")
        user = User(email=email, full_name=name.strip())
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        now = timezone.now()
        with transaction.atomic():
            user = User.objects.create_user(
                email=email, password=password, full_name=name.strip(), is_staff=True
            )
            EmailAddress.objects.create(
                user=user, email=email, verified=True, primary=True
            )
            Filer.objects.create(
                user=user,
                role=Role.CLERK,
                status=Filer.Status.CERTIFIED,
                agreement_accepted_at=now,
                certified_at=now,
                status_changed_at=now,
            )
            record_event(
                actor=None,
                action="filer.create_clerk",
                target=user,
                after={"email": email, "role": Role.CLERK},
                note="Clerk account created with manage.py createclerk.",
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Clerk {email} created. On first login ECF asks them to set up "
                "two-factor authentication before any clerk page opens."
            )
        )
