"""The training instance cannot reach live: its own database, cookies, secret and queue."""

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from testkit import start_celery_worker, stop_process
from trainingkit import (
    BOTH,
    TDB,
    TrainingServer,
    make_trainee,
    run_on_training,
    training_court,
    training_env,
)

from cases.models import Case
from dockets.models import DocketEntry
from filers.models import User
from training import services
from training.seeding import ensure_practice_account

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db(databases=BOTH, transaction=True)


SETTINGS_DUMP = (
    "import json; from django.conf import settings as s; from ecf.celery import app\n"
    "print(json.dumps({'dbs': sorted(s.DATABASES), 'name': s.DATABASES['default']['NAME'],"
    " 'session': s.SESSION_COOKIE_NAME, 'csrf': s.CSRF_COOKIE_NAME, 'key': s.SECRET_KEY,"
    " 'queue': app.conf.task_default_queue, 'training': s.ECF_IS_TRAINING}))"
)


def test_training_instance_settings_are_its_own():
    """With the production settings, as `make run` starts both instances."""
    base = {"DJANGO_SETTINGS_MODULE": "ecf.settings.base", "ECF_CELERY_QUEUE": None}
    training = json.loads(
        run_on_training(SETTINGS_DUMP, **base).strip().splitlines()[-1]
    )
    live = json.loads(
        run_on_training(
            SETTINGS_DUMP,
            ECF_INSTANCE="live",
            DJANGO_SECRET_KEY=settings.SECRET_KEY,
            DATABASE_URL=os.environ["DATABASE_URL"],
            **base,
        )
        .strip()
        .splitlines()[-1]
    )
    assert training["dbs"] == ["default"]  # no alias for the live database at all
    assert training["name"] == settings.DATABASES["training"]["NAME"]
    assert training["training"] is True and live["training"] is False
    assert live["dbs"] == ["default", "training"]
    assert training["session"] != live["session"]
    assert training["csrf"] != live["csrf"]
    assert training["key"] != live["key"]
    assert (training["queue"], live["queue"]) == ("ecf-training", "ecf-live")


def test_a_filing_on_training_never_appears_on_live(demo):
    """An entry filed by the training instance's own services lands only in its database."""
    training_court()
    user = make_trainee(email="filer.on.training@example.test")
    services.create_practice_account(user, send_link=False)
    live_entries = DocketEntry.objects.count()
    out = run_on_training(
        """
import tempfile
from pathlib import Path
from django.db import transaction
from cases.models import Case
from dockets.models import Event
from dockets.services import FilingRequest, UploadedDocument, create_entry, documents_stored, lock_case
from filers.models import User
from training.management.commands.seed_demo import demo_pdf

trainee = User.objects.get(email="filer.on.training@example.test")
case = Case.objects.filter(practice_owner=trainee, chapter="7").get()
with tempfile.TemporaryDirectory() as tmp:
    path = Path(tmp) / "appearance.pdf"
    pages = demo_pdf(path, title="Notice of Appearance", lines=["Practice."])
    request = FilingRequest(case=case, events=[Event.objects.get(code="ntcapr")], filer=trainee,
                            documents=[UploadedDocument.from_path(path, page_count=pages)])
    with documents_stored(request.documents, case_id=case.pk), transaction.atomic():
        entry = create_entry(request, case=lock_case(case.pk))
print(entry.pk, case.pk, "|", case.display_number)
"""
    )
    ids, number = out.strip().splitlines()[-1].split("|")
    entry_id, case_id = (int(x) for x in ids.split())
    assert number.strip().startswith("TRAINING ")
    on_training = DocketEntry.objects.using(TDB).get(pk=entry_id)
    assert on_training.case_id == case_id
    assert on_training.filer is not None
    assert on_training.filer.email == user.email
    # Live has no such entry or case, and nothing new at all.
    assert DocketEntry.objects.count() == live_entries
    assert not Case.objects.filter(practice_owner__isnull=False).exists()
    assert not Case.objects.filter(title=on_training.case.title).exists()


def _get(url: str, cookie: str = "") -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        response = opener.open(request, timeout=10)
        return response.status, response.headers.get("Location", "")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Location", "")


def test_a_live_session_cookie_does_not_log_in_on_training(demo, client):
    training_court()
    user = make_trainee(email="both@example.test")
    services.create_practice_account(user, send_link=False)
    client.force_login(user)
    live_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.get("/inbox/").status_code == 200  # logged in on live
    with TrainingServer() as server:
        # The live cookie, under the live name and under the training name: not logged in.
        for name in (settings.SESSION_COOKIE_NAME, "ecf_training_session"):
            status, location = _get(server.url + "/inbox/", f"{name}={live_cookie}")
            assert status == 302 and "/accounts/login/" in location, (name, status)
        status, _ = _get(
            server.url + "/training/"
        )  # the live-only pages do not exist there
        assert status == 404


def test_training_worker_consumes_only_the_training_queue():
    """A worker started as scripts/start.sh starts it (ECF_INSTANCE=training) listens to
    ecf-training and nothing else. It runs on a broker database of its own, so no real
    worker shares it."""
    start = (ROOT / "scripts" / "start.sh").read_text()
    line = next(
        ln for ln in start.splitlines() if ln.startswith("start worker-training")
    )
    assert "-Q ecf-training" in line and '"${TRAINING[@]}"' in line
    broker = "redis://127.0.0.1:63799/11"
    node = f"training-test-{os.getpid()}"
    env = training_env(CELERY_BROKER_URL=broker)
    env.pop("ECF_CELERY_QUEUE")
    proc, log = start_celery_worker(
        "ecf-training",
        env,
        Path(os.environ["ECF_TEST_TMP"]) / "training-worker.log",
        "-n",
        f"{node}@%h",
    )
    try:
        from unittest import mock

        from celery import Celery

        mine: dict[str, Any] = {}
        # CELERY_BROKER_URL in this process's env would win over the argument.
        with mock.patch.dict(os.environ, {"CELERY_BROKER_URL": broker}):
            app = Celery(broker=broker, set_as_current=False)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not mine:
                answers = app.control.inspect(timeout=1).active_queues() or {}
                mine = {k: v for k, v in answers.items() if k.startswith(node + "@")}
        assert mine, "the training worker did not answer"
        (names,) = [[q["name"] for q in qs] for qs in mine.values()]
        assert names == ["ecf-training"]
    finally:
        stop_process(proc, log, timeout=15)
    assert User.objects.using(TDB).count() == 0


def test_seed_practice_runs_on_the_training_instance_only(demo):
    """`manage.py seed_practice` writes practice cases into the training instance's own DB."""
    training_court()
    user = make_trainee(email="seeded@example.test")
    trainee, _ = ensure_practice_account(user=user, using=TDB)
    cmd = [sys.executable, "manage.py", "seed_practice", "--user-email", user.email]
    done = subprocess.run(
        cmd,
        cwd=ROOT,
        env=training_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "2 practice case(s) created" in done.stdout
    assert Case.objects.using(TDB).filter(practice_owner=trainee).count() == 2
    assert not Case.objects.exists()
    # On live settings the command refuses to run.
    live = subprocess.run(
        cmd,
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "ecf.settings.test"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert live.returncode != 0
    assert "Run seed_practice with ECF_INSTANCE=training." in live.stderr


def test_demo_seed_on_both_instances(settings):
    """`make seed` runs seed_demo on live (exercises) and on training (practice cases)."""
    from django.core.management import call_command

    from training.models import Exercise

    settings.ECF_DEMO = True
    call_command("seed_demo", verbosity=0)
    assert Exercise.objects.filter(active=True).count() >= 6
    out = subprocess.run(
        [sys.executable, "manage.py", "seed_demo"],
        cwd=ROOT,
        env=training_env(ECF_DEMO="true"),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    assert "Training: " in out.stdout and "practice cases" in out.stdout
    trainee = User.objects.using(TDB).get(email="trainee@ecf.test")
    assert Case.objects.using(TDB).filter(practice_owner=trainee).count() == 2
    # The live database got no practice cases.
    assert not Case.objects.filter(practice_owner__isnull=False).exists()
