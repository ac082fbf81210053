"""The only way views get a case, and the one answer to "does this user act for a party
in this case". Missing and forbidden cases raise the same Http404.

Threat model: a self-chosen role grants nothing. Participation comes from records: a
representation in the case, or membership (linked by the clerk) in the case's trustee
or the U.S. Trustee office covering the case, held by an active filer.

On the training instance each trainee sees only their own practice cases (and the
shared seed cases with no owner); court users see everything.
"""

from functools import partial

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404

from core.compiled import CompiledQuery
from filers.models import AnyUser, Filer, Role, User
from filers.permissions import is_active_court_user, is_active_filer

from .models import Case, CaseWatch, Party, Representation, Trustee


def _is_court_user(user: AnyUser) -> bool:
    return is_active_court_user(user)


def can_see_case(user: AnyUser, case: Case) -> bool:
    """Return True if `user` may see that the case exists (public dockets are free)."""
    if not settings.ECF_IS_TRAINING or _is_court_user(user):
        return True
    return case.practice_owner_id is None or (
        user is not None and user.is_authenticated and case.practice_owner_id == user.pk
    )


# What case pages show with the case (court, office, judge, trustee, lead case).
CASE_PAGE_RELATED = ("court", "office", "judge", "trustee", "lead_case")
# What the case's number needs (Case.display_number: the judge's initials), for a
# write that shows no page: a join costs even when nothing reads it.
CASE_NUMBER_RELATED = ("office", "judge")


def access_case(
    user: AnyUser, case_id: int, *, related: tuple[str, ...] = CASE_PAGE_RELATED
) -> Case:
    """Return the case if `user` may see it; otherwise raise Http404.

    `related`: the rows loaded with it (CASE_PAGE_RELATED, or CASE_NUMBER_RELATED
    for an API write); the answer is the same whichever.
    """
    case = _read_case(int(case_id), related)
    if case is None or not can_see_case(user, case):
        raise Http404
    return case


def _case_query(related: tuple[str, ...], case_id: int) -> QuerySet[Case]:
    return Case.objects.select_related(*related).filter(pk=case_id)


# Every case page and API call reads its case here: the SQL is compiled once per
# process for each `related` (core.compiled), not on every request.
_CASE_READS: dict[tuple[str, ...], CompiledQuery[Case]] = {}


def _read_case(case_id: int, related: tuple[str, ...]) -> Case | None:
    read = _CASE_READS.get(related)
    if read is None:
        read = _CASE_READS.setdefault(
            related, CompiledQuery(partial(_case_query, related))
        )
    return read.first(case_id)


def acting_user_ids(user: AnyUser) -> list[int]:
    """The accounts `user` acts as: itself, and for a filing agent its active principals
    who are themselves certified. Empty unless `user` is an active filer."""
    if not is_active_filer(user):
        return []
    ids = [user.pk]
    filer = user.filer_or_none
    if filer is not None and filer.role == Role.FILING_AGENT:
        ids += list(
            filer.principal_links.filter(
                active=True, principal__status=Filer.Status.CERTIFIED
            ).values_list("principal__user_id", flat=True)
        )
    return ids


def trustees_of(user: AnyUser) -> QuerySet[Trustee]:
    """The trustee and U.S. Trustee records `user` acts for (membership linked by the clerk)."""
    ids = acting_user_ids(user)
    if not ids:
        return Trustee.objects.none()
    return Trustee.objects.filter(members__in=ids, active=True).distinct()


def _assigned_trustee_q(case: Case) -> Q:
    """Trustee records assigned to `case`: its trustee, and the U.S. Trustee office
    covering the case's divisional office."""
    q = Q(
        kind=Trustee.Kind.US_TRUSTEE,
        court_id=case.court_id,
        offices__id=case.office_id,
    )
    if case.trustee_id:
        q |= Q(pk=case.trustee_id)
    return q


def acts_for_trustee_in_case(user: AnyUser, case: Case) -> bool:
    """True if `user` is a linked member of the case's trustee or U.S. Trustee office."""
    return trustees_of(user).filter(_assigned_trustee_q(case)).exists()


def trustee_kinds_in_case(user: AnyUser, case: Case) -> set[str]:
    """The kinds (Trustee.Kind) of the case's assigned trustee records that `user` is a
    linked member of: one query answering both acts_for_trustee_in_case (any kind)
    and acts_for_us_trustee_in_case (the U.S. Trustee's kind)."""
    return set(
        trustees_of(user)
        .filter(_assigned_trustee_q(case))
        .values_list("kind", flat=True)
    )


def acts_for_us_trustee_in_case(user: AnyUser, case: Case) -> bool:
    """True if `user` is a linked member of the U.S. Trustee office covering `case`."""
    return (
        trustees_of(user)
        .filter(_assigned_trustee_q(case), kind=Trustee.Kind.US_TRUSTEE)
        .exists()
    )


def represents_in_case(
    user: AnyUser, case: Case, *, party: Party | None = None
) -> bool:
    """True if `user` (or a principal of this filing agent) is attorney of record in `case`
    (for `party`, when given)."""
    ids = acting_user_ids(user)
    if not ids:
        return False
    qs = Representation.objects.filter(
        case=case, attorney_id__in=ids, terminated_on__isnull=True
    )
    if party is not None:
        qs = qs.filter(party=party)
    return qs.exists()


def is_recorded_party_account(user: AnyUser, case: Case) -> bool:
    """True if `user` is the login recorded (at opening or by the clerk) on one of the
    case's own parties that files for itself, e.g. a creditor. Trustee and U.S. Trustee
    parties do not count here: those act through the clerk's membership link."""
    ids = acting_user_ids(user)
    if not ids:
        return False
    return (
        Party.objects.filter(
            case=case,
            user_id__in=ids,
            added_in_filing=False,
            terminated_on__isnull=True,
        )
        .exclude(role__in=[Party.Role.TRUSTEE, Party.Role.US_TRUSTEE])
        .exists()
    )


def acts_for_party(user: AnyUser, case: Case) -> bool:
    """Does `user` act for a party in `case`? A representation recorded for that case, a
    party's own login recorded on it, or a trustee / U.S. Trustee assignment through a
    record the clerk linked the user to, by an active filer (certified, not suspended,
    two-factor). The one answer."""
    return (
        represents_in_case(user, case)
        or is_recorded_party_account(user, case)
        or acts_for_trustee_in_case(user, case)
    )


# Party roles a filer may give a party it adds while filing; the rest (debtor, joint
# debtor, debtor in possession, trustee, U.S. Trustee, plaintiff, petitioning creditor,
# foreign representative) come from case opening and the clerk.
FILER_ADDABLE_PARTY_ROLES = (
    Party.Role.CREDITOR,
    Party.Role.INTERESTED_PARTY,
    Party.Role.CREDITOR_COMMITTEE,
    Party.Role.DEFENDANT,
)


def may_add_party_role(user: AnyUser, role: str) -> bool:
    """May `user` add a party with `role` while filing? Court users any; filers only
    FILER_ADDABLE_PARTY_ROLES."""
    return is_active_court_user(user) or role in FILER_ADDABLE_PARTY_ROLES


def acts_for_recorded_party(user: AnyUser, case: Case, party: Party) -> bool:
    """Does `user` act for `party`, a party recorded at case opening or by the clerk?

    True for an active court user, the party's attorney of record, and a member of the
    case's assigned trustee. A party a filer added in the wizard never counts: fee
    exemptions and debtor's powers never follow a self-made party.
    """
    if party.pk is None or party.case_id != case.pk or party.added_in_filing:
        return False
    if is_active_court_user(user):
        return True
    if represents_in_case(user, case, party=party):
        return True
    return (
        case.trustee_id is not None
        and trustees_of(user).filter(pk=case.trustee_id).exists()
    )


def is_case_participant(user: AnyUser, case: Case) -> bool:
    """Court users and those who act for a party in the case (acts_for_party): who may
    read documents restricted to case participants."""
    if user is None or not user.is_authenticated:
        return False
    if _is_court_user(user):
        return True
    return acts_for_party(user, case)


def has_added_case(user: AnyUser, case: Case) -> bool:
    if not isinstance(user, User) or not user.is_authenticated:
        return False
    return CaseWatch.objects.filter(case=case, user=user).exists()
