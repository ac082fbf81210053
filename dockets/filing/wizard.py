"""The filing wizard's state: which steps a draft needs, and what its answers mean.

A draft's `state` is plain JSON (ids, strings, ISO dates), so a draft survives a
restart and can be resumed by another of the attorney's agents. Everything read
back from it is checked again against the case and the filer's rights: state is
never trusted more than a POST.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Q, QuerySet, Value

from cases.models import Case, Party
from core import clock
from core.compiled import PLACEHOLDER, CompiledQuery
from core.compiled_lookup import ID_LIST_PLACEHOLDER, CompiledLookup, id_in
from filers.models import AnyUser, User

from ..catalogue_data import EventCategory
from ..models import DocketEntry, Event
from ..selectors import readable_entry_q
from .rules import field_specs

STEPS = ["events", "parties", "documents", "related", "fields", "fee", "review"]
STEP_TITLES = {
    "events": "Events",
    "parties": "Parties",
    "documents": "Documents",
    "related": "Earlier entries",
    "fields": "Details",
    "fee": "Fee",
    "review": "Review and submit",
}

ATTACHMENT_TYPES = [
    "Exhibit",
    "Proposed Order",
    "Declaration",
    "Affidavit",
    "Memorandum of Points and Authorities",
    "Certificate of Service",
    "Notice",
    "Supplement",
    "Other",
]

# Events whose PDF carries no /s/ signature of the filer (FRBP 9011 covers pleadings).
UNSIGNED_CATEGORIES = (
    EventCategory.TRANSCRIPT,
    EventCategory.ORDER,
    EventCategory.COURT,
    EventCategory.FEE,
    EventCategory.DEFICIENCY,
)


@dataclass
class Chosen:
    """A draft's answers loaded from the database (events, parties, related entries)."""

    events: list[Event]
    parties: list[Party]
    against: list[Party]
    related: list[DocketEntry]
    joint: list[User]


def events_of(draft) -> list[Event]:
    """The draft's chosen events, in the order chosen (read once per draft object, and
    again when the chosen ids change)."""
    ids = list(draft.state.get("event_ids", []))
    cached = draft.__dict__.get("_chosen_events")
    if cached is not None and cached[0] == ids:
        return list(cached[1])
    by_id = {e.pk: e for e in _EVENTS.all("plain", ids=ids)} if ids else {}
    events = [by_id[i] for i in ids if i in by_id]
    draft.__dict__["_chosen_events"] = (ids, events)
    return list(events)


def events_query(*, shape: str, ids: list[int]) -> QuerySet[Event]:
    """The events with these ids (any number of them: one array parameter)."""
    return Event.objects.filter(id_in("pk", ids))


# Every step reads its draft's events (and the rule book its parties): compiled once
# per process (core.compiled_lookup), for any number of ids.
_EVENTS = CompiledLookup(events_query, {"ids": ID_LIST_PLACEHOLDER})


def active_events_query(*, shape: str, ids: list[int]) -> QuerySet[Event]:
    """The events with these ids still in use (the events step's choices)."""
    return Event.objects.filter(id_in("pk", ids), active=True)


_ACTIVE_EVENTS = CompiledLookup(active_events_query, {"ids": ID_LIST_PLACEHOLDER})


def active_events(ids: list[int]) -> list[Event]:
    """The events of `ids` still in use, in one statement compiled once per process."""
    return _ACTIVE_EVENTS.all("plain", ids=ids) if ids else []


def chosen_parties_query(
    *, shape: str, case_id: int, ids: list[int]
) -> QuerySet[Party]:
    """The parties of the case with these ids that are still in it (case_parties)."""
    return Party.objects.filter(
        id_in("pk", ids), case_id=case_id, terminated_on__isnull=True
    ).order_by("id")


_CHOSEN_PARTIES = CompiledLookup(
    chosen_parties_query, {"case_id": PLACEHOLDER, "ids": ID_LIST_PLACEHOLDER}
)


def chosen_parties(case: Case, ids: list[int]) -> list[Party]:
    """The parties of `case` with these ids still in it: case_parties(case) filtered
    by id, in one statement compiled once per process."""
    if not ids:
        return []
    return _CHOSEN_PARTIES.all("plain", case_id=case.pk, ids=ids)


def steps_for(draft, events: list[Event] | None = None) -> list[str]:
    """The steps this draft needs, in order (documents only with a PDF, and so on)."""
    events = events_of(draft) if events is None else events
    if not events:
        return ["events"]
    steps = ["events", "parties"]
    if any(e.pdf != "none" for e in events):
        steps.append("documents")
    # cmecf.md 3.2 step 9: "Does this filing refer to an existing document?" is asked of
    # every filing; the event decides only whether an answer is required.
    steps.append("related")
    if any(e.fields for e in events):
        steps.append("fields")
    steps += ["fee", "review"]
    return steps


def next_step(draft, step: str, events: list[Event] | None = None) -> str:
    steps = steps_for(draft, events)
    if step not in steps:
        return steps[0]
    return steps[min(steps.index(step) + 1, len(steps) - 1)]


def previous_step(draft, step: str, events: list[Event] | None = None) -> str:
    steps = steps_for(draft, events)
    if step not in steps:
        return steps[0]
    return steps[max(steps.index(step) - 1, 0)]


def case_parties(case: Case):
    return case.parties.filter(terminated_on__isnull=True).order_by("id")


def debtor_names(case: Case) -> list[str]:
    """The debtors' names and aliases, for the name-mismatch check on the main PDF."""
    # One query (each debtor's name and its aliases; the names first, in party
    # order), compiled once per process: every filing with a main document asks.
    rows = _DEBTOR_NAMES.all(case.pk)
    return [p.name for p in rows] + [
        a for p in rows for a in getattr(p, "alias_names", [])
    ]


def _debtor_names_query(case_id: int) -> QuerySet[Party]:
    return (
        Party.objects.filter(case_id=case_id, role__in=DEBTOR_ROLES)
        .order_by("id")
        .annotate(
            alias_names=ArrayAgg(
                "aliases__name", filter=Q(aliases__isnull=False), default=Value([])
            )
        )
        .only("id", "name")
    )


DEBTOR_ROLES = (
    Party.Role.DEBTOR,
    Party.Role.JOINT_DEBTOR,
    Party.Role.DEBTOR_IN_POSSESSION,
    Party.Role.PLAINTIFF,
    Party.Role.DEFENDANT,
)
_DEBTOR_NAMES = CompiledQuery(_debtor_names_query)


def relatable_entries(user: AnyUser, case: Case, *, category: str = ""):
    """Entries of `case` the filer may refer to: those whose text they may read."""
    qs = (
        DocketEntry.objects.filter(
            case=case, number__isnull=False, entered_in_error=False
        )
        .filter(readable_entry_q(user, case))
        .select_related("event")
        .order_by("-number")
    )
    if category:
        qs = qs.filter(event__category=category)
    return qs


def load(draft) -> Chosen:
    """Read the draft's chosen rows back, keeping only those that belong to its case.

    Read once per draft object (one request) and again when the chosen ids change."""
    state = draft.state
    key = tuple(
        tuple(state.get(name, []))
        for name in (
            "event_ids",
            "party_ids",
            "against_ids",
            "related_ids",
            "joint_ids",
        )
    )
    cached = draft.__dict__.get("_chosen_rows")
    if cached is None or cached[0] != key:
        cached = (key, _load(draft))
        draft.__dict__["_chosen_rows"] = cached
    chosen = cached[1]
    return Chosen(
        events=list(chosen.events),
        parties=list(chosen.parties),
        against=list(chosen.against),
        related=list(chosen.related),
        joint=list(chosen.joint),
    )


def _load(draft) -> Chosen:
    state = draft.state
    party_ids = state.get("party_ids", []) + state.get("against_ids", [])
    parties = {p.pk: p for p in chosen_parties(draft.case, party_ids)}
    related_ids = state.get("related_ids", [])
    related = (
        {
            e.pk: e
            for e in DocketEntry.objects.filter(
                case=draft.case, pk__in=related_ids
            ).select_related("event")
        }
        if related_ids
        else {}
    )
    joint_ids = state.get("joint_ids", [])
    joint = (
        {u.pk: u for u in User.objects.filter(pk__in=joint_ids)} if joint_ids else {}
    )
    return Chosen(
        events=events_of(draft),
        parties=[parties[i] for i in state.get("party_ids", []) if i in parties],
        against=[parties[i] for i in state.get("against_ids", []) if i in parties],
        related=sorted(
            (related[i] for i in related_ids if i in related),
            key=lambda e: e.number or 0,
        ),
        joint=[joint[i] for i in state.get("joint_ids", []) if i in joint],
    )


def text_value(spec: dict, value) -> str:
    """How a field's value reads in docket text (dates as 12/10/2026, money as $1,234.56)."""
    if value in (None, ""):
        return ""
    kind = spec["kind"]
    if kind == "date":
        try:
            return dt.date.fromisoformat(value).strftime("%m/%d/%Y")
        except (TypeError, ValueError):
            return str(value)
    if kind in ("datetime", "hearing"):
        when = value.get("at", "") if isinstance(value, dict) else value
        where = value.get("location", "") if isinstance(value, dict) else ""
        try:
            text = dt.datetime.fromisoformat(when).strftime("%m/%d/%Y at %I:%M %p")
        except (TypeError, ValueError):
            text = str(when or "")
        # CM/ECF prints hours without a leading zero: "5/15/2024 at 10:00 AM", "at 9:30 AM".
        text = text.replace(" at 0", " at ")
        return f"{text} at {where}" if where and text else text
    if kind == "money":
        from ..text import money

        return money(int(value))
    if kind == "bool":
        return "Yes" if value else "No"
    return str(value)


def filing_fields(draft, events: list[Event]) -> tuple[dict, dict]:
    """(stored values, values as the docket text shows them) for the draft's fields."""
    values = draft.state.get("fields", {})
    specs = field_specs(events)
    stored = {
        s["name"]: values.get(s["name"])
        for s in specs
        if values.get(s["name"]) not in (None, "")
    }
    shown = {s["name"]: text_value(s, values.get(s["name"])) for s in specs}
    return stored, shown


def filing_findings(draft, events: list[Event]) -> list[dict]:
    """Every warning for this filing: the documents' checks and a missing reference."""
    findings = []
    for doc in draft.state.get("documents", []):
        label = (
            "Main document"
            if doc.get("main")
            else doc.get("description") or "Attachment"
        )
        for finding in doc.get("findings", []):
            findings.append({**finding, "document": label})
    if any(e.refers == "optional" for e in events) and not draft.state.get(
        "related_ids"
    ):
        findings.append(
            {
                "code": "missing_reference",
                "message": "This kind of filing usually refers to an earlier entry (for example the motion it "
                "answers), and none was chosen. Go back to Earlier entries if it should.",
                "page": None,
                "document": "Filing",
            }
        )
    return findings


def today_plus(days: int | None) -> str:
    """A default deadline `days` after today, as the court calendar counts (FRBP 9006(a))."""
    if days is None:
        return ""
    from cases.calendar import compute_deadline

    return compute_deadline(clock.today(), int(days), what="today").day.isoformat()
