"""Re-encrypt every encrypted field with the first ECF_FIELD_ENCRYPTION_KEY.

Run after putting a new key first in ECF_FIELD_ENCRYPTION_KEY (keep the old ones after
it until this has run): values made with an older key, or with the key once derived
from DJANGO_SECRET_KEY, are re-encrypted; the values themselves do not change. The
fields are listed in ECF_ENCRYPTED_FIELDS ("app_label.Model.field").
"""

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.crypto import configured_keys, rotate


class Command(BaseCommand):
    help = "Re-encrypt encrypted fields with the first ECF_FIELD_ENCRYPTION_KEY."

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default")
        parser.add_argument("--batch", type=int, default=500)

    def handle(self, *args, database: str, batch: int, **options):
        if not configured_keys():
            raise CommandError(
                "Set ECF_FIELD_ENCRYPTION_KEY first: the new key first, older keys after."
            )
        total = 0
        for path in settings.ECF_ENCRYPTED_FIELDS:
            label, _, field = path.rpartition(".")
            model = apps.get_model(label)
            qs = model.objects.using(database).exclude(**{field: ""}).order_by("pk")
            done, last = 0, None
            while True:
                page = qs.filter(pk__gt=last) if last is not None else qs
                rows = list(page.values_list("pk", field)[:batch])
                if not rows:
                    break
                with transaction.atomic(using=database):
                    for pk, token in rows:
                        model.objects.using(database).filter(pk=pk).update(
                            **{field: rotate(token)}
                        )
                done += len(rows)
                last = rows[-1][0]
            total += done
            self.stdout.write(f"{path}: {done} values re-encrypted")
        self.stdout.write(f"Done: {total} values use the first key now.")
