"""Bounded mixed load against a real gunicorn and Celery: filings, claims and public reads.

Usage: python bench/load.py [--quick] [--modes api,wizard] [--seconds N] [--filers 10]
       [--read-rate 12] [--workers 4] [--threads 1] [--json FILE]

What it does, all on loopback and stopping by itself:

1. builds a fresh database `ecf_bench_load` on the embedded PostgreSQL from a seeded
   template (migrate + seed_demo, kept as `ecf_bench_seed_<hash>` until a migration
   or the seed changes), with its own media folder, cache database and Celery queue,
   so the run touches nothing of `make run`; then fills it with `manage.py
   bench_data` (the mega-case data set; --quick: small sizes; --no-data skips it);
2. prepares (in a child process with Django) one case for all the filings, one for
   the claims, a logged-in session per virtual user and an API token per attorney
   (the login and two-factor pages are not part of what is measured);
3. starts gunicorn (`--workers` sync workers, `--threads`) on a free port and a Celery
   worker on the run's own queue, so documents are stamped and NEFs sent;
4. runs one phase per `--modes` entry, each `--warmup` s unmeasured and then
   `--seconds` s of steady state (default 60; --quick or ECF_BENCH_QUICK=1: 20):
   - api: `--filers` attorneys filing through POST /api/v1/cases/<id>/filings with
     an Idempotency-Key, PDFs of 1 to 10 pages, one filing in five a fee event;
   - wizard: `--filers` attorneys filing a 1-page motion through the filing wizard's
     real requests (start, event, parties, fields, fee, upload, submit, receipt);
   and in both, `--claimants` creditors filing proofs of claim through Form 410, and
   the public reading docket pages (the mega case and cases of every size), searching
   and fetching documents filed in the run, at a fixed rate (`--read-rate`, open loop);
5. waits (at most `--drain` s) for the pipeline to finish, then reports per phase:
   filings/s, p50/p95/p99 per operation, errors, CPU seconds per filing by kind of
   process (web worker, PDF checkers in the sandbox pool, Celery stamping + NEF), how
   many cores were busy and which resource saturates first; and for the run: the lag
   from filing to stamped documents and to NEF sent, and the filing case's docket
   numbers checked for gaps. Then it stops gunicorn and Celery and drops the database.

Targets (issue 21): API filings >= 20/s with p95 <= 1 s and 0 errors while public reads
continue (>= 10 req/s); the wizard's whole-filing p95 <= 2 s at 10 concurrent attorneys;
NEF lag p95 <= 10 s; zero gaps. The figures go to --json in the common bench shape
(benchkit.py). Only the Python standard library is used for the traffic.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import quote_plus, urlencode

REPO = Path(__file__).resolve().parents[1]
PY = sys.executable
DB_NAME = "ecf_bench_load"
PG = {"host": "127.0.0.1", "port": 54329, "user": "postgres"}


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
    env: dict[str, str] | None = None, *, drop_only: bool = False
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

    court = Office.objects.order_by("id").first().court

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


# --- a tiny HTTP client --------------------------------------------------------------


class Browser:
    """One virtual user: cookies, keep-alive where the server allows, CSRF tokens."""

    def __init__(self, port: int, cookies: dict[str, str], csrf_cookie: str):
        self.port = port
        self.cookies = dict(cookies)
        self.csrf_cookie = csrf_cookie
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.timings: dict[str, list[float]] = {}

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        content_type: str | None = None,
        *,
        headers: dict[str, str] | None = None,
        label: str = "",
    ) -> tuple[int, dict, str]:
        started = time.perf_counter()
        headers = {
            "Host": "127.0.0.1",
            "User-Agent": "ecf-bench-load",
            **(headers or {}),
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (
                http.client.RemoteDisconnected,
                ConnectionResetError,
                BrokenPipeError,
            ):
                self.conn.close()
                self.conn = http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=60
                )
                if attempt == 2:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
        label = label or method + " " + re.sub(r"/\d+/", "/N/", path.split("?", 1)[0])
        self.timings.setdefault(label, []).append(time.perf_counter() - started)
        return (
            response.status,
            dict(response.getheaders()),
            data.decode("utf-8", "replace"),
        )

    def get(self, path: str) -> tuple[int, dict, str]:
        return self.request("GET", path)

    def csrf(self, html: str) -> str:
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        return match.group(1) if match else self.cookies.get(self.csrf_cookie, "")

    def post(
        self,
        path: str,
        fields: dict | list,
        token: str,
        files: dict[str, tuple[str, bytes]] | None = None,
    ) -> tuple[int, dict, str]:
        pairs = list(fields.items()) if isinstance(fields, dict) else list(fields)
        pairs.append(("csrfmiddlewaretoken", token))
        if not files:
            return self.request(
                "POST",
                path,
                urlencode(pairs).encode(),
                "application/x-www-form-urlencoded",
            )
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in pairs:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            )
        for name, (filename, data) in files.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                f"Content-Type: application/pdf\r\n\r\n".encode()
                + data
                + b"\r\n"
            )
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request(
            "POST", path, b"".join(parts), f"multipart/form-data; boundary={boundary}"
        )


class Failure(Exception):
    pass


def expect(status: int, wanted: tuple[int, ...], what: str, html: str = "") -> None:
    if status not in wanted:
        hint = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))[:200]
        raise Failure(f"{what}: HTTP {status} {hint}")


# --- the three kinds of user ---------------------------------------------------------


def one_page_pdf() -> bytes:
    import io

    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    y = 720
    for line in (
        "UNITED STATES BANKRUPTCY COURT, SOUTHERN DISTRICT OF CALIFORNIA",
        "In re: Load Test Holdings, Inc., Debtor.",
        "MOTION FOR RELIEF FROM THE AUTOMATIC STAY",
        "Coastal Federal Credit Union moves for relief as to 4120 Ocean View Blvd.",
        "/s/ Marcus Lee",
    ):
        pdf.drawString(54, y, line)
        y -= 16
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def file_motion(b: Browser, setup: dict, pdf: bytes) -> None:
    case = setup["filing_case"]
    status, _, html = b.get("/file/")
    expect(status, (200,), "filing start page", html)
    status, headers, html = b.post(
        "/file/", {"case_number": case["number"]}, b.csrf(html)
    )
    expect(status, (302,), "start a filing", html)
    base = headers["Location"].rsplit("/", 2)[
        0
    ]  # /file/<draft>/events/ -> /file/<draft>
    token = b.cookies.get(b.csrf_cookie, "")
    steps = [
        ("events", [("events", setup["event"])]),
        ("parties", [("parties", case["bank"]), ("against", case["debtor"])]),
        (
            "fields",
            [("property_type", "Real Property"), ("objection_deadline", "2099-12-10")],
        ),
        ("fee", [("pay", "later")]),
    ]
    for step, fields in steps:
        status, _, html = b.post(f"{base}/{step}/", fields, token)
        expect(status, (302,), f"wizard step {step}", html)
    status, _, html = b.post(
        f"{base}/documents/",
        [("next", "1")],
        token,
        files={"main": ("motion.pdf", pdf)},
    )
    expect(status, (302,), "upload the motion", html)
    status, headers, html = b.post(
        f"{base}/review/", [("submit", "1"), ("acknowledged", "on")], token
    )
    expect(status, (302,), "submit the filing", html)
    status, _, html = b.get(headers["Location"])
    expect(status, (200,), "receipt", html)
    if "Notice of Electronic Filing" not in html:
        raise Failure("receipt page without the NEF")


def read_docket(b: Browser, setup: dict, rng: random.Random) -> None:
    case = rng.choice(setup["read_cases"])
    path = rng.choice(
        [
            f"/cases/{case}/docket/",
            f"/cases/{case}/docket/?page=last",
            f"/cases/{case}/docket/?sort=newest",
            "/search/?q="
            + quote_plus(rng.choice(["motion", "order", "relief stay", "claim"])),
        ]
    )
    status, _, html = b.get(path)
    expect(status, (200,), f"GET {path}", html)


def file_claim(b: Browser, setup: dict, rng: random.Random) -> None:
    url = f"/cases/{setup['claims_case']}/claims/file/"
    status, _, html = b.get(url)
    expect(status, (200,), "claim form", html)
    submission = re.search(r'name="submission" value="([^"]+)"', html)
    if not submission:
        raise Failure("claim form without a submission token")
    amount = f"{rng.randint(100, 90000)}.{rng.randint(0, 99):02d}"
    fields = {
        "submission": submission.group(1),
        "creditor_name": rng.choice(
            [
                "Sharp Memorial Hospital",
                "Pacific Gas Supply Co.",
                "Harbor View Apartments LLC",
            ]
        ),
        "creditor_address": "7901 Frost Street\nSan Diego, CA 92123",
        "creditor_email": "billing@sharp.test",
        "amount": amount,
        "secured": "",
        "priority": "",
        "unsecured": amount,
        "admin": "",
        "basis": "Goods sold",
        "account_last4": "5521",
        "signer_name": "Ana Ruiz",
        "redaction_ack": "on",
        "website": "",
    }
    status, _, html = b.post(url, fields, b.csrf(html))
    expect(status, (302,), "file the claim", html)


def pdf_of(pages: int) -> bytes:
    """A text PDF of `pages` pages (what an attorney's motion with exhibits looks like)."""
    import io

    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for page in range(1, pages + 1):
        y = 720
        for line in (
            "UNITED STATES BANKRUPTCY COURT, SOUTHERN DISTRICT OF CALIFORNIA",
            "In re: Load Test Holdings, Inc., Debtor.",
            f"MOTION - page {page} of {pages}",
            "Coastal Federal Credit Union moves for relief as to 4120 Ocean View Blvd.",
            "/s/ Marcus Lee",
        ):
            pdf.drawString(54, y, line)
            y -= 16
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def api_file(
    b: Browser, setup: dict, token: str, rng: random.Random, pdfs: list[bytes]
) -> dict:
    """One filing through the API with an Idempotency-Key: 1-10 pages, 1 in 5 a fee event."""
    case = setup["filing_case"]
    if rng.random() < 0.2:
        fields = [
            ("events", setup["fee_event"]),
            ("party_ids", str(case["bank"])),
            ("against_ids", str(case["debtor"])),
            (
                "fields",
                json.dumps(
                    {
                        "property_type": "Real Property",
                        "objection_deadline": "2099-12-10",
                    }
                ),
            ),
        ]
        label = "API file (fee event)"
    else:
        fields = [
            ("events", "extime"),
            ("party_ids", str(case["bank"])),
            ("fields", json.dumps({"extend_what": "respond"})),
        ]
        label = "API file"
    fields.append(("acknowledge_warnings", "true"))
    pages = rng.randint(1, 10)
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="main"; filename="motion.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n".encode()
        + pdfs[pages - 1]
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    status, _, body = b.request(
        "POST",
        f"/api/v1/cases/{case['id']}/filings",
        b"".join(parts),
        f"multipart/form-data; boundary={boundary}",
        headers={
            "Authorization": f"Bearer {token}",
            "Idempotency-Key": f"load-{uuid.uuid4().hex}",
        },
        label=label,
    )
    expect(status, (201,), label, body)
    return json.loads(body)


def public_read(b: Browser, setup: dict, rng: random.Random, documents: list) -> str:
    """One public request: a docket page, a search, or a filed document."""
    roll = rng.random()
    if roll < 0.2 and documents:
        path = rng.choice(documents)
        kind = "document"
    elif roll < 0.45:
        path = "/search/?q=" + quote_plus(
            rng.choice(["motion", "order", "relief stay", "claim"])
        )
        kind = "search"
    else:
        case = rng.choice(setup["read_cases"])
        path = rng.choice(
            [
                f"/cases/{case}/docket/",
                f"/cases/{case}/docket/?page=last",
                f"/cases/{case}/docket/?sort=newest",
            ]
        )
        kind = "docket"
    status, _, html = b.get(path)
    expect(status, (200,), f"GET {path}", html)
    return kind


# --- CPU accounting from /proc ---------------------------------------------------------

TICKS = os.sysconf("SC_CLK_TCK")


def _proc_table() -> dict[int, tuple[int, float, float, str]]:
    """pid -> (parent pid, own CPU s, reaped children's CPU s, command line)."""
    table = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        own = (int(fields[11]) + int(fields[12])) / TICKS
        children = (int(fields[13]) + int(fields[14])) / TICKS
        table[int(entry.name)] = (int(fields[1]), own, children, cmdline)
    return table


def cpu_by_role(gunicorn_pid: int, celery_pid: int | None) -> dict[str, float]:
    """CPU seconds so far of the web workers, their PDF checkers, Celery, and this process."""
    table = _proc_table()

    def descendants(root: int) -> list[int]:
        found, frontier = [], [root]
        while frontier:
            parent = frontier.pop()
            kids = [pid for pid, row in table.items() if row[0] == parent]
            found += kids
            frontier += kids
        return found

    roles = {"web": 0.0, "validate (sandbox)": 0.0, "celery (stamp + NEF)": 0.0}
    for pid in descendants(gunicorn_pid):
        _, own, reaped, cmdline = table[pid]
        if "dockets.pdf.sandbox" in cmdline:
            roles["validate (sandbox)"] += own
        else:
            roles["web"] += own
            roles["validate (sandbox)"] += reaped  # retired checkers, reaped
    if celery_pid is not None and celery_pid in table:
        roles["celery (stamp + NEF)"] += table[celery_pid][1]
        for pid in descendants(celery_pid):
            roles["celery (stamp + NEF)"] += table[pid][1] + table[pid][2]
    usage = os.times()
    roles["load generator"] = usage.user + usage.system
    return roles


# --- running it ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def worker_rss_mb(master: int) -> list[float]:
    sizes = []
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except OSError:
        return sizes
    for pid in children:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
        except OSError:
            pass
    return sizes


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run(args) -> dict:
    media = tempfile.mkdtemp(prefix="ecf-bench-load-media-")
    env = bench_env(media)
    gunicorn = celery = None
    try:
        recreate_database(env)
        data = None
        if not args.no_data:
            print(
                "load: bench_data (the mega-case data set) into the load database...",
                file=sys.stderr,
            )
            data_json = args.json.parent / "bench_data.json"
            manage(
                env,
                "bench_data",
                *(["--quick"] if args.quick else []),
                "--json",
                str(data_json),
            )
            data = json.loads(data_json.read_text())
        setup = json.loads(
            subprocess.run(
                [PY, __file__, "--prepare"],
                env=env,
                cwd=REPO,
                capture_output=True,
                text=True,
                check=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        if data:
            # The public reads the mega case and the cases of every size, in a big table.
            setup["read_cases"] = [
                data["mega_case_id"],
                *data["case_ids_by_size"].values(),
            ]
        port = free_port()
        logs = args.json.parent
        gunicorn = subprocess.Popen(
            [
                str(Path(PY).parent / "gunicorn"),
                "ecf.wsgi",
                "--workers",
                str(args.workers),
                *(["--threads", str(args.threads)] if args.threads > 1 else []),
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
                "--timeout",
                "120",
            ],
            env=env,
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            # A file, not a pipe nobody reads: a full pipe would stall the workers.
            stderr=(logs / "load_gunicorn.log").open("wb"),
        )
        # The pipeline (stamping, NEFs) runs in a Celery worker on the run's own queue,
        # so the lag from filing to stamped document and to NEF sent is measured.
        celery = subprocess.Popen(
            [
                str(Path(PY).parent / "celery"),
                "-A",
                "ecf",
                "worker",
                "-Q",
                env["ECF_CELERY_QUEUE"],
                "-n",
                f"load{os.getpid()}@%h",
                "-c",
                str(args.celery_concurrency),
                "-l",
                "warning",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            env=env,
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=(logs / "load_celery.log").open("wb"),
        )
        deadline = time.time() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.time() > deadline or gunicorn.poll() is not None:
                    raise SystemExit("gunicorn did not start") from None
                time.sleep(0.3)
        pdfs = [pdf_of(pages) for pages in range(1, 11)]
        warm = Browser(port, {}, setup["csrf_cookie"])
        for case in setup["read_cases"][:5]:
            warm.get(f"/cases/{case}/docket/")
        rss_start = worker_rss_mb(gunicorn.pid)
        documents: list[str] = []
        phases = {}
        for mode in args.modes:
            print(
                f"load: {mode} phase, {args.filers} filers + {args.claimants} creditors,"
                f" public reads at {args.read_rate}/s, {args.warmup} s warm-up +"
                f" {args.seconds} s steady state, gunicorn -w {args.workers}...",
                file=sys.stderr,
            )
            phases[mode] = run_phase(
                mode, args, port, setup, pdfs, documents, gunicorn.pid, celery.pid
            )
        rss_end = worker_rss_mb(gunicorn.pid)
        # Let the pipeline finish what the run queued (bounded), then read the lags.
        drain_until = time.time() + args.drain
        while True:
            numbers = json.loads(
                subprocess.run(
                    [PY, __file__, "--check", str(setup["filing_case"]["id"])],
                    env=env,
                    cwd=REPO,
                    capture_output=True,
                    text=True,
                    check=True,
                )
                .stdout.strip()
                .splitlines()[-1]
            )
            done = not numbers["unstamped_entries"] and not numbers["unsent_nefs"]
            if done or time.time() > drain_until or celery.poll() is not None:
                break
            time.sleep(3)
        return summarize(args, phases, numbers, setup, rss_start, rss_end)
    finally:
        for process in (celery, gunicorn):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
        if not args.keep_db:
            try:
                recreate_database(drop_only=True)
            except Exception as error:  # the report matters more than the cleanup
                print(f"load: could not drop {DB_NAME}: {error}", file=sys.stderr)
        shutil.rmtree(media, ignore_errors=True)


def run_phase(
    mode: str,
    args,
    port: int,
    setup: dict,
    pdfs: list[bytes],
    documents: list[str],
    gunicorn_pid: int,
    celery_pid: int,
) -> dict:
    """One steady-state phase: filers (API or wizard), creditors, public reads at a fixed rate."""
    import queue

    lock = threading.Lock()
    began = time.perf_counter()
    steady_at = began + args.warmup
    stop_at = steady_at + args.seconds
    ops: dict[str, list[float]] = {}
    errors: dict[str, list[str]] = {}
    requests: dict[str, list[float]] = {}
    late_reads = [0]
    cpu: dict[str, dict[str, float]] = {}
    attorneys = ["attorney@ecf.test", "attorney2@ecf.test"]

    def record(kind: str, started: float, error: Exception | None = None) -> None:
        if started < steady_at:
            return  # warm-up: not measured
        with lock:
            if error is not None:
                errors.setdefault(kind, []).append(
                    f"{type(error).__name__}: {error}"[:300]
                )
            else:
                ops.setdefault(kind, []).append(time.perf_counter() - started)

    def filer(index: int) -> None:
        rng = random.Random(index)
        email = attorneys[index % 2]
        cookies = {}
        if mode == "wizard":
            cookies[setup["session_cookie"]] = setup["sessions"][email]
        b = Browser(port, cookies, setup["csrf_cookie"])
        kind = "API filing" if mode == "api" else "wizard filing (8 requests)"
        while time.perf_counter() < stop_at:
            started = time.perf_counter()
            try:
                if mode == "api":
                    answer = api_file(b, setup, setup["tokens"][email], rng, pdfs)
                    with lock:
                        documents.extend(
                            f"/documents/{d['id']}/" for d in answer["documents"]
                        )
                else:
                    file_motion(b, setup, pdfs[0])
            except Exception as error:  # counted and reported, the run goes on
                record(kind, started, error)
                time.sleep(0.2)  # a failing user must not spin
                continue
            record(kind, started)
        with lock:
            for label, times in b.timings.items():
                requests.setdefault(label, []).extend(times)

    def claimant(index: int) -> None:
        rng = random.Random(1000 + index)
        b = Browser(
            port,
            {setup["session_cookie"]: setup["sessions"]["creditor@ecf.test"]},
            setup["csrf_cookie"],
        )
        while time.perf_counter() < stop_at:
            started = time.perf_counter()
            try:
                file_claim(b, setup, rng)
            except Exception as error:
                record("claim (form + submit)", started, error)
                time.sleep(0.2)
                continue
            record("claim (form + submit)", started)

    schedule: queue.Queue = queue.Queue()

    def scheduler() -> None:
        # Open loop: reads are due at a fixed rate whatever the server's speed.
        due = began
        while due < stop_at:
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            schedule.put(due)
            due += 1 / args.read_rate
        for _ in range(args.reader_threads):
            schedule.put(None)

    def reader(index: int) -> None:
        rng = random.Random(2000 + index)
        b = Browser(port, {}, setup["csrf_cookie"])
        while (due := schedule.get()) is not None:
            started = time.perf_counter()
            if started - due > 1.0 and due >= steady_at:
                with lock:
                    late_reads[0] += 1
            with lock:
                docs = list(documents[-200:])
            try:
                kind = public_read(b, setup, rng, docs)
            except Exception as error:
                record("public read", started, error)
                continue
            record(f"public {kind}", started)

    def sampler() -> None:
        time.sleep(max(0.0, steady_at - time.perf_counter()))
        cpu["start"] = cpu_by_role(gunicorn_pid, celery_pid)
        time.sleep(max(0.0, stop_at - time.perf_counter()))
        cpu["end"] = cpu_by_role(gunicorn_pid, celery_pid)

    threads = [threading.Thread(target=filer, args=(i,)) for i in range(args.filers)]
    threads += [
        threading.Thread(target=claimant, args=(i,)) for i in range(args.claimants)
    ]
    threads += [
        threading.Thread(target=reader, args=(i,)) for i in range(args.reader_threads)
    ]
    threads += [threading.Thread(target=scheduler), threading.Thread(target=sampler)]
    for thread in threads:
        thread.daemon = True
        thread.start()
    for thread in threads:
        thread.join(timeout=args.warmup + args.seconds + 180)
    window = args.seconds
    kind = "API filing" if mode == "api" else "wizard filing (8 requests)"
    filings = len(ops.get(kind, []))
    spent = {
        role: round(cpu["end"][role] - cpu["start"][role], 3)
        for role in cpu.get("end", {})
    }
    return {
        "mode": mode,
        "steady_seconds": window,
        "filings": filings,
        "filings_per_s": round(filings / window, 3),
        "operations": {
            label: {
                "count": len(times),
                "per_s": round(len(times) / window, 3),
                "p50_s": round(percentile(times, 0.5), 4),
                "p95_s": round(percentile(times, 0.95), 4),
                "p99_s": round(percentile(times, 0.99), 4),
            }
            for label, times in sorted(ops.items())
        },
        "errors": {label: len(e) for label, e in errors.items()},
        "first_errors": [e for errs in errors.values() for e in errs[:2]][:6],
        "public_reads_per_s": round(
            sum(len(t) for k, t in ops.items() if k.startswith("public ")) / window, 3
        ),
        "reads_started_late": late_reads[0],
        "cpu_s_by_role": spent,
        "cpu_s_per_filing": {
            role: round(value / filings, 4) if filings else None
            for role, value in spent.items()
        },
        "cpu_cores_busy": round(sum(spent.values()) / window, 2),
        "load_average": os.getloadavg(),
        "requests": {
            label: {"count": len(t), "p50_s": round(percentile(t, 0.5), 4)}
            for label, t in sorted(
                requests.items(), key=lambda kv: -percentile(kv[1], 0.5)
            )
        },
    }


def summarize(args, phases: dict, numbers: dict, setup, rss_start, rss_end) -> dict:
    filed = numbers["entries"]
    # The rule: the case's numbers are exactly 1..max, each once.
    gap_free = filed == numbers["distinct"] == numbers["max"] and (
        filed == 0 or numbers["min"] == 1
    )
    figures = []
    targets = {"api": (20.0, 1.0), "wizard": (None, 2.0)}
    for mode, phase in phases.items():
        rate_target, p95_budget = targets[mode]
        kind = "API filing" if mode == "api" else "wizard filing (8 requests)"
        op = phase["operations"].get(kind, {})
        rate_note = (
            f"{phase['filings']} filings in {phase['steady_seconds']} s steady state"
        )
        if rate_target is not None:
            figures.append(
                _figure(
                    "LOAD",
                    f"{mode}: filings per second sustained ({args.filers} filers, creditors"
                    " and public reads alongside)",
                    phase["filings_per_s"],
                    rate_target,
                    "filings/s",
                    "the issue's target rate (a fixed number)",
                    "min",
                    note=rate_note,
                )
            )
        figures.append(
            _figure(
                "LOAD",
                f"{mode}: filer p95, one whole filing",
                op.get("p95_s") or float("inf"),
                p95_budget,
                "s",
                "the issue's budget (a fixed number)",
                "max",
                note=f"p50 {_ms(op.get('p50_s'))}, p99 {_ms(op.get('p99_s'))}; {rate_note}",
            )
        )
        total_errors = sum(phase["errors"].values())
        figures.append(
            _figure(
                "LOAD",
                f"{mode}: errors across all users",
                float(total_errors),
                max(1.0, float(sum(o["count"] for o in phase["operations"].values()))),
                "errors",
                "operations completed",
                "max",
                target_ratio=0.0,
                note="; ".join(phase["first_errors"][:2]) or "none",
            )
        )
        figures.append(
            _figure(
                "LOAD",
                f"{mode}: public reads per second alongside the filings",
                phase["public_reads_per_s"],
                10.0,
                "req/s",
                "the issue's floor (a fixed number)",
                "min",
                note=f"{phase['reads_started_late']} reads started over 1 s late",
            )
        )
    nef = numbers["nef_lag_s"]
    stamped = numbers["stamp_lag_s"]
    figures.append(
        _figure(
            "LOAD",
            "lag from filing to NEF sent, p95",
            percentile(nef, 0.95) if nef else float("inf"),
            10.0,
            "s",
            "the issue's budget (a fixed number)",
            "max",
            note=f"{len(nef)} NEFs sent, {numbers['unsent_nefs']} still unsent after the drain",
        )
    )
    figures.append(
        _figure(
            "LOAD",
            "lag from filing to stamped documents, p95 (informational)",
            percentile(stamped, 0.95) if stamped else float("inf"),
            float("inf"),
            "s",
            "no budget of its own",
            "max",
            note=f"{len(stamped)} entries stamped, {numbers['unstamped_entries']} not yet",
        )
        | {"info": True}
    )
    figures.append(
        _figure(
            "LOAD",
            "gaps or duplicates in the filing case's docket numbers",
            0.0 if gap_free else 1.0,
            float(max(filed, 1)),
            "cases",
            f"{filed} entries in the case",
            "max",
            target_ratio=0.0,
            note=f"numbers {numbers['min']}..{numbers['max']}, {numbers['distinct']} distinct of {filed}",
        )
    )
    return {
        "benchmark": "load",
        "seconds": args.seconds,
        "warmup": args.warmup,
        "workers": args.workers,
        "threads": args.threads,
        "cores": os.cpu_count(),
        "phases": phases,
        "numbers": {
            k: v for k, v in numbers.items() if k not in ("nef_lag_s", "stamp_lag_s")
        },
        "lag_s": {
            "nef_p50": percentile(nef, 0.5) if nef else None,
            "nef_p95": percentile(nef, 0.95) if nef else None,
            "stamped_p50": percentile(stamped, 0.5) if stamped else None,
            "stamped_p95": percentile(stamped, 0.95) if stamped else None,
        },
        "saturates_first": saturation(phases),
        "worker_rss_mb": {"start": rss_start, "end": rss_end},
        "figures": figures,
    }


def saturation(phases: dict) -> dict:
    """Which resource runs out first, per phase, from the CPU each role used."""
    cores = os.cpu_count() or 1
    verdict = {}
    for mode, phase in phases.items():
        spent = phase["cpu_s_by_role"]
        busy = phase["cpu_cores_busy"]
        top = max(spent, key=spent.get) if spent else "-"
        load = phase["load_average"][0]
        share = f"{spent.get(top, 0) / phase['steady_seconds']:.2f} cores"
        if busy >= 0.85 * cores:
            text = (
                f"CPU: {busy} of {cores} cores busy in the measured processes; the"
                f" biggest user is {top} ({share})"
            )
        elif load >= cores:
            text = (
                f"CPU of the machine, taken by other processes: load average {load:.1f}"
                f" on {cores} cores while the measured processes got {busy} cores"
                f" (biggest user {top}, {share}); this run's timings are not the"
                " application's"
            )
        else:
            text = (
                f"not CPU ({busy} of {cores} cores, load average {load:.1f}): the"
                " filers wait on gunicorn workers (all busy) or on locks"
            )
        verdict[mode] = text
    return verdict


def _ms(x) -> str:
    return "-" if x is None else f"{x * 1000:.0f} ms"


def _figure(
    target,
    name,
    value,
    baseline,
    unit,
    baseline_name,
    direction,
    *,
    target_ratio=1.0,
    note="",
):
    if target_ratio == 0.0:
        ratio = value
        ok = value == 0
    else:
        ratio = value / baseline if baseline else float("inf")
        ok = ratio <= target_ratio if direction == "max" else ratio >= target_ratio
    return {
        "target": target,
        "name": name,
        "figure": round(value, 4),
        "unit": unit,
        "baseline": round(baseline, 4),
        "baseline_name": baseline_name,
        "ratio": round(ratio, 4),
        "target_ratio": target_ratio,
        "direction": direction,
        "pass": bool(ok),
        "note": note,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="20 s phases and small data sizes"
    )
    parser.add_argument("--seconds", type=int, help="steady state per phase")
    parser.add_argument("--warmup", type=int, help="unmeasured seconds before it")
    parser.add_argument(
        "--modes", default="api,wizard", help="phases to run: api, wizard or both"
    )
    parser.add_argument("--filers", type=int, default=10)
    parser.add_argument("--claimants", type=int, default=4)
    parser.add_argument("--read-rate", type=float, default=12.0, help="public req/s")
    parser.add_argument("--reader-threads", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1, help="gunicorn --threads")
    parser.add_argument("--celery-concurrency", type=int, default=2)
    parser.add_argument("--drain", type=int, help="max s to wait for the pipeline")
    parser.add_argument(
        "--json", type=Path, default=REPO / "bench" / "out" / "load.json"
    )
    parser.add_argument(
        "--keep-db", action="store_true", help="keep ecf_bench_load afterwards"
    )
    parser.add_argument(
        "--no-data", action="store_true", help="skip bench_data (demo data only)"
    )
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--check", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        print(json.dumps(prepare()))
        return 0
    if args.check:
        print(json.dumps(check(args.check)))
        return 0
    args.quick = args.quick or os.environ.get("ECF_BENCH_QUICK") == "1"
    args.seconds = args.seconds or (20 if args.quick else 60)
    args.warmup = args.warmup if args.warmup is not None else (5 if args.quick else 15)
    args.drain = args.drain or (60 if args.quick else 180)
    args.modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    if not set(args.modes) <= {"api", "wizard"}:
        raise SystemExit("--modes takes api, wizard or api,wizard")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    result = run(args)
    args.json.write_text(json.dumps(result, indent=2) + "\n")
    for mode, phase in result["phases"].items():
        print(
            f"load {mode}: {phase['filings_per_s']} filings/s, CPU {phase['cpu_cores_busy']}"
            f" cores busy, load average {phase['load_average'][0]:.1f}"
        )
        for label, op in phase["operations"].items():
            print(
                f"  {label:32} {op['count']:>5} ({op['per_s']}/s)  p50 {_ms(op['p50_s'])}"
                f"  p95 {_ms(op['p95_s'])}  p99 {_ms(op['p99_s'])}"
                f"  errors {phase['errors'].get(label, 0)}"
            )
        for error in phase["first_errors"][:3]:
            print(f"  e.g. {error}")
        print(f"  CPU s per filing: {phase['cpu_s_per_filing']}")
        print(f"  saturates first: {result['saturates_first'][mode]}")
    print(f"  lags: {result['lag_s']}")
    for f in result["figures"]:
        print(
            f"  {f['target']} {f['name']}: {f['figure']} {f['unit']} -> {'PASS' if f['pass'] else 'FAIL'}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
