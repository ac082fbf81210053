"""RSS feed rows and the activity reports for logged-in users (cases filed, docket
and claims activity, the hearing calendar). Feeds are anonymous, so they read the
public view only.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch

from cases.models import Case, Deadline
from cases.selectors import training_case_q
from dockets.models import DocketEntry, Document
from dockets.permissions import can_view_document
from dockets.selectors import public_entry_q, searchable_entries_for
from filers.models import AnyUser

from .selectors import DOC_FIELDS, local_midnight_utc

FEED_SIZE = 100


def feed_entries(
    case: Case | None = None, *, limit: int = FEED_SIZE, user: AnyUser | None = None
) -> list[DocketEntry]:
    """The newest public entries (court-wide or of one case), with their public documents.

    Feeds are read anonymously by feed readers, so they carry the public view only.
    """
    # On training: only the shared practice data and `user`'s own practice cases.
    qs = DocketEntry.objects.filter(public_entry_q(), training_case_q(user, "case__"))
    if case is not None:
        qs = qs.filter(case_id=case.pk)
    docs = Document.objects.only(*DOC_FIELDS).order_by("sequence", "id")
    entries = list(
        qs.select_related(
            "case",
            "case__office",
            "case__judge",
            "case__trustee",
            "case__court",
            "event",
        )
        .prefetch_related(Prefetch("documents", queryset=docs))
        .order_by("-filed_at", "-id")[:limit]
    )
    for entry in entries:
        entry.public_documents = [
            d
            for d in entry.documents.all()
            if can_view_document(None, d, participant=False)
        ]
    return entries


def public_main_document(entry: DocketEntry) -> Document | None:
    """The entry's main document if anyone may read it (for feeds and follow e-mails)."""
    docs = getattr(entry, "public_documents", None)
    if docs is None:
        docs = [
            d
            for d in entry.documents.all()
            if can_view_document(None, d, participant=False)
        ]
    return next((d for d in docs if d.sequence == 0), None)


# -- Reports for logged-in users -------------------------------------------------------

REPORT_LIMIT = 500


def cases_filed(
    *,
    user: AnyUser | None = None,
    date_from: dt.date,
    date_to: dt.date,
    chapter: str = "",
    limit: int = REPORT_LIMIT,
):
    qs = Case.objects.filter(
        training_case_q(user), date_filed__gte=date_from, date_filed__lte=date_to
    ).select_related("office", "judge", "trustee")
    if chapter:
        qs = qs.filter(chapter=chapter)
    return list(qs.order_by("date_filed", "year", "number")[:limit])


def docket_activity(
    *, user: AnyUser, date_from: dt.date, date_to: dt.date, limit: int = REPORT_LIMIT
):
    """Entries filed in the range whose text `user` may search (public for most)."""
    return list(
        searchable_entries_for(user)
        .filter(filed_date__gte=date_from, filed_date__lte=date_to)
        .select_related("case", "case__office", "case__judge", "event")
        .order_by("filed_date", "case_id", "seq")[:limit]
    )


def claims_activity(
    *,
    user: AnyUser | None = None,
    date_from: dt.date,
    date_to: dt.date,
    limit: int = REPORT_LIMIT,
):
    from dockets.claims.models import ClaimActivity

    return list(
        ClaimActivity.objects.filter(
            training_case_q(user, "claim__case__"),
            date__gte=date_from,
            date__lte=date_to,
        )
        .select_related(
            "claim", "claim__case", "claim__case__office", "claim__case__judge"
        )
        .order_by("date", "id")[:limit]
    )


def hearing_calendar(
    *,
    user: AnyUser | None = None,
    date_from: dt.date,
    date_to: dt.date,
    judge_id: int | None = None,
    limit: int = REPORT_LIMIT,
):
    qs = Deadline.objects.filter(
        training_case_q(user, "case__"),
        kind="hearing",
        due_at__gte=local_midnight_utc(date_from),
        due_at__lt=local_midnight_utc(date_to + dt.timedelta(days=1)),
        terminated=False,
    ).select_related("case", "case__office", "case__judge")
    if judge_id:
        qs = qs.filter(case__judge_id=judge_id)
    return list(qs.order_by("case__judge__name", "due_at", "id")[:limit])
