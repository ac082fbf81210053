"""Helpers for the training tests: trainees, practice filings written into the training DB."""

import hashlib

from allauth.account.models import EmailAddress
from django.utils import timezone

from cases.models import Case
from core import clock
from dockets.models import DocketEntry, Document, Event
from filers.models import Filer, Role, User
from training.models import Exercise
from training.seeding import seed_court

TDB = "training"
BOTH = ["default", "training"]


def make_trainee(email="trainee.one@example.test", role=Role.CREDITOR, **extra) -> User:
    """A live registrant waiting for training, e-mail confirmed."""
    user = User.objects.create_user(
        email=email, password="x-password-1234", full_name="Terry Trainee"
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    Filer.objects.create(
        user=user,
        role=role,
        status=Filer.Status.PENDING,
        agreement_accepted_at=timezone.now(),
        **extra,
    )
    return user


def exercise(code, kind, params, roles, order=10, **extra) -> Exercise:
    ex = Exercise(
        code=code,
        title=extra.pop("title", code.replace("-", " ").capitalize()),
        instructions=extra.pop("instructions", "Do it on training."),
        check_kind=kind,
        params=params,
        roles=[str(r) for r in roles],
        order=order,
        **extra,
    )
    ex.full_clean()
    ex.save()
    return ex


def training_court():
    """Seed the training database's court and events (as a reset does)."""
    return seed_court(using=TDB)


def practice_case(trainee: User) -> Case:
    """The first practice case of a practice account (create_practice_account makes them)."""
    case = Case.objects.using(TDB).filter(practice_owner=trainee).first()
    assert case is not None, f"{trainee.email} has no practice case"
    return case


def file_on_training(
    case: Case,
    code: str,
    trainee: User,
    *,
    attachments: int = 0,
    related=(),
    fee_status: str = "",
    parties=(),
) -> DocketEntry:
    """Write a docket entry into the training DB as the training instance would."""
    case = Case.objects.using(TDB).get(pk=case.pk)
    case.last_entry_seq += 1
    case.last_entry_number += 1
    case.save(using=TDB, update_fields=["last_entry_seq", "last_entry_number"])
    event = Event.objects.using(TDB).get(code=code)
    now = timezone.now()
    entry = DocketEntry(
        case=case,
        number=case.last_entry_number,
        seq=case.last_entry_seq,
        event=event,
        filed_at=now,
        entered_at=now,
        filed_date=clock.today(),
        filer=trainee,
        text=event.name,
        original_text=event.name,
        fee_status=fee_status,
    )
    entry.save(using=TDB)
    for seq in range(attachments + 1):
        Document.objects.using(TDB).create(
            entry=entry,
            sequence=seq,
            original=f"training-test/{entry.pk}-{seq}.pdf",
            sha512=hashlib.sha512(f"{entry.pk}-{seq}".encode()).hexdigest(),
        )
    if related:
        entry.related.add(*related)
    if parties:
        entry.filing_parties.add(*parties)
    return entry


def file_claim_on_training(case: Case, trainee: User, *, secured_cents=0):
    from dockets.claims.models import Claim

    case = Case.objects.using(TDB).get(pk=case.pk)
    case.last_claim_number += 1
    case.save(using=TDB, update_fields=["last_claim_number"])
    now = timezone.now()
    return Claim.objects.using(TDB).create(
        case=case,
        number=case.last_claim_number,
        creditor_name=trainee.get_full_name(),
        creditor_address="1 Creditor Plaza\nSan Diego, CA 92101",
        amount_cents=125_000,
        secured_cents=secured_cents,
        unsecured_cents=125_000 - secured_cents,
        filed_by=trainee,
        filed_at=now,
        entered_at=now,
        filed_date=clock.today(),
    )


# -- the training instance in a subprocess -------------------------------------------

TRAINING_SECRET = "training-instance-test-secret-key-0123456789abcdef"


def training_env(**extra) -> dict:
    """The environment of a training-instance process against the test training DB.

    Its own SECRET_KEY, cache and Celery queue; its "default" database is the test
    training database, and it has no alias for the live one.
    """
    import os

    from django.conf import settings

    db = settings.DATABASES["training"]
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ecf.settings.test",
        "ECF_INSTANCE": "training",
        "TRAINING_DATABASE_URL": url,
        # Never used on training; a database that does not exist proves it.
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/no_live_db_on_training",
        "DJANGO_SECRET_KEY": TRAINING_SECRET,
        "ECF_CACHE_URL": "redis://127.0.0.1:63799/4",
        "ECF_CELERY_QUEUE": "test-training-unused",
        "ECF_TEST_TMP": os.environ["ECF_TEST_TMP"],
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    env.pop("ECF_TEST_DB_SUFFIX", None)
    for key, value in extra.items():  # None removes a variable
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def run_on_training(code: str, **extra) -> str:
    """Run Python `code` in a training-instance process (django set up); return stdout."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    script = "import django; django.setup()\n" + code
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=root,
        env=training_env(**extra),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


class TrainingServer:
    """`manage.py runserver` of the training instance on a free port (context manager)."""

    def __init__(self, **extra):
        self.extra = extra
        self.proc = None
        self.url = ""

    def __enter__(self):
        import socket
        import subprocess
        import sys
        import time
        import urllib.request
        from pathlib import Path

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        root = Path(__file__).resolve().parents[2]
        env = training_env(ECF_TRAINING_URL=self.url, **self.extra)
        self.log = open(Path(env["ECF_TEST_TMP"]) / f"training-server-{port}.log", "w")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "runserver",
                f"127.0.0.1:{port}",
                "--noreload",
                "--insecure",
            ],
            cwd=root,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url + "/healthz", timeout=2)
                return self
            except OSError:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.2)
        self.__exit__(None, None, None)
        raise RuntimeError(f"training server did not start; see {self.log.name}")

    def __exit__(self, *exc):
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except Exception:
                self.proc.kill()
        self.log.close()
        return False
