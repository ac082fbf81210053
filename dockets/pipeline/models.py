"""Models of dockets.pipeline (imported by dockets/models.py).

The status rows that matter (Document.status, Notice.status, NoticeRecipient.status)
live on the docket's own models; these tables only link what the pipeline produced
to them: the inbox message each e-mail recipient got, and the paper notices the
noticing center mails.
"""

from django.db import models

from core.models import BaseModel


def paper_notice_path(instance: "PaperNotice", filename: str) -> str:
    import secrets

    return f"paper/{instance.notice.entry.case_id}/{secrets.token_hex(16)}.pdf"


class NoticeDelivery(BaseModel):
    """The inbox message (and e-mail) one NEF recipient got: exactly one per recipient."""

    recipient = models.OneToOneField(
        "dockets.NoticeRecipient", on_delete=models.CASCADE, related_name="delivery"
    )
    message = models.ForeignKey(
        "core.InboxMessage", on_delete=models.CASCADE, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.recipient_id} -> {self.message_id}"


class PaperNotice(BaseModel):
    """The printable notices of one BNC-served entry, one page group per mailing address."""

    notice = models.OneToOneField(
        "dockets.Notice", on_delete=models.PROTECT, related_name="paper"
    )
    pdf = models.FileField(upload_to=paper_notice_path, max_length=200)
    count = models.PositiveIntegerField(
        help_text="Number of notices (addresses) in the PDF"
    )
    certificate = models.ForeignKey(
        "dockets.DocketEntry",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The BNC Certificate of Notice docketed for this mailing",
    )

    def __str__(self) -> str:
        return f"Paper notice {self.notice_id} ({self.count})"
