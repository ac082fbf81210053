"""Adapters of bench/report.py: each benchmark's JSON file as figures in the common
shape (benchkit.py). Most files are in that shape already; the few written in another
(stamping, filing, NEF fan-out, claims) are adapted here, not in their files.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

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
