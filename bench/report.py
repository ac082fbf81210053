"""Write bench/results.md, bench/results.json and two plots from bench/out/*.json.

Usage: python bench/report.py [--out-dir bench/out] [--since FILE]

Every benchmark of `make bench` leaves one JSON file in bench/out. Most use the
common shape (a "figures" list of {"target", "name", "figure", "unit", "baseline",
"ratio", "target_ratio", "direction", "pass", "note"}); the few written in another
shape (stamping, filing, NEF fan-out, claims) are adapted here, not in their files.
A file older than --since (the marker `make bench` touches when it starts) is from
an earlier run: it is listed as stale and none of its figures are used, so every
ratio in the report comes from two figures measured in the same run.

The report says, per target P1-P10 of performance.md §6, its measured figure, the
baseline measured beside it, the ratio, the target ratio and pass or fail; then,
plainly, which targets fail and by how much, and which were not measured at all.
Plots: bench/docket_scaling.png (docket page time against case size) and
bench/stamping.png (stamping time against page count).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import sys
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
# The adapters live beside this file (also when it is loaded by path, as the tests do).
sys.path.insert(0, str(BENCH))
from report_adapt import adapt  # noqa: E402
from report_why import why  # noqa: E402

TARGETS = {
    "P1": "Stamping vs bare read+write",
    "P2": "Upload validation vs bare read+write; hostile file within budget",
    "P3": "Upload-to-receipt vs validation alone",
    "P4": "Concurrent filings on one case vs raw SQL; zero gaps",
    "P5": "Docket page: mega vs small case, vs a bare view",
    "P6": "Whole-docket CSV export vs raw COPY; memory",
    "P7": "Docket sheet PDF rate; one-page notice PDF time",
    "P8": "Search in a case and across the court",
    "P9": "Claims register mega vs small; claims import vs COPY; NEF fan-out; data generator",
    "P10": "Web worker memory after many requests vs after 100",
    "LOAD": "Mixed load: 20 users (attorneys filing, public reading, creditors filing claims)",
}


# --- judging and wording ------------------------------------------------------------


def verdict(f: dict) -> str:
    if f.get("info") or f.get("pass") is None or f.get("target_ratio") is None:
        return "info"
    return "PASS" if f["pass"] else "FAIL"


def shortfall(f: dict) -> str:
    """Say plainly by how much a failing figure misses its target."""
    ratio, target = f.get("ratio"), f.get("target_ratio")
    if not isinstance(ratio, int | float) or not isinstance(target, int | float):
        return "missed a condition in its note"
    sign = "<=" if f.get("direction", "max") == "max" else ">="
    if f.get("direction", "max") == "max":
        if ratio <= target:
            return f"ratio within target; failed a condition in its note ({f.get('note', '')})"
        if target == 0:
            return f"{_num(ratio)} where the target is 0"
        return f"ratio {_num(ratio)}x against {sign} {_num(target)}x: {_num(ratio / target)}x over the target"
    if ratio >= target:
        return (
            f"ratio within target; failed a condition in its note ({f.get('note', '')})"
        )
    if ratio <= 0:
        return f"ratio {_num(ratio)}x against {sign} {_num(target)}x"
    return f"ratio {_num(ratio)}x against {sign} {_num(target)}x: {_num(target / ratio)}x too slow"


def _num(x) -> str:
    if x is None:
        return "-"
    if isinstance(x, str):
        return x
    if isinstance(x, float) and (math.isinf(x) or math.isnan(x)):
        return str(x)
    if x == 0:
        return "0"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    if abs(x) >= 100:
        return f"{x:.0f}"
    if abs(x) >= 1:
        return f"{x:.2f}"
    return f"{x:.3g}"


def _value(x, unit: str) -> str:
    if not isinstance(x, int | float):
        return "-"
    if unit == "s" and x < 1:
        return f"{x * 1000:.1f} ms"
    return f"{_num(x)} {unit}"


def _target_text(f: dict) -> str:
    if f.get("target_ratio") is None:
        return "-"
    sign = "≤" if f.get("direction", "max") == "max" else "≥"
    return f"{sign} {_num(f['target_ratio'])}x"


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


# --- plots -----------------------------------------------------------------------------


def plot_docket(series: dict | None, other: dict | None, path: Path) -> bool:
    """Plot docket page time against case size: the scaling series and, if present,
    the docket benchmark's own {entries: seconds} (a case inside the big table)."""
    if not (series and series.get("entries")) and not other:
        return False
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 3.8), dpi=90)
    if series and series.get("entries"):
        x = series["entries"]
        ax.plot(
            x,
            [s * 1000 for s in series["docket_first_page_s"]],
            "o-",
            label="docket first page (100 entries)",
        )
        if series.get("bare_view_s"):
            ax.plot(
                x,
                [s * 1000 for s in series["bare_view_s"]],
                "s--",
                label="bare ORM + template view",
            )
    if other:
        sizes = sorted(other)
        ax.plot(
            sizes,
            [other[n] * 1000 for n in sizes],
            "^-",
            label="docket page, docket benchmark (big table)",
        )
    ax.set_xscale("log")
    ax.set_ylim(bottom=0)
    ax.set_xlabel("entries in the case (log scale)")
    ax.set_ylabel("time per request (ms)")
    ax.set_title("Docket page time against case size (flat = size-independent)")
    ax.grid(True, alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return True


def plot_stamping(series: dict | None, path: Path) -> bool:
    if not series:
        return False
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 3.8), dpi=90)
    for kind, points in series.items():
        pages = [p["pages"] for p in points]
        ax.plot(pages, [p["stamp_s"] for p in points], "o-", label=f"stamp, {kind}")
        ax.plot(
            pages,
            [p["bare_s"] for p in points],
            "x--",
            label=f"bare read+write, {kind}",
        )
    ax.set_xlabel("pages")
    ax.set_ylabel("seconds (median)")
    ax.set_title("Stamping time against page count (straight line = linear)")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize="small")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return True


# --- the report ------------------------------------------------------------------------


def build(out_dir: Path, since: float | None) -> dict:
    figures, stale, broken, series = [], [], [], {}
    extra: dict[str, Any] = {}
    quick = os.environ.get("ECF_BENCH_QUICK") == "1"
    for path in sorted(out_dir.glob("*.json")):
        if since is not None and path.stat().st_mtime < since:
            stale.append(path.name)
            continue
        try:
            found, plot = adapt(path)
            raw = json.loads(path.read_text())
        except (ValueError, KeyError, TypeError, IndexError) as error:
            broken.append(f"{path.name}: {error!r}")
            continue
        if isinstance(raw, dict):
            quick = (
                quick
                or raw.get("quick") is True
                or raw.get("environment", {}).get("quick") is True
            )
            if path.stem == "load":
                extra["load"] = {
                    k: raw.get(k)
                    for k in (
                        "seconds",
                        "warmup",
                        "workers",
                        "threads",
                        "phases",
                        "lag_s",
                        "numbers",
                        "saturates_first",
                        "worker_rss_mb",
                    )
                }
            if path.stem == "bench_data":
                extra["data"] = raw.get("sizes")
        for f in found:
            f["source"] = path.name
        figures += found
        if plot:
            series.update(plot)
    judged = [f for f in figures if verdict(f) != "info"]
    return {
        "generated": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "quick": quick,
        **extra,
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "load_average": [round(x, 2) for x in os.getloadavg()],
        },
        "figures": figures,
        "passed": sum(1 for f in judged if verdict(f) == "PASS"),
        "failed": sum(1 for f in judged if verdict(f) == "FAIL"),
        "not_measured": [
            t for t in TARGETS if not any(f["target"] == t for f in figures)
        ],
        "stale_files": stale,
        "unreadable_files": broken,
        "series": series,
    }


def markdown(result: dict, plots: dict[str, bool]) -> str:
    lines = [
        "# ECF benchmark results",
        "",
        f"Generated {result['generated']} by `make bench{' QUICK=1' if result['quick'] else ''}`"
        f" on {result['machine']['cpus']} CPUs, Python {result['machine']['python']}"
        f" (load average at the end {', '.join(map(str, result['machine']['load_average']))}).",
        "Every ratio is figure ÷ baseline, both measured in this run on the same data"
        " (medians of at least 3 repetitions). Targets are from"
        " `reference/performance.md` §6."
        + (" QUICK=1: small sizes, for a quick look only." if result["quick"] else ""),
        "",
        f"**{result['passed']} passed, {result['failed']} failed**, "
        f"{sum(1 for f in result['figures'] if verdict(f) == 'info')} for information;"
        f" not measured: {', '.join(result['not_measured']) or 'none'}.",
        "",
        "| Target | Measure | Figure | Baseline (same run) | Ratio | Target | Result |",
        "|---|---|---|---|---|---|---|",
    ]
    order = {t: i for i, t in enumerate(TARGETS)}
    figures = sorted(result["figures"], key=lambda f: order.get(f["target"], 99))
    for f in figures:
        base = _value(f.get("baseline"), f.get("unit", "s"))
        if f.get("baseline_name"):
            base += f" ({f['baseline_name']})"
        name = f["name"] + (f" — {f['note']}" if f.get("note") else "")
        lines.append(
            "| "
            + " | ".join(
                _cell(c)
                for c in (
                    f["target"],
                    name,
                    _value(f.get("figure"), f.get("unit", "s")),
                    base,
                    f"{_num(f.get('ratio'))}x"
                    if isinstance(f.get("ratio"), int | float)
                    else "-",
                    _target_text(f),
                    f"**{verdict(f)}**" if verdict(f) == "FAIL" else verdict(f),
                )
            )
            + " |"
        )
    lines += ["", "## What fails, and by how much", ""]
    failing = [f for f in figures if verdict(f) == "FAIL"]
    if failing:
        for f in failing:
            cause = why(f["target"], f["name"])
            lines.append(
                f"- **{f['target']}** {f['name']}: {shortfall(f)}. "
                + (
                    f"Why: {cause}"
                    if cause
                    else "Why: not explained yet (no measured cause in bench/report_why.py)."
                )
            )
    else:
        lines.append("Nothing measured fails its target.")
    if result["not_measured"]:
        lines += [
            "",
            "Not measured in this run (no result file, or its benchmark failed before writing one):",
            "",
        ]
        lines += [f"- **{t}** {TARGETS[t]}" for t in result["not_measured"]]
    if result["stale_files"] or result["unreadable_files"]:
        lines += ["", "Ignored result files:", ""]
        lines += [f"- {name} (older than this run)" for name in result["stale_files"]]
        lines += [f"- {name} (unreadable)" for name in result["unreadable_files"]]
    load = result.get("load")
    if load and load.get("phases"):
        lines += [
            "",
            f"## Load run: {load['seconds']} s steady state per phase (after"
            f" {load['warmup']} s warm-up) against gunicorn ({load['workers']} workers,"
            f" {load.get('threads') or 1} thread each) and a Celery worker, loopback",
        ]
        for mode, phase in load["phases"].items():
            lines += [
                "",
                f"### {'API filings (Idempotency-Key, 1-10 pages, 1 in 5 a fee event)' if mode == 'api' else 'Whole wizard filings (8 requests each)'}"
                ", with creditors filing claims and the public reading at a fixed rate",
                "",
                f"{phase['filings']} filings, {_num(phase['filings_per_s'])} a second;"
                f" public reads {_num(phase['public_reads_per_s'])} a second"
                f" ({phase['reads_started_late']} started over 1 s late).",
                "",
                "| Operation | Count | Per second | p50 | p95 | p99 | Errors |",
                "|---|---|---|---|---|---|---|",
            ]
            for label, op in phase["operations"].items():
                lines.append(
                    f"| {label} | {op['count']} | {_num(op['per_s'])} | {_value(op['p50_s'], 's')} |"
                    f" {_value(op['p95_s'], 's')} | {_value(op['p99_s'], 's')} |"
                    f" {phase['errors'].get(label, 0)} |"
                )
            for label, count in phase["errors"].items():
                if label not in phase["operations"]:
                    lines.append(f"| {label} | 0 | - | - | - | - | {count} |")
            if phase["first_errors"]:
                lines += ["", "First errors: " + "; ".join(phase["first_errors"][:3])]
            per = phase.get("cpu_s_per_filing") or {}
            lines += [
                "",
                "CPU time per filing by phase (CPU seconds of each kind of process over the"
                " steady state / filings): "
                + "; ".join(
                    f"{role} {_value(value, 's')}" for role, value in per.items()
                )
                + f". Cores busy: {phase['cpu_cores_busy']}; load average"
                f" {phase['load_average'][0]:.1f}.",
                "",
                f"Saturates first: {(load.get('saturates_first') or {}).get(mode, '-')}.",
            ]
            if phase.get("requests") and mode == "wizard":
                lines += [
                    "",
                    "Where a wizard filing's time goes (median per request, slowest first): "
                    + "; ".join(
                        f"`{label}` {_value(step['p50_s'], 's')}"
                        for label, step in list(phase["requests"].items())[:5]
                    )
                    + ".",
                ]
        lag = load.get("lag_s") or {}
        numbers = load.get("numbers") or {}
        lines += [
            "",
            f"Lag from filing to NEF sent: p50 {_value(lag.get('nef_p50'), 's')}, p95"
            f" {_value(lag.get('nef_p95'), 's')}; to stamped documents: p50"
            f" {_value(lag.get('stamped_p50'), 's')}, p95 {_value(lag.get('stamped_p95'), 's')}"
            f" ({numbers.get('unsent_nefs', '?')} NEFs unsent and"
            f" {numbers.get('unstamped_entries', '?')} entries unstamped when the drain ended).",
        ]
        rss = load.get("worker_rss_mb") or {}
        if rss.get("start") and rss.get("end"):
            lines += [
                "",
                "gunicorn worker RSS (MB) after warm-up: "
                + ", ".join(f"{x:.0f}" for x in rss["start"])
                + "; after the run: "
                + ", ".join(f"{x:.0f}" for x in rss["end"])
                + ".",
            ]
    if result.get("data"):
        lines += [
            "",
            "Data set (manage.py bench_data): "
            + ", ".join(f"{k} {v:,}" for k, v in result["data"].items())
            + ".",
        ]
    lines += ["", "## Does cost grow with size?", ""]
    if plots.get("docket"):
        lines += ["![Docket page time against case size](docket_scaling.png)", ""]
    else:
        lines += [
            "No docket size series in this run (tests/bench/test_docket_scaling_bench.py).",
            "",
        ]
    if plots.get("stamping"):
        lines += ["![Stamping time against page count](stamping.png)", ""]
    else:
        lines += ["No stamping series in this run (bench/stamping.py).", ""]
    lines += [
        "Re-run: `make bench` (full sizes) or `make bench QUICK=1`; raw results per benchmark"
        " are in bench/out/*.json, all of them together in bench/results.json.",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", type=Path, default=BENCH / "out")
    parser.add_argument(
        "--since", type=Path, help="ignore results older than this file"
    )
    parser.add_argument("--dest", type=Path, default=BENCH)
    args = parser.parse_args()
    since = args.since.stat().st_mtime if args.since and args.since.exists() else None
    result = build(args.out_dir, since)
    plots = {
        "docket": plot_docket(
            result["series"].get("docket_scaling"),
            result["series"].get("docket"),
            args.dest / "docket_scaling.png",
        ),
        "stamping": plot_stamping(
            result["series"].get("stamping"), args.dest / "stamping.png"
        ),
    }
    (args.dest / "results.json").write_text(
        json.dumps(result, indent=2, default=str) + "\n"
    )
    (args.dest / "results.md").write_text(markdown(result, plots))
    print(
        f"bench/results.md: {result['passed']} passed, {result['failed']} failed, "
        f"not measured: {', '.join(result['not_measured']) or 'none'}"
    )
    for f in result["figures"]:
        if verdict(f) == "FAIL":
            print(f"  FAIL {f['target']} {f['name']}: {shortfall(f)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
