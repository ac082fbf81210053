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
3. starts gunicorn (`--workers` sync workers, `--threads`; `--web-nice` below the
   pipeline) on a free port, a Celery worker on the run's own queue, so documents are
   stamped and NEFs sent, and a one-process worker on its text queue (`--text-nice`
   below the pipeline), so the stamped documents' text is read;
4. runs one phase per `--modes` entry (the next one once the pipeline has worked off
   the one before), each `--warmup` s unmeasured and then
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
   process (web worker, PDF checkers in the sandbox pool, Celery stamping, NEF, alerts
   and text reading), how
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
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from load_setup import (  # noqa: F401  (bench/ is on the path: load.py runs as a script)
    DB_NAME,
    PG,
    PY,
    REPO,
    bench_env,
    check,
    data_template_exists,
    data_template_name,
    keep_data_template,
    manage,
    prepare,
    recreate_database,
)
from load_summary import _ms, percentile, summarize
from load_users import (
    Browser,
    CpuSample,
    api_file,
    cpu_by_role,
    cpu_spent,
    file_claim,
    file_motion,
    pdf_of,
    public_read,
)

# Written by the Celery worker's bench/load_taskcpu.py (same path: bench/out/).
TASK_CPU_LOG = Path(__file__).resolve().parent / "out" / "load_task_cpu.jsonl"

# --- running it ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def worker_rss_mb(master: int) -> list[float]:
    sizes: list[float] = []
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


def _niced(increment: int):
    """A preexec_fn lowering the child's priority by `increment` (0: none)."""
    if increment <= 0:
        return None

    def lower() -> None:
        os.nice(increment)

    return lower


def _celery_worker(
    env: dict[str, str],
    logs: Path,
    *,
    queue: str,
    name: str,
    concurrency: int,
    nice: int,
    log: str,
) -> subprocess.Popen:
    """A Celery worker on `queue`, timing each task (bench/load_taskcpu.py)."""
    return subprocess.Popen(
        [
            str(Path(PY).parent / "celery"),
            "-A",
            "ecf",
            "worker",
            "-Q",
            queue,
            "-n",
            f"{name}{os.getpid()}@%h",
            "-c",
            str(concurrency),
            "-l",
            "warning",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--include",
            "bench.load_taskcpu",
        ],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=(logs / log).open("wb"),
        preexec_fn=_niced(nice),
    )


def run(args) -> dict:
    media = tempfile.mkdtemp(prefix="ecf-bench-load-media-")
    env = bench_env(media)
    gunicorn = celery = text_worker = None
    try:
        template = data_template_name() if args.data_template else None
        data_json = args.json.parent / "bench_data.json"
        reuse = (
            template is not None
            and data_template_exists(template)
            and data_json.exists()
            and not args.no_data
        )
        recreate_database(env, template=template if reuse else None)
        data = None
        if reuse:
            print(
                f"load: the full-size data set copied from {template}", file=sys.stderr
            )
            data = json.loads(data_json.read_text())
        elif not args.no_data:
            print(
                "load: bench_data (the mega-case data set) into the load database...",
                file=sys.stderr,
            )
            manage(
                env,
                "bench_data",
                *(["--quick"] if args.quick else []),
                "--json",
                str(data_json),
            )
            data = json.loads(data_json.read_text())
            if template is not None:
                keep_data_template(template)
        setup = django_side(env, "--prepare")
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
            # The app's own log (JSON lines: each 503 names its database error there)
            # and the access log; files, not pipes nobody reads (a full pipe would
            # stall the workers).
            stdout=(logs / "load_app.log").open("wb"),
            stderr=(logs / "load_gunicorn.log").open("wb"),
            # Below the pipeline's worker (bench/README.md, "Priorities"): when the
            # cores are all busy, the filings wait, not their stamps and notices.
            preexec_fn=_niced(args.web_nice),
        )
        # The pipeline (stamping, NEFs, e-mail, alerts) runs in a Celery worker on the
        # run's own queue, so the lag from filing to stamped document and to NEF sent
        # is measured; the text of the stamped documents is read by a second worker on
        # the text queue (text_queue(): "<queue>-text"), one process, below the web.
        TASK_CPU_LOG.parent.mkdir(parents=True, exist_ok=True)
        TASK_CPU_LOG.write_text("")  # this run's tasks only
        celery = _celery_worker(
            env,
            logs,
            queue=env["ECF_CELERY_QUEUE"],
            name="load",
            concurrency=args.celery_concurrency,
            nice=0,
            log="load_celery.log",
        )
        text_worker = _celery_worker(
            env,
            logs,
            queue=f"{env['ECF_CELERY_QUEUE']}-text",
            name="loadtext",
            concurrency=1,
            nice=args.text_nice,
            log="load_text_celery.log",
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
        phases: dict[str, dict] = {}
        for mode in args.modes:
            print(
                f"load: {mode} phase, {args.filers} filers + {args.claimants} creditors,"
                f" public reads at {args.read_rate}/s, {args.warmup} s warm-up +"
                f" {args.seconds} s steady state, gunicorn -w {args.workers}...",
                file=sys.stderr,
            )
            if phases:
                # The next phase starts on an idle pipeline: the backlog of the one
                # before (stamps, notices, text) would otherwise be worked off, and
                # counted, in this one.
                drain(args, env, setup, celery)
            phases[mode] = run_phase(
                mode,
                args,
                port,
                setup,
                pdfs,
                documents,
                gunicorn.pid,
                [celery.pid, text_worker.pid],
            )
        rss_end = worker_rss_mb(gunicorn.pid)
        # Let the pipeline finish what the run queued (bounded), then read the lags.
        numbers = drain(args, env, setup, celery)
        result = summarize(args, phases, numbers, setup, rss_start, rss_end)
        result["database_errors"] = database_errors(logs / "load_app.log")
        return result
    finally:
        for process in (celery, text_worker, gunicorn):
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


def django_side(env: dict[str, str], *args: str) -> dict:
    """Run `load.py ARGS` in a child with Django (--prepare, --check); its JSON answer."""
    result = subprocess.run(
        [PY, __file__, *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def drain(args, env: dict[str, str], setup: dict, celery) -> dict:
    """Wait (at most --drain s) until every filing is stamped and every NEF sent; return
    the filing case's numbers (`load.py --check`)."""
    drain_until = time.time() + args.drain
    while True:
        numbers = django_side(env, "--check", str(setup["filing_case"]["id"]))
        done = not numbers["unstamped_entries"] and not numbers["unsent_nefs"]
        if done or time.time() > drain_until or celery.poll() is not None:
            return numbers
        time.sleep(3)


def database_errors(path: Path) -> dict[str, int]:
    """What PostgreSQL answered when the app showed its 503 page (core.middleware logs
    "database error on METHOD PATH: ERROR"): each distinct error with its count."""
    counts: dict[str, int] = {}
    try:
        lines = path.read_text(errors="replace").splitlines()
    except OSError:
        return counts
    for line in lines:
        if "database error on" not in line:
            continue
        try:
            message = json.loads(line).get("message", line)
        except ValueError:
            message = line
        method_path, _, error = message.partition(": ")
        key = f"{method_path.replace('database error on ', '')}: {error.strip()[:200]}"
        counts[key] = counts.get(key, 0) + 1
    return counts


def run_phase(
    mode: str,
    args,
    port: int,
    setup: dict,
    pdfs: list[bytes],
    documents: list[str],
    gunicorn_pid: int,
    celery_pids: list[int],
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
    cpu: dict[str, CpuSample] = {}
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
        cpu["start"] = cpu_by_role(gunicorn_pid, celery_pids, TASK_CPU_LOG)
        time.sleep(max(0.0, stop_at - time.perf_counter()))
        cpu["end"] = cpu_by_role(gunicorn_pid, celery_pids, TASK_CPU_LOG)

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
    spent = cpu_spent(cpu["start"], cpu["end"]) if "end" in cpu else {}
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
    parser.add_argument(
        "--celery-concurrency",
        type=int,
        default=4,
        help="the pipeline worker's processes (production's compose file: 4; with 2"
        " the pipeline fell behind API filings at 20 a second, its lag growing)",
    )
    parser.add_argument(
        "--web-nice",
        type=int,
        default=4,
        help="niceness of gunicorn above the pipeline's Celery worker (0: equal)",
    )
    parser.add_argument(
        "--text-nice",
        type=int,
        default=10,
        help="niceness of the text queue's worker above the pipeline's",
    )
    parser.add_argument("--drain", type=int, help="max s to wait for the pipeline")
    parser.add_argument(
        "--json", type=Path, default=REPO / "bench" / "out" / "load.json"
    )
    parser.add_argument(
        "--keep-db", action="store_true", help="keep ecf_bench_load afterwards"
    )
    parser.add_argument(
        "--data-template",
        action="store_true",
        help="keep the filled data set as a template (ecf_bench_full_<hash>) and start"
        " from it when it exists (with bench_data.json beside --json): a rerun on the"
        " full-size data without the minutes of bench_data",
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
    for error, count in result.get("database_errors", {}).items():
        print(f"  database error (the app answered 503) x{count}: {error}")
    for f in result["figures"]:
        print(
            f"  {f['target']} {f['name']}: {f['figure']} {f['unit']} -> {'PASS' if f['pass'] else 'FAIL'}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
