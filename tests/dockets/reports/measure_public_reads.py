"""Measure CPU ms and SQL statements per public read (issue 21), in process.

Not collected by the suite (no test_ prefix): run it by path,
  ECF_TEST_DB_SUFFIX=_x python -m pytest tests/dockets/reports/measure_public_reads.py -q -s
REPS (repetitions, default 60), DUMP (a folder: each page's HTML is written there) and PROFILE (a kind name: a cProfile by CPU time of
that kind's repetitions) come from the environment. The data: a 301-entry case (one
entry in 25 sealed, one in 40 restricted, one or two documents each), five 60-entry
cases, 120 indexed document pages. Anonymous reader, Django's test client, so the
figures include the middleware; each kind is warmed 5 times first.
"""

from __future__ import annotations

import cProfile
import datetime as dt
import os
import pstats
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from reports_helpers import bulk_entries

from cases.models import Case
from core import clock
from dockets.fulltext.models import DocumentPage
from dockets.models import DocketEntry, Document, Visibility

pytestmark = pytest.mark.django_db


def _docs_for(entries, sha):
    docs = []
    for i, e in enumerate(entries):
        docs.append(
            Document(
                entry=e,
                sequence=0,
                original=f"x/{e.pk}.pdf",
                sha512=sha,
                page_count=3,
                size=1000,
            )
        )
        if i % 3 == 0:
            docs.append(
                Document(
                    entry=e,
                    sequence=1,
                    description="Exhibit A",
                    original=f"x/{e.pk}-1.pdf",
                    sha512=sha,
                    page_count=1,
                    size=100,
                )
            )
    return Document.objects.bulk_create(docs)


def test_measure(world, file_entry, client):
    reps = int(os.environ.get("REPS", "60"))
    attorney = world.users["attorney"]
    real = file_entry(world.case, "msj", attorney, text_override="Motion for relief")
    bulk = bulk_entries(world.case, 300, text="Motion for relief from stay hearing")
    entries = list(
        DocketEntry.objects.filter(case=world.case, pk__in=[e.pk for e in bulk])
    )
    docs = _docs_for(entries, real.documents.first().sha512)
    # Some sealed and restricted entries.
    for e in entries[::25]:
        DocketEntry.objects.filter(pk=e.pk).update(visibility=Visibility.SEALED)
    for e in entries[5::40]:
        DocketEntry.objects.filter(pk=e.pk).update(visibility=Visibility.RESTRICTED)
    # Other cases for the court-wide search.
    for i in range(5):
        other = Case.objects.create(
            court=world.court,
            office=world.case.office,
            chapter="7",
            title=f"Other {i}",
            year=world.case.year,
            number=world.case.number + 100 + i,
            judge=world.case.judge,
            trustee=world.case.trustee,
            date_filed=clock.today(),
        )
        bulk_entries(other, 60, text="Order on motion for relief")
    # Document pages for the text search.
    now = timezone.now() - dt.timedelta(days=30)
    DocumentPage.objects.bulk_create(
        [
            DocumentPage(
                document=d,
                entry_id=d.entry_id,
                case_id=world.case.pk,
                page=1,
                filed_at=now,
                text="The motion for relief from the automatic stay is granted.",
            )
            for d in docs[:120]
        ]
    )
    from django.contrib.postgres.search import SearchVector

    DocumentPage.objects.update(search_vector=SearchVector("text", config="english"))
    doc = real.documents.get(sequence=0)
    cid = world.case.pk
    kinds = {
        "docket first": f"/cases/{cid}/docket/",
        "docket after": f"/cases/{cid}/docket/?after=150",
        "docket last": f"/cases/{cid}/docket/?page=last",
        "docket newest": f"/cases/{cid}/docket/?sort=newest",
        "case search": reverse("dockets:case-search-text", kwargs={"case_id": cid})
        + "?q=relief",
        "court search": reverse("dockets:search") + "?q=motion",
        "document page": reverse("dockets:document", kwargs={"document_id": doc.pk}),
        "document download": reverse(
            "dockets:document-download", kwargs={"document_id": doc.pk}
        ),
    }
    profile_kind = os.environ.get("PROFILE", "")
    print()
    for kind, url in kinds.items():
        for _ in range(5):
            r = client.get(url)
            assert r.status_code == 200, (kind, r.status_code)
            if hasattr(r, "streaming_content"):
                b"".join(r.streaming_content)
        with CaptureQueriesContext(connection) as ctx:
            r = client.get(url)
            if hasattr(r, "streaming_content"):
                b"".join(r.streaming_content)
        n = len(ctx.captured_queries)
        if os.environ.get("DUMP") and not hasattr(r, "streaming_content"):
            name = kind.replace(" ", "-")
            with open(f"{os.environ['DUMP']}/{name}.html", "wb") as out:
                out.write(r.content)
        prof = cProfile.Profile(time.process_time) if kind == profile_kind else None
        if prof:
            prof.enable()
        t0 = time.process_time()
        for _ in range(reps):
            r = client.get(url)
            if hasattr(r, "streaming_content"):
                b"".join(r.streaming_content)
        ms = (time.process_time() - t0) / reps * 1000
        if prof:
            prof.disable()
        print(
            f"{kind:20s} {ms:7.2f} ms CPU  {n:3d} statements  {len(r.content) if not hasattr(r, 'streaming_content') else 0} bytes"
        )
        if prof:
            stats = pstats.Stats(prof)
            stats.sort_stats("cumulative").print_stats(60)
            stats.sort_stats("tottime").print_stats(30)
