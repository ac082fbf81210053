"""Fixtures for the clerk's tests: a chapter 7 case with parties and counsel, and a
helper that files an entry the way the filing wizard does (dockets.services)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from factories import chapter7_case
from pdfmaker import make_pdf

from cases.models import Case, Party, Representation
from cases.services import PartyData, add_party
from dockets.models import DocketEntry, Event
from dockets.services import FilingRequest, UploadedDocument, file_docket_entry


@dataclass
class CaseWorld:
    case: Case
    other_case: Case
    debtor: Party
    bank: Party
    users: dict


@pytest.fixture
def world(demo) -> CaseWorld:
    users = demo.users
    case = chapter7_case(demo, actor=users["attorney"])
    debtor = case.parties.get(role=Party.Role.DEBTOR)
    bank = add_party(
        case=case,
        user=users["creditor"],
        data=PartyData(
            role=Party.Role.CREDITOR,
            name="Coastal Federal Credit Union",
            is_entity=True,
        ),
    )
    Representation.objects.create(
        case=case, party=debtor, attorney=users["attorney"], notice=True
    )
    other = chapter7_case(
        demo, title="James T. Whitfield", actor=users["attorney"], judge_initials="CL"
    )
    return CaseWorld(case=case, other_case=other, debtor=debtor, bank=bank, users=users)


@pytest.fixture
def file_entry(tmp_path):
    """file_entry(case, code, filer, text=..., attachments=[...], findings=[...]) -> DocketEntry."""
    counter = {"n": 0}

    def _file(
        case,
        code,
        filer,
        *,
        text="MOTION\n/s/ Dana M. Whitaker",
        attachments=(),
        findings=(),
        related=(),
        parties=(),
        fields=None,
        visibility=None,
        entered_by=None,
    ) -> DocketEntry:
        event = Event.objects.get(code=code)
        documents = []
        if event.pdf != "none":
            counter["n"] += 1
            path = make_pdf(Path(tmp_path) / f"doc-{counter['n']}.pdf", text=text)
            documents.append(
                UploadedDocument.from_path(path, filename=f"{code}.pdf", page_count=1)
            )
            for i, description in enumerate(attachments, 1):
                apath = make_pdf(
                    Path(tmp_path) / f"doc-{counter['n']}-{i}.pdf",
                    text=f"{description}\n{text}",
                )
                documents.append(
                    UploadedDocument.from_path(
                        apath,
                        filename=f"{description}.pdf",
                        description=description,
                        attachment_type=description,
                        page_count=1,
                    )
                )
        return file_docket_entry(
            FilingRequest(
                case=case,
                events=[event],
                filer=filer,
                entered_by=entered_by,
                documents=documents,
                findings=list(findings),
                related=list(related),
                parties=list(parties),
                fields=fields or {},
                visibility=visibility,
            )
        )

    return _file
