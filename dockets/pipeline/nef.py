"""The Notice of Electronic Filing, in the CM/ECF layout (cmecf.md 5.2), as HTML and text.

Every value that a user typed (case names, party names, docket text, file names)
goes through Django's autoescaping in the HTML template; the text template is
plain text and never rendered as HTML. The HTML is a fragment: it is both the
e-mail's HTML part and what the in-app inbox shows inside its own page.

A notice is rendered once per notice, not once per recipient: recipient links
carry MAGIC_PLACEHOLDER (and TOKEN_PLACEHOLDER), which the sender replaces with each
recipient's numeric free-look number (and token).

The layout is CM/ECF's (reference/cmecf-samples/nef_s3_cacb_1.txt), so tools that read
NEFs (CourtListener/RECAP through juriscraper, docketing software) read these: the
`Case Name:` / `Case Number:` / `Document Number:` table cells, the case link to
`/cgi-bin/DktRpt.pl?<case id>`, the document link to
`/doc1/<id>?pdf_header=&magic_num=<n>&de_seq_num=<s>&caseid=<c>`, one
`Document description:` per document, and the "Notice has been electronically mailed
to:" list of names and addresses. The text part carries the same, in CM/ECF's plain
layout.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from core import clock

from ..models import DocketEntry, Document, Notice, NoticeRecipient, Visibility

SEALED_TEXT = "**SEALED DOCUMENT** (This document is SEALED and only available to authorized persons.)"

# URL-safe and never produced by secrets.token_urlsafe (which has no 'placeholder' runs
# this long in practice, and the sender replaces only this exact string).
TOKEN_PLACEHOLDER = "NEFxTOKENxPLACEHOLDERxNEF"  # noqa: S105 (a placeholder, no secret)
# The same for the recipient's numeric magic_num in CM/ECF-style /doc1/ links.
MAGIC_PLACEHOLDER = "NEFxMAGICxPLACEHOLDERxNEF"

# cmecf.md 5.1: the subject format is the court's; this is the DEB/NJB style.
DEFAULT_SUBJECT_FORMAT = "{chapter_prefix}{case_number} {case_name} {event}"

TITLES: dict[str, str] = {
    Notice.Kind.NEF: "Notice of Electronic Filing",
    Notice.Kind.CASE_OPENING: "Notice of Bankruptcy Case Filing",
    Notice.Kind.CLAIM: "Notice of Electronic Claims Filing",
    Notice.Kind.EDIT: "Notice of Docket Text Modification",
}

PUBLIC_NOTE = (
    "***NOTE TO PUBLIC ACCESS USERS*** Judicial Conference of the United States policy "
    "permits attorneys of record and parties in a case (including pro se litigants) to "
    "receive one free electronic copy of all documents filed electronically, if receipt "
    "is required by law or directed by the filer. On this court's ECF, reading dockets "
    "and unsealed documents is free at any time, so there is nothing to pay later. "
    "A transcript stays restricted until its release date."
)


@dataclass
class Rendered:
    text: str
    html: str
    subject: str = ""


def _one_line(value: str) -> str:
    return " ".join(str(value).split())


def nef_subject(entry: DocketEntry) -> str:
    """The e-mail subject in the court's format (ECF_NEF_SUBJECT_FORMAT), on one line."""
    case = entry.case
    fmt = getattr(settings, "ECF_NEF_SUBJECT_FORMAT", DEFAULT_SUBJECT_FORMAT)
    chapter_prefix = (
        f"Ch-{case.chapter} " if case.chapter and not case.is_adversary else ""
    )
    subject = fmt.format(
        chapter_prefix=chapter_prefix,
        case_number=case.display_number,
        case_name=_one_line(case.title)[:30].strip(),
        event=_one_line(entry.event.name),
        number=entry.number or "",
    )
    return _one_line(subject)


def site_url(path: str) -> str:
    return settings.ECF_SITE_URL.rstrip("/") + path


def document_link(
    document: Document, *, entry: DocketEntry, magic: str | int | None = None
) -> str:
    """CM/ECF's NEF document link: `/doc1/<id>?pdf_header=&magic_num=<m>&de_seq_num=<s>&caseid=<c>`.

    `magic` is the recipient's numeric free-look number (NoticeRecipient.magic_num, or
    MAGIC_PLACEHOLDER while rendering once per notice); without it (the filer's stored
    copy) the link opens the document like any /doc1/ link, with no free look.
    """
    path = reverse("dockets:legacy-doc1", kwargs={"cmecf_id": document.cmecf_id})
    return site_url(
        f"{path}?pdf_header=&magic_num={magic if magic is not None else ''}"
        f"&de_seq_num={entry.seq}&caseid={entry.case_id}"
    )


def docket_link(case_id: int) -> str:
    """CM/ECF's docket report address of the case, `/cgi-bin/DktRpt.pl?<case id>`."""
    return site_url(f"{reverse('dockets:legacy-dktrpt')}?{case_id}")


def _mailed(recipients: list[NoticeRecipient]) -> list[dict]:
    """Group e-mail recipients by person: name, on whose behalf, all their addresses."""
    groups: dict[object, dict] = {}
    for r in recipients:
        key = r.user_id or r.email
        group = groups.get(key)
        if group is None:
            group = {"name": r.name, "on_behalf_of": r.on_behalf_of, "emails": []}
            groups[key] = group
        group["emails"].append(r.email)
    return list(groups.values())


def _lists(mailed: list[dict], not_mailed: list[dict]) -> dict:
    """The two recipient lists, as escaped HTML and as text.

    Built here rather than in a template loop: a notice can list thousands of people,
    and this is most of the rendering time.
    """
    # CM/ECF's layout: "<name> on behalf of <party>" then the addresses, one person per
    # block, as plain lines (not a list) so NEF readers find them after the heading.
    mailed_html = "".join(
        escape(m["name"])
        + (f" on behalf of {escape(m['on_behalf_of'])}" if m["on_behalf_of"] else "")
        + "<br>\n"
        + escape(", ".join(m["emails"]))
        + "<br><br>\n"
        for m in mailed
    )
    mailed_text = "".join(
        m["name"]
        + (f" on behalf of {m['on_behalf_of']}" if m["on_behalf_of"] else "")
        + "\n"
        + ", ".join(m["emails"])
        + "\n\n"
        for m in mailed
    )
    paper_html = "".join(
        "<br>\n".join(escape(line) for line in [p["name"], *p["address_lines"]])
        + "<br><br>\n"
        for p in not_mailed
    )
    paper_text = "".join(
        "\n".join([p["name"], *p["address_lines"]]) + "\n\n" for p in not_mailed
    )
    return {
        "mailed_html": mark_safe(mailed_html),  # noqa: S308 (each line escaped above)
        "mailed_text": mailed_text,
        "not_mailed_html": mark_safe(paper_html),  # noqa: S308 (each line escaped above)
        "not_mailed_text": paper_text,
    }


def nef_context(
    *,
    notice: Notice,
    entry: DocketEntry,
    documents: list[Document],
    recipients: list[NoticeRecipient],
    token: str | None,
) -> dict:
    from ..permissions import can_see_entry_text, effective_document_visibility
    from .headers import stamp_text

    entered = clock.local(entry.entered_at)
    case = entry.case
    emailed = [r for r in recipients if r.method == NoticeRecipient.Method.EMAIL]
    # An e-mail leaves the court: a sealed or court-only entry's text and documents
    # never go in it, even to its own filer (dockets.permissions decides, as everywhere).
    text_public = can_see_entry_text(None, entry)
    magic = MAGIC_PLACEHOLDER if token else None
    documents = [
        d
        for d in documents
        if text_public
        and effective_document_visibility(d, entry)
        not in (Visibility.SEALED, Visibility.COURT)
    ]
    return {
        "title": TITLES.get(notice.kind, TITLES[Notice.Kind.NEF]),
        "public_note": PUBLIC_NOTE,
        "court_name": settings.ECF_COURT_NAME,
        "district": case.court.district,
        "is_training": settings.ECF_IS_TRAINING,
        "filer_name": entry.filer_name or "the Clerk's Office",
        "entered_on": f"{entered.month}/{entered.day}/{entered.year}",
        "entered_time": entered.strftime("%I:%M %p").lstrip("0")
        + " "
        + entered.strftime("%Z"),
        "filed_on": f"{entry.filed_date.month}/{entry.filed_date.day}/{entry.filed_date.year}",
        "case_name": _one_line(case.title)[:50],
        "case_number": case.display_number,
        "case_url": docket_link(case.pk),
        "document_number": entry.number,
        "document_url": document_link(documents[0], entry=entry, magic=magic)
        if documents
        else "",
        "docket_text": entry.text if text_public else SEALED_TEXT,
        "documents": [
            {
                "description": d.description,
                "original_filename": d.original_filename,
                "stamp": stamp_text(d, entry),
                "url": document_link(d, entry=entry, magic=magic),
            }
            for d in documents
        ],
        **_lists(_mailed(emailed), notice.extra.get("not_mailed", [])),
    }


def render_nef(
    *,
    notice: Notice,
    entry: DocketEntry,
    token: str | None,
    documents: list[Document] | None = None,
    recipients: list[NoticeRecipient] | None = None,
) -> Rendered:
    """Render the NEF; with `token`, its document links are that recipient's notice links.

    `documents` (in sequence order) and `recipients` (by id) when the caller has them
    already; else they are read here.
    """
    if documents is None:
        documents = list(entry.documents.order_by("sequence", "id"))
    if recipients is None:
        recipients = list(
            notice.recipients.filter(method=NoticeRecipient.Method.EMAIL)
            .order_by("id")
            .only("id", "notice", "user", "name", "on_behalf_of", "email", "method")
        )
    context = nef_context(
        notice=notice,
        entry=entry,
        documents=documents,
        recipients=recipients,
        token=token,
    )
    return Rendered(
        text=render_to_string("dockets/pipeline/nef.txt", context),
        html=render_to_string("dockets/pipeline/nef.html", context),
        subject=nef_subject(entry),
    )


def stored_copy(template: Rendered) -> Rendered:
    """The notice's stored (filer's) copy, from the recipients' rendering.

    The two differ only in the document links' free-look number (render_nef: a
    recipient's copy carries MAGIC_PLACEHOLDER, the stored copy none), so the stored
    copy is the same rendering with the placeholder left empty: one rendering per
    notice, not two.
    """
    return Rendered(
        text=template.text.replace(MAGIC_PLACEHOLDER, ""),
        html=template.html.replace(MAGIC_PLACEHOLDER, ""),
        subject=template.subject,
    )


def render_summary(rows: list[NoticeRecipient]) -> Rendered:
    """The daily summary: one line per NEF, each linking through that recipient's token."""
    from ..permissions import can_see_entry_text

    items = []
    for row in rows:
        entry = row.notice.entry
        text_public = can_see_entry_text(None, entry)
        main = (
            entry.documents.order_by("sequence", "id").first() if text_public else None
        )
        items.append(
            {
                "case_number": entry.case.display_number,
                "case_name": _one_line(entry.case.title)[:50],
                "number": entry.number,
                "filed_on": f"{entry.filed_date.month}/{entry.filed_date.day}/{entry.filed_date.year}",
                "docket_text": entry.text if text_public else SEALED_TEXT,
                "url": document_link(main, entry=entry, magic=row.magic_num)
                if main
                else "",
            }
        )
    today = clock.today()
    day = f"{today.month}/{today.day}/{today.year}"
    context = {"items": items, "day": day, "court_name": settings.ECF_COURT_NAME}
    return Rendered(
        text=render_to_string("dockets/pipeline/summary.txt", context),
        html=render_to_string("dockets/pipeline/summary.html", context),
        subject=f"Daily summary of notices of electronic filing for {day}",
    )
