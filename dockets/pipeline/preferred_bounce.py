"""A bounced preferred e-mail address (11 U.S.C. 342(e)/(f)) becomes a paper notice and a
clerk task, in the transaction that records the bounce (dockets.pipeline.delivery)."""

from __future__ import annotations

from cases.models import Party
from cases.preferred import BounceTask, PreferredAddress, name_key

from ..models import NoticeRecipient


def paper_for_bounced_preferred(recipient: NoticeRecipient) -> NoticeRecipient | None:
    """Queue a paper notice to the creditor and a clerk task; None if no preferred address."""
    case = recipient.notice.entry.case
    key = name_key(recipient.name)
    preferred = (
        PreferredAddress.objects.select_for_update()
        .filter(active=True, email=recipient.email.lower(), name_key=key)
        .filter(court_id=case.court_id)
        .order_by("case_id")
        .first()
    )
    if preferred is None:
        return None
    preferred.email_bounced = True
    preferred.save(update_fields=["email_bounced", "updated_at"])
    lines = list(preferred.address_lines)
    if not lines:
        party = next(
            (
                p
                for p in Party.objects.filter(case=case, terminated_on__isnull=True)
                if name_key(p.name) == key
            ),
            None,
        )
        lines = party.mailing_lines[1:] if party else []
    paper = NoticeRecipient.objects.create(
        notice=recipient.notice,
        name=recipient.name,
        on_behalf_of=f"{preferred.source}; e-mail to {recipient.email} bounced"[:300],
        address_lines=lines,
        method=NoticeRecipient.Method.PAPER,
        status=NoticeRecipient.Status.QUEUED_PAPER,
    )
    where = ", ".join(lines) or "no mailing address on file: find one"
    BounceTask.objects.create(
        preferred=preferred,
        case=case,
        notice_recipient_id=paper.pk,
        text=(
            f"The preferred e-mail address {recipient.email} of {preferred.creditor_name} "
            f"bounced (case {case.display_number}). A paper notice was queued to {where}. "
            "Ask the creditor to correct its preferred address."
        ),
    )
    return paper
