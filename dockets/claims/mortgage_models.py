"""The Rule 3002.1 ledger: every mortgage payment change noticed on a claim, with its
computed effective date (dockets.claims.rule3002_1)."""

from django.db import models

from dockets.text import money

__all__ = ["PaymentChange"]


class PaymentChange(models.Model):
    class Kind(models.TextChoices):
        PAYMENT_CHANGE = "change", "Notice of Mortgage Payment Change"
        HELOC_ANNUAL = "heloc", "HELOC annual notice"

    claim = models.ForeignKey(
        "dockets.Claim", on_delete=models.PROTECT, related_name="payment_changes"
    )
    entry = models.OneToOneField(
        "dockets.DocketEntry", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    filed_on = models.DateField(help_text="Court-local date the notice was filed")
    stated_due = models.DateField(help_text="The due date the notice gave")
    effective_on = models.DateField(help_text="When the change takes effect (computed)")
    new_payment_cents = models.BigIntegerField()
    rule = models.TextField(help_text="How the effective date was computed")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["claim", "effective_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.new_payment_shown} from {self.effective_on}"

    @property
    def new_payment_shown(self) -> str:
        return money(self.new_payment_cents)

    @property
    def moved(self) -> bool:
        return self.effective_on != self.stated_due
