"""Forms for opening cases and loading the creditor matrix (dockets.opening.views)."""

from __future__ import annotations

import base64
import binascii

from django import forms

from cases.forms import (
    MAX_MATRIX_BYTES,
    OPEN_CHAPTERS,
    PartyFields,
    PlainForm,
    _idempotency_key,
    parse_names,
)
from cases.models import Office
from cases.services import PartyData
from core.formfields import choice_field, model_choice_field

from ..case_opening import AP_FEE_EXEMPTIONS, NATURE_OF_SUIT_LABELS
from ..catalogue_data import PETITION_FEES_CENTS
from ..text import money


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
        model_choice_field(self, "office").queryset = (
            Office.objects.filter(court=court) if court else Office.objects.all()
        )

        self.fields["chapter"].help_text = "Filing fee: " + ", ".join(
            f"chapter {ch} {money(PETITION_FEES_CENTS[ch])}" for ch, _ in OPEN_CHAPTERS
        )
        PartyFields.add(self, "debtor_", "Debtor", required=True)
        PartyFields.add(self, "joint_", "Joint debtor", required=False)
        self.debtors: list[PartyData] = []
        self.creditors: list[PartyData] = []
        self.representative: PartyData | None = None

    def clean(self):
        super().clean()
        data = self.cleaned_data
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

        super().__init__(*args, **kwargs)
        codes = [
            (code, f"{code} {label}") for code, label in NATURE_OF_SUIT_LABELS.items()
        ]
        choice_field(self, "nature_of_suit").choices = [("", "Pick one"), *codes]
        choice_field(self, "nature_of_suit_2").choices = [("", "None"), *codes]
        choice_field(self, "fee_exemption").choices = AP_FEE_EXEMPTIONS

    def clean(self):
        super().clean()
        data = self.cleaned_data
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
