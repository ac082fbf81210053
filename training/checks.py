"""Certification requirements contributed by the training app.

`unmet_training_requirements(user)` is named in ECF_CERTIFICATION_REQUIREMENTS, so a
clerk cannot certify a filer whose role's required exercises have not all passed.
"""

from .models import Exercise, ExerciseResult


def unmet_training_requirements(user) -> list[str]:
    """Return the titles of required exercises `user` has not passed yet."""
    role = user.role
    required = [e for e in Exercise.objects.filter(active=True) if role in e.roles]
    passed = set(
        ExerciseResult.objects.filter(user=user, passed=True).values_list("exercise_id", flat=True)
    )
    return [f"Training exercise not passed: {e.title}" for e in required if e.pk not in passed]
