"""Benchmark P10 (performance.md §6): web worker memory after many mixed requests.

Run by `make bench` (marked bench, so `make test` skips it); writes
bench/out/memory.json in the common shape (see benchkit.py).

One process serves 1,000 mixed requests through Django's full request stack
(middleware, sessions, templates, the ORM; QUICK: 300): public docket pages of a
big and a small case, docket pages deep in the case, court-wide and in-case
searches, the claims register, the CSV export, and filings through the service.
Its RSS after the first 100 is the baseline; the target is RSS after all of them
<= 1.1x that. (bench/load.py reports the same for the real gunicorn workers.)
"""

from __future__ import annotations

import gc
import itertools

import pytest
from benchkit import QUICK, bulk_entries, case_for, figure, rss_mb, write
from django.urls import reverse

pytestmark = [pytest.mark.bench, pytest.mark.django_db]

TOTAL = 300 if QUICK else 1000
WARM = 100
ENTRIES = 500 if QUICK else 10_000


def test_worker_memory_after_mixed_requests(numbering_only, client, demo):
    from dockets.models import Event
    from dockets.services import FilingRequest, file_docket_entry

    big = case_for(demo, "Memory Lane Holdings LLC")
    bulk_entries(big, ENTRIES)
    small = case_for(demo, "Small Bakery LLC", chapter="7")
    bulk_entries(small, 10)
    event = Event.objects.get(code="extime")
    attorney = demo.users["attorney"]

    def file_one():
        file_docket_entry(
            FilingRequest(
                case=small,
                events=[event],
                filer=attorney,
                fields={"extend_what": "respond"},
            )
        )

    def get(url):
        def run():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            if getattr(response, "streaming", False):
                for _ in response.streaming_content:
                    pass

        return run

    docket = reverse("dockets:docket", kwargs={"case_id": big.pk})
    mix = [
        get(docket),
        get(docket + f"?after={ENTRIES // 2}"),
        get(reverse("dockets:docket", kwargs={"case_id": small.pk})),
        get(reverse("dockets:search") + "?q=motion+relief"),
        get(
            reverse("dockets:case-search-text", kwargs={"case_id": big.pk}) + "?q=order"
        ),
        get(reverse("dockets:claims-register", kwargs={"case_id": big.pk})),
        get(reverse("dockets:docket-csv", kwargs={"case_id": small.pk})),
        file_one,
        get(docket + f"?before={ENTRIES // 3}"),
        get(reverse("cases:summary", kwargs={"case_id": big.pk})),
    ]
    requests = itertools.cycle(mix)
    for _ in range(WARM):
        next(requests)()
    gc.collect()
    after_warm = rss_mb()
    for _ in range(TOTAL - WARM):
        next(requests)()
    gc.collect()
    after_all = rss_mb()

    figures = [
        figure(
            target="P10",
            name=f"worker RSS after {TOTAL} mixed requests",
            figure=after_all,
            unit="MB",
            baseline=after_warm,
            baseline_name=f"RSS after the first {WARM}",
            target_ratio=1.1,
            note=f"grew {after_all - after_warm:+.1f} MB over {TOTAL - WARM} requests; "
            "in-process Django test client (bench/load.py measures gunicorn workers)",
        )
    ]
    write("memory", figures)
    failed = [f["name"] for f in figures if not f["pass"]]
    assert not failed, f"targets missed: {failed}"
