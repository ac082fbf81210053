"""Golden docket texts: each event category composed as CM/ECF writes it (cmecf.md 6.2:
`<Event text> Filed by <attorney> on behalf of <party>. (RE: related document(s) ...)
(Attachments: # 1 ...) Fee Amount $...`), and the same text from the wizard and the API."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

pytestmark = pytest.mark.django_db


def _compose(
    setup,
    code,
    *,
    filer,
    parties=(),
    related=(),
    attachments=(),
    fields=None,
    shown=None,
    fee=0,
):
    from dockets.models import Event
    from dockets.services import FilingRequest, UploadedDocument, compose_text

    docs = [
        UploadedDocument(path="", filename="m.pdf", sha512="", size=0, page_count=1)
    ]
    docs += [
        UploadedDocument(
            path="", filename="a.pdf", sha512="", size=0, page_count=1, description=d
        )
        for d in attachments
    ]
    request = FilingRequest(
        case=setup.case,
        events=[Event.objects.get(code=code)],
        filer=filer,
        parties=list(parties),
        related=list(related),
        documents=docs,
        fields=fields or {},
        text_fields=shown,
    )
    return compose_text(request, fee_cents=fee)


@dataclass(frozen=True)
class Golden:
    """One filing and the docket text CM/ECF writes for it: the filer (a demo user),
    parties and related entries (attributes of the `setup` fixture), attachments'
    descriptions, the event's details as shown, and the fee in cents."""

    code: str
    filer: str
    parties: tuple[str, ...]
    text: str
    related: tuple[str, ...] = ()
    attachments: tuple[str, ...] = ()
    shown: dict[str, str] | None = None
    fee: int = 0


GOLDEN = [
    pytest.param(
        Golden(
            "nmrp",
            "attorney2",
            ("bank",),
            related=("petition",),
            attachments=("Exhibit A Deed of Trust", "Proposed Order"),
            shown={
                "property_type": "Real Property",
                "property": "4120 Ocean View Blvd",
                "objection_deadline": "12/10/2099",
                "hearing": "12/15/2099 at 10:00 AM at Courtroom 2",
            },
            fee=19900,
            text=(
                "Motion for Relief from Stay, Real Property: 4120 Ocean View Blvd. "
                "Objections due by 12/10/2099. "
                "Hearing scheduled for 12/15/2099 at 10:00 AM at Courtroom 2. "
                "Filed by Marcus Lee on behalf of Coastal Federal Credit Union. "
                "(RE: related document(s) 1 Chapter 7 Voluntary Petition for Individuals) "
                "(Attachments: # 1 Exhibit A Deed of Trust # 2 Proposed Order) Fee Amount $199"
            ),
        ),
        id="motion-with-property-hearing-and-attachments",
    ),
    pytest.param(
        Golden(
            "objt",
            "attorney",
            ("debtor",),
            related=("petition",),
            text=(
                "Objection. Filed by Dana M. Whitaker on behalf of Maria L. Gonzalez. "
                "(RE: related document(s) 1 Chapter 7 Voluntary Petition for Individuals)"
            ),
        ),
        id="response-refers-to-the-motion",
    ),
    pytest.param(
        Golden(
            "employ",
            "attorney",
            ("debtor",),
            shown={
                "professional": "Rivera & Cole LLP",
                "capacity": "Special Counsel",
                "objection_deadline": "01/04/2100",
            },
            text=(
                "Application to Employ Rivera & Cole LLP as Special Counsel. "
                "Objections due by 01/04/2100. "
                "Filed by Dana M. Whitaker on behalf of Maria L. Gonzalez."
            ),
        ),
        id="application-with-its-details",
    ),
    pytest.param(
        Golden(
            "extime",
            "attorney",
            ("debtor",),
            shown={"extend_what": "file schedules", "requested_date": "12/31/2099"},
            text=(
                "Motion to Extend Time to file schedules. New date requested: 12/31/2099. "
                "Filed by Dana M. Whitaker on behalf of Maria L. Gonzalez."
            ),
        ),
        id="optional-date-detail-is-written-once",
    ),
]


@pytest.mark.parametrize("golden", GOLDEN)
def test_filed_text_is_composed_as_cmecf_writes_it(demo, setup, golden: Golden):
    text = _compose(
        setup,
        golden.code,
        filer=demo.users[golden.filer],
        parties=[getattr(setup, name) for name in golden.parties],
        related=[getattr(setup, name) for name in golden.related],
        attachments=golden.attachments,
        shown=golden.shown,
        fee=golden.fee,
    )
    assert text == golden.text


def test_notice_for_a_party_whose_name_ends_with_a_period(demo, setup):
    """Exactly one final period: "N.A." is never followed by another."""
    from cases.models import Party

    from .filing_helpers import add

    wells = add(setup.case, Party.Role.CREDITOR, "Wells Fargo Bank, N.A.")
    text = _compose(setup, "ntcapr", filer=demo.users["attorney2"], parties=[wells])
    assert text == (
        "Notice of Appearance and Request for Notice. "
        "Filed by Marcus Lee on behalf of Wells Fargo Bank, N.A."
    )


def test_court_event_text(demo, setup):
    """A court event: the template with the hearing, (RE: ...), then the clerk's initials."""
    import datetime as dt

    from core import clock
    from dockets.clerk.services.common import court_entry_text
    from dockets.models import Event

    text = court_entry_text(
        event=Event.objects.get(code="hrgset"),
        clerk=demo.users["clerk"],
        values={
            "hearing": {
                "when": dt.datetime(2099, 12, 15, 10, 0, tzinfo=clock.court_tz()),
                "place": "Courtroom 2",
            }
        },
        related=[setup.petition],
    )
    assert text == (
        "Hearing Set. Hearing scheduled for 12/15/2099 at 10:00 AM at Courtroom 2. "
        "(RE: related document(s) 1 Chapter 7 Voluntary Petition for Individuals) (adm)"
    )


def test_organisation_filer_is_never_inverted(demo):
    from filers.models import looks_like_organisation

    assert looks_like_organisation("Coastal Federal Credit Union")
    assert looks_like_organisation("Wells Fargo Bank, N.A.")
    assert not looks_like_organisation("Marcus Lee")
    filer = demo.users["creditor"].filer
    filer.user.full_name = "Coastal Federal Credit Union"
    assert filer.docket_name == "Coastal Federal Credit Union"
    filer.user.full_name = "Marcus Lee"
    assert filer.docket_name == "Lee, Marcus"


def test_wizard_and_api_compose_the_same_text(
    client, demo, setup, file_relief_motion, pdf
):
    """The relief motion filed through the wizard and through the API reads the same."""
    from dockets.api.services import create_api_token
    from dockets.models import DocketEntry

    client.force_login(demo.users["attorney2"])
    file_relief_motion(client, setup, attachments=())
    wizard_text = DocketEntry.objects.get(event__code="nmrp").text
    _row, secret = create_api_token(
        user=demo.users["attorney2"], name="t", scopes=["read", "file"], days=1
    )
    response = client.post(
        f"/api/v1/cases/{setup.case.pk}/filings",
        data={
            "events": ["nmrp"],
            "party_ids": [str(setup.bank.pk)],
            "against_ids": [str(setup.debtor.pk)],
            "related_numbers": ["1"],
            "fields": json.dumps(
                {
                    "property_type": "Real Property",
                    "property": "4120 Ocean View Blvd",
                    "objection_deadline": "2099-12-10",
                }
            ),
            "acknowledge_warnings": "true",
            "main": pdf(),
        },
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["text"] == wizard_text
    assert wizard_text.startswith(
        "Motion for Relief from Stay, Real Property: 4120 Ocean View Blvd. "
        "Objections due by 12/10/2099. Filed by Marcus Lee on behalf of "
        "Coastal Federal Credit Union."
    )


def test_docket_report_lists_attachments_once(client, demo, setup, file_relief_motion):
    """The docket report links the attachments inside the text, once (not a second list)."""
    from django.urls import reverse

    client.force_login(demo.users["attorney2"])
    file_relief_motion(client, setup)
    page = client.get(
        reverse("dockets:docket", kwargs={"case_id": setup.case.pk})
    ).content.decode()
    assert page.count("Exhibit A Deed of Trust") == 1
    assert page.count("(Attachments:") == 1


def test_demo_docket_texts_are_composed_like_a_filers(db, settings):
    """The seeded relief motion carries its details, and no demo text has an empty
    detail or a doubled period."""
    import re

    from factories import seed_everything

    from dockets.models import DocketEntry

    settings.ECF_DEMO = True
    seed_everything()
    motion = DocketEntry.objects.filter(event__code="nmrp").order_by("pk").first()
    assert motion is not None
    assert re.match(
        r"Motion for Relief from Stay, Real Property: 4120 Ocean View Blvd\. "
        r"Objections due by \d\d/\d\d/\d{4}\. Filed by Marcus Lee on behalf of "
        r"Coastal Federal Credit Union\. ",
        motion.text,
    ), motion.text
    for text in DocketEntry.objects.values_list("text", flat=True):
        assert ", ." not in text and " by." not in text and ".." not in text, text
