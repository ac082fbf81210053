"""Full-text search of docket entries (the in-case and court-wide search pages).

Visibility comes from dockets.selectors.searchable_entries_for and
dockets.permissions, as for the docket report (reports.selectors).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from django.contrib.postgres.search import SearchHeadline, SearchQuery
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from cases.models import Case
from dockets.fulltext.selectors import PageHit
from dockets.models import DocketEntry
from dockets.selectors import readable_entry_q, searchable_entries_for
from filers.models import AnyUser

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

SEARCH_PAGE_SIZE = 20

_MARK_START = "\x02"
_MARK_STOP = "\x03"


def text_query(q: str) -> SearchQuery | None:
    """The user's words as a query: "a phrase", -excluded, word* (prefix), or."""
    q = " ".join((q or "").split())[:200]
    if not q:
        return None
    if "*" in q:
        raw = _prefix_query(q)
        return SearchQuery(raw, search_type="raw", config="english") if raw else None
    return SearchQuery(q, search_type="websearch", config="english")


_TOKEN = re.compile(r'(-?)"([^"]*)"|(-?)(\S+)')
_WORD = re.compile(r"\w+")


def _prefix_query(q: str) -> str:
    """websearch syntax plus word* for prefixes, as a to_tsquery string (words only)."""
    parts: list[str] = []
    joiner = " & "
    for match in _TOKEN.finditer(q):
        neg = match.group(1) or match.group(3)
        if match.group(2) is not None:
            words = _WORD.findall(match.group(2))
            term = "(" + " <-> ".join(words) + ")" if words else ""
        else:
            token = match.group(4)
            if token.lower() == "or" and parts:
                joiner = " | "
                continue
            words = _WORD.findall(token)
            if not words:
                continue
            term = " <-> ".join(words)
            if token.endswith("*"):
                term += ":*"
            if len(words) > 1:
                term = f"({term})"
        if not term:
            continue
        term = f"!{term}" if neg else term
        parts.append((joiner if parts else "") + term)
        joiner = " & "
    return "".join(parts)


@dataclass
class SearchHit:
    entry: DocketEntry
    headline: SafeString

    @property
    def docket_url(self) -> str:
        """The docket of the hit's case (reversed once per process, not per hit)."""
        return _docket_url().replace(_URL_ID, str(self.entry.case_id))


_URL_ID = "987654321"


@functools.cache
def _docket_url() -> str:
    return reverse("dockets:docket", kwargs={"case_id": int(_URL_ID)})


@dataclass
class SearchPage:
    hits: list[SearchHit]
    next_cursor: str


def _cursor(entry) -> str:
    return f"{entry.filed_at.timestamp():.6f}.{entry.pk}"


def _parse_cursor(text: str) -> tuple[dt.datetime, int] | None:
    try:
        stamp, _, pk = (text or "").rpartition(".")
        return dt.datetime.fromtimestamp(float(stamp), tz=dt.UTC), int(pk)
    except (ValueError, OverflowError, OSError):
        return None


def matching_ids(
    *,
    user: AnyUser,
    query: SearchQuery,
    case: Case | None = None,
    participant: bool = False,
    after: str = "",
) -> QuerySet[DocketEntry, int]:
    """The ids of the entries matching `query` that `user` may search, newest first,
    after the cursor `after`: the one query whose plan decides a search's speed."""
    if case is None:
        qs = searchable_entries_for(user)
    else:
        qs = DocketEntry.objects.filter(case_id=case.pk).filter(
            readable_entry_q(user, case, participant=participant)
        )
    qs = qs.filter(search_vector=query)
    cursor = _parse_cursor(after) if after else None
    if cursor is not None:
        when, pk = cursor
        qs = qs.filter(Q(filed_at__lt=when) | Q(filed_at=when, pk__lt=pk))
    return qs.order_by("-filed_at", "-id").values_list("id", flat=True)


class Headline(TypedDict):
    """What hit_rows adds to each entry: its text with the matches marked."""

    headline: str


def hit_rows(
    ids: list[int], query: SearchQuery
) -> QuerySet[WithAnnotations[DocketEntry, Headline]]:
    """The entries `ids` (a page of matching_ids) with what a hit prints and its
    highlighted text, in no order."""
    return (
        DocketEntry.objects.filter(pk__in=ids)
        .select_related("case", "case__office", "case__judge", "event")
        .only(*HIT_FIELDS)
        .annotate(
            headline=SearchHeadline(
                "text",
                query,
                config="english",
                start_sel=_MARK_START,
                stop_sel=_MARK_STOP,
                max_words=35,
                min_words=15,
            )
        )
        .order_by()
    )


def search_entries(
    *,
    user: AnyUser,
    q: str,
    case: Case | None = None,
    participant: bool = False,
    after: str = "",
    limit: int = SEARCH_PAGE_SIZE,
) -> SearchPage:
    """Docket entries matching `q`, newest first, with highlights for the page's rows only.

    Court-wide: dockets.selectors.searchable_entries_for(user). Within a case: the
    entries whose documents the viewer may read (readable_entry_q). Either way the match
    uses the stored search_vector and its GIN index, never to_tsvector() per row.
    """
    query = text_query(q)
    if query is None:
        return SearchPage([], "")
    ids = list(
        matching_ids(
            user=user, query=query, case=case, participant=participant, after=after
        )[: limit + 1]
    )
    more = len(ids) > limit
    ids = ids[:limit]
    if not ids:
        return SearchPage([], "")
    entries = {e.pk: e for e in hit_rows(ids, query)}
    # In the order of `ids` (newest first): sorting 20 rows here costs less than
    # Django compiling an ORDER BY against every selected column.
    hits = [
        SearchHit(entries[pk], _highlight(entries[pk].headline))
        for pk in ids
        if pk in entries
    ]
    return SearchPage(hits, _cursor(hits[-1].entry) if more and hits else "")


# What a hit prints (search_results.html, SearchHit.docket_url, the cursor) and
# nothing more: the entry's, its case's number and title, its event's name. A whole
# Event (eight JSON fields) and Case per hit cost more than the search itself.
HIT_FIELDS = (
    "id",
    "case_id",
    "seq",
    "number",
    "filed_at",
    "filed_date",
    "event_id",
    "case__id",
    "case__title",
    "case__year",
    "case__number",
    "case__case_type",
    "case__chapter",
    "case__office_id",
    "case__judge_id",
    "case__office__id",
    "case__office__number",
    "case__judge__id",
    "case__judge__initials",
    "event__id",
    "event__name",
)


def _highlight(text: str) -> SafeString:
    """Escape the headline, then turn the sentinel marks into <mark> (no HTML from data)."""
    safe = escape(text or "")
    return mark_safe(  # noqa: S308 (escaped above; only our own marks become tags)
        safe.replace(_MARK_START, "<mark>").replace(_MARK_STOP, "</mark>")
    )


# -- The hits as HTML -------------------------------------------------------------------
# Built in Python rather than a template loop: with five {% translate %} tags, a date
# filter and a dozen lookups per hit, the loop cost more than the search's queries.
# Every value from the database is escaped; the words are translated once per page.


def _mdy(day: dt.date | None) -> str:
    return f"{day.month:02d}/{day.day:02d}/{day.year}" if day else ""


class _Numbers:
    """Each case's display number, formatted once per page (hits share cases)."""

    def __init__(self) -> None:
        self._seen: dict[int, str] = {}

    def __call__(self, case: Case) -> str:
        if case.pk not in self._seen:
            self._seen[case.pk] = escape(case.display_number)
        return self._seen[case.pk]


def _doc_label(entry, words: dict[str, str]) -> str:
    return f"{words['doc']} {entry.number}" if entry.number else words["unnumbered"]


def _words() -> dict[str, str]:
    return {
        "doc": escape(gettext("Doc")),
        "unnumbered": escape(gettext("Unnumbered entry")),
        "filed": escape(gettext("filed")),
        "page": escape(gettext("page")),
        "text": escape(gettext("text")),
    }


def hits_html(hits: list[SearchHit]) -> SafeString:
    """The docket-text hits, one <li> each, as search_results.html printed them."""
    words, number = _words(), _Numbers()
    out = []
    for hit in hits:
        entry = hit.entry
        out.append(
            f'<li>\n  <p><a href="{hit.docket_url}?submitted=1&amp;parties=0&amp;'
            f'after={entry.seq - 1}">{number(entry.case)} {escape(entry.case.title)}</a>\n'
            f"  · {_doc_label(entry, words)} · {words['filed']} {_mdy(entry.filed_date)}"
            f" · {escape(entry.event.name)}</p>\n"
            f'  <p class="docket-text">{hit.headline}</p>\n</li>'
        )
    return mark_safe("".join(out))  # noqa: S308 (every value escaped above)


def page_hits_html(hits: list[PageHit]) -> SafeString:
    """The document-text hits, one <li> each, as search_results.html printed them."""
    words, number = _words(), _Numbers()
    out = []
    for hit in hits:
        entry = hit.entry
        out.append(
            f'<li>\n  <p><a href="{hit.document_url}">{number(entry.case)} '
            f"{_doc_label(entry, words)}: {escape(hit.document.description)}</a>, "
            f"{words['page']} {hit.page.page}\n"
            f"  · {words['filed']} {_mdy(entry.filed_date)} · {escape(entry.event.name)}"
            f' · <a href="{hit.text_url}">{words["text"]}</a></p>\n'
            f'  <p class="docket-text">{hit.headline}</p>\n</li>'
        )
    return mark_safe("".join(out))  # noqa: S308 (every value escaped above)
