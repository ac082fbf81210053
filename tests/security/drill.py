"""Fault drill against its own PostgreSQL + Redis (scripts/drill_services.sh, ports 54339/63809).

Run by tests/security/test_drills.py in a child process whose settings point at the drill servers:
  1. Redis stopped during filings: the filings commit, their status rows stay pending; Redis back,
     the sweeper re-queues every one of them (the rows are the source of truth).
  2. PostgreSQL stopped, and only PostgreSQL (Redis stays up, the same process): a signed-in
     user reads a page and follows the case while the database is down; both answer 503
     "try again" and nothing of the follow is half-written. PostgreSQL back, the same web
     process answers 200 without a restart; the user follows the case again (one follow
     row, not two) and files three documents, numbered straight after the last entry
     before the outage. Only rows written during and after the outage are counted.
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


def _stop(pid: int, sig: int) -> None:
    os.kill(pid, sig)
    for _ in range(300):
        if not Path(f"/proc/{pid}").exists():
            return
        time.sleep(0.1)
    raise RuntimeError(f"process {pid} did not stop")


def redis_pid() -> int:
    return int((ROOT / "var" / "drill" / "redis" / "redis.pid").read_text())


def stop_redis() -> None:
    _stop(redis_pid(), signal.SIGTERM)


def stop_postgres() -> None:
    """Stop the drill's PostgreSQL alone (SIGINT: PostgreSQL's fast shutdown)."""
    pid_file = ROOT / "var" / "drill" / "pg" / "postmaster.pid"
    _stop(int(pid_file.read_text().splitlines()[0]), signal.SIGINT)


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

    # 2. PostgreSQL away, and only PostgreSQL.
    from cases.models import CaseWatch

    user = demo.users["attorney"]
    client.force_login(user)
    follow_url = reverse("dockets:follow", kwargs={"case_id": case.pk})
    last_before = DocketEntry.objects.filter(case=case).order_by("-number").first()
    assert last_before is not None and last_before.number is not None  # part 1 filed
    redis_before = redis_pid()
    stop_postgres()
    try:
        during = client.get(url)
        during_follow = client.post(follow_url, {"follow": "1"})
        redis_stayed = broker.ping() and redis_pid() == redis_before
    finally:
        services("start")  # starts PostgreSQL; Redis is running and is left alone
    connection.close()
    after = None
    for _ in range(50):
        after = client.get(url)
        if after.status_code == 200:
            break
        time.sleep(0.2)

    def shows_try_again(response) -> bool:
        return (
            response.status_code == 503
            and "try again" in response.content.decode().lower()
        )

    try_again = shows_try_again(during) and shows_try_again(during_follow)
    recovered = after is not None and after.status_code == 200
    # What the user did while the database was down wrote nothing (not half a follow).
    half_written = CaseWatch.objects.filter(case=case, user=user).count()
    # Work resumes: the follow the user repeats, and three new filings.
    again = client.post(follow_url, {"follow": "1"})
    follows = CaseWatch.objects.filter(case=case, user=user).count()
    resumed = [file_pdf_entry(case, demo.users["attorney"]) for _ in range(3)]
    numbers = list(
        DocketEntry.objects.filter(pk__in=[e.pk for e in resumed])
        .order_by("number")
        .values_list("number", flat=True)
    )
    expected_numbers = list(range(last_before.number + 1, last_before.number + 4))
    lost_pg = (
        (3 - len(numbers))
        + (0 if numbers == expected_numbers else 1)
        + (0 if again.status_code == 302 and follows == 1 else 1)
        + half_written
    )

    survived = sum(
        [committed == 3 and requeued_ok, try_again and recovered and redis_stayed]
    )
    lost = lost_redis + lost_pg
    print(
        f"drills: 2 faults, {survived} survived, {lost} records lost "
        f"(redis: {committed}/3 filings committed, {in_broker} tasks re-queued by the sweeper {queued}; "
        f"postgres alone: {during.status_code}/{during_follow.status_code} while down, "
        f"redis {'up' if redis_stayed else 'STOPPED'}, "
        f"{after.status_code if after else '-'} after, {half_written} rows written while down, "
        f"{follows} follow and entries {numbers} after (expected {expected_numbers}))"
    )
    return 0 if survived == 2 and lost == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
