"""Fixtures for the filing wizard: a chapter 7 case with parties and an earlier entry."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from .filing_helpers import add, make_case, text_entry

MOTION_TEXT = (
    "UNITED STATES BANKRUPTCY COURT\n"
    "In re: Maria L. Gonzalez, Debtor. Case No. 26-00001\n"
    "MOTION FOR RELIEF FROM THE AUTOMATIC STAY\n"
    "Coastal Federal Credit Union moves for relief as to 4120 Ocean View Blvd.\n"
    "/s/ Marcus Lee\n"
    "Marcus Lee, Counsel for Coastal Federal Credit Union"
)


@dataclass
class CaseSetup:
    case: object
    debtor: object
    bank: object
    petition: object
    other_case: object
    other_party: object


@pytest.fixture
def setup(demo) -> CaseSetup:
    from cases.models import Party, Representation

    attorney, creditor = demo.users["attorney"], demo.users["creditor"]
    case = make_case(demo.court, title="Maria L. Gonzalez", actor=attorney)
    debtor = add(case, Party.Role.DEBTOR, "Maria L. Gonzalez", actor=attorney)
    bank = add(
        case,
        Party.Role.CREDITOR,
        "Coastal Federal Credit Union",
        user=creditor,
        actor=attorney,
    )
    Representation.objects.create(case=case, party=debtor, attorney=attorney)
    petition = text_entry(case, "volp7", attorney, parties=[debtor])
    other = make_case(
        demo.court, title="James T. Whitfield", chapter="13", actor=attorney
    )
    other_party = add(other, Party.Role.DEBTOR, "James T. Whitfield", actor=attorney)
    case.refresh_from_db()
    return CaseSetup(
        case=case,
        debtor=debtor,
        bank=bank,
        petition=petition,
        other_case=other,
        other_party=other_party,
    )


@pytest.fixture
def pdf():
    """Build an upload of a real text PDF: pdf(name, text=..., pages=...)."""
    from pdfmaker import pdf_bytes

    def build(
        name: str = "motion.pdf", *, text: str = MOTION_TEXT, pages: int = 1
    ) -> SimpleUploadedFile:
        return SimpleUploadedFile(
            name, pdf_bytes(pages=pages, text=text), content_type="application/pdf"
        )

    return build


def upload_of(path) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        path.name, path.read_bytes(), content_type="application/pdf"
    )


def step_url(draft_id: int, step: str) -> str:
    return reverse("dockets:filing-step", kwargs={"draft_id": draft_id, "step": step})


@pytest.fixture
def start_draft():
    """Start a filing through the start view; returns the draft."""
    from dockets.filing.models import Draft

    def start(client, case, **extra):
        response = client.post(
            reverse("dockets:filing-start"),
            {"case_number": case.display_number, **extra},
        )
        assert response.status_code == 302, response.content.decode()[:3000]
        return Draft.objects.latest("id")

    return start


@pytest.fixture
def file_relief_motion(pdf, start_draft):
    """Drive the whole wizard for a relief-from-stay motion; returns (draft, last response)."""
    from dockets.models import Event

    def run(
        client,
        setup,
        *,
        attachments=("Exhibit A Deed of Trust", "Proposed Order"),
        pay="later",
        acknowledge=True,
        main=None,
    ):
        event = Event.objects.get(code="nmrp")
        draft = start_draft(client, setup.case)
        assert (
            client.post(
                step_url(draft.pk, "events"), {"events": [event.pk]}
            ).status_code
            == 302
        )
        r = client.post(
            step_url(draft.pk, "parties"),
            {"parties": [setup.bank.pk], "against": [setup.debtor.pk]},
        )
        assert r.status_code == 302, r.content.decode()[:3000]
        r = client.post(
            step_url(draft.pk, "documents"), {"main": main or pdf(), "upload": "1"}
        )
        assert r.status_code == 302
        for description in attachments:
            r = client.post(
                step_url(draft.pk, "documents"),
                {
                    "attachment": pdf(
                        f"{description}.pdf", text=f"{description}\n/s/ Marcus Lee"
                    ),
                    "attachment_type": "Exhibit"
                    if "Exhibit" in description
                    else "Proposed Order",
                    "attachment_description": description,
                    "upload": "1",
                },
            )
            assert r.status_code == 302
        assert (
            client.post(step_url(draft.pk, "documents"), {"next": "1"}).status_code
            == 302
        )
        r = client.post(step_url(draft.pk, "related"), {"related": [setup.petition.pk]})
        assert r.status_code == 302, r.content.decode()[:3000]
        r = client.post(
            step_url(draft.pk, "fields"),
            {
                "property_type": "Real Property",
                "property": "4120 Ocean View Blvd",
                "objection_deadline": "2099-12-10",
                "hearing_0": "",
                "hearing_1": "",
            },
        )
        assert r.status_code == 302, r.content.decode()[:3000]
        assert client.post(step_url(draft.pk, "fee"), {"pay": pay}).status_code == 302
        data = {"submit": "1"}
        if acknowledge:
            data["acknowledged"] = "on"
        response = client.post(step_url(draft.pk, "review"), data)
        draft.refresh_from_db()
        return draft, response

    return run
