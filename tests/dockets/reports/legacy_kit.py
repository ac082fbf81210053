"""Helpers for the CM/ECF conformance tests: parse ECF's legacy reports and NEFs with
juriscraper (the parser CourtListener/RECAP uses on real CM/ECF output) and read the
modern docket page independently, so the two can be compared field by field."""

from __future__ import annotations

import datetime as dt
import email.message
import re
from typing import Any, cast

from juriscraper.pacer import (
    CaseQuery,
    ClaimsRegister,
    DocketReport,
    ListOfCreditors,
    MobileQuery,
    PacerRssFeed,
)
from juriscraper.pacer.email import S3NotificationEmail
from lxml import html as lxml_html
from lxml.html import HtmlElement

COURT = "casb"


def body(response) -> str:
    assert response.status_code == 200, response.status_code
    assert not response.has_header("Location")
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def _parsed(report_class: Any, text: str) -> Any:
    """What one of juriscraper's report parsers reads from `text` (a saved page, as
    RECAP parses it)."""
    report = report_class(COURT)
    report._parse_text(text)
    return report.data


def parse_docket(text: str) -> dict:
    return _parsed(DocketReport, text)


def parse_claims(text: str) -> dict:
    return _parsed(ClaimsRegister, text)


def parse_rss(text: str) -> list[dict]:
    return _parsed(PacerRssFeed, text)


def parse_case_query(text: str) -> dict:
    return _parsed(CaseQuery, text)


def parse_mobile(text: str) -> dict:
    return _parsed(MobileQuery, text)


def parse_matrix(text: str) -> dict:
    return _parsed(ListOfCreditors, text)


def parse_nef(*, subject: str, html: str | None = None, text: str | None = None):
    """Parse an NEF as juriscraper reads a received e-mail (one MIME part)."""
    message = email.message.EmailMessage()
    message["Subject"] = subject
    message["From"] = "noreply@ecf.test"
    if html is not None:
        message.set_content(html, subtype="html")
    else:
        message.set_content(text)
    return _parsed(S3NotificationEmail, message.as_string())


def squash(value: str) -> str:
    return " ".join((value or "").split())


def mdy(day: dt.date) -> str:
    return f"{day.month:02d}/{day.day:02d}/{day.year}"


def _date(mdy_text: str) -> dt.date:
    month, day, year = (int(p) for p in mdy_text.split("/"))
    return dt.date(year, month, day)


def _elements(node: HtmlElement, path: str) -> list[HtmlElement]:
    """The elements an XPath that selects elements finds (lxml types xpath() as any result)."""
    return cast(list[HtmlElement], node.xpath(path))


def modern_rows(page_html: str) -> list[dict]:
    """The rows of the modern docket page's table, read with lxml (no juriscraper)."""
    tree = lxml_html.fromstring(page_html)
    rows = []
    for tr in _elements(tree, '//table[contains(@class, "docket-table")]//tr[td]'):
        cells = _elements(tr, "./td")
        if len(cells) != 3:
            continue
        number = squash(cells[1].text_content()).split(" ")[0]
        rows.append(
            {
                "date_filed": _date(squash(cells[0].text_content())),
                "number": number or None,
                "text": squash(cells[2].text_content()),
            }
        )
    return rows


RESTRICTION_NOTE = re.compile(
    r" \*\* RESTRICTED DOCUMENT \*\*( Remote electronic access to this document is "
    r"restricted until \d\d/\d\d/\d{4}\.)?"
)


def without_restriction_note(text: str) -> str:
    return RESTRICTION_NOTE.sub("", text)
