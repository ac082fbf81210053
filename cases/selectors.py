"""Reads of cases that carry rules: training isolation, search, the case summary."""

import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.search import SearchQuery
from django.db.models import Count, Prefetch, Q, QuerySet

from filers.models import AnyUser

from .models import Case, CreditorTotal, Party, Representation
from .numbers import parse_case_number


def training_case_q(user: AnyUser, prefix: str = "") -> Q:
    """On the training instance, the cases `user` may see: the shared practice data (no
    owner) and their own practice cases (court users: all). On live: every case.
    `prefix` reaches the case from another model ("case__", "claim__case__")."""
    from filers.permissions import is_active_court_user

    if not settings.ECF_IS_TRAINING or is_active_court_user(user):
        return Q()
    owner = user.pk if user is not None and user.is_authenticated else None
    return Q(**{f"{prefix}practice_owner__isnull": True}) | Q(
        **{f"{prefix}practice_owner_id": owner}
    )


def cases_visible_to(user: AnyUser) -> QuerySet[Case]:
    """Every case on live; on training, the trainee's own practice cases and shared seed cases."""
    return Case.objects.filter(training_case_q(user))


# -- Case search ----------------------------------------------------------------------


SEARCH_PAGE_SIZE = 25
_WORD_RE = re.compile(r"[A-Za-z0-9]+")


@dataclass
class CaseSearchResult:
    cases: list[Case]
    next_cursor: str
    by_number: bool
    number_not_found: bool


def _cursor(case: Case) -> str:
    return f"{case.date_filed.isoformat()}.{case.pk}"


def _parse_cursor(text: str) -> tuple[dt.date, int] | None:
    try:
        day, _, pk = (text or "").partition(".")
        return dt.date.fromisoformat(day), int(pk)
    except ValueError:
        return None


def name_query(text: str) -> SearchQuery | None:
    """A prefix query over every word typed ("gonz rob" finds Robert Gonzalez)."""
    words = _WORD_RE.findall(text)[:8]
    if not words:
        return None
    raw = " & ".join(f"{w.lower()}:*" for w in words)
    return SearchQuery(raw, search_type="raw", config="simple")


def search_cases(
    *,
    user: AnyUser,
    q: str = "",
    chapter: str = "",
    status: str = "",
    case_type: str = "",
    filed_from: dt.date | None = None,
    filed_to: dt.date | None = None,
    after: str = "",
    limit: int = SEARCH_PAGE_SIZE,
) -> CaseSearchResult:
    """Find cases by number (any common format) or by party name or alias, newest first.

    Paged by keyset on (date filed, id): `after` is the `next_cursor` of the page before.
    Training isolation applies (cases_visible_to).
    """
    qs = cases_visible_to(user).select_related("court", "office", "judge")
    q = (q or "").strip()
    by_number = False
    if q:
        parsed = parse_case_number(q)
        if parsed is not None:
            by_number = True
            qs = qs.filter(number=parsed.number, year=parsed.year)
            if parsed.case_type:
                qs = qs.filter(case_type=parsed.case_type)
            if parsed.office is not None:
                qs = qs.filter(office__number=parsed.office)
        else:
            query = name_query(q)
            qs = qs.filter(search_vector=query) if query is not None else qs.none()
    if chapter:
        qs = qs.filter(chapter=chapter)
    if status:
        qs = qs.filter(status=status)
    if case_type:
        qs = qs.filter(case_type=case_type)
    if filed_from:
        qs = qs.filter(date_filed__gte=filed_from)
    if filed_to:
        qs = qs.filter(date_filed__lte=filed_to)
    cursor = _parse_cursor(after) if after else None
    if cursor is not None:
        day, pk = cursor
        qs = qs.filter(Q(date_filed__lt=day) | Q(date_filed=day, pk__lt=pk))
    rows = list(qs.order_by("-date_filed", "-id")[: limit + 1])
    next_cursor = _cursor(rows[limit - 1]) if len(rows) > limit else ""
    rows = rows[:limit]
    return CaseSearchResult(
        cases=rows,
        next_cursor=next_cursor,
        by_number=by_number,
        number_not_found=by_number and not rows and not after,
    )


# -- The case summary (docket report header and party blocks) ------------------------

# The order of party blocks on the docket report (cmecf.md 6.1).
PARTY_BLOCK_ORDER = [
    Party.Role.DEBTOR,
    Party.Role.JOINT_DEBTOR,
    Party.Role.DEBTOR_IN_POSSESSION,
    Party.Role.FOREIGN_REPRESENTATIVE,
    Party.Role.PETITIONING_CREDITOR,
    Party.Role.PLAINTIFF,
    Party.Role.DEFENDANT,
    Party.Role.TRUSTEE,
    Party.Role.US_TRUSTEE,
    Party.Role.CREDITOR_COMMITTEE,
    Party.Role.INTERESTED_PARTY,
    Party.Role.CREDITOR,
]


def summary_parties(case: Case, *, include_terminated: bool = True) -> list[Party]:
    """The parties shown in blocks, with aliases and attorneys, in docket-report order.

    Matrix creditors nobody appeared for are counted, not listed (CM/ECF prints
    "Creditors: 22"); creditors with an attorney or a login are listed.
    """
    reps = Representation.objects.select_related(
        "attorney", "attorney__filer"
    ).order_by("id")
    qs = (
        case.parties.prefetch_related(
            "aliases", Prefetch("representations", queryset=reps)
        )
        .annotate(rep_count=Count("representations"))
        .exclude(role=Party.Role.CREDITOR, rep_count=0, user__isnull=True)
    )
    if not include_terminated:
        qs = qs.filter(terminated_on__isnull=True)
    order: dict[str, int] = {role: i for i, role in enumerate(PARTY_BLOCK_ORDER)}
    return sorted(qs, key=lambda p: (order.get(p.role, 99), p.pk))


def creditor_count(case: Case) -> int:
    """The case's creditors, from the total the database keeps (CreditorTotal)."""
    total = (
        CreditorTotal.objects.filter(case=case).values_list("count", flat=True).first()
    )
    return total or 0


def open_deadlines(case: Case):
    return case.deadlines.filter(satisfied_on__isnull=True, terminated=False).order_by(
        "due", "due_at", "id"
    )


def associated_cases(case: Case) -> list[Case]:
    return list(
        case.associated_cases.select_related("office", "judge").order_by(
            "year", "number"
        )
    )


def can_manage_parties(user: AnyUser, case: Case) -> bool:
    """Active court users, and active attorneys of record for a debtor (or who opened
    the case, themselves or through a principal), may upload the creditor matrix."""
    from .permissions import acting_user_ids, is_active_court_user

    if is_active_court_user(user):
        return True
    attorneys = acting_user_ids(user)
    if not attorneys:
        return False
    if case.opened_by_id in attorneys:
        return True
    debtor_roles = [
        Party.Role.DEBTOR,
        Party.Role.JOINT_DEBTOR,
        Party.Role.DEBTOR_IN_POSSESSION,
    ]
    return Representation.objects.filter(
        case=case,
        attorney_id__in=attorneys,
        terminated_on__isnull=True,
        party__role__in=debtor_roles,
    ).exists()
