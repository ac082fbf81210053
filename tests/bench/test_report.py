"""bench/report.py turns the benchmarks' JSON into a report a reader can act on.

Not a benchmark (no timing): runs in `make test`, on hand-written result files.
"""

from __future__ import annotations

import importlib.util
import json
import os
import time
from pathlib import Path

REPORT = Path(__file__).resolve().parents[2] / "bench" / "report.py"


def _report_module():
    spec = importlib.util.spec_from_file_location("bench_report", REPORT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _common(target, name, figure, baseline, target_ratio, direction="max"):
    ratio = figure / baseline
    ok = ratio <= target_ratio if direction == "max" else ratio >= target_ratio
    return {
        "target": target,
        "name": name,
        "figure": figure,
        "unit": "s",
        "baseline": baseline,
        "ratio": ratio,
        "target_ratio": target_ratio,
        "direction": direction,
        "pass": ok,
        "note": "",
    }


def test_report_says_what_fails_by_how_much_and_what_was_not_measured(tmp_path):
    report = _report_module()
    out = tmp_path / "out"
    out.mkdir()
    (out / "validation.json").write_text(
        json.dumps(
            {
                "quick": True,
                "figures": [
                    _common("P2", "validation, 200 pages", 0.4, 0.2, 0.5),
                    _common("P2", "hostile file", 1.0, 10.0, 1.0),
                ],
            }
        )
    )
    (out / "concurrency.json").write_text(
        json.dumps({"figures": [_common("P4", "filings/s", 100.0, 800.0, 0.5, "min")]})
    )
    # Another engineer's shape: adapted by the report, not rewritten.
    (out / "filing.json").write_text(
        json.dumps(
            {
                "pages": 50,
                "rounds": 5,
                "validation_seconds_median": 0.5,
                "upload_to_receipt_seconds_median": 0.6,
                "ratio": 1.2,
                "target_ratio": 1.5,
                "meets_target": True,
            }
        )
    )
    (out / "docket_scaling.json").write_text(
        json.dumps(
            {
                "figures": [],
                "series": {
                    "entries": [10, 100, 1000],
                    "docket_first_page_s": [0.05, 0.05, 0.06],
                    "bare_view_s": [0.01, 0.01, 0.01],
                },
            }
        )
    )
    stale = out / "claims.json"
    stale.write_text(json.dumps({"figures": [_common("P9", "old", 9.0, 1.0, 10)]}))
    marker = out / ".started"
    marker.touch()
    old = time.time() - 3600
    os.utime(stale, (old, old))
    os.utime(marker, (old + 60, old + 60))

    result = report.build(out, marker.stat().st_mtime)
    plots = {
        "docket": report.plot_docket(
            result["series"].get("docket_scaling"), None, tmp_path / "d.png"
        )
    }
    text = report.markdown(result, plots)

    assert result["passed"] == 2 and result["failed"] == 2
    assert "claims.json (older than this run)" in text
    assert not any(f["name"] == "old" for f in result["figures"])
    assert (
        "- **P2** validation, 200 pages: ratio 2.00x against <= 0.5x: 4.00x over the target."
        " Why: not explained yet" in text
    )
    assert "- **P4** filings/s: ratio 0.125x against >= 0.5x: 4.00x too slow." in text
    assert "upload to receipt, 50-page PDF" in text
    for missing in ("P1", "P5", "P9", "P10", "LOAD"):
        assert missing in result["not_measured"]
    assert "QUICK=1" in text
    assert (tmp_path / "d.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_failing_row_carries_its_recorded_cause(tmp_path, monkeypatch):
    report = _report_module()
    # The causes table of bench/report_why.py, with one cause for this test's P2 row.
    causes = report.why.__globals__
    monkeypatch.setitem(
        causes,
        "WHY",
        [("P2", "validation, 200", "the text of the first 30 pages is read.")],
    )
    out = tmp_path / "out"
    out.mkdir()
    (out / "validation.json").write_text(
        json.dumps(
            {
                "figures": [
                    _common("P2", "validation, 200 pages", 0.4, 0.2, 0.5),
                    _common("P7", "sheet pages/s", 1.0, 2.0, 1.0, "min"),
                ]
            }
        )
    )
    text = report.markdown(report.build(out, None), {})
    assert "4.00x over the target. Why: the text of the first 30 pages is read." in text
    assert "2.00x too slow. Why: not explained yet" in text
