"""Fixtures for the public-access tests: a chapter 7 case with parties and counsel,
entries filed through dockets.services, and bulk entries for paging."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from pdfmaker import make_pdf

from cases.models import Case, Judge, Office, Party, Representation, Trustee
from cases.services import PartyData, add_party, create_case
from dockets.models import Event
from dockets.services import FilingRequest, UploadedDocument, file_docket_entry


@dataclass
class World:
    case: Case
    debtor: Party
    bank: Party
    users: dict
    court: object


@pytest.fixture
def world(demo) -> World:
    users = demo.users
    office = Office.objects.get(court=demo.court, number=3)
    judge = Judge.objects.get(court=demo.court, initials="LT")
    trustee = Trustee.objects.get(court=demo.court, kind=Trustee.Kind.PANEL_7)
    case = create_case(
        court=demo.court,
        office=office,
        chapter="7",
        title="Maria L. Gonzalez",
        judge=judge,
        trustee=trustee,
        actor=users["attorney"],
    )
    debtor = add_party(
        case=case,
        data=PartyData(
            role=Party.Role.DEBTOR,
            name="Maria L. Gonzalez",
            address_lines=["4120 Ocean View Blvd"],
            city="San Diego",
            state="CA",
            zip_code="92113",
            county="San Diego",
            tax_id_kind="ssn",
            tax_id_digits="512345678",
            aliases=[("aka", "Maria Luisa Gonzalez")],
        ),
    )
    bank = add_party(
        case=case,
        user=users["creditor"],
        data=PartyData(
            role=Party.Role.CREDITOR,
            name="Coastal Federal Credit Union",
            is_entity=True,
            address_lines=["P.O. Box 9000"],
            city="San Diego",
            state="CA",
            zip_code="92169",
        ),
    )
    add_party(
        case=case,
        data=PartyData(
            role=Party.Role.CREDITOR,
            name="Sharp Memorial Hospital",
            is_entity=True,
            address_lines=["7901 Frost Street"],
            city="San Diego",
            state="CA",
            zip_code="92123",
        ),
    )
    Representation.objects.create(
        case=case, party=debtor, attorney=users["attorney"], notice=True
    )
    return World(case=case, debtor=debtor, bank=bank, users=users, court=demo.court)


@pytest.fixture
def file_entry(tmp_path):
    """file_entry(case, code, filer, text_override=..., attachments=[...], visibility=...) -> DocketEntry."""
    counter = {"n": 0}

    def _file(
        case,
        code,
        filer,
        *,
        text_override="",
        attachments=(),
        visibility=None,
        parties=(),
    ):
        event = Event.objects.get(code=code)
        documents = []
        if event.pdf != "none":
            counter["n"] += 1
            path = make_pdf(Path(tmp_path) / f"doc-{counter['n']}.pdf", text="MOTION")
            documents.append(
                UploadedDocument.from_path(path, filename=f"{code}.pdf", page_count=1)
            )
            for i, description in enumerate(attachments, 1):
                apath = make_pdf(
                    Path(tmp_path) / f"doc-{counter['n']}-{i}.pdf", text=description
                )
                documents.append(
                    UploadedDocument.from_path(
                        apath,
                        filename=f"{description}.pdf",
                        description=description,
                        page_count=1,
                    )
                )
        return file_docket_entry(
            FilingRequest(
                case=case,
                events=[event],
                filer=filer,
                documents=documents,
                text_override=text_override,
                visibility=visibility,
                parties=list(parties),
            )
        )

    return _file
