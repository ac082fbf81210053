"""Print the current two-factor code of a demo user (development only)."""

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Print the current authenticator code for EMAIL (development and demo only)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email: str, **options):
        if not settings.DEBUG and not getattr(settings, "ECF_DEMO", False):
            raise CommandError(
                "otp is for development only (DJANGO_DEBUG or ECF_DEMO must be on)."
            )
        auth = Authenticator.objects.filter(
            user__email__iexact=email, type=Authenticator.Type.TOTP
        ).first()
        if auth is None:
            raise CommandError(f"{email} has no authenticator app set up.")
        secret = decrypt(auth.data["secret"])
        counters = list(yield_hotp_counters_from_time())
        code = format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))
        self.stdout.write(code)
