"""The release step production runs once before the apps start (docker-compose `release`).

  1. creates the training database if it is missing (same PostgreSQL server and role),
     and the S3 bucket if files are kept in one and it is missing;
  2. migrates both instances' databases;
  3. makes sure the court named by ECF_COURT_ID exists;
  4. syncs the event catalogue and fee schedule from the code into both databases,
     recording every change in the audit log.

Idempotent: a second run on an unchanged release changes nothing and records nothing.
Run it from the live instance's settings (it reaches training through its alias).
"""

import psycopg
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connections
from psycopg import sql

from cases.models import Court
from core.audit import record_event
from dockets.catalogue import sync_catalogue


def _connect_kwargs(db: dict, dbname: str) -> dict:
    kwargs = {
        "dbname": dbname,
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
        "host": db.get("HOST") or None,
        "port": db.get("PORT") or None,
        "connect_timeout": 10,
        "autocommit": True,
    }
    return {k: v for k, v in kwargs.items() if v is not None}


def ensure_database(alias: str) -> bool:
    """Create the database of `alias` if it does not exist; return True if created.

    Connects to the same server as that role.
    """
    db = settings.DATABASES[alias]
    # Any existing database of that server will do to look and create: the live one
    # (the operator created it, the role may reach no other), else `postgres`.
    live = settings.DATABASES["default"]
    same_server = (live.get("HOST"), live.get("PORT")) == (
        db.get("HOST"),
        db.get("PORT"),
    )
    first = live["NAME"] if same_server and live["NAME"] != db["NAME"] else "postgres"
    try:
        conn = psycopg.connect(**_connect_kwargs(db, first))
    except psycopg.OperationalError:
        conn = psycopg.connect(**_connect_kwargs(db, "postgres"))
    with conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]
        ).fetchone()
        if exists:
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
    return True


def ensure_bucket() -> bool:
    """Create the S3 bucket of the file storage if it is missing; True if created."""
    from botocore.exceptions import ClientError
    from django.core.files.storage import default_storage

    if not hasattr(default_storage, "bucket_name") or not hasattr(
        default_storage, "connection"
    ):
        return False  # filesystem storage (S3Storage has both)
    client = default_storage.connection.meta.client
    try:
        client.head_bucket(Bucket=default_storage.bucket_name)
        return False
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") not in ("404", "NoSuchBucket"):
            raise
    client.create_bucket(Bucket=default_storage.bucket_name)
    return True


def ensure_court(using: str) -> bool:
    """Create the court row from ECF_COURT_* if missing; return True if created."""
    court, created = Court.objects.using(using).get_or_create(
        code=settings.ECF_COURT_ID,
        defaults={
            "name": settings.ECF_COURT_NAME,
            "district": settings.ECF_COURT_DISTRICT,
            "time_zone": settings.ECF_COURT_TIME_ZONE,
            "stamp_prefix": settings.ECF_COURT_ID.upper(),
        },
    )
    if created:
        record_event(
            actor=None,
            action="court.create",
            target=court,
            after={"code": court.code, "name": court.name},
            note="Court created by the release step.",
            using=using,
        )
    return created


class Command(BaseCommand):
    help = "Create the training database if missing, migrate both instances, sync the catalogue."

    def handle(self, *args, **options):
        aliases = list(
            settings.DATABASES
        )  # live: default + training; training: default
        for alias in aliases:
            if ensure_database(alias):
                self.stdout.write(
                    f"created database {settings.DATABASES[alias]['NAME']}"
                )
        if ensure_bucket():
            self.stdout.write("created the file storage bucket")
        for alias in aliases:
            call_command("migrate", database=alias, interactive=False, verbosity=0)
            self.stdout.write(f"migrated {alias} ({settings.DATABASES[alias]['NAME']})")
        for alias in aliases:
            created = ensure_court(alias)
            changes = sync_catalogue(using=alias, audit=True)
            self.stdout.write(
                f"{alias}: court {'created' if created else 'present'}; catalogue "
                f"{len(changes['created'])} new, {len(changes['changed'])} changed events"
            )
        for alias in aliases:
            connections[alias].close()
        self.stdout.write(self.style.SUCCESS("release: done"))
