"""Whole-docket exports (CSV, streamed HTML), the mailing matrix and the Query menu.

The streamed exports never hold the docket in memory: rows arrive from
selectors.export_rows 2,000 at a time and leave as text at once (performance.md P6).
"""

from __future__ import annotations

import datetime as dt
import html
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urlencode

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from cases.models import Case, Party
from core import csvsafe
from dockets.models import DocketEntryRevision
from dockets.text import attachment_clause

from .selectors import DocketOptions, EntryRow


def file_stem(case: Case) -> str:
    return case.long_number.replace(":", "-").replace(" ", "-")


def query_string(opts: DocketOptions) -> str:
    """The report options as a query string (without cursors), for page and export links."""
    params: dict[str, str] = {"sort": opts.sort, "date_type": opts.date_type}
    if opts.date_from:
        params["date_from"] = opts.date_from.isoformat()
    if opts.date_to:
        params["date_to"] = opts.date_to.isoformat()
    if opts.number_from is not None:
        params["number_from"] = str(opts.number_from)
    if opts.number_to is not None:
        params["number_to"] = str(opts.number_to)
    params["parties"] = "1" if opts.parties else "0"
    params["submitted"] = "1"
    return urlencode(params)


def document_url(document_id: int) -> str:
    return reverse("dockets:document", kwargs={"document_id": document_id})


def _mdy(day) -> str:
    """MM/DD/YYYY without strftime (the slowest call of a 70,000-row export)."""
    return f"{day.month:02d}/{day.day:02d}/{day.year}"


CSV_HEADER = ["Filing Date", "#", "Docket Text", "Entered", "Document", "Attachments"]


def csv_lines(case: Case, rows: Iterable[EntryRow]) -> Iterator[str]:
    """Yield the CSV text: a header, then the entries in slabs of 500 lines (one
    chunk per slab keeps the response's per-chunk cost off the per-row path)."""
    buffer = io.StringIO()
    writer = csvsafe.writer(buffer)
    writer.writerow(CSV_HEADER)
    doc = _doc_url_template()
    for i, row in enumerate(rows, 1):
        main = row.main if row.main is not None and row.main.readable else None
        attachments = " ".join(
            f"{a.sequence}:{doc.replace(_PLACEHOLDER, str(a.id))}"
            if a.readable
            else f"{a.sequence}:sealed"
            for a in row.attachments
        )
        writer.writerow(
            [
                _mdy(row.filed_date),
                row.number or "",
                row.text,
                _mdy(row.entered_date),
                doc.replace(_PLACEHOLDER, str(main.id)) if main else "",
                attachments,
            ]
        )
        if i % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _escape(text: str) -> str:
    """django.utils.html.escape's result (it is html.escape of the text) without its
    lazy-string wrapper, which costs more than the escaping on a 100-row page."""
    return html.escape(str(text))


_PLACEHOLDER = "987654321"
_DOC_URL_CACHE: dict[str, str] = {}


def _doc_url_template() -> str:
    """The document URL with a placeholder, reversed once (reverse() per row is slow)."""
    if "t" not in _DOC_URL_CACHE:
        _DOC_URL_CACHE["t"] = reverse(
            "dockets:document", kwargs={"document_id": int(_PLACEHOLDER)}
        )
    return _DOC_URL_CACHE["t"]


def row_html(row: EntryRow) -> str:
    """One docket row as CM/ECF prints it: `Filing Date | # | Docket Text`, with the
    document link on the number, attachment links in the text, and "(Entered: ...)".

    Built in Python rather than a template include per row: on a 100-row page the
    include costs more than the page's queries (performance.md P5).
    """
    doc = _doc_url_template()
    number = str(row.number) if row.number else "&nbsp;"
    main = row.main if row.main is not None and row.main.readable else None
    if row.number and main is not None:
        url = doc.replace(_PLACEHOLDER, str(main.id))
        number = f'<a href="{url}">{row.number}</a>'
        if main.page_count:
            number += f' <span class="meta">({main.page_count} pgs)</span>'
    text = _escape(row.text)
    if not row.number and main is not None:
        text += f' (<a href="{doc.replace(_PLACEHOLDER, str(main.id))}">Document</a>)'
    if row.attachments:
        parts = []
        for a in row.attachments:
            label = f"# {a.sequence} {_escape(a.description)}"
            if a.readable:
                parts.append(
                    f'<a href="{doc.replace(_PLACEHOLDER, str(a.id))}">{label}</a>'
                )
            else:
                parts.append(f'{label} <span class="meta">(not available)</span>')
        linked = "(Attachments: " + " ".join(parts) + ")"
        # The docket text already lists the attachments (dockets.text): link them
        # there, once; only a text without the list gets it appended.
        plain = _escape(attachment_clause([a.description for a in row.attachments]))
        if plain in text:
            text = text.replace(plain, linked, 1)
        else:
            text += " " + linked
    if row.modified_on:
        text += f" Modified on {row.modified_on.month}/{row.modified_on.day}/{row.modified_on.year}"
    text += f" (Entered: {_mdy(row.entered_date)})"
    css = "" if row.shown else ' class="sealed"'
    return (
        f"<tr{css}><td>{_mdy(row.filed_date)}</td><td>{number}</td>"
        f'<td class="docket-text">{text}</td></tr>\n'
    )


def rows_html(rows: Iterable[EntryRow]) -> SafeString:
    return mark_safe("".join(row_html(r) for r in rows))  # noqa: S308 (every value escaped above)


def html_chunks(
    request, *, case: Case, parties, deadlines, rows: Iterable[EntryRow]
) -> Iterator[str]:
    """Yield the whole docket report as HTML: head, 500-row slabs of the table, tail."""
    head = render_to_string(
        "dockets/reports/docket_export_head.html",
        {"case": case, "parties": parties, "deadlines": deadlines},
        request=request,
    )
    yield head
    buffer = io.StringIO()
    for i, row in enumerate(rows, 1):
        buffer.write(row_html(row))
        if i % 500 == 0:
            yield buffer.getvalue()
            buffer = io.StringIO()
    yield buffer.getvalue()
    yield render_to_string(
        "dockets/reports/docket_export_tail.html", {"case": case}, request=request
    )


def sheet_is_stale(job) -> bool:
    """True if a clerk changed any entry of the case (sealing, text) after the job began.

    A sheet made before a sealing must not be served after it.
    """
    return DocketEntryRevision.objects.filter(
        entry__case_id=job.case_id, changed_at__gte=job.created_at
    ).exists()


# -- The Query menu ------------------------------------------------------------------


@dataclass
class QueryLink:
    label: str
    url: str
    note: str = ""


def _url(name: str, **kwargs) -> str:
    return reverse(name, kwargs=kwargs)


def query_links(case: Case) -> list[QueryLink]:
    """The case's reports, in the order of CM/ECF's Bankruptcy Query menu."""
    cid = case.pk
    items = [
        QueryLink("Associated Cases", _url("dockets:associated-cases", case_id=cid)),
        QueryLink(
            "Case Summary",
            _url("cases:summary", case_id=cid),
            "Header, parties and attorneys",
        ),
        QueryLink("Claims Register", _url("dockets:claims-register", case_id=cid)),
        QueryLink("Deadline/Schedule", _url("dockets:deadlines", case_id=cid)),
        QueryLink("Docket Report", _url("dockets:docket", case_id=cid)),
        QueryLink("Docket Report as a PDF", _url("dockets:docket-pdf", case_id=cid)),
        QueryLink("Docket Report as CSV", _url("dockets:docket-csv", case_id=cid)),
        QueryLink(
            "Mailing Matrix by Case", _url("dockets:mailing-matrix", case_id=cid)
        ),
        QueryLink(
            "Mailing Matrix by Case (raw)",
            _url("dockets:mailing-matrix", case_id=cid) + "?format=raw",
        ),
        QueryLink(
            "Parties and Attorneys", _url("cases:summary", case_id=cid) + "#parties"
        ),
        QueryLink(
            "Search the docket text", _url("dockets:case-search-text", case_id=cid)
        ),
        QueryLink("RSS feed of this case", _url("dockets:rss-case", case_id=cid)),
    ]
    return [
        i
        for i in items
        if i.url and not i.url.startswith("?") and not i.url.startswith("#")
    ]


# -- Mailing matrix (reference/cmecf.md 2.4) -----------------------------------------


def matrix_labels(case: Case) -> list[list[str]]:
    """One label (lines) per noticing address: parties not terminated, debtors first."""
    order: dict[str, int] = {
        Party.Role.DEBTOR: 0,
        Party.Role.JOINT_DEBTOR: 1,
        Party.Role.DEBTOR_IN_POSSESSION: 2,
    }
    parties = case.parties.filter(terminated_on__isnull=True).order_by("id")
    labels = []
    for party in sorted(parties, key=lambda p: (order.get(p.role, 9), p.pk)):
        lines = [line for line in party.mailing_lines if line.strip()]
        if len(lines) > 1:
            labels.append(lines)
    return labels


def _pipe(fields: list[str]) -> str:
    fields = [f.replace("|", "/").replace("\n", " ") for f in fields]
    fields = (
        (fields + [""] * 7)[:7]
        if len(fields) <= 7
        else [*fields[:6], " ".join(fields[6:])]
    )
    return "|".join(fields) + "|"


def raw_matrix(case: Case, labels: list[list[str]], *, when: dt.datetime) -> str:
    """The raw "Mailing Matrix by Case": `1|Label Matrix for local noticing|...`, one line
    per address, `N|End of Label Matrix|Total addresses K|||||` last."""
    stamp = when.strftime("%a %b %d %H:%M:%S %Z %Y")
    district = case.court.district
    lines = [
        _pipe(
            [
                "1",
                "Label Matrix for local noticing",
                f"{case.court.code}-{case.office.number}",
                f"Case {case.long_number}",
                district,
                case.office.name,
                stamp,
            ]
        )
    ]
    for i, label in enumerate(labels, 2):
        lines.append(_pipe([str(i), *label]))
    end = len(labels) + 2
    lines.append(
        _pipe([str(end), "End of Label Matrix", f"Total addresses {len(labels)}"])
    )
    return "\n".join(lines) + "\n"
