"""Nothing uploaded is lost: an accepted file stays with the form across any error
(logged-in claim, ePOC, case opening), shown as "kept: name, N pages; remove"."""

from __future__ import annotations

import re

import pytest
import testkit
from claimkit import case_fixture  # noqa: F401 (the `case` fixture)
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pdfmaker import pdf_bytes
from test_claims_views import _epoc_file, _epoc_form, _epoc_post

from dockets.claims.models import Claim

pytestmark = pytest.mark.django_db


def _pdf(name="itemized-statement.pdf", pages=2):
    return SimpleUploadedFile(
        name,
        pdf_bytes(pages=pages, text="Itemized statement"),
        content_type="application/pdf",
    )


def _kept_tokens(html: str) -> list[str]:
    return re.findall(r'<input type="hidden" name="kept" value="([^"]+)"', html)


def test_claim_form_error_keeps_the_accepted_file(client, case, users):
    """A claim with a missing amount comes back with the PDF kept; the next submit files it."""
    client.force_login(users["creditor"])
    url = reverse("dockets:claim-file", kwargs={"case_id": case.pk})
    submission = testkit.search(
        r'name="submission" value="([^"]+)"', client.get(url).content.decode()
    ).group(1)
    data = _epoc_post(submission=submission, amount="")
    response = client.post(url, {**data, "attachments": _pdf()})
    html = response.content.decode()
    assert response.status_code == 200
    assert not Claim.objects.filter(case=case).exists()
    assert "kept: itemized-statement.pdf, 2 pages" in html
    (token,) = _kept_tokens(html)
    response = client.post(url, {**data, "amount": "32,611.40", "kept": token})
    assert response.status_code == 302, response.content.decode()[:2000]
    version = Claim.objects.get(case=case).versions.get()
    assert version.entry is not None
    assert [d.original_filename for d in version.entry.documents.all()][-1] == (
        "itemized-statement.pdf"
    )


def test_removed_file_is_not_filed(client, case, users):
    client.force_login(users["creditor"])
    url = reverse("dockets:claim-file", kwargs={"case_id": case.pk})
    data = _epoc_post(amount="")
    html = client.post(url, {**data, "attachments": _pdf()}).content.decode()
    (token,) = _kept_tokens(html)
    html = client.post(url, {**data, "kept": token, "drop": token}).content.decode()
    assert "kept:" not in html


def test_someone_elses_token_is_ignored(client, case, users):
    """A kept file belongs to its uploader: another login cannot file it."""
    client.force_login(users["creditor"])
    url = reverse("dockets:claim-file", kwargs={"case_id": case.pk})
    html = client.post(
        url, {**_epoc_post(amount=""), "attachments": _pdf()}
    ).content.decode()
    (token,) = _kept_tokens(html)
    client.force_login(users["attorney"])
    html = client.post(url, {**_epoc_post(amount=""), "kept": token}).content.decode()
    assert "kept:" not in html


def test_epoc_error_keeps_the_file_for_the_same_visitor(client, case):
    url = reverse("dockets:epoc", kwargs={"case_id": case.pk})
    fields = _epoc_form(client, case)
    response = client.post(
        url, {**_epoc_post(**fields, amount=""), "attachments": _pdf()}
    )
    html = response.content.decode()
    assert (
        response.status_code == 400 and "kept: itemized-statement.pdf, 2 pages" in html
    )
    (token,) = _kept_tokens(html)
    fields = _epoc_form(client, case)
    response = _epoc_file(client, url, {**_epoc_post(**fields), "kept": token})
    assert response.status_code == 302, response.content.decode()[:2000]
    claim = Claim.objects.get(case=case)
    entry = claim.versions.get().entry
    assert entry is not None
    assert entry.documents.count() == 2  # Form 410 + the statement


def test_checker_outage_on_epoc_is_a_message_not_a_500(client, case, monkeypatch):
    import sys

    url = reverse("dockets:epoc", kwargs={"case_id": case.pk})
    fields = _epoc_form(client, case)
    monkeypatch.setattr(sys, "executable", "")
    response = client.post(url, {**_epoc_post(**fields), "attachments": _pdf()})
    assert response.status_code == 400
    assert "could not be checked just now" in response.content.decode()
    assert not Claim.objects.filter(case=case).exists()
