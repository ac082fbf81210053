"""Load the demo court: offices, judges, trustees, events, one user per role, a few cases.

Idempotent: running it again changes nothing. Everything is created through the
services, as a user's actions would be. Passwords are for demo machines only.
"""

import datetime as dt
import tempfile
from pathlib import Path

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from cases.calendar import compute_deadline
from cases.demo import demo_seeders
from cases.models import Case, Court, Judge, Office, Party, Trustee
from cases.services import PartyData, add_party, create_case
from core import clock
from dockets.catalogue import sync_events
from dockets.models import DocketEntry, Event
from dockets.services import (
    FilingRequest,
    UploadedDocument,
    create_entry,
    documents_stored,
    lock_case,
)
from filers.models import AgentLink, Filer, Role, User
from filers.permissions import role_may_be_staff

DEMO_PASSWORD = "ecf-demo-password"  # noqa: S105 (demo users only, printed by make run)
# A fixed TOTP secret for the demo users only, so `make otp` can print their code.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 (demo users only)

DEMO_USERS = [
    # email, full name, role, status
    ("attorney@ecf.test", "Dana M. Whitaker", Role.ATTORNEY, Filer.Status.CERTIFIED),
    ("attorney2@ecf.test", "Marcus Lee", Role.ATTORNEY, Filer.Status.CERTIFIED),
    ("agent@ecf.test", "Priya Natarajan", Role.FILING_AGENT, Filer.Status.CERTIFIED),
    (
        "creditor@ecf.test",
        "Coastal Federal Credit Union",
        Role.CREDITOR,
        Filer.Status.CERTIFIED,
    ),
    ("trustee@ecf.test", "Gerald H. Davis", Role.TRUSTEE, Filer.Status.CERTIFIED),
    ("ch13trustee@ecf.test", "Michael Koch", Role.TRUSTEE, Filer.Status.CERTIFIED),
    (
        "ustrustee@ecf.test",
        "Office of the U.S. Trustee, Region 15",
        Role.US_TRUSTEE,
        Filer.Status.CERTIFIED,
    ),
    ("reporter@ecf.test", "Sandra Ortiz", Role.COURT_REPORTER, Filer.Status.CERTIFIED),
    (
        "party@ecf.test",
        "Clear Path Financial Education",
        Role.PARTY,
        Filer.Status.CERTIFIED,
    ),
    ("clerk@ecf.test", "Alma D. Morales", Role.CLERK, Filer.Status.CERTIFIED),
    ("judge@ecf.test", "Laura S. Taylor", Role.JUDGE, Filer.Status.CERTIFIED),
    ("trainee@ecf.test", "Tomas Rivera", Role.CREDITOR, Filer.Status.PENDING),
]
PUBLIC_USER = ("public@ecf.test", "Pat Public")


def demo_pdf(path: Path, *, title: str, lines: list[str], signer: str = "") -> int:
    """Write a small, real PDF with text (WeasyPrint); returns its page count."""
    from django.utils.html import escape
    from weasyprint import HTML

    body = "".join(f"<p>{escape(line)}</p>" for line in lines)
    sig = f"<p>/s/ {escape(signer)}</p><p>{escape(signer)}</p>" if signer else ""
    html = (
        f"<html lang='en'><head><title>{escape(title)}</title><style>@page {{ size: letter; margin: 1in }}"
        f" body {{ font-family: 'DejaVu Serif', serif; font-size: 12pt }}</style></head><body>"
        f"<p style='text-align:center'>UNITED STATES BANKRUPTCY COURT<br>SOUTHERN DISTRICT OF CALIFORNIA</p>"
        f"<h1 style='font-size:14pt;text-align:center'>{escape(title)}</h1>{body}{sig}</body></html>"
    )
    document = HTML(string=html).render()
    document.write_pdf(str(path))
    return len(document.pages)


class Command(BaseCommand):
    help = "Load the demo court, users and cases (idempotent)."

    def handle(self, *args, **options):
        if not (settings.DEBUG or settings.ECF_DEMO):
            raise CommandError(
                "seed_demo loads demo logins: run it only with ECF_DEMO=true."
            )
        count = sync_events()
        self.stdout.write(f"Event catalogue: {count} events")
        with transaction.atomic():
            court = self.seed_court()
            users = self.seed_users(court)
        if not Case.objects.exists():
            with tempfile.TemporaryDirectory() as tmp:
                self.seed_cases(court, users, Path(tmp))
        self.seed_extras(court, users)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))

    # -- court -----------------------------------------------------------------
    def seed_court(self) -> Court:
        court, _ = Court.objects.get_or_create(
            code=settings.ECF_COURT_ID,
            defaults={
                "name": settings.ECF_COURT_NAME,
                "district": "Southern District of California",
                "stamp_prefix": "CASB",
                # CM/ECF's document-id prefix for S.D. Cal. bankruptcy (/doc1/036...).
                "document_id_prefix": "036",
            },
        )
        san_diego, _ = Office.objects.get_or_create(
            court=court,
            number=3,
            defaults={
                "name": "San Diego",
                "address": "Jacob Weinberger U.S. Courthouse, 325 West F Street, San Diego, CA 92101-6991",
            },
        )
        Office.objects.get_or_create(
            court=court, number=2, defaults={"name": "El Centro"}
        )
        Judge.objects.get_or_create(
            court=court, initials="LT", defaults={"name": "Laura S. Taylor"}
        )
        Judge.objects.get_or_create(
            court=court, initials="CL", defaults={"name": "Christopher B. Latham"}
        )
        for kind, name, email in [
            (Trustee.Kind.PANEL_7, "Gerald H. Davis", "trustee@ecf.test"),
            (Trustee.Kind.STANDING_13, "Michael Koch", "ch13trustee@ecf.test"),
            (Trustee.Kind.US_TRUSTEE, "United States Trustee", "ustrustee@ecf.test"),
        ]:
            trustee, created = Trustee.objects.get_or_create(
                court=court, kind=kind, name=name, defaults={"email": email}
            )
            if created:
                trustee.offices.add(san_diego)
        return court

    def seed_users(self, court: Court) -> dict[str, User]:
        users: dict[str, User] = {}
        now = timezone.now()
        for email, name, role, status in DEMO_USERS:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(
                    email=email, password=DEMO_PASSWORD, full_name=name
                )
                Filer.objects.create(
                    user=user,
                    role=role,
                    status=status,
                    bar_number="123456" if role == Role.ATTORNEY else "",
                    bar_state="CA" if role == Role.ATTORNEY else "",
                    admitted_in_court=role == Role.ATTORNEY,
                    firm="Whitaker & Lee LLP"
                    if role in (Role.ATTORNEY, Role.FILING_AGENT)
                    else "",
                    address_line1="401 B Street, Suite 1200",
                    city="San Diego",
                    state="CA",
                    zip_code="92101",
                    phone="619-555-0100",
                    agreement_accepted_at=now,
                    certified_at=now if status == Filer.Status.CERTIFIED else None,
                    status_changed_at=now,
                )
                if role_may_be_staff(role):
                    user.is_staff = True
                    user.save(update_fields=["is_staff"])
            EmailAddress.objects.get_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            if (
                user.filer.status == Filer.Status.CERTIFIED
                and not Authenticator.objects.filter(user=user).exists()
            ):
                TOTP.activate(user, DEMO_TOTP_SECRET)
                RecoveryCodes.activate(user)
            users[email] = user
        email, name = PUBLIC_USER
        public = User.objects.filter(email=email).first() or User.objects.create_user(
            email=email, password=DEMO_PASSWORD, full_name=name
        )
        EmailAddress.objects.get_or_create(
            user=public, email=email, defaults={"verified": True, "primary": True}
        )
        users[email] = public
        attorney, agent = (
            users["attorney@ecf.test"].filer,
            users["agent@ecf.test"].filer,
        )
        AgentLink.objects.get_or_create(
            agent=agent,
            principal=attorney,
            active=True,
            defaults={"may_pay_fees": True},
        )
        for trustee in Trustee.objects.filter(court=court):
            if trustee.user_id is None and trustee.email in users:
                trustee.user = users[trustee.email]
                trustee.save(update_fields=["user"])
            if trustee.email in users:
                # As the clerk links them (cases.trustee_members.link_trustee_member): the
                # demo trustees and the U.S. Trustee act for their own records only.
                trustee.members.add(users[trustee.email])
        judge = Judge.objects.get(court=court, initials="LT")
        if judge.user_id is None:
            judge.user = users["judge@ecf.test"]
            judge.save(update_fields=["user"])
        return users

    # -- cases -----------------------------------------------------------------
    def _file(
        self,
        case,
        codes,
        filer: User,
        tmp: Path,
        *,
        title,
        lines,
        parties=(),
        related=(),
        attachments=(),
        fields=None,
        pdf=True,
        fee_status=None,
        entered_by=None,
        days_ago=0,
    ):
        events = [Event.objects.get(code=code) for code in codes]
        documents = []
        if pdf and events[0].pdf != "none":
            path = tmp / f"{case.pk}-{case.last_entry_seq + 1}.pdf"
            pages = demo_pdf(
                path,
                title=title,
                lines=lines,
                signer=filer.get_full_name() if filer else "",
            )
            documents.append(
                UploadedDocument.from_path(
                    path, filename=f"{title[:40]}.pdf", page_count=pages
                )
            )
            for i, description in enumerate(attachments, 1):
                apath = tmp / f"{case.pk}-{case.last_entry_seq + 1}-{i}.pdf"
                apages = demo_pdf(
                    apath, title=description, lines=[f"{description} to {title}."]
                )
                documents.append(
                    UploadedDocument.from_path(
                        apath,
                        filename=f"{description}.pdf",
                        description=description,
                        page_count=apages,
                    )
                )
        # The demo's texts are composed as a filer's are: every required detail
        # given (the rule book's field check), values shown as docket text shows them.
        from dockets.filing.rules import field_problems, field_specs
        from dockets.filing.wizard import text_value

        fields = fields or {}
        specs = field_specs(events)
        problems = field_problems(specs, fields, shapes=False)
        if problems:
            raise CommandError(
                f"Demo entry {title!r}: " + " ".join(p.message for p in problems)
            )
        request = FilingRequest(
            case=case,
            events=events,
            filer=filer,
            entered_by=entered_by,
            parties=list(parties),
            related=list(related),
            documents=documents,
            fields=fields,
            text_fields={
                s["name"]: text_value(s, fields.get(s["name"])) for s in specs
            },
            fee_status=fee_status,
        )
        with documents_stored(documents, case_id=case.pk), transaction.atomic():
            locked = lock_case(case.pk)
            entry = create_entry(request, case=locked)
        if days_ago:
            # Demo history: spread the entries over past days. Only the seed does this,
            # before anyone has seen the case.
            when = timezone.now() - dt.timedelta(days=days_ago)
            DocketEntry.objects.filter(pk=entry.pk).update(created_at=when)
        case.refresh_from_db()
        return entry

    def seed_cases(self, court: Court, users: dict[str, User], tmp: Path) -> None:
        office = Office.objects.get(court=court, number=3)
        lt = Judge.objects.get(court=court, initials="LT")
        cl = Judge.objects.get(court=court, initials="CL")
        ch7 = Trustee.objects.get(court=court, kind=Trustee.Kind.PANEL_7)
        ch13 = Trustee.objects.get(court=court, kind=Trustee.Kind.STANDING_13)
        attorney, attorney2 = users["attorney@ecf.test"], users["attorney2@ecf.test"]
        creditor_user = users["creditor@ecf.test"]

        # 1. A joint chapter 7 case.
        with transaction.atomic():
            case = create_case(
                court=court,
                office=office,
                chapter="7",
                title="Maria L. Gonzalez and Robert A. Gonzalez",
                joint=True,
                judge=lt,
                trustee=ch7,
                actor=attorney,
            )
            debtor = add_party(
                case=case,
                actor=attorney,
                data=PartyData(
                    role=Party.Role.DEBTOR,
                    name="Maria L. Gonzalez",
                    address_lines=["4120 Ocean View Blvd"],
                    city="San Diego",
                    state="CA",
                    zip_code="92113",
                    county="San Diego",
                    tax_id_kind="ssn",
                    tax_id_digits="512345678",
                    aliases=[("aka", "Maria Luisa Gonzalez")],
                ),
            )
            joint = add_party(
                case=case,
                actor=attorney,
                data=PartyData(
                    role=Party.Role.JOINT_DEBTOR,
                    name="Robert A. Gonzalez",
                    address_lines=["4120 Ocean View Blvd"],
                    city="San Diego",
                    state="CA",
                    zip_code="92113",
                    county="San Diego",
                    tax_id_kind="ssn",
                    tax_id_digits="523456789",
                    aliases=[("dba", "Gonzalez Landscaping")],
                ),
            )
            add_party(
                case=case,
                actor=attorney,
                data=PartyData(
                    role=Party.Role.TRUSTEE,
                    name=ch7.name,
                    email=ch7.email,
                    address_lines=["P.O. Box 1010"],
                    city="San Diego",
                    state="CA",
                    zip_code="92112",
                ),
            )
            bank = add_party(
                case=case,
                actor=attorney,
                user=creditor_user,
                data=PartyData(
                    role=Party.Role.CREDITOR,
                    name="Coastal Federal Credit Union",
                    is_entity=True,
                    address_lines=["Attn: Bankruptcy Dept", "P.O. Box 9000"],
                    city="San Diego",
                    state="CA",
                    zip_code="92169",
                    email="creditor@ecf.test",
                ),
            )
            for name, street, city, zip_code in [
                (
                    "Capital One Bank (USA), N.A.",
                    "P.O. Box 30285",
                    "Salt Lake City",
                    "84130-0285",
                ),
                ("Sharp Memorial Hospital", "7901 Frost Street", "San Diego", "92123"),
                ("Franchise Tax Board", "P.O. Box 2952", "Sacramento", "95812-2952"),
            ]:
                add_party(
                    case=case,
                    actor=attorney,
                    data=PartyData(
                        role=Party.Role.CREDITOR,
                        name=name,
                        is_entity=True,
                        address_lines=[street],
                        city=city,
                        state="UT" if city == "Salt Lake City" else "CA",
                        zip_code=zip_code,
                    ),
                )
        self.represent(case, [debtor, joint], attorney)
        petition = self._file(
            case,
            ["volp7"],
            attorney,
            tmp,
            title="Voluntary Petition for Individuals Filing for Bankruptcy",
            lines=[
                "Debtor 1: Maria L. Gonzalez. Debtor 2: Robert A. Gonzalez.",
                "Social Security number: xxx-xx-5678.",
            ],
            parties=[debtor, joint],
            fields={"fee_payment": "Paid"},
            fee_status=DocketEntry.FeeStatus.PAID,
            days_ago=20,
        )
        self._file(
            case,
            ["nmrp"],
            attorney2,
            tmp,
            title="Motion for Relief from Stay, Real Property",
            lines=[
                "Coastal Federal Credit Union moves for relief from the automatic stay as to 4120 Ocean View Blvd.",
                "Debtors: Maria L. Gonzalez and Robert A. Gonzalez.",
            ],
            parties=[bank],
            attachments=["Exhibit A Deed of Trust", "Proposed Order"],
            fee_status=DocketEntry.FeeStatus.PAID,
            related=[petition],
            fields={
                "property_type": "Real Property",
                "property": "4120 Ocean View Blvd",
                "objection_deadline": compute_deadline(
                    clock.today() - dt.timedelta(days=6), 14, what="the motion"
                ).day.isoformat(),
            },
            days_ago=6,
        )
        self.represent(case, [bank], attorney2)

        # 2. A chapter 13 case.
        with transaction.atomic():
            case13 = create_case(
                court=court,
                office=office,
                chapter="13",
                title="James T. Whitfield",
                judge=cl,
                trustee=ch13,
                actor=attorney,
            )
            debtor13 = add_party(
                case=case13,
                actor=attorney,
                data=PartyData(
                    role=Party.Role.DEBTOR,
                    name="James T. Whitfield",
                    address_lines=["77 Harbor Drive, Apt 4"],
                    city="Chula Vista",
                    state="CA",
                    zip_code="91910",
                    county="San Diego",
                    tax_id_kind="ssn",
                    tax_id_digits="534567890",
                ),
            )
            add_party(
                case=case13,
                actor=attorney,
                data=PartyData(
                    role=Party.Role.CREDITOR,
                    name="Ally Financial",
                    is_entity=True,
                    address_lines=["P.O. Box 130424"],
                    city="Roseville",
                    state="MN",
                    zip_code="55113",
                ),
            )
        self.represent(case13, [debtor13], attorney)
        self._file(
            case13,
            ["volp13"],
            attorney,
            tmp,
            title="Voluntary Petition for Individuals Filing for Bankruptcy",
            lines=["Debtor: James T. Whitfield."],
            parties=[debtor13],
            fields={"fee_payment": "Paid"},
            fee_status=DocketEntry.FeeStatus.PAID,
            days_ago=12,
        )

        # 3. A chapter 11 business case.
        with transaction.atomic():
            case11 = create_case(
                court=court,
                office=office,
                chapter="11",
                title="Pacific Coast Bakeries, LLC",
                judge=lt,
                actor=attorney2,
            )
            debtor11 = add_party(
                case=case11,
                actor=attorney2,
                data=PartyData(
                    role=Party.Role.DEBTOR_IN_POSSESSION,
                    name="Pacific Coast Bakeries, LLC",
                    is_entity=True,
                    address_lines=["2250 Kettner Blvd"],
                    city="San Diego",
                    state="CA",
                    zip_code="92101",
                    county="San Diego",
                    tax_id_kind="ein",
                    tax_id_digits="331234567",
                    aliases=[("dba", "PCB Artisan Breads")],
                ),
            )
        self.represent(case11, [debtor11], attorney2)
        self._file(
            case11,
            ["volp11n"],
            attorney2,
            tmp,
            title="Voluntary Petition for Non-Individuals Filing for Bankruptcy",
            lines=["Debtor: Pacific Coast Bakeries, LLC."],
            parties=[debtor11],
            fields={"fee_payment": "Paid"},
            fee_status=DocketEntry.FeeStatus.PAID,
            days_ago=3,
        )

    def represent(self, case, parties, attorney) -> None:
        from cases.models import Representation

        for party in parties:
            Representation.objects.get_or_create(
                case=case, party=party, attorney=attorney, defaults={"notice": True}
            )

    def seed_extras(self, court: Court, users: dict[str, User]) -> None:
        """Other apps' demo data (case flags, claims, training): cases.demo."""
        for seeder in demo_seeders():
            seeder(court=court, users=users, stdout=self.stdout)
