"""The edit NEF ("Docket Entry #N has been updated") and who receives it."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from cases.models import Case
from core import clock
from core.mail import send_message
from filers.models import User

from ...models import (
    DocketEntry,
    Notice,
    NoticeRecipient,
)
from .common import (
    mdy,
)


def _notice_recipients(
    case: Case, entry: DocketEntry
) -> list[tuple[User | None, str, str]]:
    """(user, name, email) of whoever gets this entry's NEF: the pipeline's one rule
    (dockets.pipeline.recipients.recipients_for)."""
    from ...pipeline.recipients import recipients_for

    plan = recipients_for(entry)
    users = User.objects.in_bulk([a.user_id for a in plan.electronic if a.user_id])
    return [
        (users.get(a.user_id), a.name, email)
        for a in plan.electronic
        for email in a.emails
    ]


def send_edit_notice(
    *, entry: DocketEntry, clerk: User, before: str, after: str
) -> Notice:
    """Send "Docket Entry #N has been updated" with the before and after text.

    Writes the Notice (kind edit) and sends it through core.mail to the entry's NEF
    recipients.
    """
    case = entry.case
    now = clock.now()
    number = entry.number or "(unnumbered)"
    subject = f"{case.display_number} Docket Entry #{number} has been updated"
    body = "\n".join(
        [
            "U.S. Bankruptcy Court",
            settings.ECF_COURT_NAME,
            "Notice of Electronic Filing",
            "",
            f"The following transaction was edited by {clerk.get_full_name()} on {mdy(now)} {clock.tz_abbrev()}",
            "",
            f"Case Name:       {case.title}",
            f"Case Number:     {case.display_number}",
            f"Document Number: {number}",
            "",
            "Description of changes:",
            f"Modified Dkt text from: {before}",
            f"to: {after}",
        ]
    )
    notice = Notice.objects.create(
        entry=entry,
        kind=Notice.Kind.EDIT,
        status=Notice.Status.DONE,
        subject=subject[:300],
        body_text=body,
        extra={"before": before, "after": after, "edited_by": clerk.pk},
        sent_at=timezone.now(),
    )
    for user, name, email in _notice_recipients(case, entry):
        NoticeRecipient.objects.create(
            notice=notice,
            user=user,
            name=name[:200],
            email=email,
            method=NoticeRecipient.Method.EMAIL,
            status=NoticeRecipient.Status.SENT,
            sent_at=timezone.now(),
        )
        send_message(to_email=email, subject=subject, text=body, user=user, kind="nef")
    return notice
