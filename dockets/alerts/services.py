"""Alerts for anything: one dispatcher, fed by the audit trail, decides who hears what.

Threat model: anyone with a login may follow anything, so what an alert says is
decided per recipient by dockets.permissions (can_see_entry_text, can_view_document)
and cases.permissions.can_see_case, at send time, against the record as it is then.
A sealed entry's text never reaches a follower who may not read it (the follower
learns only that an entry was sealed, which the public docket shows too), and a
saved search never matches text its owner may not read.

Every write a user can cause already writes an audit event (core.audit.record_event);
dockets/apps.py registers `on_audit_event`, which queues `dispatch_event` after commit for
the actions below. So a new entry (with or without documents), a docket-text edit, a
seal or unseal, and a new case or creditor all reach the same dispatcher, and a path
added later that records its event is covered too. `AlertDelivery` has one row per
(alert, subject): a dispatcher that runs twice sends nothing twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import weakref

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from cases.models import Case
from cases.permissions import can_see_case
from core.audit import record_event
from core.compiled import CompiledQuery
from core.errors import UserFacingError
from core.mail import send_message
from core.models import AuditEvent
from filers.models import AnyUser, User

from ..fulltext.models import DocumentPage
from ..models import DocketEntry, Document
from ..permissions import can_see_entry_text, can_view_document
from .models import Alert, AlertDelivery, Webhook

logger = logging.getLogger(__name__)

ENTRY_ACTIONS = {
    "dockets.entry.filed": "New entry",
    "dockets.entry.text_modified": "Docket text modified",
    "dockets.entry.visibility_changed": "Access changed",
    "dockets.document.visibility_changed": "Access to a document changed",
    "dockets.document.replaced": "Document replaced",
    "dockets.entry.entered_in_error": "Marked entered in error",
    "dockets.entry.stricken": "Stricken",
}
CASE_ACTIONS = {"cases.case.opened", "cases.party.added", "cases.matrix.loaded"}
# The text of a document was read (dockets.fulltext): saved searches match it.
TEXT_ACTIONS = {"dockets.document.text_extracted"}
MAX_TERM = 200
SEALED_NOTICE = "is now sealed or restricted."


# -- following -----------------------------------------------------------------------


def _clean_term(term: str) -> str:
    term = " ".join((term or "").replace("\x00", "").split())
    if not term:
        raise UserFacingError("Type the name or the words to follow.")
    if len(term) > MAX_TERM:
        raise UserFacingError(f"Use at most {MAX_TERM} characters.")
    return term


def follow(
    *,
    user: User,
    kind: str,
    case: Case | None = None,
    term: str = "",
    frequency: str = "",
) -> Alert:
    """Start following a case, a name or a search (or change how often it is sent)."""
    if not user.is_authenticated:
        raise UserFacingError("Sign in to follow cases, names and searches.")
    if kind not in Alert.Kind.values:
        raise UserFacingError("Choose what to follow.")
    frequency = frequency or Alert.Frequency.IMMEDIATE
    if frequency not in Alert.Frequency.values:
        raise UserFacingError("Choose an e-mail for each change or one a day.")
    if kind == Alert.Kind.CASE:
        if case is None:
            raise UserFacingError("Choose the case to follow.")
        term = ""
    else:
        case = None
        term = _clean_term(term)
        if kind == Alert.Kind.SEARCH:
            from ..reports.entry_search import text_query

            if text_query(term) is None:
                raise UserFacingError("The search needs at least one word.")
    with transaction.atomic():
        alert = Alert.objects.filter(user=user, kind=kind, case=case, term=term).first()
        if alert is None:
            try:
                with transaction.atomic():
                    alert = Alert.objects.create(
                        user=user, kind=kind, case=case, term=term, frequency=frequency
                    )
            except IntegrityError:  # two clicks at once
                alert = Alert.objects.get(user=user, kind=kind, case=case, term=term)
        elif alert.frequency != frequency or not alert.active:
            alert.frequency, alert.active = frequency, True
            alert.save(update_fields=["frequency", "active", "updated_at"])
        record_event(
            actor=user,
            action="dockets.alert.followed",
            target=alert,
            case_id=None,
            after={"kind": kind, "term": term, "frequency": frequency},
        )
        if kind == Alert.Kind.NAME:
            from .tasks import backfill_name_alert_task

            alert_id = alert.pk
            transaction.on_commit(lambda: backfill_name_alert_task.delay(alert_id))
    return alert


def unfollow(*, user: User, alert_id: int) -> bool:
    with transaction.atomic():
        alert = Alert.objects.filter(pk=alert_id, user=user).first()
        if alert is None:
            return False
        record_event(
            actor=user,
            action="dockets.alert.unfollowed",
            target=alert,
            case_id=None,
            before={"kind": alert.kind, "term": alert.term},
        )
        alert.delete()
    return True


# -- the hook ------------------------------------------------------------------------


class _FiledEvent:
    """An event whose alerts wait for its commit, and whether a task of the change
    itself has taken them (take_filed_event, take_event)."""

    __slots__ = ("__weakref__", "event_id", "taken")

    def __init__(self, event_id: int) -> None:
        self.event_id = event_id
        self.taken = False


# Entry id -> its filing's event, and event id -> any event, until the change commits.
# Weak: the commit callback below holds it, so a rolled-back change (whose callbacks
# Django drops) leaves nothing.
_filed: weakref.WeakValueDictionary[int, _FiledEvent] = weakref.WeakValueDictionary()
_waiting: weakref.WeakValueDictionary[int, _FiledEvent] = weakref.WeakValueDictionary()


def on_audit_event(event: AuditEvent) -> None:
    """Audit hook (dockets/apps.py): after commit, dispatch the alerts of a change users may follow.

    A new entry's alerts are dispatched by its pipeline task when the pipeline takes
    them (take_filed_event, in the filing's transaction), and a document's text's by
    the text task that read it (take_event), so neither sets off a task of its own;
    otherwise by a task of their own, queued here after commit.
    """
    if event._state.db != "default" or not event.case_id:
        return
    if event.action not in (*ENTRY_ACTIONS, *CASE_ACTIONS, *TEXT_ACTIONS):
        return
    from .tasks import dispatch_event_task

    event_id = event.pk
    waiting = _FiledEvent(event_id)
    _waiting[event_id] = waiting
    if (
        event.action == "dockets.entry.filed"
        and event.target_type == "dockets.DocketEntry"
    ):
        _filed[int(event.target_id)] = waiting

    def dispatch() -> None:
        if waiting.taken:
            return  # the task that made the change dispatches it
        # The change has committed: a broker outage must not turn it into an error for
        # the user who made it. The sweep (sweep_recent_events) dispatches it later.
        try:
            dispatch_event_task.delay(event_id)
        except Exception:
            logger.exception("Could not queue the alerts of audit event %s", event_id)

    transaction.on_commit(dispatch)


def take_filed_event(entry_id: int) -> int | None:
    """For the pipeline, in the filing's transaction: the id of the entry's "filed" event,
    whose alerts the pipeline's task now dispatches (dispatch_now); None if there is none
    to take (the training database, or no such event in this transaction)."""
    filed = _filed.get(entry_id)
    if filed is None:
        return None
    filed.taken = True
    return filed.event_id


def take_event(event_id: int) -> bool:
    """For a task, in the transaction that recorded event `event_id`: True if the task
    now dispatches its alerts itself once that commits (dispatch_now), instead of a
    task of their own; False if the event has none to take. As for a filing's event,
    a task that stops in between leaves them to sweep_recent_events."""
    waiting = _waiting.get(event_id)
    if waiting is None:
        return False
    waiting.taken = True
    return True


def dispatch_now(*, event_id: int) -> int:
    """Dispatch an event's alerts in this process; if that fails, queue its own task.

    For the pipeline's task, once the filing's notice is out. Safe to run twice
    (deliveries are unique per alert or webhook and event); an event whose task
    cannot be queued either is dispatched again by sweep_recent_events.
    """
    from .tasks import dispatch_event_task

    try:
        return dispatch_event(event_id=event_id)
    except Exception:
        logger.exception(
            "The alerts of audit event %s failed here; queueing their task", event_id
        )
        dispatch_event_task.delay(event_id)
        return 0


# -- the dispatcher ------------------------------------------------------------------


def _entry_of(event: AuditEvent) -> DocketEntry | None:
    entry_id: str | int | None
    if event.target_type == "dockets.DocketEntry":
        entry_id = event.target_id
    elif event.target_type == "dockets.Document":
        entry_id = (
            Document.objects.filter(pk=event.target_id)
            .values_list("entry_id", flat=True)
            .first()
        )
    else:
        return None
    if entry_id is None:
        return None
    return (
        DocketEntry.objects.select_related(
            "case", "case__court", "case__office", "case__judge", "event"
        )
        .prefetch_related("documents")
        .filter(pk=entry_id)
        .first()
    )


def _site(path: str) -> str:
    return settings.ECF_SITE_URL.rstrip("/") + path


def _entry_summary(user: AnyUser, entry: DocketEntry, action: str) -> str | None:
    """What `user` may be told about this change of `entry`, or None for nothing."""
    label = ENTRY_ACTIONS[action]
    number = f"Doc {entry.number}" if entry.number else "Unnumbered entry"
    if not can_see_entry_text(user, entry):
        if action.endswith("visibility_changed"):
            return f"{label}: {number} {SEALED_NOTICE}"
        return None
    lines = [f"{label}: {number}, filed {entry.filed_date:%m/%d/%Y}:", entry.text]
    for document in entry.documents.all():
        if document.sequence == 0 and can_view_document(user, document):
            lines.append(
                "Document: "
                + _site(
                    reverse("dockets:document", kwargs={"document_id": document.pk})
                )
            )
    return "\n".join(lines)


def _match_search(alerts, entry: DocketEntry):
    """The saved-search alerts whose words match the entry's docket text (one query)."""
    query = SearchQuery(OuterRef("term"), search_type="websearch", config="english")
    return alerts.annotate(
        hit=Exists(DocketEntry.objects.filter(pk=entry.pk, search_vector=query))
    ).filter(hit=True)


def _match_name(alerts, case: Case):
    """The name alerts whose name appears among the case's parties (one query)."""
    query = SearchQuery(OuterRef("term"), search_type="phrase", config="simple")
    return alerts.annotate(
        hit=Exists(Case.objects.filter(pk=case.pk, search_vector=query))
    ).filter(hit=True)


def _event_query(event_id: int) -> QuerySet[AuditEvent]:
    """The audit event with whether any alert or webhook could hear of it
    (_anyone_listens): alerts and webhooks live when it happened, of active users.

    Entry events reach the case's followers, every saved search, and the webhooks
    on the case or on every case; text events reach saved searches only.
    """
    live = Alert.objects.filter(
        active=True, created_at__lte=OuterRef("created_at"), user__is_active=True
    )
    return AuditEvent.objects.filter(pk=event_id).annotate(
        hears=Exists(live.filter(kind=Alert.Kind.CASE, case_id=OuterRef("case_id"))),
        hears_text=Exists(live.filter(kind=Alert.Kind.SEARCH)),
        hooks=Exists(
            Webhook.objects.filter(
                Q(case__isnull=True) | Q(case_id=OuterRef("case_id")),
                active=True,
                created_at__lte=OuterRef("created_at"),
                user__is_active=True,
            )
        ),
    )


# Compiled once per process (issue 21): the event and who listens, in one read.
_EVENT = CompiledQuery(_event_query)


def dispatch_event(*, event_id: int) -> int:
    """Create (and send, or keep for the digest) the alerts of one audit event."""
    event = _EVENT.first(event_id)
    if event is None or not event.case_id:
        return 0
    live = Alert.objects.filter(
        active=True, created_at__lte=event.created_at, user__is_active=True
    ).select_related("user")
    if event.action in (*ENTRY_ACTIONS, *TEXT_ACTIONS) and not _anyone_listens(event):
        return 0
    planned: list[tuple[Alert, str, Case, DocketEntry | None, str]] = []
    entry: DocketEntry | None = None
    if event.action in TEXT_ACTIONS:
        document = (
            Document.objects.select_related(
                "entry",
                "entry__case",
                "entry__case__office",
                "entry__case__judge",
                "entry__event",
            )
            .filter(pk=event.target_id)
            .first()
        )
        return _text_alerts(live, [document]) if document is not None else 0
    if event.action in ENTRY_ACTIONS:
        entry = _entry_of(event)
        if entry is None:
            return 0
        case = entry.case
        key = f"event:{event.pk}"
        for alert in live.filter(kind=Alert.Kind.CASE, case_id=case.pk):
            summary = _entry_summary(alert.user, entry, event.action)
            if summary and can_see_case(alert.user, case):
                planned.append((alert, key, case, entry, summary))
        if event.action in ("dockets.entry.filed", "dockets.entry.text_modified"):
            for alert in _match_search(live.filter(kind=Alert.Kind.SEARCH), entry):
                if can_see_case(alert.user, case) and can_see_entry_text(
                    alert.user, entry
                ):
                    summary = _entry_summary(alert.user, entry, event.action)
                    planned.append(
                        (alert, key, case, entry, f"Matches “{alert.term}”. {summary}")
                    )
    else:
        case = Case.objects.select_related("office", "judge").get(pk=event.case_id)
        for alert in _match_name(live.filter(kind=Alert.Kind.NAME), case):
            if can_see_case(alert.user, case):
                planned.append(
                    (
                        alert,
                        f"case:{case.pk}",
                        case,
                        None,
                        f"“{alert.term}” appears in case {case.display_number} "
                        f"{case.title}.",
                    )
                )
    sent = sum(_deliver(*row) for row in planned)
    if entry is not None and event.action.endswith("visibility_changed"):
        # An unsealed document's text may match a saved search its owner could not
        # read before; each document is told once per user, so a reseal tells nothing.
        sent += _text_alerts(live, list(entry.documents.all()))
    _plan_webhooks(event, case, entry)
    return sent


def _anyone_listens(event: AuditEvent) -> bool:
    """Whether any alert or webhook could hear of this entry or text event, from the
    flags `_event_query` read with the event (no query of its own). When none
    exists (the usual case for a new filing), nothing else is read."""
    if event.action in TEXT_ACTIONS:
        return bool(event.hears_text)  # type: ignore[attr-defined]
    return bool(
        event.hears or event.hears_text or event.hooks  # type: ignore[attr-defined]
    )


def _text_alerts(live, documents: list[Document]) -> int:
    """Tell each saved search's owner once of each document whose text matches it.

    The match is one query per document over every saved search (the index of the
    document's pages); each owner is then checked with can_see_case and
    can_view_document, against the record as it is now, before any text is quoted.
    An owner already told of the entry by the same saved search on its docket text is
    not told again of its documents.
    """
    sent = 0
    for document in documents:
        entry, case = document.entry, document.entry.case
        query = SearchQuery(OuterRef("term"), search_type="websearch", config="english")
        hits = (
            live.filter(kind=Alert.Kind.SEARCH)
            .annotate(
                hit=Exists(
                    DocumentPage.objects.filter(
                        document_id=document.pk, search_vector=query
                    )
                )
            )
            .filter(hit=True)
            .order_by("user_id", "id")
        )
        key = f"text:{document.pk}"
        told: set[int] = set()
        for alert in hits:
            user = alert.user
            if user.pk in told:
                continue
            told.add(user.pk)
            if not (can_see_case(user, case) and can_view_document(user, document)):
                continue
            earlier = AlertDelivery.objects.filter(alert__user=user)
            if earlier.filter(key=key).exists():
                continue
            if earlier.filter(
                alert_id=alert.pk, entry_id=entry.pk, key__startswith="event:"
            ).exists():
                continue
            summary = _text_summary(alert.term, document)
            if summary:
                sent += _deliver(alert, key, case, entry, summary, document=document)
    return sent


def _text_summary(term: str, document: Document) -> str:
    """Where `term` matches in the document: the first pages and a quotation."""
    query = SearchQuery(term, search_type="websearch", config="english")
    pages = list(
        DocumentPage.objects.filter(document_id=document.pk, search_vector=query)
        .order_by("page")
        .annotate(
            snippet=SearchHeadline(
                "text",
                query,
                config="english",
                start_sel="[",
                stop_sel="]",
                max_words=30,
                min_words=12,
            )
        )
        .values_list("page", "snippet")[:5]
    )
    if not pages:
        return ""
    entry = document.entry
    number = f"Doc {entry.number}" if entry.number else "Unnumbered entry"
    where = ", ".join(str(p) for p, _s in pages)
    snippet = " ".join((pages[0][1] or "").split())
    url = _site(reverse("dockets:document", kwargs={"document_id": document.pk}))
    return "\n".join(
        [
            f"Matches “{term}” in the text of {number}, {document.description} "
            f"(page{'s' if len(pages) > 1 else ''} {where}):",
            f"“…{snippet}…”",
            f"Docket text: {entry.text}",
            f"Document: {url}",
        ]
    )


def _plan_webhooks(event: AuditEvent, case: Case, entry: DocketEntry | None) -> None:
    """The same event for each webhook whose owner may see it (webhooks.plan_delivery)."""
    from .webhooks import plan_delivery

    if entry is None and event.action != "cases.case.opened":
        return  # a new party or matrix is told as part of the case, not on its own
    hooks = Webhook.objects.filter(
        Q(case__isnull=True) | Q(case_id=case.pk),
        active=True,
        created_at__lte=event.created_at,
        user__is_active=True,
    ).select_related("user")
    for hook in hooks:
        if not can_see_case(hook.user, case):
            continue
        payload = {
            "event": event.action,
            "event_id": event.pk,
            "occurred_at": event.created_at.isoformat(),
            "case": {
                "id": case.pk,
                "number": case.display_number,
                "title": case.title,
                "url": _site(reverse("dockets:docket", kwargs={"case_id": case.pk})),
            },
        }
        if entry is not None:
            summary = _entry_summary(hook.user, entry, event.action)
            if summary is None:
                continue
            visible = can_see_entry_text(hook.user, entry)
            payload["entry"] = {
                "id": entry.pk,
                "number": entry.number,
                "filed_date": entry.filed_date.isoformat(),
                "text": entry.text if visible else None,
                "sealed_or_restricted": not visible,
                "summary": summary,
            }
        plan_delivery(
            hook=hook, key=f"event:{event.pk}", event=event.action, payload=payload
        )


def _deliver(
    alert: Alert,
    key: str,
    case: Case,
    entry: DocketEntry | None,
    summary: str,
    *,
    document: Document | None = None,
) -> int:
    immediate = alert.frequency == Alert.Frequency.IMMEDIATE
    with transaction.atomic():
        try:
            with transaction.atomic():
                AlertDelivery.objects.create(
                    alert=alert,
                    key=key,
                    case=case,
                    entry=entry,
                    document=document,
                    summary=summary,
                    status=(
                        AlertDelivery.Status.SENT
                        if immediate
                        else AlertDelivery.Status.DIGEST
                    ),
                    sent_at=timezone.now() if immediate else None,
                )
        except IntegrityError:
            return 0  # already told
        if immediate and alert.user.email:
            docket = _site(reverse("dockets:docket", kwargs={"case_id": case.pk}))
            text = (
                f"Case {case.display_number} {case.title}\n\n{summary}\n\n"
                f"Docket: {docket}\n\n{_footer(alert)}"
            )
            send_message(
                to_email=alert.user.email,
                subject=f"{case.display_number} {case.title}: {summary.splitlines()[0]}"[
                    :200
                ],
                text=text,
                html=_html(text),
                user=alert.user,
                kind="alert",
            )
    return 1


def _footer(alert: Alert) -> str:
    return (
        f"You receive this because you follow {alert}. To stop or change how often, "
        f"open {_site(reverse('dockets:alerts'))}."
    )


def _html(text: str) -> str:
    return "".join(
        f"<p>{escape(p)}</p>".replace("\n", "<br>") for p in text.split("\n\n")
    )


def sweep_recent_events(*, minutes: int = 15) -> int:
    """Dispatch again the followable events of the last minutes (beat, every five).

    The broker may lose a message; deliveries are unique per (alert or webhook,
    event), so dispatching an event twice tells nobody twice.
    """
    since = timezone.now() - dt.timedelta(minutes=minutes)
    ids = list(
        AuditEvent.objects.filter(
            created_at__gte=since,
            case_id__isnull=False,
            action__in=[*ENTRY_ACTIONS, *CASE_ACTIONS, *TEXT_ACTIONS],
        ).values_list("pk", flat=True)
    )
    if not ids or not (
        Alert.objects.filter(active=True).exists()
        or Webhook.objects.filter(active=True).exists()
    ):
        return 0
    for event_id in ids:
        dispatch_event(event_id=event_id)
    return len(ids)
