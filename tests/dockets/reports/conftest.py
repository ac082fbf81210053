"""Fixtures for the public-access tests: a chapter 7 case with parties and counsel,
entries filed through dockets.services, and bulk entries for paging."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from factories import chapter7_case, coastal_creditor, gonzalez_debtor, sharp_creditor
from pdfmaker import make_pdf

from cases.models import Case, Party, Representation
from cases.services import add_party, create_case
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
    case = chapter7_case(
        demo,
        actor=users["attorney"],
        debtor=gonzalez_debtor(
            county="San Diego",
            tax_id_kind="ssn",
            tax_id_digits="512345678",
            aliases=[("aka", "Maria Luisa Gonzalez")],
        ),
    )
    debtor = case.parties.get(role=Party.Role.DEBTOR)
    bank = add_party(case=case, user=users["creditor"], data=coastal_creditor())
    add_party(case=case, data=sharp_creditor())
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


@pytest.fixture
def other_case(world) -> Case:
    """A second case in the same court, office, judge and trustee (for the scope tests)."""
    return create_case(
        court=world.court,
        office=world.case.office,
        chapter="7",
        title="Other Debtor",
        judge=world.case.judge,
        trustee=world.case.trustee,
        actor=world.users["attorney"],
    )
