"""Public access and reports: the docket report (CM/ECF DktRpt layout), its exports,
the Query menu, mailing matrix, associated cases, deadlines, full-text search, the
"follow this case" switch and the reports for filers and clerks.

Every read takes the case through cases.permissions.access_case and decides each
row's visibility through dockets.permissions (in reports.selectors), with the
viewer's case participation computed once per request.
"""

from __future__ import annotations

import datetime as dt
import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils import translation
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.models import Case, CaseWatch, Judge
from cases.permissions import access_case, can_see_case
from core import clock, text
from core.middleware import handles_control_characters
from filers.http import AuthedRequest

from ..fulltext.selectors import PageResults, search_pages
from . import activity, entry_search, exports, selectors
from .follow import set_following
from .models import DocketSheetJob
from .sheets import request_docket_sheet


def _access(request: HttpRequest, case_id: int) -> Case:
    """The case with its header data, or Http404 (missing and forbidden alike)."""
    case = selectors.docket_case(case_id)
    if case is None or not can_see_case(request.user, case):
        raise Http404
    return case


def _access_case(request: HttpRequest, case_id: int) -> Case:
    """cases.permissions.access_case's answer (the case, or Http404 for missing and
    forbidden alike) through a query compiled once (reports.selectors.report_case)."""
    case = selectors.report_case(case_id)
    if case is None or not can_see_case(request.user, case):
        raise Http404
    return case


@require_GET
def docket(request: HttpRequest, case_id: int) -> HttpResponse:
    """The docket report: header block, party blocks, and one keyset page of entries."""
    case = _access(request, case_id)
    opts = selectors.parse_options(request.GET)
    participant = selectors.participant_for(request.user, case)
    page = selectors.docket_page(case, opts, user=request.user, participant=participant)
    parties = selectors.party_blocks(case) if opts.parties else []
    query_base = exports.query_string(opts)
    tools = docket_tools(
        get_language(),
        get_script_prefix(),
        case.pk,
        query_base,
        (
            opts.date_type,
            opts.date_from,
            opts.date_to,
            opts.number_from,
            opts.number_to,
            opts.parties,
            opts.sort,
            bool(opts.errors),
        ),
    )
    return render(
        request,
        "dockets/reports/docket_report.html",
        {
            "case": case,
            "opts": opts,
            "page": page,
            "rows_html": exports.rows_html(page.rows),
            "parties": parties,
            "deadlines": selectors.header_deadlines(case),
            "query_base": query_base,
            "following": _following(request, case),
            "tools": tools,
            "claims_url": tools["claims"],
            "associated_url": tools["associated"],
        },
    )


@functools.lru_cache(maxsize=1024)
def docket_tools(
    language: str, prefix: str, case_id: int, query_base: str, options: tuple
) -> dict[str, str]:
    """The docket page's parts made of nothing but the case id, the report options and
    the language: its links and its options form (a dozen reverse() calls and thirty
    {% translate %} tags), rendered once per process for each such key.

    No data from the database, no viewer and no token is in them, so nothing a
    filing, a sealing or a login changes can be stale here; `options` is the
    report options' values (`opts.errors` only as "open the form or not"),
    `prefix` the site's URL prefix the links were reversed under.
    """
    (date_type, date_from, date_to, number_from, number_to, parties, sort, errors) = (
        options
    )
    opts = selectors.DocketOptions(
        date_type=date_type,
        date_from=date_from,
        date_to=date_to,
        number_from=number_from,
        number_to=number_to,
        parties=parties,
        sort=sort,
        errors=["open"] if errors else [],
    )
    context = {"case": {"pk": case_id}, "opts": opts, "query_base": query_base}
    with translation.override(language):
        return {
            "nav": render_to_string("dockets/reports/_docket_nav.html", context),
            "options": render_to_string(
                "dockets/reports/_docket_options.html", context
            ),
            "rss": reverse("dockets:rss-case", kwargs={"case_id": case_id}),
            "claims": reverse("dockets:claims-register", kwargs={"case_id": case_id}),
            "associated": reverse(
                "dockets:associated-cases", kwargs={"case_id": case_id}
            ),
            "follow": reverse("dockets:follow", kwargs={"case_id": case_id}),
            "zip": reverse("dockets:case-zip", kwargs={"case_id": case_id}),
        }


def _following(request: HttpRequest, case: Case) -> bool | None:
    if not request.user.is_authenticated:
        return None
    return CaseWatch.objects.filter(
        case=case, user=request.user, kind=CaseWatch.Kind.FOLLOW
    ).exists()


@require_GET
def docket_csv(request: HttpRequest, case_id: int) -> StreamingHttpResponse:
    """The whole docket as CSV, streamed (flat memory at any size)."""
    case = _access(request, case_id)
    opts = selectors.parse_options(request.GET)
    participant = selectors.participant_for(request.user, case)
    rows = selectors.export_rows(case, opts, user=request.user, participant=participant)
    response = StreamingHttpResponse(
        exports.csv_lines(case, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="docket-{exports.file_stem(case)}.csv"'
    )
    return response


@require_GET
def docket_html(request: HttpRequest, case_id: int) -> StreamingHttpResponse:
    """The whole docket as one HTML page, streamed, in the DktRpt layout."""
    case = _access(request, case_id)
    opts = selectors.parse_options(request.GET)
    participant = selectors.participant_for(request.user, case)
    parties = selectors.party_blocks(case) if opts.parties else []
    rows = selectors.export_rows(case, opts, user=request.user, participant=participant)
    chunks = exports.html_chunks(
        request,
        case=case,
        parties=parties,
        deadlines=selectors.header_deadlines(case),
        rows=rows,
    )
    return StreamingHttpResponse(chunks, content_type="text/html; charset=utf-8")


@require_http_methods(["GET", "POST"])
def docket_pdf(request: HttpRequest, case_id: int) -> HttpResponse:
    """Ask for a PDF docket sheet (made in the background); GET shows the button."""
    case = _access(request, case_id)
    if request.method == "POST":
        job = request_docket_sheet(case=case, user=request.user)
        return redirect("dockets:docket-pdf-status", token=job.token)
    return render(request, "dockets/reports/docket_pdf.html", {"case": case})


@require_GET
def docket_pdf_status(request: HttpRequest, token: str) -> HttpResponse:
    """The progress of one docket sheet; the page refreshes itself until it is ready."""
    job = get_object_or_404(
        DocketSheetJob.objects.select_related("case", "case__office", "case__judge"),
        token=token,
    )
    if not can_see_case(request.user, job.case):
        raise Http404
    stale = job.status == DocketSheetJob.Status.DONE and exports.sheet_is_stale(job)
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                "status": job.status,
                "percent": job.percent,
                "done": job.done,
                "total": job.total,
                "ready": job.status == DocketSheetJob.Status.DONE and not stale,
            }
        )
    return render(
        request,
        "dockets/reports/docket_pdf_status.html",
        {"job": job, "case": job.case, "stale": stale},
    )


@require_GET
def docket_pdf_download(request: HttpRequest, token: str) -> FileResponse:
    """The finished sheet, unless the docket's access levels changed since it was made."""
    job = get_object_or_404(DocketSheetJob.objects.select_related("case"), token=token)
    if (
        not can_see_case(request.user, job.case)
        or job.status != DocketSheetJob.Status.DONE
        or not job.file
    ):
        raise Http404
    if exports.sheet_is_stale(job):
        raise Http404
    handle = default_storage.open(job.file.name, "rb")
    return FileResponse(
        handle,
        content_type="application/pdf",
        as_attachment=False,
        filename=f"docket-{exports.file_stem(job.case)}.pdf",
    )


@require_GET
def query(request: HttpRequest, case_id: int) -> HttpResponse:
    """The Query menu of a case (reference/cmecf.md 6.4), linking every case report."""
    case = access_case(request.user, case_id)
    links = exports.query_links(case)
    return render(
        request, "dockets/reports/query_menu.html", {"case": case, "links": links}
    )


@require_GET
def mailing_matrix(request: HttpRequest, case_id: int) -> HttpResponse:
    """Mailing Matrix by Case: raw pipe-delimited (?format=raw) or formatted labels."""
    case = access_case(request.user, case_id)
    labels = exports.matrix_labels(case)
    if request.GET.get("format") == "raw":
        body = exports.raw_matrix(case, labels, when=clock.now())
        return HttpResponse(body, content_type="text/plain; charset=utf-8")
    return render(
        request, "dockets/reports/matrix_detail.html", {"case": case, "labels": labels}
    )


@require_GET
def associated_cases(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case(request.user, case_id)
    lead = case.lead_case
    others = list(
        Case.objects.filter(lead_case_id=(lead.pk if lead else case.pk))
        .exclude(pk=case.pk)
        .select_related("office", "judge")
        .order_by("year", "number")
    )
    return render(
        request,
        "dockets/reports/associated_list.html",
        {"case": case, "lead": lead, "others": others},
    )


@require_GET
def deadlines(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case(request.user, case_id)
    rows = list(case.deadlines.order_by("due", "due_at", "id"))
    return render(
        request,
        "dockets/reports/deadline_list.html",
        {"case": case, "rows": rows, "court_tz": settings.ECF_COURT_TIME_ZONE},
    )


def _search_problem(request: HttpRequest) -> str:
    """A plain reason the search cannot run (NUL or control characters), or ""."""
    for key, values in request.GET.lists():
        for value in (key, *values):
            problem = text.query_problem(value)
            if problem:
                return problem
    return ""


@handles_control_characters
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Full-text search of docket text across the court, newest first.

    NUL or control characters in the query give no results and a message."""
    q = request.GET.get("q", "")
    problem = _search_problem(request)
    page = (
        entry_search.SearchPage([], "")
        if problem
        else entry_search.search_entries(
            user=request.user, q=q, after=request.GET.get("after", "")
        )
    )
    docs = (
        PageResults([], "")
        if problem
        else search_pages(
            user=request.user,
            query=entry_search.text_query(q),
            after=request.GET.get("dafter", ""),
        )
    )
    return render(
        request,
        "dockets/reports/search_results.html",
        {
            "q": text.normalize(q, multiline=False).strip(),
            "page": page,
            "hits_html": entry_search.hits_html(page.hits),
            "docs": docs,
            "docs_html": entry_search.page_hits_html(docs.hits),
            "case": None,
            "problem": problem,
        },
    )


@handles_control_characters
@require_GET
def case_search_text(request: HttpRequest, case_id: int) -> HttpResponse:
    """Full-text search of the docket text of one case (control characters as above)."""
    case = _access_case(request, case_id)
    q = request.GET.get("q", "")
    problem = _search_problem(request)
    if problem:
        page, docs = entry_search.SearchPage([], ""), PageResults([], "")
    else:
        participant = selectors.participant_for(request.user, case)
        page = entry_search.search_entries(
            user=request.user,
            q=q,
            case=case,
            participant=participant,
            after=request.GET.get("after", ""),
        )
        docs = search_pages(
            user=request.user,
            query=entry_search.text_query(q),
            case=case,
            participant=participant,
            after=request.GET.get("dafter", ""),
        )
    return render(
        request,
        "dockets/reports/search_results.html",
        {
            "q": text.normalize(q, multiline=False).strip(),
            "page": page,
            "hits_html": entry_search.hits_html(page.hits),
            "docs": docs,
            "docs_html": entry_search.page_hits_html(docs.hits),
            "case": case,
            "problem": problem,
        },
    )


@login_required
@require_POST
def follow(request: AuthedRequest, case_id: int) -> HttpResponse:
    """Start or stop following a case (an e-mail for each new public entry)."""
    case = access_case(request.user, case_id)
    on = request.POST.get("follow") == "1"
    set_following(case=case, user=request.user, on=on)
    if on:
        messages.success(
            request,
            f"You now follow {case.display_number}: each new public entry is e-mailed to you.",
        )
    else:
        messages.success(request, f"You no longer follow {case.display_number}.")
    return redirect("dockets:docket", case_id=case.pk)


# -- Reports for filers and clerks -----------------------------------------------------


def _require_filer_or_court(request: AuthedRequest) -> None:
    if request.user.filer_or_none is None:
        raise Http404


def _range(request: HttpRequest) -> tuple[dt.date, dt.date, list[str]]:
    today = clock.today()
    errors = []
    try:
        date_from = selectors._date(
            request.GET.get("date_from", "")
        ) or today - dt.timedelta(days=30)
    except ValueError:
        errors.append("From date: enter a date like 01/31/2026.")
        date_from = today - dt.timedelta(days=30)
    try:
        date_to = selectors._date(request.GET.get("date_to", "")) or today
    except ValueError:
        errors.append("To date: enter a date like 01/31/2026.")
        date_to = today
    if date_from > date_to:
        errors.append(
            "The From date is after the To date; showing the last 30 days instead."
        )
        date_from, date_to = today - dt.timedelta(days=30), today
    if (date_to - date_from).days > 366:
        errors.append("Reports cover at most one year; the From date was moved.")
        date_from = date_to - dt.timedelta(days=366)
    return date_from, date_to, errors


REPORTS = [
    ("dockets:report-cases-filed", "Cases filed", "New cases filed in a date range."),
    (
        "dockets:report-docket-activity",
        "Docket activity",
        "Docket entries filed in a date range, in every case.",
    ),
    (
        "dockets:report-claims-activity",
        "Claims activity",
        "Claims filed, amended, withdrawn or transferred.",
    ),
    (
        "dockets:report-calendar",
        "Hearing calendar",
        "Hearings per judge, by date and time.",
    ),
]


@login_required
@require_GET
def report_index(request: AuthedRequest) -> HttpResponse:
    _require_filer_or_court(request)
    return render(request, "dockets/reports/report_index.html", {"reports": REPORTS})


@login_required
@require_GET
def report_cases_filed(request: AuthedRequest) -> HttpResponse:
    _require_filer_or_court(request)
    date_from, date_to, errors = _range(request)
    chapter = request.GET.get("chapter", "")
    if chapter not in Case.Chapter.values:
        chapter = ""
    rows = activity.cases_filed(
        user=request.user, date_from=date_from, date_to=date_to, chapter=chapter
    )
    return render(
        request,
        "dockets/reports/report_cases_filed.html",
        {
            "rows": rows,
            "date_from": date_from,
            "date_to": date_to,
            "errors": errors,
            "chapter": chapter,
            "chapters": Case.Chapter.choices,
            "limit": activity.REPORT_LIMIT,
        },
    )


@login_required
@require_GET
def report_docket_activity(request: AuthedRequest) -> HttpResponse:
    _require_filer_or_court(request)
    date_from, date_to, errors = _range(request)
    rows = activity.docket_activity(
        user=request.user, date_from=date_from, date_to=date_to
    )
    return render(
        request,
        "dockets/reports/report_docket_activity.html",
        {
            "rows": rows,
            "date_from": date_from,
            "date_to": date_to,
            "errors": errors,
            "limit": activity.REPORT_LIMIT,
        },
    )


@login_required
@require_GET
def report_claims_activity(request: AuthedRequest) -> HttpResponse:
    _require_filer_or_court(request)
    date_from, date_to, errors = _range(request)
    rows = activity.claims_activity(
        user=request.user, date_from=date_from, date_to=date_to
    )
    return render(
        request,
        "dockets/reports/report_claims_activity.html",
        {
            "rows": rows,
            "date_from": date_from,
            "date_to": date_to,
            "errors": errors,
            "limit": activity.REPORT_LIMIT,
        },
    )


@login_required
@require_GET
def report_calendar(request: AuthedRequest) -> HttpResponse:
    _require_filer_or_court(request)
    date_from, date_to, errors = _range(request)
    judges = list(Judge.objects.filter(active=True).order_by("name"))
    asked = request.GET.get("judge", "")
    judge_id = (
        int(asked)
        if asked.isdigit() and any(j.pk == int(asked) for j in judges)
        else None
    )
    rows = activity.hearing_calendar(
        user=request.user, date_from=date_from, date_to=date_to, judge_id=judge_id
    )
    return render(
        request,
        "dockets/reports/report_calendar.html",
        {
            "rows": rows,
            "date_from": date_from,
            "date_to": date_to,
            "errors": errors,
            "judges": judges,
            "judge_id": judge_id,
            "court_tz": settings.ECF_COURT_TIME_ZONE,
            "limit": activity.REPORT_LIMIT,
        },
    )


def docket_url(case_id: int) -> str:
    return reverse("dockets:docket", kwargs={"case_id": case_id})
