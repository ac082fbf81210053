"""The text of filed documents: a status row per document and the text of each page.

The text is derived data, stored beside the document: the filed original, the stamped
copy and their digests never change. Search reads `DocumentPage.search_vector`
through dockets.fulltext.selectors, which applies dockets.permissions.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F

from core.models import BaseModel

__all__ = ["DocumentPage", "DocumentText"]


class DocumentText(BaseModel):
    """One document's text extraction: a queue row the clerk and the reader can see."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be read"
        RUNNING = "running", "Being read"
        DONE = "done", "Text ready"
        FAILED = "failed", "Text could not be read"
        NOT_INDEXED = "excluded", "Not indexed (restricted document)"

    document = models.OneToOneField(
        "dockets.Document", on_delete=models.PROTECT, related_name="text_status"
    )
    status = models.CharField(
        max_length=8, choices=Status.choices, default=Status.PENDING
    )
    pages_total = models.PositiveIntegerField(default=0)
    pages_done = models.PositiveIntegerField(
        default=0, help_text="Pages whose text is stored (read or recognised)"
    )
    ocr_pages = models.PositiveIntegerField(
        default=0, help_text="Pages that needed character recognition"
    )
    ocr_skipped = models.PositiveIntegerField(
        default=0, help_text="Image pages left unread (over the per-document limit)"
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    error_message = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "updated_at"])]

    def __str__(self) -> str:
        return f"text of document {self.document_id}: {self.status}"

    @property
    def percent(self) -> int:
        if not self.pages_total:
            return 0
        return min(100, round(100 * self.pages_done / self.pages_total))


class DocumentPage(models.Model):
    """The text of one page of a document (1-based), with its search vector."""

    document = models.ForeignKey(
        "dockets.Document", on_delete=models.PROTECT, related_name="text_pages"
    )
    entry = models.ForeignKey(
        "dockets.DocketEntry", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    page = models.PositiveIntegerField()
    filed_at = models.DateTimeField(
        help_text="The entry's filed time (it never changes): hits are listed newest "
        "first from an index on this, without joining every match to its entry",
    )
    text = models.TextField(blank=True)
    ocr = models.BooleanField(default=False, help_text="Read by character recognition")
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["document", "page"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "page"], name="document_page_unique"
            )
        ]
        indexes = [
            GinIndex(fields=["case", "search_vector"], name="docpage_case_search_gin"),
            # Newest first, in a case and court-wide: a common word stops after a page.
            models.Index(
                F("case"), F("filed_at").desc(), F("id").desc(), name="docpage_case_new"
            ),
            models.Index(F("filed_at").desc(), F("id").desc(), name="docpage_new"),
        ]

    def __str__(self) -> str:
        return f"document {self.document_id} page {self.page}"
