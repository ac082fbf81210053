"""Practice accounts, one-time links, exercise results on live, completion, the gate, resets."""

import datetime as dt

import pytest
import testkit
import time_machine
from allauth.account.models import EmailAddress
from trainingkit import (
    BOTH,
    TDB,
    exercise,
    file_claim_on_training,
    file_on_training,
    make_trainee,
    practice_case,
    training_court,
)

from cases.models import Case
from core.errors import UserFacingError
from core.models import AuditEvent, InboxMessage
from dockets.models import DocketEntry
from filers import decisions as filer_decisions
from filers import services as filer_services
from filers.models import Filer, Role, User
from training import services
from training.checks import unmet_training_requirements
from training.models import ExerciseResult, PracticeAccount, TrainingReset

pytestmark = pytest.mark.django_db(databases=BOTH)


@pytest.fixture
def court_on_training(demo):
    training_court()
    return demo


def _link(user) -> str:
    message = InboxMessage.objects.filter(user=user, kind="training").latest("pk")
    return testkit.search(r"http://\S+/training/start/(\S+)/", message.body_text).group(
        1
    )


def test_practice_account_is_written_to_training_with_cases_and_a_link(
    court_on_training,
):
    user = make_trainee()
    account = services.create_practice_account(user)
    trainee = User.objects.using(TDB).get(email=user.email)
    assert not trainee.has_usable_password()
    assert trainee.filer.status == Filer.Status.CERTIFIED
    assert trainee.filer.role == Role.CREDITOR
    assert EmailAddress.objects.using(TDB).get(user=trainee).verified
    cases = Case.objects.using(TDB).filter(practice_owner=trainee).order_by("chapter")
    assert [c.chapter for c in cases] == ["13", "7"]
    assert all(c.parties.filter(user=trainee).exists() for c in cases)
    # Nothing of it is on live.
    assert not Case.objects.filter(title__contains="Practice").exists()
    assert account.link_sent_at is not None
    message = InboxMessage.objects.get(user=user, kind="training")
    assert "http://127.0.0.1:8001/training/start/" in message.body_text
    assert AuditEvent.objects.filter(
        action="training.practice_account.created"
    ).exists()
    # Asking again reuses the account and cases, with a fresh link.
    services.create_practice_account(user)
    assert User.objects.using(TDB).filter(email=user.email).count() == 1
    assert Case.objects.using(TDB).filter(practice_owner=trainee).count() == 2
    assert InboxMessage.objects.filter(user=user, kind="training").count() == 2


def test_practice_link_sets_the_password_once(court_on_training):
    user = make_trainee()
    services.create_practice_account(user)
    token = _link(user)
    trainee = services.user_for_practice_token(token, using=TDB)
    assert trainee.email == user.email
    trainee.set_password("practice-pass-phrase-9")
    trainee.save(using=TDB)
    with pytest.raises(UserFacingError, match="not valid"):
        services.user_for_practice_token(token, using=TDB)


@pytest.mark.parametrize("token", ["", "garbage", "eyJlIjoiYUBiLmMifQ:1:bad"])
def test_forged_practice_links_are_refused(court_on_training, token):
    with pytest.raises(UserFacingError, match="not valid"):
        services.user_for_practice_token(token, using=TDB)


def test_practice_link_expires_after_seven_days(court_on_training):
    user = make_trainee()
    services.create_practice_account(user)
    token = _link(user)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=8)
    with time_machine.travel(later), pytest.raises(UserFacingError, match="expired"):
        services.user_for_practice_token(token, using=TDB)


def test_only_active_filers_get_practice_accounts(court_on_training):
    with pytest.raises(UserFacingError, match="Register as a filer"):
        services.create_practice_account(court_on_training.users["public"])
    user = make_trainee()
    user.filer.status = Filer.Status.SUSPENDED
    user.filer.save()
    with pytest.raises(UserFacingError, match="not active"):
        services.create_practice_account(user)
    assert not User.objects.using(TDB).filter(email=user.email).exists()


def test_results_are_kept_on_live_and_completion_unlocks_certification(
    court_on_training,
):
    """Missing conditions are recorded; all passed, the clerk can certify."""
    clerk = court_on_training.users["clerk"]
    claim_ex = exercise("claim", "claim_filed", {}, [Role.CREDITOR], order=1)
    appear_ex = exercise(
        "appear", "entry_filed", {"event": "ntcapr"}, [Role.CREDITOR], order=2
    )
    exercise("lawyer-only", "entry_filed", {"event": "nmrp"}, [Role.ATTORNEY])
    user = make_trainee()
    assert unmet_training_requirements(user) == [
        "Training exercise not passed: Claim",
        "Training exercise not passed: Appear",
    ]
    with pytest.raises(UserFacingError, match="Training exercise not passed"):
        filer_decisions.certify_filer(filer=user.filer, actor=clerk)

    services.create_practice_account(user)
    trainee = User.objects.using(TDB).get(email=user.email)
    case = Case.objects.using(TDB).filter(practice_owner=trainee, chapter="7").get()
    file_claim_on_training(case, trainee)
    results = services.check_exercises(user=user)
    assert [r.passed for r in results] == [True, False]
    stored = ExerciseResult.objects.get(user=user, exercise=appear_ex)
    assert stored.missing == (
        "File a Notice of Appearance and Request for Notice on one of your practice cases."
    )
    assert unmet_training_requirements(user) == ["Training exercise not passed: Appear"]
    assert not PracticeAccount.objects.get(user=user).training_complete_at

    file_on_training(case, "ntcapr", trainee)
    services.check_exercises(user=user)
    assert unmet_training_requirements(user) == []
    assert PracticeAccount.objects.get(user=user).training_complete_at
    assert (
        InboxMessage.objects.filter(
            user=user, subject__startswith="Training complete"
        ).count()
        == 1
    )
    assert (
        ExerciseResult.objects.get(user=user, exercise=claim_ex)
        .evidence[0]["url"]
        .startswith("http://127.0.0.1:8001/")
    )
    filer_decisions.certify_filer(filer=user.filer, actor=clerk)
    user.filer.refresh_from_db()
    assert user.filer.status == Filer.Status.CERTIFIED


def test_the_schedule_checks_every_pending_trainee(court_on_training):
    exercise("claim", "claim_filed", {}, [Role.CREDITOR])
    first, second = make_trainee(), make_trainee(email="second@example.test")
    for user in (first, second):
        services.create_practice_account(user)
    trainee = User.objects.using(TDB).get(email=first.email)
    file_claim_on_training(practice_case(trainee), trainee)
    assert services.check_all_trainees() == 2
    assert ExerciseResult.objects.get(user=first).passed
    assert not ExerciseResult.objects.get(user=second).passed


def test_reset_restores_the_seed_and_keeps_progress_and_passwords(court_on_training):
    """Practice filings go; accounts, cases, passwords and live progress stay; live untouched."""
    demo = court_on_training
    exercise("claim", "claim_filed", {}, [Role.CREDITOR])
    user = make_trainee()
    services.create_practice_account(user)
    trainee = User.objects.using(TDB).get(email=user.email)
    trainee.set_password("practice-pass-phrase-9")
    trainee.save(using=TDB)
    case = practice_case(trainee)
    file_claim_on_training(case, trainee)
    file_on_training(case, "ntcapr", trainee)
    services.check_exercises(user=user)
    live_users, live_cases = User.objects.count(), Case.objects.count()
    live_audit = AuditEvent.objects.count()

    reset = services.reset_training_database()

    assert reset.status == TrainingReset.Status.DONE
    # Every eligible live filer (pending or certified, role with exercises) is recreated:
    # this trainee, the demo creditor, the demo's pending creditor trainee@, and the
    # court's clerk and judge (so the clerk can open practice filings there).
    assert reset.accounts == 5
    clerk = User.objects.using(TDB).get(email=demo.users["clerk"].email)
    assert clerk.filer.role == Role.CLERK
    assert not Case.objects.using(TDB).filter(practice_owner=clerk).exists()
    again = User.objects.using(TDB).get(email=user.email)
    assert again.check_password("practice-pass-phrase-9")
    assert again.filer.status == Filer.Status.CERTIFIED
    assert Case.objects.using(TDB).filter(practice_owner=again).count() == 2
    assert not DocketEntry.objects.using(TDB).exists()
    assert User.objects.using(TDB).filter(email=demo.users["creditor"].email).exists()
    assert (
        not User.objects.using(TDB).filter(email=demo.users["attorney"].email).exists()
    )
    assert ExerciseResult.objects.get(user=user).passed
    assert PracticeAccount.objects.get(user=user).recreated_at
    assert (User.objects.count(), Case.objects.count()) == (live_users, live_cases)
    assert AuditEvent.objects.count() == live_audit + 1  # training.reset.done only


def test_reset_requests_are_clerk_only_and_not_doubled(
    court_on_training, django_capture_on_commit_callbacks
):
    users = court_on_training.users
    with pytest.raises(UserFacingError, match="Only the clerk"):
        services.request_training_reset(actor=users["attorney"], trigger="clerk")
    with django_capture_on_commit_callbacks() as callbacks:
        first = services.request_training_reset(actor=users["clerk"], trigger="clerk")
    assert len(callbacks) == 1
    with django_capture_on_commit_callbacks() as callbacks:
        second = services.request_training_reset(actor=users["clerk"], trigger="clerk")
    assert second == first and callbacks == []
    assert first.status == TrainingReset.Status.QUEUED


def test_registering_queues_the_practice_account(
    court_on_training, django_capture_on_commit_callbacks
):
    user = User.objects.create_user(
        email="new@example.test", password="x-password-1234"
    )
    data = filer_services.Registration(
        role=Role.CREDITOR, full_name="New Creditor", agreement_accepted=True
    )
    with django_capture_on_commit_callbacks() as callbacks:
        filer_services.register_filer(user=user, data=data)
    from training.tasks import create_practice_account_task

    # filers asks training (filers.hooks, registered in training/apps.py) to queue it.
    queued = [
        c.args
        for c in callbacks
        if getattr(getattr(c, "func", None), "__self__", None) is not None
        and c.func.__self__.name == create_practice_account_task.name
    ]
    assert queued == [(user.pk,)]
    create_practice_account_task(user.pk)  # what the worker runs
    assert User.objects.using(TDB).filter(email="new@example.test").exists()
    create_practice_account_task(user.pk)  # twice is harmless
    assert InboxMessage.objects.filter(user=user, kind="training").count() == 1


def test_demo_exercises_are_valid_and_seeded_once(demo):
    import io

    from training import demo as training_demo
    from training.models import Exercise

    out = io.StringIO()
    training_demo.seed(court=demo.court, users=demo.users, stdout=out)
    training_demo.seed(court=demo.court, users=demo.users, stdout=out)
    assert Exercise.objects.count() == len(training_demo.EXERCISES)
    for ex in Exercise.objects.all():
        ex.full_clean()  # every demo exercise names a real kind, parameters and roles
    assert unmet_training_requirements(demo.users["trainee"]) == [
        "Training exercise not passed: File a proof of claim",
        "Training exercise not passed: File a notice of appearance",
    ]
    assert unmet_training_requirements(demo.users["clerk"]) == []


def test_reset_command_resets_from_live(court_on_training):
    import io

    from django.core.management import call_command

    exercise("claim", "claim_filed", {}, [Role.CREDITOR])
    out = io.StringIO()
    call_command("reset_training", stdout=out)
    assert "practice accounts recreated" in out.getvalue()
    assert TrainingReset.objects.get().status == TrainingReset.Status.DONE
    assert (
        User.objects.using(TDB)
        .filter(email=court_on_training.users["trainee"].email)
        .exists()
    )
