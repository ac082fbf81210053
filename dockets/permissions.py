"""Who may see what on the docket: the one place visibility is decided.

Threat model: sealed and restricted filings were exposed by breaches of the courts'
systems. Every page, download, NEF link, search result, feed and export asks these
functions (or dockets.selectors, which applies the same rules in SQL). Missing and
forbidden objects raise the same Http404.

Levels (reference/cmecf.md 1.2):
- public: anyone (reading is free);
- restricted: court users and case participants;
- court: court users only;
- sealed: court users and the users on the sealing order's allow-list (SealAllowance,
  set by the clerk; empty by default); others see SEALED, with no text or link;
- ex_parte: court users and the filer until `visible_from`, then public.
A document may be more restricted than its entry, never less. A replaced document
is court-only. Transcripts are restricted until `visible_from` (90 days), then public.
"""

from django.http import Http404
from django.utils import timezone

from cases.permissions import can_see_case, is_case_participant
from core import clock
from core.compiled import CompiledQuery
from filers.models import AnyUser
from filers.permissions import is_active_filer

from .models import DocketEntry, Document, SealAllowance, Visibility

ORDER: dict[str, int] = {
    Visibility.PUBLIC: 0,
    Visibility.EX_PARTE: 1,
    Visibility.RESTRICTED: 2,
    Visibility.COURT: 3,
    Visibility.SEALED: 4,
}


def _court_user(user: AnyUser) -> bool:
    return bool(
        user and user.is_authenticated and getattr(user, "is_court_user", False)
    )


def effective_entry_visibility(entry: DocketEntry) -> str:
    """The entry's level today: ex parte and time-limited restrictions lapse on their date."""
    level = entry.visibility
    lapsed = entry.visible_from is not None and clock.today() >= entry.visible_from
    if level in (Visibility.EX_PARTE, Visibility.RESTRICTED) and lapsed:
        return Visibility.PUBLIC
    return level


def effective_document_visibility(
    document: Document, entry: DocketEntry | None = None
) -> str:
    entry = entry or document.entry
    if document.replaced:
        return Visibility.COURT
    level = effective_entry_visibility(entry)
    if document.visibility and ORDER[document.visibility] > ORDER[level]:
        return document.visibility
    return level


def _allowed(
    user: AnyUser, level: str, entry: DocketEntry, *, participant: bool | None = None
) -> bool:
    if level == Visibility.PUBLIC:
        return True
    if _court_user(user):
        return True
    if level != Visibility.COURT and on_seal_allow_list(user, entry):
        # The sealing order names this user; court-only (and replaced) stays court's.
        return True
    if level == Visibility.EX_PARTE:
        return bool(
            user
            and user.is_authenticated
            and user.pk in (entry.filer_id, entry.entered_by_id)
        )
    if level == Visibility.RESTRICTED:
        if participant is None:
            participant = is_case_participant(user, entry.case)
        return participant
    return False  # court, sealed


def on_seal_allow_list(user: AnyUser, entry: DocketEntry) -> bool:
    """Does the sealing order of `entry` name `user` (the clerk's allow-list)?"""
    # A suspended, revoked or two-factor-less account loses what the order gave it.
    if not is_active_filer(user):
        return False
    return SealAllowance.objects.filter(entry_id=entry.id, user_id=user.pk).exists()


def can_see_entry_text(
    user: AnyUser, entry: DocketEntry, *, participant: bool | None = None
) -> bool:
    """Sealed entries show only 'SEALED' to those not entitled; others show their text."""
    level = effective_entry_visibility(entry)
    if level in (Visibility.PUBLIC, Visibility.RESTRICTED):
        return True
    return _allowed(user, level, entry, participant=participant)


def can_view_document(
    user: AnyUser, document: Document, *, participant: bool | None = None
) -> bool:
    level = effective_document_visibility(document)
    return _allowed(user, level, document.entry, participant=participant)


def access_entry(user: AnyUser, entry_id: int) -> DocketEntry:
    """Return the entry if `user` may see its case; else Http404."""
    entry = _ENTRY.first(entry_id)
    if entry is None or not can_see_case(user, entry.case):
        raise Http404
    return entry


def access_document(user: AnyUser, document_id: int) -> Document:
    """Return the document if `user` may read it; else Http404 (sealed never leaks)."""
    document = _DOCUMENT.first(document_id)
    if document is None or not can_see_case(user, document.entry.case):
        raise Http404
    if not can_view_document(user, document):
        raise Http404
    return document


# access_entry's read (the filing receipt, the entry pages), compiled once per process.
_ENTRY = CompiledQuery(
    lambda entry_id: (
        DocketEntry.objects.select_related(
            "case", "case__court", "case__office", "case__judge", "event", "filer"
        )
        .filter(pk=entry_id)
        .order_by("pk")[:1]
    )
)

# The document page's and download's read, compiled once per process (issue 21).
_DOCUMENT = CompiledQuery(
    lambda document_id: (
        Document.objects.select_related(
            "entry",
            "entry__case",
            "entry__case__court",
            "entry__case__office",
            "entry__case__judge",
        )
        .filter(pk=document_id)
        .order_by("pk")[:1]
    )
)


def now():
    return timezone.now()


def record_document_access(*, request, document: Document, route: str) -> None:
    """Log a view or download of a sealed or restricted document (any viewer, any route)
    in the access log (DocumentAccess); public documents are not logged."""
    from core.clientip import client_ip

    from .models import DocumentAccess

    level = effective_document_visibility(document)
    if level == Visibility.PUBLIC:
        return
    user = getattr(request, "user", None)
    DocumentAccess.objects.create(
        document=document,
        user=user if user is not None and user.is_authenticated else None,
        visibility=level,
        route=route[:40],
        client_ip=client_ip(request) or None,
    )
