"""Forms for the court events the clerk dockets: a court event, a paper filing, an
order the judge signs, and a petition filed on paper.
"""

from __future__ import annotations

import datetime as dt

from django import forms

from cases.models import Case, Office, Party
from core import clock
from core.formfields import label_choices, model_choice_field

from ..catalogue_data import DEFICIENCY_KINDS, EventCategory, EventFiler
from ..models import DocketEntry, Event
from .forms import court_wall_time, validated_pdf


class EventPickForm(forms.Form):
    event = forms.ModelChoiceField(
        queryset=Event.objects.none(), label="Event", empty_label="Pick an event"
    )

    def __init__(self, *args, events, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "event").queryset = events
        model_choice_field(self, "event").to_field_name = "code"
        label_choices(self, "event", lambda e: f"{e.name} [{e.category}, {e.code}]")


def _field_for(spec: dict) -> forms.Field:
    kind, required, label = spec["kind"], spec["required"], spec["label"]
    initial = None
    if spec.get("default_days") is not None:
        from cases.calendar import compute_deadline

        initial = compute_deadline(
            clock.today(), spec["default_days"], what="today"
        ).day
    if kind == "date":
        return forms.DateField(
            required=required,
            label=label,
            initial=initial,
            widget=forms.DateInput(attrs={"type": "date"}),
        )
    if kind in ("datetime", "hearing"):
        return forms.DateTimeField(
            required=required,
            label=label,
            widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        )
    if kind == "choice" and spec.get("choices"):
        return forms.ChoiceField(
            required=required,
            label=label,
            choices=[("", "Pick one"), *[(c, c) for c in spec["choices"]]],
        )
    if kind == "chapter":
        choices = spec.get("choices") or [c for c, _ in Case.Chapter.choices]
        return forms.ChoiceField(
            required=required,
            label=label,
            choices=[("", "Pick one"), *[(c, c) for c in choices]],
        )
    if kind == "deficiency":
        return forms.ChoiceField(
            required=required,
            label=label,
            choices=[("", "Pick one"), *DEFICIENCY_KINDS],
        )
    if kind == "money":
        return forms.DecimalField(
            required=required, label=label, min_value=0, max_digits=14, decimal_places=2
        )
    if kind == "bool":
        return forms.BooleanField(required=False, label=label)
    if kind == "days":
        return forms.IntegerField(
            required=required, label=label, min_value=0, max_value=3650
        )
    return forms.CharField(required=required, label=label, max_length=300)


class EventEntryForm(forms.Form):
    """The fields an event asks for, plus related entries, a note and an optional PDF."""

    note = forms.CharField(
        required=False, max_length=500, label="Additional docket text (optional)"
    )

    def __init__(
        self, *args, event: Event, case: Case, with_pdf: bool = True, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.event = event
        self.field_names = []
        for spec in event.fields:
            name = f"f_{spec['name']}"
            self.fields[name] = _field_for(spec)
            self.field_names.append(spec["name"])
            if spec["kind"] == "hearing":
                self.fields[f"{name}_place"] = forms.CharField(
                    required=spec["required"],
                    max_length=150,
                    label=f"{spec['label']}: place",
                    help_text="e.g. Department 3, Room 129, 325 West F Street, San Diego",
                )
        if event.refers != "none":
            qs = (
                DocketEntry.objects.filter(case=case)
                .select_related("event")
                .order_by("-seq")
            )
            if event.refer_categories:
                qs = qs.filter(event__category__in=event.refer_categories)
            self.fields["related"] = forms.ModelMultipleChoiceField(
                queryset=qs,
                required=event.refers == "required",
                label="Refers to entry",
                widget=forms.CheckboxSelectMultiple,
            )
            label_choices(
                self, "related", lambda e: f"#{e.number or '-'} {e.event.name}"[:120]
            )
        if with_pdf and event.pdf != "none":
            self.fields["pdf"] = forms.FileField(
                required=event.pdf == "required", label="PDF"
            )
        if event.case_action == "close":
            self.fields["override"] = forms.BooleanField(
                required=False,
                label="Close the case anyway (the warnings and this override are recorded)",
            )

    def clean_pdf(self):
        upload = self.cleaned_data.get("pdf")
        return validated_pdf(upload) if upload else None

    def values(self) -> dict:
        out = {}
        for spec in self.event.fields:
            value = self.cleaned_data.get(f"f_{spec['name']}")
            if value in (None, ""):
                continue
            if isinstance(value, dt.datetime):
                value = court_wall_time(value)
            if spec["kind"] == "hearing":
                value = {
                    "when": value,
                    "place": self.cleaned_data.get(f"f_{spec['name']}_place", ""),
                }
            out[spec["name"]] = value
        return out


class PaperFilingForm(EventEntryForm):
    party_name = forms.CharField(
        max_length=200, label="Filed by (name as it goes on the docket)"
    )
    party: forms.ModelChoiceField[Party] = forms.ModelChoiceField(
        queryset=None, required=False, label="Filing party in this case (optional)"
    )
    filer_email = forms.EmailField(
        required=False, label="Filer's ECF e-mail, if they have an account (optional)"
    )
    fee_status = forms.ChoiceField(
        choices=[
            (DocketEntry.FeeStatus.PAID, "Paid at the counter"),
            (DocketEntry.FeeStatus.DUE, "Due"),
            (DocketEntry.FeeStatus.INSTALLMENTS, "Installments"),
            (DocketEntry.FeeStatus.WAIVER, "Waiver requested"),
        ],
        label="Fee",
    )

    def __init__(self, *args, event: Event, case: Case, **kwargs):
        super().__init__(*args, event=event, case=case, **kwargs)
        model_choice_field(self, "party").queryset = case.parties.order_by("id")
        if "pdf" in self.fields:
            self.fields["pdf"].label = "Scanned PDF"
        if event.needs_party_against:
            # Not required here: the rule book (filing_problems) says what is missing.
            self.fields["against"] = forms.ModelMultipleChoiceField(
                queryset=case.parties.filter(terminated_on__isnull=True).order_by("id"),
                required=False,
                label="Filed against",
                widget=forms.CheckboxSelectMultiple,
            )

    def clean_filer_email(self):
        from filers.models import User

        email = self.cleaned_data.get("filer_email", "").strip().lower()
        if not email:
            return None
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise forms.ValidationError(
                "No ECF account has that e-mail. Leave it empty for a filer without an account."
            )
        return user


class SignOrderForm(forms.Form):
    event = forms.ModelChoiceField(
        queryset=Event.objects.none(), label="Order", empty_label=None
    )
    disposition = forms.ChoiceField(
        required=False,
        label="Disposition (Order on Motion)",
        choices=[
            ("", "Not needed"),
            *[
                (c, c)
                for c in ("Granting", "Denying", "Granting in Part and Denying in Part")
            ],
        ],
    )

    def __init__(self, *args, motion: DocketEntry, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Event.objects.filter(
            category=EventCategory.ORDER,
            active=True,
            filer_roles__contains=[EventFiler.COURT],
        ).filter(case_types__contains=[motion.case.case_type])
        allowed = [
            e.pk
            for e in qs
            if not e.refer_categories or motion.event.category in e.refer_categories
        ]
        model_choice_field(self, "event").queryset = Event.objects.filter(
            pk__in=allowed
        ).order_by("name")
        self.fields["event"].initial = Event.objects.filter(code="order").first()

    def values(self) -> dict:
        event = self.cleaned_data["event"]
        out = {}
        if any(
            f["name"] == "disposition" for f in event.fields
        ) and self.cleaned_data.get("disposition"):
            out["disposition"] = self.cleaned_data["disposition"]
        return out


class PaperPetitionForm(forms.Form):
    """A petition that came over the counter or by mail (a pro se debtor)."""

    office = forms.ModelChoiceField(queryset=Office.objects.all(), empty_label=None)
    chapter = forms.ChoiceField(
        choices=[(c, f"Chapter {c}") for c in ("7", "11", "12", "13")]
    )
    name = forms.CharField(max_length=200, label="Debtor's full name")
    is_entity = forms.BooleanField(required=False, label="The debtor is a business")
    tax_id = forms.CharField(
        max_length=20,
        label="SSN, ITIN or EIN",
        help_text="Stored encrypted; only the last four digits are shown.",
    )
    address = forms.CharField(max_length=120, label="Street address")
    city = forms.CharField(max_length=80)
    state = forms.CharField(max_length=2, help_text="Two letters, e.g. CA")
    zip_code = forms.CharField(max_length=10, label="ZIP code")
    pdf = forms.FileField(label="Scanned petition (PDF)")
    fee_status = forms.ChoiceField(
        choices=[
            (DocketEntry.FeeStatus.PAID, "Paid at the counter"),
            (DocketEntry.FeeStatus.DUE, "Due"),
            (DocketEntry.FeeStatus.INSTALLMENTS, "Installments"),
            (DocketEntry.FeeStatus.WAIVER, "Waiver requested"),
        ],
        label="Filing fee",
    )

    def clean_pdf(self):
        return validated_pdf(self.cleaned_data["pdf"])

    def clean(self):
        from cases.identifiers import classify_tax_id

        super().clean()
        data = self.cleaned_data
        if data.get("tax_id"):
            try:
                kind, digits = classify_tax_id(
                    data["tax_id"], entity=bool(data.get("is_entity"))
                )
            except ValueError as error:
                self.add_error("tax_id", str(error))
            else:
                data["tax_id_kind"], data["tax_id_digits"] = kind.value, digits
        return data

    def party_data(self):
        from cases.services import PartyData

        data = self.cleaned_data
        return PartyData(
            role=Party.Role.DEBTOR,
            name=data["name"],
            is_entity=bool(data["is_entity"]),
            address_lines=[data["address"]],
            city=data["city"],
            state=data["state"].upper(),
            zip_code=data["zip_code"],
            tax_id_kind=data["tax_id_kind"],
            tax_id_digits=data["tax_id_digits"],
        )
