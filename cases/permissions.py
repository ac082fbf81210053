"""The only way views get a case. Missing and forbidden cases raise the same Http404.

On the training instance each trainee sees only their own practice cases (and the
shared seed cases with no owner); court users see everything.
"""

from django.conf import settings
from django.http import Http404

from .models import Case, CaseWatch, Party, Representation, Trustee


def _is_court_user(user) -> bool:
    return bool(
        user and user.is_authenticated and getattr(user, "is_court_user", False)
    )


def can_see_case(user, case: Case) -> bool:
    """Return True if `user` may see that the case exists (public dockets are free)."""
    if not settings.ECF_IS_TRAINING or _is_court_user(user):
        return True
    return case.practice_owner_id is None or (
        user is not None and user.is_authenticated and case.practice_owner_id == user.pk
    )


def access_case(user, case_id: int) -> Case:
    """Return the case if `user` may see it; otherwise raise Http404."""
    case = (
        Case.objects.select_related("court", "office", "judge", "trustee", "lead_case")
        .filter(pk=case_id)
        .first()
    )
    if case is None or not can_see_case(user, case):
        raise Http404
    return case


def is_case_participant(user, case: Case) -> bool:
    """Attorneys of record, the case trustee, the U.S. trustee, parties with accounts,
    and court users: those who may read documents restricted to case participants."""
    if user is None or not user.is_authenticated:
        return False
    if _is_court_user(user):
        return True
    if user.role == "us_trustee":
        return True
    if (
        case.trustee_id
        and Trustee.objects.filter(pk=case.trustee_id, user=user).exists()
    ):
        return True
    if Representation.objects.filter(
        case=case, attorney=user, terminated_on__isnull=True
    ).exists():
        return True
    if Party.objects.filter(case=case, user=user).exists():
        return True
    # A filing agent shares the participation of the attorneys it works for.
    filer = user.filer_or_none
    if filer is not None and filer.role == "filing_agent":
        principals = filer.principal_links.filter(active=True).values_list(
            "principal__user_id", flat=True
        )
        if Representation.objects.filter(
            case=case, attorney_id__in=list(principals)
        ).exists():
            return True
    return False


def has_added_case(user, case: Case) -> bool:
    return (
        bool(user and user.is_authenticated)
        and CaseWatch.objects.filter(case=case, user=user).exists()
    )
