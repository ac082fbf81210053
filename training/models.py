"""Exercises per role and each trainee's progress (kept on the live database).

Nothing here lives in the training database: a reset of the training data never
loses a trainee's progress, because results, practice accounts and resets are
recorded on live and only the practice filings themselves are on training.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from core.models import BaseModel

from .check_kinds import validate_exercise


class Exercise(BaseModel):
    """One practice filing a role must complete on the training instance.

    `check_kind` is one of a fixed set of kinds written in code (training.checks), with
    parameters; no home-made rule language.
    """

    code = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    instructions = models.TextField()
    check_kind = models.CharField(max_length=40)
    params = models.JSONField(default=dict, blank=True)
    roles = models.JSONField(default=list, help_text="Roles that must pass it")
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        """Refuse a check kind, parameter or role the code does not know."""
        from filers.models import Role

        errors = validate_exercise(self.check_kind, self.params)
        if not isinstance(self.roles, list) or not self.roles:
            errors.setdefault("roles", []).append("Pick at least one role.")
        else:
            unknown = [r for r in self.roles if r not in Role.values]
            if unknown:
                errors.setdefault("roles", []).append(
                    f"Unknown role(s): {', '.join(map(str, unknown))}."
                )
        if errors:
            raise ValidationError(errors)


class ExerciseResult(BaseModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="exercise_results",
    )
    exercise = models.ForeignKey(
        Exercise, on_delete=models.CASCADE, related_name="results"
    )
    passed = models.BooleanField(default=False)
    passed_at = models.DateTimeField(null=True, blank=True)
    missing = models.TextField(
        blank=True, help_text="What is still missing, in plain words"
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    evidence = models.JSONField(
        default=list, blank=True, help_text="Practice entries that satisfied it"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "exercise"], name="one_result")
        ]

    def __str__(self) -> str:
        return f"{self.user} / {self.exercise}: {'passed' if self.passed else 'open'}"

    @property
    def missing_lines(self) -> list[str]:
        return [line for line in self.missing.splitlines() if line.strip()]


class PracticeAccount(BaseModel):
    """A live user's account on the training instance (same e-mail, own password).

    The row on live remembers that the account exists, so a reset of the training
    database can recreate it; the account itself lives in the training database.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="practice_account",
    )
    link_sent_at = models.DateTimeField(
        null=True, blank=True, help_text="When the last one-time login link was sent"
    )
    recreated_at = models.DateTimeField(
        null=True, blank=True, help_text="Last time a reset recreated it"
    )
    training_complete_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When every required exercise had passed (shown to the clerk)",
    )

    def __str__(self) -> str:
        return f"Practice account of {self.user}"


class TrainingReset(BaseModel):
    """One reset of the training database to its seed: who asked, and how it went."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", "Nightly schedule"
        CLERK = "clerk", "Clerk's request"
        COMMAND = "command", "manage.py reset_training"

    status = models.CharField(
        max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    trigger = models.CharField(max_length=8, choices=Trigger.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    accounts = models.PositiveIntegerField(
        default=0, help_text="Practice accounts recreated"
    )
    error_message = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Training reset {self.pk} ({self.get_status_display()})"
