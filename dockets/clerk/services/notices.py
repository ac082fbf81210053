"""The edit NEF ("Docket Entry #N has been updated") and who receives it."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from cases.models import Case, Representation, Trustee
from core import clock
from core.mail import send_message

from ...models import (
    DocketEntry,
    Notice,
    NoticeRecipient,
)
from .common import (
    mdy,
)


def _notice_recipients(case: Case, entry: DocketEntry) -> list[tuple[object, str, str]]:
    """(user, name, email) of whoever gets this entry's NEF.

    Uses the pipeline's rules (dockets.pipeline.services.recipients_for) when present;
    otherwise the filer, attorneys of record with notice on, and the trustees.
    """
    from filers.models import User

    try:
        from ...pipeline.services import recipients_for
    except ImportError:
        recipients_for = None
    if recipients_for is not None:
        plan = recipients_for(entry)
        users = User.objects.in_bulk([a.user_id for a in plan.electronic if a.user_id])
        return [
            (users.get(a.user_id), a.name, email)
            for a in plan.electronic
            for email in a.emails
        ]
    seen: dict[str, tuple] = {}

    def add(user, name=""):
        if user is not None and user.email and user.email.lower() not in seen:
            seen[user.email.lower()] = (user, name or user.get_full_name(), user.email)

    add(entry.filer)
    for rep in Representation.objects.filter(
        case=case, notice=True, terminated_on__isnull=True
    ).select_related("attorney"):
        add(rep.attorney)
    if case.trustee_id and case.trustee.user_id:
        add(case.trustee.user, case.trustee.name)
    for ust in Trustee.objects.filter(
        court=case.court_id, kind=Trustee.Kind.US_TRUSTEE, user__isnull=False
    ).select_related("user"):
        add(ust.user, ust.name)
    return list(seen.values())


def send_edit_notice(*, entry: DocketEntry, clerk, before: str, after: str) -> Notice:
    """Send "Docket Entry #N has been updated" with the before and after text.

    Uses the pipeline's notice service when it offers one for edit notices;
    otherwise writes the Notice (kind edit) and sends it through core.mail.
    """
    try:
        from ...pipeline import services as pipeline
    except ImportError:
        pipeline = None
    hook = getattr(pipeline, "send_edit_notice", None) if pipeline else None
    if hook is not None:
        return hook(entry=entry, editor=clerk, before=before, after=after)
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
