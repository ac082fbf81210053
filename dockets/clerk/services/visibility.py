"""Sealing and restricting entries and documents; the 90-day transcript restriction."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from core import clock
from core.audit import record_event
from core.errors import UserFacingError
from filers.models import User

from ...models import (
    DocketEntry,
    Document,
    Event,
    Visibility,
)
from ...services import (
    FilingRequest,
    after_filing,
    create_entry,
)
from ...text import build_docket_text, event_text
from .common import (
    EX_PARTE_DAYS,
    _locked_entry,
    _revise,
    _set_deadlines,
    _storable,
    field_text_values,
)

logger = logging.getLogger(__name__)


@transaction.atomic
def set_entry_visibility(
    *,
    entry: DocketEntry,
    clerk: User,
    visibility: str,
    reason: str,
    visible_from: dt.date | None = None,
) -> DocketEntry:
    """Seal, restrict or open an entry; applies at once everywhere (nothing caches it).

    Ex parte entries open to the public the next day unless `visible_from` says otherwise.
    """
    if visibility not in Visibility.values:
        raise UserFacingError("Pick one of the listed access levels.")
    reason = reason.strip()
    if not reason:
        raise UserFacingError(
            "Give the reason (for example the order or rule) for the change of access."
        )
    case, entry = _locked_entry(entry.pk)
    if visibility == Visibility.EX_PARTE and visible_from is None:
        visible_from = clock.today() + dt.timedelta(days=EX_PARTE_DAYS)
    if visibility in (Visibility.PUBLIC, Visibility.COURT, Visibility.SEALED):
        visible_from = None
    if (
        visible_from is not None
        and visible_from <= clock.today()
        and visibility != Visibility.PUBLIC
    ):
        raise UserFacingError("The date access opens must be in the future.")
    if entry.visibility == visibility and entry.visible_from == visible_from:
        raise UserFacingError(
            "The entry already has that access level; nothing was changed."
        )
    before = {"visibility": entry.visibility, "visible_from": entry.visible_from}
    now = timezone.now()
    entry.visibility = visibility
    entry.visible_from = visible_from
    entry.modified_on = clock.today()
    entry.save(
        update_fields=["visibility", "visible_from", "modified_on", "updated_at"]
    )
    _revise(
        entry=entry,
        clerk=clerk,
        field="visibility",
        before=before["visibility"],
        after=visibility,
        reason=reason,
        now=now,
    )
    if before["visible_from"] != visible_from:
        _revise(
            entry=entry,
            clerk=clerk,
            field="visible_from",
            before=before["visible_from"],
            after=visible_from,
            reason=reason,
            now=now,
        )
    record_event(
        actor=clerk,
        action="dockets.entry.visibility_changed",
        target=entry,
        case_id=case.pk,
        before=before,
        after={"visibility": visibility, "visible_from": visible_from},
        note=reason,
    )
    return entry


@transaction.atomic
def set_document_visibility(
    *, document: Document, clerk: User, visibility: str, reason: str
) -> Document:
    """Seal or restrict one document of an entry ('' = same as the entry)."""
    if visibility and visibility not in Visibility.values:
        raise UserFacingError("Pick one of the listed access levels.")
    reason = reason.strip()
    if not reason:
        raise UserFacingError(
            "Give the reason (for example the order or rule) for the change of access."
        )
    case, entry = _locked_entry(document.entry_id)
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.visibility == visibility:
        raise UserFacingError(
            "The document already has that access level; nothing was changed."
        )
    before = document.visibility
    document.visibility = visibility
    document.save(update_fields=["visibility", "updated_at"])
    entry.modified_on = clock.today()
    entry.save(update_fields=["modified_on", "updated_at"])
    _revise(
        entry=entry,
        clerk=clerk,
        field=f"document {document.pk} visibility",
        before=before or "same as entry",
        after=visibility or "same as entry",
        reason=reason,
        now=timezone.now(),
    )
    record_event(
        actor=clerk,
        action="dockets.document.visibility_changed",
        target=document,
        case_id=case.pk,
        before={"visibility": before},
        after={"visibility": visibility},
        note=reason,
    )
    return document


@transaction.atomic
def restrict_transcript(entry: DocketEntry) -> None:
    """Restrict a filed transcript for 90 days, set its redaction deadlines and docket
    the Notice of Filing of Transcript.

    The handler of the "transcript" case action (registered in dockets.apps): it runs
    in the filing's transaction, inside dockets.case_events.apply_case_action, so the
    transcript and its restriction commit together and a failure here undoes the
    filing. Safe to run twice: each step checks whether it was already done.
    """
    if entry.event.code != "trans":
        return  # the redacted transcript keeps the original's restriction period
    entry_id = entry.pk
    case, entry = _locked_entry(entry_id)
    values = _transcript_dates(entry)
    changed = []
    if entry.visibility == Visibility.PUBLIC or entry.visible_from is None:
        before = {"visibility": entry.visibility, "visible_from": entry.visible_from}
        if entry.visibility == Visibility.PUBLIC:
            entry.visibility = Visibility.RESTRICTED
        entry.visible_from = values["release_date"]
        entry.save(update_fields=["visibility", "visible_from", "updated_at"])
        changed.append("restricted")
        record_event(
            actor=None,
            action="dockets.transcript.restricted",
            target=entry,
            case_id=case.pk,
            before=before,
            after={"visibility": entry.visibility, "visible_from": entry.visible_from},
        )
    _set_deadlines(entry, values)
    notice_event = Event.objects.filter(code="ntctrn").first()
    if (
        notice_event is not None
        and not entry.referred_by.filter(event=notice_event).exists()
    ):
        text = build_docket_text(
            event_texts=[
                event_text(
                    notice_event.docket_text, field_text_values(notice_event, values)
                )
            ],
            related=[(entry.number, entry.event.name)],
            suffix="(Admin.)",
        )
        request = FilingRequest(
            case=case,
            events=[notice_event],
            filer=None,
            entered_by=None,
            related=[entry],
            fields=_storable(values),
            text_override=text,
            fee_cents=0,
            fee_status=DocketEntry.FeeStatus.NONE,
            filer_label="(Admin.)",
        )
        notice = create_entry(request, case=case)
        after_filing(notice)


def _transcript_dates(entry: DocketEntry) -> dict:
    """The transcript's deadlines: from its fields, else counted from the filing date."""
    from cases.calendar import compute_deadline

    from ...catalogue_data import (
        TRANSCRIPT_INTENT_DAYS,
        TRANSCRIPT_REDACTED_DAYS,
        TRANSCRIPT_REDACTION_REQUEST_DAYS,
        TRANSCRIPT_RESTRICTION_DAYS,
    )

    base = entry.filed_date
    out = {}
    for name, days in (
        ("intent_deadline", TRANSCRIPT_INTENT_DAYS),
        ("redaction_request_deadline", TRANSCRIPT_REDACTION_REQUEST_DAYS),
        ("redacted_transcript_deadline", TRANSCRIPT_REDACTED_DAYS),
        ("release_date", TRANSCRIPT_RESTRICTION_DAYS),
    ):
        raw = (entry.fields or {}).get(name)
        try:
            out[name] = dt.date.fromisoformat(raw) if raw else None
        except (TypeError, ValueError):
            out[name] = None
        if out[name] is None:
            # The release date ends a restriction (policy), not a filing period;
            # the filing deadlines are counted under FRBP 9006(a).
            out[name] = (
                base + dt.timedelta(days=days)
                if name == "release_date"
                else compute_deadline(base, days, what="the transcript").day
            )
    return out


def seal_allow_list_candidates(entry: DocketEntry) -> list[tuple[int, str]]:
    """The case's participants a sealing order may name: attorneys of record and the
    logins recorded on the case's own parties, as (user id, label), not yet listed."""
    from cases.models import Party, Representation

    listed = set(entry.seal_allowances.values_list("user_id", flat=True))
    out: dict[int, str] = {}
    for rep in (
        Representation.objects.filter(case_id=entry.case_id, terminated_on__isnull=True)
        .select_related("attorney", "party")
        .order_by("party__name", "attorney__email")
    ):
        if rep.attorney_id not in listed:
            out.setdefault(
                rep.attorney_id,
                f"{rep.attorney.email}, attorney for {rep.party.name}",
            )
    for party in (
        Party.objects.filter(
            case_id=entry.case_id, user__isnull=False, terminated_on__isnull=True
        )
        .select_related("user")
        .order_by("name")
    ):
        user = party.user
        if user is not None and user.pk not in listed:
            out.setdefault(user.pk, f"{user.email}, {party.name}")
    return list(out.items())


@transaction.atomic
def allow_sealed_entry(
    *, entry: DocketEntry, clerk: User, user: User | None, reason: str
):
    """Add `user` to the sealing order's allow-list of `entry` (audited).

    Applies at once to the entry's text and documents on every route, because the
    gate (dockets.permissions.can_see_entry_text / can_view_document) reads the rows.
    """
    from ...models import SealAllowance

    reason = reason.strip()
    if not reason:
        raise UserFacingError(
            "Give the order that names this person (for example Order #45)."
        )
    if user is None or not user.is_active:
        raise UserFacingError("No registered, active ECF account has that e-mail.")
    case, entry = _locked_entry(entry.pk)
    if SealAllowance.objects.filter(entry=entry, user=user).exists():
        raise UserFacingError(
            f"{user.email} is already on the order's list; nothing was changed."
        )
    allowance = SealAllowance(entry=entry, user=user, added_by=clerk, reason=reason)
    allowance.full_clean()
    allowance.save()
    record_event(
        actor=clerk,
        action="dockets.entry.seal_allowance_added",
        target=entry,
        case_id=case.pk,
        after={"user_id": user.pk, "email": user.email},
        note=reason,
    )
    return allowance


@transaction.atomic
def revoke_sealed_entry_allowance(
    *, entry: DocketEntry, clerk: User, allowance_id: int, reason: str
) -> None:
    """Remove one user from the sealing order's allow-list of `entry` (audited); their
    access ends at once."""
    from ...models import SealAllowance

    reason = reason.strip()
    if not reason:
        raise UserFacingError(
            "Give the reason (for example the order) for removing this person."
        )
    case, entry = _locked_entry(entry.pk)
    allowance = (
        SealAllowance.objects.select_related("user")
        .filter(pk=allowance_id, entry=entry)
        .first()
    )
    if allowance is None:
        raise UserFacingError("That person is not on the order's list.")
    before = {"user_id": allowance.user_id, "email": allowance.user.email}
    allowance.delete()
    record_event(
        actor=clerk,
        action="dockets.entry.seal_allowance_removed",
        target=entry,
        case_id=case.pk,
        before=before,
        note=reason,
    )
