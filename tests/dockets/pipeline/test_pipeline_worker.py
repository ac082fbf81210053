"""The pipeline through real Celery worker processes, including one killed mid-task.

Each worker listens on a queue of its own against the test database (committed rows,
so these tests are transactional). Killing a worker with SIGKILL leaves its message
unacknowledged; the sweeper (beat's job, called here directly) finds the rows still
pending and queues them again, and the work completes exactly once.
"""

import os
import signal
import time
import uuid
from email import message_from_bytes
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from pipeline_helpers import build_case, file_entry, wait_for
from testkit import start_celery_worker, stop_process

from core.models import InboxMessage
from dockets.models import Document, Notice, NoticeRecipient
from dockets.pipeline.models import NoticeDelivery
from dockets.pipeline.services import sweep_pending

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


class Worker:
    """One worker process on `queue`, with extra settings from the environment.

    ECF_DRILL_PAUSE / ECF_DRILL_PAUSE_AT make it stop mid-task (tests/drillpause.py,
    which every worker started here loads), so the test can kill it right there.
    """

    def __init__(self, queue: str, **env: str) -> None:
        db = settings.DATABASES["default"]
        self.log_path = (
            Path(os.environ["ECF_TEST_TMP"])
            / f"worker-{queue}-{uuid.uuid4().hex[:6]}.log"
        )
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "ecf.settings.test",
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "ECF_CELERY_QUEUE": queue,
            "ECF_TEST_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            **env,
        }
        self.proc, self.log = start_celery_worker(
            f"{queue},{queue}-text",
            environment,
            self.log_path,
            "--without-heartbeat",
            "--include",
            "tests.drillpause",
        )

    def kill(self) -> None:
        """SIGKILL: no warm shutdown, no chance to ack or clean up."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)
        self.log.close()

    def stop(self) -> None:
        stop_process(self.proc, self.log)


@pytest.fixture
def queue():
    from ecf.celery import app

    name = f"test-{uuid.uuid4().hex[:10]}"
    old = app.conf.task_default_queue
    app.conf.task_default_queue = name
    workers: list[Worker] = []
    yield name, workers
    app.conf.task_default_queue = old
    for worker in workers:
        worker.stop()


def _mail_by_recipient() -> dict[str, int]:
    folder = Path(settings.EMAIL_FILE_PATH)
    counts: dict[str, int] = {}
    if not folder.exists():
        return counts
    for path in folder.glob("*.log"):
        # The file backend appends messages separated by a line of 79 dashes.
        for chunk in path.read_bytes().split(b"-" * 79):
            if not chunk.strip():
                continue
            to = message_from_bytes(chunk.strip()).get("To", "")
            counts[to] = counts.get(to, 0) + 1
    return counts


def test_a_real_worker_stamps_and_sends(demo, tmp_path, queue):
    name, workers = queue
    workers.append(Worker(name))
    pc = build_case(demo)
    entry = file_entry(pc, tmp_path)
    notice = wait_for(
        lambda: Notice.objects.filter(entry=entry, status=Notice.Status.DONE).first(),
        timeout=60,
    )
    assert Document.objects.get(entry=entry).status == Document.Status.DONE
    assert notice.recipients.filter(status=NoticeRecipient.Status.SENT).count() == 4
    wait_for(
        lambda: (
            not InboxMessage.objects.filter(status=InboxMessage.Status.PENDING).exists()
        ),
        timeout=30,
    )


def test_killing_workers_mid_task_loses_nothing_and_doubles_nothing(
    demo, tmp_path, queue
):
    """Kill -9 one worker mid-stamp and another mid-fan-out: the document ends stamped
    once, and every recipient gets exactly one message."""
    name, workers = queue
    pc = build_case(demo)
    before = (
        _mail_by_recipient()
    )  # earlier tests of this session wrote to the same folder
    from cases.models import CaseWatch
    from filers.models import Filer, Role, User

    for i in range(3):  # more recipients, so the fan-out spans several batches
        user = User.objects.create_user(
            email=f"watcher{i}@example.com", password="x", full_name=f"Watcher {i}"
        )
        Filer.objects.create(
            user=user, role=Role.ATTORNEY, status=Filer.Status.CERTIFIED
        )
        CaseWatch.objects.create(case=pc.case, user=user, kind=CaseWatch.Kind.COURTESY)

    # 1. A worker that pauses once it has claimed the stamp, before recording it: killed there.
    first = Worker(name, ECF_DRILL_PAUSE="30", ECF_DRILL_PAUSE_AT="stamp")
    workers.append(first)
    entry = file_entry(pc, tmp_path)
    document = Document.objects.get(entry=entry)
    wait_for(lambda: Document.objects.get(pk=document.pk).attempts == 1, timeout=60)
    time.sleep(1.0)
    first.kill()
    document.refresh_from_db()
    assert document.status == Document.Status.PENDING
    assert not document.stamped

    # 2. A worker that pauses after each batch of 2 e-mails: killed after the first batch.
    second = Worker(
        name,
        ECF_DRILL_PAUSE="30",
        ECF_DRILL_PAUSE_AT="send",
        ECF_NEF_BATCH_SIZE="2",
    )
    workers.append(second)
    assert sweep_pending(older_than_seconds=0)["entries"] == 1
    wait_for(
        lambda: (
            NoticeRecipient.objects.filter(notice__entry=entry, status="sent").count()
            >= 2
        ),
        timeout=60,
    )
    time.sleep(0.5)
    second.kill()
    notice = Notice.objects.get(entry=entry)
    assert notice.status == Notice.Status.PENDING
    total = notice.recipients.count()
    assert total == 7
    assert notice.recipients.filter(status="sent").count() == 2

    # 3. A healthy worker; the sweeper finds the pending notice again.
    workers.append(Worker(name))
    assert sweep_pending(older_than_seconds=0)["notices"] == 1
    wait_for(
        lambda: Notice.objects.get(pk=notice.pk).status == Notice.Status.DONE,
        timeout=60,
    )
    wait_for(
        lambda: (
            not InboxMessage.objects.filter(status=InboxMessage.Status.PENDING).exists()
        ),
        timeout=60,
    )

    document.refresh_from_db()
    assert document.status == Document.Status.DONE
    assert document.attempts == 2
    stamped_files = default_storage.listdir(f"stamped/{entry.case_id}")[1]
    assert stamped_files == [Path(document.stamped.name).name]
    recipients = list(notice.recipients.filter(method=NoticeRecipient.Method.EMAIL))
    assert {r.status for r in recipients} == {NoticeRecipient.Status.SENT}
    assert NoticeDelivery.objects.filter(recipient__notice=notice).count() == total
    for r in recipients:
        assert InboxMessage.objects.filter(to_email=r.email, kind="nef").count() == 1
    mailed = _mail_by_recipient()
    assert {
        r.email: mailed.get(r.email, 0) - before.get(r.email, 0) for r in recipients
    } == {r.email: 1 for r in recipients}
