"""ePOC shows the filer the Form 410 that will be filed before it takes the signature,
and files only what was shown."""

from __future__ import annotations

import pytest
from claimkit import case_fixture  # noqa: F401 (the `case` fixture)
from django.urls import reverse
from test_claims_views import _epoc_form, _epoc_post, _epoc_review

from dockets.claims.models import Claim

pytestmark = pytest.mark.django_db


def test_a_complete_submission_without_review_shows_form_410_and_files_nothing(
    client, case
):
    """Answers, signature and human check sent at once still land on the review page:
    nothing is filed before the filer has seen the English Form 410."""
    url = reverse("dockets:epoc", kwargs={"case_id": case.pk})
    response = client.post(url, _epoc_post(**_epoc_form(client, case)))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Official Form 410 — Proof of Claim" in html
    assert "Who is the current creditor?" in html and "Sharp Memorial Hospital" in html
    assert "$32,611.40" in html and "Not yet signed" in html
    assert not Claim.objects.exists()


def test_answers_changed_after_the_review_are_reviewed_again(client, case):
    """A signature sent with answers other than the ones shown files nothing: the new
    answers' Form 410 is shown for signing instead."""
    url = reverse("dockets:epoc", kwargs={"case_id": case.pk})
    signed = _epoc_review(client, url, _epoc_post(**_epoc_form(client, case)))
    signed["creditor_name"] = "Mallory Redirect LLC"
    response = client.post(url, signed)
    html = response.content.decode()
    assert response.status_code == 200 and "Mallory Redirect LLC" in html
    assert "Official Form 410 — Proof of Claim" in html
    assert not Claim.objects.exists()
    forged = {**signed, "reviewed": signed["reviewed"][:-2] + "xx"}
    assert client.post(url, forged).status_code == 200
    assert not Claim.objects.exists()


def test_change_my_answers_goes_back_with_the_answers_kept(client, case):
    """The review page's "Change my answers" shows the answers form, filled in."""
    url = reverse("dockets:epoc", kwargs={"case_id": case.pk})
    signed = _epoc_review(client, url, _epoc_post(**_epoc_form(client, case)))
    response = client.post(url, {**signed, "edit": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Sharp Memorial Hospital"' in html
    assert "Review the claim" in html and "Official Form 410 —" not in html
    assert not Claim.objects.exists()


def test_the_signed_claim_is_the_one_reviewed(client, case):
    """After the review, the signature files the claim as shown, signed by the filer."""
    url = reverse("dockets:epoc", kwargs={"case_id": case.pk})
    signed = _epoc_review(client, url, _epoc_post(**_epoc_form(client, case)))
    response = client.post(url, signed)
    assert response.status_code == 302, response.content.decode()[:2000]
    claim = Claim.objects.get(case=case)
    assert claim.creditor_name == "Sharp Memorial Hospital"
    assert claim.amount_cents == 3_261_140
