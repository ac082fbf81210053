"""Users and filers. In CM/ECF a login is a signature (`/s/ Name`, FRBP 9011), so who
may file what starts here: a certified, unsuspended filer with MFA set up."""

from typing import ClassVar, TypeAlias

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import AnonymousUser, PermissionsMixin
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone

from core.models import BaseModel


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in. The e-mail address is the login."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="May use the Django admin.")
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def filer_or_none(self) -> "Filer | None":
        try:
            return self.filer
        except Filer.DoesNotExist:
            return None

    @property
    def role(self) -> str:
        filer = self.filer_or_none
        return filer.role if filer else ""

    @property
    def is_court_user(self) -> bool:
        """An active clerk or judge (filers.permissions.is_active_court_user)."""
        from .permissions import is_active_court_user

        return is_active_court_user(self)

    @property
    def is_clerk(self) -> bool:
        """An active clerk (filers.permissions.is_active_clerk)."""
        from .permissions import is_active_clerk

        return is_active_clerk(self)

    @property
    def is_judge(self) -> bool:
        """An active judge or chambers user (filers.permissions.is_active_judge)."""
        from .permissions import is_active_judge

        return is_active_judge(self)


# Whom a permission question is asked about: a signed-in user, the anonymous visitor
# (request.user before any login gate) or nobody (the court itself filing). Gates take
# this and answer False for the last two; services take User.
AnyUser: TypeAlias = "User | AnonymousUser | None"


class Role(models.TextChoices):
    ATTORNEY = "attorney", "Attorney"
    FILING_AGENT = "filing_agent", "Filing agent"
    CREDITOR = "creditor", "Creditor (limited filer)"
    TRUSTEE = "trustee", "Trustee"
    US_TRUSTEE = "us_trustee", "U.S. Trustee"
    COURT_REPORTER = "court_reporter", "Court reporter / transcriber"
    PARTY = "party", "Party (e.g. financial-management course provider)"
    CLERK = "clerk", "Clerk (case administrator)"
    JUDGE = "judge", "Judge / chambers"


# Roles a person may pick when registering online; clerks and judges are created by the court.
REGISTRABLE_ROLES = [
    Role.ATTORNEY,
    Role.FILING_AGENT,
    Role.CREDITOR,
    Role.TRUSTEE,
    Role.US_TRUSTEE,
    Role.COURT_REPORTER,
    Role.PARTY,
]
COURT_ROLES = [Role.CLERK, Role.JUDGE]


class Filer(BaseModel):
    """A user's filing account with the court: role, standing and contact details."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for training and the clerk's decision"
        CERTIFIED = "certified", "Certified"
        REFUSED = "refused", "Refused"
        SUSPENDED = "suspended", "Suspended"
        REVOKED = "revoked", "Revoked"

    class NefPreference(models.TextChoices):
        EACH = "each", "One e-mail per notice"
        DAILY = "daily", "A daily summary"

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="filer")
    role = models.CharField(max_length=20, choices=Role.choices)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.PENDING
    )
    status_reason = models.TextField(
        blank=True, help_text="The clerk's reason, shown to the filer."
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    bar_number = models.CharField(max_length=20, blank=True)
    bar_state = models.CharField(max_length=2, blank=True)
    admitted_in_court = models.BooleanField(
        default=False,
        help_text="Attorney says they are admitted to practise in this court.",
    )
    firm = models.CharField(max_length=200, blank=True)
    address_line1 = models.CharField(max_length=120, blank=True)
    address_line2 = models.CharField(max_length=120, blank=True)
    city = models.CharField(max_length=80, blank=True)
    state = models.CharField(max_length=2, blank=True)
    zip_code = models.CharField(max_length=10, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    notice_email = models.EmailField(
        blank=True,
        help_text="Primary address for notices (NEFs); empty means the login e-mail.",
    )
    secondary_emails = ArrayField(models.EmailField(), default=list, blank=True)
    nef_preference = models.CharField(
        max_length=6, choices=NefPreference.choices, default=NefPreference.EACH
    )
    agreement_accepted_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="E-filing agreement: login is signature; consent to e-service.",
    )
    fee_exempt = models.BooleanField(
        default=False, help_text="e.g. a CJA or government filer"
    )
    email_bounced = models.BooleanField(default=False)
    certified_at = models.DateTimeField(null=True, blank=True)
    certified_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["status", "role"])]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"

    @property
    def is_certified(self) -> bool:
        return self.status == self.Status.CERTIFIED

    @property
    def has_court_role(self) -> bool:
        """The role is a court role (data: which forms to offer), not a permission."""
        from .permissions import is_court_role

        return is_court_role(self.role)

    @property
    def primary_notice_email(self) -> str:
        return self.notice_email or self.user.email

    @property
    def notice_emails(self) -> list[str]:
        """Every address that receives this filer's notices: primary first, no repeats."""
        emails = [self.primary_notice_email, *self.secondary_emails]
        return list(dict.fromkeys(e.lower() for e in emails if e))

    @property
    def signature(self) -> str:
        """The `/s/ Name` a login stands for."""
        return f"/s/ {self.user.get_full_name()}"

    @property
    def docket_name(self) -> str:
        """How the docket names this filer: 'Last, First' for a person (CM/ECF
        convention); an organisation's name is never inverted."""
        name = self.user.get_full_name()
        if looks_like_organisation(name):
            return name
        parts = name.rsplit(" ", 1)
        return f"{parts[1]}, {parts[0]}" if len(parts) == 2 else parts[0]


# Words that mark a name as an organisation's ("Coastal Federal Credit Union",
# "Wells Fargo Bank, N.A."), so the docket never prints "Union, Coastal Federal Credit".
ORGANISATION_WORDS = frozenset(
    [
        "inc",
        "incorporated",
        "llc",
        "llp",
        "lp",
        "ltd",
        "co",
        "corp",
        "corporation",
        "company",
        "bank",
        "banc",
        "bancorp",
        "n.a",
        "na",
        "union",
        "credit",
        "trust",
        "association",
        "assn",
        "services",
        "service",
        "financial",
        "finance",
        "capital",
        "mortgage",
        "federal",
        "national",
        "group",
        "partners",
        "partnership",
        "fund",
        "funding",
        "department",
        "dept",
        "county",
        "city",
        "state",
        "states",
        "united",
        "authority",
        "agency",
        "holdings",
        "lending",
        "loan",
        "loans",
        "servicing",
        "insurance",
        "hospital",
        "medical",
        "clinic",
        "university",
        "college",
        "school",
        "district",
        "office",
        "irs",
        "commission",
        "board",
        "church",
        "foundation",
        "society",
        "club",
        "enterprises",
        "international",
        "america",
        "american",
        "of",
        "the",
        "and",
        "&",
    ]
)


def looks_like_organisation(name: str) -> bool:
    """True when `name` reads as an organisation's name rather than a person's."""
    words = [w.strip(".,()'\"").lower() for w in name.split()]
    if any(
        w in ORGANISATION_WORDS or w.rstrip(".") in ORGANISATION_WORDS for w in words
    ):
        return True
    return "," in name or any(ch.isdigit() for ch in name) or len(words) > 4


class AgentLink(BaseModel):
    """A filing agent working for an attorney or trustee (one agent, many principals)."""

    agent = models.ForeignKey(
        Filer, on_delete=models.CASCADE, related_name="principal_links"
    )
    principal = models.ForeignKey(
        Filer, on_delete=models.CASCADE, related_name="agent_links"
    )
    may_pay_fees = models.BooleanField(default=False)
    active = models.BooleanField(default=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agent", "principal"],
                condition=models.Q(active=True),
                name="one_active_agent_link",
            )
        ]

    def __str__(self) -> str:
        return f"{self.agent} for {self.principal}"
