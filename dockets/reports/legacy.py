"""CM/ECF-compatible addresses (/cgi-bin/...), so existing parsers, bookmarks and
archiving extensions keep working. Each one hands over to the real page.

CM/ECF puts the case id alone in the query string (`DktRpt.pl?1952574`), sometimes
followed by report parameters (`DktRpt.pl?1952574-L_1_0-1`); the leading digits are
the case id.
"""

from __future__ import annotations

import re

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.html import escape
from django.views.decorators.http import require_GET

from cases.numbers import parse_case_number
from cases.permissions import access_case
from cases.selectors import cases_visible_to

_LEADING_ID = re.compile(r"^(?:caseid=|case_id=)?([0-9]{1,12})")


def _case_id(request: HttpRequest) -> int:
    raw = request.META.get("QUERY_STRING", "")
    match = _LEADING_ID.match(raw)
    if match is None:
        raise Http404
    return int(match.group(1))


@require_GET
def dktrpt(request: HttpRequest) -> HttpResponse:
    return redirect("dockets:docket", case_id=_case_id(request))


@require_GET
def iquery(request: HttpRequest) -> HttpResponse:
    return redirect("dockets:query", case_id=_case_id(request))


@require_GET
def cred_matrix(request: HttpRequest) -> HttpResponse:
    return redirect("dockets:mailing-matrix", case_id=_case_id(request))


@require_GET
def mobile_query(request: HttpRequest) -> HttpResponse:
    """The free count of docket entries (numbered or not) of a case."""
    case = access_case(request.user, _case_id(request))
    body = (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Docket entries</title></head>"
        f"<body><main><h1>{escape(case.display_number)} {escape(case.title)}</h1>"
        f"<p>Number of docket entries: <span id='entry-count'>{case.last_entry_seq}</span></p></main></body></html>"
    )
    return HttpResponse(body)


@require_GET
def possible_case_numbers(request: HttpRequest) -> HttpResponse:
    """XML list of cases matching a case number, as CM/ECF's lookup returns it:
    `<request number='…'><case number='…' id='…' title='…' sortable='…'/></request>`."""
    raw = request.GET.get("number") or request.META.get("QUERY_STRING", "")
    from urllib.parse import unquote_plus

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
