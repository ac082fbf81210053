"""The rule book of a filing: what a filing must satisfy before it reaches the docket.

`filing_problems(check)` is the one answer to "may this filer file this now, and is
the filing complete": the wizard asks it at every step and again at submit, the API
asks it before it stores anything, and the clerk's docketing asks it too. Callers
only translate its `Problem`s into their own shape (a redirect to the step, a 422
body, a form error). `event_fits_case` is the one answer to "does this event fit
this case" (case type, chapter, and what a closed case still accepts).

The event catalogue names the roles that may file each event (`Event.filer_roles`,
cmecf.md 1.1). A filer's account role maps onto those names; a filing agent files
what the attorney (or trustee) it works for may file; clerks and judges file court
events. Everything here answers with reasons in plain words and never raises.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet

from cases.models import Case, Party, Representation
from core.compiled import PLACEHOLDER
from core.compiled_lookup import ID_LIST_PLACEHOLDER, CompiledLookup, id_in
from filers.models import Role, User
from filers.permissions import is_active_court_user

from ..catalogue_data import EventCategory, EventFiler
from ..models import DocketEntry, Event

# Account role -> the catalogue's filer-role name.
CATALOGUE_ROLE: dict[str, str] = {
    Role.ATTORNEY: "attorney",
    Role.CREDITOR: "creditor",
    Role.TRUSTEE: "trustee",
    Role.US_TRUSTEE: "us_trustee",
    Role.COURT_REPORTER: "court_reporter",
    Role.PARTY: "party",
    Role.CLERK: "court",
    Role.JUDGE: "court",
}

ROLE_WORDS = {
    "attorney": "attorneys",
    "creditor": "creditors",
    "trustee": "trustees",
    "us_trustee": "the U.S. Trustee",
    "court_reporter": "court reporters",
    "party": "parties filing for themselves",
    "court": "the court (clerk or judge)",
    "epoc": "creditors without a login",
}

# Case actions other screens own: opening a case (petitions, adversary complaints)
# and the claims register. The generic wizard sends the filer there instead.
ELSEWHERE = {
    "open_bk": "A petition opens a new case: use Open a bankruptcy case.",
    "open_ap": "An adversary complaint opens an adversary proceeding: use Open an adversary proceeding.",
    "claim_file": "Proofs of claim are filed from the case's claims register.",
    "claim_amend": "Amended claims are filed from the case's claims register.",
    "claim_withdraw": "Claim withdrawals are filed from the case's claims register.",
    "claim_transfer": "Claim transfers are filed from the case's claims register.",
    "claim_supplement": "Claim supplements are filed from the case's claims register.",
    "fee_receipt": "Fee receipts are docketed automatically when a fee is paid.",
}


def principals_for(user: User) -> list[User]:
    """The attorneys (or trustees) a filing agent may file for, through active links.

    Empty for anyone but an agent (filers.selectors.principals_for decides).
    """
    if not user.is_authenticated:
        return []
    filer = user.filer_or_none
    if filer is None or filer.role != Role.FILING_AGENT:
        return []
    from filers.selectors import principals_for as selector

    return [f.user for f in selector(user) if f.user_id != user.pk]


def may_act_for(user: User, principal: User) -> bool:
    """True if `user` may sign filings as `principal` (themselves, or an agent's principal)."""
    if not user.is_authenticated:
        return False
    if user.pk == principal.pk:
        return True
    return any(p.pk == principal.pk for p in principals_for(user))


def catalogue_role(user: User) -> str:
    """The catalogue's name for what `user` files as ("" when the user cannot file)."""
    if not user.is_authenticated:
        return ""
    return CATALOGUE_ROLE.get(user.role, "")


def can_file_event(
    user: User, event: Event, case: Case, *, principal: User | None = None
) -> list[str]:
    """Return why `user` may not file `event` in `case` (empty = allowed).

    A filing agent is judged by its principal's role: pass `principal` to name the
    attorney it files for, or every active principal is tried. Whether the event
    fits the case (type, chapter, closed case) is `event_fits_case`.
    """
    if not user.is_authenticated:
        return ["Log in with your ECF filer account to file."]
    if user.role == Role.FILING_AGENT:
        principals = [principal] if principal is not None else principals_for(user)
        principals = [p for p in principals if may_act_for(user, p)]
        if not principals:
            return [
                "A filing agent files for an attorney: you have no active link to one."
            ]
        reasons: list[str] = []
        for p in principals:
            reasons = _reasons(catalogue_role(p), event, case)
            if not reasons:
                return []
        return reasons
    if principal is not None and principal.pk != user.pk:
        return ["You may file only under your own name."]
    return _reasons(catalogue_role(user), event, case)


def _reasons(role: str, event: Event, case: Case) -> list[str]:
    if not role:
        return ["This account has no filing rights."]
    if not event.active:
        return [f"The event \u201c{event.name}\u201d is no longer in use."]
    if role not in event.filer_roles:
        allowed = ", ".join(ROLE_WORDS.get(r, r) for r in event.filer_roles) or "nobody"
        return [f"\u201c{event.name}\u201d can be filed only by {allowed}."]
    reasons = []
    if event.case_action in ELSEWHERE:
        reasons.append(ELSEWHERE[event.case_action])
    return reasons + event_fits_case(event, case)


def events_for(user: User, case: Case, *, principal: User | None = None) -> list[Event]:
    """The active events `user` may file in `case`, in catalogue order (one query)."""
    if user.is_authenticated and user.role == Role.FILING_AGENT:
        principals = [principal] if principal is not None else principals_for(user)
        roles = {catalogue_role(p) for p in principals if may_act_for(user, p)}
    elif principal is not None and user.is_authenticated and principal.pk != user.pk:
        roles = set()
    else:
        roles = {catalogue_role(user)}
    events = Event.objects.filter(active=True).order_by("category", "name")
    return [e for e in events if any(not _reasons(role, e, case) for role in roles)]


# -- Does this event fit this case ---------------------------------------------------

# What a closed case still accepts (cmecf.md 3.3, 3.5): the motion to reopen and the
# court's reopening, an appearance or request for notice, a change of address, a
# courtesy-NEF request, transcripts of hearings held while it was open, and the
# court's orders (for example the order on a motion to reopen). 28 U.S.C. 350(b):
# anything else waits until the case is reopened.
CLOSED_CASE_ACTIONS = frozenset(
    {"reopen", "appearance", "change_address", "courtesy_nef", "transcript"}
)
CLOSED_CASE_CODES = frozenset(
    {"reopen7", "reopen11", "reopen12", "reopen13", "ntctrn", "trintr", "trredr"}
)
CLOSED_CASE_CATEGORIES = frozenset({EventCategory.ORDER})
CLOSED_CASE_WHY = (
    "A closed case takes only a motion to reopen, an appearance or request for "
    "notice, a change of address, a courtesy NEF request, transcripts and the "
    "court's orders. Anything else can be filed once the case is reopened."
)


def allowed_in_closed_case(event: Event) -> bool:
    """True if `event` may be filed in a case that is closed (or dismissed)."""
    return (
        event.case_action in CLOSED_CASE_ACTIONS
        or event.code in CLOSED_CASE_CODES
        or event.category in CLOSED_CASE_CATEGORIES
    )


def event_fits_case(event: Event, case: Case) -> list[str]:
    """Return why `event` cannot be filed in `case` (case type, chapter, status); empty = fits."""
    if event.case_types and case.case_type not in event.case_types:
        kind = "an adversary proceeding" if case.is_adversary else "a bankruptcy case"
        return [f"\u201c{event.name}\u201d cannot be filed in {kind}."]
    if (
        event.chapters
        and case.case_type == Case.CaseType.BANKRUPTCY
        and case.chapter not in event.chapters
    ):
        chapters = ", ".join(event.chapters)
        return [
            f"\u201c{event.name}\u201d is for chapter {chapters} cases; this is a chapter {case.chapter} case."
        ]
    if not case.is_open and not allowed_in_closed_case(event):
        status = case.get_status_display().lower()
        return [
            f"Case {case.display_number} is {status}: \u201c{event.name}\u201d cannot be filed in it. "
            + CLOSED_CASE_WHY
        ]
    return []


# -- The rule book -------------------------------------------------------------------

# The wizard's steps in order; a problem names the step that fixes it.
STEP_ORDER = ("events", "parties", "documents", "related", "fields", "fee", "review")


@dataclass(frozen=True)
class Problem:
    """One thing that stops a filing (or, with `warning`, needs the filer's acknowledgement).

    `step` is the wizard step that fixes it ("" when no step can: the filer's
    standing); `field` names the API field (`events`, `party_ids`, `fields.hearing`...).
    """

    code: str
    message: str
    step: str = ""
    field: str = ""
    warning: bool = False


@dataclass
class FilingCheck:
    """What a filing would be, as any path (wizard, API, clerk) has collected it so far.

    `documents` are the draft's document records (`main`, `must_repair`,
    `use_repaired`); `fields` are stored values (ISO dates, cents, hearing dicts).
    `acting_as` is "filer" for a filer's own filing, "court" for a clerk docketing
    a court event, "paper" for a clerk docketing a paper filing for someone.
    """

    # Who files, and for whom; None when the court itself dockets (acting_as "court").
    user: User | None
    principal: User | None
    case: Case
    events: list[Event]
    parties: list[Party] = field(default_factory=list)
    new_parties: list[dict] = field(default_factory=list)
    against: list[Party] = field(default_factory=list)
    related: list[DocketEntry] = field(default_factory=list)
    documents: list[dict] = field(default_factory=list)
    fields: dict = field(default_factory=dict)
    acting_as: str = "filer"
    today: dt.date | None = None


def blocking(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if not p.warning]


def filing_problems(check: FilingCheck, *, warnings: bool = True) -> list[Problem]:
    """Everything that stops this filing now, in the wizard's step order.

    Never raises and writes nothing. Warnings (`warning=True`) do not stop a
    filing the filer has acknowledged; every other problem does. `warnings=False`
    leaves them out (and the reads only they need): the wizard's step gate asks
    only what blocks, and the review page, which shows the warnings, asks again.
    """
    problems: list[Problem] = []
    problems += standing_problems(check)
    problems += _event_problems(check)
    if check.events:
        problems += _party_problems(check, warnings=warnings)
        problems += _document_problems(check)
        problems += _related_problems(check)
        problems += field_problems(
            field_specs(check.events),
            check.fields,
            today=check.today,
            shapes=check.acting_as == "filer",
        )
    unique: dict[tuple[str, str], Problem] = {}
    for problem in problems:
        unique.setdefault((problem.code, problem.message), problem)
    order = {s: i for i, s in enumerate(("", *STEP_ORDER))}
    return sorted(unique.values(), key=lambda p: order.get(p.step, 0))


def first_step_to_fix(problems: list[Problem], steps: list[str]) -> str | None:
    """The earliest of `steps` that a blocking problem sends the filer back to."""
    named = {p.step for p in blocking(problems)}
    return next((s for s in steps if s in named), None)


def _filer_and_principal(check: FilingCheck) -> tuple[User, User]:
    """Who files and for whom: a filer's own filing (acting_as "filer") names both."""
    if check.user is None or check.principal is None:
        raise ValueError("A filer's filing names who files and for whom.")
    return check.user, check.principal


def standing_problems(check: FilingCheck) -> list[Problem]:
    """The filer's own standing (certified, not suspended, two-factor) and an agent's link."""
    if check.acting_as != "filer":
        return []
    user, principal = _filer_and_principal(check)
    return filer_standing_problems(user=user, principal=principal)


def filer_standing_problems(*, user: User, principal: User) -> list[Problem]:
    """standing_problems of `user` filing as `principal`, before any case is chosen."""
    from filers.permissions import filing_blockers

    reasons = list(filing_blockers(user))
    if principal.pk != user.pk:
        if not may_act_for(user, principal):
            reasons.append("You are not linked to that attorney as a filing agent.")
        reasons += filing_blockers(principal)
    return [Problem("standing", r) for r in dict.fromkeys(reasons)]


def _event_problems(check: FilingCheck) -> list[Problem]:
    if not check.events:
        return [Problem("no_event", "Choose at least one event.", "events", "events")]
    problems = []
    for event in check.events:
        if check.acting_as == "filer":
            user, principal = _filer_and_principal(check)
            reasons = can_file_event(user, event, check.case, principal=principal)
        else:
            reasons = []
            if not event.active:
                reasons.append(f"The event {event.name} is no longer used.")
            if check.acting_as == "court" and EventFiler.COURT not in event.filer_roles:
                reasons.append(f"{event.name} is not a court event.")
            reasons += event_fits_case(event, check.case)
        problems += [Problem("event", r, "events", "events") for r in reasons]
    return problems


# Parties whose attorney of record (or trustee) carries a debtor's or an officer's powers
# in the case: restricted documents, the matrix, fee exemptions.
_PRIVILEGED_PARTY_ROLES = (
    Party.Role.DEBTOR,
    Party.Role.JOINT_DEBTOR,
    Party.Role.DEBTOR_IN_POSSESSION,
    Party.Role.TRUSTEE,
    Party.Role.US_TRUSTEE,
)


def _privileged_party_problems(check: FilingCheck) -> list[Problem]:
    """A filer files for a debtor only as its attorney of record (or as the first attorney
    of an unrepresented debtor), and for a trustee or the U.S. Trustee only as a member of
    that office: filing for such a party must never make a stranger its attorney."""
    from cases.models import Representation
    from cases.permissions import (
        acts_for_trustee_in_case,
        acts_for_us_trustee_in_case,
        represents_in_case,
    )

    problems = []
    for party in check.parties:
        if party.role not in _PRIVILEGED_PARTY_ROLES:
            continue
        if party.role == Party.Role.TRUSTEE:
            allowed = acts_for_trustee_in_case(check.principal, check.case)
        elif party.role == Party.Role.US_TRUSTEE:
            allowed = acts_for_us_trustee_in_case(check.principal, check.case)
        else:
            allowed = (
                represents_in_case(check.principal, check.case, party=party)
                or not Representation.objects.filter(
                    party=party, terminated_on__isnull=True
                ).exists()
            )
        if not allowed:
            problems.append(
                Problem(
                    "party_not_yours",
                    f"You are not the attorney of record for {party.name} "
                    f"({party.get_role_display()}) in this case. File for the party you "
                    "represent; a substitution or association of counsel is docketed "
                    "by the clerk.",
                    "parties",
                    "party_ids",
                )
            )
    return problems


def _party_problems(check: FilingCheck, *, warnings: bool = True) -> list[Problem]:
    problems = []
    for party in [*check.parties, *check.against]:
        if party.case_id != check.case.pk or party.terminated_on is not None:
            problems.append(
                Problem(
                    "party_not_in_case",
                    f"{party.name} is not a party of this case.",
                    "parties",
                    "party_ids",
                )
            )
    if check.acting_as == "filer" and not is_active_court_user(check.principal):
        problems += _privileged_party_problems(check)
    needs_party = check.acting_as == "filer" and not is_active_court_user(
        check.principal
    )
    if needs_party and not check.parties and not check.new_parties:
        problems.append(
            Problem(
                "party_missing",
                "Choose the party you are filing for.",
                "parties",
                "party_ids",
            )
        )
    if any(e.needs_party_against for e in check.events) and not check.against:
        problems.append(
            Problem(
                "against_missing",
                "Choose the party this filing is against.",
                "parties",
                "against_ids",
            )
        )
    both = {p.pk for p in check.parties} & {p.pk for p in check.against}
    if both:
        problems.append(
            Problem(
                "against_self",
                "A party cannot file against itself: remove it from one of the two lists.",
                "parties",
                "against_ids",
            )
        )
    if warnings:
        problems += conflict_problems(check)
    return problems


def represented_query(
    *, shape: str, case_id: int, attorney_id: int, ids: list[int]
) -> QuerySet[Representation]:
    """The attorney's current representations in the case of the parties `ids`."""
    return Representation.objects.filter(
        id_in("party_id", ids),
        case_id=case_id,
        attorney_id=attorney_id,
        terminated_on__isnull=True,
    ).select_related("party")


# The parties step and the review ask it of every filing against a party: compiled
# once per process (core.compiled_lookup).
_REPRESENTED = CompiledLookup(
    represented_query,
    {
        "case_id": PLACEHOLDER,
        "attorney_id": PLACEHOLDER - 1,
        "ids": ID_LIST_PLACEHOLDER,
    },
)


def conflict_problems(check: FilingCheck) -> list[Problem]:
    """A warning when the filer represents a party this filing is against."""
    if not check.against:
        return []
    if check.principal is None:
        return []
    represented = _REPRESENTED.all(
        "plain",
        case_id=check.case.pk,
        attorney_id=check.principal.pk,
        ids=[p.pk for p in check.against],
    )
    return [
        Problem(
            "conflict",
            f"You represent {r.party.name} in this case, and this filing is against "
            f"{r.party.name}. File it only if that is right.",
            "parties",
            "against_ids",
            warning=True,
        )
        for r in represented
    ]


def _document_problems(check: FilingCheck) -> list[Problem]:
    problems = []
    has_main = any(d.get("main") for d in check.documents)
    if any(e.pdf == "required" for e in check.events) and not has_main:
        problems.append(
            Problem(
                "document_missing",
                "Upload the main document (PDF).",
                "documents",
                "main",
            )
        )
    if all(e.pdf == "none" for e in check.events) and check.documents:
        problems.append(
            Problem(
                "document_not_taken",
                "This event takes no PDF: remove the uploaded file.",
                "documents",
                "main",
            )
        )
    if not any(e.attachments for e in check.events) and any(
        not d.get("main") for d in check.documents
    ):
        problems.append(
            Problem(
                "attachment_not_taken",
                "This event takes no attachments: remove them.",
                "documents",
                "attachments",
            )
        )
    if any(d.get("must_repair") and not d.get("use_repaired") for d in check.documents):
        problems.append(
            Problem(
                "repair_needed",
                "A document can be filed only as the repaired copy: accept it, or remove the document.",
                "review",
                "main",
            )
        )
    return problems


def _related_problems(check: FilingCheck) -> list[Problem]:
    problems = []
    for entry in check.related:
        if entry.case_id != check.case.pk:
            problems.append(
                Problem(
                    "related_other_case",
                    "A related entry must be on this case's docket.",
                    "related",
                    "related_numbers",
                )
            )
    if any(e.refers == "required" for e in check.events) and not check.related:
        names = ", ".join(e.name for e in check.events if e.refers == "required")
        problems.append(
            Problem(
                "related_missing",
                f"{names} must refer to an earlier entry: choose it under Earlier entries.",
                "related",
                "related_numbers",
            )
        )
    categories = {c for e in check.events for c in e.refer_categories}
    if categories:
        for entry in check.related:
            if entry.event.category not in categories:
                problems.append(
                    Problem(
                        "related_wrong_kind",
                        f"Entry {entry.number} ({entry.event.name}) is not the kind of "
                        "entry this filing refers to.",
                        "related",
                        "related_numbers",
                    )
                )
    return problems


def field_specs(events: list[Event]) -> list[dict]:
    """The events' fields, each name once (a multi-relief motion shares its deadlines)."""
    seen: dict[str, dict] = {}
    for event in events:
        for spec in event.fields:
            seen.setdefault(spec["name"], spec)
    return list(seen.values())


def field_problems(
    specs: list[dict],
    values: dict,
    *,
    today: dt.date | None = None,
    shapes: bool = True,
) -> list[Problem]:
    """Each required field filled, and (with `shapes`) each value of the shape its kind stores.

    The clerk's forms hand typed values (dates, datetimes) already checked by their
    form fields, so the clerk's docketing asks only for `shapes=False`.
    """
    from core import clock

    today = today or clock.today()
    problems = []
    for spec in specs:
        name, label = spec["name"], spec["label"]
        value = values.get(name)
        where = f"fields.{name}"
        if value in (None, "", {}):
            if spec.get("required", True) and spec["kind"] != "bool":
                problems.append(
                    Problem(
                        "field_missing",
                        f"Fill in \u201c{label}\u201d.",
                        "fields",
                        where,
                    )
                )
            continue
        reason = _value_problem(spec, value, today=today) if shapes else ""
        if reason:
            problems.append(
                Problem(
                    "field_invalid", f"\u201c{label}\u201d: {reason}", "fields", where
                )
            )
    return problems


def _as_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _as_datetime(value) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value
    try:
        return dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None


def _value_problem(spec: dict, value, *, today: dt.date) -> str:
    kind = spec["kind"]
    if kind == "date":
        day = _as_date(value)
        if day is None:
            return "give a date as YYYY-MM-DD."
        if spec["name"] == "objection_deadline" and day < today:
            return "the last day to object cannot be in the past."
        return ""
    if kind == "datetime":
        return "" if _as_datetime(value) else "give a date and time."
    if kind == "hearing":
        at = value.get("at") if isinstance(value, dict) else None
        where = value.get("location", "") if isinstance(value, dict) else ""
        if not at or _as_datetime(at) is None:
            return "give the hearing's date and time."
        if not isinstance(where, str) or len(where) > 120:
            return "the place is too long."
        return ""
    if kind in ("money", "days"):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            return "give a whole number that is not negative."
        return ""
    if kind == "bool":
        return "" if isinstance(value, bool) else "answer yes or no."
    if not isinstance(value, str | int) or isinstance(value, bool):
        return "give a plain value."
    text = str(value)
    if spec.get("choices") and text not in spec["choices"]:
        return "choose one of: " + ", ".join(spec["choices"]) + "."
    if kind == "nature_of_suit":
        from ..catalogue_data import NATURE_OF_SUIT

        if text not in {code for code, _ in NATURE_OF_SUIT}:
            return "choose a nature of suit code."
    if kind == "chapter" and text not in ("7", "9", "11", "12", "13", "15"):
        return "choose a chapter."
    if "\x00" in text or len(text) > 200:
        return "keep it under 200 characters."
    return ""
