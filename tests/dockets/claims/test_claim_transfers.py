"""Transfers of claim (FRBP 3001(e)(2)): the objection deadline comes from the court
calendar (FRBP 9006), and the clerk decides pending transfers on one page."""

from __future__ import annotations

import datetime as dt

import pytest
import testkit
import time_machine
from claimkit import (
    case_fixture,  # noqa: F401 (the `case` fixture)
    claim_data,
)
from django.test import Client
from django.urls import reverse

from cases.calendar import compute_deadline
from cases.models import CourtClosure
from dockets.claims import claim_events, services
from dockets.claims.models import Claim, ClaimTransfer

pytestmark = pytest.mark.django_db

# Thursday 11/4/2027, 10:00 in San Diego: 21 days later is Thanksgiving (11/25/2027),
# and the day after is a California state holiday, so the deadline is Monday 11/29.
FILED_AT = dt.datetime(2027, 11, 4, 18, 0, tzinfo=dt.UTC)


def _evidence(tmp_path):
    from pdfmaker import make_pdf

    from dockets.services import UploadedDocument

    path = make_pdf(tmp_path / "form2100a.pdf", text="Form 2100A Transfer of Claim")
    return UploadedDocument.from_path(path, filename="form2100a.pdf", page_count=1)


def _transfer(case, users, tmp_path, name="Jefferson Capital Systems LLC"):
    claim = services.file_claim(
        case=case, data=claim_data(), filer=users["creditor"]
    ).claim
    claim_events.transfer_claim(
        claim=claim,
        filer=users["attorney2"],
        transferee_name=name,
        transferee_address="P.O. Box 7999\nSaint Cloud, MN 56302",
        document=_evidence(tmp_path),
    )
    return claim.transfers.get()


def test_objection_deadline_follows_the_court_calendar(case, users, tmp_path):
    """21 days landing on Thanksgiving move to the next open day, and the transfer keeps
    the rule text the calendar gave (shown to the clerk and in the transferor's e-mail)."""
    from core.models import InboxMessage

    with time_machine.travel(FILED_AT, tick=False):
        transfer = _transfer(case, users, tmp_path)
    naive = dt.date(2027, 11, 25)
    assert transfer.objection_deadline == dt.date(2027, 11, 29)
    assert transfer.objection_deadline != naive
    assert "Thanksgiving" in transfer.objection_rule
    assert "9006(a)(1)(C)" in transfer.objection_rule
    mail = InboxMessage.objects.filter(subject__contains="Transfer of your claim").get()
    assert "11/29/2027" in mail.body_text and "Thanksgiving" in mail.body_text


def test_a_recorded_closure_moves_the_deadline(case, users, tmp_path):
    """The clerk's recorded closure on the 21st day moves the deadline too (FRBP 9006)."""
    filed = dt.date(2027, 3, 2)  # a Tuesday; 21 days later is Tuesday 3/23/2027
    CourtClosure.objects.create(
        kind=CourtClosure.Kind.OUTAGE,
        starts_on=dt.date(2027, 3, 23),
        ends_on=dt.date(2027, 3, 23),
        reason="Electronic filing system down all day",
        recorded_by=users["clerk"],
    )
    with time_machine.travel(dt.datetime(2027, 3, 2, 18, 0, tzinfo=dt.UTC), tick=False):
        transfer = _transfer(case, users, tmp_path)
    assert transfer.objection_deadline == dt.date(2027, 3, 24)
    assert transfer.objection_deadline == compute_deadline(filed, 21).day


def test_clerk_page_lists_pending_transfers_and_decides_them(case, users, tmp_path):
    """Only the clerk sees the page and decides; a court order substitutes the holder at
    once, an objection keeps it; the buttons need POST and the CSRF token."""
    with time_machine.travel(FILED_AT, tick=False):
        ordered = _transfer(case, users, tmp_path, name="Ordered LLC")
    page = reverse("dockets:claim-transfers")
    decide = reverse("dockets:claim-transfer-decide", args=[ordered.pk])

    for role in ("attorney", "attorney2", "creditor", "judge"):
        outsider = Client()
        outsider.force_login(users[role])
        assert outsider.get(page).status_code == 404
        assert outsider.post(decide, {"outcome": "order"}).status_code == 404
    ordered.refresh_from_db()
    assert ordered.status == ClaimTransfer.Status.PENDING

    clerk = Client(enforce_csrf_checks=True)
    clerk.force_login(users["clerk"])
    listing = clerk.get(page)
    assert listing.status_code == 200
    body = listing.content.decode()
    assert "Ordered LLC" in body and "11/29/2027" in body and "Thanksgiving" in body
    assert "<td>Ordered LLC</td>" in body
    assert "Court order: effective now" in body and "Objection filed" in body
    assert clerk.get(decide).status_code == 405
    assert clerk.post(decide, {"outcome": "order"}).status_code == 403  # no CSRF token
    token = testkit.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    bad = clerk.post(decide, {"outcome": "delete", "csrfmiddlewaretoken": token})
    assert bad.status_code == 302
    ordered.refresh_from_db()
    assert ordered.status == ClaimTransfer.Status.PENDING

    done = clerk.post(
        decide,
        {"outcome": "order", "note": "Order #31", "csrfmiddlewaretoken": token},
    )
    assert done.status_code == 302
    ordered.refresh_from_db()
    claim = ordered.claim
    claim.refresh_from_db()
    assert ordered.status == ClaimTransfer.Status.EFFECTIVE
    assert claim.holder == "Ordered LLC" and claim.status == Claim.Status.TRANSFERRED

    with time_machine.travel(FILED_AT, tick=False):
        objected = _transfer(case, users, tmp_path, name="Objected LLC")
    clerk.post(
        reverse("dockets:claim-transfer-decide", args=[objected.pk]),
        {"outcome": "objection", "csrfmiddlewaretoken": token},
    )
    objected.refresh_from_db()
    assert objected.status == ClaimTransfer.Status.OBJECTED
    assert "<td>Objected LLC</td>" not in clerk.get(page).content.decode()
