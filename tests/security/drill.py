"""Fault drill against its own PostgreSQL + Redis (scripts/drill_services.sh, ports 54339/63809).

Run by tests/security/test_drills.py in a child process whose settings point at the drill servers:
  1. Redis stopped during filings: the filings commit, their status rows stay pending; Redis back,
     the sweeper re-queues every one of them (the rows are the source of truth).
  2. PostgreSQL stopped: the web answers 503 "try again"; PostgreSQL back, the same process answers 200.
Prints one line of figures and exits 1 on any lost record.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "security")]
DRILL = ["sh", str(ROOT / "scripts" / "drill_services.sh")]


def services(action: str) -> None:
    subprocess.run([*DRILL, action], check=True, capture_output=True, timeout=120)


def stop_redis() -> None:
    pid = int((ROOT / "var" / "drill" / "redis" / "redis.pid").read_text())
    os.kill(pid, signal.SIGTERM)
    for _ in range(100):
        if not Path(f"/proc/{pid}").exists():
            return
        time.sleep(0.1)


def main() -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("migrate", database="training", verbosity=0)
    from factories import seed_court_and_users
    from seckit import file_pdf_entry, make_case

    from dockets.models import DocketEntry, Document, Notice
    from dockets.pipeline.services import sweep_pending

    demo = seed_court_and_users()
    case = make_case(demo.court, title=f"Drill {time.time_ns()}")
    client = Client(raise_request_exception=False)
    url = reverse("cases:summary", kwargs={"case_id": case.pk})
    assert client.get(url).status_code == 200

    # 1. Redis away during filings.
    stop_redis()
    filed = [file_pdf_entry(case, demo.users["attorney"]) for _ in range(3)]
    ids = [e.pk for e in filed]
    committed = DocketEntry.objects.filter(pk__in=ids).count()
    pending_notices = Notice.objects.filter(
        entry_id__in=ids, status=Notice.Status.PENDING
    ).count()
    pending_docs = Document.objects.filter(
        entry_id__in=ids, status=Document.Status.PENDING
    ).count()
    services("start")
    import redis

    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    broker.delete(queue)
    queued = sweep_pending(older_than_seconds=0)
    in_broker = broker.llen(queue)
    lost_redis = 3 - committed + (3 - pending_docs) + (3 - pending_notices)
    requeued_ok = in_broker >= 3

    # 2. PostgreSQL away.
    services("stop")
    try:
        during = client.get(url)
    finally:
        services("start")
    connection.close()
    after = None
    for _ in range(50):
        after = client.get(url)
        if after.status_code == 200:
            break
        time.sleep(0.2)
    try_again = (
        during.status_code == 503 and "try again" in during.content.decode().lower()
    )
    recovered = after is not None and after.status_code == 200
    lost_pg = 3 - DocketEntry.objects.filter(pk__in=ids).count()

    survived = sum([committed == 3 and requeued_ok, try_again and recovered])
    lost = lost_redis + lost_pg
    print(
        f"drills: 2 faults, {survived} survived, {lost} records lost "
        f"(redis: {committed}/3 filings committed, {in_broker} tasks re-queued by the sweeper {queued}; "
        f"postgres: {during.status_code} while down, {after.status_code if after else '-'} after)"
    )
    return 0 if survived == 2 and lost == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
