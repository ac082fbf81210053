"""An API filing's PDF is parsed once, in the sandbox pool's child (issue 21).

The child's answer carries everything the filing records about the file (its pages,
its SHA-512, the warnings), so the web process never opens the upload with a PDF
parser: a second parse there would cost the web worker what the pool saves it.
Counted, not timed: any parser opened in this process fails the test.
"""

import pikepdf
import pypdf
import pypdfium2
import pytest
from test_filing_cost import _post, filer  # noqa: F401 (filer is a fixture)

pytestmark = pytest.mark.django_db


def test_the_web_process_never_parses_an_uploaded_pdf(
    client,
    opened_case,
    filer,  # noqa: F811 (the fixture imported above)
    monkeypatch,
):
    opened: list[str] = []

    def parser(name):
        def refuse(*args, **kwargs):
            opened.append(name)
            raise AssertionError(f"{name} parsed the upload in the web process")

        return refuse

    monkeypatch.setattr(pypdf.PdfReader, "__init__", parser("pypdf"))
    monkeypatch.setattr(pikepdf.Pdf, "open", parser("pikepdf"))
    monkeypatch.setattr(pikepdf, "open", parser("pikepdf"))
    monkeypatch.setattr(pypdfium2.PdfDocument, "__init__", parser("pdfium"))

    headers, bank, debtor = filer
    response = _post(client, opened_case, headers, bank, debtor, fee=False)
    assert response.status_code == 201, response.content
    assert opened == []
    document = response.json()["documents"][0]
    assert document["page_count"] == 1
