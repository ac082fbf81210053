"""Official Form 410 (Proof of Claim) as a PDF, generated from what the filer entered.

Pure: a template render plus WeasyPrint, no database. A claim whose answers fit is
drawn on the form's fixed layout (form410_fixed: laid out once per process, the
answers written into its boxes); any other is laid out in full (render_form410_full). The PDF is tagged (PDF/UA-1)
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
from django.utils.html import escape
from django.utils.safestring import mark_safe

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


@dataclass(frozen=True)
class Cell:
    """One answer of the form as the lines it shows (escaped, joined by line breaks).

    `style` is the cell's inline style: empty, except on the fixed layout
    (form410_fixed), where a cell reserves the height of the lines it may hold.
    """

    lines: tuple[str, ...]
    style: str = ""

    def __str__(self) -> str:
        return mark_safe("<br>".join(escape(line) for line in self.lines))  # noqa: S308 (each line escaped)


def _date(value: dt.date | None) -> str:
    return value.strftime("%m/%d/%Y") if value else ""


def form410_cells(data: Form410Data) -> dict[str, tuple[str, ...]]:
    """The lines of every answer of the form, in the form's order.

    One function for what each answer says: the HTML form (full render and ePOC
    review) and the fixed layout draw exactly these lines.
    """
    address = [x for x in data.creditor_address.splitlines() if x.strip()]
    if data.creditor_phone:
        address.append(f"Contact phone: {data.creditor_phone}")
    if data.creditor_email:
        address.append(f"Contact email: {data.creditor_email}")
    payment_lines = [x for x in data.payment_address.splitlines() if x.strip()]
    if data.payment_name or payment_lines:
        payment = [data.payment_name, *payment_lines]
    else:
        payment = ["Same as the notice address"]
    secured = [money(data.secured_cents)]
    if data.arrearage_cents:
        secured.append(
            "Amount necessary to cure any default as of the date of the petition: "
            + money(data.arrearage_cents)
        )
    if data.mortgage:
        secured.append(
            "Secured by the debtor's principal residence: Form 410A attached."
        )
    priority = [money(data.priority_cents)]
    if data.priority_basis:
        priority.append(f"Basis: {data.priority_basis}")
    name_title = data.signer_name + (
        f", {data.signer_title}" if data.signer_title else ""
    )
    return {
        "court": (f"United States Bankruptcy Court for the {data.court_name}",),
        "debtor": (f"Debtor: {data.debtor}",),
        "case": (f"Case number: {data.case_number}",),
        "creditor": (data.creditor_name,),
        "notice": tuple(address),
        "payment": tuple(payment),
        "amends": (
            f"Yes. Claim number on court claims registry: {data.amends_claim}"
            if data.amends_claim
            else "No",
        ),
        "last4": (data.account_last4 or "None given",),
        "amount": (money(data.amount_cents),),
        "interest": (
            "Yes. An itemized statement of interest, fees, expenses or other charges"
            " is attached (Bankruptcy Rule 3001(c)(2)(A))."
            if data.interest_fees
            else "No",
        ),
        "basis": (data.basis,),
        "incurred": (_date(data.debt_incurred) or "Not given",),
        "secured": tuple(secured),
        "priority": tuple(priority),
        "admin": (money(data.admin_cents),),
        "unsecured": (money(data.unsecured_cents),),
        "attachments": tuple(data.attachments) or ("None",),
        "signature": (f"/s/ {data.signer_name}",),
        "name_title": (name_title,),
        "executed": (_date(data.signed_on),),
    }


def form410_title(data: Form410Data) -> str:
    """The PDF's title (its <title>, the document's Title and XMP dc:title)."""
    return (
        f"Official Form 410 Proof of Claim, {data.creditor_name}, "
        f"case {data.case_number}"
    )


def _context(data: Form410Data) -> dict:
    return {
        "c": {name: Cell(lines) for name, lines in form410_cells(data).items()},
        "title": form410_title(data),
        "amends": data.amends_claim,
        "epoc": data.epoc,
        "signed": bool(data.signer_name),
        "mortgage_rows": _mortgage_rows(data.mortgage),
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
    """Return Form 410 as PDF bytes (PDF/UA-1), in English, with its page count.

    Drawn on the form's fixed layout (form410_fixed: the form laid out once per
    process, the answers written into its boxes) when the answers fit it, else laid
    out in full by WeasyPrint: either way the same form, every answer in it.
    """
    from .form410_fixed import render_fixed

    return render_fixed(data) or render_form410_full(data)


def render_form410_full(data: Form410Data) -> RenderedForm:
    """Form 410 laid out in full by WeasyPrint (answers of any length, any script)."""
    html = form410_html(data)
    stylesheet, fonts = _style()
    with _collector_paused():
        document = _form_html()(string=html).render(
            stylesheets=[stylesheet], font_config=fonts, pdf_variant="pdf/ua-1"
        )
        pdf = document.write_pdf(pdf_variant="pdf/ua-1")
    return RenderedForm(pdf=pdf, pages=len(document.pages))
