"""Input shape and field checks for opening cases, uploading the matrix and searching.

Forms never write: views pass what they clean to the services. Taxpayer numbers are
checked by cases.identifiers, whose messages never repeat what was typed, and the
number is never written back into a page (the field renders empty after an error).
"""

from __future__ import annotations

import base64
import binascii
import uuid

from django import forms

from .identifiers import classify_tax_id
from .matrix import US_STATE_CODES
from .models import Case, Office, PartyAlias
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


class OpenCaseForm(PlainForm):
    """Open Voluntary / Involuntary / Chapter 15 case (cmecf.md 3.1), on one page."""

    KIND_VOLUNTARY = "voluntary"
    KIND_INVOLUNTARY = "involuntary"

    idempotency_key = forms.CharField(
        widget=forms.HiddenInput, initial=_idempotency_key, max_length=80
    )
    office = forms.ModelChoiceField(
        queryset=Office.objects.none(), label="Office", empty_label=None
    )
    chapter = forms.ChoiceField(label="Chapter", choices=OPEN_CHAPTERS)
    kind = forms.ChoiceField(
        label="Type of petition",
        choices=[
            (KIND_VOLUNTARY, "Voluntary (the debtor files)"),
            (KIND_INVOLUNTARY, "Involuntary (creditors file)"),
        ],
        widget=forms.RadioSelect,
        initial=KIND_VOLUNTARY,
    )
    debtor_type = forms.ChoiceField(
        label="The debtor is",
        choices=[
            ("individual", "An individual (or spouses)"),
            ("business", "A business or other entity"),
        ],
        widget=forms.RadioSelect,
        initial="individual",
    )
    joint = forms.BooleanField(
        label="Joint petition (spouses filing together)", required=False
    )
    fee_choice = forms.ChoiceField(
        label="Filing fee",
        choices=[
            ("pay", "Pay the filing fee now"),
            ("install", "Apply to pay in installments (individuals only)"),
            ("waiver", "Apply to have the fee waived (chapter 7 individuals only)"),
        ],
        widget=forms.RadioSelect,
        initial="pay",
    )
    petitioning_creditors = forms.CharField(
        label="Petitioning creditors (involuntary petitions; one per line)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    foreign_representative = forms.CharField(
        label="Foreign representative (chapter 15 only)", max_length=200, required=False
    )
    foreign_proceeding = forms.CharField(
        label="Foreign proceeding to be recognised (chapter 15 only)",
        max_length=200,
        required=False,
    )
    petition = forms.FileField(label="Petition (PDF)")

    def __init__(self, *args, court=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = (
            Office.objects.filter(court=court) if court else Office.objects.all()
        )
        from dockets.catalogue_data import PETITION_FEES_CENTS
        from dockets.text import money

        self.fields["chapter"].help_text = "Filing fee: " + ", ".join(
            f"chapter {ch} {money(PETITION_FEES_CENTS[ch])}" for ch, _ in OPEN_CHAPTERS
        )
        PartyFields.add(self, "debtor_", "Debtor", required=True)
        PartyFields.add(self, "joint_", "Joint debtor", required=False)
        self.debtors: list[PartyData] = []
        self.creditors: list[PartyData] = []
        self.representative: PartyData | None = None

    def clean(self):
        data = super().clean()
        voluntary = data.get("kind", self.KIND_VOLUNTARY) == self.KIND_VOLUNTARY
        entity = data.get("debtor_type") == "business"
        chapter = data.get("chapter") or ""
        need_tax_id = voluntary and chapter != "15"
        debtor = PartyFields.clean(
            self, "debtor_", entity=entity, need_tax_id=need_tax_id
        )
        self.debtors = [debtor] if debtor else []
        if data.get("joint"):
            joint = PartyFields.clean(
                self, "joint_", entity=False, need_tax_id=need_tax_id
            )
            if entity:
                self.add_error(
                    "joint",
                    "Only two individuals who are spouses can file a joint petition.",
                )
            elif joint is None:
                self.add_error(
                    "joint_name",
                    "A joint petition has two debtors: enter the joint debtor, or untick Joint petition.",
                )
            else:
                self.debtors.append(joint)
        elif (self.data.get("joint_name") or "").strip():
            self.add_error(
                "joint",
                "You entered a joint debtor: tick Joint petition, or clear the joint debtor's name.",
            )
        if not voluntary:
            try:
                names = parse_names(
                    data.get("petitioning_creditors") or "",
                    what="petitioning creditors",
                )
            except forms.ValidationError as error:
                self.add_error("petitioning_creditors", error)
                names = []
            if not names:
                self.add_error(
                    "petitioning_creditors", "List at least one petitioning creditor."
                )
            self.creditors = [PartyData(role="", name=n, is_entity=True) for n in names]
        if chapter == "15" and voluntary:
            name = (data.get("foreign_representative") or "").strip()
            if not name:
                self.add_error(
                    "foreign_representative", "Enter the foreign representative."
                )
            else:
                self.representative = PartyData(role="", name=name)
            if not (data.get("foreign_proceeding") or "").strip():
                self.add_error("foreign_proceeding", "Name the foreign proceeding.")
        return data


class MatrixUploadForm(PlainForm):
    matrix = forms.FileField(
        label="Creditor matrix (.txt)",
        help_text="Plain text: one creditor per block, blocks separated by a blank line, at most 5 lines of 40 characters.",
    )

    def clean_matrix(self):
        upload = self.cleaned_data["matrix"]
        if upload.size > MAX_MATRIX_BYTES:
            raise forms.ValidationError(
                "The matrix file is larger than 2 MB. Split it, or check it is a text file."
            )
        return upload


class MatrixConfirmForm(PlainForm):
    """The second step: the checked text comes back for saving (it is checked again)."""

    content = forms.CharField(widget=forms.HiddenInput, max_length=MAX_MATRIX_BYTES * 2)

    def clean_content(self) -> bytes:
        try:
            return base64.b64decode(self.cleaned_data["content"], validate=True)
        except (ValueError, binascii.Error) as error:
            raise forms.ValidationError(
                "The matrix could not be read back. Upload the file again."
            ) from error


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
        data = super().clean()
        if (
            data.get("filed_from")
            and data.get("filed_to")
            and data["filed_from"] > data["filed_to"]
        ):
            self.add_error("filed_to", "The end date is before the start date.")
        return data


class AdversaryForm(PlainForm):
    """Open an adversary proceeding (cmecf.md 2.2 "Adversary opening screens")."""

    idempotency_key = forms.CharField(
        widget=forms.HiddenInput, initial=_idempotency_key, max_length=80
    )
    plaintiffs = forms.CharField(
        label="Plaintiffs (one per line)", widget=forms.Textarea(attrs={"rows": 3})
    )
    defendants = forms.CharField(
        label="Defendants (one per line)", widget=forms.Textarea(attrs={"rows": 3})
    )
    nature_of_suit = forms.ChoiceField(label="Nature of suit")
    nature_of_suit_2 = forms.ChoiceField(
        label="Second nature of suit (optional)", required=False
    )
    demand_thousands = forms.IntegerField(
        label="Demand ($000)", required=False, min_value=0, max_value=99_999_999
    )
    jury_demand = forms.BooleanField(label="Jury demand", required=False)
    class_action = forms.BooleanField(label="Class action", required=False)
    fee_exemption = forms.ChoiceField(label="Filing fee ($350)", required=False)
    complaint = forms.FileField(label="Complaint (PDF)")

    def __init__(self, *args, **kwargs):
        from dockets.case_opening import AP_FEE_EXEMPTIONS, NATURE_OF_SUIT_LABELS

        super().__init__(*args, **kwargs)
        codes = [
            (code, f"{code} {label}") for code, label in NATURE_OF_SUIT_LABELS.items()
        ]
        self.fields["nature_of_suit"].choices = [("", "Pick one"), *codes]
        self.fields["nature_of_suit_2"].choices = [("", "None"), *codes]
        self.fields["fee_exemption"].choices = AP_FEE_EXEMPTIONS

    def clean(self):
        data = super().clean()
        for name, what in (("plaintiffs", "plaintiffs"), ("defendants", "defendants")):
            try:
                data[name] = parse_names(data.get(name) or "", what=what)
            except forms.ValidationError as error:
                self.add_error(name, error)
        if data.get("nature_of_suit_2") and data.get("nature_of_suit_2") == data.get(
            "nature_of_suit"
        ):
            self.add_error(
                "nature_of_suit_2", "Pick a different second nature of suit, or None."
            )
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
        self.fields["role"].choices = roles

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
