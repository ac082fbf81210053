"""Input shape and field checks for opening cases, uploading the matrix and searching.

Forms never write: views pass what they clean to the services. Taxpayer numbers are
checked by cases.identifiers, whose messages never repeat what was typed, and the
number is never written back into a page (the field renders empty after an error).
"""

from __future__ import annotations

import uuid

from django import forms

from core.formfields import choice_field, label_choices, model_choice_field

from .addresses import US_STATE_CODES
from .identifiers import classify_tax_id
from .models import Case, PartyAlias, Trustee
from .services import PartyData

OPEN_CHAPTERS = [
    ("7", "Chapter 7"),
    ("11", "Chapter 11"),
    ("12", "Chapter 12"),
    ("13", "Chapter 13"),
    ("15", "Chapter 15"),
]
ALIAS_KINDS = tuple(PartyAlias.Kind.values)
MAX_MATRIX_BYTES = 2 * 1024 * 1024


class SecretInput(forms.TextInput):
    """A text box that never writes its value back into the page (SSN, EIN)."""

    def get_context(self, name, value, attrs):
        return super().get_context(name, None, attrs)


class PlainForm(forms.Form):
    """Labels without Django's trailing colon (they read as the visible words)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def _idempotency_key() -> str:
    return uuid.uuid4().hex


def parse_aliases(text: str) -> list[tuple[str, str]]:
    """Read `aka Name` lines; raise ValidationError naming the first bad line."""
    aliases = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        kind, _, name = line.partition(" ")
        if kind.lower() not in ALIAS_KINDS or not name.strip():
            raise forms.ValidationError(
                f"Line {number} of the aliases: start each line with aka, dba, fdba or fka, then the name "
                "(for example: dba Smith Plumbing)."
            )
        aliases.append((kind.lower(), name.strip()[:200]))
    return aliases


def parse_names(text: str, *, what: str) -> list[str]:
    names = [line.strip()[:200] for line in text.splitlines() if line.strip()]
    if len(names) > 20:
        raise forms.ValidationError(f"List at most 20 {what}.")
    return names


class PartyFields:
    """Field builders shared by the debtor and joint-debtor blocks."""

    @staticmethod
    def add(form: forms.Form, prefix: str, who: str, *, required: bool) -> None:
        form.fields[f"{prefix}name"] = forms.CharField(
            label=f"{who}: full name", max_length=200, required=required
        )
        form.fields[f"{prefix}tax_id"] = forms.CharField(
            label=f"{who}: SSN or ITIN (individual) or EIN (business)",
            max_length=20,
            required=False,
            widget=SecretInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
            help_text="Stored encrypted. The public sees only the last four digits (xxx-xx-1234).",
        )
        form.fields[f"{prefix}address1"] = forms.CharField(
            label=f"{who}: street address", max_length=120, required=False
        )
        form.fields[f"{prefix}address2"] = forms.CharField(
            label=f"{who}: address line 2", max_length=120, required=False
        )
        form.fields[f"{prefix}city"] = forms.CharField(
            label=f"{who}: city", max_length=80, required=False
        )
        form.fields[f"{prefix}state"] = forms.CharField(
            label=f"{who}: state (2 letters)", max_length=2, required=False
        )
        form.fields[f"{prefix}zip_code"] = forms.RegexField(
            label=f"{who}: ZIP code",
            regex=r"^\d{5}(-\d{4})?$",
            required=False,
            error_messages={"invalid": "Enter a ZIP code like 92101 or 92101-1234."},
        )
        form.fields[f"{prefix}county"] = forms.CharField(
            label=f"{who}: county", max_length=60, required=False
        )
        form.fields[f"{prefix}aliases"] = forms.CharField(
            label=f"{who}: other names (one per line: aka, dba, fdba or fka, then the name)",
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
        )

    @staticmethod
    def clean(
        form: forms.Form, prefix: str, *, entity: bool, need_tax_id: bool
    ) -> PartyData | None:
        data = form.cleaned_data
        name = (data.get(f"{prefix}name") or "").strip()
        if not name:
            return None
        tax_kind, digits = "", ""
        raw = (data.get(f"{prefix}tax_id") or "").strip()
        if raw:
            try:
                kind, digits = classify_tax_id(raw, entity=entity)
                tax_kind = kind.value
            except ValueError as error:
                form.add_error(f"{prefix}tax_id", str(error))
        elif need_tax_id:
            form.add_error(
                f"{prefix}tax_id",
                "Enter the EIN of the business."
                if entity
                else "Enter the Social Security number or ITIN.",
            )
        aliases = []
        try:
            aliases = parse_aliases(data.get(f"{prefix}aliases") or "")
        except forms.ValidationError as error:
            form.add_error(f"{prefix}aliases", error)
        state = (data.get(f"{prefix}state") or "").strip().upper()
        if state and state not in US_STATE_CODES:
            form.add_error(
                f"{prefix}state", "Enter the two-letter state code, for example CA."
            )
        return PartyData(
            role="",
            name=name,
            is_entity=entity,
            address_lines=[
                data.get(f"{prefix}address1") or "",
                data.get(f"{prefix}address2") or "",
            ],
            city=(data.get(f"{prefix}city") or "").strip(),
            state=state,
            zip_code=data.get(f"{prefix}zip_code") or "",
            county=(data.get(f"{prefix}county") or "").strip(),
            tax_id_kind=tax_kind,
            tax_id_digits=digits,
            aliases=aliases,
        )


class CaseSearchForm(PlainForm):
    q = forms.CharField(
        label="Case number or party name",
        required=False,
        max_length=200,
        help_text="For example 24-01234, 3:24-bk-01234 or a debtor's name or alias.",
    )
    chapter = forms.ChoiceField(
        label="Chapter", required=False, choices=[("", "Any"), *Case.Chapter.choices]
    )
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any"), *Case.Status.choices]
    )
    case_type = forms.ChoiceField(
        label="Case type", required=False, choices=[("", "Any"), *Case.CaseType.choices]
    )
    filed_from = forms.DateField(
        label="Filed on or after",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    filed_to = forms.DateField(
        label="Filed on or before",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    after = forms.CharField(required=False, widget=forms.HiddenInput, max_length=40)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if (
            data.get("filed_from")
            and data.get("filed_to")
            and data["filed_from"] > data["filed_to"]
        ):
            self.add_error("filed_to", "The end date is before the start date.")
        return data


class AddPartyForm(PlainForm):
    """The clerk adds a party (for example a creditor committee) to a case."""

    role = forms.ChoiceField(label="Role")
    name = forms.CharField(label="Name", max_length=200)
    is_entity = forms.BooleanField(
        label="A business, agency or committee (not a person)", required=False
    )
    address1 = forms.CharField(label="Street address", max_length=120, required=False)
    address2 = forms.CharField(label="Address line 2", max_length=120, required=False)
    city = forms.CharField(label="City", max_length=80, required=False)
    state = forms.CharField(label="State (2 letters)", max_length=2, required=False)
    zip_code = forms.RegexField(
        label="ZIP code",
        regex=r"^\d{5}(-\d{4})?$",
        required=False,
        error_messages={"invalid": "Enter a ZIP code like 92101 or 92101-1234."},
    )
    email = forms.EmailField(label="E-mail (optional)", required=False)

    def __init__(self, *args, case_type: str = "bk", **kwargs):
        super().__init__(*args, **kwargs)
        from .models import Party

        ap_roles = {Party.Role.PLAINTIFF, Party.Role.DEFENDANT}
        roles = [
            (value, label)
            for value, label in Party.Role.choices
            if (value in ap_roles) == (case_type == "ap")
            or value == Party.Role.INTERESTED_PARTY
        ]
        choice_field(self, "role").choices = roles

    def clean_state(self):
        state = (self.cleaned_data.get("state") or "").strip().upper()
        if state and state not in US_STATE_CODES:
            raise forms.ValidationError(
                "Enter the two-letter state code, for example CA."
            )
        return state

    def party_data(self) -> PartyData:
        d = self.cleaned_data
        return PartyData(
            role=d["role"],
            name=d["name"],
            is_entity=d["is_entity"],
            address_lines=[d["address1"], d["address2"]],
            city=d["city"],
            state=d["state"],
            zip_code=d["zip_code"],
            email=d["email"],
        )


class TrusteeMemberForm(PlainForm):
    """The clerk links a registered account to a trustee or U.S. Trustee office."""

    trustee: forms.ModelChoiceField[Trustee] = forms.ModelChoiceField(
        queryset=None,
        label="Trustee or office",
        empty_label="Choose the trustee or office",
        error_messages={"required": "Choose the trustee or office."},
    )
    email = forms.EmailField(
        label="The account's e-mail address",
        max_length=254,
        error_messages={
            "required": "Type the e-mail address the person registered with."
        },
    )

    def __init__(self, *args, court, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "trustee").queryset = Trustee.objects.filter(
            court=court, active=True
        ).order_by("kind", "name")
        label_choices(self, "trustee", lambda t: f"{t.name} ({t.get_kind_display()})")


class CourtClosureForm(PlainForm):
    """A clerk records a closure of the clerk's office or an outage of the filing system."""

    kind = forms.ChoiceField(
        label="What happened",
        choices=[
            ("closure", "The clerk's office was closed"),
            ("outage", "The electronic filing system was unavailable"),
        ],
        widget=forms.RadioSelect,
    )
    starts_on = forms.DateField(
        label="First day affected", widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label="Last day affected", widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(
        label="Reason (shown on the public status page)", max_length=300
    )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if (
            data.get("starts_on")
            and data.get("ends_on")
            and data["ends_on"] < data["starts_on"]
        ):
            self.add_error("ends_on", "The last day cannot be before the first day.")
        return data
