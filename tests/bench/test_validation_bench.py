"""Benchmark P2 (performance.md §6): upload validation against a bare read+write.

Run by `make bench` (marked bench, so `make test` skips it); writes
bench/out/validation.json in the common shape (see benchkit.py).

- validation in this process (`analyze_pdf`) of a 2,000-page text file (QUICK: 200)
  against a bare pypdf read and write of the same file: target <= 0.5x;
- validation in the warm sandbox pool (`validate_upload`, what a filing does: the
  child is already running) against the same bare read and write in this process:
  target <= 0.5x;
- hostile files (a decompression bomb, a page tree that claims millions of pages,
  deep nesting) refused with a reason, within the court's time budget
  (ECF_PDF_CPU_SECONDS of CPU; the figure is the wall time): target <= 1.0x.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from pathlib import Path

import hostile_pdfs
import pdfmaker
import pytest
from benchkit import QUICK, figure, interleaved_medians, write
from django.conf import settings

pytestmark = [pytest.mark.bench]

PAGES = (200,) if QUICK else (500, 2000)
REPS = 3 if QUICK else 5
MAX_BYTES = 35 * 1024 * 1024  # the default ECF_MAX_UPLOAD_BYTES


def bare_read_write(src: Path, dst: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(src), keep_initial_header=True)
    with open(dst, "wb") as out:
        writer.write(out)


def test_validation_against_bare_read_write(tmp_path):
    from dockets.pdf.sandbox import validate_upload
    from dockets.pdf.validation import analyze_pdf

    figures = []
    for pages in PAGES:
        src = pdfmaker.make_pdf(tmp_path / f"text{pages}.pdf", pages=pages)
        dst = tmp_path / f"copy{pages}.pdf"
        analysis = analyze_pdf(src, max_bytes=MAX_BYTES)
        assert analysis.ok and analysis.page_count == pages

        times = interleaved_medians(
            {
                "validate": functools.partial(analyze_pdf, src, max_bytes=MAX_BYTES),
                "bare": functools.partial(bare_read_write, src, dst),
            },
            reps=REPS,
        )
        figures.append(
            figure(
                target="P2",
                name=f"validation, {pages}-page text PDF, in process",
                figure=times["validate"],
                baseline=times["bare"],
                baseline_name="bare pypdf read+write of the same file",
                target_ratio=0.5,
            )
        )

        def sandboxed(src=src):
            result = validate_upload(
                src,
                max_bytes=MAX_BYTES,
                cpu_seconds=settings.ECF_PDF_CPU_SECONDS,
                memory_bytes=settings.ECF_PDF_MEMORY_BYTES,
            )
            assert result.ok, result.problems

        # The pool's children are warm (dockets.pdf.sandbox): a check costs the
        # parse plus a round trip, so it is measured against the bare read+write
        # in this process, not against a fresh interpreter.
        sandboxed()
        times = interleaved_medians(
            {
                "sandbox": sandboxed,
                "bare": functools.partial(bare_read_write, src, dst),
            },
            reps=REPS,
        )
        figures.append(
            figure(
                target="P2",
                name=f"validation, {pages}-page text PDF, warm sandbox pool",
                figure=times["sandbox"],
                baseline=times["bare"],
                baseline_name="bare pypdf read+write of the same file, in process",
                target_ratio=0.5,
                note="the pool's child is already running: no interpreter start on either side",
            )
        )

    budget = float(settings.ECF_PDF_CPU_SECONDS)
    hostile: dict[str, tuple[Callable[[Path], Path], str]] = {
        "decompression bomb (2 GB stream)": (
            hostile_pdfs.make_bomb_pdf,
            "cannot_process",
        ),
        "page tree claiming millions of pages": (
            hostile_pdfs.make_huge_page_count_pdf,
            "damaged",
        ),
        "deeply nested objects": (hostile_pdfs.make_deeply_nested_pdf, "damaged"),
    }
    for label, (make, code) in hostile.items():
        path = make(tmp_path / f"hostile-{len(figures)}.pdf")
        started = time.perf_counter()
        result = validate_upload(
            path,
            max_bytes=MAX_BYTES,
            cpu_seconds=settings.ECF_PDF_CPU_SECONDS,
            memory_bytes=settings.ECF_PDF_MEMORY_BYTES,
        )
        elapsed = time.perf_counter() - started
        codes = [p.code for p in result.problems]
        figures.append(
            figure(
                target="P2",
                name=f"hostile file refused: {label}",
                figure=elapsed,
                baseline=budget,
                baseline_name=f"time budget (ECF_PDF_CPU_SECONDS = {budget:g} s)",
                target_ratio=1.0,
                note=f"refused as {codes}",
                extra_pass=code in codes,
            )
        )

    write("validation", figures)
    failed = [f["name"] for f in figures if not f["pass"]]
    assert not failed, f"targets missed: {failed}"
