"""Rule 3002.1 alerts: a notice of its own, besides the NEF, for every Rule 3002.1 notice.

A payment change, a HELOC annual notice, a notice of postpetition fees, the trustee's
end-of-case notice of disbursements and the holder's response to it change what the
debtor must pay or whether the mortgage is cured, and the chapter 13 plan depends on
them (FRBP 3002.1, as amended December 1, 2025). So, besides the NEF, the debtor's
attorney, the case trustee and everyone following the case get an alert that says
what changed, from when (the computed effective date and how it was computed), and
what they may do about it.

Every filing path records "dockets.entry.filed" (dockets.services.create_entry), so
the hook below (registered in dockets/apps.py) covers the claim page, ePOC, the API, the filing
wizard and the clerk's docketing alike. It runs after commit in the same process and
writes the messages through core.mail (inbox + e-mail queued, resent by
core-requeue-pending-messages if the broker loses them); no broker is needed to
decide or store them.

Threat model: a follower is told only what dockets.permissions lets them read (a
sealed or restricted notice reaches nobody here; its NEF rules are the pipeline's).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from cases.models import Deadline, Party, Representation, Trustee
from cases.permissions import can_see_case
from core.mail import send_message

log = logging.getLogger(__name__)

# Event code -> what the alert calls it (catalogue_data: the Rule 3002.1 events).
ALERT_EVENTS = {
    "mtgchg": "Mortgage payment change",
    "helocntc": "HELOC annual payment notice",
    "pstfee": "Postpetition mortgage fees, expenses, and charges",
    "fcure": "Trustee's notice of disbursements made (end of case)",
    "cureresp": "Response to the trustee's notice of disbursements made",
}
DEBTOR_ROLES = (
    Party.Role.DEBTOR,
    Party.Role.JOINT_DEBTOR,
    Party.Role.DEBTOR_IN_POSSESSION,
)
ALERT_KIND = "rule3002_1"


def on_audit_event(event) -> None:
    """Audit hook (dockets/apps.py): after commit, alert on a Rule 3002.1 notice just filed."""
    if event._state.db != "default" or event.action != "dockets.entry.filed":
        return
    if (event.after or {}).get("event") not in ALERT_EVENTS:
        return
    entry_id = event.target_id
    transaction.on_commit(lambda: send_rule3002_alerts(entry_id=entry_id))


def alert_recipients(entry) -> list:
    """Who is alerted: the debtor's attorneys of record, the case trustee, the case's
    followers; never the filer; each only if they may read the entry."""
    from dockets.alerts.models import Alert
    from dockets.permissions import can_see_entry_text

    case = entry.case
    users = []
    reps = Representation.objects.filter(
        case=case, party__role__in=DEBTOR_ROLES, terminated_on__isnull=True
    ).select_related("attorney")
    users += [rep.attorney for rep in reps.order_by("id")]
    if case.trustee_id:
        trustee = (
            Trustee.objects.filter(pk=case.trustee_id, active=True)
            .select_related("user")
            .first()
        )
        if trustee is not None and trustee.user is not None:
            users.append(trustee.user)
    followers = Alert.objects.filter(
        kind=Alert.Kind.CASE, case=case, active=True
    ).select_related("user")
    users += [alert.user for alert in followers.order_by("id")]
    chosen, seen = [], {entry.filer_id}
    for user in users:
        if user is None or user.pk in seen or not user.is_active or not user.email:
            continue
        seen.add(user.pk)
        if can_see_case(user, case) and can_see_entry_text(user, entry):
            chosen.append(user)
    return chosen


def alert_text(entry) -> tuple[str, str]:
    """The alert's subject and text for a Rule 3002.1 entry."""
    from .mortgage_models import PaymentChange

    case = entry.case
    what = ALERT_EVENTS[entry.event.code]
    claim = entry.fields.get("claim", "")
    subject = f"Rule 3002.1: {what}, claim {claim}, case {case.display_number}"
    lines = [
        f"{entry.event.name} filed {entry.filed_date:%m/%d/%Y} by {entry.filer_name} "
        f"on claim {claim} in case {case.display_number} {case.title}.",
        entry.text,
    ]
    change = PaymentChange.objects.filter(entry=entry).first()
    if change is not None:
        lines.append(
            f"New payment {change.new_payment_shown}, effective "
            f"{change.effective_on:%m/%d/%Y}. {change.rule}"
        )
    deadlines = Deadline.objects.filter(
        case=case, source_entry_id=entry.pk, terminated=False, due__isnull=False
    )
    for deadline in deadlines.order_by("due"):
        lines.append(f"{deadline.label}: due {deadline.due:%m/%d/%Y}. {deadline.rule}")
    lines.append(
        "Docket: "
        + settings.ECF_SITE_URL.rstrip("/")
        + reverse("dockets:docket", kwargs={"case_id": case.pk})
    )
    lines.append(
        "You receive this alert as the debtor's attorney, the case trustee, or a "
        "follower of the case, besides the Notice of Electronic Filing."
    )
    return subject, "\n\n".join(lines)


def send_rule3002_alerts(*, entry_id: int) -> int:
    """Send the Rule 3002.1 alert of one entry to each recipient; return how many."""
    from dockets.models import DocketEntry

    entry = (
        DocketEntry.objects.select_related("case", "event", "filer")
        .filter(pk=entry_id)
        .first()
    )
    if entry is None or entry.event.code not in ALERT_EVENTS:
        return 0
    subject, text = alert_text(entry)
    recipients = alert_recipients(entry)
    with transaction.atomic():
        for user in recipients:
            send_message(
                to_email=user.email,
                subject=subject,
                text=text,
                user=user,
                kind=ALERT_KIND,
            )
    log.info("Rule 3002.1 alert of entry %s sent to %s", entry_id, len(recipients))
    return len(recipients)
