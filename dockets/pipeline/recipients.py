"""Who gets a notice, by the rules (cmecf.md 5.3). Reads only; a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet, Subquery

from cases.models import Case, CaseWatch, Party, Representation, Trustee
from cases.preferred import name_key, preferred_addresses_for
from core.compiled import CompiledQuery
from filers.models import Filer, User

from ..models import DocketEntry, Visibility
from ..permissions import effective_entry_visibility

PRIVATE_LEVELS = (Visibility.SEALED, Visibility.COURT, Visibility.EX_PARTE)


@dataclass
class Addressee:
    """Someone the NEF is e-mailed to: one person, one or more addresses."""

    name: str
    emails: list[str]
    user_id: int | None = None
    on_behalf_of: list[str] = field(default_factory=list)
    daily: bool = False
    user: User | None = None  # the account (with its filer), when user_id is set


@dataclass
class PaperAddressee:
    """Someone the NEF is not e-mailed to, with the address a paper notice goes to."""

    name: str
    address_lines: list[str]
    source: str = ""  # e.g. a preferred address under 11 U.S.C. 342(e)/(f)


@dataclass
class RecipientPlan:
    electronic: list[Addressee] = field(default_factory=list)
    paper: list[PaperAddressee] = field(default_factory=list)


class _PlanBuilder:
    def __init__(self) -> None:
        self.plan = RecipientPlan()
        self.by_user: dict[int, Addressee] = {}
        self.emails: set[str] = set()

    def add_user(self, user: User, *, behalf: str = "") -> None:
        if user is None or not user.is_active:
            return
        existing = self.by_user.get(user.pk)
        if existing is not None:
            if behalf and behalf not in existing.on_behalf_of:
                existing.on_behalf_of.append(behalf)
            return
        filer = user.filer_or_none
        emails = [user.email, *(filer.secondary_emails if filer else [])]
        emails = [
            e
            for e in dict.fromkeys(e.strip().lower() for e in emails if e)
            if e not in self.emails
        ]
        if not emails:
            return
        self.emails.update(emails)
        addressee = Addressee(
            name=user.get_full_name(),
            emails=emails,
            user_id=user.pk,
            on_behalf_of=[behalf] if behalf else [],
            daily=bool(filer and filer.nef_preference == Filer.NefPreference.DAILY),
            user=user,
        )
        self.by_user[user.pk] = addressee
        self.plan.electronic.append(addressee)

    def add_email(self, name: str, email: str, *, behalf: str = "") -> None:
        email = email.strip().lower()
        if not email or email in self.emails:
            return
        self.emails.add(email)
        self.plan.electronic.append(
            Addressee(
                name=name, emails=[email], on_behalf_of=[behalf] if behalf else []
            )
        )


def _representations_query(case_id: int) -> QuerySet[Representation]:
    """Counsel of record in the case with notice on, with the attorney and the party."""
    return (
        Representation.objects.filter(
            case_id=case_id, notice=True, terminated_on__isnull=True
        )
        .select_related("attorney__filer", "party")
        .order_by("id")
    )


def _watches_query(case_id: int) -> QuerySet[CaseWatch]:
    """Courtesy-NEF requesters and limited filers who added the case, with the account."""
    return (
        CaseWatch.objects.filter(
            case_id=case_id, kind__in=[CaseWatch.Kind.COURTESY, CaseWatch.Kind.ADDED]
        )
        .select_related("user__filer")
        .order_by("id")
    )


def _parties_query(case_id: int) -> QuerySet[Party]:
    """The case's parties still in it, other than its trustees."""
    return (
        Party.objects.filter(case_id=case_id, terminated_on__isnull=True)
        .exclude(role__in=[Party.Role.TRUSTEE, Party.Role.US_TRUSTEE])
        .order_by("id")
    )


def _trustees_query(case_id: int) -> QuerySet[Trustee]:
    """The case's trustee and its court's U.S. trustee, active, with their accounts:
    by the case id alone (the two ids read from the case inside the query)."""
    case = Case.objects.filter(pk=case_id)
    return (
        Trustee.objects.filter(
            Q(pk=Subquery(case.values("trustee_id")[:1]))
            | Q(
                court_id=Subquery(case.values("court_id")[:1]),
                kind=Trustee.Kind.US_TRUSTEE,
            ),
            active=True,
        )
        .select_related("user__filer")
        .order_by("id")
    )


# Compiled once per process (issue 21: building this SQL cost more than running it).
_REPRESENTATIONS = CompiledQuery(_representations_query)
_WATCHES = CompiledQuery(_watches_query)
_PARTIES = CompiledQuery(_parties_query)
_TRUSTEES = CompiledQuery(_trustees_query)


def recipients_for(entry: DocketEntry) -> RecipientPlan:
    """Who gets this entry's NEF, by the rules (cmecf.md 5.3):

    - attorneys of record in the case with notice on (and the entry's own filer);
    - the case trustee and the court's U.S. trustee, always;
    - courtesy-NEF requesters, and limited filers for cases they added to their account;
    - every secondary e-mail address of each of those filers;
    - parties with an e-mail address and no ECF account are e-mailed;
    - every other party, not represented and not reached above, is listed under
      "will not be electronically mailed" with a mailing address;
    - sealed, court-only and ex parte entries: the filer only.

    A fixed number of queries, whatever the number of recipients.
    """
    case = entry.case
    builder = _PlanBuilder()
    if effective_entry_visibility(entry) in PRIVATE_LEVELS:
        # Sealed, court-only and ex parte filings: the other side must not learn of
        # them from a notice, so only the filer (and whoever keyed it) is told.
        for user in (entry.filer, entry.entered_by):
            if user is not None and not user.is_court_user:
                builder.add_user(user)
        return builder.plan
    reps = _REPRESENTATIONS.all(case.pk)
    represented: set[int] = set()
    for rep in reps:
        represented.add(rep.party_id)
        builder.add_user(
            rep.attorney, behalf=f"{rep.party.get_role_display()} {rep.party.name}"
        )
    if entry.filer is not None and not entry.filer.is_court_user:
        builder.add_user(entry.filer)
    trustees = _TRUSTEES.all(case.pk)
    for trustee in sorted(trustees, key=lambda t: t.kind == Trustee.Kind.US_TRUSTEE):
        if trustee.user is not None:
            # "Gerald H. Davis" for himself; an office's account "on behalf of United States Trustee".
            same = trustee.user.get_full_name() == trustee.name
            builder.add_user(trustee.user, behalf="" if same else trustee.name)
        elif trustee.email:
            builder.add_email(trustee.name, trustee.email)
    watches = _WATCHES.all(case.pk)
    for watch in watches:
        builder.add_user(watch.user)
    parties = _PARTIES.all(case.pk)
    preferred = preferred_addresses_for(case)
    for party in parties:
        if party.pk in represented or (
            party.user_id and party.user_id in builder.by_user
        ):
            continue
        chosen = preferred.get(name_key(party.name)) if preferred else None
        if chosen is not None:
            # 11 U.S.C. 342(e)/(f): the creditor's preferred address decides.
            if chosen.email and not chosen.email_bounced:
                builder.add_email(party.name, chosen.email, behalf=chosen.source)
            else:
                builder.plan.paper.append(
                    PaperAddressee(
                        name=party.name,
                        address_lines=chosen.address_lines or party.mailing_lines[1:],
                        source=chosen.source,
                    )
                )
            continue
        if party.email and not party.user_id:
            builder.add_email(party.name, party.email, behalf=party.get_role_display())
            continue
        builder.plan.paper.append(
            PaperAddressee(name=party.name, address_lines=party.mailing_lines[1:])
        )
    return builder.plan
