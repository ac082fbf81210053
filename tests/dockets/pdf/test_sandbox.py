"""Validation in a child process: hostile files, limits, and what comes back."""

import hashlib
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import hostile_pdfs
import pdfmaker
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dockets.pdf import sandbox
from dockets.pdf.sandbox import SandboxUnavailable, validate_upload
from dockets.pdf.validation import CANNOT_PROCESS_MESSAGE, PdfAnalysis

MAX = 35 * 1024 * 1024
CPU_SECONDS = 5
BUDGET = CPU_SECONDS * 3 + 2  # the wall-clock limit plus start-up slack

# name -> (how to make it, the one expected problem code or None for accepted)
HOSTILE: dict[str, tuple[Callable[[Path], Path], str | None]] = {
    "encrypted": (hostile_pdfs.make_encrypted_pdf, "encrypted"),
    "javascript": (hostile_pdfs.make_javascript_pdf, "javascript"),
    "launch": (hostile_pdfs.make_launch_pdf, "launch"),
    "embedded_file": (hostile_pdfs.make_embedded_file_pdf, "embedded_files"),
    "media": (hostile_pdfs.make_media_pdf, "media"),
    "truncated": (hostile_pdfs.make_truncated_pdf, "damaged"),
    "malformed_xref": (hostile_pdfs.make_malformed_xref_pdf, "damaged"),
    "deep_nesting": (hostile_pdfs.make_deeply_nested_pdf, "damaged"),
    "deep_chain": (
        lambda path: hostile_pdfs.make_deeply_nested_pdf(
            path, kind="chain", depth=5_000
        ),
        None,
    ),
    "zip_bomb_stream": (hostile_pdfs.make_bomb_pdf, "cannot_process"),
    "huge_page_count": (hostile_pdfs.make_huge_page_count_pdf, "damaged"),
    "not_a_pdf_renamed": (hostile_pdfs.make_not_a_pdf, "not_pdf"),
    "polyglot_html": (hostile_pdfs.make_polyglot_pdf, "not_pdf"),
    "polyglot_zip": (
        lambda path: hostile_pdfs.make_polyglot_pdf(path, kind="zip_appended"),
        "not_pdf",
    ),
    "empty": (hostile_pdfs.make_empty_pdf, "empty"),
    "oversized_page": (pdfmaker.make_oversized_pdf, "page_size"),
    "image_only": (pdfmaker.make_image_only_pdf, None),
}


def timed_validate(path, **kwargs):
    started = time.monotonic()
    analysis = validate_upload(
        path, max_bytes=kwargs.pop("max_bytes", MAX), cpu_seconds=CPU_SECONDS, **kwargs
    )
    return analysis, time.monotonic() - started


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_file_gets_its_code_within_budget(tmp_path, name):
    make, expected = HOSTILE[name]
    path = make(tmp_path / f"{name}.pdf")
    analysis, elapsed = timed_validate(path)
    assert [problem.code for problem in analysis.problems] == (
        [expected] if expected else []
    )
    assert analysis.sha512 == hashlib.sha512(path.read_bytes()).hexdigest()
    assert elapsed < BUDGET


def test_valid_filing_matches_in_process_analysis(tmp_path):
    """The child's answer survives the trip: same problems, findings and facts."""
    from dockets.pdf.validation import analyze_pdf

    path = pdfmaker.make_pdf(
        tmp_path / "motion.pdf", pages=2, text="In re Jane Roe\nSSN 123-45-6789"
    )
    kwargs: dict[str, Any] = {
        "max_bytes": MAX,
        "debtor_names": ["Jane Q. Debtor"],
        "needs_signature": True,
    }
    assert validate_upload(path, **kwargs) == analyze_pdf(path, **kwargs)


def test_fifty_page_filing_validates_quickly(tmp_path):
    """Start-up plus checking a 50-page filing stays well inside the budget."""
    path = pdfmaker.make_pdf(tmp_path / "fifty.pdf", pages=50)
    analysis, elapsed = timed_validate(path, debtor_names=["Jane Q. Debtor"])
    assert analysis.ok
    assert analysis.page_count == 50
    assert elapsed < BUDGET


def test_file_over_the_limit_is_refused_without_a_child(tmp_path, monkeypatch):
    """A 2 GB upload is judged by its size alone: no child, no hashing."""
    path = tmp_path / "two_gigabytes.pdf"
    with path.open("wb") as handle:
        handle.truncate(2 * 1024**3)  # sparse: no disk used

    def no_child(*args, **kwargs):
        raise AssertionError("a child was started")

    monkeypatch.setattr(subprocess, "Popen", no_child)
    analysis, elapsed = timed_validate(path)
    assert [problem.code for problem in analysis.problems] == ["too_large"]
    assert "35 MB" in analysis.problems[0].message
    assert analysis.size == 2 * 1024**3
    assert elapsed < 1


def child_running(monkeypatch, analysis_code):
    """Make the child run `analysis_code` (a lambda's body) instead of analyze_pdf."""
    monkeypatch.setattr(
        sandbox,
        "_BOOTSTRAP",
        "import sys; sys.path.insert(0, sys.argv[1]); "
        "import dockets.pdf.sandbox as s; "
        f"s.analyze_pdf = lambda *a, **k: {analysis_code}; "
        "s.child_main()",
    )


def assert_cannot_process(analysis, path):
    assert analysis.problems[0].code == "cannot_process"
    assert analysis.problems[0].message == CANNOT_PROCESS_MESSAGE
    assert analysis.sha512 == hashlib.sha512(path.read_bytes()).hexdigest()


def test_child_over_its_cpu_limit_is_stopped(tmp_path, monkeypatch):
    """RLIMIT_CPU ends a child stuck in a CPU-bound loop (SIGXCPU)."""
    child_running(monkeypatch, "[0 for _ in iter(int, 1)]")
    path = pdfmaker.make_pdf(tmp_path / "spin.pdf")
    started = time.monotonic()
    analysis = validate_upload(path, max_bytes=MAX, cpu_seconds=1)
    assert_cannot_process(analysis, path)
    assert time.monotonic() - started < 1 * 3 + 2


def test_child_over_its_memory_limit_is_stopped(tmp_path, monkeypatch):
    """RLIMIT_AS turns a huge allocation into MemoryError, then a refusal."""
    child_running(monkeypatch, "bytearray(4 << 30)")
    path = pdfmaker.make_pdf(tmp_path / "hungry.pdf")
    analysis = validate_upload(path, max_bytes=MAX, memory_bytes=256 << 20)
    assert_cannot_process(analysis, path)


def test_child_that_sleeps_is_killed_at_the_wall_clock_limit(tmp_path, monkeypatch):
    """Waiting uses no CPU, so only the wall-clock timeout can stop it."""
    child_running(monkeypatch, "__import__('time').sleep(60)")
    path = pdfmaker.make_pdf(tmp_path / "sleepy.pdf")
    started = time.monotonic()
    analysis = validate_upload(path, max_bytes=MAX, cpu_seconds=1)
    assert_cannot_process(analysis, path)
    assert time.monotonic() - started < 1 * 3 + 2


def test_child_that_crashes_is_refused(tmp_path, monkeypatch):
    child_running(monkeypatch, "__import__('os').abort()")
    path = pdfmaker.make_pdf(tmp_path / "crash.pdf")
    assert_cannot_process(validate_upload(path, max_bytes=MAX), path)


def test_child_that_answers_nonsense_is_refused(tmp_path, monkeypatch):
    child_running(
        monkeypatch,
        "(__import__('sys').stdout.write('{'), __import__('sys').stdout.flush(),"
        " __import__('os')._exit(0))",
    )
    path = pdfmaker.make_pdf(tmp_path / "garbled.pdf")
    assert_cannot_process(validate_upload(path, max_bytes=MAX), path)


def test_file_changed_during_validation_is_refused(tmp_path, monkeypatch):
    """The digest must belong to the bytes checked; the child saw other bytes."""
    child_running(
        monkeypatch,
        "s.PdfAnalysis((), (), 1, 1, 'f' * 128, False, (), 0)",
    )
    path = pdfmaker.make_pdf(tmp_path / "swapped.pdf")
    assert_cannot_process(validate_upload(path, max_bytes=MAX), path)


def test_unstartable_child_raises_for_retry(tmp_path, monkeypatch):
    """No child means no verdict: raise, so a task retries instead of refusing."""
    monkeypatch.setattr(sandbox.sys, "executable", str(tmp_path / "no-python"))
    with pytest.raises(SandboxUnavailable):
        validate_upload(pdfmaker.make_pdf(tmp_path / "ok.pdf"), max_bytes=MAX)


VALID = pdfmaker.pdf_bytes(pages=2)


@settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.lists(
        st.tuples(st.integers(0, len(VALID) - 1), st.integers(0, 255)),
        min_size=1,
        max_size=20,
    )
)
def test_mutated_pdf_always_gets_an_analysis(tmp_path, edits):
    """Random byte changes never raise out of validate_upload."""
    data = bytearray(VALID)
    for offset, value in edits:
        data[offset] = value
    path = tmp_path / "mutant.pdf"
    path.write_bytes(bytes(data))
    analysis, elapsed = timed_validate(path)
    assert isinstance(analysis, PdfAnalysis)
    assert elapsed < BUDGET


def test_repair_in_a_child_shrinks_pages(tmp_path):
    src = pdfmaker.make_oversized_pdf(tmp_path / "plans.pdf")
    dst = tmp_path / "fixed.pdf"
    changes = sandbox.repair_upload(src, dst)
    assert [change.split()[0] for change in changes] == ["Reduced"]
    assert validate_upload(dst, max_bytes=MAX).ok


def test_repair_in_a_child_with_nothing_to_do_writes_nothing(tmp_path):
    dst = tmp_path / "fixed.pdf"
    assert sandbox.repair_upload(pdfmaker.make_pdf(tmp_path / "ok.pdf"), dst) == []
    assert not dst.exists()


def test_failed_repair_raises_and_leaves_no_output(tmp_path):
    src = hostile_pdfs.make_truncated_pdf(tmp_path / "broken.pdf")
    dst = tmp_path / "fixed.pdf"
    with pytest.raises(sandbox.RepairFailed):
        sandbox.repair_upload(src, dst)
    assert not dst.exists()


def test_limits_never_exceed_an_existing_hard_limit(monkeypatch):
    """A container's lower hard limit is kept instead of failing the child."""
    calls = []
    monkeypatch.setattr(sandbox.resource, "getrlimit", lambda kind: (100, 200))
    monkeypatch.setattr(
        sandbox.resource, "setrlimit", lambda kind, limits: calls.append(limits)
    )
    sandbox._limit_resources(cpu_seconds=500, memory_bytes=150, file_bytes=0)
    # Only soft limits move, so the next file can get its allowance again.
    assert calls == [(200, 200), (150, 200), (0, 200)]


# --- The warm pool -------------------------------------------------------------


@pytest.fixture
def fresh_pool():
    sandbox.shutdown_pool()
    yield
    sandbox.shutdown_pool()


def live_children():
    return sorted(worker.process.pid for worker in sandbox._pool().workers())


def child_misbehaving_on(monkeypatch, marker, behaviour):
    """Children that run `behaviour` on files named *marker*, and check the rest."""
    monkeypatch.setattr(
        sandbox,
        "_BOOTSTRAP",
        "import sys; sys.path.insert(0, sys.argv[1]); "
        "import dockets.pdf.sandbox as s, dockets.pdf.validation as v; "
        f"s.analyze_pdf = lambda *a, **k: ({behaviour}) if {marker!r} in a[0] "
        "else v.analyze_pdf(*a, **k); "
        "s.child_main()",
    )


def test_good_files_reuse_the_same_warm_children(tmp_path, fresh_pool):
    """After the first file no interpreter starts: the same children answer."""
    path = pdfmaker.make_pdf(tmp_path / "motion.pdf")
    assert validate_upload(path, max_bytes=MAX).ok
    before = live_children()
    for _ in range(5):
        assert validate_upload(path, max_bytes=MAX).ok
    assert live_children() == before


@pytest.mark.parametrize(
    "behaviour",
    [
        "[0 for _ in iter(int, 1)]",  # an endless loop: the CPU limit
        "bytearray(4 << 30)",  # a bomb: the memory limit
        "__import__('time').sleep(60)",  # a hang: the wall-clock limit
        "__import__('os').abort()",  # a crash in the parser
    ],
    ids=["loop", "memory", "hang", "crash"],
)
def test_a_child_that_fails_is_replaced_and_the_pool_stays_healthy(
    tmp_path, monkeypatch, fresh_pool, behaviour
):
    child_misbehaving_on(monkeypatch, "hostile", behaviour)
    good = pdfmaker.make_pdf(tmp_path / "good.pdf")
    hostile = pdfmaker.make_pdf(tmp_path / "hostile.pdf")
    assert validate_upload(good, max_bytes=MAX, cpu_seconds=1).ok
    size = len(live_children())
    analysis = validate_upload(
        hostile, max_bytes=MAX, cpu_seconds=1, memory_bytes=256 << 20
    )
    assert_cannot_process(analysis, hostile)
    assert len(live_children()) == size
    for _ in range(3):
        assert validate_upload(good, max_bytes=MAX, cpu_seconds=1).ok


def test_real_bomb_is_refused_and_the_next_file_is_checked(tmp_path, fresh_pool):
    bomb = hostile_pdfs.make_bomb_pdf(tmp_path / "bomb.pdf")
    assert_cannot_process(validate_upload(bomb, max_bytes=MAX), bomb)
    good = pdfmaker.make_pdf(tmp_path / "good.pdf")
    assert validate_upload(good, max_bytes=MAX).ok


def test_each_file_gets_the_full_cpu_allowance(tmp_path, monkeypatch, fresh_pool):
    """CPU spent on earlier files does not eat into the next file's limit.

    The child burns CPU time (not wall time, so a busy machine only slows it):
    1.2 s on the first file, then 0.3 s on one allowed 1 s. Had the limit not
    been renewed from what the child already used, the second would be killed.
    """
    monkeypatch.setenv("ECF_PDF_POOL_SIZE", "1")
    burn = (
        "(lambda end: [0 for _ in iter(lambda: __import__('time').process_time()"
        " < end, False)])(__import__('time').process_time() + {seconds})"
    )
    monkeypatch.setattr(
        sandbox,
        "_BOOTSTRAP",
        "import sys; sys.path.insert(0, sys.argv[1]); "
        "import dockets.pdf.sandbox as s, dockets.pdf.validation as v; "
        "s.analyze_pdf = lambda *a, **k: ("
        f"{burn.format(seconds=1.2)} if 'first' in a[0] else {burn.format(seconds=0.3)},"
        " v.analyze_pdf(*a, **k))[1]; "
        "s.child_main()",
    )
    first = pdfmaker.make_pdf(tmp_path / "first.pdf")
    second = pdfmaker.make_pdf(tmp_path / "second.pdf")
    assert validate_upload(first, max_bytes=MAX, cpu_seconds=4).ok
    pid = live_children()
    assert validate_upload(second, max_bytes=MAX, cpu_seconds=1).ok
    assert live_children() == pid  # the same child, not a replacement


def test_a_child_is_recycled_after_its_quota_of_files(
    tmp_path, monkeypatch, fresh_pool
):
    monkeypatch.setenv("ECF_PDF_POOL_SIZE", "1")
    monkeypatch.setenv("ECF_PDF_POOL_RECYCLE_AFTER", "3")
    path = pdfmaker.make_pdf(tmp_path / "motion.pdf")
    assert validate_upload(path, max_bytes=MAX).ok
    first = live_children()
    assert validate_upload(path, max_bytes=MAX).ok
    assert live_children() == first
    assert validate_upload(path, max_bytes=MAX).ok  # the third file: retired
    assert live_children() != first
    assert len(live_children()) == 1


def test_a_child_that_died_while_idle_costs_no_verdict(tmp_path, fresh_pool):
    """A child killed between files (OOM killer, operator) is simply replaced."""
    path = pdfmaker.make_pdf(tmp_path / "motion.pdf")
    assert validate_upload(path, max_bytes=MAX).ok
    for worker in sandbox._pool().workers():
        worker.process.kill()
        worker.process.wait()
    assert validate_upload(path, max_bytes=MAX).ok


def test_a_forked_process_starts_its_own_pool(tmp_path, fresh_pool):
    """gunicorn and Celery fork after import: the child must not share pipes."""
    import os

    path = pdfmaker.make_pdf(tmp_path / "motion.pdf")
    assert validate_upload(path, max_bytes=MAX).ok
    parents = live_children()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the forked child
        try:
            ok = validate_upload(path, max_bytes=MAX).ok
            mine = live_children()
            os.write(write_end, b"ok" if ok and not set(mine) & set(parents) else b"no")
            sandbox.shutdown_pool()
        finally:
            os._exit(0)
    os.close(write_end)
    os.waitpid(pid, 0)
    assert os.read(read_end, 2) == b"ok"
    os.close(read_end)
    assert live_children() == parents
    assert validate_upload(path, max_bytes=MAX).ok


def test_what_the_parser_prints_is_never_taken_for_an_answer(
    tmp_path, monkeypatch, fresh_pool
):
    """A library printing to stdout (even a line that looks like an answer) is ignored."""
    child_misbehaving_on(
        monkeypatch,
        "noisy",
        '(print(\'{"id": "0", "answer": null}\'), v.analyze_pdf(*a, **k))[1]',
    )
    noisy = pdfmaker.make_pdf(tmp_path / "noisy.pdf")
    quiet = pdfmaker.make_pdf(tmp_path / "quiet.pdf", pages=3)
    for _ in range(2):
        assert validate_upload(noisy, max_bytes=MAX).page_count == 1
        assert validate_upload(quiet, max_bytes=MAX).page_count == 3


def test_a_warm_child_collects_only_what_the_last_file_left(
    tmp_path, monkeypatch, fresh_pool
):
    """The parsers' modules are frozen out of the collector before the first file.

    The child collects garbage after every file; had the objects it imported at
    start (~30,000) stayed in the collector's sight, each collection would walk
    them all (~6 ms a file, more than checking a one-page PDF). The child
    reports, as the page count, how many objects the collector tracks when a
    file arrives.
    """
    monkeypatch.setenv("ECF_PDF_POOL_SIZE", "1")
    child_misbehaving_on(
        monkeypatch,
        "census",
        "__import__('dataclasses').replace(v.analyze_pdf(*a, **k), "
        "page_count=len(__import__('gc').get_objects()))",
    )
    path = pdfmaker.make_pdf(tmp_path / "motion.pdf", pages=3)
    census = pdfmaker.make_pdf(tmp_path / "census.pdf")
    for _ in range(3):
        assert validate_upload(path, max_bytes=MAX).page_count == 3
    tracked = validate_upload(census, max_bytes=MAX).page_count
    assert 0 < tracked < 2_000


def test_a_child_whose_memory_grows_is_retired(tmp_path, monkeypatch, fresh_pool):
    """A parser that leaks (here: 100 MB kept per file named *leaky*) makes its
    child's address space grow; the pool retires it after that file, so the next
    file gets the room under the memory limit a fresh child gives it."""
    monkeypatch.setenv("ECF_PDF_POOL_SIZE", "1")
    child_misbehaving_on(
        monkeypatch,
        "leaky",
        "(__import__('builtins').__dict__.setdefault('kept', [])"
        ".append(b'x' * (100 << 20)), v.analyze_pdf(*a, **k))[1]",
    )
    good = pdfmaker.make_pdf(tmp_path / "good.pdf")
    leaky = pdfmaker.make_pdf(tmp_path / "leaky.pdf")
    for _ in range(3):
        assert validate_upload(good, max_bytes=MAX).ok
    steady = live_children()
    assert validate_upload(good, max_bytes=MAX).ok
    assert live_children() == steady  # checking files does not grow a child
    assert validate_upload(leaky, max_bytes=MAX).ok
    assert live_children() != steady
    assert len(live_children()) == 1
    assert validate_upload(good, max_bytes=MAX).ok


def test_the_process_that_asks_never_loads_pdfium(tmp_path):
    """Only the pool's children read text (with pdfium): a web or Celery worker
    that checks uploads through the sandbox does not carry the library."""
    import os
    import sys

    path = pdfmaker.make_pdf(tmp_path / "motion.pdf", pages=2)
    script = (
        "import sys\n"
        "from dockets.pdf.sandbox import validate_upload, shutdown_pool\n"
        f"analysis = validate_upload({str(path)!r}, max_bytes={MAX})\n"
        "shutdown_pool()\n"
        "print(analysis.ok, analysis.text_chars > 0, 'pypdfium2' in sys.modules)\n"
    )
    root = str(Path(sandbox.__file__).resolve().parents[2])
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": root},
        check=True,
    )
    assert result.stdout.split() == ["True", "True", "False"]
