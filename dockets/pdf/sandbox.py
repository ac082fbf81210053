"""Run PDF validation in a child process with CPU, memory and wall-clock limits.

Threat model: the parsers (pypdf, and qpdf through pikepdf) read hostile
bytes. A crafted file can hit a quadratic path (pypdf#3676, #808), allocate
until the machine swaps, or recurse until the interpreter dies. The checks in
validation.py bound what they can; this module bounds everything else. A
child that runs out of CPU time, memory or wall-clock time, or dies in any
other way, becomes one `cannot_process` refusal, and the web or Celery worker
that asked carries on.

`repair_upload` runs repair.repair_pdf the same way, for the same reason.

Why separate interpreters (`python -I -B -c ...` via subprocess) rather than
multiprocessing: Celery's prefork pool runs tasks in daemonic processes,
which multiprocessing forbids from having children; fork() from a threaded
gunicorn worker can deadlock on locks held by other threads; and the spawn
and forkserver contexts re-import the parent's __main__ (gunicorn, celery).
The child imports only this package, pypdf, pikepdf (qpdf) and pypdfium2
(pdfium, for the warnings' text).

The children are a warm pool: each web or Celery worker process starts
ECF_PDF_POOL_SIZE children on first use (again after a fork: the pool is
per process id), lets up to ECF_PDF_POOL_LIMIT work at once, and retires a
child after ECF_PDF_POOL_RECYCLE_AFTER files (1,000: an interpreter start
costs ~0.17 s of CPU, about 0.2 ms a file, where a check is a few ms), or
sooner once its address space has grown 64 MiB since it started (each
answer says by how much). A child takes one JSON request
a line on stdin and answers one JSON line on stdout, so a check costs the
parse and not an interpreter start (~0.25 s). Before each file the child
renews its soft limits (CPU used so far + the file's allowance, address
space, file size), so each file gets the limits a fresh interpreter had; the
pool adds the wall-clock limit. A child that exceeds a limit, dies or answers
nonsense is killed and replaced at once, and its file is refused as
`cannot_process`.

The SHA-512 reported is computed here, in the parent, from the file on disk;
the child hashes the bytes it parsed, and a mismatch (the file changed while
it was checked) is refused, so the digest always belongs to the bytes checked.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import logging
import math
import os
import resource
import secrets
import selectors
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .findings import Finding
from .validation import (
    CANNOT_PROCESS_MESSAGE,
    PdfAnalysis,
    PdfProblem,
    analyze_pdf,
    too_large_analysis,
)

logger = logging.getLogger(__name__)

# The directory holding the `dockets` package, put on the child's sys.path so
# the child works whether or not the project is pip-installed.
_PROJECT_ROOT = str(Path(__file__).resolve().parents[2])
_BOOTSTRAP = (
    "import sys; sys.path.insert(0, sys.argv[1]); "
    "from dockets.pdf.sandbox import child_main; child_main()"
)
# Requests and answers are a few kB; anything bigger is not one.
_MAX_MESSAGE_BYTES = 1 << 20
_EXIT_OUT_OF_MEMORY = 3


class SandboxUnavailable(RuntimeError):
    """The child process could not be started (the file was not judged).

    Raised for an infrastructure fault such as a process-table limit, so a
    task can retry instead of refusing a good filing.
    """


class RepairFailed(RuntimeError):
    """The repair child failed; the filer has to fix the file themselves."""


def validate_upload(
    path: str | os.PathLike[str],
    *,
    max_bytes: int,
    cpu_seconds: int = 10,
    memory_bytes: int = 1 << 30,
    debtor_names: Sequence[str] = (),
    needs_signature: bool = True,
) -> PdfAnalysis:
    """Check an uploaded file in a child process and return what it found.

    The child gets `cpu_seconds` of CPU, `memory_bytes` of address space and
    3 x `cpu_seconds` of wall-clock time; past any of them the file is
    refused as `cannot_process`. A file over `max_bytes` is refused before
    any child starts. Raises SandboxUnavailable if no child can be started,
    and OSError if `path` cannot be read.
    """
    path = os.fspath(path)
    size = os.stat(path).st_size
    if size > max_bytes:
        return too_large_analysis(size, max_bytes)
    sha512 = _sha512_of(path)

    request = {
        "operation": "validate",
        "path": os.path.abspath(path),
        "max_bytes": max_bytes,
        "cpu_seconds": cpu_seconds,
        "memory_bytes": memory_bytes,
        "debtor_names": list(debtor_names),
        "needs_signature": needs_signature,
    }
    reply = _run_child(request, cpu_seconds=cpu_seconds, label=path)
    if reply is None:
        return _cannot_process(size, sha512)
    try:
        analysis = _from_json(reply)
    except (ValueError, KeyError, TypeError) as error:
        logger.warning("PDF validation child gave a bad reply on %s: %s", path, error)
        return _cannot_process(size, sha512)
    if analysis.sha512 not in ("", sha512):
        logger.warning("PDF changed while it was validated: %s", path)
        return _cannot_process(size, sha512)
    return _with_digest(analysis, sha512)


def repair_upload(
    src: str | os.PathLike[str],
    dst: str | os.PathLike[str],
    *,
    cpu_seconds: int = 20,
    memory_bytes: int = 1 << 30,
) -> list[str]:
    """Run `repair.repair_pdf(src, dst)` in a child process with limits.

    Returns its descriptions of the changes ([] and no `dst` when nothing
    needed repair). The child may write only `dst`, up to 4 x the size of
    `src` (at least 64 MiB). Raises RepairFailed if the child fails or runs
    out of time or memory (a partial `dst` is removed), SandboxUnavailable if
    no child can be started.
    """
    src, dst = os.path.abspath(src), os.path.abspath(dst)
    request = {
        "operation": "repair",
        "src": src,
        "dst": dst,
        "cpu_seconds": cpu_seconds,
        "memory_bytes": memory_bytes,
        "max_output_bytes": max(64 << 20, 4 * os.stat(src).st_size),
    }
    changes = _run_child(request, cpu_seconds=cpu_seconds, label=src)
    if not isinstance(changes, list):
        with contextlib.suppress(FileNotFoundError):
            os.remove(dst)
        raise RepairFailed(f"could not repair {src}")
    return [str(change) for change in changes]


def child_main() -> None:
    """Entry point of a pool child: one JSON request a line in, one answer out.

    The child imports the parser once, then serves requests until its stdin
    closes. Before each request it moves its CPU limit to what it has used
    so far plus that request's allowance, so every file gets the same CPU,
    memory and file-size limits a fresh interpreter would have had.
    """
    _lower_limit(resource.RLIMIT_CORE, 0, 0)  # no core dumps: they would hold a filing
    logging.basicConfig(level=logging.ERROR, stream=sys.stderr)
    _import_parsers()
    # Everything imported so far lives as long as the child: move it out of the
    # collector's sight, so the collection after each file looks only at what
    # that file left behind (a full collection over the parsers' modules cost
    # ~6 ms a file, more than checking a one-page PDF).
    gc.collect()
    gc.freeze()
    at_start = _address_space()

    # Answers go to the original stdout only; anything the parser prints goes to
    # stderr, so a stray line can never be taken for an answer.
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    requests = sys.stdin.buffer
    while True:
        line = requests.readline(_MAX_MESSAGE_BYTES)
        if not line.endswith(b"\n"):
            return  # the pool closed our stdin (or sent nonsense): leave
        request = json.loads(line)
        answer: dict[str, Any] = {"id": request["id"], "answer": _serve(request)}
        # What the file left behind goes before the answer does, so the growth
        # reported is what the next file starts from.
        gc.collect()
        answer["grown"] = _address_space() - at_start
        answers.write(json.dumps(answer).encode() + b"\n")
        answers.flush()


def _address_space() -> int:
    """This process's address space in bytes (what RLIMIT_AS counts)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _import_parsers() -> None:
    """Import what checking and repairing a file use, once, before any file is read
    (validation, imported with this module, brings pypdf and pikepdf; it imports
    pdfium only when it reads text, so that the web processes never load it)."""
    import pypdfium2  # noqa: F401

    from . import repair  # noqa: F401


def _serve(request: dict[str, Any]) -> Any:
    repairing = request["operation"] == "repair"
    _limit_resources(
        cpu_seconds=int(request["cpu_seconds"]),
        memory_bytes=int(request["memory_bytes"]),
        file_bytes=int(request["max_output_bytes"]) if repairing else 0,
    )
    try:
        if repairing:
            from .repair import repair_pdf

            return repair_pdf(request["src"], request["dst"])
        return _to_json(
            analyze_pdf(
                request["path"],
                max_bytes=int(request["max_bytes"]),
                debtor_names=[str(name) for name in request["debtor_names"]],
                needs_signature=bool(request["needs_signature"]),
            )
        )
    except MemoryError:
        os._exit(_EXIT_OUT_OF_MEMORY)


def _command() -> list[str]:
    if not sys.executable:
        raise SandboxUnavailable("no Python interpreter path to start a child with")
    return [sys.executable, "-I", "-B", "-c", _BOOTSTRAP, _PROJECT_ROOT]


def _run_child(request: dict[str, Any], *, cpu_seconds: int, label: str) -> Any:
    """Ask a pool child; return its (parsed) answer, or None if it failed in any way.

    Each request carries a fresh id that the answer must repeat, so an answer can
    never be taken for another file's.

    A child that was already dead when asked (nothing was judged) is replaced
    and the request sent to another one; a child that dies, runs out of a
    limit or answers nonsense while working on the file is replaced and the
    file is refused.
    """
    pool = _pool()
    request_id = secrets.token_hex(8)
    message = json.dumps({**request, "id": request_id}).encode()
    for _attempt in range(2):
        worker = pool.acquire(timeout=3 * cpu_seconds)
        outcome = _FAILED
        try:
            outcome, reply = worker.ask(message, timeout=3 * cpu_seconds)
            if outcome is _ANSWERED:
                envelope = _envelope(reply)
                if envelope is None or envelope.get("id") != request_id:
                    worker.stop()
                    outcome = _FAILED
                else:
                    worker.note_growth(envelope.get("grown"))
        finally:
            pool.release(worker, healthy=outcome is _ANSWERED)
        if outcome is _ANSWERED:
            assert envelope is not None  # noqa: S101 (no envelope: outcome is _FAILED)
            return envelope.get("answer")
        if outcome is _FAILED:
            logger.warning(
                "PDF child failed (%s) on %s: %.2000s",
                worker.exit_description(),
                label,
                worker.stderr_tail(),
            )
            return None
    raise SandboxUnavailable("PDF child processes die before taking work")


def _envelope(reply: bytes | None) -> dict[str, Any] | None:
    try:
        envelope = json.loads(reply or b"")
    except ValueError:
        return None
    return envelope if isinstance(envelope, dict) else None


def _limit_resources(*, cpu_seconds: int, memory_bytes: int, file_bytes: int) -> None:
    """Give the next file `cpu_seconds` more CPU, `memory_bytes`, `file_bytes`.

    Only soft limits move (a process may raise its soft limit up to the hard
    one, never the hard one), so a long-lived child can renew them per file.
    Over the soft CPU limit the kernel sends SIGXCPU, which terminates; a
    child that ignores it meets the pool's wall-clock limit.
    """
    usage = resource.getrusage(resource.RUSAGE_SELF)
    used = math.ceil(usage.ru_utime + usage.ru_stime)
    _set_soft_limit(resource.RLIMIT_CPU, used + cpu_seconds)
    _set_soft_limit(resource.RLIMIT_AS, memory_bytes)
    # No files written beyond the repaired copy (a bigger write gets SIGXFSZ,
    # which terminates).
    _set_soft_limit(resource.RLIMIT_FSIZE, file_bytes)


def _set_soft_limit(kind: int, soft: int) -> None:
    """Set a soft limit, never above the hard limit the process has.

    Raising a hard limit needs privileges; a container that already imposes a
    lower one would otherwise make every child fail.
    """
    _, hard = resource.getrlimit(kind)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(kind, (soft, hard))


def _lower_limit(kind: int, soft: int, hard: int) -> None:
    """Set both limits, never above the hard limit the process already has."""
    _, current_hard = resource.getrlimit(kind)
    if current_hard != resource.RLIM_INFINITY:
        hard = min(hard, current_hard)
        soft = min(soft, hard)
    resource.setrlimit(kind, (soft, hard))


# --- The pool --------------------------------------------------------------

_ANSWERED, _FAILED, _NOT_TAKEN = "answered", "failed", "not taken"
# A child whose address space grew this much since it started (a leak in a
# parser, or a heap left fragmented) is retired: RLIMIT_AS counts what it holds,
# so the next file would get less room than a fresh child gives it.
_MAX_GROWTH_BYTES = 64 << 20
_STDERR_TAIL_BYTES = 4000


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


class _Worker:
    """One pre-started child and the pipes to it."""

    def __init__(self, command: list[str]) -> None:
        try:
            self.process = subprocess.Popen(  # noqa: S603 (our own argv, no shell)
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                bufsize=0,
                # Its own session, so a timeout can kill everything it started.
                start_new_session=True,
                env={"PATH": os.environ.get("PATH", os.defpath), "LC_ALL": "C.UTF-8"},
            )
        except OSError as error:
            raise SandboxUnavailable(
                f"cannot start PDF child process: {error}"
            ) from error
        assert self.process.stdout is not None and self.process.stderr is not None  # noqa: S101 (PIPE sets them)
        os.set_blocking(self.process.stdout.fileno(), False)
        os.set_blocking(self.process.stderr.fileno(), False)
        self.files = 0
        self._errors = bytearray()
        # Whether its address space has grown past _MAX_GROWTH_BYTES since it
        # started (each answer says by how much); then it is retired.
        self.grown = False

    def note_growth(self, grown: object) -> None:
        if isinstance(grown, int) and grown > _MAX_GROWTH_BYTES:
            self.grown = True

    def alive(self) -> bool:
        return self.process.poll() is None

    def ask(self, request: bytes, *, timeout: float) -> tuple[str, bytes | None]:
        """Send one request and wait up to `timeout` s for its one-line answer."""
        assert self.process.stdin is not None and self.process.stdout is not None  # noqa: S101 (PIPE sets them)
        assert self.process.stderr is not None  # noqa: S101 (PIPE sets it)
        self._errors.clear()
        self.files += 1
        deadline = time.monotonic() + timeout
        try:
            self.process.stdin.write(request + b"\n")
        except (BrokenPipeError, ConnectionResetError):
            self.stop()
            return _NOT_TAKEN, None
        reply = bytearray()
        stdout, stderr = self.process.stdout.fileno(), self.process.stderr.fileno()
        with selectors.DefaultSelector() as selector:
            selector.register(stdout, selectors.EVENT_READ)
            selector.register(stderr, selectors.EVENT_READ)
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    self.stop()
                    self._errors += f"timed out after {timeout:g}s".encode()
                    return _FAILED, None
                for key, _events in selector.select(left):
                    chunk = os.read(key.fd, 1 << 16)
                    if key.fd == stderr:
                        self._errors += chunk
                        del self._errors[:-_STDERR_TAIL_BYTES]
                        if not chunk:
                            selector.unregister(stderr)
                        continue
                    if not chunk:  # the child died before answering
                        self.stop()
                        return _FAILED, None
                    reply += chunk
                    if reply.endswith(b"\n"):
                        return _ANSWERED, bytes(reply[:-1])
                    if len(reply) > _MAX_MESSAGE_BYTES:
                        self.stop()
                        return _FAILED, None

    def stderr_tail(self) -> str:
        return self._errors.decode(errors="replace")

    def exit_description(self) -> str:
        code = self.process.poll()
        return "still running" if code is None else f"exit {code}"

    def stop(self) -> None:
        """Kill the child and everything it started; reap it."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            self.process.wait()
        self.close_pipes()

    def close_pipes(self) -> None:
        for pipe in (self.process.stdin, self.process.stdout, self.process.stderr):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()


class _Pool:
    """Pre-started children of this process, shared by its threads.

    `size` children are started on first use and kept ready; up to `limit`
    work at once (more requests wait for one to come free). A child is
    retired after `recycle_after` files and whenever it fails, and a fresh
    one is started at once, so the next file finds an interpreter that has
    already imported the parser.
    """

    def __init__(
        self, command: list[str], *, size: int, limit: int, recycle_after: int
    ):
        self.pid = os.getpid()
        self.command = command
        self.size = max(1, size)
        self.limit = max(self.size, limit)
        self.recycle_after = max(1, recycle_after)
        self.idle: list[_Worker] = []
        self.busy = 0
        self.condition = threading.Condition()
        with self.condition:
            self._fill()

    def _fill(self) -> None:
        while len(self.idle) + self.busy < self.size:
            self.idle.append(_Worker(self.command))

    def acquire(self, *, timeout: float) -> _Worker:
        deadline = time.monotonic() + timeout
        with self.condition:
            while True:
                while self.idle:
                    worker = self.idle.pop()
                    if worker.alive():
                        self.busy += 1
                        return worker
                    worker.stop()  # died while idle: nothing was judged
                if self.busy < self.limit:
                    worker = _Worker(self.command)
                    self.busy += 1
                    return worker
                left = deadline - time.monotonic()
                if left <= 0:
                    raise SandboxUnavailable("every PDF child process is busy")
                self.condition.wait(left)

    def release(self, worker: _Worker, *, healthy: bool) -> None:
        kept: _Worker | None = worker
        if not healthy or worker.files >= self.recycle_after or worker.grown:
            worker.stop()
            kept = None
        with self.condition:
            self.busy -= 1
            if kept is not None:
                self.idle.append(kept)
            with contextlib.suppress(SandboxUnavailable):
                self._fill()
            self.condition.notify()

    def workers(self) -> list[_Worker]:
        with self.condition:
            return list(self.idle)

    def close(self) -> None:
        with self.condition:
            idle, self.idle = self.idle, []
        for worker in idle:
            worker.stop()

    def abandon(self) -> None:
        """In a forked child: let go of the parent's children without killing them."""
        for worker in self.idle:
            worker.close_pipes()
            _ABANDONED.append(worker)  # never reaped here: they are not ours
        self.idle = []


_POOL: _Pool | None = None
_POOL_LOCK = threading.Lock()
_ABANDONED: list[_Worker] = []


def _pool() -> _Pool:
    """This process's pool, started on first use and again after a fork."""
    global _POOL
    command = _command()
    with _POOL_LOCK:
        pool = _POOL
        if pool is not None and pool.pid == os.getpid() and pool.command == command:
            return pool
        if pool is not None and pool.pid == os.getpid():
            pool.close()  # started with another interpreter or bootstrap
        _POOL = None
        _POOL = _Pool(
            command,
            size=_env_int("ECF_PDF_POOL_SIZE", 2),
            limit=_env_int("ECF_PDF_POOL_LIMIT", 4),
            recycle_after=_env_int("ECF_PDF_POOL_RECYCLE_AFTER", 1000),
        )
        return _POOL


def warm_pool() -> None:
    """Start this process's children now (e.g. from a post-fork hook)."""
    _pool()


def shutdown_pool() -> None:
    """Stop this process's children (tests, and a worker that is exiting)."""
    global _POOL
    with _POOL_LOCK:
        pool, _POOL = _POOL, None
    if pool is not None and pool.pid == os.getpid():
        pool.close()


def _after_fork_in_child() -> None:
    """A forked process gets its own pool; the parent's lock may be held."""
    global _POOL, _POOL_LOCK
    _POOL_LOCK = threading.Lock()
    pool, _POOL = _POOL, None
    if pool is not None:
        pool.abandon()


os.register_at_fork(after_in_child=_after_fork_in_child)


def _sha512_of(path: str) -> str:
    digest = hashlib.sha512()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _cannot_process(size: int, sha512: str) -> PdfAnalysis:
    return PdfAnalysis(
        problems=(PdfProblem("cannot_process", CANNOT_PROCESS_MESSAGE),),
        findings=(),
        page_count=0,
        size=size,
        sha512=sha512,
        has_form_fields=False,
        oversized_pages=(),
        text_chars=0,
    )


def _with_digest(analysis: PdfAnalysis, sha512: str) -> PdfAnalysis:
    return PdfAnalysis(
        problems=analysis.problems,
        findings=analysis.findings,
        page_count=analysis.page_count,
        size=analysis.size,
        sha512=sha512,
        has_form_fields=analysis.has_form_fields,
        oversized_pages=analysis.oversized_pages,
        text_chars=analysis.text_chars,
    )


def _to_json(analysis: PdfAnalysis) -> dict[str, Any]:
    return {
        "problems": [[problem.code, problem.message] for problem in analysis.problems],
        "findings": [
            [finding.code, finding.message, finding.page]
            for finding in analysis.findings
        ],
        "page_count": analysis.page_count,
        "size": analysis.size,
        "sha512": analysis.sha512,
        "has_form_fields": analysis.has_form_fields,
        "oversized_pages": list(analysis.oversized_pages),
        "text_chars": analysis.text_chars,
    }


def _from_json(data: dict[str, Any]) -> PdfAnalysis:
    return PdfAnalysis(
        problems=tuple(
            PdfProblem(str(code), str(message)) for code, message in data["problems"]
        ),
        findings=tuple(
            Finding(str(code), str(message), None if page is None else int(page))
            for code, message, page in data["findings"]
        ),
        page_count=int(data["page_count"]),
        size=int(data["size"]),
        sha512=str(data["sha512"]),
        has_form_fields=bool(data["has_form_fields"]),
        oversized_pages=tuple(int(page) for page in data["oversized_pages"]),
        text_chars=int(data["text_chars"]),
    )
