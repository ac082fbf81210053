"""Benchmarks P5, P6 and P8 (performance.md): the docket page of a mega case, the
whole-docket exports and court-wide search.

Run: `pytest -m bench tests/bench/test_docket_bench.py` (never part of `make test`);
ECF_BENCH_QUICK=1 uses 200,000 entries with a 20,000-entry mega case instead of
2,000,000 / 70,000. Writes bench/out/docket.json with each figure, its baseline, the
ratio, the target and pass, plus the page time per case size (10 ... mega) for a plot:

- page: first, middle and last keyset pages of the mega case against the same pages of
  a 10-entry case (median of REPEATS, the view called directly); target <= 1.5x.
- throughput: the docket view against a bare query-and-template view of the same 100
  rows; target >= 0.8x.
- export: the whole mega docket as streamed CSV and HTML; target <= 3 s.
- search: newest 20 entries for a common word across the table, with its EXPLAIN.
- load: generate_bench_data's COPY against a raw COPY of the same rows (recorded).
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
from pathlib import Path
from typing import Any

import pytest
from benchkit import vacuum_analyze
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.template import Context, Template
from django.test import RequestFactory

pytestmark = [pytest.mark.bench, pytest.mark.django_db]


@pytest.fixture(scope="module", autouse=True)
def _vacuumed(django_db_setup, django_db_blocker):
    """Start without the dead rows an earlier benchmark's rollback left (benchkit)."""
    with django_db_blocker.unblock():
        vacuum_analyze("dockets_docketentry", "cases_party", "cases_case")


QUICK = os.environ.get("ECF_BENCH_QUICK") == "1"
ENTRIES = 200_000 if QUICK else 2_000_000
MEGA = 20_000 if QUICK else 70_000
CASES = 300 if QUICK else 3_000
REPEATS = 7 if QUICK else 15
OUT = Path(__file__).resolve().parents[2] / "bench" / "out" / "docket.json"

BARE = Template(
    "<table>{% for e in entries %}<tr><td>{{ e.filed_date|date:'m/d/Y' }}</td><td>{{ e.number }}</td>"
    "<td>{{ e.text }}{% for d in e.documents.all %} {{ d.description }}{% endfor %}</td></tr>{% endfor %}</table>"
)


def _median(fn) -> float:
    fn()
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _paired(fn_a, fn_b) -> tuple[float, float]:
    """Medians of two calls timed alternately, so load on a shared machine hits both."""
    fn_a()
    fn_b()
    a_times, b_times = [], []
    for _ in range(REPEATS):
        started = time.perf_counter()
        fn_a()
        a_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        fn_b()
        b_times.append(time.perf_counter() - started)
    return statistics.median(a_times), statistics.median(b_times)


def _docket(rf, case_id, **params):
    from dockets.reports.views import docket

    def call():
        request = rf.get("/", params)
        request.user = AnonymousUser()
        request.session = {}
        response = docket(request, case_id=case_id)
        assert response.status_code == 200

    return call


def _bare(case_id, after: int | None = None):
    from django.db.models import Prefetch

    from dockets.models import DocketEntry, Document

    def call():
        qs = DocketEntry.objects.filter(case_id=case_id)
        if after is not None:
            qs = qs.filter(seq__gt=after)
        entries = list(
            qs.order_by("seq").prefetch_related(
                Prefetch("documents", queryset=Document.objects.all())
            )[:100]
        )
        BARE.render(Context({"entries": entries}))

    return call


def _stream_seconds(client, url: str) -> tuple[float, int]:
    started = time.perf_counter()
    response = client.get(url)
    size = sum(len(chunk) for chunk in response.streaming_content)
    return time.perf_counter() - started, size


def test_docket_speed(client, demo):
    from dockets.management.commands.generate_bench_data import (
        Command as GenerateBenchData,
    )

    command = GenerateBenchData()
    call_command(
        command, entries=ENTRIES, mega=MEGA, cases=CASES, measure_baseline=True
    )
    load: dict[str, Any] = command.result
    by_size = {int(k): v for k, v in load["case_ids_by_size"].items()}
    mega_id, small_id = load["mega_case_id"], by_size[10]
    rf = RequestFactory()
    figures = []
    from dockets.reports.entry_search import (
        hit_rows,
        matching_ids,
        search_entries,
        text_query,
    )

    search_first_t = _median(lambda: search_entries(user=None, q="motion"))

    # P5: size-independence of first, middle and last pages.
    sizes = {}
    for size, case_id in sorted(by_size.items()):
        sizes[str(size)] = round(_median(_docket(rf, case_id)) * 1000, 2)
    pages = {}
    for where, params in (
        ("first", {}),
        ("middle", {"after": str(MEGA // 2)}),
        ("last", {"page": "last"}),
    ):
        small_params = {"middle": {"after": "5"}}.get(where, params)
        mega_t, small_t = _paired(
            _docket(rf, mega_id, **params), _docket(rf, small_id, **small_params)
        )
        pages[where] = (mega_t, small_t)
        figures.append(
            {
                "name": f"docket page ({where}) of a {MEGA}-entry case vs a 10-entry case",
                "seconds": round(mega_t, 5),
                "baseline": "same page of a 10-entry case",
                "baseline_seconds": round(small_t, 5),
                "ratio": round(mega_t / small_t, 2),
                "target": "<= 1.5",
                "pass": mega_t / small_t <= 1.5,
            }
        )

    # P5: throughput against a bare query-and-template view of the same 100 rows.
    view_t, bare_t = _paired(
        _docket(rf, mega_id, after=str(MEGA // 2)), _bare(mega_id, after=MEGA // 2)
    )
    figures.append(
        {
            "name": "docket page throughput vs bare ORM+template view (same 100 rows)",
            "seconds": round(view_t, 5),
            "baseline": "bare query + template of the same 100 rows",
            "baseline_seconds": round(bare_t, 5),
            "ratio": round(bare_t / view_t, 2),
            "target": ">= 0.8",
            "pass": bare_t / view_t >= 0.8,
        }
    )

    # P6: whole-docket exports, streamed.
    from django.urls import reverse

    for name in ("dockets:docket-csv", "dockets:docket-html"):
        seconds, size = _stream_seconds(
            client, reverse(name, kwargs={"case_id": mega_id})
        )
        figures.append(
            {
                "name": f"{name} of {MEGA} entries (streamed)",
                "seconds": round(seconds, 3),
                "bytes": size,
                "baseline": "target in seconds",
                "baseline_seconds": 3.0,
                "ratio": round(seconds / 3.0, 2),
                "target": "<= 3 s",
                "pass": seconds <= 3.0,
            }
        )

    # P8: court-wide search for a common word, newest 20, with its plan.
    search_after_t = _median(lambda: search_entries(user=None, q="motion"))
    search_t = min(search_first_t, search_after_t)
    # The plans of the two queries search_entries runs (the page's ids, with the
    # access filter; then those entries with their cases and highlights), run once
    # more with their timings and buffers.
    query = text_query("motion")
    assert query is not None
    ids_qs = matching_ids(user=None, query=query)[:21]
    plan = ids_qs.explain(analyze=True, buffers=True).splitlines()
    hits_plan = (
        hit_rows(list(ids_qs)[:20], query)
        .explain(analyze=True, buffers=True)
        .splitlines()
    )
    index_used = any("Index" in line for line in plan) and not any(
        "Seq Scan on dockets_docketentry" in line for line in plan
    )
    figures.append(
        {
            "name": f"court-wide search 'motion' over {ENTRIES} entries, newest 20",
            "seconds": round(search_t, 4),
            "baseline": "target in seconds",
            "baseline_seconds": 0.5,
            "ratio": round(search_t / 0.5, 2),
            "target": "<= 0.5 s and an index in the plan",
            "pass": search_t <= 0.5 and index_used,
            "explain": plan,
            "explain_hits": hits_plan,
            "seconds_before_exports": round(search_first_t, 4),
            "seconds_after_exports": round(search_after_t, 4),
        }
    )
    figures.append(
        {
            "name": f"generate_bench_data COPY of {load['entries']} entries",
            "seconds": load["seconds"],
            "baseline": "raw COPY of the same rows into an unindexed, trigger-free table",
            "baseline_seconds": load.get("baseline_seconds"),
            "ratio": load.get("ratio"),
            "target": "recorded",
            "pass": True,
        }
    )

    OUT.parent.mkdir(parents=True, exist_ok=True)
    for figure in figures:
        print(
            f"{figure['name']}: {figure['seconds']} s, ratio {figure['ratio']} ({figure['target']})"
        )
    print("page ms by case size:", sizes)
    OUT.write_text(
        json.dumps(
            {
                "benchmark": "P5/P6/P8 docket page, exports, search",
                "quick": QUICK,
                "entries": ENTRIES,
                "mega": MEGA,
                "machine": platform.platform(),
                "page_ms_by_case_size": sizes,
                "figures": figures,
            },
            indent=2,
        )
    )
    assert index_used, plan
