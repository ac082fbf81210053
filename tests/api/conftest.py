"""Fixtures for the API tests: tokens, a case opened by the demo attorney, PDFs."""

import pytest
from factories import petition_request
from pdfmaker import make_pdf, pdf_bytes

MOTION_TEXT = "MOTION TO EXTEND TIME\nIn re Ana Ruiz\n/s/ Dana M. Whitaker"


@pytest.fixture
def make_token():
    from dockets.api.services import create_api_token

    def make(user, scopes=("read", "file", "claims"), days=30):
        _row, secret = create_api_token(
            user=user, name="Test software", scopes=list(scopes), days=days
        )
        return secret

    return make


@pytest.fixture
def bearer(make_token):
    def headers(user, **kwargs):
        return {"Authorization": f"Bearer {make_token(user, **kwargs)}"}

    return headers


@pytest.fixture
def opened_case(demo, tmp_path):
    """A chapter 7 case of Ana Ruiz opened by the demo attorney (petition = entry 1)."""
    from dockets.case_opening import open_voluntary_case
    from dockets.services import UploadedDocument

    path = make_pdf(
        tmp_path / "petition.pdf",
        text="VOLUNTARY PETITION\nDebtor: Ana Ruiz\n/s/ Dana M. Whitaker",
    )
    petition = UploadedDocument.from_path(path, filename="petition.pdf", page_count=1)
    return open_voluntary_case(petition_request(demo, petition)).case


@pytest.fixture
def motion_pdf():
    return pdf_bytes(text=MOTION_TEXT)
