"""Every way a sealed document could leak, tried as every role.

Threat model: sealed and restricted filings leaked through side doors (downloads,
old NEF links, exports, search, inbox copies of NEFs) when each door decided
visibility for itself. Here each door ("surface") is a URL name plus a kwargs
builder, tried as every demo account (every role, the trainee, a login with no
role, and nobody).

To add a surface: append a Surface to SURFACES. `kind="document"` means the URL
serves a sealed file: everyone but court users must get a 404 (or the login page)
and never the file, and court users must get it (so the check is not vacuous).
`kind="gated"` is a page about one sealed document: 404 (or login) for everyone but
court users, 200 for them. `kind="page"` means the URL lists or shows entries:
nobody but court users may see the sealed text or a link to a sealed document on it,
and court users must see them there (`court_text`, `court_link`), so a page that
hides the entry from everyone cannot pass as safe.

A surface known to leak today is listed with `known_leak="why"`: it runs as a strict
xfail, so the fix turns it into a failure that asks for the marker's removal.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.urls import reverse
from pdfmaker import make_pdf

from cases.models import Case
from dockets.claims.models import Claim
from dockets.clerk import services as clerk
from dockets.models import (
    DocketEntry,
    Document,
    Event,
    Notice,
    NoticeRecipient,
    Visibility,
)
from dockets.services import FilingRequest, UploadedDocument, file_docket_entry

pytestmark = pytest.mark.django_db

SECRET = "ZEBRA-SEALED-7731 settlement with the informant"
# Every demo account (one per role, the trainee and a login with no filing role).
ROLES = [
    "anonymous",
    "public",
    "attorney",
    "attorney2",
    "agent",
    "creditor",
    "trustee",
    "ch13trustee",
    "ustrustee",
    "reporter",
    "party",
    "trainee",
    "clerk",
    "judge",
]
COURT_ROLES = {"clerk", "judge"}


@dataclass
class Leaks:
    """What the surfaces point at: a sealed entry, a sealed document of a public entry,
    a sealed claim attachment, and a recipient's NEF link sent before the sealing."""

    case: Case
    sealed_entry: DocketEntry
    sealed_doc: Document
    public_entry: DocketEntry
    doc_sealed_alone: Document
    token: str
    claim: Claim | None = None
    claim_doc: Document | None = None
    sealed_docs: list[Document] = field(default_factory=list)


@dataclass
class Surface:
    name: str
    kwargs: Callable[[Leaks], dict]
    kind: str = "page"  # "page" or "document"
    query: str = ""
    court_sees: bool = True  # document surfaces: court users get the file
    # Page surfaces, the positive control: what court users must see there (the
    # sealed text, a link to a sealed document). A page that shows neither to anyone
    # says why in `shows_no_sealed`.
    plain: bool = False  # a CSV export: addresses appear bare, not in href="..."
    court_text: str = SECRET
    court_link: bool = True
    shows_no_sealed: str = ""
    known_leak: str = ""

    @property
    def id(self) -> str:
        return f"{self.name}{self.query}"


def _doc(attr: str) -> Callable[[Leaks], dict]:
    def build(ctx: Leaks) -> dict:
        document = getattr(ctx, attr)
        assert document is not None, f"{attr}: the fixture built no document"
        return {"document_id": document.pk}

    return build


def _case(ctx: Leaks) -> dict:
    return {"case_id": ctx.case.pk}


def _claim(ctx: Leaks) -> dict:
    assert ctx.claim is not None, "the fixture built no claim"
    return {"claim_id": ctx.claim.pk}


def _NOTHING(why: str) -> dict:
    return {"court_text": "", "court_link": False, "shows_no_sealed": why}


SURFACES = [
    # Documents themselves.
    Surface("dockets:document", _doc("sealed_doc"), kind="gated"),
    Surface("dockets:document", _doc("doc_sealed_alone"), kind="gated"),
    Surface("dockets:document-download", _doc("sealed_doc"), kind="document"),
    Surface(
        "dockets:document-download",
        _doc("sealed_doc"),
        kind="document",
        query="?original=1",
    ),
    Surface("dockets:document-download", _doc("doc_sealed_alone"), kind="document"),
    Surface("dockets:qc-document", _doc("sealed_doc"), kind="document"),
    # A link in an NEF sent before the sealing: grants nothing now.
    Surface(
        "dockets:notice-link",
        lambda ctx: {"token": ctx.token, "document_id": ctx.sealed_doc.pk},
        kind="document",
        court_sees=False,  # the link belongs to the attorney; court users read it elsewhere
    ),
    # Pages that list entries and documents.
    Surface("dockets:docket", _case),
    Surface("dockets:docket", _case, query="?sort=newest"),
    Surface("dockets:docket-html", _case),
    Surface("dockets:docket-csv", _case, plain=True),
    Surface("dockets:query", _case, **_NOTHING("a menu of reports")),
    Surface(
        "dockets:entry-receipt",
        lambda ctx: {"entry_id": ctx.sealed_entry.pk},
    ),
    # Search highlights the hit, so the court's control is the marked word.
    Surface(
        "dockets:search",
        lambda ctx: {},
        query="?q=ZEBRA",
        court_text="<mark>ZEBRA</mark>-SEALED",
        court_link=False,
    ),
    Surface(
        "dockets:case-search-text",
        _case,
        query="?q=ZEBRA",
        court_text="<mark>ZEBRA</mark>-SEALED",
        court_link=False,
    ),
    Surface("dockets:rss-court", lambda ctx: {}, **_NOTHING("feeds are public-only")),
    Surface("dockets:rss-case", _case, **_NOTHING("feeds are public-only")),
    Surface("cases:summary", _case, **_NOTHING("the case header lists no entries")),
    # The claims register and a claim's attachment.
    Surface("dockets:claims-register", _case, **_NOTHING("claims, not entries")),
    Surface("dockets:claim-detail", _claim, court_text=""),
    Surface("dockets:claim-document", _doc("claim_doc"), kind="document"),
    Surface("dockets:document-download", _doc("claim_doc"), kind="document"),
]


def _pdf(tmp_path: Path, name: str, text: str) -> UploadedDocument:
    path = make_pdf(tmp_path / name, text=text)
    return UploadedDocument.from_path(
        path, filename=name, page_count=1, description=name.removesuffix(".pdf")
    )


def _file_claim(case, creditor, tmp_path):
    from dockets.claims.services import ClaimData, file_claim

    version = file_claim(
        case=case,
        filer=creditor,
        data=ClaimData(
            creditor_name="Coastal Federal Credit Union",
            creditor_address="P.O. Box 9000\nSan Diego, CA 92169",
            basis="Money loaned",
            amount_cents=100000,
            unsecured_cents=100000,
            signer_name="Coastal Federal",
            attachment_names=["Account statement"],
        ),
        attachments=[_pdf(tmp_path, "statement.pdf", "ACCOUNT STATEMENT")],
    )
    assert version.entry is not None
    attachment = version.entry.documents.order_by("-sequence").first()
    return version.claim, attachment


@pytest.fixture
def leaks(world, tmp_path) -> Leaks:
    users = world.users
    motion = Event.objects.get(code="msj")
    sealed_entry = file_docket_entry(
        FilingRequest(
            case=world.case,
            events=[motion],
            filer=users["attorney"],
            documents=[_pdf(tmp_path, "main.pdf", "SEALED MOTION")],
            text_override=f"Motion. {SECRET}",
        )
    )
    sealed_doc = sealed_entry.documents.get()
    # The NEF went out before the clerk sealed the entry (each recipient's inbox got a
    # copy); its links and those copies must now show nothing.
    from dockets.pipeline.services import send_notice

    notice = Notice.objects.create(entry=sealed_entry, kind=Notice.Kind.NEF)
    send_notice(notice_id=notice.pk)
    recipient = NoticeRecipient.objects.get(
        notice=notice, user=users["attorney"], method=NoticeRecipient.Method.EMAIL
    )
    clerk.set_entry_visibility(
        entry=sealed_entry,
        clerk=users["clerk"],
        visibility=Visibility.SEALED,
        reason="Order #9",
    )
    public_entry = file_docket_entry(
        FilingRequest(
            case=world.case,
            events=[motion],
            filer=users["attorney"],
            documents=[
                _pdf(tmp_path, "public.pdf", "PUBLIC MOTION"),
                _pdf(tmp_path, "exhibit.pdf", "EXHIBIT"),
            ],
        )
    )
    doc_sealed_alone = public_entry.documents.order_by("sequence").last()
    assert doc_sealed_alone is not None
    clerk.set_document_visibility(
        document=doc_sealed_alone,
        clerk=users["clerk"],
        visibility=Visibility.SEALED,
        reason="FRBP 9037",
    )
    claim, claim_doc = _file_claim(world.case, users["creditor"], tmp_path)
    if claim_doc is not None:
        clerk.set_document_visibility(
            document=claim_doc,
            clerk=users["clerk"],
            visibility=Visibility.SEALED,
            reason="Unredacted account numbers",
        )
    sealed_docs = [
        d for d in (sealed_doc, doc_sealed_alone, claim_doc) if d is not None
    ]
    for document in sealed_docs:
        document.refresh_from_db()
    return Leaks(
        case=world.case,
        sealed_entry=sealed_entry,
        sealed_doc=sealed_doc,
        public_entry=public_entry,
        doc_sealed_alone=doc_sealed_alone,
        token=recipient.token,
        claim=claim,
        claim_doc=claim_doc,
        sealed_docs=sealed_docs,
    )


def _document_urls(document) -> list[str]:
    urls = []
    for name in (
        "dockets:document",
        "dockets:document-download",
        "dockets:qc-document",
        "dockets:claim-document",
    ):
        urls.append(reverse(name, kwargs={"document_id": document.pk}))
    # CM/ECF's address of the same document (reports/legacy.py).
    urls.append(reverse("dockets:legacy-doc1", kwargs={"cmecf_id": document.cmecf_id}))
    return urls


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def _is_pdf(response, body: bytes) -> bool:
    return response.get("Content-Type", "").startswith(
        "application/pdf"
    ) or body.startswith(b"%PDF")


def _links_to_sealed(text: str, leaks: Leaks, *, plain: bool = False) -> list[str]:
    """The links (href/src/data or an RSS <link>) on a page to any sealed document;
    in a `plain` export (CSV) any mention of the address counts."""
    return [
        link
        for document in leaks.sealed_docs
        for link in _document_urls(document)
        if (plain and link in text)
        or re.search(r'(?:href|src|data)="[^"]*' + re.escape(link) + r'(?:["?#])', text)
        or re.search(r"<link>[^<]*" + re.escape(link), text)
    ]


def _client_for(client, role, users):
    client.logout()
    if role != "anonymous":
        client.force_login(users[role])
    return client


def _params():
    for s in SURFACES:
        marks = (
            [pytest.mark.xfail(strict=True, reason=s.known_leak)]
            if s.known_leak
            else []
        )
        yield pytest.param(s, id=s.id, marks=marks)


@pytest.mark.parametrize("surface", list(_params()))
def test_sealed_documents_do_not_leak(surface, leaks, world, client):
    """No role but the court reads a sealed document or its text through this surface."""
    url = reverse(surface.name, kwargs=surface.kwargs(leaks)) + surface.query
    problems = []
    for role in ROLES:
        c = _client_for(client, role, world.users)
        response = c.get(url)
        body = _body(response)
        court = role in COURT_ROLES
        if surface.kind == "gated":
            if court:
                if response.status_code != 200:
                    problems.append(
                        f"{role}: court user could not open it (status {response.status_code})"
                    )
            elif response.status_code == 200:
                problems.append(f"{role}: opened the page of a sealed document")
            elif response.status_code not in (301, 302, 303, 307, 308, 403, 404):
                problems.append(f"{role}: unexpected status {response.status_code}")
            continue
        if surface.kind == "document":
            if court and surface.court_sees:
                if response.status_code != 200 or not _is_pdf(response, body):
                    problems.append(
                        f"{role}: court user could not read it (status {response.status_code})"
                    )
                continue
            if response.status_code == 200 and _is_pdf(response, body):
                problems.append(f"{role}: got the sealed PDF")
            elif response.status_code in (301, 302, 303, 307, 308):
                target = c.get(url, follow=True)
                if _is_pdf(target, _body(target)):
                    problems.append(f"{role}: redirected to the sealed PDF")
            elif response.status_code not in (403, 404):
                problems.append(f"{role}: unexpected status {response.status_code}")
            if SECRET.encode() in body:
                problems.append(f"{role}: saw the sealed docket text")
            continue
        text = body.decode(errors="replace")
        if court:
            # The positive control: the court reads on this page what others may not.
            if response.status_code != 200:
                problems.append(f"{role}: court user got status {response.status_code}")
            if surface.court_text and surface.court_text not in text:
                problems.append(f"{role}: court user does not see the sealed text")
            if surface.court_link and not _links_to_sealed(
                text, leaks, plain=surface.plain
            ):
                problems.append(f"{role}: court user sees no sealed document link")
            continue
        if response.status_code >= 500:
            problems.append(f"{role}: server error {response.status_code}")
        if SECRET in text:
            problems.append(f"{role}: saw the sealed docket text")
        # What the court sees here (a search snippet marks the hit, so the text is
        # split by <mark>) nobody else may see.
        if surface.court_text and surface.court_text in text:
            problems.append(f"{role}: saw the sealed text as the court does")
        for link in _links_to_sealed(text, leaks, plain=surface.plain):
            problems.append(f"{role}: page links to a sealed document ({link})")
    assert not problems, f"{surface.id} leaks:\n" + "\n".join(problems)


def test_nef_built_after_sealing_carries_no_sealed_text_or_link(leaks):
    """An NEF built (or re-sent) after the sealing never carries the sealed text or a working link."""
    from dockets.pipeline.services import build_notice

    notice = Notice.objects.create(entry=leaks.sealed_entry, kind=Notice.Kind.NEF)
    built = build_notice(notice_id=notice.pk)
    built.refresh_from_db()
    assert SECRET not in built.body_text and SECRET not in built.body_html
    for link in _document_urls(leaks.sealed_doc):
        assert link not in built.body_html


def test_inbox_copies_of_an_nef_sent_before_sealing_no_longer_show_it(leaks, client):
    """Every recipient's in-app copy of the NEF sent before the sealing stops showing
    the sealed text once the entry is sealed (the copy is ECF's own page)."""
    from filers.permissions import is_active_court_user

    copies = list(
        NoticeRecipient.objects.filter(
            notice__entry=leaks.sealed_entry, delivery__isnull=False
        ).select_related("user", "delivery__message")
    )
    readers = [c for c in copies if not is_active_court_user(c.user)]
    assert readers, "the NEF reached no one outside the court: nothing was tested"
    for copy in readers:
        assert copy.delivery is not None and copy.user is not None
        message = copy.delivery.message
        assert SECRET in message.body_text  # what was sent, before the sealing
        client.force_login(copy.user)
        for url in (
            reverse("core:inbox"),
            reverse("core:inbox-message", kwargs={"message_id": message.pk}),
        ):
            response = client.get(url)
            assert response.status_code == 200, (copy.user.email, url)
            assert SECRET not in response.content.decode(), (copy.user.email, url)


@pytest.mark.parametrize(
    ("name", "feed", "case_kwargs"),
    [
        ("dockets:rss-court", "court_feed", False),
        ("dockets:rss-case", "case_feed", True),
        ("dockets:legacy-rss", "rss_outside", False),
    ],
)
def test_feeds_list_no_sealed_entry(leaks, client, name, feed, case_kwargs):
    """A feed reader (anonymous) gets an item for the public entry and none for the
    sealed one: not its text, not its event name, not even that it was filed."""
    from dockets.reports import feeds, legacy

    maker = getattr(legacy if feed == "rss_outside" else feeds, feed)
    kwargs = {"case_id": leaks.case.pk} if case_kwargs else {}
    client.logout()
    text = client.get(reverse(name, kwargs=kwargs)).content.decode()
    assert f"{maker.item_guid(leaks.public_entry)}</guid>" in text
    assert f"{maker.item_guid(leaks.sealed_entry)}</guid>" not in text
