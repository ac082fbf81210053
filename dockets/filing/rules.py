"""Who may file which event in which case: the role-by-event matrix of the catalogue.

The event catalogue names the roles that may file each event (`Event.filer_roles`,
cmecf.md 1.1). A filer's account role maps onto those names; a filing agent files
what the attorney (or trustee) it works for may file; clerks and judges file court
events. Everything here answers with reasons in plain words, never raises, and
reads no request data: the wizard and its tests ask the same questions.
"""

from __future__ import annotations

from cases.models import Case
from filers.models import AgentLink, Filer, Role, User

from ..models import Event

# Account role -> the catalogue's filer-role name.
CATALOGUE_ROLE = {
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

    Empty for anyone but an agent. Uses filers.selectors.principals_for when the
    filers app provides it (it lists filers, and a non-agent's own filer).
    """
    if not user.is_authenticated:
        return []
    filer = user.filer_or_none
    if filer is None or filer.role != Role.FILING_AGENT:
        return []
    try:
        from filers.selectors import principals_for as selector
    except ImportError:  # the filers app's selector is optional here
        selector = None
    if selector is not None:
        return [f.user for f in selector(user) if f.user_id != user.pk]
    links = (
        AgentLink.objects.filter(
            agent=filer, active=True, principal__status=Filer.Status.CERTIFIED
        )
        .select_related("principal__user")
        .order_by("principal__user__full_name")
    )
    return [link.principal.user for link in links]


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
    attorney it files for, or every active principal is tried. Closed cases are
    refused by dockets.services.file_docket_entry, whose message the wizard shows.
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
    if event.case_types and case.case_type not in event.case_types:
        kind = "an adversary proceeding" if case.is_adversary else "a bankruptcy case"
        reasons.append(f"\u201c{event.name}\u201d cannot be filed in {kind}.")
    elif (
        event.chapters
        and case.case_type == Case.CaseType.BANKRUPTCY
        and case.chapter not in event.chapters
    ):
        chapters = ", ".join(event.chapters)
        reasons.append(
            f"\u201c{event.name}\u201d is for chapter {chapters} cases; this is a chapter {case.chapter} case."
        )
    return reasons


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
