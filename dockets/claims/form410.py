"""Official Form 410 (Proof of Claim) as a PDF, generated from what the filer entered.

Pure: a template render plus WeasyPrint, no database. The PDF is tagged (PDF/UA-1)
with <html lang> and <title>, so a screen reader can read the filed claim.
Official Form 410 is the court's form: it is always rendered in English, whatever
language the filer reads the site in (the ePOC review page shows the same English text
before the filer signs).
Runs before the filing transaction, never under the case lock (STYLE.md 7.7).

Speed (a claims upload files up to 25 claims a batch, 1,000 in a few minutes): the
form's style sheet is parsed once per process with one font configuration (fonts
looked up once), its tables use a fixed layout (no measuring of every cell's text),
the page count comes from WeasyPrint's own layout instead of parsing the PDF again,
and its user-agent style sheet is the form's own (form410_ua.css: WeasyPrint's rules for
the dozen elements the form uses, drawing the same PDF).
A render makes some 200,000 short-lived objects: Python's cyclic garbage collector is
paused for its length (_collector_paused), so it runs once afterwards instead of about
a dozen times during it, and a full collection over the whole worker's heap is not
started by the form's own allocations (measured: about 5% of a render's CPU).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation

from dockets.text import money

from .form410a import FORM_410A_LINES


@dataclass
class Form410Data:
    """The answers of Form 410, in the form's own order (Parts 1 to 3)."""

    court_name: str
    case_number: str
    debtor: str
    creditor_name: str
    creditor_address: str
    amount_cents: int
    basis: str
    creditor_email: str = ""
    creditor_phone: str = ""
    payment_name: str = ""
    payment_address: str = ""
    account_last4: str = ""
    interest_fees: bool = False
    secured_cents: int = 0
    priority_cents: int = 0
    priority_basis: str = ""
    unsecured_cents: int = 0
    admin_cents: int = 0
    debt_incurred: dt.date | None = None
    amends_claim: str = ""
    signer_name: str = ""
    signer_title: str = ""
    signed_on: dt.date | None = None
    epoc: bool = False
    attachments: list[str] = field(default_factory=list)
    arrearage_cents: int | None = None
    mortgage: object | None = None  # dockets.claims.form410a.Form410A


def _mortgage_rows(mortgage) -> list[tuple[str, str]]:
    if mortgage is None:
        return []
    return [
        (str(label), money(getattr(mortgage, name))) for name, label in FORM_410A_LINES
    ]


TEMPLATES = Path(__file__).resolve().parents[2] / "templates/dockets/claims"
STYLESHEET = TEMPLATES / "form410_pdf.css"
# The rules of WeasyPrint's user-agent sheet for the elements the form uses (see the file).
UA_STYLESHEET = TEMPLATES / "form410_ua.css"


@functools.cache
def _style():
    """The parsed style sheet and its font configuration, made once per process."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    return CSS(string=STYLESHEET.read_text(encoding="utf-8"), font_config=fonts), fonts


@functools.cache
def _form_html() -> type:
    """WeasyPrint's HTML document, with the form's own user-agent style sheet.

    WeasyPrint matches every element against each rule of its user-agent sheet, some
    300 of them for every HTML element there is; the form uses a dozen elements
    (measured: about 8% of a render's work). Made once per process.
    """
    from weasyprint import CSS, HTML

    ua = CSS(string=UA_STYLESHEET.read_text(encoding="utf-8"), font_config=_style()[1])

    class FormHTML(HTML):
        def _ua_stylesheets(self, forms=False):
            return [ua]

    return FormHTML


@dataclass(frozen=True)
class RenderedForm:
    pdf: bytes
    pages: int


def _context(data: Form410Data) -> dict:
    return {
        "d": data,
        "amount": money(data.amount_cents),
        "secured": money(data.secured_cents),
        "priority": money(data.priority_cents),
        "unsecured": money(data.unsecured_cents),
        "admin": money(data.admin_cents),
        "address_lines": [x for x in data.creditor_address.splitlines() if x.strip()],
        "arrearage": money(data.arrearage_cents) if data.arrearage_cents else "",
        "mortgage_rows": _mortgage_rows(data.mortgage),
        "payment_lines": [x for x in data.payment_address.splitlines() if x.strip()],
    }


def form410_preview_html(data: Form410Data) -> str:
    """Return the body of Form 410 as HTML (in English), for a page that shows it.

    Its headings start at level 2, under the page's own title.
    """
    with translation.override("en"):
        return render_to_string(
            "dockets/claims/_form410_body.html", {**_context(data), "h": 2, "hh": 3}
        )


def form410_html(data: Form410Data) -> str:
    """The form's HTML, in English (its style sheet is applied separately, see _style)."""
    with translation.override("en"):
        return render_to_string("dockets/claims/form410_pdf.html", _context(data))


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for one render, and turn it back on after.

    Reference counting still frees almost everything a render makes as it goes; the
    few cycles it leaves are young, and the next collection (the first allocation
    after this, the allocation count being past its threshold) frees them. The
    collector is turned back on whatever happens, unless it was already off.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def render_form410(data: Form410Data) -> RenderedForm:
    """Return Form 410 as PDF bytes (PDF/UA-1), in English, with its page count."""
    html = form410_html(data)
    stylesheet, fonts = _style()
    with _collector_paused():
        document = _form_html()(string=html).render(
            stylesheets=[stylesheet], font_config=fonts, pdf_variant="pdf/ua-1"
        )
        pdf = document.write_pdf(pdf_variant="pdf/ua-1")
    return RenderedForm(pdf=pdf, pages=len(document.pages))
