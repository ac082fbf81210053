"""Input shape of the claims forms: Form 410, ePOC (no login), and the claim actions.

Field-level checks only; the services check everything again and do all writes.
The ePOC human check needs no JavaScript and no third party: an arithmetic question
whose answer travels in a signed token (django.core.signing), plus a honeypot field.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from core.formfields import choice_field

from .checks import REDACTION_MESSAGE, amount_problems, find_unredacted, parse_money
from .form410a import FORM_410A_LINES, Form410A, form410a_problems
from .services import ClaimData

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MAX_ATTACHMENTS = 20
SUBMISSION_SALT = "dockets.claims.epoc.submission"

# Official Form 410, question 12.
PRIORITY_BASES = [
    ("", _("No priority claimed")),
    (
        "11 U.S.C. 507(a)(1)(A) or (a)(1)(B) Domestic support obligations",
        _(
            "Domestic support obligations (including alimony and child support), 507(a)(1)(A) or (a)(1)(B)",
        ),
    ),
    (
        "11 U.S.C. 507(a)(7) Deposits toward purchase, lease, or rental",
        _(
            "Up to $3,800 of deposits toward purchase, lease, or rental of property or services for personal, family, or household use, 507(a)(7)",
        ),
    ),
    (
        "11 U.S.C. 507(a)(4) Wages, salaries, or commissions",
        _(
            "Wages, salaries, or commissions earned within 180 days before filing, 507(a)(4)",
        ),
    ),
    (
        "11 U.S.C. 507(a)(8) Taxes or penalties owed to governmental units",
        _(
            "Taxes or penalties owed to governmental units, 507(a)(8)",
        ),
    ),
    (
        "11 U.S.C. 507(a)(5) Contributions to an employee benefit plan",
        _(
            "Contributions to an employee benefit plan, 507(a)(5)",
        ),
    ),
    ("11 U.S.C. 507(a) Other", _("Other subsection of 507(a)")),
]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several PDF files from one file input (the Django documentation's pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "application/pdf"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        items = data if isinstance(data, list | tuple) else ([data] if data else [])
        cleaned = [single(item, initial) for item in items if item]
        if len(cleaned) > MAX_ATTACHMENTS:
            raise forms.ValidationError(
                _("Attach at most %(n)s files; combine the rest into one PDF.")
                % {"n": MAX_ATTACHMENTS}
            )
        return cleaned


class GroupedForm(forms.Form):
    """A form whose visible fields render in fieldsets (`fieldsets`: legend -> field names)."""

    fieldsets: tuple[tuple[StrOrPromise, tuple[str, ...]], ...] = ()

    def groups(self) -> list[tuple[StrOrPromise, list]]:
        visible = {f.name: f for f in self.visible_fields()}
        out: list[tuple[StrOrPromise, list]] = []
        used: set[str] = set()
        for legend, names in self.fieldsets:
            fields = [visible[n] for n in names if n in visible]
            used.update(f.name for f in fields)
            if fields:
                out.append((legend, fields))
        rest = [f for name, f in visible.items() if name not in used]
        if rest:
            out.append(("", rest))
        return out


def money_field(
    label: StrOrPromise, *, required: bool = False, help_text: StrOrPromise = ""
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=40,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


FORM_410A_LEGEND = _("Form 410A: mortgage on the debtor's principal residence")
# Official Form 410A's lines as form fields: m410a_<Form410A field without "_cents">.
MORTGAGE_FIELDS = {
    "m410a_" + name.removesuffix("_cents"): label for name, label in FORM_410A_LINES
}


class ClaimForm(GroupedForm):
    """Official Form 410, as a filer with a login fills it in."""

    creditor_name = forms.CharField(
        label=_("Creditor name"),
        max_length=200,
        help_text=_("Who is the current creditor?"),
    )
    creditor_address = forms.CharField(
        label=_("Notice address"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Where notices to the creditor should be sent, one line per line."),
    )
    creditor_email = forms.EmailField(label=_("Creditor e-mail"), required=False)
    creditor_phone = forms.CharField(
        label=_("Creditor phone"), max_length=30, required=False
    )
    payment_name = forms.CharField(
        label=_("Payment name"),
        max_length=200,
        required=False,
        help_text=_("Only if payments go somewhere other than the notice address."),
    )
    payment_address = forms.CharField(
        label=_("Payment address"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    governmental = forms.BooleanField(
        label=_("The creditor is a governmental unit"), required=False
    )
    account_last4 = forms.CharField(
        label=_("Last 4 digits of the account number"),
        max_length=40,
        required=False,
        help_text=_("Only the last 4 digits (Fed. R. Bankr. P. 9037)."),
    )
    amount = money_field(
        _("Amount of the claim"),
        required=True,
        help_text=_("As of the date the case was filed, e.g. 32,611.40"),
    )
    secured = money_field(_("Secured amount"))
    priority = money_field(
        _("Priority amount"),
        help_text=_("Amount entitled to priority under 11 U.S.C. 507(a)"),
    )
    priority_basis = forms.ChoiceField(
        label=_("Basis for priority"), choices=PRIORITY_BASES, required=False
    )
    admin = money_field(
        _("Administrative amount, 503(b)(9)"),
        help_text=_("Value of goods received within 20 days before the case was filed"),
    )
    unsecured = money_field(_("Unsecured amount"))
    basis = forms.CharField(
        label=_("Basis of the claim"),
        max_length=300,
        help_text=_(
            "For example: goods sold, money loaned, services performed, credit card."
        ),
    )
    debt_incurred = forms.DateField(
        label=_("Date the debt was incurred"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    interest_fees = forms.BooleanField(
        label=_("The amount includes interest or other charges"), required=False
    )
    attachments = MultipleFileField(
        label=_("Supporting documents (PDF)"),
        required=False,
        help_text=_(
            "Itemized statement, security agreement, etc. Redact all but the last 4 digits of any account or Social Security number."
        ),
    )

    fieldsets = (
        (_("Part 1: Identify the claim"), (
            "creditor_name", "creditor_address", "creditor_email", "creditor_phone", "payment_name",
            "payment_address", "governmental", "amends", "claim_code",
        )),
        (_("Part 2: The claim as of the date the case was filed"), (
            "account_last4", "amount", "secured", "priority", "priority_basis", "admin", "unsecured", "basis",
            "debt_incurred", "interest_fees", "attachments",
        )),
        (FORM_410A_LEGEND, ("principal_residence", "arrearage", *MORTGAGE_FIELDS)),
        (_("Part 3: Sign"), ("signer_name", "signer_title", "redaction_ack", "human_answer", "website")),
    )  # fmt: skip
    free_text_fields: tuple[str, ...] = (
        "creditor_name",
        "creditor_address",
        "payment_name",
        "payment_address",
        "basis",
    )
    money_fields = ("amount", "secured", "priority", "unsecured", "admin")

    principal_residence = forms.BooleanField(
        label=_("The claim is secured by the debtor's principal residence"),
        required=False,
        help_text=_(
            "Then Form 410A (Mortgage Proof of Claim Attachment) below is required."
        ),
    )
    arrearage = money_field(
        _(
            "Amount necessary to cure any default as of the date of the petition (line 9)"
        )
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in MORTGAGE_FIELDS.items():
            self.fields[name] = money_field(label)

    def clean_arrearage(self) -> int:
        return self._clean_money("arrearage")

    def _mortgage(self) -> dict[str, int] | None:
        if not self.cleaned_data.get("principal_residence"):
            return None
        values = {}
        for name in MORTGAGE_FIELDS:
            try:
                values[name.removeprefix("m410a_") + "_cents"] = parse_money(
                    self.cleaned_data.get(name, "")
                )
            except ValueError as exc:
                self.add_error(name, str(exc))
        return values

    def _clean_money(self, name: str) -> int:
        try:
            return parse_money(self.cleaned_data.get(name, ""))
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_amount(self) -> int:
        return self._clean_money("amount")

    def clean_secured(self) -> int:
        return self._clean_money("secured")

    def clean_priority(self) -> int:
        return self._clean_money("priority")

    def clean_unsecured(self) -> int:
        return self._clean_money("unsecured")

    def clean_admin(self) -> int:
        return self._clean_money("admin")

    def clean_account_last4(self) -> str:
        value = self.cleaned_data.get("account_last4", "").strip()
        digits = "".join(c for c in value if c.isdigit())
        if len(digits) > 4:
            raise forms.ValidationError(
                _("%(redaction)s Enter only the last 4 digits.")
                % {"redaction": REDACTION_MESSAGE}
            )
        if value and len(digits) != 4:
            raise forms.ValidationError(
                _("Enter the last 4 digits of the account number, for example 1234.")
            )
        return digits

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        for name in self.free_text_fields:
            if find_unredacted(cleaned.get(name) or ""):
                self.add_error(name, REDACTION_MESSAGE)
        if all(isinstance(cleaned.get(n), int) for n in self.money_fields):
            amount, secured = cleaned["amount"], cleaned["secured"]
            if cleaned["priority"] and not cleaned.get("priority_basis"):
                self.add_error(
                    "priority_basis",
                    _(
                        "Pick the basis for priority, or leave the priority amount empty."
                    ),
                )
            problems = amount_problems(
                amount_cents=cleaned["amount"],
                secured_cents=cleaned["secured"],
                priority_cents=cleaned["priority"],
                unsecured_cents=cleaned["unsecured"],
                admin_cents=cleaned["admin"],
            )
            for name, message in problems.items():
                self.add_error(name, message)
            if isinstance(cleaned.get("arrearage"), int):
                mortgage = self._mortgage()
                problems = form410a_problems(
                    principal_residence=bool(cleaned.get("principal_residence")),
                    secured_cents=secured,
                    amount_cents=amount,
                    arrearage_cents=cleaned["arrearage"],
                    attachment=Form410A.from_value(mortgage),
                )
                for name, message in problems.items():
                    field = name if name in ("secured", "arrearage") else None
                    self.add_error(field or "principal_residence", message)
        return cleaned

    def to_data(self, *, signer_name: str = "", signer_title: str = "") -> ClaimData:
        c = self.cleaned_data
        return ClaimData(
            creditor_name=c["creditor_name"],
            creditor_address=c["creditor_address"],
            basis=c["basis"],
            amount_cents=c["amount"],
            secured_cents=c["secured"],
            priority_cents=c["priority"],
            priority_basis=c.get("priority_basis", ""),
            unsecured_cents=c["unsecured"],
            admin_cents=c["admin"],
            creditor_email=c.get("creditor_email", ""),
            creditor_phone=c.get("creditor_phone", ""),
            payment_name=c.get("payment_name", ""),
            payment_address=c.get("payment_address", ""),
            account_last4=c.get("account_last4", ""),
            debt_incurred=c.get("debt_incurred"),
            interest_fees=bool(c.get("interest_fees")),
            governmental=bool(c.get("governmental")),
            signer_name=signer_name or c.get("signer_name", ""),
            signer_title=signer_title or c.get("signer_title", ""),
            principal_residence=bool(c.get("principal_residence")),
            arrearage_cents=c.get("arrearage") or None,
            mortgage=self._mortgage(),
        )

    @staticmethod
    def initial_from(claim) -> dict:
        def dollars(cents: int) -> str:
            return f"{cents / 100:.2f}" if cents else ""

        return {
            "creditor_name": claim.creditor_name,
            "creditor_address": claim.creditor_address,
            "creditor_email": claim.creditor_email,
            "creditor_phone": claim.creditor_phone,
            "payment_name": claim.payment_name,
            "payment_address": claim.payment_address,
            "governmental": claim.governmental,
            "account_last4": claim.account_last4,
            "amount": dollars(claim.amount_cents),
            "secured": dollars(claim.secured_cents),
            "priority": dollars(claim.priority_cents),
            "priority_basis": claim.priority_basis,
            "unsecured": dollars(claim.unsecured_cents),
            "admin": dollars(claim.admin_cents),
            "basis": claim.basis,
            "debt_incurred": claim.debt_incurred,
            "interest_fees": claim.interest_fees,
        }


def new_submission_token() -> str:
    return signing.dumps(uuid.uuid4().hex, salt=SUBMISSION_SALT)


class RegisterFilterForm(GroupedForm):
    number_from = forms.IntegerField(
        label=_("Claim number from"), required=False, min_value=1
    )
    number_to = forms.IntegerField(
        label=_("Claim number to"), required=False, min_value=1
    )
    filed_from = forms.DateField(
        label=_("Filed from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    filed_to = forms.DateField(
        label=_("Filed to"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    creditor = forms.CharField(label=_("Creditor name"), required=False, max_length=100)
    order = forms.ChoiceField(label=_("Order"), required=False, choices=[])
    size = forms.TypedChoiceField(
        label=_("Claims per page"),
        required=False,
        coerce=int,
        empty_value=100,  # type: ignore[arg-type]  # any value works; the stubs say str
        choices=[(10, "10"), (50, "50"), (100, "100"), (500, "500")],
        initial=100,
    )

    def __init__(self, *args, **kwargs):
        from .selectors import ORDERS

        super().__init__(*args, **kwargs)
        choice_field(self, "order").choices = list(ORDERS.items())

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        lo, hi = cleaned.get("number_from"), cleaned.get("number_to")
        if lo and hi and lo > hi:
            self.add_error(
                "number_to",
                _("The last claim number must not be lower than the first."),
            )
        lo, hi = cleaned.get("filed_from"), cleaned.get("filed_to")
        if lo and hi and lo > hi:
            self.add_error(
                "filed_to", _("The end date must not be before the start date.")
            )
        return cleaned
