"""Test data: the demo court and users (as seed_demo builds them), plus small factories:
the chapter 7 case most tests start from (office 3, Judge LT, the panel trustee) and the
parties they file for."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.management import call_command

if TYPE_CHECKING:
    from cases.models import Case, Court
    from cases.services import PartyData
    from dockets.case_opening import PetitionRequest
    from dockets.services import UploadedDocument
    from filers.models import User


@dataclass
class Demo:
    court: Court
    users: dict[str, User]


def seed_court_and_users() -> Demo:
    """Run the demo seed's court and user parts (events too), without demo cases."""
    from cases.models import Court
    from dockets.catalogue import sync_events
    from dockets.catalogue_data import EVENTS
    from dockets.models import Event
    from filers.models import User
    from training.management.commands.seed_demo import DEMO_USERS, PUBLIC_USER, Command

    emails = [u[0] for u in DEMO_USERS] + [PUBLIC_USER[0]]
    court = Court.objects.filter(code="casb").first()
    if court is not None and Event.objects.count() >= len(EVENTS):
        # Already seeded in this database (the session seed, not yet flushed): reuse it.
        found = {
            u.email: u
            for u in User.objects.filter(email__in=emails).select_related("filer")
        }
        if len(found) == len(emails):
            return Demo(court=court, users={e.split("@")[0]: found[e] for e in emails})
    sync_events()
    cmd = Command()
    court = cmd.seed_court()
    users = cmd.seed_users(court)
    return Demo(
        court=court, users={email.split("@")[0]: user for email, user in users.items()}
    )


def seed_everything() -> None:
    call_command("seed_demo", verbosity=0)


def make_case(
    court: Court,
    *,
    title: str,
    chapter: str = "7",
    actor: User | None = None,
    judge_initials: str = "LT",
) -> Case:
    """A case in office 3 before Judge LT (or `judge_initials`); a chapter 7 case gets
    the panel trustee."""
    from django.db import transaction

    from cases.models import Judge, Office, Trustee
    from cases.services import create_case

    office = Office.objects.get(court=court, number=3)
    judge = Judge.objects.get(court=court, initials=judge_initials)
    trustee = Trustee.objects.filter(court=court, kind=Trustee.Kind.PANEL_7).first()
    with transaction.atomic():
        return create_case(
            court=court,
            office=office,
            chapter=chapter,
            title=title,
            judge=judge,
            trustee=trustee if chapter == "7" else None,
            actor=actor,
        )


def chapter7_case(
    demo: Demo,
    *,
    title: str = "Maria L. Gonzalez",
    debtor: PartyData | None = None,
    actor: User | None = None,
    judge_initials: str = "LT",
) -> Case:
    """make_case's chapter 7 case and its debtor (`debtor`, or a debtor named as the
    case with no address)."""
    from django.db import transaction

    from cases.models import Party
    from cases.services import PartyData, add_party

    with transaction.atomic():
        case = make_case(
            demo.court, title=title, actor=actor, judge_initials=judge_initials
        )
        add_party(
            case=case, data=debtor or PartyData(role=Party.Role.DEBTOR, name=title)
        )
    return case


def san_diego_party(
    role: str, name: str, street: str, zip_code: str, **extra
) -> PartyData:
    """A party with a street address in San Diego, CA."""
    from cases.services import PartyData

    return PartyData(
        role=role,
        name=name,
        address_lines=[street],
        city="San Diego",
        state="CA",
        zip_code=zip_code,
        **extra,
    )


def gonzalez_debtor(**extra) -> PartyData:
    """Maria L. Gonzalez, the debtor, at her San Diego address."""
    from cases.models import Party

    return san_diego_party(
        Party.Role.DEBTOR, "Maria L. Gonzalez", "4120 Ocean View Blvd", "92113", **extra
    )


def coastal_creditor() -> PartyData:
    """Coastal Federal Credit Union, the secured creditor (a bank)."""
    from cases.models import Party

    return san_diego_party(
        Party.Role.CREDITOR,
        "Coastal Federal Credit Union",
        "P.O. Box 9000",
        "92169",
        is_entity=True,
    )


def sharp_creditor() -> PartyData:
    """Sharp Memorial Hospital, a creditor known only by its mailing address."""
    from cases.models import Party

    return san_diego_party(
        Party.Role.CREDITOR,
        "Sharp Memorial Hospital",
        "7901 Frost Street",
        "92123",
        is_entity=True,
    )


def ruiz_debtor(name: str = "Ana Ruiz", ssn: str = "512345678", **extra) -> PartyData:
    """An individual debtor as a petition names one (the service sets the role)."""
    return san_diego_party(
        "",
        name,
        "12 Elm St",
        "92101",
        county="San Diego",
        tax_id_kind="ssn",
        tax_id_digits=ssn,
        **extra,
    )


def petition_request(
    demo: Demo, petition: UploadedDocument, **changes
) -> PetitionRequest:
    """The demo attorney's chapter 7 petition for Ana Ruiz in office 3; `changes`
    replace any of the request's fields."""
    from cases.models import Office
    from dockets.case_opening import PetitionRequest

    values: dict[str, Any] = {
        "filer": demo.users["attorney"],
        "office": Office.objects.get(court=demo.court, number=3),
        "chapter": "7",
        "debtors": [ruiz_debtor()],
        "petition": petition,
    }
    values.update(changes)
    return PetitionRequest(**values)
