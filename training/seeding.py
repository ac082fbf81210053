"""Write the training database's seed: the court, the events, practice accounts and cases.

Every function takes `using=` and writes only there. From the live instance that is
the `training` alias (ARCHITECTURE.md: the live instance touches the training
database only through this app); on the training instance itself it is "default"
(`manage.py seed_practice`). Nothing here calls the cases or dockets services,
which write to the default alias.
"""

import datetime as dt

from allauth.account.models import EmailAddress
from django.db import connections, transaction
from django.utils import timezone

from cases.models import (
    Case,
    CaseCounter,
    Court,
    Judge,
    Office,
    Party,
    Representation,
    Trustee,
)
from core import clock
from filers.models import Filer, Role, User
from filers.permissions import is_court_role

# Tables a reset keeps: Django's own bookkeeping, which the migrations own.
KEEP_TABLES = {"django_migrations", "django_content_type", "auth_permission"}

# The practice cases each trainee gets (title is completed with the trainee's name).
PRACTICE_CASES = [
    {
        "chapter": "7",
        "debtor": "Jordan P. Practice",
        "trustee_kind": Trustee.Kind.PANEL_7,
    },
    {
        "chapter": "13",
        "debtor": "Casey R. Practice",
        "trustee_kind": Trustee.Kind.STANDING_13,
    },
]
PRACTICE_CREDITORS = [
    ("Harbor Practice Bank, N.A.", "P.O. Box 4100", "San Diego", "CA", "92112"),
    ("Mesa Practice Medical Group", "1200 Practice Way", "La Mesa", "CA", "91942"),
]


def truncate_training_data(*, using: str) -> list[str]:
    """Empty every data table of `using` (not the migration bookkeeping); return them.

    TRUNCATE fires no row triggers, so the append-only guards on entries and audit
    events (which refuse DELETE) do not stand in the way of a reset.
    """
    connection = connections[using]
    tables = [t for t in connection.introspection.table_names() if t not in KEEP_TABLES]
    if tables:
        quoted = ", ".join(connection.ops.quote_name(t) for t in tables)
        with connection.cursor() as cursor:
            # Deferred foreign-key checks still pending in this transaction would make
            # PostgreSQL refuse the TRUNCATE: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")
    return tables


def seed_court(*, using: str, source: str = "default") -> Court:
    """Copy the court, its offices, judges and trustees from `source` and sync events.

    The training court mirrors the live one, so trainees practise with the real
    offices, judges and trustees (their logins are not copied).
    """
    from django.conf import settings

    from dockets.catalogue import sync_events

    sync_events(using=using)
    live = Court.objects.using(source).filter(code=settings.ECF_COURT_ID).first()
    fields = {
        "name": live.name if live else settings.ECF_COURT_NAME,
        "district": live.district if live else "Southern District of California",
        "time_zone": live.time_zone if live else settings.ECF_COURT_TIME_ZONE,
        "stamp_prefix": live.stamp_prefix if live else "CASB",
        "document_id_prefix": live.document_id_prefix if live else "036",
    }
    court, _ = Court.objects.using(using).get_or_create(
        code=settings.ECF_COURT_ID, defaults=fields
    )
    offices = {}
    for office in (
        Office.objects.using(source).filter(court=live)
        if live
        else Office.objects.none()
    ):
        offices[office.pk], _ = Office.objects.using(using).get_or_create(
            court=court,
            number=office.number,
            defaults={"name": office.name, "address": office.address},
        )
    if not offices:
        offices[0], _ = Office.objects.using(using).get_or_create(
            court=court, number=3, defaults={"name": "San Diego"}
        )
    for judge in Judge.objects.using(source).filter(court=live) if live else []:
        Judge.objects.using(using).get_or_create(
            court=court,
            initials=judge.initials,
            defaults={"name": judge.name, "active": judge.active},
        )
    if not Judge.objects.using(using).filter(court=court).exists():
        Judge.objects.using(using).create(
            court=court, initials="TJ", name="Training Judge"
        )
    sources = (
        Trustee.objects.using(source).filter(court=live).prefetch_related("offices")
        if live
        else []
    )
    for trustee in sources:
        copy, created = Trustee.objects.using(using).get_or_create(
            court=court,
            kind=trustee.kind,
            name=trustee.name,
            defaults={"email": trustee.email, "address": trustee.address},
        )
        if created:
            copy.offices.add(
                *[offices[o.pk] for o in trustee.offices.all() if o.pk in offices]
            )
    return court


def ensure_practice_account(
    *, user: User, using: str, password: str = ""
) -> tuple[User, bool]:
    """Create (or find) the practice account of live `user`: same e-mail and role.

    The filer is certified on training, so the trainee can practise at once; there
    is no two-factor step on training (filers.permissions skips it there). Without
    `password` the account gets an unusable one until the one-time link is used.
    Returns (training user, created).
    """
    live_filer = user.filer_or_none
    email = user.email.lower()
    with transaction.atomic(using=using):
        trainee = User.objects.using(using).filter(email__iexact=email).first()
        created = trainee is None
        if trainee is None:
            trainee = User(email=email, full_name=user.full_name)
            if password:
                trainee.password = (
                    password  # an already-hashed password kept by a reset
                )
            else:
                trainee.set_unusable_password()
            trainee.save(using=using)
        filer = Filer.objects.using(using).filter(user=trainee).first()
        if filer is None and live_filer is not None:
            now = timezone.now()
            filer = Filer(
                user=trainee,
                role=live_filer.role,
                status=Filer.Status.CERTIFIED,
                status_changed_at=now,
                certified_at=now,
                agreement_accepted_at=now,
                **{
                    name: getattr(live_filer, name)
                    for name in (
                        "bar_number",
                        "bar_state",
                        "admitted_in_court",
                        "firm",
                        "address_line1",
                        "address_line2",
                        "city",
                        "state",
                        "zip_code",
                        "phone",
                        "fee_exempt",
                    )
                },
            )
            filer.save(using=using)
        address = EmailAddress.objects.using(using).filter(
            user=trainee, email__iexact=email
        )
        if not address.exists():
            EmailAddress.objects.using(using).create(
                user=trainee, email=email, verified=True, primary=True
            )
    return trainee, created


def _next_number(*, court: Court, year: int, using: str) -> int:
    CaseCounter.objects.using(using).get_or_create(
        court=court, year=year, case_type="bk"
    )
    counter = (
        CaseCounter.objects.using(using)
        .select_for_update()
        .get(court=court, year=year, case_type="bk")
    )
    counter.last_number += 1
    counter.save(using=using, update_fields=["last_number"])
    return counter.last_number


def create_practice_cases(*, trainee: User, using: str) -> list[Case]:
    """Give `trainee` (a user of the `using` database) their own practice cases.

    One open chapter 7 and one chapter 13 case, owned by the trainee (so no one
    else on training sees them), with a debtor, the trustee and two creditors. An
    attorney trainee represents the debtor; a creditor trainee is one of the
    creditors, with its login, so it can file claims. Does nothing if the trainee
    already has practice cases.
    """
    if Case.objects.using(using).filter(practice_owner=trainee).exists():
        return []
    filer = Filer.objects.using(using).filter(user=trainee).first()
    if filer is not None and is_court_role(filer.role):
        return []  # court users see every case on training; they need none of their own
    from django.conf import settings

    court = Court.objects.using(using).get(code=settings.ECF_COURT_ID)
    office = Office.objects.using(using).filter(court=court).order_by("number").last()
    judges = list(
        Judge.objects.using(using).filter(court=court, active=True).order_by("pk")
    )
    role = filer.role if filer is not None else ""
    today = clock.today()
    cases = []
    with transaction.atomic(using=using):
        for i, spec in enumerate(PRACTICE_CASES):
            trustee = (
                Trustee.objects.using(using)
                .filter(court=court, kind=spec["trustee_kind"])
                .order_by("pk")
                .first()
            )
            case = Case(
                court=court,
                office=office,
                year=today.year,
                case_type=Case.CaseType.BANKRUPTCY,
                number=_next_number(court=court, year=today.year, using=using),
                title=spec["debtor"],
                chapter=spec["chapter"],
                original_chapter=spec["chapter"],
                judge=judges[i % len(judges)] if judges else None,
                trustee=trustee,
                date_filed=today - dt.timedelta(days=7),
                practice_owner=trainee,
            )
            case.save(using=using)
            debtor = Party.objects.using(using).create(
                case=case,
                role=Party.Role.DEBTOR,
                name=spec["debtor"],
                address_lines=["100 Practice Lane"],
                city="San Diego",
                state="CA",
                zip_code="92101",
                county="San Diego",
            )
            if trustee is not None:
                Party.objects.using(using).create(
                    case=case,
                    role=Party.Role.TRUSTEE,
                    name=trustee.name,
                    email=trustee.email,
                )
            for name, street, city, state, zip_code in PRACTICE_CREDITORS:
                Party.objects.using(using).create(
                    case=case,
                    role=Party.Role.CREDITOR,
                    name=name,
                    is_entity=True,
                    address_lines=[street],
                    city=city,
                    state=state,
                    zip_code=zip_code,
                )
            if role == Role.CREDITOR and filer is not None:
                Party.objects.using(using).create(
                    case=case,
                    role=Party.Role.CREDITOR,
                    name=trainee.get_full_name(),
                    is_entity=True,
                    email=trainee.email,
                    address_lines=[filer.address_line1 or "1 Creditor Plaza"],
                    city=filer.city or "San Diego",
                    state=filer.state or "CA",
                    zip_code=filer.zip_code or "92101",
                    user=trainee,
                )
            if role == Role.ATTORNEY:
                Representation.objects.using(using).create(
                    case=case, party=debtor, attorney=trainee, notice=True
                )
            cases.append(case)
    return cases
