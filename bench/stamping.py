"""Benchmark P1: stamping the CM/ECF header on every page (performance.md §6).

Usage: python bench/stamping.py [--quick] [--json out.json] [--reps N]

For each fixture (text and scanned, 500 and 2,000 pages; --quick: 50 and 200) this
times (a) a bare pypdf read and write of the file and (b) ``stamp_pdf`` on it, the
median of five interleaved runs each (after a warm-up), and measures the peak memory of
each once in a fresh subprocess (peak RSS from VmHWM, and the tracemalloc peak
of the operation alone). The target is stamp <= 1.3x bare for both time and peak
RSS. The bare copy uses the same reader, writer settings and atomic write as
``stamp_pdf``, so the ratio measures the stamping and nothing else.

It also times both operations at 10, 100, 500 and 2,000 pages (--quick: 10, 50,
100, 200) for a page-count -> seconds plot; the plotting lives elsewhere.

Fixtures are generated, never downloaded: text pages with reportlab, scanned pages
as one JPEG image XObject per page (about --scan-kb KB each; at the default 150 KB
the 500-page file is about the 77 MB scan of performance.md §3.2).
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Mapping
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import pypdf  # noqa: E402
from pypdf import PdfReader, PdfWriter  # noqa: E402

from dockets.pdf.stamping import stamp_pdf  # noqa: E402

TARGET_RATIO = 1.3
# P1: the stamped file may grow by at most 1 kB per page.
MAX_GROWTH_PER_PAGE = 1024
FULL_SIZES = (500, 2000)
QUICK_SIZES = (50, 200)
FULL_SERIES = (10, 100, 500, 2000)
QUICK_SERIES = (10, 50, 100, 200)
KINDS = ("text", "scanned")
CLOCKS = ("wall", "cpu")


def cmecf_header(page: int, pages: int) -> str:
    return (
        "Case 24-01234-LT7  Doc 17  Filed 11/26/26  Entered 11/26/26 14:03:12  "
        f"Desc Main Document  Page {page} of {pages}"
    )


# --- the two operations under test ------------------------------------------------


def bare_copy(src: Path, dst: Path) -> int:
    """Read and write `src` exactly as stamp_pdf does, minus the headers."""
    reader = PdfReader(src)
    writer = PdfWriter(clone_from=reader, keep_initial_header=True)
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{dst.name}.", suffix=".tmp", dir=dst.parent
    )
    with os.fdopen(fd, "wb") as out:
        writer.write(out)
    os.replace(tmp_name, dst)
    return len(writer.pages)


def stamp(src: Path, dst: Path) -> int:
    return stamp_pdf(src, dst, cmecf_header)


OPERATIONS: dict[str, Callable[[Path, Path], int]] = {"bare": bare_copy, "stamp": stamp}


# --- fixtures ------------------------------------------------------------------------


def make_text_pdf(path: Path, pages: int) -> None:
    """Write `pages` pages of 45 lines of body text each, as a word processor would."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=letter)
    for page in range(1, pages + 1):
        text = pdf.beginText(72, 720)
        text.setFont("Times-Roman", 11)
        for line in range(1, 46):
            text.textLine(
                f"{page}.{line} The debtor moves the Court for entry of an order "
                "authorizing the relief requested herein, and states as follows."
            )
        pdf.drawText(text)
        pdf.showPage()
    pdf.save()


def _scan_jpeg(target_kb: int) -> bytes:
    """Return one grayscale 150 dpi letter-size JPEG of roughly `target_kb` KB."""
    import random

    from PIL import Image, ImageDraw

    rng = random.Random(17)
    page = Image.new("L", (1275, 1650), 235)
    draw = ImageDraw.Draw(page)
    for row in range(150, 1500, 30):  # ragged lines of "words", like a typed page
        x = 150
        while x < 1120:
            width = rng.randint(20, 90)
            draw.rectangle((x, row, x + width, row + 12), fill=40)
            x += width + rng.randint(8, 16)
    # Scanner noise and JPEG quality set the size; keep the pair closest to the target.
    noise = Image.effect_noise(page.size, 40)
    best = b""
    for alpha in (0.0, 0.05, 0.1, 0.2, 0.3, 0.5):
        scanned = Image.blend(page, noise, alpha)
        for quality in range(30, 100, 10):
            buffer = io.BytesIO()
            scanned.save(buffer, "JPEG", quality=quality)
            data = buffer.getvalue()
            if not best or abs(len(data) - target_kb * 1024) < abs(
                len(best) - target_kb * 1024
            ):
                best = data
    return best


def make_scanned_pdf(path: Path, pages: int, *, target_kb: int) -> None:
    """Write `pages` pages that each show their own JPEG image, as a scanner would.

    Each page's image carries a distinct JPEG comment, so no two image streams are
    identical and nothing can be deduplicated.
    """
    jpeg = _scan_jpeg(target_kb)
    offsets: list[int] = []
    with open(path, "wb") as out:

        def obj(number: int, body: bytes, stream: bytes | None = None) -> None:
            offsets.append(out.tell())
            out.write(b"%d 0 obj\n" % number + body)
            if stream is not None:
                out.write(b"\nstream\n" + stream + b"\nendstream")
            out.write(b"\nendobj\n")

        out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        kids = b" ".join(b"%d 0 R" % (3 + 3 * i) for i in range(pages))
        obj(1, b"<< /Type /Catalog /Pages 2 0 R >>")
        obj(2, b"<< /Type /Pages /Count %d /Kids [%s] >>" % (pages, kids))
        draw = b"q 612 0 0 792 0 0 cm /Im0 Do Q"
        for i in range(pages):
            page, content, image = 3 + 3 * i, 4 + 3 * i, 5 + 3 * i
            obj(
                page,
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                b"/Resources << /XObject << /Im0 %d 0 R >> >> /Contents %d 0 R >>"
                % (image, content),
            )
            obj(content, b"<< /Length %d >>" % len(draw), draw)
            comment = b"scan page %d" % (i + 1)
            data = (
                jpeg[:2]
                + b"\xff\xfe"
                + (len(comment) + 2).to_bytes(2, "big")
                + comment
                + jpeg[2:]
            )
            obj(
                image,
                b"<< /Type /XObject /Subtype /Image /Width 1275 /Height 1650 "
                b"/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode "
                b"/Length %d >>" % len(data),
                data,
            )
        xref = out.tell()
        out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1))
        out.writelines(b"%010d 00000 n \n" % offset for offset in offsets)
        out.write(
            b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(offsets) + 1, xref)
        )


def fixture(workdir: Path, kind: str, pages: int, scan_kb: int) -> Path:
    path = workdir / (
        f"{kind}{pages}.pdf" if kind == "text" else f"{kind}{pages}-{scan_kb}kb.pdf"
    )
    if not path.exists():
        if kind == "text":
            make_text_pdf(path, pages)
        else:
            make_scanned_pdf(path, pages, target_kb=scan_kb)
    return path


# --- measurement ---------------------------------------------------------------------


def time_both(src: Path, workdir: Path, reps: int) -> dict[str, float]:
    """Return median seconds per operation and clock, e.g. ``bare_wall``, ``stamp_cpu``.

    Runs are interleaved against drift. Small files get extra runs (up to 50, until
    about a second per operation), since a few milliseconds of noise would swamp
    their ratio. The cpu clock is the process's user+system time: on a shared machine
    it barely moves when other jobs compete for the cores, and wall time does.
    """
    # One untimed run each first: the first runs in a process pay for growing the
    # heap (up to +70% at 2,000 pages), which would land on whichever op runs first.
    for name, operation in OPERATIONS.items():
        operation(src, workdir / f"out-{name}.pdf")
    runs: dict[str, list[float]] = {f"{n}_{c}": [] for n in OPERATIONS for c in CLOCKS}
    while True:
        for name, operation in OPERATIONS.items():
            gc.collect()
            wall, cpu = time.perf_counter(), time.process_time()
            operation(src, workdir / f"out-{name}.pdf")
            runs[f"{name}_wall"].append(time.perf_counter() - wall)
            runs[f"{name}_cpu"].append(time.process_time() - cpu)
        done = len(runs["bare_wall"])
        if done >= reps and (done >= 50 or sum(runs["bare_wall"]) >= 1.0):
            break
    return {key: statistics.median(values) for key, values in runs.items()}


def peak_memory(operation: str, src: Path, dst: Path, *, traced: bool) -> float:
    """Run `operation` once in a fresh interpreter; return its peak memory in MB.

    Without `traced`, the child's peak RSS (interpreter and imports included, as
    /usr/bin/time reports it for a small parent); with `traced`, the tracemalloc peak of the operation
    alone.
    """
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        operation,
        str(src),
        str(dst),
    ]
    if traced:
        command.append("--traced")
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return float(result.stdout.strip().splitlines()[-1])


def run_child(operation: str, src: Path, dst: Path, *, traced: bool) -> None:
    # Both operations import the same modules before this point, so the RSS they
    # report differs only by what the operation itself allocates.
    if traced:
        tracemalloc.start()
        OPERATIONS[operation](src, dst)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
    else:
        OPERATIONS[operation](src, dst)
        peak = peak_rss_mb()
    print(f"{peak:.2f}")


def peak_rss_mb() -> float:
    """Return this process's peak RSS in MB.

    Linux's ru_maxrss survives exec, so a child forked from this (large) benchmark
    process would report the parent's size; VmHWM belongs to the new program only.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def check_output(stamped: Path, pages: int) -> str:
    """Return "ok" if the last page carries its header and qpdf (if present) agrees."""
    reader = PdfReader(stamped)
    if len(reader.pages) != pages:
        return f"page count {len(reader.pages)} != {pages}"
    if f"Page {pages} of {pages}" not in reader.pages[-1].extract_text():
        return "header missing on the last page"
    qpdf = shutil.which("qpdf")
    if qpdf is None:
        return "ok (qpdf not installed)"
    result = subprocess.run(
        [qpdf, "--check", str(stamped)], capture_output=True, text=True
    )
    return (
        "ok (qpdf --check)"
        if result.returncode == 0
        else f"qpdf --check failed: {result.stdout[-300:]}"
    )


def timing_fields(times: dict[str, float], clock: str) -> dict[str, float]:
    """Return bare_s/stamp_s on the chosen clock, plus both clocks for reference."""
    fields = {
        "bare_s": round(times[f"bare_{clock}"], 4),
        "stamp_s": round(times[f"stamp_{clock}"], 4),
    }
    for c in CLOCKS:
        fields[f"bare_{c}_s"] = round(times[f"bare_{c}"], 4)
        fields[f"stamp_{c}_s"] = round(times[f"stamp_{c}"], 4)
    return fields


def measure_case(
    kind: str, pages: int, *, workdir: Path, reps: int, scan_kb: int, clock: str
) -> dict[str, object]:
    src = fixture(workdir, kind, pages, scan_kb)
    times = time_both(src, workdir, reps)
    stamped = workdir / "out-stamp.pdf"
    growth = (stamped.stat().st_size - src.stat().st_size) / pages
    check = check_output(stamped, pages)
    mem = {
        (name, traced): peak_memory(
            name, src, workdir / f"child-{name}.pdf", traced=traced
        )
        for name in OPERATIONS
        for traced in (False, True)
    }
    ratio = times[f"stamp_{clock}"] / times[f"bare_{clock}"]
    mem_ratio = mem["stamp", False] / mem["bare", False]
    return {
        "pages": pages,
        "kind": kind,
        "file_mb": round(src.stat().st_size / 2**20, 2),
        **timing_fields(times, clock),
        "clock": clock,
        "ratio": round(ratio, 3),
        "target_ratio": TARGET_RATIO,
        "wall_ratio": round(times["stamp_wall"] / times["bare_wall"], 3),
        "cpu_ratio": round(times["stamp_cpu"] / times["bare_cpu"], 3),
        "bare_peak_mb": round(mem["bare", False], 1),
        "stamp_peak_mb": round(mem["stamp", False], 1),
        "mem_ratio": round(mem_ratio, 3),
        "bare_traced_mb": round(mem["bare", True], 1),
        "stamp_traced_mb": round(mem["stamp", True], 1),
        "traced_ratio": round(mem["stamp", True] / mem["bare", True], 3),
        "growth_bytes_per_page": round(growth),
        "growth_ok": growth <= MAX_GROWTH_PER_PAGE,
        "output_check": check,
        "pass": ratio <= TARGET_RATIO
        and mem_ratio <= TARGET_RATIO
        and check.startswith("ok"),
    }


def print_table(cases: list[dict[str, object]]) -> None:
    clock = cases[0]["clock"] if cases else "cpu"
    header = (
        f"{'kind':8} {'pages':>6} {'MB':>7} {'bare s':>8} {'stamp s':>8} {'ratio':>6} "
        f"{'(wall':>6} {'cpu)':>5} {'bare RSS':>9} {'stamp RSS':>9} {'mem':>5} "
        f"{'traced':>6} {'B/page':>6}  result"
    )
    print(f"times: median {clock} seconds; RSS in MB; target ratio <= {TARGET_RATIO}")
    print(header)
    print("-" * len(header))
    for c in cases:
        print(
            f"{c['kind']:8} {c['pages']:>6} {c['file_mb']:>7} {c['bare_s']:>8.3f} "
            f"{c['stamp_s']:>8.3f} {c['ratio']:>6.2f} {c['wall_ratio']:>6.2f} "
            f"{c['cpu_ratio']:>5.2f} {c['bare_peak_mb']:>9.1f} {c['stamp_peak_mb']:>9.1f} "
            f"{c['mem_ratio']:>5.2f} {c['traced_ratio']:>6.2f} "
            f"{c['growth_bytes_per_page']:>6}  {'PASS' if c['pass'] else 'FAIL'} "
            f"{c['output_check']}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="50 and 200 pages instead of 500 and 2,000"
    )
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument(
        "--reps", type=int, default=5, help="timed runs per operation (at least 3)"
    )
    parser.add_argument(
        "--scan-kb",
        type=int,
        default=150,
        help="approximate size of each scanned page in KB (at least about 140)",
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        help="keep fixtures here (default: a temporary directory)",
    )
    parser.add_argument(
        "--child", nargs=3, metavar=("OP", "SRC", "DST"), help=argparse.SUPPRESS
    )
    parser.add_argument(
        "--clock",
        choices=CLOCKS,
        default="cpu",
        help="clock the ratio is judged on (default cpu: robust on a shared machine)",
    )
    parser.add_argument("--traced", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        operation, src, dst = args.child
        run_child(operation, Path(src), Path(dst), traced=args.traced)
        return 0

    reps = max(args.reps, 3)
    sizes = QUICK_SIZES if args.quick else FULL_SIZES
    series_sizes = QUICK_SERIES if args.quick else FULL_SERIES
    with tempfile.TemporaryDirectory(prefix="ecf-bench-stamping-") as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        cases = []
        for kind in KINDS:
            for pages in sizes:
                case = measure_case(
                    kind,
                    pages,
                    workdir=workdir,
                    reps=reps,
                    scan_kb=args.scan_kb,
                    clock=args.clock,
                )
                cases.append(case)
                print(
                    f"measured {kind} {pages} pages: ratio {case['ratio']}, mem {case['mem_ratio']}",
                    file=sys.stderr,
                )
        measured = {(c["kind"], c["pages"]): c for c in cases}
        series: dict[str, list[dict[str, object]]] = {}
        for kind in KINDS:
            series[kind] = []
            for pages in series_sizes:
                known = measured.get((kind, pages))
                if known is not None:
                    point: Mapping[str, object] = {
                        k: v for k, v in known.items() if k.endswith("_s")
                    }
                else:
                    times = time_both(
                        fixture(workdir, kind, pages, args.scan_kb), workdir, reps
                    )
                    point = timing_fields(times, args.clock)
                series[kind].append({"pages": pages, **point})

    print_table(cases)
    print()
    for kind, points in series.items():
        print(
            f"{kind:8} "
            + "  ".join(
                f"{p['pages']}p: bare {p['bare_s']:.3f}s stamp {p['stamp_s']:.3f}s"
                for p in points
            )
        )
    result = {
        "benchmark": "P1 stamping",
        "environment": {
            "python": platform.python_version(),
            "pypdf": pypdf.__version__,
            "machine": platform.machine(),
            "cpus": os.cpu_count(),
            "min_reps": reps,
            "quick": args.quick,
            "scan_kb": args.scan_kb,
            "clock": args.clock,
            "load_average_at_end": os.getloadavg(),
        },
        "cases": cases,
        "seconds_by_pages": series,
    }
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0 if all(c["pass"] for c in cases) else 1


if __name__ == "__main__":
    sys.exit(main())
