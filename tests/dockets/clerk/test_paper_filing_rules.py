"""The clerk's paper filings are judged by the whole rule book
(dockets.filing.rules.filing_problems), as the wizard and the API are: a missing
required detail, a missing party against, a closed case or a missing scan are each
refused with a plain message, shown on the form field, and nothing is filed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse
from pdfmaker import make_pdf

from cases.models import Case
from core import clock
from dockets.clerk import services
from dockets.filing.services import FilingRefused
from dockets.models import DocketEntry, Event
from dockets.services import UploadedDocument

pytestmark = pytest.mark.django_db

NMRP_URL = "?event=nmrp"


def _scan(tmp_path, name="motion.pdf"):
    path = make_pdf(Path(tmp_path) / name, text="MOTION FOR RELIEF")
    return path


def _future(days):
    return (clock.today() + dt.timedelta(days=days)).isoformat()


def _post(world, client, tmp_path, **overrides):
    url = reverse("dockets:paper-filing", kwargs={"case_id": world.case.pk}) + NMRP_URL
    data = {
        "party_name": "Coastal Federal Credit Union",
        "party": world.bank.pk,
        "against": [world.debtor.pk],
        "fee_status": "paid",
        "note": "",
        "f_property_type": "Real Property",
        "f_property": "123 Main St., San Diego",
        "f_objection_deadline": _future(30),
        "f_hearing": f"{_future(40)}T10:00",
        "f_hearing_place": "Department 3",
        **overrides,
    }
    data = {k: v for k, v in data.items() if v is not None}
    with _scan(tmp_path).open("rb") as fh:
        return client.post(url, {**data, "pdf": fh})


def test_paper_motion_without_party_against_is_refused_on_the_field(
    world, client, tmp_path
):
    client.force_login(world.users["clerk"])
    response = _post(world, client, tmp_path, against=None)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Choose the party this filing is against." in html
    assert not DocketEntry.objects.filter(case=world.case).exists()
    # With the debtor named as the party against, the same paper is docketed.
    response = _post(world, client, tmp_path)
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = DocketEntry.objects.get(case=world.case)
    assert list(entry.against_parties.all()) == [world.debtor]
    assert "Real Property" in entry.text


def test_the_service_asks_the_rule_book_for_every_required_detail(world, tmp_path):
    """A forged path straight to the service meets the same rules: missing details,
    no party against and no scan are each named, and nothing is filed."""
    with pytest.raises(FilingRefused) as refused:
        services.docket_paper_filing(
            case=world.case,
            clerk=world.users["clerk"],
            event=Event.objects.get(code="nmrp"),
            party_name="Coastal Federal Credit Union",
            documents=[],
            values={},
        )
    message = refused.value.message
    assert "Fill in \u201cRelief sought\u201d." in message
    assert "Choose the party this filing is against." in message
    assert "Upload the main document (PDF)." in message
    assert {p.field for p in refused.value.problems} >= {
        "against_ids",
        "main",
        "fields.property_type",
    }
    assert not DocketEntry.objects.filter(case=world.case).exists()


def test_closed_case_takes_no_ordinary_paper_filing(world, client, tmp_path):
    Case.objects.filter(pk=world.case.pk).update(status=Case.Status.CLOSED)
    world.case.refresh_from_db()
    path = _scan(tmp_path)
    with pytest.raises(FilingRefused) as refused:
        services.docket_paper_filing(
            case=world.case,
            clerk=world.users["clerk"],
            event=Event.objects.get(code="nmrp"),
            party_name="Coastal Federal Credit Union",
            documents=[
                UploadedDocument.from_path(path, filename="m.pdf", page_count=1)
            ],
            against=[world.debtor],
            values={"property_type": "Real Property"},
        )
    assert "is closed" in refused.value.message
    assert "Motion for Relief From Stay" in refused.value.message
    # Through the screen, the event is not offered and a forged POST files nothing.
    client.force_login(world.users["clerk"])
    response = _post(world, client, tmp_path)
    assert response.status_code in (200, 400)
    assert not DocketEntry.objects.filter(case=world.case).exists()
    # A notice of appearance is still accepted in a closed case.
    entry = services.docket_paper_filing(
        case=world.case,
        clerk=world.users["clerk"],
        event=Event.objects.get(code="ntcapr"),
        party_name="Sharp Memorial Hospital",
        documents=[UploadedDocument.from_path(path, filename="n.pdf", page_count=1)],
    )
    assert entry.case_id == world.case.pk


def test_court_events_ask_the_same_rule_book(world):
    """A court event docketed with a required detail missing is refused by
    filing_problems with the field named; nothing is docketed."""
    with pytest.raises(FilingRefused) as refused:
        services.docket_court_event(
            case=world.case,
            clerk=world.users["clerk"],
            event=Event.objects.get(code="hrgset"),
            values={},
        )
    assert any(p.field.startswith("fields.") for p in refused.value.problems)
    assert "Fill in" in refused.value.message
    assert not DocketEntry.objects.filter(case=world.case).exists()
