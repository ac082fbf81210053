"""API scopes mean something: `read` for every token read, restricted documents only to
a participant's token, and a suspended or revoked filer's tokens stop at once."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def restricted(demo):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "security"))
    from seckit import file_pdf_entry, make_case

    from dockets.models import Visibility

    case = make_case(demo.court, title="Scope Debtor")
    entry = file_pdf_entry(case, demo.users["clerk"], visibility=Visibility.RESTRICTED)
    return case, entry.documents.get()


def _get(url, secret=None):
    headers = {"Authorization": f"Bearer {secret}"} if secret else None
    return Client().get(url, headers=headers)


def test_a_token_without_read_reads_nothing(demo, make_token, restricted):
    case, document = restricted
    file_only = make_token(demo.users["clerk"], scopes=("file",))
    reader = make_token(demo.users["clerk"], scopes=("read",))
    for url in (
        f"/api/v1/cases/{case.pk}",
        f"/api/v1/cases/{case.pk}/entries",
        f"/api/v1/documents/{document.pk}/download",
    ):
        refused = _get(url, file_only)
        assert refused.status_code == 403, url
        assert refused.json()["error"]["code"] == "scope_missing"
        assert _get(url, reader).status_code == 200, url


def test_restricted_documents_need_a_participants_token(demo, make_token, restricted):
    _case, document = restricted
    url = f"/api/v1/documents/{document.pk}/download"
    assert _get(url).status_code == 404
    assert (
        _get(url, make_token(demo.users["attorney2"], scopes=("read",))).status_code
        == 404
    )
    # The U.S. Trustee's office covers the case's office: its linked member may read.
    assert (
        _get(url, make_token(demo.users["ustrustee"], scopes=("read",))).status_code
        == 200
    )


@pytest.mark.parametrize("status", ["suspended", "revoked"])
def test_a_suspended_or_revoked_filers_token_stops_at_once(demo, make_token, status):
    from filers.models import Filer

    attorney = demo.users["attorney"]
    secret = make_token(attorney, scopes=("read",))
    assert _get("/api/v1/cases", secret).status_code == 200
    Filer.objects.filter(user=attorney).update(status=status)
    response = _get("/api/v1/cases", secret)
    assert response.status_code == 401
    assert "not in good standing" in response.json()["error"]["message"]
