""" "Follow this case": an e-mail to each follower for every new PUBLIC entry.

Threat model: a follower is anyone with a login, so the e-mail carries only what the
public docket shows. The check runs in the worker, at send time, against the
entry's current access level (dockets.selectors.public_entry_q): an entry sealed
between filing and sending is not sent. Hook: ECF_AFTER_FILING names
notify_followers, which queues the task; the filing's transaction has committed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.html import escape

from cases.models import Case, CaseWatch
from core.audit import record_event
from core.mail import send_message


def set_following(*, case: Case, user, on: bool) -> bool:
    """Start (on=True) or stop following `case`; returns whether anything changed."""
    with transaction.atomic():
        if on:
            try:
                with transaction.atomic():
                    _watch, created = CaseWatch.objects.get_or_create(
                        case=case, user=user, kind=CaseWatch.Kind.FOLLOW
                    )
            except IntegrityError:  # two clicks at once: the other one made it
                created = False
        else:
            created = bool(
                CaseWatch.objects.filter(
                    case=case, user=user, kind=CaseWatch.Kind.FOLLOW
                ).delete()[0]
            )
        if created:
            record_event(
                actor=user,
                action="dockets.case.followed" if on else "dockets.case.unfollowed",
                target=case,
                case_id=None,
            )
    return created


def notify_followers(entry_id: int) -> None:
    """ECF_AFTER_FILING hook: queue the follower e-mails of one entry (after commit)."""
    from .tasks import notify_followers_task

    # Most cases have no followers: ask before sending the broker a message.
    if CaseWatch.objects.filter(
        case__entries__pk=entry_id, kind=CaseWatch.Kind.FOLLOW
    ).exists():
        notify_followers_task.delay(entry_id)


def notify_followers_now(*, entry_id: int) -> int:
    """Send one e-mail per follower if the entry is public now; returns how many."""
    from dockets.models import DocketEntry
    from dockets.selectors import public_entry_q

    from .selectors import public_main_document

    entry = (
        DocketEntry.objects.filter(public_entry_q(), pk=entry_id)
        .select_related("case", "case__office", "case__judge", "event")
        .prefetch_related("documents")
        .first()
    )
    if entry is None:
        return 0
    watches = CaseWatch.objects.filter(
        case_id=entry.case_id, kind=CaseWatch.Kind.FOLLOW
    ).select_related("user")
    case = entry.case
    base = settings.ECF_SITE_URL.rstrip("/")
    docket = base + reverse("dockets:docket", kwargs={"case_id": case.pk})
    main = public_main_document(entry)
    doc_url = (
        base + reverse("dockets:document", kwargs={"document_id": main.pk})
        if main
        else ""
    )
    number = f"Doc {entry.number}" if entry.number else "Unnumbered entry"
    subject = f"{case.display_number} {case.title}: {entry.event.name}"
    text = (
        f"A new entry was made on the docket of case {case.display_number} {case.title}.\n\n"
        f"{number}, filed {entry.filed_date:%m/%d/%Y}:\n{entry.text}\n\n"
        + (f"Document: {doc_url}\n" if doc_url else "")
        + f"Docket: {docket}\n\n"
        "You receive this because you follow this case. To stop, open the docket and press "
        '"Stop following this case".\n'
    )
    html = (
        f"<p>A new entry was made on the docket of case <strong>{escape(case.display_number)}</strong> "
        f"{escape(case.title)}.</p><p>{escape(number)}, filed {entry.filed_date:%m/%d/%Y}:<br>{escape(entry.text)}</p>"
        + (
            f'<p><a href="{escape(doc_url)}">Open the document</a></p>'
            if doc_url
            else ""
        )
        + f'<p><a href="{escape(docket)}">Open the docket</a></p>'
    )
    sent = 0
    with transaction.atomic():
        for watch in watches:
            if not watch.user.email or not watch.user.is_active:
                continue
            send_message(
                to_email=watch.user.email,
                subject=subject,
                text=text,
                html=html,
                user=watch.user,
                kind="follow",
            )
            sent += 1
    return sent
