"""Fixtures for the API tests: tokens, a case opened by the demo attorney, PDFs."""

import pytest
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
    from cases.models import Office
    from cases.services import PartyData
    from dockets.case_opening import PetitionRequest, open_voluntary_case
    from dockets.services import UploadedDocument

    path = make_pdf(
        tmp_path / "petition.pdf",
        text="VOLUNTARY PETITION\nDebtor: Ana Ruiz\n/s/ Dana M. Whitaker",
    )
    entry = open_voluntary_case(
        PetitionRequest(
            filer=demo.users["attorney"],
            office=Office.objects.get(court=demo.court, number=3),
            chapter="7",
            debtors=[
                PartyData(
                    role="",
                    name="Ana Ruiz",
                    address_lines=["12 Elm St"],
                    city="San Diego",
                    state="CA",
                    zip_code="92101",
                    county="San Diego",
                    tax_id_kind="ssn",
                    tax_id_digits="512345678",
                )
            ],
            petition=UploadedDocument.from_path(
                path, filename="petition.pdf", page_count=1
            ),
        )
    )
    return entry.case


@pytest.fixture
def motion_pdf():
    return pdf_bytes(text=MOTION_TEXT)
