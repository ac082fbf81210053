"""What alerts send later than the change itself: the e-mail telling a name's new
follower where it already appears (backfill), and the daily digest. What each one
says is re-checked against the reader's access when it goes (dockets.alerts.services
explains the threat model).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.postgres.search import SearchQuery
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone

from cases.permissions import can_see_case
from cases.selectors import cases_visible_to
from core.mail import send_message
from filers.models import User

from ..permissions import can_see_entry_text, can_view_document
from .models import Alert, AlertDelivery
from .services import SEALED_NOTICE, _footer, _html, _site

# Cases named one by one in the e-mail about where a newly followed name already
# appears; the rest are counted and linked (the case search lists them all).
BACKFILL_LISTED = 50
# Cases recorded as already told, newest first: a name in more cases than this (a
# national bank, the IRS) is still found by the case search, and a later change in an
# older case then tells the follower of it.
BACKFILL_MAX = 5000


def backfill_name_alert(*, alert_id: int) -> int:
    """Tell a name's new follower of the cases where it already appears (once each).

    One e-mail (or the digest) lists them; each case gets its delivery row under
    the same key as a later case would (case:<id>), so a case told of here is never
    told again, and a case that lists the name later is told as before.
    """
    with transaction.atomic():
        # The alert's row lock: two runs at once cannot both send the e-mail.
        alert = (
            Alert.objects.select_for_update(of=("self",))
            .filter(pk=alert_id, kind=Alert.Kind.NAME, active=True)
            .select_related("user")
            .first()
        )
        if alert is None or not alert.user.is_active:
            return 0
        return _backfill(alert)


def _backfill(alert: Alert) -> int:
    user = alert.user
    query = SearchQuery(alert.term, search_type="phrase", config="simple")
    cases = [
        case
        for case in cases_visible_to(user)
        .filter(search_vector=query)
        .exclude(
            Exists(
                AlertDelivery.objects.filter(
                    alert_id=alert.pk,
                    key=Concat(Value("case:"), Cast(OuterRef("pk"), CharField())),
                )
            )
        )
        .select_related("office", "judge")
        .order_by("-date_filed", "-id")[:BACKFILL_MAX]
        if can_see_case(user, case)
    ]
    if not cases:
        return 0
    immediate = alert.frequency == Alert.Frequency.IMMEDIATE
    status = AlertDelivery.Status.SENT if immediate else AlertDelivery.Status.DIGEST
    now = timezone.now()
    AlertDelivery.objects.bulk_create(
        [
            AlertDelivery(
                alert=alert,
                key=f"case:{case.pk}",
                case=case,
                summary=f"“{alert.term}” appears in case {case.display_number} "
                f"{case.title} (filed {case.date_filed:%m/%d/%Y}).",
                status=status,
                sent_at=now if immediate else None,
            )
            for case in cases
        ],
        ignore_conflicts=True,
    )
    if immediate and user.email:
        listed = [
            f"{c.display_number} {c.title} (filed {c.date_filed:%m/%d/%Y}): "
            + _site(reverse("dockets:docket", kwargs={"case_id": c.pk}))
            for c in cases[:BACKFILL_LISTED]
        ]
        more = len(cases) - len(listed)
        search = _site(reverse("cases:search")) + "?" + urlencode({"q": alert.term})
        text = (
            f"“{alert.term}” already appears in {len(cases)} "
            f"case{'s' if len(cases) != 1 else ''}, newest first:\n\n"
            + "\n".join(listed)
            + (f"\n\n… and {more} more. All of them: {search}" if more else "")
            + "\n\nFrom now on you get an alert for each further case in which "
            f"it appears.\n\n{_footer(alert)}"
        )
        send_message(
            to_email=user.email,
            subject=f"“{alert.term}” already appears in {len(cases)} "
            f"case{'s' if len(cases) != 1 else ''}"[:200],
            text=text,
            html=_html(text),
            user=user,
            kind="alert",
        )
    return len(cases)


def send_digests() -> int:
    """One e-mail per user with everything kept for the daily digest (beat, daily)."""
    sent = 0
    users = (
        AlertDelivery.objects.filter(status=AlertDelivery.Status.DIGEST)
        .values_list("alert__user_id", flat=True)
        .distinct()
    )
    for user_id in list(users):
        with transaction.atomic():
            rows = list(
                AlertDelivery.objects.select_for_update(of=("self",))
                .filter(status=AlertDelivery.Status.DIGEST, alert__user_id=user_id)
                .select_related(
                    "alert", "alert__user", "case", "entry", "document__entry"
                )
                .order_by("created_at", "id")
            )
            if not rows:
                continue
            user = rows[0].alert.user
            withdrawn = [r.pk for r in rows if not _still_visible(user, r)]
            if withdrawn:
                AlertDelivery.objects.filter(pk__in=withdrawn).update(
                    status=AlertDelivery.Status.WITHDRAWN
                )
                rows = [r for r in rows if r.pk not in withdrawn]
                if not rows:
                    continue
            parts = [
                f"{r.case.display_number} {r.case.title}\n{r.summary}" for r in rows
            ]
            text = (
                f"{len(rows)} change{'s' if len(rows) != 1 else ''} in what you follow:\n\n"
                + "\n\n".join(parts)
                + f"\n\nTo stop or change how often, open {_site(reverse('dockets:alerts'))}."
            )
            if user.email and user.is_active:
                send_message(
                    to_email=user.email,
                    subject=f"Daily alerts: {len(rows)} change{'s' if len(rows) != 1 else ''}",
                    text=text,
                    html=_html(text),
                    user=user,
                    kind="alert",
                )
                sent += 1
            AlertDelivery.objects.filter(pk__in=[r.pk for r in rows]).update(
                status=AlertDelivery.Status.IN_DIGEST, sent_at=timezone.now()
            )
    return sent


def _still_visible(user: User, row: AlertDelivery) -> bool:
    """May `user` still read what this kept alert says? (Re-checked when the digest goes.)

    What was visible when the alert was kept may have been sealed since: the digest
    never quotes what its reader may no longer see.
    """
    if not user.is_active or not can_see_case(user, row.case):
        return False
    if row.document is not None:
        return can_view_document(user, row.document)
    if row.entry is not None:
        # A notice that the entry was sealed quotes nothing of it.
        return can_see_entry_text(user, row.entry) or row.summary.endswith(
            SEALED_NOTICE
        )
    return True
