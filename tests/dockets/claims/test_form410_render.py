"""Form 410 as filed: a tagged PDF (PDF/UA-1) whose page count is the one stamped."""

import datetime as dt
import io
from typing import Any

import pytest
from pdfmaker import pdf_dict
from pypdf import PdfReader

from dockets.claims.form410 import Form410Data, render_form410


def _data(**overrides) -> Form410Data:
    values: dict[str, Any] = {
        "court_name": "Southern District of California",
        "case_number": "3:26-bk-00001",
        "debtor": "Maria L. Gonzalez",
        "creditor_name": "Coastal Federal Credit Union",
        "creditor_address": "P.O. Box 9000\nSan Diego, CA 92169",
        "amount_cents": 3_261_140,
        "secured_cents": 1_000_000,
        "unsecured_cents": 2_261_140,
        "basis": "Money loaned",
        "signer_name": "Pat Creditor",
        "signed_on": dt.date(2026, 12, 4),
    }
    values.update(overrides)
    return Form410Data(**values)


def test_form_410_is_a_tagged_pdf_with_its_true_page_count_and_every_answer():
    rendered = render_form410(_data())
    reader = PdfReader(io.BytesIO(rendered.pdf))
    assert rendered.pages == len(reader.pages)
    root = reader.root_object
    assert "/StructTreeRoot" in root and pdf_dict(root["/MarkInfo"])["/Marked"]
    text = " ".join(page.extract_text() for page in reader.pages)
    for answer in ("Coastal Federal Credit Union", "$32,611.40", "Money loaned"):
        assert answer in text


def test_a_long_unbroken_answer_wraps_inside_its_cell_and_is_kept_whole():
    """The fixed table layout must not clip text a filer typed: it wraps instead."""
    email = "a" * 150 + "@example.com"
    rendered = render_form410(_data(creditor_email=email))
    reader = PdfReader(io.BytesIO(rendered.pdf))
    assert rendered.pages == len(reader.pages)
    lines = [line for page in reader.pages for line in page.extract_text().splitlines()]
    # Wrapped inside the answer column: no line runs off the page.
    assert max(len(line) for line in lines) < 130
    assert email in "".join(line.replace(" ", "") for line in lines)


def test_form_410_carries_every_answer_the_filer_gave_as_plain_text():
    """Every field the creditor entered reaches the filed PDF, as the words typed:
    markup in a name is text, not markup, and a formula stays a formula's text."""
    rendered = render_form410(
        _data(
            creditor_name="<b>Acme</b> & Sons =HYPERLINK(1)",
            creditor_email="billing@acme.test",
            creditor_phone="619-555-0100",
            payment_name="Acme Lockbox",
            payment_address="P.O. Box 77\nDallas, TX 75201",
            account_last4="4321",
            interest_fees=True,
            priority_cents=150_000,
            priority_basis="Wages 507(a)(4)",
            admin_cents=25_000,
            debt_incurred=dt.date(2025, 3, 14),
            amends_claim="3-1",
            signer_title="Collections Manager",
            attachments=["Itemized statement.pdf", "Security agreement.pdf"],
            arrearage_cents=120_000,
        )
    )
    reader = PdfReader(io.BytesIO(rendered.pdf))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    for answer in (
        "Southern District of California",
        "3:26-bk-00001",
        "Maria L. Gonzalez",
        "<b>Acme</b> & Sons =HYPERLINK(1)",
        "P.O. Box 9000",
        "San Diego, CA 92169",
        "billing@acme.test",
        "619-555-0100",
        "Acme Lockbox",
        "P.O. Box 77",
        "Dallas, TX 75201",
        "4321",
        "$32,611.40",
        "$10,000",
        "$1,500",
        "Wages 507(a)(4)",
        "$250",
        "$22,611.40",
        "$1,200",
        "Money loaned",
        "03/14/2025",
        "This claim amends claim 3-1",
        "Itemized statement.pdf",
        "Security agreement.pdf",
        "/s/ Pat Creditor",
        "Pat Creditor, Collections Manager",
        "12/04/2026",
        "An itemized statement of interest",
    ):
        assert answer in text, answer


def test_the_garbage_collector_is_back_on_after_a_render_even_a_failed_one(
    monkeypatch,
):
    """A render pauses Python's garbage collector; a worker left without it would
    grow until it is killed, so it is turned back on after every render."""
    import gc

    from dockets.claims import form410

    render_form410(_data())
    assert gc.isenabled()

    def broken(self, *args, **kwargs):
        assert not gc.isenabled(), "paused while WeasyPrint renders"
        raise RuntimeError("layout failed")

    monkeypatch.setattr("weasyprint.HTML.render", broken)
    with pytest.raises(RuntimeError, match="layout failed"):
        form410.render_form410_full(_data())
    assert gc.isenabled()


def test_a_typical_claim_is_one_page_in_one_font_family():
    """The declaration and its signature stay on one page with the answers, and the
    footer is set in the form's own font (no second font family embedded for it)."""
    rendered = render_form410(
        _data(
            creditor_address="Attn: Bankruptcy Dept\nP.O. Box 9000\nSan Diego, CA 92169",
            creditor_phone="619-555-0100",
            creditor_email="claims@coastal.test",
            account_last4="1234",
        )
    )
    reader = PdfReader(io.BytesIO(rendered.pdf))
    assert rendered.pages == len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "/s/ Pat Creditor" in text and "page 1 of 1" in text
    fonts = {
        str(pdf_dict(font)["/BaseFont"]).split("+")[-1]
        for font in pdf_dict(pdf_dict(reader.pages[0]["/Resources"])["/Font"]).values()
    }
    assert fonts and all(name.startswith("DejaVu-Sans") for name in fonts), fonts


def test_the_forms_own_user_agent_sheet_draws_what_weasyprints_full_one_draws():
    """Form 410 renders with a short user-agent sheet (form410_ua.css) made for the
    elements it uses: every page must be drawn exactly as with WeasyPrint's full
    sheet, with the same bookmarks, whatever parts the filer's answers bring in."""
    from test_form410a import GOOD
    from weasyprint import HTML

    from dockets.claims import form410
    from dockets.claims.form410a import Form410A

    data = _data(
        creditor_email="claims@coastal.test",
        creditor_phone="619-555-0100",
        payment_name="Coastal Lockbox",
        payment_address="P.O. Box 77\nDallas, TX 75201",
        account_last4="1234",
        interest_fees=True,
        priority_cents=150_000,
        priority_basis="Wages",
        debt_incurred=dt.date(2025, 3, 14),
        amends_claim="3-1",
        signer_title="Collections Manager",
        attachments=["Itemized statement.pdf"],
        arrearage_cents=740_000,
        mortgage=Form410A(**GOOD),
    )
    ours = PdfReader(io.BytesIO(form410.render_form410(data).pdf))
    stylesheet, fonts = form410._style()
    document = HTML(string=form410.form410_html(data)).render(
        stylesheets=[stylesheet], font_config=fonts, pdf_variant="pdf/ua-1"
    )
    full = PdfReader(io.BytesIO(document.write_pdf(pdf_variant="pdf/ua-1")))
    assert len(ours.pages) == len(full.pages) > 1
    for page, expected in zip(ours.pages, full.pages, strict=True):
        drawn, wanted = page.get_contents(), expected.get_contents()
        assert drawn is not None and wanted is not None
        assert drawn.get_data() == wanted.get_data()

    def titles(outline):
        return [
            title
            for item in outline
            for title in (titles(item) if isinstance(item, list) else [item.title])
        ]

    assert titles(ours.outline) == titles(full.outline)
    assert "Form 410A: Mortgage Proof of Claim Attachment" in titles(ours.outline)
