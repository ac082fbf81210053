"""Models of dockets.clerk (imported by dockets/models.py): deficiencies and signed orders.

Everything else the clerk changes lives on the docket itself (DocketEntry.qc_*,
entered_in_error, stricken, visibility, DocketEntryRevision, Document.replaced) and
in the audit log.
"""

from django.conf import settings
from django.db import models

from core.models import BaseModel

from ..catalogue_data import DEFICIENCY_KINDS


class Deficiency(BaseModel):
    """One deficiency the clerk noticed on a case, with the date it must be cured by.

    The notice itself is a docket entry (a catalogue event of category deficiency);
    the cure date is also a cases.Deadline of kind deficiency_cure, so it shows with
    the case's other deadlines.
    """

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CURED = "cured", "Cured"
        ESCALATED = "escalated", "Order docketed"

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="deficiencies"
    )
    entry = models.ForeignKey(
        "dockets.DocketEntry",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deficiencies",
        help_text="The deficient filing, if the notice is about one entry",
    )
    notice_entry = models.OneToOneField(
        "dockets.DocketEntry",
        on_delete=models.PROTECT,
        related_name="deficiency_notice",
        help_text="The docketed notice of deficiency",
    )
    kind = models.CharField(max_length=20, choices=DEFICIENCY_KINDS)
    details = models.TextField(blank=True)
    cure_by = models.DateField()
    deadline = models.ForeignKey(
        "cases.Deadline",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.OPEN
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_entry = models.ForeignKey(
        "dockets.DocketEntry",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The order to show cause or dismissal docketed for it",
    )

    class Meta:
        ordering = ["cure_by", "id"]
        indexes = [models.Index(fields=["status", "cure_by"])]
        verbose_name_plural = "deficiencies"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} due {self.cure_by}"


class SignedOrder(BaseModel):
    """A proposed order a judge signed: the lodged document and the order it became."""

    proposed_document = models.OneToOneField(
        "dockets.Document", on_delete=models.PROTECT, related_name="signed_order"
    )
    motion_entry = models.ForeignKey(
        "dockets.DocketEntry", on_delete=models.PROTECT, related_name="+"
    )
    order_entry = models.OneToOneField(
        "dockets.DocketEntry", on_delete=models.PROTECT, related_name="signed_from"
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"Order {self.order_entry_id} from {self.proposed_document_id}"
