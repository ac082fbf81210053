"""CM/ECF's own addresses (/cgi-bin/*.pl, /doc1/), answering with CM/ECF's own markup,
so existing parsers, docketing software, bookmarks and archiving extensions keep
working. Nothing here redirects: each address serves its report.

CM/ECF puts the case id alone in the query string (`DktRpt.pl?1952574`), sometimes
followed by report parameters (`DktRpt.pl?1952574-L_1_0-1`); the leading digits are
the case id.

Every report reads the same selectors as the modern pages (reports.selectors,
claims.selectors) and the same access functions (cases.permissions.can_see_case,
dockets.permissions.can_see_entry_text / can_view_document through build_row), so the
two never disagree; only the markup differs (reports/cmecf.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import unquote_plus

from django.conf import settings
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    StreamingHttpResponse,
)
from django.template.loader import render_to_string
from django.utils.html import escape
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from cases.numbers import parse_case_number
from cases.permissions import access_case, can_see_case
from cases.selectors import cases_visible_to
from core import clock
from dockets.claims.models import ClaimVersion
from dockets.models import Document, NoticeRecipient
from dockets.pipeline import views as pipeline_views

from . import cmecf, exports, selectors
from .feeds import LegacyCourtFeed

_LEADING_ID = re.compile(r"^(?:caseid=|case_id=)?([0-9]{1,12})")


def _case_id(request: HttpRequest) -> int:
    """The case id: CM/ECF's report forms post it as `all_case_ids` (to `?1-L_1_0-1`);
    links carry it first in the query string."""
    posted = request.POST.get("all_case_ids", "") if request.method == "POST" else ""
    if posted:
        if not posted.isdigit() or len(posted) > 12:
            raise Http404
        return int(posted)
    raw = request.META.get("QUERY_STRING", "")
    match = _LEADING_ID.match(raw)
    if match is None:
        raise Http404
    return int(match.group(1))


# CM/ECF's docket report form (DktRpt.pl; juriscraper DocketReport.query) -> the
# modern report's options (selectors.parse_options).
_SORTS = {
    "oldest date first": "oldest",
    "most recent date first": "newest",
    "document number": "number",
}


def _report_options(request: HttpRequest) -> selectors.DocketOptions:
    params = request.POST if request.method == "POST" else request.GET
    if not any(
        key in params
        for key in ("date_range_type", "sort1", "documents_numbered_from_", "date_from")
    ):
        return selectors.parse_options(request.GET)
    translated = {
        "submitted": "1",
        "date_type": (params.get("date_range_type") or "Filed").lower(),
        "sort": _SORTS.get(params.get("sort1", ""), "oldest"),
        "date_from": params.get("date_from", ""),
        "date_to": params.get("date_to", ""),
        "number_from": params.get("documents_numbered_from_", ""),
        "number_to": params.get("documents_numbered_to_", ""),
        "parties": "1" if params.get("list_of_parties_and_counsel") == "on" else "0",
    }
    return selectors.parse_options(translated)


def _base(request: HttpRequest) -> str:
    """The site's address as this request reached it (for absolute /doc1/ links)."""
    return request.build_absolute_uri("/").rstrip("/")


def _login(request: HttpRequest) -> str:
    return request.user.get_username() if request.user.is_authenticated else ""


def _page_context() -> dict:
    return {
        "court_short": getattr(settings, "ECF_COURT_SHORT_NAME", ""),
        "is_training": settings.ECF_IS_TRAINING,
    }


def _docket_case(request: HttpRequest):
    case = selectors.docket_case(_case_id(request))
    if case is None or not can_see_case(request.user, case):
        raise Http404
    return case


def header_dates(case, deadlines) -> list[tuple[str, str]]:
    """The right-hand column of the header, labels as CM/ECF prints them (cmecf.md 6.1)."""
    rows = [("Date filed", cmecf.mdy(case.date_filed))]
    for label, day in (
        ("Date terminated", case.date_closed),
        ("Date converted", case.date_converted),
        ("Debtor discharged", case.date_discharged),
        ("Debtor dismissed", case.date_dismissed),
        ("Date reopened", case.date_reopened),
    ):
        if day:
            rows.append((label, cmecf.mdy(day)))
    for d in deadlines:
        label = "341 meeting" if d.kind in ("341", "meeting_341") else d.label
        value = d.when + (f" at {d.location}" if d.location else "")
        rows.append((label, value))
    return rows


@csrf_exempt  # a read: CM/ECF's report form posts its options; nothing is written
@require_http_methods(["GET", "POST"])
def dktrpt(request: HttpRequest) -> StreamingHttpResponse:
    """DktRpt.pl: the whole docket report in CM/ECF's markup, streamed (flat memory).

    Takes CM/ECF's report options (date range filed/entered, document numbers,
    parties and counsel, sort order) by GET or by POST as CM/ECF's form sends them.
    """
    case = _docket_case(request)
    opts = _report_options(request)
    participant = selectors.participant_for(request.user, case)
    parties = selectors.party_blocks(case) if opts.parties else []
    deadlines = selectors.header_deadlines(case)
    rows = selectors.export_rows(case, opts, user=request.user, participant=participant)
    head = render_to_string(
        "dockets/legacy/dktrpt_head.html",
        {
            **_page_context(),
            "case": case,
            "flags": ", ".join(case.flags),
            "dates": header_dates(case, deadlines),
            "parties": parties,
        },
        request=request,
    )
    base = _base(request)
    login = _login(request)
    when = clock.local(clock.now())
    criteria = (
        f"{case.display_number} Fil or Ent: {opts.date_type} "
        f"Doc From: {opts.number_from or 0} Doc To: {opts.number_to or 99999999} "
        "Format: html"
    )

    def chunks() -> Iterator[str]:
        size = len(head)
        yield head
        for chunk in cmecf.docket_rows(rows, base=base, case_id=case.pk):
            size += len(chunk)
            yield chunk
        yield cmecf.receipt(
            when=when,
            login=login,
            description="Docket Report",
            criteria=criteria,
            size=size,
        )
        yield "</div></body></html>\n"

    return StreamingHttpResponse(chunks(), content_type="text/html; charset=utf-8")


@csrf_exempt  # a read: CM/ECF's query form posts the case id; nothing is written
@require_http_methods(["GET", "POST"])
def iquery(request: HttpRequest) -> HttpResponse:
    """iquery.pl with a case id: CM/ECF's case summary lines and the Query menu."""
    case = _docket_case(request)
    last = case.entries.order_by("-filed_date").values_list("filed_date", flat=True)
    last_filing = last.first()
    context = {
        **_page_context(),
        "case": case,
        "last_filing": cmecf.mdy(last_filing) if last_filing else "",
        "links": exports.query_links(case),
        "dates": [
            (label, value)
            for label, value in header_dates(case, [])
            if label != "Date filed"
        ],
    }
    body: str = render_to_string("dockets/legacy/iquery.html", context, request=request)
    body += cmecf.receipt(
        when=clock.local(clock.now()),
        login=_login(request),
        description="Search",
        criteria=case.display_number,
        size=len(body),
    )
    return HttpResponse(body + "</div></body></html>\n")


@require_GET
def cred_matrix(request: HttpRequest) -> HttpResponse:
    """CredMatrixCase.pl: the raw mailing matrix in the `bnc` form, as CM/ECF serves it."""
    case = access_case(request.user, _case_id(request))
    labels = exports.matrix_labels(case)
    raw = exports.raw_matrix(case, labels, when=clock.now())
    body: str = render_to_string(
        "dockets/legacy/cred_matrix.html",
        {**_page_context(), "case": case, "raw": raw, "labels": labels},
        request=request,
    )
    body += cmecf.receipt(
        when=clock.local(clock.now()),
        login=_login(request),
        description="Creditor Matrix",
        criteria=case.display_number,
        size=len(body),
    )
    return HttpResponse(body + "</div></body></html>\n")


@require_GET
def mobile_query(request: HttpRequest) -> HttpResponse:
    """mobile_query.pl: the free count of docket entries (numbered or not) of a case."""
    case = access_case(request.user, _case_id(request))
    body: str = render_to_string(
        "dockets/legacy/mobile_query.html",
        {**_page_context(), "case": case, "count": case.last_entry_seq},
        request=request,
    )
    return HttpResponse(body)


@require_GET
def possible_case_numbers(request: HttpRequest) -> HttpResponse:
    """XML list of cases matching a case number, as CM/ECF's lookup returns it:
    `<request number='…'><case number='…' id='…' title='…' sortable='…'/></request>`."""
    raw = request.GET.get("number") or request.META.get("QUERY_STRING", "")
    text = unquote_plus(raw)[:60]
    parsed = parse_case_number(text) if text else None
    cases = []
    if parsed is not None:
        qs = cases_visible_to(request.user).filter(
            number=parsed.number, year=parsed.year
        )
        if parsed.case_type:
            qs = qs.filter(case_type=parsed.case_type)
        if parsed.office is not None:
            qs = qs.filter(office__number=parsed.office)
        cases = list(
            qs.select_related("office", "judge").order_by("year", "number")[:50]
        )
    parts = [f"<request number='{escape(text)}'>"]
    if parsed is None:
        parts.append(
            "<message text='Not a case number. Enter one like 24-01234 or 3:24-bk-01234.'/>"
        )
    elif not cases:
        parts.append("<message text='Cannot find case.'/>")
    for case in cases:
        number = case.format_number("long_judge")
        sortable = (
            f"{case.office.number}:{case.year}-{case.case_type}-{case.number:05d}"
        )
        parts.append(
            f"<case number='{escape(case.long_number)}' id='{case.pk}' "
            f"title='{escape(number)} {escape(case.title)}' sortable='{escape(sortable)}'/>"
        )
    parts.append("</request>")
    return HttpResponse(
        "<?xml version='1.0' encoding='UTF-8'?>\n" + "\n".join(parts) + "\n",
        content_type="application/xml; charset=utf-8",
    )


rss_outside = LegacyCourtFeed()


# -- Documents: /doc1/<id> and show_doc.pl ------------------------------------------

_DOC1_ID = re.compile(r"^([0-9]{3})[01]([0-9]{8,16})$")


def _document_by_cmecf_id(raw: str) -> Document:
    """The document with this CM/ECF id; the fourth digit (0 = attachment page,
    1 = straight to the PDF) is CM/ECF's display switch, not part of the identity."""
    match = _DOC1_ID.match(raw or "")
    if match is None:
        raise Http404
    cmecf_id = f"{match.group(1)}0{match.group(2)}"
    document = Document.objects.filter(cmecf_id=cmecf_id).only("id").first()
    if document is None:
        raise Http404
    return document


def _serve(request: HttpRequest, document: Document) -> HttpResponse | FileResponse:
    """Open the document through the same doors as everywhere: the free-look link when a
    valid magic_num for this document's notice is given, else the download (both call
    dockets.permissions through access_document / can_view_document)."""
    magic = request.GET.get("magic_num", "")
    if magic.isdigit() and len(magic) <= 18:
        recipient = (
            NoticeRecipient.objects.select_related("notice")
            .filter(magic_num=int(magic), notice__entry__documents=document)
            .first()
        )
        if recipient is not None:
            refused = pipeline_views.open_free_look(
                request, recipient=recipient, document_id=document.pk
            )
            if refused is not None:
                return refused
    return pipeline_views.document_download(request, document_id=document.pk)


@require_GET
def doc1(request: HttpRequest, cmecf_id: str) -> HttpResponse | FileResponse:
    """/doc1/<court prefix><digits>[?caseid=&de_seq_num=&magic_num=]: the document."""
    document = _document_by_cmecf_id(cmecf_id)
    return _serve(request, document)


@require_GET
def show_doc(request: HttpRequest) -> HttpResponse | FileResponse:
    """show_doc.pl?caseid=&de_seq_num=&doc_num= (or &claim_num=N-V): the document of an
    entry (main document or attachment) or of a claim version."""
    case_id = request.GET.get("caseid", "")
    if not case_id.isdigit() or len(case_id) > 12:
        raise Http404
    claim_num = request.GET.get("claim_num", "")
    documents = Document.objects.filter(entry__case_id=int(case_id))
    if claim_num:
        match = re.fullmatch(r"(\d{1,9})-(\d{1,6})", claim_num)
        if match is None:
            raise Http404
        version = (
            ClaimVersion.objects.filter(
                claim__case_id=int(case_id),
                claim__number=int(match.group(1)),
                version=int(match.group(2)),
                entry__isnull=False,
            )
            .only("entry_id")
            .first()
        )
        if version is None:
            raise Http404
        documents = documents.filter(entry_id=version.entry_id, sequence=0)
    else:
        seq = request.GET.get("de_seq_num", "")
        if not seq.isdigit() or len(seq) > 12:
            raise Http404
        attachment = request.GET.get("attachment_num", "0")
        if not attachment.isdigit() or len(attachment) > 4:
            raise Http404
        documents = documents.filter(entry__seq=int(seq), sequence=int(attachment))
    document = documents.only("id").first()
    if document is None:
        raise Http404
    return _serve(request, document)


# -- Claims register (SearchClaims.pl; the view is dockets.claims.views) -------------


def _history_href(activity, *, case_id: int) -> str:
    """The link of one history row, in CM/ECF's two forms: a claim version
    (`claim_id` and `claim_num`) or a docket entry (`de_seq_num` and `dm_id`)."""
    if not getattr(activity, "document_link", None) or activity.entry_id is None:
        return ""
    main = next((d for d in activity.entry.documents.all() if d.sequence == 0), None)
    if main is None or not main.cmecf_id:
        return ""
    path = cmecf.doc1_path(main.cmecf_id)
    if re.fullmatch(r"\d+-\d+", activity.label or ""):
        return (
            f"{path}?caseid={case_id}&claim_id={activity.pk}"
            f"&claim_num={activity.label}&magic_num=&pdf_header=1"
        )
    return f"{path}?caseid={case_id}&de_seq_num={activity.entry.seq}&dm_id={main.pk}"


def legacy_claims_context(request, *, case, claims, totals, bars) -> dict:
    """What the CM/ECF claims register template prints, from register_page's claims."""
    rows = []
    for claim in claims:
        history = [
            {
                "label": a.label,
                "date": cmecf.mdy(a.date),
                "text": a.text,
                "href": _history_href(a, case_id=case.pk),
            }
            for a in claim.activities.all()
        ]
        if claim.epoc:
            filed_by = "Creditor (ePOC)"
        elif claim.filed_by_id:
            filed_by = claim.filed_by.get_full_name()
        else:
            filed_by = "Clerk"
        rows.append(
            {
                "claim": claim,
                "creditor_lines": [claim.creditor_name, *claim.creditor_lines],
                "amounts": [
                    ("Amount", cmecf.money(claim.amount_cents)),
                    ("Secured", cmecf.money(claim.secured_cents)),
                    ("Priority", cmecf.money(claim.priority_cents)),
                    ("Unsecured", cmecf.money(claim.unsecured_cents)),
                    ("Admin", cmecf.money(claim.admin_cents)),
                ],
                "filed_by": filed_by,
                "history": history,
                "last_amendment": next(
                    (
                        cmecf.mdy(a.date)
                        for a in reversed(list(claim.activities.all()))
                        if a.kind == "amended"
                    ),
                    "",
                ),
            }
        )
    allowed = [
        totals.get("allowed_secured_cents") or 0,
        totals.get("allowed_priority_cents") or 0,
        totals.get("allowed_unsecured_cents") or 0,
        totals.get("allowed_admin_cents") or 0,
    ]
    return {
        **_page_context(),
        "case": case,
        "rows": rows,
        "totals": {
            "count": totals.get("count") or 0,
            "claimed": cmecf.money(totals.get("amount_cents") or 0),
            "allowed": cmecf.money(sum(allowed)) if any(allowed) else "",
            "secured": cmecf.money(totals.get("secured_cents") or 0),
            "priority": cmecf.money(totals.get("priority_cents") or 0),
            "admin": cmecf.money(totals.get("admin_cents") or 0),
            "allowed_secured": cmecf.money(allowed[0]) if allowed[0] else "",
            "allowed_priority": cmecf.money(allowed[1]) if allowed[1] else "",
            "allowed_admin": cmecf.money(allowed[3]) if allowed[3] else "",
        },
        "claims_bar": cmecf.mdy(bars["claims_bar"]) if bars.get("claims_bar") else "",
        "gov_claims_bar": cmecf.mdy(bars["gov_claims_bar"])
        if bars.get("gov_claims_bar")
        else "",
        "now": clock.local(clock.now()),
        "login": _login(request),
    }
