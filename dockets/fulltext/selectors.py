"""Search inside documents: one index (DocumentPage.search_vector) for everyone.

Threat model: the text of sealed, court-only and restricted documents is in the
index, so every read here narrows in SQL by dockets.selectors.readable_entry_q and
the document's own level, and then asks dockets.permissions.can_view_document
(and cases.permissions.can_see_case) for each hit before any snippet is built:
nobody gets a result, a snippet or a page number from a document they may not open.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery
from django.db.models import F, Q
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from cases.models import Case
from cases.permissions import can_see_case
from filers.models import AnyUser

from ..models import Visibility
from ..permissions import can_view_document
from ..selectors import readable_entry_q
from .models import DocumentPage

PAGE_SIZE = 20
_START, _STOP = "\x02", "\x03"


def _court_user(user: AnyUser) -> bool:
    return bool(
        user and user.is_authenticated and getattr(user, "is_court_user", False)
    )


@dataclass
class PageHit:
    page: DocumentPage
    headline: SafeString

    @property
    def document(self):
        return self.page.document

    @property
    def entry(self):
        return self.page.document.entry

    @property
    def document_url(self) -> str:
        """The document's page (reversed once per process, not per hit)."""
        return _url_templates()[0].replace(_URL_ID, str(self.page.document_id))

    @property
    def text_url(self) -> str:
        """The document's text page (reversed once per process, not per hit)."""
        return _url_templates()[1].replace(_URL_ID, str(self.page.document_id))


_URL_ID = "987654321"


@functools.cache
def _url_templates() -> tuple[str, str]:
    return (
        reverse("dockets:document", kwargs={"document_id": int(_URL_ID)}),
        reverse("dockets:document-text", kwargs={"document_id": int(_URL_ID)}),
    )


@dataclass
class PageResults:
    hits: list[PageHit]
    next_cursor: str


def readable_pages_q(user: AnyUser, case: Case | None = None, *, participant=None) -> Q:
    """Pages of documents `user` may open, in SQL (the per-hit check follows)."""
    if _court_user(user):
        return Q()
    return (
        readable_entry_q(user, case, participant=participant, prefix="entry__")
        & Q(document__replaced=False)
        & (
            Q(document__visibility__in=["", Visibility.PUBLIC])
            | Q(document__visibility=F("entry__visibility"))
        )
    )


def _parse_cursor(text: str) -> tuple[dt.datetime, int] | None:
    try:
        stamp, _, pk = (text or "").rpartition(".")
        return dt.datetime.fromtimestamp(float(stamp), tz=dt.UTC), int(pk)
    except (ValueError, OverflowError, OSError):
        return None


def search_pages(
    *,
    user: AnyUser,
    query: SearchQuery | None,
    case: Case | None = None,
    participant: bool | None = None,
    after: str = "",
    limit: int = PAGE_SIZE,
) -> PageResults:
    """Document pages matching `query` that `user` may read, newest filing first."""
    if query is None:
        return PageResults([], "")
    qs = DocumentPage.objects.filter(
        readable_pages_q(user, case, participant=participant)
    )
    if case is not None:
        qs = qs.filter(case_id=case.pk)
    qs = qs.filter(search_vector=query)
    cursor = _parse_cursor(after) if after else None
    if cursor is not None:
        when, pk = cursor
        qs = qs.filter(Q(filed_at__lt=when) | Q(filed_at=when, pk__lt=pk))
    rows = list(
        qs.order_by("-filed_at", "-id").values_list("id", "filed_at")[: limit + 1]
    )
    more = len(rows) > limit
    rows = rows[:limit]
    if not rows:
        return PageResults([], "")
    by_id = {
        p.pk: p
        for p in DocumentPage.objects.filter(pk__in=[r[0] for r in rows])
        .select_related(
            "document",
            "document__entry",
            "document__entry__case",
            "document__entry__case__office",
            "document__entry__case__judge",
            "document__entry__event",
        )
        .only(*HIT_FIELDS)
        .order_by()
    }
    # Newest first, as `rows` came: sorting 20 rows here costs less than Django
    # compiling an ORDER BY against every selected column.
    pages = [by_id[r[0]] for r in rows if r[0] in by_id]
    # The one access decision per document, before any text is read for a snippet.
    allowed = [
        p
        for p in pages
        if can_see_case(user, p.document.entry.case)
        and can_view_document(
            user, p.document, participant=participant if case is not None else None
        )
    ]
    headlines = dict(
        DocumentPage.objects.filter(pk__in=[p.pk for p in allowed])
        .annotate(
            headline=SearchHeadline(
                "text",
                query,
                config="english",
                start_sel=_START,
                stop_sel=_STOP,
                max_words=35,
                min_words=15,
                max_fragments=2,
            )
        )
        .values_list("pk", "headline")
    )
    hits = [PageHit(p, _highlight(headlines.get(p.pk, ""))) for p in allowed]
    last_id, last_filed = rows[-1]
    # filed_at is nullable in the schema (every writer and migration 0019 set it): a
    # page without it cannot be a keyset cursor, so the list ends there, not in a 500.
    next_cursor = (
        f"{last_filed.timestamp():.6f}.{last_id}"
        if more and last_filed is not None
        else ""
    )
    return PageResults(hits, next_cursor)


# What the access decision (cases.permissions.can_see_case,
# dockets.permissions.can_view_document) and a hit (search_results.html) read, and
# nothing more: a whole Event (eight JSON fields), Case and Document per hit cost
# more than the search itself.
HIT_FIELDS = (
    "id",
    "document_id",
    "page",
    "filed_at",
    "document__id",
    "document__entry_id",
    "document__sequence",
    "document__description",
    "document__visibility",
    "document__replaced",
    "document__entry__id",
    "document__entry__case_id",
    "document__entry__number",
    "document__entry__filed_date",
    "document__entry__event_id",
    "document__entry__visibility",
    "document__entry__visible_from",
    "document__entry__filer_id",
    "document__entry__entered_by_id",
    "document__entry__case__id",
    "document__entry__case__title",
    "document__entry__case__year",
    "document__entry__case__number",
    "document__entry__case__case_type",
    "document__entry__case__chapter",
    "document__entry__case__office_id",
    "document__entry__case__judge_id",
    "document__entry__case__practice_owner_id",
    "document__entry__case__office__id",
    "document__entry__case__office__number",
    "document__entry__case__judge__id",
    "document__entry__case__judge__initials",
    "document__entry__event__id",
    "document__entry__event__name",
)


def _highlight(text: str) -> SafeString:
    safe = escape(" ".join((text or "").split()))
    return mark_safe(  # noqa: S308 (escaped above; only our own marks become tags)
        safe.replace(_START, "<mark>").replace(_STOP, "</mark>")
    )
