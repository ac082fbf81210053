"""manage.py export_bulk FOLDER: write the public bulk data (as the nightly job does)."""

from pathlib import Path

from django.core.management.base import BaseCommand

from dockets.bulk.export import export_bulk


class Command(BaseCommand):
    help = "Export every public docket, claims register and document digest to FOLDER."

    def add_arguments(self, parser):
        parser.add_argument("folder")

    def handle(self, *args, folder, **options):
        manifest = export_bulk(Path(folder))
        for table, count in manifest["counts"].items():
            self.stdout.write(f"{table}: {count}")
