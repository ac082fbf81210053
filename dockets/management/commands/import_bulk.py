"""manage.py import_bulk FOLDER: load a bulk export into an empty database."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.errors import UserFacingError
from dockets.bulk.importer import import_bulk


class Command(BaseCommand):
    help = "Load a bulk export (manage.py export_bulk / the nightly job) into an empty database."

    def add_arguments(self, parser):
        parser.add_argument("folder")

    def handle(self, *args, folder, **options):
        try:
            counts = import_bulk(Path(folder))
        except UserFacingError as exc:
            raise CommandError(str(exc)) from exc
        for table, count in counts.items():
            self.stdout.write(f"{table}: {count}")
