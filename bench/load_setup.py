"""The load run's setup: its own database (from a seeded template), the environment
of its gunicorn and Celery, and the Django side run in a child process
(`load.py --prepare` builds the cases, sessions and tokens; `--check` reads back the
numbers and lags). Part of bench/load.py, which says what the run does.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
PY = sys.executable
# ECF_BENCH_LOAD_DB: another name, so two runs on one PostgreSQL do not meet.
DB_NAME = os.environ.get("ECF_BENCH_LOAD_DB", "ecf_bench_load")
PG: dict[str, Any] = {"host": "127.0.0.1", "port": 54329, "user": "postgres"}


# --- environment ---------------------------------------------------------------------


def bench_env(media: str) -> dict[str, str]:
    """The dev environment (scripts/dev.env) pointed at the bench's own database and queues."""
    env = dict(os.environ)
    for line in (REPO / "scripts" / "dev.env").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            env[key] = value
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "ecf.settings.base",
            "DATABASE_URL": f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{DB_NAME}",
            "ECF_CACHE_URL": "redis://127.0.0.1:63799/6",
            "ECF_CELERY_QUEUE": f"ecf-bench-load-{os.getpid()}",
            "ECF_MEDIA_ROOT": media,
            "ECF_STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
            "ECF_DEMO": "true",
            # The load run measures filings a second, not the per-token limit: its few
            # demo attorneys' tokens carry all ten virtual filers' requests (a court
            # raises the limit for a high-volume integration the same way).
            "ECF_API_TOKEN_RATE_PER_MINUTE": "100000",
            "PYTHONPATH": str(REPO),
        }
    )
    env.pop("ECF_BENCH_QUICK", None)
    return env


def _seed_name() -> str:
    """Name of the template database for the current migrations and demo seed."""
    import hashlib

    digest = hashlib.sha256()
    seed_demo = REPO / "training" / "management" / "commands" / "seed_demo.py"
    for path in [*sorted(REPO.glob("*/migrations/*.py")), seed_demo]:
        digest.update(str(path.relative_to(REPO)).encode() + path.read_bytes())
    return f"ecf_bench_seed_{digest.hexdigest()[:10]}"


def recreate_database(
    env: dict[str, str] | None = None,
    *,
    drop_only: bool = False,
    template: str | None = None,
) -> None:
    """Drop the load database; unless drop_only, make it again from the seeded template.

    The template (migrated + seed_demo, about a minute to build) is kept between
    runs and rebuilt only when a migration or the demo seed changes, so a run
    starts in seconds.
    """
    import psycopg

    with psycopg.connect(dbname="postgres", autocommit=True, **PG) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        if drop_only:
            return
        if template is not None:
            # A full-size data set kept by --data-template: copied, not rebuilt.
            conn.execute(f"CREATE DATABASE {DB_NAME} TEMPLATE {template}")
            return
        seed = _seed_name()
        names = [
            row[0]
            for row in conn.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE 'ecf_bench_seed_%%'"
            )
        ]
        for stale in names:
            if stale != seed:
                conn.execute(f"DROP DATABASE IF EXISTS {stale} WITH (FORCE)")
        if seed not in names:
            if env is None:
                raise ValueError("recreate_database needs env unless drop_only")
            print(
                "load: building the seeded template database (migrate + seed_demo)...",
                file=sys.stderr,
            )
            conn.execute(f"CREATE DATABASE {seed}")
            seed_env = {
                **env,
                "DATABASE_URL": env["DATABASE_URL"].rsplit("/", 1)[0] + f"/{seed}",
                # The demo documents the template refers to live next to it, in var/.
                "ECF_MEDIA_ROOT": str(REPO / "var" / "bench" / "seed-media"),
            }
            try:
                manage(seed_env, "migrate", "--noinput", "-v0")
                manage(seed_env, "seed_demo")
            except BaseException:
                conn.execute(f"DROP DATABASE IF EXISTS {seed} WITH (FORCE)")
                raise
        conn.execute(f"CREATE DATABASE {DB_NAME} TEMPLATE {seed}")


def data_template_name() -> str:
    """The kept full-size data set of this code's migrations and seed (--data-template)."""
    return _seed_name().replace("ecf_bench_seed_", "ecf_bench_full_")


def data_template_exists(name: str) -> bool:
    import psycopg

    with psycopg.connect(dbname="postgres", autocommit=True, **PG) as conn:
        return bool(
            conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
        )


def keep_data_template(name: str) -> None:
    """Copy the freshly filled load database as the template later runs start from."""
    import psycopg

    with psycopg.connect(dbname="postgres", autocommit=True, **PG) as conn:
        for (stale,) in conn.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE 'ecf_bench_full_%%'"
        ).fetchall():
            conn.execute(f"DROP DATABASE IF EXISTS {stale} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name} TEMPLATE {DB_NAME}")


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [PY, str(REPO / "manage.py"), *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


# --- the Django side (run in a child: `load.py --prepare` / `--check`) ---------------


def prepare() -> dict:
    """Create the load's cases and one session per demo user; print them as JSON."""
    import django

    django.setup()
    from django.conf import settings
    from django.db import transaction
    from django.test import Client

    from cases.models import Case, Judge, Office, Party
    from cases.services import PartyData, add_party, create_case
    from dockets.models import DocketEntry, Event
    from filers.models import User

    office = Office.objects.order_by("id").first()
    if office is None:
        raise SystemExit("load: the database has no office (seed_demo first)")
    court = office.court

    def new_case(title: str, chapter: str) -> Case:
        return create_case(
            court=court,
            office=Office.objects.get(court=court, number=3),
            chapter=chapter,
            title=title,
            judge=Judge.objects.get(court=court, initials="LT"),
        )

    with transaction.atomic():
        filing_case = new_case("Load Test Holdings, Inc.", "11")
        debtor = add_party(
            case=filing_case,
            data=PartyData(role=Party.Role.DEBTOR, name="Load Test Holdings, Inc."),
        )
        bank = add_party(
            case=filing_case,
            data=PartyData(
                role=Party.Role.CREDITOR, name="Coastal Federal Credit Union"
            ),
        )
        claims_case = new_case("Bar Date Industries LLC", "11")
    sessions = {}
    for email in ("attorney@ecf.test", "attorney2@ecf.test", "creditor@ecf.test"):
        client = Client()
        client.force_login(User.objects.get(email=email))
        sessions[email] = client.cookies[settings.SESSION_COOKIE_NAME].value
    from dockets.api.services import create_api_token

    tokens = {
        email: create_api_token(
            user=User.objects.get(email=email),
            name="Load run",
            scopes=["read", "file"],
            days=1,
        )[1]
        for email in ("attorney@ecf.test", "attorney2@ecf.test")
    }
    readable = list(
        DocketEntry.objects.order_by().values_list("case_id", flat=True).distinct()[:50]
    )
    return {
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "sessions": sessions,
        "tokens": tokens,
        "fee_event": "nmrp",
        "filing_case": {
            "id": filing_case.pk,
            "number": filing_case.display_number,
            "debtor": debtor.pk,
            "bank": bank.pk,
            "first_number": filing_case.last_entry_number,
        },
        "claims_case": claims_case.pk,
        "event": Event.objects.get(code="nmrp").pk,
        "read_cases": readable or [filing_case.pk],
    }


def check(case_id: int) -> dict:
    """Return the filing case's entry numbers summary and the claims filed."""
    import django

    django.setup()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), count(DISTINCT number), coalesce(max(number), 0), coalesce(min(number), 0)"
            " FROM dockets_docketentry WHERE case_id = %s AND number IS NOT NULL",
            [case_id],
        )
        count, distinct, top, bottom = cursor.fetchone()
        # Lag from filing (the entry's commit time) to its stamped documents and to
        # its NEF sent, for the entries of this run (the pipeline's own timestamps).
        cursor.execute(
            "SELECT extract(epoch FROM max(d.updated_at) - e.entered_at)"
            " FROM dockets_docketentry e JOIN dockets_document d ON d.entry_id = e.id"
            " WHERE e.case_id = %s GROUP BY e.id"
            " HAVING bool_and(d.status = 'done')",
            [case_id],
        )
        stamped = [float(row[0]) for row in cursor.fetchall()]
        cursor.execute(
            "SELECT count(*) FROM dockets_docketentry e"
            " WHERE e.case_id = %s AND EXISTS (SELECT 1 FROM dockets_document d"
            " WHERE d.entry_id = e.id AND d.status <> 'done')",
            [case_id],
        )
        (unstamped,) = cursor.fetchone()
        cursor.execute(
            "SELECT extract(epoch FROM n.sent_at - e.entered_at)"
            " FROM dockets_docketentry e JOIN dockets_notice n ON n.entry_id = e.id"
            " WHERE e.case_id = %s AND n.kind = 'nef' AND n.sent_at IS NOT NULL",
            [case_id],
        )
        nef = [float(row[0]) for row in cursor.fetchall()]
        cursor.execute(
            "SELECT count(*) FROM dockets_docketentry e JOIN dockets_notice n"
            " ON n.entry_id = e.id WHERE e.case_id = %s AND n.kind = 'nef'"
            " AND n.sent_at IS NULL",
            [case_id],
        )
        (unsent,) = cursor.fetchone()
    return {
        "entries": count,
        "distinct": distinct,
        "max": top,
        "min": bottom,
        "stamp_lag_s": stamped,
        "unstamped_entries": unstamped,
        "nef_lag_s": nef,
        "unsent_nefs": unsent,
    }
