"""The claim page (GET the form): its blank fields are rendered once per process and
language (dockets.claims.views._blank_claim_fields), never in place of a filer's own
answers."""

import pytest
from claimkit import case_fixture  # noqa: F401 (the `case` fixture)
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from dockets.claims.forms import ClaimForm
from dockets.claims.models import Claim

pytestmark = pytest.mark.django_db


def _fields(language: str) -> str:
    with translation.override(language):
        return render_to_string(
            "dockets/claims/_fields.html", {"form": ClaimForm(), "kept": []}
        )


def test_the_claim_page_shows_the_blank_form_in_the_filers_language(
    client, case, users
):
    """English, then Spanish, then English again: each GET shows the form's fields
    exactly as the form renders them in that language."""
    client.force_login(users["creditor"])
    url = reverse("dockets:claim-file", kwargs={"case_id": case.pk})
    for language, label in (
        ("en", "Creditor name"),
        ("es", "Nombre del acreedor"),
        ("en", "Creditor name"),
    ):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert _fields(language) in html
        assert f">{label}" in html


def test_a_refused_claim_shows_the_filers_answers_and_the_reason(client, case, users):
    """A POST that fails a check shows the form again with what the filer typed and
    the error, never the blank form kept for the GET."""
    client.force_login(users["creditor"])
    url = reverse("dockets:claim-file", kwargs={"case_id": case.pk})
    client.get(url)
    response = client.post(
        url,
        {
            "creditor_name": "Harbor View Apartments LLC",
            "creditor_address": "1 Harbor Way\nSan Diego, CA 92101",
            "amount": "not a number",
            "basis": "Rent",
            "redaction_ack": "on",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Harbor View Apartments LLC"' in html
    assert "1 Harbor Way" in html
    assert 'aria-invalid="true"' in html
    assert not Claim.objects.exists()
