"""Courts, offices, judges, trustees; cases and their parties.

`cases` never imports `dockets`: a petition that opens a case is a filing, so
dockets.services opens the case through cases.services in the same transaction.
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models

from core.models import BaseModel


class Court(BaseModel):
    code = models.CharField(max_length=10, unique=True, help_text="e.g. casb")
    name = models.CharField(max_length=200)
    district = models.CharField(
        max_length=120, help_text="e.g. Southern District of California"
    )
    time_zone = models.CharField(max_length=60, default="America/Los_Angeles")
    stamp_prefix = models.CharField(
        max_length=20,
        default="bkecf",
        help_text="Electronic stamp ID prefix, e.g. CASB",
    )
    document_id_prefix = models.CharField(
        max_length=3,
        default="000",
        help_text="CM/ECF's three-digit document-id prefix for this court (casb: 036); "
        "every document id, /doc1/ link and NEF link starts with it.",
    )
    ap_number_start = models.PositiveIntegerField(
        default=90001, help_text="Adversary proceedings number from here each year."
    )
    matrix_max_lines = models.PositiveSmallIntegerField(default=5)
    matrix_max_chars = models.PositiveSmallIntegerField(default=40)

    def __str__(self) -> str:
        return self.name


class Office(BaseModel):
    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="offices")
    number = models.PositiveSmallIntegerField(
        help_text="The divisional office digit, O in O:YY-bk-NNNNN"
    )
    name = models.CharField(max_length=80)
    address = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["court", "number"], name="office_number")
        ]
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class Judge(BaseModel):
    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="judges")
    name = models.CharField(max_length=120)
    initials = models.CharField(max_length=4)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="judge",
    )
    active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.name


class Trustee(BaseModel):
    """A panel or standing trustee, or the U.S. Trustee's office for the region."""

    class Kind(models.TextChoices):
        PANEL_7 = "panel7", "Chapter 7 panel trustee"
        STANDING_12 = "standing12", "Chapter 12 standing trustee"
        STANDING_13 = "standing13", "Chapter 13 standing trustee"
        CHAPTER_11 = "ch11", "Chapter 11 trustee"
        US_TRUSTEE = "ust", "U.S. Trustee"

    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="trustees")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    name = models.CharField(max_length=160)
    email = models.EmailField(blank=True)
    address = models.TextField(blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="trustee_roles",
        help_text="The login named on the trustee's party record (notices); grants no access.",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="trustee_memberships",
        help_text=(
            "Accounts the clerk linked to this trustee or U.S. Trustee office: they act "
            "for it in its cases (cases.permissions)."
        ),
    )
    offices = models.ManyToManyField(Office, blank=True, related_name="trustees")
    active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.name


class AssignmentRotation(BaseModel):
    """Who gets the next case of a chapter in an office (configurable rotation)."""

    office = models.ForeignKey(
        Office, on_delete=models.CASCADE, related_name="rotations"
    )
    chapter = models.CharField(max_length=2)
    judges = models.ManyToManyField(Judge, blank=True)
    trustees = models.ManyToManyField(Trustee, blank=True)
    next_judge_index = models.PositiveIntegerField(default=0)
    next_trustee_index = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["office", "chapter"], name="rotation_per_chapter"
            )
        ]

    def __str__(self) -> str:
        return f"{self.office} chapter {self.chapter}"


class CaseCounter(models.Model):
    """The gap-free counter for case numbers: per court, year and case type."""

    court = models.ForeignKey(Court, on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField()
    case_type = models.CharField(max_length=2)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["court", "year", "case_type"], name="case_counter_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_type} {self.year}: {self.last_number}"


class Case(BaseModel):
    class CaseType(models.TextChoices):
        BANKRUPTCY = "bk", "Bankruptcy"
        ADVERSARY = "ap", "Adversary proceeding"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"
        DISMISSED = "dismissed", "Dismissed"

    class Chapter(models.TextChoices):
        CH7 = "7", "Chapter 7"
        CH9 = "9", "Chapter 9"
        CH11 = "11", "Chapter 11"
        CH12 = "12", "Chapter 12"
        CH13 = "13", "Chapter 13"
        CH15 = "15", "Chapter 15"

    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="cases")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="cases")
    year = models.PositiveSmallIntegerField()
    case_type = models.CharField(
        max_length=2, choices=CaseType.choices, default=CaseType.BANKRUPTCY
    )
    number = models.PositiveIntegerField()
    title = models.CharField(
        max_length=300, help_text="Case name, e.g. the debtor's name"
    )
    chapter = models.CharField(max_length=2, choices=Chapter.choices, blank=True)
    original_chapter = models.CharField(max_length=2, blank=True)
    voluntary = models.BooleanField(default=True)
    joint = models.BooleanField(default=False)
    asset = models.BooleanField(default=False)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.OPEN
    )
    judge = models.ForeignKey(
        Judge, null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    trustee = models.ForeignKey(
        Trustee, null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    lead_case = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="associated_cases",
    )
    nature_of_suit = ArrayField(
        models.CharField(max_length=2), default=list, blank=True
    )
    demand_thousands = models.PositiveIntegerField(
        null=True, blank=True, help_text="Demand ($000)"
    )
    date_filed = models.DateField()
    date_converted = models.DateField(null=True, blank=True)
    date_discharged = models.DateField(null=True, blank=True)
    date_dismissed = models.DateField(null=True, blank=True)
    date_closed = models.DateField(null=True, blank=True)
    date_reopened = models.DateField(null=True, blank=True)
    flags = ArrayField(models.CharField(max_length=20), default=list, blank=True)
    has_claims_agent = models.BooleanField(default=False)
    fee_status = models.CharField(
        max_length=12,
        default="paid",
        choices=[
            ("paid", "Paid"),
            ("install", "Installments"),
            ("waiver", "Waiver requested"),
            ("due", "Due"),
        ],
    )
    last_entry_number = models.PositiveIntegerField(default=0)
    last_claim_number = models.PositiveIntegerField(default=0)
    last_entry_seq = models.PositiveBigIntegerField(
        default=0, help_text="Counter of all entries, numbered or not"
    )
    converted_from = models.CharField(
        max_length=2, blank=True, help_text="Chapter before the last conversion"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The attorney who filed the petition or complaint.",
    )
    practice_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="practice_cases",
        help_text="Training instance only: the trainee this practice case belongs to.",
    )
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["court", "year", "case_type", "number"],
                name="case_number_unique",
            )
        ]
        indexes = [
            models.Index(fields=["number", "year"]),
            models.Index(fields=["-date_filed"]),
            GinIndex(fields=["search_vector"]),
        ]

    def __str__(self) -> str:
        return f"{self.display_number} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_adversary(self) -> bool:
        return self.case_type == self.CaseType.ADVERSARY

    def _number(self):
        from .numbers import CaseNumber

        return CaseNumber(
            office=self.office.number,
            year=self.year,
            case_type=self.case_type,
            number=self.number,
        )

    def format_number(self, style: str = "display") -> str:
        from .numbers import format_case_number

        return format_case_number(
            self._number(),
            style=style,
            judge_initials=self.judge.initials if self.judge is not None else "",
            chapter=self.chapter if self.case_type == "bk" else "",
            training=settings.ECF_IS_TRAINING,
        )

    @property
    def display_number(self) -> str:
        """`24-01234-LT7` (judge initials + chapter); adversaries `24-90012-LT`.

        The court picks the style with ECF_CASE_NUMBER_STYLE (cases.numbers.STYLES),
        e.g. "long_judge" for `3:24-bk-01234-LT`.
        """
        return self.format_number(getattr(settings, "ECF_CASE_NUMBER_STYLE", "display"))

    @property
    def long_number(self) -> str:
        """`3:24-bk-01234`."""
        return self.format_number("long")


class Party(BaseModel):
    """A person or entity with a role in a case (debtor, creditor, plaintiff, ...)."""

    class Role(models.TextChoices):
        DEBTOR = "debtor", "Debtor"
        JOINT_DEBTOR = "joint_debtor", "Joint Debtor"
        DEBTOR_IN_POSSESSION = "dip", "Debtor In Possession"
        CREDITOR = "creditor", "Creditor"
        TRUSTEE = "trustee", "Trustee"
        US_TRUSTEE = "us_trustee", "U.S. Trustee"
        INTERESTED_PARTY = "interested", "Interested Party"
        CREDITOR_COMMITTEE = "committee", "Creditor Committee"
        PLAINTIFF = "plaintiff", "Plaintiff"
        DEFENDANT = "defendant", "Defendant"
        PETITIONING_CREDITOR = "petitioning", "Petitioning Creditor"
        FOREIGN_REPRESENTATIVE = "foreign_rep", "Foreign Representative"

    class TaxIdKind(models.TextChoices):
        NONE = "", "None"
        SSN = "ssn", "SSN"
        ITIN = "itin", "ITIN"
        EIN = "ein", "EIN"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="parties")
    role = models.CharField(max_length=12, choices=Role.choices)
    name = models.CharField(max_length=200)
    is_entity = models.BooleanField(default=False)
    address_lines = ArrayField(
        models.CharField(max_length=120), default=list, blank=True
    )
    city = models.CharField(max_length=80, blank=True)
    state = models.CharField(max_length=2, blank=True)
    zip_code = models.CharField(max_length=10, blank=True)
    county = models.CharField(max_length=60, blank=True)
    email = models.EmailField(blank=True)
    tax_id_kind = models.CharField(max_length=4, choices=TaxIdKind.choices, blank=True)
    tax_id_encrypted = models.TextField(
        blank=True, help_text="Full SSN/ITIN/EIN, encrypted (Fernet)"
    )
    tax_id_last4 = models.CharField(max_length=4, blank=True)
    from_matrix = models.BooleanField(default=False)
    matrix_key = models.CharField(max_length=300, blank=True, db_index=True)
    terminated_on = models.DateField(null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The filer account of a party that files for itself (creditor, trustee).",
    )
    added_in_filing = models.BooleanField(
        default=False,
        db_default=False,
        help_text=(
            "Added by a filer in the filing wizard (not at case opening or by the "
            "clerk): it gives no fee exemption and no party's powers."
        ),
    )

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["case", "role"]),
            # The docket's party blocks list the creditors with an account among a
            # case's (up to 10^6) matrix creditors without reading them all.
            models.Index(
                fields=["case", "role"],
                condition=models.Q(user__isnull=False),
                name="party_case_role_with_user",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_tax_id(self) -> str:
        """What the public sees: `xxx-xx-1234` (SSN/ITIN) or `xx-xxx1234` (EIN)."""
        if not self.tax_id_last4:
            return ""
        if self.tax_id_kind == self.TaxIdKind.EIN:
            return f"xx-xxx{self.tax_id_last4}"
        return f"xxx-xx-{self.tax_id_last4}"

    @property
    def mailing_lines(self) -> list[str]:
        last = f"{self.city}, {self.state} {self.zip_code}".strip(", ")
        return [self.name, *self.address_lines, *([last] if last else [])]


class CreditorTotal(models.Model):
    """How many creditors a case has ("Creditors: 22" in the docket's header).

    Kept by statement triggers on cases_party (migration 0011), so every way a party is
    written counts: a matrix's bulk insert, a claim's new creditor, the clerk's edits,
    COPY in the data generator. A mega case has up to 10^6 matrix creditors: counting
    them cost every docket page of that case ~40 ms of PostgreSQL's CPU. Read-only here:
    nothing in Python writes it.
    """

    case = models.OneToOneField(
        Case,
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    count = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.count} creditors in case {self.case_id}"


class PartyAlias(models.Model):
    class Kind(models.TextChoices):
        AKA = "aka", "aka"
        DBA = "dba", "dba"
        FDBA = "fdba", "fdba"
        FKA = "fka", "fka"

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="aliases")
    kind = models.CharField(max_length=4, choices=Kind.choices)
    name = models.CharField(max_length=200)

    def __str__(self) -> str:
        return f"{self.kind} {self.name}"


class Representation(BaseModel):
    """An attorney representing a party in a case (created by the first filing)."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="representations"
    )
    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="representations"
    )
    attorney = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="representations",
    )
    notice = models.BooleanField(default=True, help_text="Receives NEFs in this case")
    terminated_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["party", "attorney"], name="one_representation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.attorney} for {self.party}"


class CaseWatch(BaseModel):
    """A user who asked for this case's notices without appearing.

    Kinds: a limited filer's "add this case to my account", a courtesy NEF request,
    and "follow this case" (public entries by e-mail).
    """

    class Kind(models.TextChoices):
        ADDED = "added", "Added to my account"
        COURTESY = "courtesy", "Courtesy NEF"
        FOLLOW = "follow", "Following"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="watches")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_watches"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "user", "kind"], name="one_watch")
        ]


class Deadline(BaseModel):
    """A deadline on a case: set and ended by docket events, never silently."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="deadlines")
    kind = models.CharField(max_length=40)
    label = models.CharField(max_length=200)
    due = models.DateField(null=True, blank=True)
    due_at = models.DateTimeField(
        null=True, blank=True, help_text="For hearings: date and time"
    )
    location = models.CharField(max_length=200, blank=True)
    source_entry_id = models.BigIntegerField(
        null=True, blank=True, help_text="Docket entry that set it"
    )
    satisfied_entry_id = models.BigIntegerField(null=True, blank=True)
    satisfied_on = models.DateField(null=True, blank=True)
    terminated = models.BooleanField(default=False)
    rule = models.CharField(
        max_length=600,
        blank=True,
        help_text="How the due date was computed (cases.calendar, FRBP 9006(a))",
    )

    class Meta:
        ordering = ["due", "due_at", "id"]
        indexes = [models.Index(fields=["kind", "due"])]

    def __str__(self) -> str:
        return f"{self.label} {self.due or self.due_at}"

    @property
    def is_open(self) -> bool:
        return not self.satisfied_on and not self.terminated


class CaseFlagType(BaseModel):
    """A case flag the court defines, printed at the top of the docket (cmecf.md 2.2).

    A flag is never set by hand on the case: a docket event sets or clears it (its
    catalogue `case_action` names the action), so every change has an entry behind it.
    """

    court = models.ForeignKey(
        Court, on_delete=models.CASCADE, related_name="flag_types"
    )
    code = models.CharField(
        max_length=20, help_text="As printed, e.g. CLOSED, FeeDueINST"
    )
    label = models.CharField(max_length=120)
    set_by = models.JSONField(
        default=list,
        blank=True,
        help_text='Case actions that set it, e.g. ["close"]; "install" for installment fees',
    )
    cleared_by = models.JSONField(
        default=list,
        blank=True,
        help_text='Case actions that clear it, e.g. ["reopen"]',
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["court", "code"], name="one_flag_code_per_court"
            )
        ]

    def __str__(self) -> str:
        return self.code


class CourtClosure(BaseModel):
    """A day (or days) the clerk's office was closed or the filing system was down.

    FRBP 9006(a)(3)(A): such a day extends a deadline only when it is the last day
    (cases.calendar.compute_deadline). Recorded by the clerk, listed publicly.
    """

    class Kind(models.TextChoices):
        CLOSURE = "closure", "Clerk's office closed"
        OUTAGE = "outage", "Electronic filing system unavailable"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    starts_on = models.DateField(help_text="First day affected (court-local date)")
    ends_on = models.DateField(help_text="Last day affected (court-local date)")
    reason = models.CharField(
        max_length=300, help_text="Shown on the public status page"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="closure_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_on} to {self.ends_on}"

    def covers(self, day) -> bool:
        return self.starts_on <= day <= self.ends_on

    def describe(self) -> str:
        place = (
            "the clerk's office was closed"
            if self.kind == self.Kind.CLOSURE
            else "the filing system was down"
        )
        return f"a day {place} ({self.reason}; FRBP 9006(a)(3))"


from .preferred import BounceTask, PreferredAddress  # noqa: E402, F401
