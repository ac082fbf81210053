"""Measure a whole wizard filing in process: CPU ms and SQL statements per request.

Not collected by `make test` (the name does not start with test_) and asserts no
timing. The same ten requests as the load run's wizard attorney (bench/load_users.py
`file_motion`). Run it by name:

    ECF_TEST_DB_SUFFIX=_x nice -n 19 python -m pytest \
        tests/dockets/filing/measure_wizard.py -q -s -k test_measure_wizard

ECF_MEASURE_FILINGS (default 40) filings are made after 5 warm-up filings; the
report prints the median CPU ms and the statements of each request, and the sum.
With ECF_MEASURE_PROFILE=path the measured filings are profiled (cProfile, CPU time)
to path; ECF_MEASURE_SITES=path.py loads a module whose `report(filings)` is called
after them (an instrument of your own). `-k show` prints each request's statements;
`-k profile_page` profiles 200 GETs of one page (ECF_MEASURE_PAGE: receipt or start).
"""

from __future__ import annotations

import cProfile
import os
import statistics
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db

NAMES = [
    "start page",
    "start",
    "events",
    "parties",
    "upload",
    "related",
    "fields",
    "fee",
    "submit",
    "receipt",
]


def _one_filing(client, setup, event, pdf, record) -> None:
    def timed(name, call):
        with CaptureQueriesContext(connection) as queries:
            started = time.process_time()
            response = call()
            spent = time.process_time() - started
        record.setdefault(name, []).append((spent * 1000, len(queries)))
        record.setdefault("sql " + name, []).append(
            [q["sql"] for q in queries.captured_queries]
        )
        return response

    r = timed("start page", lambda: client.get(reverse("dockets:filing-start")))
    assert r.status_code == 200
    r = timed(
        "start",
        lambda: client.post(
            reverse("dockets:filing-start"),
            {"case_number": setup.case.display_number},
        ),
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    base = r["Location"].rsplit("/", 2)[0]
    upload = pdf()
    steps = [
        ("events", "events", {"events": [event.pk]}),
        (
            "parties",
            "parties",
            {"parties": [setup.bank.pk], "against": [setup.debtor.pk]},
        ),
        ("upload", "documents", {"next": "1", "main": upload}),
        ("related", "related", {}),
        (
            "fields",
            "fields",
            {"property_type": "Real Property", "objection_deadline": "2099-12-10"},
        ),
        ("fee", "fee", {"pay": "later"}),
    ]
    for name, step, data in steps:
        r = timed(
            name, lambda step=step, data=data: client.post(f"{base}/{step}/", data)
        )
        assert r.status_code == 302, (name, r.content.decode()[:2000])
    r = timed(
        "submit",
        lambda: client.post(f"{base}/review/", {"submit": "1", "acknowledged": "on"}),
    )
    assert r.status_code == 302
    location = r["Location"]
    r = timed("receipt", lambda: client.get(location))
    assert "Notice of Electronic Filing" in r.content.decode()


def test_measure_wizard(client, demo, setup, pdf):
    from dockets.models import Event

    client.force_login(demo.users["attorney2"])
    event = Event.objects.get(code="nmrp")
    for _ in range(5):
        _one_filing(client, setup, event, pdf, {})
    count = int(os.environ.get("ECF_MEASURE_FILINGS", "40"))
    record: dict[str, list] = {}
    profile_path = os.environ.get("ECF_MEASURE_PROFILE")
    profiler = cProfile.Profile(time.process_time) if profile_path else None
    if profiler:
        profiler.enable()
    sites = None
    if os.environ.get("ECF_MEASURE_SITES"):
        import importlib.util

        spec = importlib.util.spec_from_file_location(
            "sites", os.environ["ECF_MEASURE_SITES"]
        )
        assert spec and spec.loader
        sites = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sites)
    for _ in range(count):
        _one_filing(client, setup, event, pdf, record)
    if sites is not None:
        sites.report(count)
    if profiler and profile_path:
        profiler.disable()
        profiler.dump_stats(profile_path)
    total_ms = total_q = 0.0
    print()
    print(f"{'request':12} {'CPU ms med':>10} {'mean':>7} {'SQL':>4}")
    for name in NAMES:
        cpu = [c for c, _ in record[name]]
        sql = [q for _, q in record[name]]
        total_ms += statistics.mean(cpu)
        total_q += statistics.median(sql)
        print(
            f"{name:12} {statistics.median(cpu):10.1f} {statistics.mean(cpu):7.1f}"
            f" {statistics.median(sql):4.0f}"
        )
    whole = [sum(record[name][i][0] for name in NAMES) for i in range(count)]
    print(
        f"{'whole':12} {statistics.median(whole):10.1f} {total_ms:7.1f} {total_q:4.0f}"
    )


def test_show_queries(client, demo, setup, pdf):
    """Print each request's statements (one filing after a warm-up)."""
    from dockets.models import Event

    client.force_login(demo.users["attorney2"])
    event = Event.objects.get(code="nmrp")
    _one_filing(client, setup, event, pdf, {})
    record: dict = {}
    _one_filing(client, setup, event, pdf, record)
    for name in NAMES:
        queries = record["sql " + name][0]
        print(f"\n== {name}: {len(queries)}")
        for sql in queries:
            print("  ", sql[:400])


def test_profile_page(client, demo, setup, pdf):
    """Profile one page (ECF_MEASURE_PAGE: receipt or start) 200 times to
    ECF_MEASURE_PROFILE."""
    from dockets.models import Event

    client.force_login(demo.users["attorney2"])
    event = Event.objects.get(code="nmrp")
    record: dict = {}
    _one_filing(client, setup, event, pdf, record)
    from dockets.models import DocketEntry

    entry = DocketEntry.objects.filter(case=setup.case).latest("id")
    url = (
        reverse("dockets:filing-receipt", kwargs={"entry_id": entry.pk})
        if os.environ.get("ECF_MEASURE_PAGE", "receipt") == "receipt"
        else reverse("dockets:filing-start")
    )
    client.get(url)
    profiler = cProfile.Profile(time.process_time)
    started = time.process_time()
    profiler.enable()
    for _ in range(200):
        client.get(url)
    profiler.disable()
    print(
        f"\n{(time.process_time() - started) * 1000 / 200:.2f} ms per page (profiled)"
    )
    profiler.dump_stats(os.environ["ECF_MEASURE_PROFILE"])
