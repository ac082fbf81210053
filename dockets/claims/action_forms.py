"""Forms for what follows a claim: withdrawal, transfer, supplement, the clerk's
correction and the decision on a transfer."""

from __future__ import annotations

from django import forms

from .checks import REDACTION_MESSAGE, find_unredacted, parse_money
from .forms import GroupedForm, money_field


class PdfForm(GroupedForm):
    document = forms.FileField(
        label="Document (PDF)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )


class WithdrawForm(PdfForm):
    confirm = forms.BooleanField(label="I withdraw this claim (Fed. R. Bankr. P. 3006)")


class TransferForm(PdfForm):
    transferee_name = forms.CharField(label="Transferee name", max_length=200)
    transferee_address = forms.CharField(
        label="Transferee address", widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        for name in ("transferee_name", "transferee_address"):
            if find_unredacted(cleaned.get(name) or ""):
                self.add_error(name, REDACTION_MESSAGE)
        return cleaned


SUPPLEMENT_CHOICES = [
    ("mtgchg", "Notice of Mortgage Payment Change (Rule 3002.1(b), Form 410S1)"),
    (
        "helocntc",
        "Annual Notice of Payment Change, Home Equity Line of Credit (Rule 3002.1(b), Form 410S1)",
    ),
    (
        "pstfee",
        "Notice of Postpetition Mortgage Fees, Expenses, and Charges (Rule 3002.1(c), Form 410S2)",
    ),
]


class SupplementForm(PdfForm):
    code = forms.ChoiceField(label="Notice", choices=SUPPLEMENT_CHOICES)
    amount = money_field("New total payment, or total fees and charges", required=True)
    effective_date = forms.DateField(
        label="Date the new payment is due",
        help_text="A notice filed less than 21 days before this date takes effect on the "
        "first payment due at least 21 days after it is filed (Rule 3002.1(b)).",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean_amount(self) -> int:
        try:
            cents = parse_money(self.cleaned_data["amount"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None
        if cents <= 0:
            raise forms.ValidationError("Enter an amount over $0.")
        return cents

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("code") in ("mtgchg", "helocntc") and not cleaned.get(
            "effective_date"
        ):
            self.add_error("effective_date", "Give the date the new payment is due.")
        if not self.files.get("document"):
            self.add_error("document", "Attach the notice as a PDF.")
        return cleaned


class CorrectionForm(GroupedForm):
    creditor_name = forms.CharField(label="Creditor name", max_length=200)
    creditor_address = forms.CharField(
        label="Creditor address", widget=forms.Textarea(attrs={"rows": 3})
    )
    amount = money_field("Amount claimed", required=True)
    secured = money_field("Secured amount")
    priority = money_field("Priority amount")
    unsecured = money_field("Unsecured amount")
    admin = money_field("Administrative amount, 503(b)(9)")
    allowed_secured = money_field("Allowed secured")
    allowed_priority = money_field("Allowed priority")
    allowed_unsecured = money_field("Allowed unsecured")
    allowed_admin = money_field("Allowed administrative")
    description = forms.CharField(label="Description", max_length=300, required=False)
    remark = forms.CharField(
        label="Remark (shown on the register)", widget=forms.Textarea(attrs={"rows": 2})
    )

    money_fields = ("amount", "secured", "priority", "unsecured", "admin")
    allowed_fields = (
        "allowed_secured",
        "allowed_priority",
        "allowed_unsecured",
        "allowed_admin",
    )

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        for name in (*self.money_fields, *self.allowed_fields):
            raw = (self.data.get(name) or "").strip()
            if name in self.allowed_fields and raw == "":
                cleaned[name] = None
                continue
            try:
                cleaned[name] = parse_money(raw)
            except ValueError as exc:
                self.add_error(name, str(exc))
        for name in ("creditor_name", "creditor_address", "description", "remark"):
            if find_unredacted(cleaned.get(name) or ""):
                self.add_error(name, REDACTION_MESSAGE)
        return cleaned

    def changes(self) -> dict:
        c = self.cleaned_data
        out = {
            "creditor_name": c["creditor_name"].strip(),
            "creditor_address": c["creditor_address"].strip(),
            "description": c.get("description", "").strip(),
        }
        for name in (*self.money_fields, *self.allowed_fields):
            out[f"{name}_cents"] = c.get(name)
        return out

    @staticmethod
    def initial_from(claim) -> dict:
        def dollars(cents):
            return "" if cents is None else f"{cents / 100:.2f}"

        return {
            "creditor_name": claim.creditor_name,
            "creditor_address": claim.creditor_address,
            "amount": dollars(claim.amount_cents),
            "secured": dollars(claim.secured_cents),
            "priority": dollars(claim.priority_cents),
            "unsecured": dollars(claim.unsecured_cents),
            "admin": dollars(claim.admin_cents),
            "allowed_secured": dollars(claim.allowed_secured_cents),
            "allowed_priority": dollars(claim.allowed_priority_cents),
            "allowed_unsecured": dollars(claim.allowed_unsecured_cents),
            "allowed_admin": dollars(claim.allowed_admin_cents),
            "description": claim.description,
        }


class TransferDecisionForm(forms.Form):
    """The clerk's decision on a pending transfer of claim (FRBP 3001(e)(2))."""

    outcome = forms.ChoiceField(
        choices=[
            ("order", "Court order: effective now"),
            ("objection", "Objection filed"),
        ]
    )
    note = forms.CharField(
        max_length=300,
        required=False,
        label="Order or objection (docket number, optional)",
    )
