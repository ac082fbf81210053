"""The docket: events, entries, documents, fees, notices.

What was filed never changes (number, filed and entered times, filer, event,
documents and their digests): PostgreSQL triggers refuse UPDATE of those columns
and DELETE of entries and documents (migration 0002). What a clerk may change
(text, visibility, status) changes through services that write a revision row.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone

from cases.models import Case, Party
from core.models import BaseModel


class Visibility(models.TextChoices):
    PUBLIC = "public", "Public"
    RESTRICTED = "restricted", "Restricted to case participants"
    COURT = "court", "Court users only"
    SEALED = "sealed", "Sealed"
    EX_PARTE = "ex_parte", "Ex parte (public from the next day)"


class Event(BaseModel):
    """One kind of docket entry the court accepts (the event catalogue; clerk-maintained).

    The keys mirror dockets.catalogue_data.EVENTS.
    """

    code = models.CharField(max_length=20, unique=True)
    category = models.CharField(max_length=20, db_index=True)
    name = models.CharField(max_length=200)
    form_number = models.CharField(max_length=12, blank=True)
    case_types = models.JSONField(default=list)
    chapters = models.JSONField(default=list, blank=True)
    filer_roles = models.JSONField(
        default=list,
        help_text="attorney, creditor, trustee, us_trustee, court_reporter, party, court, epoc",
    )
    fee_cents = models.PositiveIntegerField(default=0)
    fee_exemptions = models.JSONField(default=list, blank=True)
    pdf = models.CharField(
        max_length=10,
        default="required",
        choices=[("required", "Required"), ("optional", "Optional"), ("none", "None")],
    )
    attachments = models.BooleanField(default=True)
    numbered = models.BooleanField(default=True)
    refers = models.CharField(
        max_length=10,
        default="none",
        choices=[("required", "Required"), ("optional", "Optional"), ("none", "None")],
    )
    refer_categories = models.JSONField(default=list, blank=True)
    needs_party_against = models.BooleanField(default=False)
    fields = models.JSONField(default=list, blank=True)
    docket_text = models.TextField()
    sets_deadlines = models.JSONField(default=list, blank=True)
    ends_deadlines = models.JSONField(default=list, blank=True)
    bnc = models.BooleanField(
        default=False, help_text="Served by the Bankruptcy Noticing Center"
    )
    case_action = models.CharField(max_length=20, blank=True)
    visibility = models.CharField(
        max_length=12, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    description = models.TextField(blank=True)
    active = models.BooleanField(default=True)
    search_text = models.TextField(blank=True, editable=False)

    # Not a column: the fee as shown on the filing wizard's event list (its view sets it).
    fee_text: str

    class Meta:
        ordering = ["category", "name"]

    def __str__(self) -> str:
        return self.name

    def allows_role(self, role: str) -> bool:
        return role in self.filer_roles


class DocketEntry(BaseModel):
    """One line of a case's docket, numbered or not."""

    class FeeStatus(models.TextChoices):
        NONE = "", "No fee"
        DUE = "due", "Due"
        PAID = "paid", "Paid"
        EXEMPT = "exempt", "Exempt"
        NOT_DUE = "not_due", "Fee not due"
        INSTALLMENTS = "install", "Installments"
        WAIVER = "waiver", "Waiver requested"

    class QcStatus(models.TextChoices):
        PENDING = "pending", "Waiting for review"
        REVIEWED = "reviewed", "Reviewed"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="entries")
    number = models.PositiveIntegerField(
        null=True, blank=True, help_text="Empty for unnumbered entries"
    )
    seq = models.PositiveBigIntegerField(
        help_text="Order on the docket, numbered or not"
    )
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="entries")
    extra_events = models.ManyToManyField(Event, blank=True, related_name="+")
    filed_at = models.DateTimeField()
    entered_at = models.DateTimeField()
    filed_date = models.DateField(help_text="Court-local date of filing")
    filer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="filed_entries",
        help_text="Whose signature the filing carries (the attorney, not the agent)",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entered_entries",
        help_text="Who keyed it in (an agent, or a clerk for a paper filing)",
    )
    filer_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="As shown: 'Last, First' or clerk initials",
    )
    filing_parties = models.ManyToManyField(
        Party, blank=True, related_name="filed_entries"
    )
    against_parties = models.ManyToManyField(
        Party, blank=True, related_name="entries_against"
    )
    related = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="referred_by"
    )
    text = models.TextField()
    original_text = models.TextField()
    visibility = models.CharField(
        max_length=12, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    visible_from = models.DateField(
        null=True, blank=True, help_text="Ex parte / transcript release date"
    )
    entered_in_error = models.BooleanField(default=False)
    stricken = models.BooleanField(default=False)
    fee_cents = models.PositiveIntegerField(default=0)
    fee_status = models.CharField(
        max_length=8, choices=FeeStatus.choices, default=FeeStatus.NONE, blank=True
    )
    fields = models.JSONField(default=dict, blank=True)
    findings = models.JSONField(
        default=list,
        blank=True,
        help_text="Pre-submit checks and whether the filer overrode them",
    )
    qc_status = models.CharField(
        max_length=10, choices=QcStatus.choices, default=QcStatus.PENDING
    )
    qc_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    qc_at = models.DateTimeField(null=True, blank=True)
    modified_on = models.DateField(
        null=True, blank=True, help_text="Last clerk modification (court-local)"
    )
    idempotency_key = models.CharField(
        max_length=80, null=True, blank=True, unique=True
    )
    search_vector = SearchVectorField(null=True, editable=False)

    # Not a column: the documents anyone may read, set by dockets.reports.activity for
    # the feeds and follow e-mails.
    public_documents: list[Document]
    # Not a column: the documents create_entry wrote with this entry, in sequence
    # order (dockets.services), for the receipt of the request that filed it.
    filed_documents: list[Document]

    class Meta:
        ordering = ["case", "seq"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "number"], name="entry_number_unique"
            ),
            models.UniqueConstraint(fields=["case", "seq"], name="entry_seq_unique"),
        ]
        indexes = [
            models.Index(fields=["case", "filed_date", "seq"]),
            models.Index(fields=["case", "entered_at"]),
            models.Index(fields=["qc_status", "created_at"]),
            # The court's entries newest first, ties broken by id as every newest-first
            # list sorts them: with filed_at alone, entries sharing a time (a batch, an
            # import) made PostgreSQL read and sort each such group before the first
            # page of a court-wide search (832 ms at 2,000,000 entries for "motion").
            models.Index(fields=["-filed_at", "-id"], name="entry_newest"),
            # One index for the case filter and the text together (btree_gin), so a
            # search inside a 70,000-entry case reads only that case's matches; it
            # serves court-wide search (the text column alone) as well.
            GinIndex(fields=["case", "search_vector"], name="entry_case_search_gin"),
            # A case's entries newest first: a common word in a big case is found here
            # faster than through the GIN index (the planner chooses).
            models.Index(fields=["case", "-filed_at", "-id"], name="entry_case_newest"),
        ]
        verbose_name_plural = "docket entries"

    def __str__(self) -> str:
        return f"{self.case.display_number if self.case_id else ''} #{self.number or '-'} {self.event.name if self.event_id else ''}"


class DocketEntryRevision(models.Model):
    """A clerk's change to an entry: who, when, before, after (never a silent edit)."""

    entry = models.ForeignKey(
        DocketEntry, on_delete=models.PROTECT, related_name="revisions"
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField()
    field = models.CharField(max_length=40)
    before = models.TextField(blank=True)
    after = models.TextField(blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return (
            f"{self.field} of entry {self.entry_id} changed {self.changed_at:%Y-%m-%d}"
        )


def document_name(case_id: int | None) -> str:
    # Upload names are never used as paths: a random name under the case's folder
    # (a petition or complaint is stored before its case exists: "new").
    return f"documents/{case_id if case_id is not None else 'new'}/{secrets.token_hex(16)}.pdf"


def document_path(instance: Document, filename: str) -> str:
    return document_name(instance.entry.case_id)


def stamped_path(instance: Document, filename: str) -> str:
    return f"stamped/{instance.entry.case_id}/{secrets.token_hex(16)}.pdf"


class Document(BaseModel):
    """A filed PDF: the original (never changed; what the SHA-512 covers) and its stamped copy."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be stamped"
        DONE = "done", "Stamped"
        FAILED = "failed", "Stamping failed"

    entry = models.ForeignKey(
        DocketEntry, on_delete=models.PROTECT, related_name="documents"
    )
    sequence = models.PositiveSmallIntegerField(
        default=0, help_text="0 = main document, 1.. attachments"
    )
    description = models.CharField(max_length=200, default="Main Document")
    attachment_type = models.CharField(max_length=60, blank=True)
    original = models.FileField(upload_to=document_path, max_length=200)
    original_filename = models.CharField(max_length=255, blank=True)
    sha512 = models.CharField(max_length=128)
    size = models.PositiveBigIntegerField(default=0)
    page_count = models.PositiveIntegerField(default=0)
    stamped = models.FileField(upload_to=stamped_path, max_length=200, blank=True)
    stamped_sha512 = models.CharField(max_length=128, blank=True)
    stamp_id = models.PositiveBigIntegerField(null=True, blank=True)
    status = models.CharField(
        max_length=8, choices=Status.choices, default=Status.PENDING
    )
    error_message = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    visibility = models.CharField(
        max_length=12,
        choices=Visibility.choices,
        blank=True,
        help_text="Empty: same as the entry",
    )
    replaced = models.BooleanField(
        default=False, help_text="Replaced by the clerk; kept, restricted"
    )
    cmecf_id = models.CharField(
        max_length=20,
        unique=True,
        editable=False,
        db_default=models.Value(""),
        help_text="CM/ECF-style document id (court prefix, 0, serial), as in "
        "/doc1/<id>. Set by a database trigger when the row is inserted, whatever "
        "path creates it, and never changed afterwards.",
    )

    class Meta:
        ordering = ["entry", "sequence", "id"]
        indexes = [models.Index(fields=["status", "updated_at"])]

    def __str__(self) -> str:
        return f"{self.entry} {self.description}"

    @property
    def file_number(self) -> str:
        """The stamp's FileNumber: transaction number, -0 main, -1.. attachments."""
        return f"{self.entry_id}-{self.sequence}"


class Payment(BaseModel):
    """A fee owed for an entry, and its payment through the gateway."""

    class Status(models.TextChoices):
        DUE = "due", "Due"
        PAID = "paid", "Paid"
        FAILED = "failed", "Payment failed"

    entry = models.ForeignKey(
        DocketEntry, on_delete=models.PROTECT, related_name="payments"
    )
    payer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payments"
    )
    amount_cents = models.PositiveIntegerField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DUE)
    receipt_number = models.CharField(max_length=30, blank=True)
    gateway_reference = models.CharField(max_length=80, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    receipt_entry = models.ForeignKey(
        DocketEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["payer", "status"])]


class Notice(BaseModel):
    """One notice of a docket entry (NEF, edit NEF, claims NEF, paper notice)."""

    class Kind(models.TextChoices):
        NEF = "nef", "Notice of Electronic Filing"
        EDIT = "edit", "Notice of docket text modification"
        CLAIM = "claim", "Notice of Electronic Claims Filing"
        CASE_OPENING = "opening", "Notice of Bankruptcy Case Filing"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DONE = "done", "Sent"
        FAILED = "failed", "Failed"

    entry = models.ForeignKey(
        DocketEntry, on_delete=models.PROTECT, related_name="notices"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.NEF)
    status = models.CharField(
        max_length=8, choices=Status.choices, default=Status.PENDING
    )
    error_message = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    subject = models.CharField(max_length=300, blank=True)
    body_text = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    extra = models.JSONField(
        default=dict, blank=True, help_text="e.g. the before/after text of an edit"
    )
    sent_at = models.DateTimeField(null=True, blank=True)

    # Not a column: the recipients in the order the entry's receipt page lists them.
    recipient_rows: list[NoticeRecipient]

    class Meta:
        indexes = [models.Index(fields=["status", "updated_at"])]


def new_token() -> str:
    return secrets.token_urlsafe(24)


def new_magic_num() -> int:
    """A random number for CM/ECF's `magic_num` free-look parameter (10 to 15 digits)."""
    return 10**9 + secrets.randbelow(10**15 - 10**9)


class NoticeRecipient(BaseModel):
    class Method(models.TextChoices):
        EMAIL = "email", "Electronic mail"
        PAPER = "paper", "Paper (mailed)"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        BOUNCED = "bounced", "Bounced"
        FAILED = "failed", "Failed"
        QUEUED_PAPER = "paper", "Paper notice queued"
        DIGEST = "digest", "In daily summary"

    notice = models.ForeignKey(
        Notice, on_delete=models.CASCADE, related_name="recipients"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(max_length=200)
    on_behalf_of = models.CharField(
        max_length=300, blank=True, help_text="e.g. 'on behalf of Creditor Bank'"
    )
    email = models.EmailField(blank=True)
    address_lines = models.JSONField(default=list, blank=True)
    method = models.CharField(max_length=6, choices=Method.choices)
    status = models.CharField(
        max_length=8, choices=Status.choices, default=Status.PENDING
    )
    token = models.CharField(max_length=40, unique=True, default=new_token)
    magic_num = models.PositiveBigIntegerField(
        unique=True,
        default=new_magic_num,
        help_text="The numeric form of `token` in CM/ECF-style /doc1/ links "
        "(magic_num=...): it opens the same free look as the token link.",
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    error_message = models.TextField(blank=True)

    def delivery_display(self) -> str:
        """What became of this recipient's notice, in words: the one answer the
        receipt shows.

        SENT means the recipient's e-mail copy was written to the outbox; whether it
        left the court is the copy's own status (core.models.InboxMessage): waiting,
        refused by the mail server, withheld because the entry was sealed since, or
        kept in ECF (training). Read from `delivery.message`, which the caller
        prefetches (recipients__delivery__message) for a list.
        """
        if self.status != self.Status.SENT or self.method != self.Method.EMAIL:
            return self.get_status_display()
        delivery = getattr(self, "delivery", None)  # None: no copy (should not happen)
        message = delivery.message if delivery is not None else None
        if message is None or message.status == message.Status.SENT:
            return self.get_status_display()
        if message.status == message.Status.FAILED:
            return "Could not be sent (the mail server refused it)"
        return message.get_status_display()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "email"],
                condition=~models.Q(email=""),
                name="one_recipient_per_email",
            )
        ]


# Each area keeps its own models in its package; they are part of this app.
from .alerts.models import *  # noqa: E402, F403
from .api.models import *  # noqa: E402, F403


class DocumentAccess(models.Model):
    """One view or download of a sealed or restricted document, by anyone (the clerk
    included): who, when, through which route. Its own table, not the case-locked audit
    chain, so reading never contends with filing; shown to the clerk on the document."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="accesses"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    visibility = models.CharField(max_length=12)
    route = models.CharField(max_length=40, help_text="page, download, api, ...")
    client_ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["document", "-at"])]
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.document_id} {self.route} {self.at:%Y-%m-%d %H:%M}"


class SealAllowance(BaseModel):
    """One user the sealing order lets read a sealed entry (its text and its documents).

    By default a sealed entry reaches court users only; the clerk adds a row per user the
    order names (for example a party's attorney of record). Removing the row revokes the
    access at once. Read only by dockets.permissions and dockets.selectors.
    """

    entry = models.ForeignKey(
        DocketEntry, on_delete=models.CASCADE, related_name="seal_allowances"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The clerk who entered the order's allow-list row.",
    )
    reason = models.CharField(
        max_length=300, help_text="The order that names this user, e.g. Order #45."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "user"], name="seal_allowance_once_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"entry {self.entry_id}: user {self.user_id}"


from .bulk.models import *  # noqa: E402, F403
from .claims.batch_models import *  # noqa: E402, F403
from .claims.models import *  # noqa: E402, F403
from .claims.mortgage_models import *  # noqa: E402, F403
from .clerk.models import *  # noqa: E402, F403
from .filing.models import *  # noqa: E402, F403
from .fulltext.models import *  # noqa: E402, F403
from .pipeline.models import *  # noqa: E402, F403
from .reports.models import *  # noqa: E402, F403
