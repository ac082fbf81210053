"""Validation in a child process: hostile files, limits, and what comes back."""

import hashlib
import subprocess
import time

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
HOSTILE = {
    "encrypted": (pdfmaker.make_encrypted_pdf, "encrypted"),
    "javascript": (pdfmaker.make_javascript_pdf, "javascript"),
    "launch": (pdfmaker.make_launch_pdf, "launch"),
    "embedded_file": (pdfmaker.make_embedded_file_pdf, "embedded_files"),
    "media": (pdfmaker.make_media_pdf, "media"),
    "truncated": (pdfmaker.make_truncated_pdf, "damaged"),
    "malformed_xref": (pdfmaker.make_malformed_xref_pdf, "damaged"),
    "deep_nesting": (pdfmaker.make_deeply_nested_pdf, "damaged"),
    "deep_chain": (
        lambda path: pdfmaker.make_deeply_nested_pdf(path, kind="chain", depth=5_000),
        None,
    ),
    "zip_bomb_stream": (pdfmaker.make_bomb_pdf, "cannot_process"),
    "huge_page_count": (pdfmaker.make_huge_page_count_pdf, "damaged"),
    "not_a_pdf_renamed": (pdfmaker.make_not_a_pdf, "not_pdf"),
    "polyglot_html": (pdfmaker.make_polyglot_pdf, "not_pdf"),
    "polyglot_zip": (
        lambda path: pdfmaker.make_polyglot_pdf(path, kind="zip_appended"),
        "not_pdf",
    ),
    "empty": (pdfmaker.make_empty_pdf, "empty"),
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
    kwargs = {
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
    src = pdfmaker.make_truncated_pdf(tmp_path / "broken.pdf")
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
    assert calls == [(200, 200), (150, 150), (0, 0), (0, 0)]
