"""The load run's traffic: a tiny HTTP client (standard library only), the three
kinds of user (attorneys filing through the wizard or the API, creditors filing
claims, the public reading) and CPU accounting of the measured processes from /proc.
Part of bench/load.py.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import re
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote_plus, urlencode

from load_setup import PY, REPO  # noqa: F401

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
    # The wizard's order: a step after one with an unmet requirement sends the filer
    # back (the step gate), so the document comes before the related entries, the
    # event's fields and the fee.
    for step, fields in (
        ("events", [("events", setup["event"])]),
        ("parties", [("parties", case["bank"]), ("against", case["debtor"])]),
    ):
        status, _, html = b.post(f"{base}/{step}/", fields, token)
        expect(status, (302,), f"wizard step {step}", html)
    status, headers, html = b.post(
        f"{base}/documents/",
        [("next", "1")],
        token,
        files={"main": ("motion.pdf", pdf)},
    )
    expect(status, (302,), "upload the motion", html)
    for step, fields in (
        ("related", []),
        (
            "fields",
            [("property_type", "Real Property"), ("objection_deadline", "2099-12-10")],
        ),
        ("fee", [("pay", "later")]),
    ):
        status, headers, html = b.post(f"{base}/{step}/", fields, token)
        expect(status, (302,), f"wizard step {step}", html)
        if (
            not headers.get("Location", "")
            .rstrip("/")
            .endswith({"related": "fields", "fields": "fee", "fee": "review"}[step])
        ):
            raise Failure(f"wizard step {step} went to {headers.get('Location')}")
    status, headers, html = b.post(
        f"{base}/review/", [("submit", "1"), ("acknowledged", "on")], token
    )
    expect(status, (302,), "submit the filing", html)
    status, _, html = b.get(headers["Location"])
    expect(status, (200,), "receipt", html)
    if "Notice of Electronic Filing" not in html:
        title = re.search(r"<title>(.*?)</title>", html, re.S)
        raise Failure(
            f"receipt page without the NEF: {headers['Location']} answered "
            f"{(title.group(1).strip() if title else html[:120])!r}"
        )


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


# Which Celery tasks (and steps inside the pipeline task, bench/load_taskcpu.py) are
# which phase of a filing.
TASK_PHASES = {
    "dockets.pipeline.tasks.stamp_entry_task": "stamp (Celery)",
    "dockets.pipeline.tasks.send_notice_task": "NEF (Celery: build, copies, e-mail)",
    "core.tasks.deliver_messages_task": "NEF (Celery: build, copies, e-mail)",
    "core.tasks.deliver_message_task": "NEF (Celery: build, copies, e-mail)",
    "dockets.alerts.tasks.dispatch_event_task": "alerts (Celery)",
    "dockets.fulltext.tasks.extract_text_task": "text (Celery: reading, own worker)",
}
# The steps the pipeline task runs inline after stamping (load_taskcpu.STEPS).
STEP_PHASES = {
    "nef": "NEF (Celery: build, copies, e-mail)",
    "alerts": "alerts (Celery)",
}


def task_cpu(log: Path) -> dict[str, float]:
    """CPU seconds of the finished Celery tasks so far, by phase (TASK_PHASES).

    A pipeline task's inline steps (its NEF, its alerts) count in their own phase and
    the rest of the task in its own (stamping).
    """
    spent = dict.fromkeys([*TASK_PHASES.values(), *STEP_PHASES.values()], 0.0)
    if not log.exists():
        return spent
    for line in log.read_text().splitlines():
        try:
            row = json.loads(line)
        except ValueError:
            continue  # a line being written
        phase = TASK_PHASES.get(row.get("task", ""))
        if phase is None:
            continue
        cpu = row["cpu_s"]
        for step, step_cpu in (row.get("steps") or {}).items():
            step_phase = STEP_PHASES.get(step)
            if step_phase is not None:
                spent[step_phase] += step_cpu
                cpu -= step_cpu
        spent[phase] += cpu
    return spent


@dataclass
class CpuSample:
    """The CPU counters of the measured processes at one moment (see cpu_spent)."""

    table: dict[int, tuple[int, float, float, str]]
    gunicorn_pid: int
    celery_pids: list[int]
    tasks: dict[str, float]
    generator: float


def cpu_by_role(
    gunicorn_pid: int, celery_pids: list[int], task_log: Path | None = None
) -> CpuSample:
    """A sample of the CPU counters: subtract two with `cpu_spent`."""
    usage = os.times()
    return CpuSample(
        table=_proc_table(),
        gunicorn_pid=gunicorn_pid,
        celery_pids=list(celery_pids),
        tasks=task_cpu(task_log) if task_log is not None else {},
        generator=usage.user + usage.system,
    )


def _descendants(table, root: int) -> list[int]:
    found, frontier = [], [root]
    while frontier:
        parent = frontier.pop()
        kids = [pid for pid, row in table.items() if row[0] == parent]
        found += kids
        frontier += kids
    return found


def cpu_spent(start: CpuSample, end: CpuSample) -> dict[str, float]:
    """CPU seconds between two samples of the web workers, their PDF checkers, Celery and
    this process, by role; with the task log (bench/load_taskcpu.py), Celery's time split
    into stamping, NEF, alerts, text and the rest (other tasks, the workers' own).

    Counted per process, so a process that ends between the samples (gunicorn replaces
    a worker after `max_requests`, the pool retires a PDF checker) neither loses its
    time nor turns a figure negative: its CPU after the first sample arrives in its
    parent's "reaped children" counter, from which what it had spent before the first
    sample is taken off. A retired checker counts as validation; a replaced web worker
    (with the checkers it had reaped) as web.
    """
    web = "insert (web: request, insert, receipt; and public reads)"
    validate = "validate (sandbox)"
    roles = {web: 0.0, validate: 0.0}

    def tree(sample: CpuSample, root: int) -> dict[int, str]:
        """pid -> kind: "root", "web" (a web worker), "checker", in this sample."""
        table = sample.table
        kinds = {root: "root"} if root in table else {}
        for pid in _descendants(table, root):
            kinds[pid] = "checker" if "dockets.pdf.sandbox" in table[pid][3] else "web"
        return kinds

    def delta(root: int) -> dict[str, float]:
        """CPU by kind of process in one tree: own time, and the reaped time of the
        children that ended (counted to the kind of those children)."""
        before, after = tree(start, root), tree(end, root)
        spent = {"root": 0.0, "web": 0.0, "checker": 0.0}
        for pid, kind in after.items():
            _, own, reaped, _ = end.table[pid]
            was = start.table.get(pid) if pid in before else None
            own_before, reaped_before = (was[1], was[2]) if was else (0.0, 0.0)
            spent[kind] += own - own_before
            # A web worker reaps checkers; the root reaps web workers (or, for
            # Celery, its pool's children).
            child_kind = "checker" if kind == "web" else "web"
            spent[child_kind] += reaped - reaped_before
        for pid, kind in before.items():
            if pid not in after:
                # Ended: its whole time arrived in its parent's reaped counter above;
                # what it had spent before the first sample is not this window's.
                _, own, reaped, _ = start.table[pid]
                spent[kind] -= own + reaped
        return spent

    gunicorn = delta(end.gunicorn_pid)
    roles[web] = gunicorn["root"] + gunicorn["web"]
    roles[validate] = gunicorn["checker"]
    celery = 0.0
    for pid in end.celery_pids:
        spent = delta(pid)
        celery += sum(spent.values())
    if end.tasks:
        phases = {k: end.tasks[k] - start.tasks.get(k, 0.0) for k in end.tasks}
        roles.update(phases)
        roles["celery (other tasks, workers)"] = max(0.0, celery - sum(phases.values()))
    else:
        roles["celery (stamp + NEF)"] = celery
    roles["load generator"] = end.generator - start.generator
    return {k: round(v, 3) for k, v in roles.items()}
