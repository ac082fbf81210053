"""manage.py reset_training: empty the training database and load its seed again (live)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from training.models import TrainingReset
from training.services import reset_training_database


class Command(BaseCommand):
    help = (
        "Reset the training database to its seed now: court, events, every trainee's "
        "practice account and cases. Run it on the live instance; progress is kept."
    )

    def handle(self, *args, **options):
        if settings.ECF_IS_TRAINING:
            raise CommandError(
                "Run reset_training with the live settings (it uses the 'training' alias)."
            )
        reset = TrainingReset.objects.create(trigger=TrainingReset.Trigger.COMMAND)
        reset = reset_training_database(reset=reset)
        self.stdout.write(
            self.style.SUCCESS(
                f"Training database reset: {reset.accounts} practice accounts recreated."
            )
        )
