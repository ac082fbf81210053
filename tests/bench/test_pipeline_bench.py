"""Benchmark: NEF fan-out to 1,000 recipients, against building 1,000 plain messages.

`make bench` runs it (marked bench, so `make test` skips it). It prints the ratio and
writes bench/out/nef.json. The fan-out applies the recipient rules, renders the NEF
once, and creates one inbox message (queued for e-mail) per recipient in batches
under row locks; the baseline creates the same number of messages with a fixed body
and no rules.
"""

import json
import os
import statistics
import time
from pathlib import Path

import pytest
from django.db import transaction

from cases.models import Case, CaseWatch, Judge, Office, Trustee
from cases.services import create_case
from core.mail import send_message
from core.models import InboxMessage
from dockets.models import Document, Event, Notice, NoticeRecipient
from dockets.pipeline.services import (
    build_notice,
    send_notice,
    stamp_entry,
    start_pipeline,
)
from dockets.services import FilingRequest, UploadedDocument, file_docket_entry
from filers.models import Filer, Role, User

pytestmark = [pytest.mark.bench, pytest.mark.django_db]

RECIPIENTS = 1000
# QUICK=1 (make bench QUICK=1): one round instead of three.
ROUNDS = 1 if os.environ.get("QUICK") else 3
OUT = Path(__file__).resolve().parents[2] / "bench" / "out" / "nef.json"


def _case(demo) -> Case:
    court = demo.court
    return create_case(
        court=court,
        office=Office.objects.get(court=court, number=3),
        chapter="7",
        title="Bench Debtor",
        judge=Judge.objects.get(court=court, initials="LT"),
        trustee=Trustee.objects.get(court=court, kind=Trustee.Kind.PANEL_7),
    )


def _watchers(case: Case, start: int) -> None:
    users = User.objects.bulk_create(
        [
            User(
                email=f"bench{start + i}@example.com",
                full_name=f"Bench Watcher {start + i}",
            )
            for i in range(RECIPIENTS)
        ]
    )
    Filer.objects.bulk_create(
        [
            Filer(user=u, role=Role.ATTORNEY, status=Filer.Status.CERTIFIED)
            for u in users
        ]
    )
    CaseWatch.objects.bulk_create(
        [CaseWatch(case=case, user=u, kind=CaseWatch.Kind.COURTESY) for u in users]
    )


def _filed_notice(case: Case, demo, tmp_path: Path) -> Notice:
    from reportlab.pdfgen import canvas

    path = tmp_path / "motion.pdf"
    c = canvas.Canvas(str(path))
    c.drawString(72, 700, "Motion to Extend Time")
    c.showPage()
    c.save()
    entry = file_docket_entry(
        FilingRequest(
            case=case,
            events=[Event.objects.get(code="extime")],
            filer=demo.users["attorney"],
            documents=[UploadedDocument.from_path(path, page_count=1)],
            fields={"extend_what": "respond"},
        )
    )
    start_pipeline(entry_id=entry.pk)
    stamp_entry(entry_id=entry.pk)
    assert not entry.documents.exclude(status=Document.Status.DONE).exists()
    return entry.notices.get()


def test_nef_fanout_1000_recipients(demo, tmp_path, capsys):
    fanout, baseline, counts = [], [], []
    for round_no in range(ROUNDS):
        case = _case(demo)
        _watchers(case, round_no * RECIPIENTS)
        notice = _filed_notice(case, demo, tmp_path)

        t0 = time.perf_counter()
        build_notice(notice_id=notice.pk)
        send_notice(notice_id=notice.pk)
        fanout.append(time.perf_counter() - t0)
        counts.append(
            NoticeRecipient.objects.filter(notice=notice, status="sent").count()
        )

        # The same notice text, with no rules, no tokens and no status rows.
        notice.refresh_from_db()
        t0 = time.perf_counter()
        with transaction.atomic():
            for i in range(counts[-1]):
                send_message(
                    to_email=f"plain{i}@example.com",
                    subject=notice.subject,
                    text=notice.body_text,
                    html=notice.body_html,
                    kind="plain",
                )
        baseline.append(time.perf_counter() - t0)
    assert min(counts) >= RECIPIENTS
    assert InboxMessage.objects.filter(kind="nef").count() == sum(counts)
    result = {
        "recipients": counts[0],
        "baseline": "the same NEF body as 1,000 plain inbox messages, no rules or tokens",
        "rounds": ROUNDS,
        "fanout_seconds_median": statistics.median(fanout),
        "baseline_seconds_median": statistics.median(baseline),
        "ratio": statistics.median(fanout) / statistics.median(baseline),
        "fanout_seconds": fanout,
        "baseline_seconds": baseline,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, indent=2))
    with capsys.disabled():
        print(
            f"\nNEF fan-out to {counts[0]} recipients: {result['fanout_seconds_median']:.3f}s; "
            f"{counts[0]} plain messages: {result['baseline_seconds_median']:.3f}s; "
            f"ratio {result['ratio']:.2f} (bench/out/nef.json)"
        )
