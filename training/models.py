"""Exercises per role and each trainee's progress (kept on the live database)."""

from django.conf import settings
from django.db import models

from core.models import BaseModel


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


class ExerciseResult(BaseModel):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exercise_results")
    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="results")
    passed = models.BooleanField(default=False)
    passed_at = models.DateTimeField(null=True, blank=True)
    missing = models.TextField(blank=True, help_text="What is still missing, in plain words")
    checked_at = models.DateTimeField(null=True, blank=True)
    evidence = models.JSONField(default=list, blank=True, help_text="Practice entries that satisfied it")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "exercise"], name="one_result")]
