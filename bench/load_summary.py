"""The load run's figures: per-phase summaries, lags, what saturates first, and the
rows in the common bench shape (benchkit.py). Part of bench/load.py.
"""

from __future__ import annotations

import os


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summarize(args, phases: dict, numbers: dict, setup, rss_start, rss_end) -> dict:
    filed = numbers["entries"]
    # The rule: the case's numbers are exactly 1..max, each once.
    gap_free = filed == numbers["distinct"] == numbers["max"] and (
        filed == 0 or numbers["min"] == 1
    )
    figures = []
    targets = {"api": (20.0, 1.0), "wizard": (None, 2.0)}
    for mode, phase in phases.items():
        rate_target, p95_budget = targets[mode]
        kind = "API filing" if mode == "api" else "wizard filing (8 requests)"
        op = phase["operations"].get(kind, {})
        rate_note = (
            f"{phase['filings']} filings in {phase['steady_seconds']} s steady state"
        )
        if rate_target is not None:
            figures.append(
                _figure(
                    "LOAD",
                    f"{mode}: filings per second sustained ({args.filers} filers, creditors"
                    " and public reads alongside)",
                    phase["filings_per_s"],
                    rate_target,
                    "filings/s",
                    "the issue's target rate (a fixed number)",
                    "min",
                    note=rate_note,
                )
            )
        figures.append(
            _figure(
                "LOAD",
                f"{mode}: filer p95, one whole filing",
                op.get("p95_s") or float("inf"),
                p95_budget,
                "s",
                "the issue's budget (a fixed number)",
                "max",
                note=f"p50 {_ms(op.get('p50_s'))}, p99 {_ms(op.get('p99_s'))}; {rate_note}",
            )
        )
        total_errors = sum(phase["errors"].values())
        figures.append(
            _figure(
                "LOAD",
                f"{mode}: errors across all users",
                float(total_errors),
                max(1.0, float(sum(o["count"] for o in phase["operations"].values()))),
                "errors",
                "operations completed",
                "max",
                target_ratio=0.0,
                note="; ".join(phase["first_errors"][:2]) or "none",
            )
        )
        figures.append(
            _figure(
                "LOAD",
                f"{mode}: public reads per second alongside the filings",
                phase["public_reads_per_s"],
                10.0,
                "req/s",
                "the issue's floor (a fixed number)",
                "min",
                note=f"{phase['reads_started_late']} reads started over 1 s late",
            )
        )
    nef = numbers["nef_lag_s"]
    stamped = numbers["stamp_lag_s"]
    figures.append(
        _figure(
            "LOAD",
            "lag from filing to NEF sent, p95",
            percentile(nef, 0.95) if nef else float("inf"),
            10.0,
            "s",
            "the issue's budget (a fixed number)",
            "max",
            note=f"{len(nef)} NEFs sent, {numbers['unsent_nefs']} still unsent after the drain",
        )
    )
    figures.append(
        _figure(
            "LOAD",
            "lag from filing to stamped documents, p95 (informational)",
            percentile(stamped, 0.95) if stamped else float("inf"),
            float("inf"),
            "s",
            "no budget of its own",
            "max",
            note=f"{len(stamped)} entries stamped, {numbers['unstamped_entries']} not yet",
        )
        | {"info": True}
    )
    figures.append(
        _figure(
            "LOAD",
            "gaps or duplicates in the filing case's docket numbers",
            0.0 if gap_free else 1.0,
            float(max(filed, 1)),
            "cases",
            f"{filed} entries in the case",
            "max",
            target_ratio=0.0,
            note=f"numbers {numbers['min']}..{numbers['max']}, {numbers['distinct']} distinct of {filed}",
        )
    )
    return {
        "benchmark": "load",
        "seconds": args.seconds,
        "warmup": args.warmup,
        "workers": args.workers,
        "threads": args.threads,
        "cores": os.cpu_count(),
        "phases": phases,
        "numbers": {
            k: v for k, v in numbers.items() if k not in ("nef_lag_s", "stamp_lag_s")
        },
        "lag_s": {
            "nef_p50": percentile(nef, 0.5) if nef else None,
            "nef_p95": percentile(nef, 0.95) if nef else None,
            "stamped_p50": percentile(stamped, 0.5) if stamped else None,
            "stamped_p95": percentile(stamped, 0.95) if stamped else None,
        },
        "saturates_first": saturation(phases),
        "worker_rss_mb": {"start": rss_start, "end": rss_end},
        "figures": figures,
    }


def saturation(phases: dict) -> dict:
    """Which resource runs out first, per phase, from the CPU each role used."""
    cores = os.cpu_count() or 1
    verdict = {}
    for mode, phase in phases.items():
        spent = phase["cpu_s_by_role"]
        busy = phase["cpu_cores_busy"]
        top = max(spent, key=spent.get) if spent else "-"
        load = phase["load_average"][0]
        share = f"{spent.get(top, 0) / phase['steady_seconds']:.2f} cores"
        if busy >= 0.85 * cores:
            text = (
                f"CPU: {busy} of {cores} cores busy in the measured processes; the"
                f" biggest user is {top} ({share})"
            )
        elif load >= cores:
            text = (
                f"CPU of the machine, taken by other processes: load average {load:.1f}"
                f" on {cores} cores while the measured processes got {busy} cores"
                f" (biggest user {top}, {share}); this run's timings are not the"
                " application's"
            )
        else:
            text = (
                f"not CPU ({busy} of {cores} cores, load average {load:.1f}): the"
                " filers wait on gunicorn workers (all busy) or on locks"
            )
        verdict[mode] = text
    return verdict


def _ms(x) -> str:
    return "-" if x is None else f"{x * 1000:.0f} ms"


def _figure(
    target,
    name,
    value,
    baseline,
    unit,
    baseline_name,
    direction,
    *,
    target_ratio=1.0,
    note="",
):
    if target_ratio == 0.0:
        ratio = value
        ok = value == 0
    else:
        ratio = value / baseline if baseline else float("inf")
        ok = ratio <= target_ratio if direction == "max" else ratio >= target_ratio
    return {
        "target": target,
        "name": name,
        "figure": round(value, 4),
        "unit": unit,
        "baseline": round(baseline, 4),
        "baseline_name": baseline_name,
        "ratio": round(ratio, 4),
        "target_ratio": target_ratio,
        "direction": direction,
        "pass": bool(ok),
        "note": note,
    }
