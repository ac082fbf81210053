"""Hostile text (docket text, party names, addresses) is shown escaped on every page, feed and e-mail."""

import defusedxml.ElementTree as ET
import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from pdfmaker import make_pdf
from seckit import make_case

from cases.models import Party
from cases.services import PartyData, add_party
from dockets.models import DocketEntry, Event
from dockets.services import FilingRequest, UploadedDocument, file_docket_entry

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(2)>'
CDATA = "]]></description><script>alert(3)</script>"
RAW = ["<script>alert(", "<img src=x onerror", "]]></description><script>"]


@pytest.fixture
def hostile(demo):
    case = make_case(demo.court, title=f"Mallory {SCRIPT}")
    debtor = add_party(
        case=case,
        data=PartyData(
            role=Party.Role.DEBTOR,
            name=f"Mallory {SCRIPT}",
            address_lines=[f"1 Main St {IMG}"],
            city="San Diego",
            state="CA",
            zip_code="92101",
        ),
    )
    add_party(
        case=case,
        data=PartyData(
            role=Party.Role.CREDITOR,
            name=f"Creditor {CDATA}",
            address_lines=[f"PO Box {SCRIPT}"],
            city="Reno",
            state="NV",
            zip_code="89501",
        ),
    )
    entry = file_docket_entry(
        FilingRequest(
            case=case,
            events=[Event.objects.get(code="crcou")],
            filer=demo.users["clerk"],
            parties=[debtor],
            text_override=f"Motion {SCRIPT} {IMG} {CDATA}",
            fee_status=DocketEntry.FeeStatus.PAID,
        )
    )
    return case, entry


def _body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def _assert_escaped(body: str, where: str) -> None:
    for raw in RAW:
        assert raw not in body, f"{where} shows {raw!r} unescaped"


def test_pages_show_hostile_text_escaped(hostile, demo, tmp_path):
    """Each page shows the hostile text it displays, escaped, and never raw.

    The table says which hostile strings each page displays, so a page that stops
    escaping one (or stops showing it) fails by name.
    """
    case, _entry = hostile
    kw = {"case_id": case.pk}
    everything = (SCRIPT, IMG, CDATA)
    # A public document of an entry with the hostile text: its own page shows the text.
    motion = file_docket_entry(
        FilingRequest(
            case=case,
            events=[Event.objects.get(code="msj")],
            filer=demo.users["attorney"],
            documents=[
                UploadedDocument.from_path(
                    make_pdf(tmp_path / "motion.pdf", text="MOTION"),
                    filename="motion.pdf",
                    page_count=1,
                )
            ],
            text_override=f"Motion {SCRIPT} {IMG} {CDATA}",
        )
    )
    document = motion.documents.get()
    # page -> (url, roles that may open it, hostile strings it displays)
    pages = {
        "cases:summary": (reverse("cases:summary", kwargs=kw), (SCRIPT, IMG)),
        "dockets:docket": (reverse("dockets:docket", kwargs=kw), everything),
        "dockets:docket-html": (reverse("dockets:docket-html", kwargs=kw), everything),
        "dockets:query": (reverse("dockets:query", kwargs=kw), (SCRIPT,)),
        "dockets:document": (
            reverse("dockets:document", kwargs={"document_id": document.pk}),
            everything,
        ),
        # CM/ECF's own docket report (reports/cmecf.py writes its markup by hand).
        "dockets:legacy-dktrpt": (
            reverse("dockets:legacy-dktrpt") + f"?{case.pk}",
            everything,
        ),
        "dockets:mailing-matrix": (
            reverse("dockets:mailing-matrix", kwargs=kw),
            everything,
        ),
        # CM/ECF's Query page and raw creditor matrix (legacy URLs, hand-made markup).
        "dockets:legacy-iquery": (
            reverse("dockets:legacy-iquery") + f"?{case.pk}",
            (SCRIPT,),
        ),
        "dockets:legacy-matrix": (
            reverse("dockets:legacy-matrix") + f"?{case.pk}",
            everything,
        ),
        "dockets:claims-register": (
            reverse("dockets:claims-register", kwargs=kw),
            (SCRIPT,),
        ),
        "cases:search": (reverse("cases:search") + "?q=Mallory", (SCRIPT,)),
        # The search snippet (ts_headline) drops tag-like words; the rest shows.
        "dockets:search": (reverse("dockets:search") + "?q=Motion", (SCRIPT, IMG)),
        # A query string is never echoed back raw (nothing hostile is displayed).
        "core:home": (reverse("core:home") + f"?q={SCRIPT}", ()),
    }
    clerk_pages = {
        "cases:parties": (reverse("cases:parties", kwargs=kw), (SCRIPT, CDATA)),
        "dockets:entry-correct": (
            reverse("dockets:entry-correct", kwargs={"entry_id": motion.pk}),
            everything,
        ),
        "dockets:entry-visibility": (
            reverse("dockets:entry-visibility", kwargs={"entry_id": motion.pk}),
            everything,
        ),
        "dockets:qc-queue": (reverse("dockets:qc-queue"), everything),
    }
    # The filer's own receipts (the attorney filed the motion; the clerk is a court user).
    receipts = {
        "dockets:entry-receipt": (
            reverse("dockets:entry-receipt", kwargs={"entry_id": motion.pk}),
            everything,
        ),
        "dockets:filing-receipt": (
            reverse("dockets:filing-receipt", kwargs={"entry_id": motion.pk}),
            everything,
        ),
    }
    for role, role_pages in (
        ("clerk", {**pages, **clerk_pages, **receipts}),
        ("attorney", {**pages, **receipts}),
    ):
        client = Client()
        client.force_login(demo.users[role])
        for name, (url, displayed) in role_pages.items():
            response = client.get(url)
            assert response.status_code == 200, f"{name} as {role}"
            body = _body(response)
            _assert_escaped(body, f"{name} as {role}")
            for text in displayed:
                assert escape(text) in body, f"{name} as {role} lacks {text!r}"
    print(f"\nescaping: {len(pages)} pages x 2 roles checked")


def test_feeds_stay_well_formed(hostile, client):
    case, _entry = hostile
    for url in (
        reverse("dockets:rss-case", kwargs={"case_id": case.pk}),
        reverse("dockets:rss-court"),
    ):
        response = client.get(url)
        assert response.status_code == 200
        body = _body(response)
        root = ET.fromstring(body)  # a ]]> payload would break out of CDATA and the XML
        assert root.find(".//script") is None
        titles = " ".join(t.text or "" for t in root.iter("title"))
        if url.endswith(f"/{case.pk}/rss.xml"):
            assert (
                "Mallory <script>alert(1)</script>" in titles
            )  # the case title, as text, not markup


def test_nef_email_escapes_hostile_text(hostile):
    from dockets.pipeline.nef import render_nef
    from dockets.pipeline.services import build_notice, start_pipeline

    _case, entry = hostile
    with transaction.atomic():
        notice = start_pipeline(entry_id=entry.pk)
    assert notice is not None
    rendered = render_nef(notice=notice, entry=entry, token=None)
    _assert_escaped(rendered.html, "NEF e-mail (HTML)")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered.html
    # The notice as built for sending lists the parties served on paper (hostile names
    # and addresses), escaped too.
    built = build_notice(notice_id=notice.pk)
    _assert_escaped(built.body_html, "NEF e-mail (HTML), paper recipients")
    for shown in (f"1 Main St {IMG}", f"PO Box {SCRIPT}", f"Creditor {CDATA}"):
        assert escape(shown) in built.body_html, shown
    assert (
        "\n" not in rendered.subject and "\r" not in rendered.subject
    )  # no header injection
    assert (
        "Motion <script>alert(1)</script>" in rendered.text
    )  # plain text shows it as typed
