"""Reads for the clerk's screens: the QC queue, the dashboard, deficiencies, proposed
orders and the audit log. Court users see everything, so no visibility rule applies
here; every function is still called only after dockets.clerk.permissions let the
user in. Lists page by keyset (never OFFSET) and load each page in a fixed number
of queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Min, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from cases.models import Case
from core import clock
from core.models import AuditEvent
from filers.models import AnyUser

from ..catalogue_data import EventFiler
from ..models import DocketEntry, Document, Notice, Payment
from ..text import money
from .models import Deficiency

PAGE_SIZE = 25


@dataclass
class QcFilters:
    status: str = DocketEntry.QcStatus.PENDING
    office: int | None = None
    chapter: str = ""
    judge: int | None = None
    event: str = ""
    filer: str = ""
    older_than_days: int | None = None
    case: str = ""  # a case number as typed (24-01234, 3:24-bk-01234, ...)


@dataclass
class Page:
    rows: list
    next_cursor: str = ""


def _cursor(value: dt.datetime, pk: int) -> str:
    return f"{value.isoformat()}_{pk}"


def parse_cursor(raw: str) -> tuple[dt.datetime, int] | None:
    """A keyset cursor 'iso-time_id'; anything malformed counts as no cursor."""
    try:
        when, pk = raw.rsplit("_", 1)
        value = dt.datetime.fromisoformat(when)
        if timezone.is_naive(value):
            return None
        return value, int(pk)
    except (ValueError, AttributeError):
        return None


def qc_queue(filters: QcFilters, *, after: str = "", limit: int = PAGE_SIZE) -> Page:
    """New filings across the court, oldest first, with documents and reviewer loaded."""
    qs = DocketEntry.objects.select_related(
        "case",
        "case__court",
        "case__office",
        "case__judge",
        "event",
        "filer",
        "entered_by",
        "qc_by",
    ).prefetch_related(
        Prefetch("documents", queryset=Document.objects.order_by("sequence", "id"))
    )
    if filters.status in DocketEntry.QcStatus.values:
        qs = qs.filter(qc_status=filters.status)
    if filters.office:
        qs = qs.filter(case__office_id=filters.office)
    if filters.chapter:
        qs = qs.filter(case__chapter=filters.chapter)
    if filters.judge:
        qs = qs.filter(case__judge_id=filters.judge)
    if filters.event:
        qs = qs.filter(
            Q(event__code=filters.event) | Q(event__name__icontains=filters.event)
        )
    if filters.case:
        from cases.numbers import parse_case_number

        wanted = parse_case_number(filters.case)
        if wanted is None:
            return Page(rows=[])
        qs = qs.filter(case__number=wanted.number)
        if wanted.year:
            qs = qs.filter(case__year=wanted.year)
        if wanted.office:
            qs = qs.filter(case__office__number=wanted.office)
        if wanted.case_type:
            qs = qs.filter(case__case_type=wanted.case_type)
    if filters.filer:
        term = filters.filer.strip()
        qs = qs.filter(
            Q(filer__email__iexact=term)
            | Q(filer__full_name__icontains=term)
            | Q(filer_name__icontains=term)
        )
    if filters.older_than_days:
        qs = qs.filter(
            created_at__lt=timezone.now() - dt.timedelta(days=filters.older_than_days)
        )
    cursor = parse_cursor(after) if after else None
    if cursor:
        when, pk = cursor
        qs = qs.filter(Q(created_at__gt=when) | Q(created_at=when, pk__gt=pk))
    rows = list(qs.order_by("created_at", "pk")[: limit + 1])
    next_cursor = (
        _cursor(rows[limit - 1].created_at, rows[limit - 1].pk)
        if len(rows) > limit
        else ""
    )
    return Page(rows=rows[:limit], next_cursor=next_cursor)


@dataclass
class Dashboard:
    filings_today: int
    qc_backlog: int
    qc_oldest: dt.datetime | None
    payments_due: int
    payments_due_cents: int
    entries_fee_due: int
    notices_failed: int
    deficiencies_open: int
    deficiencies_past_due: int

    @property
    def payments_due_money(self) -> str:
        return money(self.payments_due_cents)

    @property
    def qc_oldest_days(self) -> int | None:
        if self.qc_oldest is None:
            return None
        return (timezone.now() - self.qc_oldest).days


def dashboard() -> Dashboard:
    """The clerk's numbers for today, in five aggregate queries."""
    today = clock.today()
    entries = DocketEntry.objects.aggregate(
        today=Count("pk", filter=Q(filed_date=today)),
        backlog=Count("pk", filter=Q(qc_status=DocketEntry.QcStatus.PENDING)),
        oldest=Min("created_at", filter=Q(qc_status=DocketEntry.QcStatus.PENDING)),
        fee_due=Count("pk", filter=Q(fee_status=DocketEntry.FeeStatus.DUE)),
    )
    payments = Payment.objects.filter(status=Payment.Status.DUE).aggregate(
        n=Count("pk"), cents=Sum("amount_cents")
    )
    failed = Notice.objects.filter(status=Notice.Status.FAILED).count()
    deficiencies = Deficiency.objects.filter(status=Deficiency.Status.OPEN).aggregate(
        open=Count("pk"), past=Count("pk", filter=Q(cure_by__lt=today))
    )
    return Dashboard(
        filings_today=entries["today"],
        qc_backlog=entries["backlog"],
        qc_oldest=entries["oldest"],
        payments_due=payments["n"] or 0,
        payments_due_cents=payments["cents"] or 0,
        entries_fee_due=entries["fee_due"],
        notices_failed=failed,
        deficiencies_open=deficiencies["open"],
        deficiencies_past_due=deficiencies["past"],
    )


def deficiencies_report(
    *, past_due_only: bool = False, status: str = Deficiency.Status.OPEN
) -> QuerySet[Deficiency]:
    """Deficiencies by cure date, oldest first; past due ones when asked."""
    qs = Deficiency.objects.select_related(
        "case",
        "case__court",
        "case__office",
        "case__judge",
        "entry",
        "notice_entry",
        "resolution_entry",
        "issued_by",
    )
    if status:
        qs = qs.filter(status=status)
    if past_due_only:
        qs = qs.filter(cure_by__lt=clock.today())
    return qs.order_by("cure_by", "pk")


def proposed_orders_for(judge_user, *, limit: int = 100) -> list[Document]:
    """Proposed orders lodged with motions and not yet signed, oldest first.

    A judge with a Judge record sees the cases assigned to them; other chambers
    users see every case.
    """
    qs = (
        Document.objects.filter(
            Q(description__icontains="proposed order")
            | Q(attachment_type__icontains="proposed order"),
            replaced=False,
            signed_order__isnull=True,
            entry__entered_in_error=False,
            entry__stricken=False,
        )
        .exclude(entry__event__filer_roles__contains=[EventFiler.COURT])
        .select_related(
            "entry",
            "entry__event",
            "entry__case",
            "entry__case__court",
            "entry__case__office",
            "entry__case__judge",
            "entry__filer",
        )
        .order_by("created_at", "pk")
    )
    from cases.models import Judge

    judge = (
        Judge.objects.filter(user=judge_user).first()
        if judge_user is not None
        else None
    )
    if judge is not None:
        qs = qs.filter(entry__case__judge=judge)
    return list(qs[:limit])


def audit_events(
    *,
    case: Case | None = None,
    user: AnyUser | None = None,
    before: int | None = None,
    limit: int = 50,
) -> Page:
    """Audit events of one case or one user (as actor or on whose behalf), newest first."""
    qs = AuditEvent.objects.select_related("actor", "on_behalf_of")
    if case is not None:
        qs = qs.filter(case_id=case.pk)
    if user is not None:
        qs = qs.filter(Q(actor=user) | Q(on_behalf_of=user))
    if before:
        qs = qs.filter(pk__lt=before)
    rows = list(qs.order_by("-pk")[: limit + 1])
    next_cursor = str(rows[limit - 1].pk) if len(rows) > limit else ""
    return Page(rows=rows[:limit], next_cursor=next_cursor)
