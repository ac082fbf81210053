"""A new creditor registers on live, practises on training until every exercise passes,
is certified by the clerk on live, and files a real claim.

Two servers run at once: pytest-django's live server (live) and the training
instance in a subprocess (ECF_INSTANCE=training, its own database, secret and
cookies). A real Celery worker of the live instance creates the practice account.
"""

import os
import re
import sys
import uuid
from pathlib import Path

import pytest
from browserkit import CSP_ENFORCED, login, register
from factories import chapter7_case
from playwright.sync_api import expect
from testkit import start_celery_worker, stop_process, totp_code_for_secret

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "training"))

from trainingkit import TrainingServer, exercise, training_court

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(databases=["default", "training"], transaction=True),
]

EMAIL = "new.creditor@example.test"
PASSWORD = "a-Long-unusual-passphrase-42"
PRACTICE_PASSWORD = "another-Practice-phrase-77"


def _db_url(alias: str) -> str:
    from django.conf import settings

    db = settings.DATABASES[alias]
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture
def training_server(live_server, transactional_db):
    with TrainingServer(ECF_LIVE_URL=live_server.url) as server:
        yield server


@pytest.fixture
def live_worker(live_server, training_server, settings):
    """The live instance's worker, on a queue of its own, against both test databases."""
    from ecf.celery import app

    settings.ECF_TRAINING_URL = training_server.url
    settings.ECF_LIVE_URL = live_server.url

    queue = f"test-{uuid.uuid4().hex[:10]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ecf.settings.test",
        "DATABASE_URL": _db_url("default"),
        "TRAINING_DATABASE_URL": _db_url("training"),
        "ECF_CELERY_QUEUE": queue,
        "ECF_LIVE_URL": live_server.url,
        "ECF_TRAINING_URL": training_server.url,
    }
    proc, log = start_celery_worker(
        queue,
        env,
        Path(os.environ["ECF_TEST_TMP"]) / f"worker-{queue}.log",
        "--without-heartbeat",
    )
    old = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    try:
        yield env
    finally:
        app.conf.task_default_queue = old
        stop_process(proc, log)


def _file_claim(page, creditor: str) -> None:
    page.get_by_role("link", name="File a Proof of Claim").click()
    page.get_by_label(re.compile(r"^Creditor name")).fill(creditor)
    page.get_by_label(re.compile(r"^Notice address")).fill(
        "P.O. Box 77\nSan Diego, CA 92101"
    )
    page.get_by_label(re.compile(r"^Amount of the claim")).fill("2,400.00")
    page.get_by_label(re.compile(r"^Unsecured amount")).fill("2,400")
    page.get_by_label(re.compile(r"^Basis of the claim")).fill("Goods sold")
    page.get_by_role("button", name="File claim").click()


def _wait_for_link(timeout=60.0) -> str:
    from testkit import wait_for

    from core.models import InboxMessage

    def link():
        for message in InboxMessage.objects.filter(to_email=EMAIL, kind="training"):
            found = re.search(r"(/training/start/\S+/)", message.body_text)
            if found:
                return found.group(1)
        return None

    return wait_for(link, timeout=timeout)


def test_creditor_registers_practises_is_certified_and_files_a_real_claim(
    page, live_server, demo, settings, training_server, live_worker, assert_accessible
):
    from cases.models import Case
    from dockets.claims.models import Claim
    from filers.models import Filer, User

    training_court()
    exercise(
        "creditor-claim", "claim_filed", {}, ["creditor"], title="File a proof of claim"
    )
    live_case = chapter7_case(demo)

    training = training_server
    # 1. Register on live as a creditor.
    register(
        page,
        live_server,
        name="Lakeside Supply Co.",
        email=EMAIL,
        password=PASSWORD,
        role="Creditor (limited filer)",
    )
    user = User.objects.get(email=EMAIL)
    assert user.filer.status == Filer.Status.PENDING

    # 2. The worker made the practice account; the exercises page shows what to do.
    link = _wait_for_link()
    login(page, live_server, user, password=PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Training"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your training exercises")
    expect(page.get_by_text("0 of 1 exercise passed")).to_be_visible()
    expect(
        page.get_by_role("heading", name="File a proof of claim: not checked yet")
    ).to_be_visible()
    assert_accessible()
    page.get_by_role("button", name="Check my exercises now").click()
    expect(
        page.get_by_text(
            "File a proof of claim (Official Form 410) on a practice case."
        )
    ).to_be_visible()
    assert_accessible()

    # 3. On training: choose the practice password with the one-time link.
    page.goto(training.url + link)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Choose your practice password"
    )
    expect(page.get_by_role("note", name="Training instance")).to_contain_text(
        "TRAINING"
    )
    assert_accessible()
    page.get_by_label("New password (required)", exact=True).fill(PRACTICE_PASSWORD)
    page.get_by_label("New password confirmation (required)").fill(PRACTICE_PASSWORD)
    page.get_by_role("button", name="Set password and log in").click()
    expect(page.get_by_text("Your practice password is set.")).to_be_visible()
    # The link works once.
    page.goto(training.url + link)
    expect(page.get_by_role("alert")).to_contain_text("This practice link is not valid")
    assert_accessible()

    # 4a. A claim in a case that is not one of the trainee's practice cases does not
    # pass, and the check says exactly why.
    from trainingkit import file_claim_on_training

    from filers.models import User as TrainingUser

    practice = Case.objects.using("training").get(
        practice_owner__email=EMAIL, chapter="7"
    )
    shared = Case.objects.using("training").create(
        court_id=practice.court_id,
        office_id=practice.office_id,
        year=practice.year,
        number=950,
        title="Shared demo case",
        chapter="7",
        date_filed=practice.date_filed,
    )
    file_claim_on_training(
        shared, TrainingUser.objects.using("training").get(email=EMAIL)
    )
    page.goto(live_server.url + "/training/")
    page.get_by_role("button", name="Check my exercises now").click()
    expect(page.get_by_text("which is not one of your practice cases")).to_be_visible()
    assert_accessible()

    # 4b. File a practice claim in the trainee's own practice case.
    page.goto(f"{training.url}/cases/{practice.pk}/claims/")
    assert_accessible()
    _file_claim(page, "Lakeside Supply Co.")
    heading = page.get_by_role("heading", level=1, name=re.compile("Claim 1-1 in case"))
    expect(heading).to_be_visible()
    expect(heading).to_contain_text("TRAINING")
    assert_accessible()
    assert Claim.objects.using("training").filter(filed_by__email=EMAIL).count() == 2
    assert not Claim.objects.exists()  # nothing on live

    # 5. Back on live: check, and training is complete.
    page.goto(live_server.url + "/training/")
    page.get_by_role("button", name="Check my exercises now").click()
    expect(
        page.get_by_text("Checked just now: 1 of 1 exercises passed.")
    ).to_be_visible()
    expect(
        page.get_by_role("heading", name="File a proof of claim: passed")
    ).to_be_visible()
    expect(page.get_by_text("Training complete", exact=True)).to_be_visible()
    assert_accessible()
    page.get_by_role("button", name="Log out").click()

    # 6. The clerk sees training complete, the practice claim, and certifies.
    login(page, live_server, demo.users["clerk"])
    page.goto(live_server.url + "/training/clerk/")
    row = page.get_by_role("row", name=re.compile("Lakeside Supply Co."))
    expect(row).to_contain_text("Training complete")
    assert_accessible()
    row.get_by_role("link", name="Lakeside Supply Co.").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Training of Lakeside Supply Co."
    )
    practice_link = page.get_by_role(
        "link", name=re.compile(r"^TRAINING .* Claim 1: Lakeside")
    )
    assert practice_link.get_attribute("href").startswith(
        settings.ECF_TRAINING_URL + "/claims/"
    )
    assert_accessible()
    page.get_by_role("link", name="Registration and decision").click()
    expect(page.get_by_text("Every requirement is met.")).to_be_visible()
    page.get_by_role("button", name="Approve (certify)").click()
    expect(page.get_by_text("The registration was approved")).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    # 7. Certified on live: set up two-factor, then file a real claim.
    login(page, live_server, user, password=PASSWORD)
    page.goto(live_server.url + "/filers/menu/")
    page.get_by_role("link", name="Set up two-factor authentication").click()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    secret = page.get_by_label("Secret (to type in instead of scanning)").input_value()
    page.get_by_label("Authenticator code").fill(totp_code_for_secret(secret))
    page.get_by_role("button", name="Activate").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    page.goto(f"{live_server.url}/cases/{live_case.pk}/claims/")
    _file_claim(page, "Lakeside Supply Co.")
    heading = page.get_by_role("heading", level=1, name=re.compile("Claim 1-1 in case"))
    expect(heading).to_be_visible()
    expect(heading).not_to_contain_text("TRAINING")
    assert_accessible()
    claim = Claim.objects.get()
    assert claim.case_id == live_case.pk and claim.filed_by == user


@pytest.mark.django_db(databases=["default", "training"], transaction=True)
@CSP_ENFORCED
def test_training_pages_pass_axe_and_work_by_keyboard(
    page, live_server, demo, settings, assert_accessible
):
    """The practise page, the clerk's reset page and an empty exercises page."""
    from training.models import TrainingReset

    settings.ECF_TRAINING_URL = "http://127.0.0.1:9"  # never contacted by these pages
    login(page, live_server, demo.users["attorney"])
    page.goto(live_server.url + "/training/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your training exercises")
    expect(page.get_by_text("has no required exercises")).to_be_visible()
    assert_accessible()
    page.get_by_role("link", name="Practise on training").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Practise on the training system"
    )
    assert_accessible()
    page.get_by_role("button", name="Log out").click()

    login(page, live_server, demo.users["clerk"])
    page.goto(live_server.url + "/training/clerk/reset/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Reset the training system"
    )
    assert_accessible()
    from ecf.celery import app

    old = app.conf.task_default_queue
    app.conf.task_default_queue = "test-training-reset-not-consumed"
    try:
        button = page.get_by_role("button", name="Reset the training system now")
        button.focus()
        page.keyboard.press("Enter")
        expect(page.get_by_role("status")).to_contain_text("is queued")
    finally:
        app.conf.task_default_queue = old
    expect(page.get_by_role("cell", name="Queued")).to_be_visible()
    assert_accessible()
    assert TrainingReset.objects.get().requested_by == demo.users["clerk"]
