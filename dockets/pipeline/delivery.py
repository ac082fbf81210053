"""After a NEF is sent: daily summaries, openings through notice links, and bounces.

Each write claims its rows under a lock and changes their status in the same
transaction that creates the message, so a re-run sends nothing twice.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.audit import record_event
from core.errors import UserFacingError
from core.mail import send_message
from filers.models import Filer

from ..models import NoticeRecipient
from .models import NoticeDelivery


def send_daily_summaries() -> int:
    """E-mail each daily-summary filer one message listing their NEFs not yet summarised.

    Each address's rows are locked and moved from DIGEST to SENT in the transaction
    that creates its summary, so a re-run sends no second summary.
    """
    from .nef import render_summary

    sent = 0
    keys = (
        NoticeRecipient.objects.filter(status=NoticeRecipient.Status.DIGEST)
        .values_list("user_id", "email")
        .distinct()
    )
    for user_id, email in list(keys):
        with transaction.atomic():
            rows = list(
                NoticeRecipient.objects.select_for_update(
                    skip_locked=True, of=("self",)
                )
                .filter(
                    status=NoticeRecipient.Status.DIGEST, user_id=user_id, email=email
                )
                .select_related(
                    "notice__entry__case__office", "notice__entry__case__judge", "user"
                )
                .order_by("notice__entry__filed_at", "id")
            )
            if not rows:
                continue
            rendered = render_summary(rows)
            message = send_message(
                to_email=email,
                subject=rendered.subject,
                text=rendered.text,
                html=rendered.html,
                user=rows[0].user,
                kind="summary",
            )
            now = timezone.now()
            NoticeRecipient.objects.filter(pk__in=[row.pk for row in rows]).update(
                status=NoticeRecipient.Status.SENT, sent_at=now, updated_at=now
            )
            NoticeDelivery.objects.bulk_create(
                [NoticeDelivery(recipient=row, message=message) for row in rows],
                ignore_conflicts=True,
            )
            sent += 1
    return sent


# -- opening, bounces --------------------------------------------------------------


def record_open(*, recipient: NoticeRecipient) -> None:
    """Record the first time a recipient opened a document from their NEF link."""
    NoticeRecipient.objects.filter(pk=recipient.pk, opened_at__isnull=True).update(
        opened_at=timezone.now(), updated_at=timezone.now()
    )


def mark_bounced(*, recipient: NoticeRecipient, reason: str = "") -> NoticeRecipient:
    """Mark one NEF delivery bounced and flag the address on the recipient's filer account."""
    with transaction.atomic():
        recipient = (
            NoticeRecipient.objects.select_for_update()
            .select_related("notice__entry")
            .get(pk=recipient.pk)
        )
        recipient.status = NoticeRecipient.Status.BOUNCED
        recipient.error_message = (
            reason or "The mail server returned the message as undeliverable."
        )[:1000]
        recipient.save(update_fields=["status", "error_message", "updated_at"])
        if recipient.user_id:
            Filer.objects.filter(user_id=recipient.user_id).update(
                email_bounced=True, updated_at=timezone.now()
            )
        if recipient.email and recipient.method == NoticeRecipient.Method.EMAIL:
            from .preferred_bounce import paper_for_bounced_preferred

            paper_for_bounced_preferred(recipient)
        record_event(
            actor=None,
            action="dockets.notice.bounced",
            target=recipient.notice,
            case_id=recipient.notice.entry.case_id,
            after={"email": recipient.email},
            note=recipient.error_message[:300],
        )
    return recipient


def record_bounce(*, email: str, reason: str = "") -> int:
    """Take in a bounce for an address: mark its latest NEF delivery bounced, flag the account.

    Returns how many deliveries were marked (0 when the address got no NEF; the filer
    account with that address is still flagged).
    """
    email = email.strip().lower()
    if not email or "@" not in email:
        raise UserFacingError(
            "Give the e-mail address that bounced, e.g. name@example.com."
        )
    latest = (
        NoticeRecipient.objects.filter(email=email, status=NoticeRecipient.Status.SENT)
        .order_by("-sent_at", "-id")
        .first()
    )
    if latest is not None:
        mark_bounced(recipient=latest, reason=reason)
        return 1
    flagged = Filer.objects.filter(
        Q(user__email__iexact=email) | Q(secondary_emails__contains=[email])
    ).update(email_bounced=True, updated_at=timezone.now())
    if not flagged:
        raise UserFacingError(
            f"No notice was sent to {email}, and no filer account uses it."
        )
    return 0


def bounced_addresses():
    """Filer accounts whose e-mail bounced and the latest bounced NEF deliveries."""
    filers = (
        Filer.objects.filter(email_bounced=True)
        .select_related("user")
        .order_by("user__email")
    )
    recipients = (
        NoticeRecipient.objects.filter(status=NoticeRecipient.Status.BOUNCED)
        .select_related(
            "notice__entry__case__office",
            "notice__entry__case__judge",
            "notice__entry__event",
        )
        .order_by("-updated_at")[:200]
    )
    return list(filers), list(recipients)
