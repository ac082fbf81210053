"""Public reads: cases, parties, docket entries and documents (reading is free).

Every read goes through the same doors as the web pages: cases.permissions.access_case
(training isolation), dockets.permissions (sealed text and documents never appear;
restricted ones only for participants) and dockets.selectors.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch
from ninja import Query, Router
from pydantic import Field

from cases.models import Case, Party
from cases.permissions import access_case
from cases.selectors import search_cases
from core import clock
from core.downloads import protected_file_response
from dockets.models import DocketEntry, Document, Visibility
from dockets.permissions import (
    access_document,
    can_see_entry_text,
    can_view_document,
    record_document_access,
)
from dockets.reports.selectors import RESTRICTED_TEXT, SEALED_TEXT, participant_for
from filers.models import AnyUser

from .auth import READ_AUTH, viewer
from .errors import ApiError
from .schemas import (
    CaseDetailOut,
    CaseListOut,
    EntryListOut,
    PartyOut,
    Schema,
    with_errors,
)

router = Router(tags=["Reading"], auth=READ_AUTH)

MAX_PAGE = 100
# Reading is free: a token is optional (it raises the rate limit and shows what
# the token's user may see, such as restricted documents of their cases).
PUBLIC: dict[str, list[dict]] = {"security": [{}]}


def case_out(case: Case) -> dict:
    return {
        "id": case.pk,
        "number": case.display_number,
        "long_number": case.long_number,
        "title": case.title,
        "case_type": case.case_type,
        "chapter": case.chapter,
        "status": case.status,
        "date_filed": case.date_filed,
        "judge": case.judge.name if case.judge is not None else "",
        "office": case.office.name,
    }


def document_out(document: Document) -> dict:
    from django.urls import reverse

    return {
        "id": document.pk,
        "cmecf_id": document.cmecf_id,
        "sequence": document.sequence,
        "description": document.description,
        "page_count": document.page_count,
        "size": document.size,
        "sha512": document.sha512,
        "stamped": bool(document.stamped),
        "download_path": reverse(
            "api-v1:document_download", kwargs={"document_id": document.pk}
        ),
    }


class CaseSearch(Schema):
    q: str = Field(
        "", max_length=200, description="Case number (any common form) or party name"
    )
    chapter: str = Field("", max_length=2)
    status: str = Field("", max_length=10)
    case_type: str = Field("", max_length=2)
    filed_from: dt.date | None = None
    filed_to: dt.date | None = None
    after: str = Field("", max_length=40, description="next_cursor of the page before")
    limit: int = Field(25, ge=1, le=MAX_PAGE)


@router.get(
    "/cases",
    response=with_errors({200: CaseListOut}),
    operation_id="searchCases",
    openapi_extra=PUBLIC,
)
def search(request, filters: Query[CaseSearch]):
    """Find cases by number or party name, newest first (keyset-paged)."""
    result = search_cases(
        user=viewer(request),
        q=filters.q,
        chapter=filters.chapter,
        status=filters.status,
        case_type=filters.case_type,
        filed_from=filters.filed_from,
        filed_to=filters.filed_to,
        after=filters.after,
        limit=filters.limit,
    )
    return {
        "results": [case_out(c) for c in result.cases],
        "next_cursor": result.next_cursor,
    }


def _parties(case: Case) -> list[dict]:
    return [
        {
            "id": p.pk,
            "role": p.role,
            "role_label": p.get_role_display(),
            "name": p.name,
            "is_entity": p.is_entity,
            "city": p.city,
            "state": p.state,
            "terminated_on": p.terminated_on,
        }
        for p in Party.objects.filter(case=case).order_by("id")
    ]


@router.get(
    "/cases/{case_id}",
    response=with_errors({200: CaseDetailOut}),
    operation_id="getCase",
    openapi_extra=PUBLIC,
)
def case_summary(request, case_id: int):
    """The case summary: number, chapter, judge, status and parties."""
    case = access_case(viewer(request), case_id)
    return {
        **case_out(case),
        "parties": _parties(case),
        "last_entry_number": case.last_entry_number,
        "claims_filed": case.last_claim_number,
    }


@router.get(
    "/cases/{case_id}/parties",
    response=with_errors({200: list[PartyOut]}),
    operation_id="listParties",
    openapi_extra=PUBLIC,
)
def case_parties(request, case_id: int):
    """The parties of a case, in the order they were added (party ids for filings)."""
    case = access_case(viewer(request), case_id)
    return _parties(case)


class EntryFilters(Schema):
    after: int | None = Field(
        None, ge=0, le=2**62, description="next_after of the page before"
    )
    limit: int = Field(50, ge=1, le=MAX_PAGE)
    filed_from: dt.date | None = None
    filed_to: dt.date | None = None
    number_from: int | None = Field(None, ge=0, le=2**31)
    number_to: int | None = Field(None, ge=0, le=2**31)


def entry_rows(user: AnyUser, case: Case, entries, *, participant: bool) -> list[dict]:
    """Docket rows as `user` may see them: placeholders for sealed text, readable documents only."""
    tz = clock.court_tz()
    rows = []
    for entry in entries:
        entry.case = case
        shown = can_see_entry_text(user, entry, participant=participant)
        documents = []
        if shown:
            for document in entry.documents.all():
                document.entry = entry
                if can_view_document(user, document, participant=participant):
                    documents.append(document_out(document))
        placeholder = (
            SEALED_TEXT if entry.visibility == Visibility.SEALED else RESTRICTED_TEXT
        )
        rows.append(
            {
                "id": entry.pk,
                "seq": entry.seq,
                "number": entry.number,
                "filed_date": entry.filed_date,
                "entered_date": entry.entered_at.astimezone(tz).date(),
                "event": entry.event.code if shown else "",
                "text": entry.text if shown else placeholder,
                "text_shown": shown,
                "documents": documents,
            }
        )
    return rows


@router.get(
    "/cases/{case_id}/entries",
    response=with_errors({200: EntryListOut}),
    operation_id="listEntries",
    openapi_extra=PUBLIC,
)
def list_entries(request, case_id: int, filters: Query[EntryFilters]):
    """Docket entries in docket order, keyset-paged, with their documents and digests."""
    user = viewer(request)
    case = access_case(user, case_id)
    if (
        filters.filed_from
        and filters.filed_to
        and filters.filed_from > filters.filed_to
    ):
        raise ApiError(
            422,
            "invalid",
            "filed_from is after filed_to.",
            {"filed_from": "After filed_to."},
        )
    qs = DocketEntry.objects.filter(case=case)
    if filters.after is not None:
        qs = qs.filter(seq__gt=filters.after)
    if filters.filed_from:
        qs = qs.filter(filed_date__gte=filters.filed_from)
    if filters.filed_to:
        qs = qs.filter(filed_date__lte=filters.filed_to)
    if filters.number_from is not None:
        qs = qs.filter(number__gte=filters.number_from)
    if filters.number_to is not None:
        qs = qs.filter(number__lte=filters.number_to)
    entries = list(
        qs.select_related("event")
        .prefetch_related(
            Prefetch("documents", queryset=Document.objects.order_by("sequence", "id"))
        )
        .order_by("seq")[: filters.limit + 1]
    )
    more = len(entries) > filters.limit
    entries = entries[: filters.limit]
    rows = entry_rows(user, case, entries, participant=participant_for(user, case))
    return {"results": rows, "next_after": entries[-1].seq if more else None}


@router.get(
    "/documents/{document_id}/download",
    response=with_errors({200: None}),
    operation_id="downloadDocument",
    url_name="document_download",
    openapi_extra={
        **PUBLIC,
        "responses": {
            200: {
                "description": "The stamped PDF (the original until stamping has finished)",
                "content": {
                    "application/pdf": {
                        "schema": {"type": "string", "format": "binary"}
                    }
                },
            }
        },
    },
)
def download(request, document_id: int):
    """Download a document: the stamped copy, subject to the same visibility as the web."""
    document = access_document(viewer(request), document_id)
    record_document_access(request=request, document=document, route="api")
    stamped = bool(document.stamped)
    name = document.stamped.name if stamped else document.original.name
    response = protected_file_response(
        name,
        filename=f"{document.entry.case.long_number.replace(':', '_')}-{document.entry.number or 'u'}-{document.sequence}.pdf",
        content_type="application/pdf",
    )
    response["X-ECF-Stamped"] = "true" if stamped else "false"
    return response
