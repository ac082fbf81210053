"""Nothing sealed reaches anyone not entitled to it through the public-access surfaces:
docket pages (every sort and page), CSV and HTML exports, court and case search, RSS
feeds (and the /cgi-bin/ alias), the docket-activity report, follow e-mails and the
PDF docket sheet. Tried as every role. (The clerk area's test_sealing_leaks.py lists
these surfaces too, among every other door.)"""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader
from testkit import celery_eager

from core.models import InboxMessage
from dockets.clerk import services as clerk
from dockets.models import Visibility
from dockets.reports.sheets import make_docket_sheet, request_docket_sheet

pytestmark = pytest.mark.django_db

MARKER = "NARWHAL-SEALED-5521"
SECRET = f"{MARKER} informant"
ROLES = [
    "anonymous",
    "public",
    "attorney",
    "attorney2",
    "creditor",
    "trustee",
    "ustrustee",
    "agent",
    "clerk",
    "judge",
]
COURT = {"clerk", "judge"}


@pytest.fixture
def sealed(world, file_entry):
    users = world.users
    entry = file_entry(
        world.case, "msj", users["attorney"], text_override=f"Motion. {SECRET}"
    )
    clerk.set_entry_visibility(
        entry=entry,
        clerk=users["clerk"],
        visibility=Visibility.SEALED,
        reason="Order 9",
    )
    public = file_entry(
        world.case,
        "msj",
        users["attorney"],
        attachments=["Unredacted statement"],
        text_override="Motion for turnover of narwhal.",
    )
    lone = public.documents.get(sequence=1)
    clerk.set_document_visibility(
        document=lone, clerk=users["clerk"], visibility=Visibility.SEALED, reason="9037"
    )
    return {"entry": entry, "docs": [entry.documents.get(), lone], "public": public}


def _surfaces(case) -> list[tuple[str, bool]]:
    """(url, whether a court user sees the sealed text there): the second part keeps
    the test from passing vacuously (a surface that shows nothing to anyone)."""
    cid = {"case_id": case.pk}
    docket = reverse("dockets:docket", kwargs=cid)
    return [
        (docket, True),
        (docket + "?sort=newest", True),
        (docket + "?sort=number&page=last", True),
        (docket + "?number_from=1&number_to=5&submitted=1&parties=0", True),
        (reverse("dockets:docket-csv", kwargs=cid), True),
        (reverse("dockets:docket-html", kwargs=cid), True),
        (reverse("dockets:search") + "?q=informant", True),
        (reverse("dockets:search") + "?q=narwhal", False),
        (reverse("dockets:case-search-text", kwargs=cid) + "?q=informant", True),
        (reverse("dockets:case-search-text", kwargs=cid) + "?q=narwhal", False),
        (reverse("dockets:rss-court"), False),
        (reverse("dockets:rss-case", kwargs=cid), False),
        ("/cgi-bin/rss_outside.pl", False),
        (reverse("dockets:query", kwargs=cid), False),
        (reverse("dockets:report-docket-activity"), True),
    ]


def _body(response) -> str:
    data = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    return data.decode(errors="replace")


@pytest.mark.parametrize("role", ROLES)
def test_no_surface_shows_sealed_text_or_links(world, sealed, client, role):
    if role != "anonymous":
        client.force_login(world.users[role])
    links = [
        reverse("dockets:document", kwargs={"document_id": d.pk})
        for d in sealed["docs"]
    ]
    links += [
        reverse("dockets:document-download", kwargs={"document_id": d.pk})
        for d in sealed["docs"]
    ]
    problems = []
    for url, court_sees in _surfaces(world.case):
        response = client.get(url)
        if "report" in url and role in ("anonymous", "public"):
            assert response.status_code in (302, 404), (
                url
            )  # reports: filers and clerks only
            continue
        assert response.status_code == 200, (url, response.status_code)
        body = _body(response)
        if role in COURT:
            if court_sees and MARKER not in body:
                problems.append(f"{url}: a court user did not see the sealed text")
            continue
        if MARKER in body:
            problems.append(f"{url}: sealed text")
        for link in links:
            if re.search(re.escape(link) + r"[\"'?#]", body):
                problems.append(f"{url}: link {link}")
    assert not problems, "\n".join(problems)


def test_follow_emails_never_carry_sealed_entries(
    world, request, django_capture_on_commit_callbacks
):
    """Followers are told at send time, each as far as they may see: the court reads
    the sealed text, nobody else gets a word of it or a link to the sealed attachment."""
    from dockets.alerts.services import follow

    for role in ("public", "attorney2", "clerk"):
        follow(user=world.users[role], kind="case", case=world.case)
    with celery_eager(), django_capture_on_commit_callbacks(execute=True):
        sealed = request.getfixturevalue("sealed")
    lone = reverse("dockets:document", kwargs={"document_id": sealed["docs"][1].pk})
    messages = InboxMessage.objects.filter(kind="alert")
    for role in ("public", "attorney2"):
        mine = messages.filter(user=world.users[role])
        assert mine.filter(body_text__contains="narwhal").exists()
        for message in mine:
            assert SECRET not in message.body_text + message.body_html + message.subject
            assert lone not in message.body_text + message.body_html
    assert messages.filter(
        user=world.users["clerk"], body_text__contains=SECRET
    ).exists()


def test_pdf_docket_sheet_never_carries_sealed_text_whoever_asks(world, sealed, client):
    for role in ("anonymous", "attorney", "clerk"):
        client.logout()
        if role != "anonymous":
            client.force_login(world.users[role])
        job = request_docket_sheet(case=world.case, user=world.users.get(role))
        make_docket_sheet(job=job)
        response = client.get(
            reverse("dockets:docket-pdf-download", kwargs={"token": job.token})
        )
        text = "".join(
            p.extract_text()
            for p in PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages
        )
        assert SECRET not in text and "SEALED DOCUMENT" in text and "narwhal" in text
