"""Reads of cases that carry rules (training isolation)."""

from django.conf import settings
from django.db.models import Q, QuerySet

from .models import Case


def cases_visible_to(user) -> QuerySet[Case]:
    """Every case on live; on training, the trainee's own practice cases and shared seed cases."""
    qs = Case.objects.all()
    if settings.ECF_IS_TRAINING and not (user and user.is_authenticated and getattr(user, "is_court_user", False)):
        owner = user.pk if user is not None and user.is_authenticated else None
        qs = qs.filter(Q(practice_owner__isnull=True) | Q(practice_owner_id=owner))
    return qs
