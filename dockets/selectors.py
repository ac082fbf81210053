"""Reads of the docket that carry the visibility rules (dockets.permissions), in SQL.

Use these for lists (docket pages, search, feeds, exports): they never return a
sealed entry's text or a document the viewer may not read.
"""

from django.db.models import Q, QuerySet

from cases.models import Case
from cases.permissions import is_case_participant
from cases.selectors import training_case_q
from core import clock
from filers.models import AnyUser
from filers.permissions import is_active_filer

from .models import DocketEntry, Document, SealAllowance, Visibility


def _court_user(user: AnyUser) -> bool:
    return bool(
        user and user.is_authenticated and getattr(user, "is_court_user", False)
    )


def public_entry_q(prefix: str = "") -> Q:
    """Q for entries whose text and documents anyone may read today."""
    today = clock.today()
    p = prefix
    lapsed = Q(**{f"{p}visible_from__isnull": False, f"{p}visible_from__lte": today})
    return Q(**{f"{p}visibility": Visibility.PUBLIC}) | (
        Q(**{f"{p}visibility__in": [Visibility.EX_PARTE, Visibility.RESTRICTED]})
        & lapsed
    )


def readable_entry_q(
    user: AnyUser,
    case: Case | None = None,
    *,
    participant: bool | None = None,
    prefix: str = "",
) -> Q:
    """Q for entries whose documents `user` may read (text of sealed ones excluded too)."""
    if _court_user(user):
        return Q()
    p = prefix
    q = public_entry_q(prefix)
    if user is not None and user.is_authenticated:
        q |= Q(**{f"{p}visibility": Visibility.EX_PARTE, f"{p}filer_id": user.pk})
        q |= Q(**{f"{p}visibility": Visibility.EX_PARTE, f"{p}entered_by_id": user.pk})
        if is_active_filer(user):
            # The sealing order's allow-list (dockets.permissions.on_seal_allow_list).
            allowed = SealAllowance.objects.filter(user_id=user.pk).values("entry_id")
            q |= Q(
                **{
                    f"{p}visibility__in": [
                        Visibility.SEALED,
                        Visibility.EX_PARTE,
                        Visibility.RESTRICTED,
                    ],
                    f"{p}pk__in": allowed,
                }
            )
        if case is not None:
            if participant is None:
                participant = is_case_participant(user, case)
            if participant:
                q |= Q(**{f"{p}visibility": Visibility.RESTRICTED})
    return q


def searchable_entries_for(user: AnyUser) -> QuerySet[DocketEntry]:
    """Entries whose text `user` may search across cases: public ones for everyone else.

    Court users search everything; others search public entries (restricted entries'
    text is shown on their own dockets, but court-wide search sticks to public text).
    """
    qs = DocketEntry.objects.filter(training_case_q(user, "case__"))
    if _court_user(user):
        return qs
    return qs.filter(public_entry_q())


def documents_readable_by(
    user: AnyUser, entry: DocketEntry, *, participant: bool | None = None
) -> list[Document]:
    """The documents of one entry `user` may open (for links on pages, NEFs and feeds)."""
    from .permissions import can_view_document

    return [
        d
        for d in entry.documents.all()
        if can_view_document(user, d, participant=participant)
    ]
