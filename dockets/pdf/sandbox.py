"""Run PDF validation in a child process with CPU, memory and wall-clock limits.

Threat model: the parser (pypdf) is a large body of Python reading hostile
bytes. A crafted file can hit a quadratic path (pypdf#3676, #808), allocate
until the machine swaps, or recurse until the interpreter dies. The checks in
validation.py bound what they can; this module bounds everything else. A
child that runs out of CPU time, memory or wall-clock time, or dies in any
other way, becomes one `cannot_process` refusal, and the web or Celery worker
that asked carries on.

`repair_upload` runs repair.repair_pdf the same way, for the same reason.

Why a fresh interpreter (`python -I -B -c ...` via subprocess) rather than
multiprocessing: Celery's prefork pool runs tasks in daemonic processes,
which multiprocessing forbids from having children; fork() from a threaded
gunicorn worker can deadlock on locks held by other threads; and the spawn
and forkserver contexts re-import the parent's __main__ (gunicorn, celery).
The child imports only this package and pypdf, takes its request as JSON on
stdin and answers as JSON on stdout.

The SHA-512 reported is computed here, in the parent, from the file on disk;
the child hashes the bytes it parsed, and a mismatch (the file changed while
it was checked) is refused, so the digest always belongs to the bytes checked.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import resource
import signal
import subprocess
import sys
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

    request = json.dumps(
        {
            "operation": "validate",
            "path": os.path.abspath(path),
            "max_bytes": max_bytes,
            "cpu_seconds": cpu_seconds,
            "memory_bytes": memory_bytes,
            "debtor_names": list(debtor_names),
            "needs_signature": needs_signature,
        }
    ).encode()
    reply = _run_child(request, cpu_seconds=cpu_seconds, label=path)
    if reply is None:
        return _cannot_process(size, sha512)
    try:
        analysis = _from_json(json.loads(reply))
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
    request = json.dumps(
        {
            "operation": "repair",
            "src": src,
            "dst": dst,
            "cpu_seconds": cpu_seconds,
            "memory_bytes": memory_bytes,
            "max_output_bytes": max(64 << 20, 4 * os.stat(src).st_size),
        }
    ).encode()
    reply = _run_child(request, cpu_seconds=cpu_seconds, label=src)
    try:
        changes = json.loads(reply) if reply is not None else None
    except ValueError:
        changes = None
    if not isinstance(changes, list):
        with contextlib.suppress(FileNotFoundError):
            os.remove(dst)
        raise RepairFailed(f"could not repair {src}")
    return [str(change) for change in changes]


def child_main() -> None:
    """Entry point of the child: JSON request on stdin, JSON answer on stdout."""
    request = json.loads(sys.stdin.buffer.read(_MAX_MESSAGE_BYTES))
    repairing = request["operation"] == "repair"
    _limit_resources(
        cpu_seconds=int(request["cpu_seconds"]),
        memory_bytes=int(request["memory_bytes"]),
        file_bytes=int(request["max_output_bytes"]) if repairing else 0,
    )
    logging.basicConfig(level=logging.ERROR, stream=sys.stderr)
    try:
        if repairing:
            from .repair import repair_pdf

            answer: Any = repair_pdf(request["src"], request["dst"])
        else:
            answer = _to_json(
                analyze_pdf(
                    request["path"],
                    max_bytes=int(request["max_bytes"]),
                    debtor_names=[str(name) for name in request["debtor_names"]],
                    needs_signature=bool(request["needs_signature"]),
                )
            )
    except MemoryError:
        os._exit(_EXIT_OUT_OF_MEMORY)
    sys.stdout.write(json.dumps(answer))
    sys.stdout.flush()


def _run_child(request: bytes, *, cpu_seconds: int, label: str) -> bytes | None:
    """Run one child; return its stdout, or None if it failed in any way."""
    if not sys.executable:
        raise SandboxUnavailable("no Python interpreter path to start a child with")
    try:
        child = subprocess.Popen(
            [sys.executable, "-I", "-B", "-c", _BOOTSTRAP, _PROJECT_ROOT],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            # Its own session, so a timeout can kill everything it started.
            start_new_session=True,
            env={"PATH": os.environ.get("PATH", os.defpath), "LC_ALL": "C.UTF-8"},
        )
    except OSError as error:
        raise SandboxUnavailable(f"cannot start PDF child process: {error}") from error
    try:
        reply, errors = child.communicate(request, timeout=3 * cpu_seconds)
    except subprocess.TimeoutExpired:
        _kill(child)
        logger.warning("PDF child timed out after %ss on %s", 3 * cpu_seconds, label)
        return None
    except BaseException:
        _kill(child)
        raise
    if child.returncode != 0:
        logger.warning(
            "PDF child failed (exit %s) on %s: %.2000s",
            child.returncode,
            label,
            errors.decode(errors="replace"),
        )
        return None
    return reply[:_MAX_MESSAGE_BYTES]


def _limit_resources(*, cpu_seconds: int, memory_bytes: int, file_bytes: int) -> None:
    # The soft CPU limit sends SIGXCPU (which terminates); the hard one, a
    # second later, SIGKILL for a process that catches it.
    _lower_limit(resource.RLIMIT_CPU, cpu_seconds, cpu_seconds + 1)
    _lower_limit(resource.RLIMIT_AS, memory_bytes, memory_bytes)
    # No core dumps (they would hold the filing); no files written beyond
    # the repaired copy (a bigger write gets SIGXFSZ, which terminates).
    _lower_limit(resource.RLIMIT_CORE, 0, 0)
    _lower_limit(resource.RLIMIT_FSIZE, file_bytes, file_bytes)


def _lower_limit(kind: int, soft: int, hard: int) -> None:
    """Set a limit, never above the hard limit the process already has.

    Raising a hard limit needs privileges; a container that already imposes a
    lower one would otherwise make every child fail.
    """
    _, current_hard = resource.getrlimit(kind)
    if current_hard != resource.RLIM_INFINITY:
        hard = min(hard, current_hard)
        soft = min(soft, hard)
    resource.setrlimit(kind, (soft, hard))


def _kill(child: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(child.pid, signal.SIGKILL)
    child.communicate()


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
