"""Claims and the claims register (imported by dockets/models.py).

A claim has its own numbering per case (`5-2` = claim 5, second version; cmecf.md 6.2
"Claims have their own numbering"), drawn from Case.last_claim_number under the case
row lock. What was filed (a ClaimVersion) never changes; the Claim row holds the
current values the register shows, which amendments, transfers, withdrawals and a
clerk's corrections change through dockets.claims.services, each leaving a
ClaimActivity row (the register's history) and an audit event.

Amounts are integer cents in BigIntegerFields: a mega case's totals pass $2^31 cents
($21 million) long before they reach the $100 billion cap on one claim.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models

from cases.models import Case
from core.models import BaseModel
from dockets.text import money

if TYPE_CHECKING:
    from dockets.models import Document

__all__ = ["MAX_CLAIM_CENTS", "Claim", "ClaimActivity", "ClaimTotals", "ClaimVersion"]

# The largest amount one claim may state: $100 billion (Lehman's 67,000 claims came to
# $1.2 trillion, so a single claim above this is a typing error, not a creditor).
MAX_CLAIM_CENTS = 100_000_000_000 * 100


class Claim(BaseModel):
    """One claim on a case's claims register, with its current (latest) values."""

    class Status(models.TextChoices):
        FILED = "filed", "Filed"
        AMENDED = "amended", "Amended"
        WITHDRAWN = "withdrawn", "Withdrawn"
        TRANSFERRED = "transferred", "Transferred"
        DISALLOWED = "disallowed", "Disallowed"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="claims")
    number = models.PositiveIntegerField(
        help_text="Claim number in this case (the N of N-1)"
    )
    version = models.PositiveIntegerField(
        default=1, help_text="Current version (the 2 of N-2)"
    )
    creditor_name = models.CharField(max_length=200)
    creditor_address = models.TextField(help_text="Notice address, one line per line")
    creditor_email = models.EmailField(blank=True)
    creditor_phone = models.CharField(max_length=30, blank=True)
    creditor = models.ForeignKey(
        "cases.Party",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=(
            "The creditor on the case (its Creditor ID); added with the claim when it "
            "was not on the case yet"
        ),
    )
    payment_name = models.CharField(max_length=200, blank=True)
    payment_address = models.TextField(
        blank=True, help_text="Where payments go, if not the notice address"
    )
    governmental = models.BooleanField(
        default=False, help_text="Filed by a governmental unit (own bar date)"
    )
    amount_cents = models.BigIntegerField(help_text="Amount claimed")
    secured_cents = models.BigIntegerField(default=0)
    priority_cents = models.BigIntegerField(default=0)
    priority_basis = models.CharField(
        max_length=120, blank=True, help_text="e.g. 11 U.S.C. 507(a)(8)"
    )
    unsecured_cents = models.BigIntegerField(default=0)
    admin_cents = models.BigIntegerField(
        default=0, help_text="Administrative, 11 U.S.C. 503(b)(9)"
    )
    allowed_secured_cents = models.BigIntegerField(null=True, blank=True)
    allowed_priority_cents = models.BigIntegerField(null=True, blank=True)
    allowed_unsecured_cents = models.BigIntegerField(null=True, blank=True)
    allowed_admin_cents = models.BigIntegerField(null=True, blank=True)
    basis = models.CharField(
        max_length=300, help_text="Basis of the claim, e.g. Money loaned"
    )
    account_last4 = models.CharField(max_length=4, blank=True)
    debt_incurred = models.DateField(null=True, blank=True)
    interest_fees = models.BooleanField(
        default=False, help_text="The amount includes interest or other charges"
    )
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.FILED
    )
    holder_name = models.CharField(
        max_length=200, blank=True, help_text="The transferee, after a transfer"
    )
    holder_address = models.TextField(blank=True)
    late = models.BooleanField(default=False, help_text="Filed after the bar date")
    wrong_case = models.BooleanField(
        default=False, help_text="Clerk: filed in the wrong case; disregard"
    )
    description = models.CharField(max_length=300, blank=True)
    remarks = models.TextField(blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty for a claim filed without a login (ePOC)",
    )
    epoc = models.BooleanField(
        default=False, help_text="Filed through the public ePOC form"
    )
    epoc_code_encrypted = models.TextField(
        blank=True,
        default="",
        db_default="",
        help_text=(
            "The claim's own code (encrypted), printed on the original ePOC receipt: "
            "whoever holds it may amend the claim through ePOC. Never on the register."
        ),
    )
    filed_at = models.DateTimeField()
    entered_at = models.DateTimeField()
    filed_date = models.DateField(help_text="Court-local date of the original filing")
    modified_on = models.DateField(null=True, blank=True)

    # Not a column: the latest payment change's amount on the claims register's rows,
    # set by dockets.claims.selectors.register_page.
    ledger_payment_shown: str

    class Meta:
        ordering = ["case", "number"]
        constraints = [
            # Also the keyset index of the register: (case, number).
            models.UniqueConstraint(
                fields=["case", "number"], name="claim_number_unique"
            ),
        ]
        indexes = [
            models.Index(
                fields=["case", "creditor_name", "number"], name="claim_case_creditor"
            ),
            models.Index(
                fields=["case", "filed_date", "number"], name="claim_case_filed"
            ),
        ]

    def __str__(self) -> str:
        return f"Claim {self.label} {self.creditor_name}"

    @property
    def label(self) -> str:
        return f"{self.number}-{self.version}"

    @property
    def amount_shown(self) -> str:
        return money(self.amount_cents)

    @property
    def secured_shown(self) -> str:
        return money(self.secured_cents)

    @property
    def priority_shown(self) -> str:
        return money(self.priority_cents)

    @property
    def unsecured_shown(self) -> str:
        return money(self.unsecured_cents)

    @property
    def admin_shown(self) -> str:
        return money(self.admin_cents)

    @property
    def allowed_shown(self) -> str:
        total = self.allowed_total_cents
        return "" if total is None else money(total)

    @property
    def holder(self) -> str:
        return self.holder_name or self.creditor_name

    @property
    def counts_in_totals(self) -> bool:
        return self.status != self.Status.WITHDRAWN and not self.wrong_case

    @property
    def creditor_lines(self) -> list[str]:
        return [line for line in self.creditor_address.splitlines() if line.strip()]

    @property
    def allowed_total_cents(self) -> int | None:
        parts = [
            self.allowed_secured_cents,
            self.allowed_priority_cents,
            self.allowed_unsecured_cents,
            self.allowed_admin_cents,
        ]
        if all(p is None for p in parts):
            return None
        return sum(p or 0 for p in parts)


class ClaimVersion(models.Model):
    """One filed version of a claim (`N-1`, `N-2` ...): never changed after filing."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField()
    filed_at = models.DateTimeField()
    entered_at = models.DateTimeField()
    filed_date = models.DateField()
    creditor_name = models.CharField(max_length=200)
    amount_cents = models.BigIntegerField()
    secured_cents = models.BigIntegerField(default=0)
    priority_cents = models.BigIntegerField(default=0)
    unsecured_cents = models.BigIntegerField(default=0)
    admin_cents = models.BigIntegerField(default=0)
    data = models.JSONField(
        default=dict, blank=True, help_text="Everything the filer entered"
    )
    entry = models.ForeignKey(
        "dockets.DocketEntry",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claim_versions",
        help_text="The unnumbered claims entry holding the Form 410 and attachments",
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    epoc = models.BooleanField(default=False)
    late = models.BooleanField(default=False)
    idempotency_key = models.CharField(
        max_length=80, null=True, blank=True, unique=True
    )

    # Not a column: the documents the viewer may open, set by the claim page's view.
    readable_documents: list[Document]

    class Meta:
        ordering = ["claim", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "version"], name="claim_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"Claim {self.claim.number}-{self.version}"
            if self.claim_id
            else "Claim version"
        )

    @property
    def amount_shown(self) -> str:
        return money(self.amount_cents)


class ClaimActivity(models.Model):
    """One history row of a claim on the register (filed, amended, transferred ...)."""

    class Kind(models.TextChoices):
        FILED = "filed", "Claim filed"
        AMENDED = "amended", "Amended claim filed"
        WITHDRAWN = "withdrawn", "Claim withdrawn"
        TRANSFERRED = "transferred", "Claim transferred"
        SUPPLEMENT = "supplement", "Notice filed against the claim"
        CORRECTED = "corrected", "Corrected by the clerk"
        WRONG_CASE = "wrong_case", "Filed in the wrong case"

    claim = models.ForeignKey(
        Claim, on_delete=models.PROTECT, related_name="activities"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    label = models.CharField(
        max_length=20, blank=True, help_text="e.g. 1-2, or the docket number"
    )
    date = models.DateField(help_text="Court-local date")
    text = models.TextField()
    entry = models.ForeignKey(
        "dockets.DocketEntry",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claim_activities",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField()

    # Not a column: the main document's id if the viewer may open it, else None; set by
    # dockets.claims.selectors.attach_document_links.
    document_link: int | None

    class Meta:
        ordering = ["claim", "id"]
        verbose_name_plural = "claim activities"
        # The court-wide Claims Activity report reads history rows by date.
        indexes = [models.Index(fields=["date", "id"], name="claimactivity_date")]

    def __str__(self) -> str:
        return f"{self.label} {self.text[:60]}"


class ClaimTotals(models.Model):
    """Running totals of a case's register, kept by the claim services under the case lock.

    The footer of a 500,000-claim register reads this one row instead of aggregating
    every claim. Withdrawn claims and claims filed in the wrong case are not counted.
    """

    case = models.OneToOneField(
        Case, on_delete=models.CASCADE, related_name="claim_totals"
    )
    count = models.PositiveIntegerField(default=0)
    amount_cents = models.BigIntegerField(default=0)
    secured_cents = models.BigIntegerField(default=0)
    priority_cents = models.BigIntegerField(default=0)
    unsecured_cents = models.BigIntegerField(default=0)
    admin_cents = models.BigIntegerField(default=0)
    allowed_secured_cents = models.BigIntegerField(default=0)
    allowed_priority_cents = models.BigIntegerField(default=0)
    allowed_unsecured_cents = models.BigIntegerField(default=0)
    allowed_admin_cents = models.BigIntegerField(default=0)

    class Meta:
        verbose_name_plural = "claim totals"

    def __str__(self) -> str:
        return f"Claims totals of case {self.case_id}"


class ClaimTransfer(models.Model):
    """A transfer of claim (Fed. R. Bankr. P. 3001(e)(2)) waiting for its objection period.

    The transferee files it with the evidence of transfer (Form 2100A/B); the transferor
    is notified; the register substitutes the holder only when the 21-day objection
    period has passed without objection, or at once by court order.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for the objection period"
        EFFECTIVE = "effective", "Effective: the register shows the transferee"
        OBJECTED = "objected", "Objected to: the holder is unchanged"

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="transfers")
    entry = models.ForeignKey(
        "dockets.DocketEntry", on_delete=models.PROTECT, related_name="+"
    )
    transferor = models.CharField(max_length=200)
    transferee_name = models.CharField(max_length=200)
    transferee_address = models.TextField(blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    objection_deadline = models.DateField()
    objection_rule = models.TextField(
        blank=True,
        help_text="How the court calendar computed the deadline (FRBP 9006), as shown.",
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["status", "objection_deadline"])]

    def __str__(self) -> str:
        return f"Transfer of claim {self.claim_id} to {self.transferee_name}"
