"""Helpers the clerk services share: names, dates, deadlines, composing court entries."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from cases.calendar import compute_deadline
from cases.models import Case, Deadline
from core import clock
from core.errors import UserFacingError
from core.mail import send_message
from filers.models import User

from ...catalogue_data import DEFICIENCY_KINDS
from ...models import (
    DocketEntry,
    DocketEntryRevision,
    Document,
    Event,
)
from ...services import (
    FilingRequest,
    UploadedDocument,
    after_filing,
    create_entry,
    lock_case,
)
from ...text import build_docket_text, event_text_for

logger = logging.getLogger(__name__)


DEFICIENCY_LABELS = dict(DEFICIENCY_KINDS)


# cmecf.md 7: the corrective-entry patterns seen on real dockets.
CORRECTIONS = (
    "Counsel Must Refile",
    "Incorrect PDF, Filer Notified to Refile",
    "Incorrect Event Entered",
    "To Eliminate Duplicate Entry",
    "Filed in Wrong Case",
    "Docket Text Modified to More Accurately Describe Document Filed",
)


# Court users may give any level; an ex parte entry opens to the public the next day.
EX_PARTE_DAYS = 1


# Judicial Conference transcript policy (catalogue_data.TRANSCRIPT_RESTRICTION_DAYS).
TRANSCRIPT_DAYS = 90


DEFAULT_CURE_DAYS = 14


MAX_TEXT = 4000


def clerk_initials(user: User) -> str:
    """The clerk's initials CM/ECF ends court entries with, e.g. 'adm' for Alma D. Morales."""
    name = (user.get_full_name() if user else "") or ""
    letters = [part[0] for part in name.replace(".", " ").split() if part[:1].isalpha()]
    return "".join(letters).lower() or "clerk"


def mdy(value: dt.date | dt.datetime) -> str:
    """`5/15/2024` (and `at 10:00 AM` for a time): how docket text writes dates."""
    if isinstance(value, dt.datetime):
        local = clock.local(value) if timezone.is_aware(value) else value
        hour = local.strftime("%I").lstrip("0")
        return f"{local.month}/{local.day}/{local.year} at {hour}:{local:%M} {local:%p}"
    return f"{value.month}/{value.day}/{value.year}"


def _ref(entry: DocketEntry) -> str:
    return f"#{entry.number}" if entry.number else "(unnumbered entry)"


def _related_text(entries: list[DocketEntry]) -> list[tuple[int | None, str]]:
    return [(e.number, e.event.name) for e in entries]


def _revise(
    *, entry: DocketEntry, clerk: User, field: str, before, after, reason: str, now
) -> None:
    DocketEntryRevision.objects.create(
        entry=entry,
        changed_by=clerk,
        changed_at=now,
        field=field,
        before="" if before is None else str(before),
        after="" if after is None else str(after),
        reason=reason,
    )


def _locked_entry(entry_id: int) -> tuple[Case, DocketEntry]:
    entry = DocketEntry.objects.select_related("case", "event").get(pk=entry_id)
    case = lock_case(entry.case_id)
    entry = (
        DocketEntry.objects.select_for_update(of=("self",), no_key=True)
        .select_related("event", "filer")
        .get(pk=entry_id)
    )
    return case, entry


def _set_deadlines(entry: DocketEntry, values: dict) -> None:
    """Create the Deadline rows the event sets, from its fields (or days after filing).

    create_entry already applies the event's case action and deadlines through
    dockets.case_events; this fills in only kinds not yet set from this entry (for
    example transcript deadlines counted from the filing date when the reporter left
    the fields empty), so running both never duplicates a deadline.
    """
    existing = set(
        Deadline.objects.filter(
            case_id=entry.case_id, source_entry_id=entry.pk
        ).values_list("kind", flat=True)
    )
    labels = {f["name"]: f["label"] for f in entry.event.fields}
    for spec in entry.event.sets_deadlines:
        kind = spec["kind"]
        if kind in existing:
            continue
        due = due_at = None
        location = ""
        rule = ""
        if spec.get("field"):
            value = values.get(spec["field"])
            if value in (None, ""):
                continue
            if isinstance(value, dict):  # hearing: {"when": datetime, "place": str}
                due_at, location = value["when"], value.get("place", "")
                due = clock.local_date(due_at)
            elif isinstance(value, dt.datetime):
                due_at, due = value, clock.local_date(value)
            else:
                due = value
        elif spec.get("days") is not None:
            computed = compute_deadline(
                entry.filed_date,
                int(spec["days"]),
                what=f"entry {entry.number or ''}".strip(),
            )
            due, rule = computed.day, computed.rule
        else:
            continue
        label = labels.get(spec.get("field"), kind.replace("_", " ").capitalize())
        Deadline.objects.create(
            case_id=entry.case_id,
            kind=kind,
            label=label[:200],
            due=due,
            due_at=due_at,
            location=location[:200],
            source_entry_id=entry.pk,
            rule=rule[:600],
        )
        existing.add(kind)


def field_text_values(event: Event, values: dict) -> dict:
    """Turn field values into the words docket text uses (dates as 5/15/2024...)."""
    labels = dict(DEFICIENCY_KINDS)
    out = {}
    for f in event.fields:
        value = values.get(f["name"])
        if value in (None, ""):
            continue
        if isinstance(value, dict):
            out[f["name"]] = mdy(value["when"]) + (
                f" at {value['place']}" if value.get("place") else ""
            )
        elif isinstance(value, dt.date):
            out[f["name"]] = mdy(value)
        elif f["kind"] == "deficiency":
            out[f["name"]] = labels.get(str(value), str(value))
        elif f["kind"] == "money":
            out[f["name"]] = f"${value}"
        else:
            out[f["name"]] = str(value)
    return out


def _storable(values: dict) -> dict:
    def one(v):
        if isinstance(v, dict):
            return {k: one(x) for k, x in v.items()}
        return v.isoformat() if hasattr(v, "isoformat") else v

    return {k: one(v) for k, v in values.items()}


def court_entry_text(
    *,
    event: Event,
    values: dict,
    clerk: User,
    related: Sequence[DocketEntry] = (),
    note: str = "",
    attachments: Sequence[str] = (),
) -> str:
    """Docket text of a court event: the event's text, the note, (RE: ...), then `(adm)`."""
    text = event_text_for(event, field_text_values(event, values))
    if note:
        text = f"{text.rstrip('. ')}. {note.strip()}"
    return build_docket_text(
        event_texts=[text],
        related=_related_text(list(related)),
        attachments=list(attachments),
        suffix=f"({clerk_initials(clerk)})",
    )


def check_event_fits(event: Event, case: Case, *, court: bool) -> None:
    """Refuse an event that the catalogue does not allow here, in plain words.

    The rule book decides (dockets.filing.rules.filing_problems): role, case type,
    chapter and what a closed case accepts.
    """
    from ...filing.rules import FilingCheck, blocking, filing_problems

    problems = [
        p
        for p in blocking(
            filing_problems(
                FilingCheck(
                    user=None,
                    principal=None,
                    case=case,
                    events=[event],
                    acting_as="court" if court else "paper",
                )
            )
        )
        if p.step == "events"
    ]
    if problems:
        raise UserFacingError(" ".join(p.message for p in problems))


def check_related(event: Event, case: Case, related: list[DocketEntry]) -> None:
    for r in related:
        if r.case_id != case.pk:
            raise UserFacingError("A related entry must be on the same case's docket.")
    if event.refers == "required" and not related:
        raise UserFacingError(
            f"{event.name} must refer to an earlier entry: pick the entry it is about."
        )


def _copy_documents(
    entry: DocketEntry, tmpdir: Path, *, only: list[Document] | None = None
) -> list[UploadedDocument]:
    """Write the original bytes of the entry's current documents to files, for a new entry."""
    uploads = []
    documents = (
        only
        if only is not None
        else [d for d in entry.documents.all() if not d.replaced]
    )
    for i, document in enumerate(documents):
        path = tmpdir / f"{document.pk}-{i}.pdf"
        with document.original.open("rb") as src:
            path.write_bytes(src.read())
        uploads.append(
            UploadedDocument.from_path(
                path,
                filename=document.original_filename or "document.pdf",
                description=document.description,
                attachment_type=document.attachment_type,
                page_count=document.page_count,
            )
        )
    return uploads


def _people_to_tell(entry: DocketEntry) -> list:
    """The filer, and the agent who keyed the filing if that was someone else."""
    people = []
    for user in (entry.filer, entry.entered_by):
        if (
            user is not None
            and user.email
            and not user.is_court_user
            and user not in people
        ):
            people.append(user)
    return people


def _tell_filer(
    entry: DocketEntry,
    *,
    subject: str,
    lines: list[str],
    docketed: DocketEntry | None = None,
) -> None:
    """Tell the filer (and the agent who keyed it) what the clerk did to their filing.

    One clerk action, one message: when the action docketed an entry (`docketed`) whose
    NEF already reaches the person, the NEF is that message and nothing more is sent.
    """
    nef_users: set[int] = set()
    if docketed is not None:
        from ...pipeline.recipients import recipients_for

        nef_users = {
            a.user_id for a in recipients_for(docketed).electronic if a.user_id
        }
    site = settings.ECF_SITE_URL
    text = "\n\n".join(
        [
            *lines,
            f"Case {entry.case.display_number}: {entry.case.title}",
            f"ECF: {site}",
        ]
    )
    from dockets.permissions import can_see_entry_text

    for user in _people_to_tell(entry):
        if user.pk in nef_users:
            continue
        body = text
        if not can_see_entry_text(user, entry):
            # Sealed or court-only text reaches only the court: never a filer's e-mail.
            body = "\n\n".join(
                [
                    f"The clerk's office acted on an entry in case "
                    f"{entry.case.display_number} that is not public. Log in to ECF "
                    "to see what you may see of it.",
                    f"ECF: {site}",
                ]
            )
        send_message(
            to_email=user.email, subject=subject, text=body, user=user, kind="clerk"
        )


def _docket(
    *,
    case: Case,
    event: Event,
    clerk: User,
    values: dict,
    related: Sequence[DocketEntry] = (),
    note: str = "",
    documents: Sequence[UploadedDocument] = (),
    filer: User | None = None,
    visibility: str | None = None,
    text: str = "",
) -> DocketEntry:
    """Create a court entry on a locked case, set its deadlines, queue its NEF."""
    related = list(related)
    documents = list(documents)
    text = text or court_entry_text(
        event=event,
        values=values,
        clerk=clerk,
        related=related,
        note=note,
        attachments=[d.description for d in documents[1:]],
    )
    request = FilingRequest(
        case=case,
        events=[event],
        filer=filer or clerk,
        entered_by=clerk,
        related=related,
        documents=documents,
        fields=_storable(values),
        text_override=text,
        fee_cents=0,
        fee_status=DocketEntry.FeeStatus.NONE,
        filer_label=f"({clerk_initials(clerk)})",
        visibility=visibility,
    )
    entry = create_entry(request, case=case)
    now = timezone.now()
    DocketEntry.objects.filter(pk=entry.pk).update(
        qc_status=DocketEntry.QcStatus.REVIEWED, qc_by=clerk, qc_at=now
    )
    entry.qc_status, entry.qc_by, entry.qc_at = (
        DocketEntry.QcStatus.REVIEWED,
        clerk,
        now,
    )
    _set_deadlines(entry, values)
    after_filing(entry)
    return entry


def _check_open(case: Case) -> None:
    if not case.is_open:
        raise UserFacingError(
            f"Case {case.display_number} is {case.get_status_display().lower()}. Reopen it first."
        )


def _event(code: str) -> Event:
    event = Event.objects.filter(code=code).first()
    if event is None:
        raise UserFacingError(
            f"The event catalogue has no event {code!r}; ask the clerk's office to load it."
        )
    return event
