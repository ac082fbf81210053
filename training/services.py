"""Training: practice accounts, exercise checks, completion, and resets of the training data.

Threat model. The training instance is for practice: nothing done there may reach
the live database, and the live instance touches the training database only
here, through the `training` alias. The one thing that crosses from live to
training is the practice account (same e-mail, its own password). Its one-time
login link is a signed token whose MAC covers the practice account's current
password hash, so it stops working once the password is set (one use), after
ECF_TRAINING_LINK_DAYS, and after a reset (a new account row).
"""

import datetime as dt
import hashlib
import logging

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from core.audit import record_event
from core.errors import UserFacingError
from core.mail import send_message
from filers.models import COURT_ROLES, Filer, User

from . import seeding
from .checks import (
    TRAINING_DB,
    exercises_for_role,
    run_check,
    training_url,
    training_user_for,
)
from .models import ExerciseResult, PracticeAccount, TrainingReset

logger = logging.getLogger(__name__)

LINK_SALT = "training.practice-login"
LINK_MAX_AGE = dt.timedelta(days=7)


# -- the one-time link ---------------------------------------------------------------


def _training_db_settings() -> dict:
    alias = "default" if settings.ECF_IS_TRAINING else TRAINING_DB
    return settings.DATABASES[alias]


def _link_key() -> str:
    """The key both instances share for practice links.

    ECF_TRAINING_LINK_SECRET when set; otherwise derived from the training database's
    connection settings, which both instances hold and nobody outside has.
    """
    secret = getattr(settings, "ECF_TRAINING_LINK_SECRET", "")
    if secret:
        return secret
    db = _training_db_settings()
    material = "|".join(
        str(db.get(k) or "") for k in ("HOST", "PORT", "NAME", "USER", "PASSWORD")
    )
    return hashlib.sha256(f"ecf-training-link|{material}".encode()).hexdigest()


def _account_mac(trainee: User) -> str:
    login = trainee.last_login.isoformat() if trainee.last_login else ""
    value = f"{trainee.pk}|{trainee.email.lower()}|{trainee.password}|{login}"
    return salted_hmac(
        LINK_SALT, value, secret=_link_key(), algorithm="sha256"
    ).hexdigest()


def make_practice_link(trainee: User) -> str:
    """Return the training-instance URL that lets `trainee` choose a password once."""
    token = signing.dumps(
        {"e": trainee.email.lower(), "m": _account_mac(trainee)},
        key=_link_key(),
        salt=LINK_SALT,
    )
    return training_url(reverse("training:practice-login", args=[token]))


def user_for_practice_token(token: str, *, using: str = "default") -> User:
    """Return the practice account a link is for; UserFacingError if it is not valid.

    Runs on the training instance, where "default" is the training database.
    """
    invalid = UserFacingError(
        "This practice link is not valid: it has expired, was already used, or the "
        "training system was reset since it was sent. Ask for a new one from your "
        "exercises page on the live system."
    )
    try:
        data = signing.loads(
            token, key=_link_key(), salt=LINK_SALT, max_age=LINK_MAX_AGE
        )
    except signing.BadSignature:
        raise invalid from None
    trainee = (
        User.objects.using(using).filter(email__iexact=str(data.get("e", ""))).first()
    )
    if trainee is None or not constant_time_compare(
        _account_mac(trainee), str(data.get("m", ""))
    ):
        raise invalid
    return trainee


def set_practice_password(*, token: str, password: str) -> User:
    """Set the practice account's password from a one-time link (training instance)."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    trainee = user_for_practice_token(token)
    try:
        validate_password(password, trainee)
    except ValidationError as exc:
        raise UserFacingError(" ".join(exc.messages), field="password1") from None
    with transaction.atomic():
        trainee = User.objects.select_for_update().get(pk=trainee.pk)
        trainee.set_password(password)
        trainee.save(update_fields=["password"])
        record_event(
            actor=trainee,
            action="training.practice_account.password_set",
            target=trainee,
        )
    return trainee


# -- practice accounts ---------------------------------------------------------------


def needs_training(user: User) -> bool:
    """True if `user`'s role has exercises (whatever their status)."""
    return exercises_for_role(user.role).exists()


def create_practice_account(user: User, *, send_link: bool = True) -> PracticeAccount:
    """Create or reuse `user`'s practice account on training and send a one-time link.

    Writes the account and the trainee's practice cases into the training database
    (only on live, only through the `training` alias), then records the account on
    live and sends the link through core.mail (inbox + e-mail).
    """
    if settings.ECF_IS_TRAINING:
        raise UserFacingError("Practice accounts are made from the live system.")
    if user.filer_or_none is None:
        raise UserFacingError(
            "Register as a filer first: practice accounts are for filers."
        )
    if user.filer.status not in (Filer.Status.PENDING, Filer.Status.CERTIFIED):
        raise UserFacingError(
            "Your filing account is not active, so it cannot have a practice account."
        )
    trainee, _ = seeding.ensure_practice_account(user=user, using=TRAINING_DB)
    seeding.create_practice_cases(trainee=trainee, using=TRAINING_DB)
    with transaction.atomic():
        account, new = PracticeAccount.objects.get_or_create(user=user)
        if new:
            record_event(
                actor=user,
                action="training.practice_account.created",
                target=account,
                after={"email": trainee.email},
            )
        if send_link:
            link = make_practice_link(trainee)
            account.link_sent_at = timezone.now()
            account.save(update_fields=["link_sent_at", "updated_at"])
            exercises_page = settings.ECF_LIVE_URL.rstrip("/") + reverse(
                "training:exercises"
            )
            send_message(
                to_email=user.email,
                user=user,
                kind="training",
                subject="Your practice account on the ECF training system",
                text="\n\n".join(
                    [
                        f"You have a practice account on the ECF training system: {settings.ECF_TRAINING_URL}",
                        "Log in with this e-mail address. To choose its password, open "
                        f"this one-time link (valid for {LINK_MAX_AGE.days} days):\n{link}",
                        "Nothing you file on the training system is real, and it sends no e-mail.",
                        f"Your exercises and what each still needs: {exercises_page}",
                    ]
                ),
            )
    return account


def after_registration(*, user: User, filer: Filer | None = None) -> None:
    """Hook run by filers.services.register_filer: queue the practice account on commit."""
    if settings.ECF_IS_TRAINING:
        return
    from .tasks import create_practice_account_task

    create_practice_account_task.delay_on_commit(user.pk)  # type: ignore[attr-defined]  # DjangoTask (ecf.celery task_cls); the stubs type Task


# -- exercise checks -----------------------------------------------------------------


def check_exercises(*, user: User) -> list[ExerciseResult]:
    """Check every exercise of `user`'s role against the training data; record results.

    Reads the training database (through the `training` alias) and writes results on
    live. A result once passed stays passed even if a reset later removes the filing.
    When the last required exercise passes, the registration is marked "training
    complete" for the clerk and the registrant is told.
    """
    exercises = list(exercises_for_role(user.role))
    trainee = training_user_for(user)
    outcomes = {e.pk: run_check(e, trainee) for e in exercises}
    now = timezone.now()
    results = []
    with transaction.atomic():
        existing = {
            r.exercise_id: r
            for r in ExerciseResult.objects.select_for_update().filter(
                user=user, exercise__in=exercises
            )
        }
        for exercise in exercises:
            outcome = outcomes[exercise.pk]
            result = existing.get(exercise.pk) or ExerciseResult(
                user=user, exercise=exercise
            )
            result.checked_at = now
            if outcome.passed and not result.passed:
                result.passed = True
                result.passed_at = now
                result.evidence = outcome.evidence
                result.missing = ""
                record_event(
                    actor=user,
                    action="training.exercise.passed",
                    target=exercise,
                    after={"user": user.email, "evidence": outcome.evidence},
                )
            elif not result.passed:
                result.missing = "\n".join(outcome.missing)
                result.evidence = outcome.evidence
            result.save()
            results.append(result)
        if exercises and all(r.passed for r in results):
            _mark_complete(user)
    return results


def _mark_complete(user: User) -> None:
    account, _ = PracticeAccount.objects.select_for_update().get_or_create(user=user)
    if account.training_complete_at is not None:
        return
    account.training_complete_at = timezone.now()
    account.save(update_fields=["training_complete_at", "updated_at"])
    record_event(actor=user, action="training.completed", target=account)
    filer = user.filer_or_none
    if filer is not None and filer.status == Filer.Status.PENDING:
        send_message(
            to_email=user.email,
            user=user,
            kind="training",
            subject="Training complete: your registration is with the clerk's office",
            text=(
                "You passed every training exercise for your role. Your registration is "
                "now in the clerk's queue as training complete; you will hear from the "
                "clerk's office when it is decided."
            ),
        )


def trainees_to_check():
    """Live users with a practice account whose registration is still pending."""
    return User.objects.filter(
        practice_account__isnull=False, filer__status=Filer.Status.PENDING
    ).select_related("filer")


def check_all_trainees() -> int:
    """Check every pending trainee (the schedule); returns how many were checked."""
    count = 0
    for user in trainees_to_check().iterator():
        try:
            check_exercises(user=user)
            count += 1
        except Exception:  # one trainee's failure must not stop the others
            logger.exception("Training check failed for user %s", user.pk)
    return count


# -- resets --------------------------------------------------------------------------


@transaction.atomic(durable=True)
def request_training_reset(*, actor: User | None, trigger: str) -> TrainingReset:
    """Queue a reset of the training database; returns its status row."""
    from .tasks import reset_training_task

    if actor is not None and not actor.is_clerk:
        raise UserFacingError("Only the clerk's office can reset the training system.")
    # A reset still queued or running is not started twice; one stuck for hours
    # (its worker died) no longer blocks a new one.
    running = TrainingReset.objects.filter(
        status__in=[TrainingReset.Status.QUEUED, TrainingReset.Status.RUNNING],
        created_at__gte=timezone.now() - dt.timedelta(hours=2),
    ).first()
    if running is not None:
        return running
    reset = TrainingReset.objects.create(trigger=trigger, requested_by=actor)
    record_event(actor=actor, action="training.reset.requested", target=reset)
    reset_training_task.delay_on_commit(reset.pk)  # type: ignore[attr-defined]  # DjangoTask (ecf.celery task_cls); the stubs type Task
    return reset


def reset_eligible_users():
    """Live users whose practice accounts a reset recreates.

    Every filer, pending or certified, whose role has exercises, everyone who
    already asked for a practice account, and the court's certified clerks and judges.
    """
    from django.db.models import Q

    from .models import Exercise

    roles = set()
    for exercise in Exercise.objects.filter(active=True).only("roles"):
        roles.update(exercise.roles)
    active = Q(filer__status__in=[Filer.Status.PENDING, Filer.Status.CERTIFIED])
    # Clerks and judges too: the clerk's office looks at trainees' practice filings there.
    court = Q(filer__role__in=COURT_ROLES, filer__status=Filer.Status.CERTIFIED)
    return (
        User.objects.filter(
            (active & (Q(filer__role__in=roles) | Q(practice_account__isnull=False)))
            | court
        )
        .select_related("filer")
        .distinct()
    )


def reset_training_database(
    *, reset: TrainingReset | None = None, using: str = TRAINING_DB
) -> TrainingReset:
    """Empty the training database and load its seed again; keep trainees' passwords.

    Never touches the live database except for this reset's status row and the
    practice-account bookkeeping. Exercise results live on live, so no progress is
    lost. Practice accounts keep the password their owner chose.
    """
    if settings.ECF_IS_TRAINING:
        raise UserFacingError("Reset the training system from the live system.")
    if reset is None:
        reset = TrainingReset.objects.create(trigger=TrainingReset.Trigger.COMMAND)
    TrainingReset.objects.filter(pk=reset.pk).update(
        status=TrainingReset.Status.RUNNING, started_at=timezone.now(), error_message=""
    )
    try:
        kept = {
            email.lower(): password
            for email, password in User.objects.using(using)
            .exclude(password="")
            .values_list("email", "password")
            if not password.startswith("!")
        }
        with transaction.atomic(using=using):
            seeding.truncate_training_data(using=using)
            seeding.seed_court(using=using)
        count = 0
        now = timezone.now()
        for user in reset_eligible_users():
            trainee, _ = seeding.ensure_practice_account(
                user=user, using=using, password=kept.get(user.email.lower(), "")
            )
            seeding.create_practice_cases(trainee=trainee, using=using)
            PracticeAccount.objects.filter(user=user).update(recreated_at=now)
            count += 1
    except Exception as exc:
        logger.exception("Training reset %s failed", reset.pk)
        TrainingReset.objects.filter(pk=reset.pk).update(
            status=TrainingReset.Status.FAILED,
            finished_at=timezone.now(),
            error_message=f"The reset stopped: {exc.__class__.__name__}: {exc}"[:2000],
        )
        raise
    with transaction.atomic():
        TrainingReset.objects.filter(pk=reset.pk).update(
            status=TrainingReset.Status.DONE, finished_at=timezone.now(), accounts=count
        )
        reset.refresh_from_db()
        record_event(
            actor=reset.requested_by,
            action="training.reset.done",
            target=reset,
            after={"accounts": count},
        )
    return reset
