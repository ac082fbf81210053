"""Forms of the filing wizard: input shape and field checks only (no writes).

Choices are always built from what this filer may pick in this case, so a forged
POST (an event the role may not file, a party or entry of another case) fails
validation with a plain message and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.db.models import QuerySet

from cases.models import Case, Party
from cases.numbers import parse_case_number
from cases.permissions import FILER_ADDABLE_PARTY_ROLES
from core import clock
from core.compiled_lookup import CompiledLookup
from core.formfields import choice_field, label_choices, model_choice_field
from filers.models import User

from . import wizard

FORGED = "That choice is not available in this case. Pick again from the list."


class StrictMultipleChoice(forms.ModelMultipleChoiceField):
    default_error_messages = {"invalid_choice": FORGED, "invalid_pk_value": FORGED}


class ReadAheadMultipleChoice(StrictMultipleChoice):
    """A StrictMultipleChoice whose posted rows its form read beforehand (`rows`:
    str(pk) -> row, read from the rows the field's queryset offers), so fields that
    offer the same rows ask the database once. A value not among them is refused as
    the queryset would refuse it; without `rows` it checks as StrictMultipleChoice."""

    rows: dict[str, Any] | None = None

    def _check_values(self, value):
        if self.rows is None:
            return super()._check_values(value)  # type: ignore[misc]  # not in the stubs
        try:
            value = frozenset(value)
        except TypeError:
            raise forms.ValidationError(
                self.error_messages["invalid_list"], code="invalid_list"
            ) from None
        for pk in value:
            self.validate_no_null_characters(pk)
        for pk in value:
            if str(pk) not in self.rows:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return sorted((self.rows[str(pk)] for pk in value), key=lambda r: r.pk)


def posted_ids(data, *names: str) -> list[int]:
    """The whole numbers posted under `names` that can be row ids (others are left
    for the field to refuse)."""
    getlist = getattr(data, "getlist", None)
    if getlist is None:
        return []
    ids = set()
    for name in names:
        for value in getlist(name):
            if isinstance(value, str) and value.isascii() and value.isdigit():
                number = int(value)
                if 0 < number < 2**63:
                    ids.add(number)
    return sorted(ids)


class CaseForm(forms.Form):
    """Step 1: the case number (and, for a filing agent, the attorney filed for)."""

    case_number = forms.CharField(
        label="Case number",
        max_length=40,
        help_text="For example 24-01234 or 3:24-bk-01234. The case name is shown next, to confirm.",
    )

    def __init__(self, *args, user: User | None = None, principals=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.case: Case | None = None  # the case found by clean_case_number
        self.user = user
        if principals is not None:
            self.fields["principal"] = forms.ChoiceField(
                label="Filing for attorney",
                choices=[("", "Choose the attorney")]
                + [(str(p.pk), p.get_full_name()) for p in principals],
                help_text="A filing agent files under the signature of an attorney it works for.",
                error_messages={"invalid_choice": FORGED},
            )
            self.order_fields(["principal", "case_number"])
            self._principals = {str(p.pk): p for p in principals}

    def clean_principal(self):
        value = self.cleaned_data["principal"]
        if value not in self._principals:
            raise forms.ValidationError(FORGED)
        return self._principals[value]

    def clean_case_number(self):
        text = self.cleaned_data["case_number"]
        query = parse_case_number(text)
        if query is None:
            raise forms.ValidationError(
                "That is not a case number. Type it like 24-01234 or 3:24-bk-01234."
            )
        found = cases_by_number(self.user, query)
        if not found:
            raise forms.ValidationError(
                f"No case {text.strip()} was found in this court."
            )
        if len(found) > 1:
            raise forms.ValidationError(
                "More than one case has that number: add the office, e.g. 3:24-bk-01234."
            )
        self.case = found[0]
        return text


def case_number_query(
    *, shape: str, year: int, number: int, office: int, case_type: str
) -> QuerySet[Case]:
    """At most two cases with this number, the office and the case type only when
    typed (`shape` has "+office", "+type"), as cases_visible_to gives them where it
    shows every case (on live)."""
    cases = Case.objects.filter(year=year, number=number)
    if "+office" in shape:
        cases = cases.filter(office__number=office)
    if "+type" in shape:
        cases = cases.filter(case_type=case_type)
    return cases.select_related("office", "judge")[:2]


# The start of every filing looks its case up: compiled once per process and shape.
_CASES_BY_NUMBER = CompiledLookup(
    case_number_query,
    {
        "year": 32001,  # the fields' ranges hold these; no case number parses to them
        "number": 2_147_480_001,
        "office": 32002,
        "case_type": "ecf-placeholder-case-type",
    },
    optional=frozenset({"office", "case_type"}),
)


def cases_by_number(user: User | None, query) -> list[Case]:
    """The cases (at most two) `query` names that `user` may see: cases_visible_to
    (user) filtered by the number's parts."""
    from cases.selectors import cases_visible_to, training_case_q

    if training_case_q(user):
        # The training instance's own scope: asked through the ORM.
        cases = cases_visible_to(user).filter(year=query.year, number=query.number)
        if query.office is not None:
            cases = cases.filter(office__number=query.office)
        if query.case_type:
            cases = cases.filter(case_type=query.case_type)
        return list(cases.select_related("office", "judge")[:2])
    shape = "live"
    if query.office is not None:
        shape += "+office"
    if query.case_type:
        shape += "+type"
    return _CASES_BY_NUMBER.all(
        shape,
        year=query.year,
        number=query.number,
        office=query.office,
        case_type=query.case_type,
    )


class EventsForm(forms.Form):
    events = ReadAheadMultipleChoice(
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        label="Events",
        error_messages={"required": "Choose at least one event."},
    )

    def __init__(self, *args, allowed, **kwargs):
        """`allowed`: the events offered; None accepts any active event (the caller
        then checks each chosen one with rules.can_file_event)."""
        super().__init__(*args, **kwargs)
        from ..models import Event

        events = Event.objects.filter(active=True)
        if allowed is not None:
            events = events.filter(pk__in=[e.pk for e in allowed])
        model_choice_field(self, "events").queryset = events.order_by(
            "category", "name"
        )
        field = self.fields["events"]
        if self.is_bound and isinstance(field, ReadAheadMultipleChoice):
            # The posted events, checked against the events offered: those already
            # read (allowed), else the active events among the posted ids, read once.
            chosen = (
                wizard.active_events(posted_ids(self.data, "events"))
                if allowed is None
                else [e for e in allowed if e.active]
            )
            field.rows = {str(e.pk): e for e in chosen}


class PartiesForm(forms.Form):
    """Joint filers, the party filed for (or a new one), and the party filed against."""

    joint = forms.BooleanField(
        label="Joint filing with other attorney(s)", required=False
    )
    joint_attorneys = StrictMultipleChoice(
        queryset=None,
        required=False,
        label="Co-filing attorneys",
        widget=forms.CheckboxSelectMultiple,
    )
    parties = ReadAheadMultipleChoice(
        queryset=None,
        required=False,
        label="Filing for",
        widget=forms.CheckboxSelectMultiple,
    )
    new_party_name = forms.CharField(
        label="Or add a new party: name", required=False, max_length=200
    )
    new_party_role = forms.ChoiceField(
        label="New party's role",
        required=False,
        choices=[("", "Choose a role"), *Party.Role.choices],
    )

    def __init__(
        self,
        *args,
        case: Case,
        attorneys,
        needs_against: bool,
        party_required: bool,
        any_party_role: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        if not any_party_role:
            # Debtors, trustees and the U.S. Trustee come from case opening and the clerk.
            choice_field(self, "new_party_role").choices = [
                ("", "Choose a role"),
                *[c for c in Party.Role.choices if c[0] in FILER_ADDABLE_PARTY_ROLES],
            ]
            self.fields["new_party_role"].help_text = (
                "You may add creditors and other interested parties. Ask the clerk's "
                "office to add a debtor, trustee or the U.S. Trustee."
            )
        parties = wizard.case_parties(case)
        model_choice_field(self, "parties").queryset = parties
        model_choice_field(self, "joint_attorneys").queryset = attorneys
        label_choices(self, "joint_attorneys", lambda u: u.get_full_name())
        self.party_required = party_required
        if needs_against:
            self.fields["against"] = ReadAheadMultipleChoice(
                queryset=parties,
                label="Filed against",
                widget=forms.CheckboxSelectMultiple,
                error_messages={"required": "Choose the party this filing is against."},
            )
        if self.is_bound:
            # The parties filed for and against, read in one statement (the rows
            # case_parties offers both fields).
            rows: dict[str, Any] = {
                str(p.pk): p
                for p in wizard.chosen_parties(
                    case, posted_ids(self.data, "parties", "against")
                )
            }
            for name in ("parties", "against"):
                field = self.fields.get(name)
                if isinstance(field, ReadAheadMultipleChoice):
                    field.rows = rows

    def clean(self):
        super().clean()
        data = self.cleaned_data
        name, role = (
            data.get("new_party_name", "").strip(),
            data.get("new_party_role", ""),
        )
        if name and not role:
            self.add_error("new_party_role", "Choose the new party's role.")
        if role and not name:
            self.add_error("new_party_name", "Type the new party's name.")
        if self.party_required and not data.get("parties") and not name:
            raise forms.ValidationError(
                "Choose the party you are filing for, or add a new one."
            )
        if data.get("joint") and not data.get("joint_attorneys"):
            self.add_error(
                "joint_attorneys",
                "Choose the attorneys filing with you, or untick joint filing.",
            )
        return data


class UploadForm(forms.Form):
    main = forms.FileField(
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
        label="Main document (PDF)",
        required=False,
    )
    attachment = forms.FileField(
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
        label="Attachment (PDF)",
        required=False,
    )
    attachment_type = forms.ChoiceField(
        label="Attachment type",
        required=False,
        choices=[("", "Choose a type")] + [(t, t) for t in wizard.ATTACHMENT_TYPES],
    )
    attachment_description = forms.CharField(
        label="Attachment description",
        required=False,
        max_length=150,
        help_text="For example \u201cExhibit A Deed of Trust\u201d.",
    )

    def __init__(self, *args, attachments_allowed: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not attachments_allowed:
            for name in ("attachment", "attachment_type", "attachment_description"):
                del self.fields[name]

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("attachment") and not (
            data.get("attachment_type")
            or data.get("attachment_description", "").strip()
        ):
            self.add_error(
                "attachment_type",
                "Choose a type or type a description for the attachment.",
            )
        return data


class RelatedForm(forms.Form):
    related = StrictMultipleChoice(
        queryset=None,
        required=False,
        label="Include",
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "related").queryset = entries
        label_choices(
            self,
            "related",
            lambda e: f"{e.number} {e.event.name} (filed {e.filed_date:%m/%d/%Y})",
        )


class HearingWidget(forms.MultiWidget):
    def __init__(self):
        super().__init__(
            [
                forms.DateTimeInput(
                    attrs={
                        "type": "datetime-local",
                        "aria-label": "Hearing date and time",
                    }
                ),
                forms.TextInput(attrs={"aria-label": "Hearing place (courtroom)"}),
            ]
        )

    def decompress(self, value):
        if isinstance(value, dict):
            return [value.get("at", ""), value.get("location", "")]
        return ["", ""]


class HearingField(forms.MultiValueField):
    widget = HearingWidget

    def __init__(self, **kwargs):
        fields = (
            forms.DateTimeField(
                required=False, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
            ),
            forms.CharField(required=False, max_length=120),
        )
        super().__init__(fields=fields, require_all_fields=False, **kwargs)

    def compress(self, values):
        if not values or not values[0]:
            return None
        return {
            "at": values[0].replace(tzinfo=None).isoformat(timespec="minutes"),
            "location": values[1] or "",
        }


class FieldsForm(forms.Form):
    """The events' own fields (deadlines default as the catalogue says, e.g. 14 days to object)."""

    def __init__(self, *args, specs: list[dict], values: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.specs = {s["name"]: s for s in specs}
        for spec in specs:
            self.fields[spec["name"]] = self._field(spec)
            value = values.get(spec["name"])
            # A default deadline is shown only by an unbound form: a posted form shows
            # what was posted (and the court calendar is not read for it).
            if (
                value in (None, "")
                and spec.get("default_days") is not None
                and not self.is_bound
            ):
                value = wizard.today_plus(spec["default_days"])
            if value is not None and value != "":
                self.initial[spec["name"]] = (
                    value if spec["kind"] != "money" else f"{int(value) / 100:.2f}"
                )

    @staticmethod
    def _field(spec: dict) -> forms.Field:
        kind, label, required = spec["kind"], spec["label"], spec.get("required", True)
        choices = [("", "Choose")] + [(c, c) for c in spec.get("choices", [])]
        if kind == "date":
            return forms.DateField(
                label=label,
                required=required,
                widget=forms.DateInput(attrs={"type": "date"}),
                help_text="Month, day and year.",
            )
        if kind == "datetime":
            return forms.DateTimeField(
                label=label,
                required=required,
                widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
            )
        if kind == "hearing":
            return HearingField(
                label=label,
                required=required,
                help_text="Date and time, then the courtroom.",
            )
        if kind == "money":
            return forms.CharField(
                label=label,
                required=required,
                max_length=20,
                help_text="Dollars, e.g. 1250.00",
            )
        if kind == "bool":
            return forms.BooleanField(label=label, required=False)
        if kind == "days":
            return forms.IntegerField(
                label=label, required=required, min_value=0, max_value=3650
            )
        if kind == "nature_of_suit":
            from ..catalogue_data import NATURE_OF_SUIT

            return forms.ChoiceField(
                label=label,
                required=required,
                choices=[("", "Choose")] + [(c, f"{c} {t}") for c, t in NATURE_OF_SUIT],
            )
        if spec.get("choices"):
            return forms.ChoiceField(label=label, required=required, choices=choices)
        if kind == "chapter":
            return forms.ChoiceField(
                label=label,
                required=required,
                choices=[("", "Choose")] + [(c, c) for c in ("7", "11", "12", "13")],
            )
        return forms.CharField(label=label, required=required, max_length=200)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        for name, spec in self.specs.items():
            value = data.get(name)
            if spec["kind"] == "money" and value:
                try:
                    cents = int(
                        (
                            Decimal(str(value).replace(",", "").replace("$", "")) * 100
                        ).to_integral_value()
                    )
                except InvalidOperation:
                    self.add_error(name, "Type an amount in dollars, e.g. 1250.00")
                    continue
                if cents < 0:
                    self.add_error(name, "The amount cannot be negative.")
                data[name] = cents
            elif spec["kind"] == "date" and value:
                if spec["name"] == "objection_deadline" and value < clock.today():
                    self.add_error(
                        name, "The last day to object cannot be in the past."
                    )
                data[name] = value.isoformat()
            elif spec["kind"] == "datetime" and value:
                data[name] = value.replace(tzinfo=None).isoformat(timespec="minutes")
            if spec["kind"] == "hearing" and spec.get("required", True) and not value:
                self.add_error(name, "Give the hearing's date and time.")
        return data


class FeeForm(forms.Form):
    pay = forms.ChoiceField(
        label="When will you pay?",
        widget=forms.RadioSelect,
        choices=[
            ("now", "Pay now"),
            ("later", "Pay later today (from Internet payments due)"),
        ],
        initial="now",
    )

    def __init__(self, *args, child_support_allowed: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if child_support_allowed:
            self.fields["child_support"] = forms.BooleanField(
                label="I am filing for a child-support creditor (no fee is charged)",
                required=False,
            )


class ReviewForm(forms.Form):
    def __init__(
        self, *args, has_findings: bool, repairs: list[tuple[int, dict]], **kwargs
    ):
        super().__init__(*args, **kwargs)
        for index, doc in repairs:
            label = "Use the repaired copy" + (
                " (required: the original cannot be filed)"
                if doc["must_repair"]
                else ""
            )
            self.fields[f"repair_{index}"] = forms.BooleanField(
                label=f"{label} of {doc['filename']}", required=False
            )
        if has_findings:
            self.fields["acknowledged"] = forms.BooleanField(
                label="I have reviewed these warnings",
                required=True,
                error_messages={
                    "required": "Tick \u201cI have reviewed these warnings\u201d to file."
                },
            )


class CardForm(forms.Form):
    name = forms.CharField(label="Name on card", max_length=100)
    card_number = forms.CharField(
        label="Card number",
        max_length=23,
        help_text="Test cards: 4111 1111 1111 1111 "
        "(approved) or 4000 0000 0000 0002 (declined).",
    )

    def clean_card_number(self):
        digits = "".join(c for c in self.cleaned_data["card_number"] if c.isdigit())
        if len(digits) < 12:
            raise forms.ValidationError("Type the whole card number.")
        return digits


def date_display(value: str) -> str:
    try:
        return dt.date.fromisoformat(value).strftime("%m/%d/%Y")
    except (TypeError, ValueError):
        return value or ""
