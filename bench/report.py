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
import re
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
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


# --- adapters: each returns a list of figures in the common shape ---------------------


def _fig(
    target,
    name,
    figure,
    baseline,
    ratio,
    target_ratio,
    direction,
    ok,
    *,
    unit="s",
    baseline_name="",
    note="",
    info=False,
):
    return {
        "target": target,
        "name": name,
        "figure": figure,
        "unit": unit,
        "baseline": baseline,
        "baseline_name": baseline_name,
        "ratio": ratio,
        "target_ratio": target_ratio,
        "direction": direction,
        "pass": ok,
        "note": note,
        "info": info,
    }


def adapt_common(data: dict, source: str) -> list[dict]:
    figures = []
    for f in data.get("figures", []):
        if "figure" not in f or "target" not in f:
            continue
        figures.append(
            {"info": False, "baseline_name": "", "note": "", "unit": "s", **f}
        )
    return figures


def adapt_stamping(data: dict, source: str) -> list[dict]:
    figures = []
    for c in data.get("cases", []):
        clock = c.get("clock", "cpu")
        figures.append(
            _fig(
                "P1",
                f"stamping, {c['kind']} PDF, {c['pages']} pages ({c.get('file_mb', '?')} MB)",
                c["stamp_s"],
                c["bare_s"],
                c["ratio"],
                c.get("target_ratio", 1.3),
                "max",
                bool(c["pass"]),
                baseline_name="bare pypdf read+write of the same file",
                note=(
                    f"{clock} clock; peak RSS ratio {c.get('mem_ratio')}; "
                    f"+{c.get('growth_bytes_per_page')} B/page; {c.get('output_check', '')}"
                ),
            )
        )
    return figures


def adapt_filing(data: dict, source: str) -> list[dict]:
    return [
        _fig(
            "P3",
            f"upload to receipt, {data.get('pages', '?')}-page PDF, through the wizard's views",
            data["upload_to_receipt_seconds_median"],
            data["validation_seconds_median"],
            data["ratio"],
            data.get("target_ratio", 1.5),
            "max",
            bool(data.get("meets_target")),
            baseline_name="validating the same file alone (sandboxed)",
            note=f"median of {data.get('rounds', '?')}",
        )
    ]


def adapt_nef(data: dict, source: str) -> list[dict]:
    return [
        _fig(
            "P9",
            f"NEF fan-out to {data.get('recipients', '?')} recipients (rules, tokens, status rows)",
            data["fanout_seconds_median"],
            data["baseline_seconds_median"],
            data["ratio"],
            None,
            "max",
            None,
            baseline_name=data.get("baseline", "plain inbox messages"),
            note="no target ratio set by the benchmark: reported for the record",
            info=True,
        )
    ]


def _parse_target(text: str) -> tuple[float | None, str, bool]:
    """Read "<= 10", ">= 0.8" or "<= 3 s" into (ratio, direction, absolute?)."""
    match = re.match(r"\s*(<=|>=)\s*([0-9.]+)\s*(s|ms)?\b", text or "")
    if not match:
        return None, "max", False
    direction = "max" if match.group(1) == "<=" else "min"
    return float(match.group(2)), direction, bool(match.group(3))


def _target_of(name: str, source: str) -> str:
    lowered = name.lower()
    if "claim" in lowered or "register" in lowered or Path(source).stem == "claims":
        return "P9"
    if "search" in lowered:
        return "P8"
    if "csv" in lowered or "html" in lowered or "export" in lowered:
        return "P6"
    if "docket" in lowered:
        return "P5"
    return _guess_target(source)


def adapt_claims(data: dict, source: str) -> list[dict]:
    """Figures written as {name, seconds, baseline (text), baseline_seconds, ratio,
    target ("<= 10", ">= 0.8", "<= 3 s"), ok or pass} (claims and docket benchmarks)."""
    figures = []
    for f in data.get("figures", []):
        target_ratio, direction, absolute = _parse_target(f.get("target", ""))
        if absolute:
            # The baseline is the time budget itself: the ratio must stay within 1.
            target_ratio, direction = 1.0, "max"
        ok = f.get("ok", f.get("pass"))
        info = target_ratio is None or ok is None
        in_bytes = "value" in f and "baseline_value" in f
        figures.append(
            _fig(
                f.get("target")
                if str(f.get("target", "")).startswith("P")
                else _target_of(f["name"], source),
                f["name"],
                f["value"] if in_bytes else f["seconds"],
                f["baseline_value"] if in_bytes else f["baseline_seconds"],
                f["ratio"],
                target_ratio,
                direction,
                None if info else bool(ok),
                unit="bytes" if in_bytes else "s",
                baseline_name=f.get("baseline", ""),
                note="informational"
                if info
                else (
                    f"target {f['target']}; the baseline is a fixed budget, not a figure of this run"
                    if absolute
                    else ""
                ),
                info=info,
            )
        )
    return figures


def adapt_generic(data, source: str) -> list[dict]:
    """Best effort for a file of unknown shape: any dict with a numeric ratio."""
    found = []

    def walk(node, trail):
        if isinstance(node, dict):
            if isinstance(node.get("ratio"), int | float):
                figure = next(
                    (
                        node[k]
                        for k in ("figure", "seconds", "value", "measured")
                        if k in node
                    ),
                    None,
                )
                baseline = next(
                    (
                        node[k]
                        for k in ("baseline_seconds", "baseline")
                        if isinstance(node.get(k), int | float)
                    ),
                    None,
                )
                target = node.get("target_ratio")
                if target is None and isinstance(node.get("target"), str):
                    target = _parse_target(node["target"])[0]
                ok = next(
                    (node[k] for k in ("pass", "ok", "meets_target") if k in node), None
                )
                found.append(
                    _fig(
                        str(node.get("target", "?"))
                        if str(node.get("target", "")).startswith("P")
                        else _guess_target(source),
                        str(node.get("name") or " / ".join(trail) or source),
                        figure,
                        baseline,
                        node["ratio"],
                        target,
                        node.get("direction", "max"),
                        None if ok is None else bool(ok),
                        note=f"adapted from {source}",
                        info=ok is None,
                    )
                )
            for key, value in node.items():
                walk(value, [*trail, str(key)])
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, [*trail, str(i)])

    walk(data, [])
    return found


def _guess_target(source: str) -> str:
    return {"docket": "P5", "search": "P8", "export": "P6"}.get(Path(source).stem, "?")


def adapt(path: Path) -> tuple[list[dict], dict | None]:
    """Return (figures, plot series or None) of one bench/out file."""
    data = json.loads(path.read_text())
    stem = path.stem
    if stem == "stamping" or (isinstance(data, dict) and "seconds_by_pages" in data):
        return adapt_stamping(data, path.name), {
            "stamping": data.get("seconds_by_pages")
        }
    if stem == "filing" or (
        isinstance(data, dict) and "upload_to_receipt_seconds_median" in data
    ):
        return adapt_filing(data, path.name), None
    if stem == "nef" or (isinstance(data, dict) and "fanout_seconds_median" in data):
        return adapt_nef(data, path.name), None
    if (
        isinstance(data, dict)
        and data.get("figures")
        and "seconds" in data["figures"][0]
    ):
        by_size = data.get("page_ms_by_case_size")
        plot = (
            {"docket": {int(k): v / 1000 for k, v in by_size.items()}}
            if by_size
            else None
        )
        return adapt_claims(data, path.name), plot
    if isinstance(data, list):
        data = {"figures": data}
    series = data.get("series") if isinstance(data, dict) else None
    figures = adapt_common(data, path.name)
    if not figures:
        figures = adapt_generic(data, path.name)
    return figures, ({stem: series} if series else None)


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
    figures, stale, broken, series, extra = [], [], [], {}, {}
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
            lines.append(f"- **{f['target']}** {f['name']}: {shortfall(f)}.")
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
