"""Form 410 as filed: a tagged PDF (PDF/UA-1) whose page count is the one stamped."""

import datetime as dt
import io
from typing import Any

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
