"""Bounded mixed load against a real gunicorn: attorneys filing, the public reading, creditors filing claims.

Usage: python bench/load.py [--quick] [--seconds N] [--users 20] [--workers 4] [--json FILE]

What it does, all on loopback and stopping by itself:

1. builds a fresh database `ecf_bench_load` on the embedded PostgreSQL from a seeded
   template (migrate + seed_demo, kept as `ecf_bench_seed_<hash>` until a migration
   or the seed changes), with its own media folder, cache database and Celery queue,
   so the run touches nothing of `make run` and leaves no task for its worker; then
   fills it with `manage.py bench_data` (the mega-case data set; --quick: small
   sizes; --no-data skips it), whose figures go to bench/out/bench_data.json;
2. prepares (in a child process with Django) one case for all the filings, one for
   the claims, and a logged-in session per virtual user (the login and two-factor
   pages are not part of what is measured);
3. starts gunicorn (`--workers` sync workers) on a free port;
4. runs `--users` threads for `--seconds` (default 120, --quick or ECF_BENCH_QUICK=1:
   20): half attorneys filing a 1-page motion through the filing wizard's real
   requests (start, event, parties, fields, fee, upload, submit, receipt), a third
   the public reading docket pages (the mega case and cases of every size) and
   searching, the rest creditors filing proofs
   of claim through Form 410;
5. reports throughput, p50, p95 and errors per kind of user, gunicorn worker memory,
   and checks the filing case's docket numbers for gaps; then stops gunicorn and
   drops the database.

Targets (performance.md P4, issue 12): 20 filings a second sustained, the filer's p95
under 1 s (a whole filing, every step), zero errors and zero gaps, while the public
reads dockets. The figures go to --json in the common bench shape (benchkit.py).
Only the Python standard library is used for the traffic.
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
import statistics
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
    readable = list(
        DocketEntry.objects.order_by().values_list("case_id", flat=True).distinct()[:50]
    )
    return {
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "sessions": sessions,
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
    return {"entries": count, "distinct": distinct, "max": top, "min": bottom}


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
    ) -> tuple[int, dict, str]:
        started = time.perf_counter()
        headers = {"Host": "127.0.0.1", "User-Agent": "ecf-bench-load"}
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
        label = method + " " + re.sub(r"/\d+/", "/N/", path.split("?", 1)[0])
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
    gunicorn = None
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
        gunicorn_log = args.json.parent / "load_gunicorn.log"
        gunicorn = subprocess.Popen(
            [
                str(Path(PY).parent / "gunicorn"),
                "ecf.wsgi",
                "--workers",
                str(args.workers),
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
            stderr=gunicorn_log.open("wb"),
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
        pdf = one_page_pdf()
        warm = Browser(port, {}, setup["csrf_cookie"])
        for case in setup["read_cases"][:5]:
            warm.get(f"/cases/{case}/docket/")
        rss_start = worker_rss_mb(gunicorn.pid)

        kinds = ["filer"] * (args.users // 2) + ["reader"] * (args.users // 3)
        kinds += ["claimant"] * (args.users - len(kinds))
        results: dict[str, list[float]] = {
            k: [] for k in ("filer", "reader", "claimant")
        }
        errors: dict[str, list[str]] = {k: [] for k in results}
        steps: dict[str, list[float]] = {}
        lock = threading.Lock()
        stop_at = time.perf_counter() + args.seconds
        attorneys = ["attorney@ecf.test", "attorney2@ecf.test"]

        def user(index: int, kind: str) -> None:
            rng = random.Random(index)
            cookies = {}
            if kind == "filer":
                cookies[setup["session_cookie"]] = setup["sessions"][
                    attorneys[index % 2]
                ]
            elif kind == "claimant":
                cookies[setup["session_cookie"]] = setup["sessions"][
                    "creditor@ecf.test"
                ]
            b = Browser(port, cookies, setup["csrf_cookie"])
            while time.perf_counter() < stop_at:
                started = time.perf_counter()
                try:
                    if kind == "filer":
                        file_motion(b, setup, pdf)
                    elif kind == "reader":
                        read_docket(b, setup, rng)
                    else:
                        file_claim(b, setup, rng)
                except Exception as error:  # counted and reported, the run goes on
                    with lock:
                        errors[kind].append(f"{type(error).__name__}: {error}"[:300])
                    time.sleep(0.2)  # a failing user must not spin
                    continue
                elapsed = time.perf_counter() - started
                with lock:
                    results[kind].append(elapsed)
            if kind == "filer":
                with lock:
                    for label, times in b.timings.items():
                        steps.setdefault(label, []).extend(times)

        print(
            f"load: {args.users} users for {args.seconds} s against gunicorn -w {args.workers}...",
            file=sys.stderr,
        )
        threads = [
            threading.Thread(target=user, args=(i, k), daemon=True)
            for i, k in enumerate(kinds)
        ]
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=args.seconds + 120)
        wall = time.perf_counter() - began
        rss_end = worker_rss_mb(gunicorn.pid)
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
        result = summarize(
            args, kinds, results, errors, wall, numbers, setup, rss_start, rss_end
        )
        result["filer_requests"] = {
            label: {"count": len(t), "p50_s": round(percentile(t, 0.5), 4)}
            for label, t in sorted(
                steps.items(), key=lambda item: -statistics.median(item[1])
            )
        }
        return result
    finally:
        if gunicorn is not None and gunicorn.poll() is None:
            gunicorn.send_signal(signal.SIGTERM)
            try:
                gunicorn.wait(timeout=30)
            except subprocess.TimeoutExpired:
                gunicorn.kill()
        if not args.keep_db:
            try:
                recreate_database(drop_only=True)
            except Exception as error:  # the report matters more than the cleanup
                print(f"load: could not drop {DB_NAME}: {error}", file=sys.stderr)
        shutil.rmtree(media, ignore_errors=True)


def summarize(
    args, kinds, results, errors, wall, numbers, setup, rss_start, rss_end
) -> dict:
    per_kind = {}
    for kind, times in results.items():
        per_kind[kind] = {
            "users": kinds.count(kind),
            "done": len(times),
            "per_second": round(len(times) / wall, 3),
            "p50_s": round(percentile(times, 0.5), 4) if times else None,
            "p95_s": round(percentile(times, 0.95), 4) if times else None,
            "errors": len(errors[kind]),
            "first_errors": errors[kind][:3],
        }
    filed = numbers["entries"]
    # The rule: the case's numbers are exactly 1..max, each once.
    gap_free = filed == numbers["distinct"] == numbers["max"] and (
        filed == 0 or numbers["min"] == 1
    )
    filer = per_kind["filer"]
    total_errors = sum(len(e) for e in errors.values())
    figures = [
        _figure(
            "LOAD",
            f"filings per second sustained ({filer['users']} attorneys in a {args.users}-user mix)",
            filer["per_second"],
            20.0,
            "filings/s",
            "the issue's target rate (a fixed number)",
            "min",
            note=f"{filer['done']} whole filings (8 requests each) in {wall:.0f} s",
        ),
        _figure(
            "LOAD",
            "filer p95, one whole filing (start to receipt)",
            filer["p95_s"] or float("inf"),
            1.0,
            "s",
            "the issue's budget (a fixed number)",
            "max",
            note=f"p50 {_ms(filer['p50_s'])}",
        ),
        _figure(
            "LOAD",
            "errors across all users",
            float(total_errors),
            max(1.0, sum(len(t) for t in results.values())),
            "errors",
            "operations completed",
            "max",
            target_ratio=0.0,
            note="; ".join(e for k in errors for e in errors[k][:1]) or "none",
        ),
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
        ),
    ]
    return {
        "benchmark": "load",
        "seconds": args.seconds,
        "users": args.users,
        "workers": args.workers,
        "wall_s": round(wall, 2),
        "per_kind": per_kind,
        "numbers": numbers,
        "worker_rss_mb": {"start": rss_start, "end": rss_end},
        "figures": figures,
    }


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
        "--quick", action="store_true", help="20 seconds instead of 120"
    )
    parser.add_argument("--seconds", type=int)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4)
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
    args.seconds = args.seconds or (20 if args.quick else 120)
    result = run(args)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2) + "\n")
    print(f"load: {args.users} users, {result['wall_s']} s, gunicorn -w {args.workers}")
    for kind, k in result["per_kind"].items():
        print(
            f"  {kind:8} users {k['users']:>2}  done {k['done']:>5}  {k['per_second']:>7}/s  "
            f"p50 {_ms(k['p50_s'])}  p95 {_ms(k['p95_s'])}  errors {k['errors']}"
            + (f"  e.g. {k['first_errors'][0]}" if k["first_errors"] else "")
        )
    for label, step in result.get("filer_requests", {}).items():
        print(
            f"  filer request {label:34} x{step['count']:<4} p50 {_ms(step['p50_s'])}"
        )
    for f in result["figures"]:
        print(
            f"  {f['target']} {f['name']}: {f['figure']} {f['unit']} -> {'PASS' if f['pass'] else 'FAIL'}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
