"""Multi-host drill: a court on two "hosts" that share only PostgreSQL, Redis and S3.

Run by tests/ops/test_multihost.py (in `make test`). On this machine it starts:
  - an S3 endpoint (moto's server) and a Redis server of its own;
  - host A and host B: each a separate working directory with its own var/ (no shared
    files), a gunicorn web process (gunicorn.conf.py) and a Celery worker of the live
    instance, with production settings (ecf.settings.base: DEBUG off, S3 storage,
    secure cookies and HTTPS redirect, trusted only through the proxy's header).
Then: `manage.py release` on host A (creates the training database, migrates both);
a motion is filed through host A's web; host A's worker is killed (SIGKILL) in the
middle of stamping it; host B's worker and the sweeper finish the work; the filer logs
in on host A (password + authenticator code, Secure cookies) and
reads the NEF receipt and the stamped document through host B's web, where the
document leaves through the proxy hand-off (X-Accel-Redirect to a presigned S3 URL,
fetched here as nginx would); `verify_records` finds nothing lost or changed.
Prints one line of figures; exits 1 on any failure.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import psycopg
import requests

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT / "bench"))
from load_users import _proc_table  # noqa: E402  (the load run's /proc reader)
from opskit import PrivateRedis, free_port, wait_port  # noqa: E402

PG = os.environ.get("ECF_DRILL_PG", "postgres://postgres@127.0.0.1:54329")
HOST = "ecf.drill.test"
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # seed_demo's, for demo users
PASSWORD = "ecf-demo-password"
T0 = time.monotonic()
FIGURES: dict[str, object] = {}


def log(message: str) -> None:
    print(f"[{time.monotonic() - T0:6.1f}s] {message}", flush=True)


def totp_now(secret: str) -> str:
    key = base64.b32decode(secret)
    digest = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), "sha1").digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**6
    return f"{code:06d}"


def wait(what: str, check, timeout: float = 60, every: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every)
    raise TimeoutError(f"timed out waiting for {what}")


class Court:
    """The shared services and the two hosts."""

    def __init__(self, base: Path):
        self.base = base
        tag = f"{os.environ.get('ECF_TEST_DB_SUFFIX', '')}_{os.getpid()}".lower()
        self.db_live, self.db_training = f"ecf_mh{tag}", f"ecf_mh{tag}_training"
        self.redis = PrivateRedis(base / "redis")
        self.s3_port = free_port()
        self.procs: dict[str, subprocess.Popen] = {}
        self.ports = {"a": free_port(), "b": free_port()}
        self.metrics_ports = {"a": free_port(), "b": free_port()}

    # -- environment -------------------------------------------------------------
    def env(self, host: str, **extra: str) -> dict[str, str]:
        home = self.base / f"host-{host}"
        keep = ("PATH", "LANG", "HOME", "ECF_TEST_DB_SUFFIX")
        return {
            **{k: v for k, v in os.environ.items() if k in keep},
            "PYTHONPATH": str(ROOT),
            "PYTHONDONTWRITEBYTECODE": "1",
            "DJANGO_SETTINGS_MODULE": "ecf.settings.base",
            "ECF_INSTANCE": "live",
            "DJANGO_SECRET_KEY": "multihost-drill-secret-key-0123456789abcdef-xyz",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECURE": "true",
            # Production refuses to start without the field key (a fixed drill key).
            "ECF_FIELD_ENCRYPTION_KEY": "BN4coiSGK311lAjV5v_xymdgEUrazu5tsfDudoKlsJs=",
            "DJANGO_ALLOWED_HOSTS": HOST,
            "DJANGO_CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
            "DATABASE_URL": f"{PG}/{self.db_live}",
            "TRAINING_DATABASE_URL": f"{PG}/{self.db_training}",
            "CELERY_BROKER_URL": f"{self.redis.url}/0",
            "ECF_CACHE_URL": f"{self.redis.url}/1",
            "ECF_S3_BUCKET": "court-drill",
            "ECF_S3_ENDPOINT_URL": f"http://127.0.0.1:{self.s3_port}",
            "ECF_S3_ACCESS_KEY": "drill-access",
            "ECF_S3_SECRET_KEY": "drill-secret",
            "ECF_VAR_DIR": str(home / "var"),
            "ECF_MAIL_DIR": str(home / "var" / "mail"),
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "ECF_PROTECTED_DOWNLOADS": "accel",
            "ECF_STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
            "ECF_LOG_FORMAT": "json",
            "ECF_DEMO": "false",
            **extra,
        }

    def home(self, host: str) -> Path:
        path = self.base / f"host-{host}"
        (path / "var").mkdir(parents=True, exist_ok=True)
        return path

    def run(self, host: str, *args: str, stdin: str | None = None, **extra: str):
        result = subprocess.run(
            [sys.executable, *args],
            cwd=self.home(host),
            env=self.env(host, **extra),
            input=stdin,
            capture_output=True,
            text=True,
            timeout=240,
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"{args} on host {host} failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}"
            )
        return result.stdout

    def start(self, name: str, host: str, args: list[str], **extra: str) -> None:
        logfile = open(self.home(host) / f"{name}.log", "w")  # noqa: SIM115
        self.procs[name] = subprocess.Popen(
            args,
            cwd=self.home(host),
            env=self.env(host, **extra),
            stdout=logfile,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killed as a whole
        )

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        proc = self.procs.pop(name, None)
        if proc is None:
            return
        if proc.poll() is None:
            os.killpg(proc.pid, sig)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(20)
        # Whatever of its group is left (the leader's children).
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)

    def logtext(self, host: str, name: str) -> str:
        return (self.home(host) / f"{name}.log").read_text(errors="replace")

    # -- services ------------------------------------------------------------------
    def start_shared(self) -> None:
        self.redis.start()
        self.start(
            "s3",
            "shared",
            [
                sys.executable,
                "-m",
                "moto.server",
                "-H",
                "127.0.0.1",
                "-p",
                str(self.s3_port),
            ],
        )
        wait_port(self.s3_port, 30)
        self.drop_databases()
        with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.db_live}"')

    def drop_databases(self) -> None:
        with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
            for name in (self.db_live, self.db_training):
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def start_web(self, host: str) -> None:
        self.start(
            f"web-{host}",
            host,
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py")],
            ECF_WEB_BIND=f"127.0.0.1:{self.ports[host]}",
            ECF_METRICS_PORT=str(self.metrics_ports[host]),
            ECF_WEB_WORKERS="1",
            ECF_WEB_THREADS="2",
        )

    def start_worker(self, host: str, **extra: str) -> None:
        self.start(
            f"worker-{host}",
            host,
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "ecf",
                "worker",
                "-Q",
                "ecf-live",
                "-n",
                f"live-{host}@drill",
                "-c",
                "1",
                "-l",
                "info",
                "--without-gossip",
                "--without-mingle",
                # Test-only: ECF_DRILL_PAUSE stops it mid-task (tests/drillpause.py).
                "--include",
                "tests.drillpause",
            ],
            **extra,
        )

    def stop_all(self) -> None:
        for name in list(self.procs):
            self.kill(name, signal.SIGTERM)
        self.redis.stop()


def sandbox_children(master: int) -> list[int]:
    """The PDF checkers (dockets.pdf.sandbox's `python -I -B -c` children) below the
    gunicorn master `master`'s workers."""
    table = _proc_table()  # pid -> (parent, own CPU, children's CPU, command line)
    workers = {pid for pid, row in table.items() if row[0] == master}
    return [
        pid
        for pid, row in table.items()
        if row[0] in workers and " -I -B -c " in row[3]
    ]


class Browser:
    """A client behind a TLS-terminating proxy: it adds X-Forwarded-Proto: https, sends
    cookies marked Secure (as the browser would over HTTPS), and keeps them itself."""

    def __init__(self, court: Court):
        self.court = court
        self.cookies: dict[str, str] = {}
        self.set_cookie_headers: list[str] = []

    def request(self, host: str, method: str, path: str, **kwargs) -> requests.Response:
        headers = {
            "Host": HOST,
            "X-Forwarded-Proto": "https",
            "Origin": f"https://{HOST}",
            "Referer": f"https://{HOST}{path}",
            **kwargs.pop("headers", {}),
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        response = requests.request(
            method,
            f"http://127.0.0.1:{self.court.ports[host]}{path}",
            headers=headers,
            allow_redirects=False,
            timeout=60,
            **kwargs,
        )
        for raw in response.raw.headers.getlist("Set-Cookie"):
            self.set_cookie_headers.append(raw)
            name, _, rest = raw.partition("=")
            value = rest.split(";", 1)[0]
            if value in ('""', ""):
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return response

    def csrf(self, html: str) -> str:
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        assert match is not None, "the page has no CSRF token"
        return match.group(1)


def seed(court: Court) -> dict:
    """The court's users and a case (as an operator's data would be), on host A."""
    script = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
import django; django.setup()
from factories import seed_court_and_users
from pdfmaker import make_pdf
from pathlib import Path
import tempfile
import redis
from django.conf import settings
from cases.models import Office
from cases.services import PartyData
from dockets.api.services import create_api_token
from dockets.case_opening import PetitionRequest, open_voluntary_case
from dockets.models import Notice
from dockets.pipeline.services import send_notice, stamp_entry
from dockets.services import UploadedDocument
demo = seed_court_and_users()
with tempfile.TemporaryDirectory() as tmp:
    path = make_pdf(Path(tmp) / "petition.pdf", text="VOLUNTARY PETITION\nDebtor: Ana Ruiz\n/s/ Dana M. Whitaker")
    entry = open_voluntary_case(PetitionRequest(
        filer=demo.users["attorney"], office=Office.objects.get(court=demo.court, number=3),
        chapter="7", debtors=[PartyData(role="", name="Ana Ruiz", address_lines=["12 Elm St"],
        city="San Diego", state="CA", zip_code="92101", county="San Diego",
        tax_id_kind="ssn", tax_id_digits="512345678")],
        petition=UploadedDocument.from_path(path, filename="petition.pdf", page_count=1)))
# The petition goes through the pipeline here, so the drill's workers see only the motion.
stamp_entry(entry_id=entry.pk)
for notice in Notice.objects.filter(entry=entry, status="pending"):
    send_notice(notice_id=notice.pk)
redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()
_row, token = create_api_token(user=demo.users["attorney"], name="Drill", scopes=["read", "file"], days=1)
case = entry.case
print(json.dumps({"case_id": case.pk, "token": token, "debtor_id": case.parties.get(role="debtor").pk,
                  "attorney": demo.users["attorney"].email, "number": case.display_number}))
"""
    out = court.run("a", "-c", script, str(ROOT / "tests"))
    return json.loads(out.strip().splitlines()[-1])


def db_query(court: Court, sql: str, params=()):
    with psycopg.connect(f"{PG}/{court.db_live}") as conn:
        return conn.execute(sql, params).fetchall()


BUDGET = int(
    os.environ.get("ECF_DRILL_BUDGET", "110")
)  # seconds, then stop and clean up


def _out_of_time(signum, frame):
    raise TimeoutError(f"the drill ran out of its {BUDGET}s budget (signal {signum})")


def main() -> int:
    # Bounded: past the budget (or on SIGTERM) the drill fails, and still stops every
    # process it started and drops its databases (finally, below).
    signal.signal(signal.SIGALRM, _out_of_time)
    signal.signal(signal.SIGTERM, _out_of_time)
    signal.alarm(BUDGET)
    base = Path(tempfile.mkdtemp(prefix="ecf-multihost-"))
    court = Court(base)
    problems: list[str] = []
    try:
        court.start_shared()
        log(
            f"shared: PostgreSQL {court.db_live}, Redis :{court.redis.port}, S3 (moto) :{court.s3_port}"
        )
        t = time.monotonic()
        out = court.run("a", str(ROOT / "manage.py"), "release")
        FIGURES["release_s"] = round(time.monotonic() - t, 1)
        if f"created database {court.db_training}" not in out:
            problems.append("release did not create the training database")
        if "created the file storage bucket" not in out:
            problems.append("release did not create the S3 bucket")
        log(f"release on host A: {FIGURES['release_s']}s")
        data = seed(court)
        log(f"seeded: case {data['number']}")
        for host in ("a", "b"):
            court.start_web(host)
        court.start_worker("a", ECF_DRILL_PAUSE="60", ECF_DRILL_PAUSE_AT="stamp")
        for host in ("a", "b"):
            wait_port(court.ports[host], 30)
        wait(
            "web ready",
            lambda: all(
                requests.get(
                    f"http://127.0.0.1:{court.ports[h]}/readyz", timeout=10
                ).status_code
                == 200
                for h in ("a", "b")
            ),
            timeout=30,
        )
        log("web A, web B ready (/readyz 200); worker A started (pauses mid-stamp)")
        # gunicorn.conf.py's post_worker_init: each web worker has its PDF checkers
        # running before any upload (the warm sandbox pool).
        for host in ("a", "b"):
            checkers = sandbox_children(court.procs[f"web-{host}"].pid)
            if not checkers:
                problems.append(f"web {host}: no PDF checker started with its worker")

        # Production settings: plain HTTP without the proxy's header is sent to HTTPS.
        plain = requests.get(
            f"http://127.0.0.1:{court.ports['a']}/accounts/login/",
            headers={"Host": HOST},
            allow_redirects=False,
            timeout=30,
        )
        if plain.status_code != 301 or not plain.headers["Location"].startswith(
            "https://"
        ):
            problems.append(
                f"no HTTPS redirect without the proxy header: {plain.status_code}"
            )
        # /metrics: refused on the public port, answered on the metrics port.
        if (
            requests.get(
                f"http://127.0.0.1:{court.ports['a']}/metrics", timeout=10
            ).status_code
            != 404
        ):
            problems.append("/metrics answered on the public port")

        # 1. File a motion through host A's web (the API, as filing software does).
        request_id = f"drill-{os.getpid()}-{int(time.time())}"
        t = time.monotonic()
        browser = Browser(court)
        filed = browser.request(
            "a",
            "POST",
            f"/api/v1/cases/{data['case_id']}/filings",
            headers={
                "Authorization": f"Bearer {data['token']}",
                "X-Request-ID": request_id,
            },
            data={
                "events": ["extime"],
                "party_ids": [str(data["debtor_id"])],
                "fields": json.dumps({"extend_what": "file schedules"}),
                "acknowledge_warnings": "true",
            },
            files={"main": ("motion.pdf", _motion_pdf(), "application/pdf")},
        )
        FIGURES["file_ms"] = round((time.monotonic() - t) * 1000)
        if filed.status_code != 201:
            raise RuntimeError(
                f"filing refused: {filed.status_code} {filed.text[:500]}"
            )
        entry_id = filed.json()["entry_id"]
        doc_id = filed.json()["documents"][0]["id"]
        log(
            f"motion filed through web A: entry {entry_id}, document {doc_id} ({FIGURES['file_ms']} ms)"
        )

        # 2. Worker A takes the stamp and is killed in the middle of it.
        wait(
            "worker A to start stamping",
            lambda: (
                db_query(
                    court, "SELECT attempts FROM dockets_document WHERE id=%s", [doc_id]
                )[0][0]
                >= 1
            ),
            timeout=60,
        )
        # Host B's worker joins the queue while A holds the stamp (it is now paused
        # between claiming the document and recording its stamp): two workers, one message.
        court.start_worker("b")
        time.sleep(1.5)
        court.kill("worker-a")
        t_kill = time.monotonic()
        status = db_query(
            court, "SELECT status FROM dockets_document WHERE id=%s", [doc_id]
        )[0][0]
        if status != "pending":
            problems.append(f"document was {status} when its worker was killed")
        log("worker A killed (SIGKILL) mid-stamp; document still pending")
        if request_id not in court.logtext("a", "worker-a"):
            problems.append("the filing's request id is not in worker A's task log")

        # 3. Host B's worker and the sweeper (beat's job) finish the work.
        court.run(
            "b",
            "-c",
            "import django; django.setup(); from dockets.pipeline.services import sweep_pending;"
            " print(sweep_pending(older_than_seconds=0))",
        )
        wait(
            "stamp and NEF after the kill",
            lambda: (
                db_query(
                    court,
                    "SELECT count(*) FROM dockets_notice WHERE entry_id=%s AND status='done'",
                    [entry_id],
                )[0][0]
                == 1
                and db_query(
                    court, "SELECT status FROM dockets_document WHERE id=%s", [doc_id]
                )[0][0]
                == "done"
            ),
            timeout=60,
        )
        FIGURES["recovery_s"] = round(time.monotonic() - t_kill, 1)
        log(f"stamped and noticed by worker B {FIGURES['recovery_s']}s after the kill")

        # 4. Log in on host A (Secure cookies through the proxy header), read on host B.
        page = browser.request("a", "GET", "/accounts/login/")
        login = browser.request(
            "a",
            "POST",
            "/accounts/login/",
            data={
                "csrfmiddlewaretoken": browser.csrf(page.text),
                "login": data["attorney"],
                "password": PASSWORD,
            },
        )
        if login.status_code != 302:
            raise RuntimeError(f"login refused: {login.status_code}")
        mfa = browser.request("a", "GET", login.headers["Location"])
        done = browser.request(
            "a",
            "POST",
            login.headers["Location"],
            data={
                "csrfmiddlewaretoken": browser.csrf(mfa.text),
                "code": totp_now(DEMO_TOTP_SECRET),
            },
        )
        if done.status_code != 302:
            raise RuntimeError(f"two-factor step refused: {done.status_code}")
        insecure = [c for c in browser.set_cookie_headers if "Secure" not in c]
        if insecure:
            problems.append(f"cookies without Secure: {insecure}")
        receipt = browser.request("b", "GET", f"/entries/{entry_id}/notice/")
        if receipt.status_code != 200 or data["number"] not in receipt.text:
            problems.append(f"NEF receipt through web B: {receipt.status_code}")
        if "Notice of Electronic Filing" not in receipt.text:
            problems.append("the NEF receipt through web B lacks the notice")
        download = browser.request("b", "GET", f"/documents/{doc_id}/download/")
        target = download.headers.get("X-Accel-Redirect", "")
        if download.status_code != 200 or not target.startswith("/_protected/s3/"):
            raise RuntimeError(
                f"download through web B: {download.status_code} {target!r}"
            )
        # What nginx does with the hand-off: fetch the presigned URL from the store.
        s3_path = target[len("/_protected/s3/") :]
        body = requests.get(
            f"http://127.0.0.1:{court.s3_port}/{s3_path}", timeout=30
        ).content
        stored = db_query(
            court, "SELECT stamped_sha512 FROM dockets_document WHERE id=%s", [doc_id]
        )[0][0]
        if hashlib.sha512(body).hexdigest() != stored or not body.startswith(b"%PDF"):
            problems.append(
                "the stamped copy fetched through the hand-off is not the recorded one"
            )
        late = urllib.parse.parse_qs(urllib.parse.urlsplit(target).query).get(
            "X-Amz-Expires"
        )
        if late != ["60"]:
            problems.append(f"presigned URL lifetime {late}")
        if (
            browser.request("a", "GET", f"/documents/{doc_id}/download/").headers.get(
                "X-Accel-Redirect", ""
            )[:14]
            != "/_protected/s3"
        ):
            problems.append("web A does not hand downloads to the proxy")
        log("NEF receipt and stamped document read through web B (session from web A)")

        metrics = requests.get(
            f"http://127.0.0.1:{court.metrics_ports['b']}/metrics", timeout=30
        ).text
        if (
            "ecf_filings_total" not in metrics
            or 'ecf_http_requests_total{method="GET",status="2xx"}' not in metrics
        ):
            problems.append("metrics port did not answer the figures")

        # 5. Nothing lost: the record verifies, one stamp, one notice, nothing pending.
        verify = court.run("b", str(ROOT / "manage.py"), "verify_records")
        FIGURES["verify"] = verify.strip().splitlines()[-1]
        counts = db_query(
            court,
            "SELECT (SELECT count(*) FROM dockets_docketentry), "
            "(SELECT count(*) FROM dockets_document WHERE status='done'), "
            "(SELECT count(*) FROM dockets_document WHERE status<>'done'), "
            "(SELECT count(*) FROM dockets_notice WHERE status<>'done')",
        )[0]
        (
            FIGURES["entries"],
            FIGURES["stamped"],
            FIGURES["unstamped"],
            FIGURES["unsent"],
        ) = counts
        if counts[2] or counts[3]:
            problems.append(f"pending or failed work left: {counts}")
        for host in ("a", "b"):
            files = [
                p
                for p in (court.home(host) / "var").rglob("*")
                if p.is_file() and "mail" not in p.parts
            ]
            if files:
                problems.append(f"host {host} keeps files of its own: {files[:3]}")
    except Exception as error:
        problems.append(f"{type(error).__name__}: {error}")
    finally:
        signal.alarm(0)
        court.stop_all()
        try:
            court.drop_databases()
        except Exception as error:
            problems.append(f"could not drop the drill databases: {error}")
    total = round(time.monotonic() - T0, 1)
    if problems:
        for name in ("web-a", "web-b", "worker-a", "worker-b"):
            for host in ("a", "b"):
                path = base / f"host-{host}" / f"{name}.log"
                if path.exists():
                    print(
                        f"--- {name} (tail)\n{path.read_text(errors='replace')[-1500:]}"
                    )
    else:
        shutil.rmtree(base, ignore_errors=True)
    print(
        f"multihost drill: 2 web + 2 workers on 2 hosts, {len(problems)} problems, "
        f"{FIGURES.get('unstamped', '?')} unstamped, {FIGURES.get('unsent', '?')} unsent; "
        f"release {FIGURES.get('release_s', '?')}s, filing {FIGURES.get('file_ms', '?')} ms, "
        f"recovery after kill {FIGURES.get('recovery_s', '?')}s, total {total}s; "
        f"{FIGURES.get('verify', 'verify_records not run')}"
    )
    for problem in problems:
        print("PROBLEM:", problem)
    return 1 if problems else 0


def _motion_pdf() -> bytes:
    sys.path.insert(0, str(ROOT / "tests"))
    from pdfmaker import pdf_bytes

    return pdf_bytes(text="MOTION TO EXTEND TIME\nIn re Ana Ruiz\n/s/ Dana M. Whitaker")


if __name__ == "__main__":
    sys.exit(main())
