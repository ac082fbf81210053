"""Input shape for the clerk's screens. No writes here: views pass cleaned data to
dockets.clerk.services."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import tempfile

from django import forms
from django.utils import timezone

from cases.models import Case, Judge, Office
from cases.numbers import parse_case_number
from core import clock
from core.formfields import choice_field, label_choices, model_choice_field

from ..catalogue_data import DEFICIENCY_KINDS, EventCategory
from ..models import DocketEntry, Document, Event, Visibility
from ..services import UploadedDocument
from .services import CORRECTIONS, DEFAULT_CURE_DAYS, ESCALATION_EVENTS, MAX_TEXT


def validated_pdf(upload, *, description: str = "Main Document") -> UploadedDocument:
    """Check an uploaded PDF in the sandbox; raise ValidationError with the plain reason.

    The caller deletes the temporary file (UploadedDocument.path) when done.
    """
    from ..uploads import UploadRefused, validated_upload

    fd, path = tempfile.mkstemp(prefix="ecf-clerk-", suffix=".pdf")
    os.close(fd)
    try:
        with validated_upload(upload, needs_signature=False) as checked:
            shutil.copyfile(checked.path, path)
            document = checked.as_document(description=description)
    except UploadRefused as refused:
        os.unlink(path)
        raise forms.ValidationError(refused.message) from refused
    document.path = path
    return document


def court_wall_time(value: dt.datetime | None) -> dt.datetime | None:
    """Read a typed date and time as the court's local time (the form field gave it
    Django's time zone)."""
    if value is None:
        return None
    if timezone.is_aware(value):
        value = timezone.make_naive(value)
    return value.replace(tzinfo=clock.court_tz())


def cleanup(*uploads) -> None:
    for upload in uploads:
        if isinstance(upload, UploadedDocument):
            with contextlib.suppress(OSError):
                os.unlink(upload.path)


class QcFilterForm(forms.Form):
    status = forms.ChoiceField(
        choices=[*DocketEntry.QcStatus.choices, ("all", "All")],
        required=False,
        initial="pending",
    )
    office = forms.ModelChoiceField(
        queryset=Office.objects.all(), required=False, empty_label="Any office"
    )
    chapter = forms.ChoiceField(
        choices=[("", "Any chapter"), *Case.Chapter.choices], required=False
    )
    judge = forms.ModelChoiceField(
        queryset=Judge.objects.filter(active=True),
        required=False,
        empty_label="Any judge",
    )
    case = forms.CharField(
        required=False, max_length=40, label="Case number", help_text="e.g. 26-00001"
    )
    event = forms.CharField(
        required=False,
        max_length=60,
        label="Event (code or words)",
        help_text="e.g. nmrp or Relief from Stay",
    )
    filer = forms.CharField(
        required=False, max_length=200, label="Filer name or e-mail"
    )
    older_than_days = forms.IntegerField(
        required=False, min_value=0, max_value=3650, label="Older than (days)"
    )


class NoteForm(forms.Form):
    note = forms.CharField(required=False, max_length=500, label="Note (optional)")


class CorrectiveForm(forms.Form):
    correction = forms.ChoiceField(choices=[(c, c) for c in CORRECTIONS])
    note = forms.CharField(
        required=False, max_length=500, label="Note to filer (goes on the docket)"
    )


class EnteredInErrorForm(forms.Form):
    reason = forms.CharField(
        max_length=300,
        label="Reason (goes on the docket)",
        help_text="e.g. Incorrect document attached to entry",
    )


class ModifyTextForm(forms.Form):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_TEXT,
        label="Docket text",
    )
    reason = forms.CharField(
        required=False, max_length=300, label="Reason for the change"
    )


class ReplaceDocumentForm(forms.Form):
    document = forms.ModelChoiceField(
        queryset=Document.objects.none(), label="Document to replace"
    )
    upload = forms.FileField(label="Corrected PDF")
    reason = forms.CharField(
        max_length=300, label="Reason", help_text="e.g. Incorrect PDF attached"
    )

    def __init__(self, *args, entry: DocketEntry, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "document").queryset = entry.documents.filter(
            replaced=False
        ).order_by("sequence", "id")
        label_choices(
            self, "document", lambda d: f"{d.description} ({d.original_filename})"
        )

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        return validated_pdf(upload) if upload else None


class StrikeForm(forms.Form):
    order = forms.ModelChoiceField(
        queryset=DocketEntry.objects.none(), label="Order directing the strike"
    )

    def __init__(self, *args, entry: DocketEntry, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "order").queryset = (
            DocketEntry.objects.filter(
                case_id=entry.case_id, event__category=EventCategory.ORDER
            )
            .exclude(pk=entry.pk)
            .order_by("-seq")
        )
        label_choices(self, "order", lambda e: f"#{e.number or '-'} {e.text[:90]}")


class MoveForm(forms.Form):
    case_number = forms.CharField(
        max_length=40,
        label="Right case number",
        help_text="e.g. 24-01234 or 3:24-bk-01234",
    )

    def clean_case_number(self):
        raw = self.cleaned_data["case_number"]
        query = parse_case_number(raw)
        if query is None:
            raise forms.ValidationError(
                "That is not a case number. Write it like 24-01234 or 3:24-bk-01234."
            )
        qs = Case.objects.filter(year=query.year, number=query.number)
        if query.case_type:
            qs = qs.filter(case_type=query.case_type)
        if query.office:
            qs = qs.filter(office__number=query.office)
        cases = list(qs[:2])
        if not cases:
            raise forms.ValidationError(f"No case {raw} exists.")
        if len(cases) > 1:
            raise forms.ValidationError(
                "More than one case has that number; add the office, e.g. 3:24-bk-01234."
            )
        return cases[0]


class CaseLookupForm(MoveForm):
    """Find a case by number, to act on it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_number"].label = "Case number"


VISIBILITY_HELP = (
    "Restricted: case participants and court users. Court only: court users. Sealed: court users; the docket "
    "shows SEALED. Ex parte: court users and the filer until the date below (default tomorrow), then public."
)


class EntryVisibilityForm(forms.Form):
    visibility = forms.ChoiceField(
        choices=Visibility.choices, label="Access", help_text=VISIBILITY_HELP
    )
    visible_from = forms.DateField(
        required=False,
        label="Opens to the public on (optional)",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="For ex parte or time-limited restrictions.",
    )
    reason = forms.CharField(
        max_length=300, label="Reason", help_text="e.g. Order #45, FRBP 9037(h)"
    )


class DocumentVisibilityForm(forms.Form):
    document = forms.ModelChoiceField(
        queryset=Document.objects.none(), label="Document"
    )
    visibility = forms.ChoiceField(
        choices=[("", "Same as the entry"), *Visibility.choices],
        required=False,
        label="Access",
    )
    reason = forms.CharField(max_length=300, label="Reason for the document's access")

    def __init__(self, *args, entry: DocketEntry, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "document").queryset = entry.documents.order_by(
            "sequence", "id"
        )
        label_choices(
            self, "document", lambda d: f"{d.description} ({d.original_filename})"
        )


class SealAllowanceForm(forms.Form):
    """Who the sealing order lets read a sealed entry: a participant of the case, or a
    registered account by e-mail (exactly one)."""

    participant = forms.TypedChoiceField(
        coerce=int,
        required=False,
        empty_value=None,
        label="A participant of this case",
        help_text="Attorneys of record and the parties' own accounts.",
    )
    email = forms.EmailField(
        required=False,
        label="Or the e-mail of a registered ECF account",
    )
    reason = forms.CharField(
        max_length=300,
        label="Order naming this person",
        help_text="e.g. Order #45 granting the motion to seal",
    )

    def __init__(self, *args, candidates: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "participant").choices = [("", "(none chosen)"), *candidates]

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if bool(data.get("participant")) == bool(data.get("email")):
            raise forms.ValidationError(
                "Choose a participant or give an e-mail address, not both and not neither."
            )
        return data


class SealRevokeForm(forms.Form):
    allowance = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(max_length=300, label="Reason for removing")


DEFICIENCY_EVENTS = ("defntc", "ccdef", "adddef")


class DeficiencyForm(forms.Form):
    event = forms.ModelChoiceField(
        queryset=Event.objects.none(), label="Notice", empty_label=None
    )
    kind = forms.ChoiceField(choices=DEFICIENCY_KINDS, label="Deficiency")
    cure_by = forms.DateField(
        label="Cure by", widget=forms.DateInput(attrs={"type": "date"})
    )
    entry = forms.ModelChoiceField(
        queryset=DocketEntry.objects.none(),
        required=False,
        label="Deficient entry (optional)",
    )
    details = forms.CharField(
        required=False, max_length=500, label="Details (go on the docket)"
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "event").queryset = Event.objects.filter(
            code__in=DEFICIENCY_EVENTS, active=True
        ).order_by("code")
        self.fields["event"].initial = Event.objects.filter(code="defntc").first()
        self.fields["cure_by"].initial = clock.today() + dt.timedelta(
            days=DEFAULT_CURE_DAYS
        )
        model_choice_field(self, "entry").queryset = (
            DocketEntry.objects.filter(case=case)
            .select_related("event")
            .order_by("-seq")
        )
        label_choices(
            self, "entry", lambda e: f"#{e.number or '-'} {e.event.name}"[:120]
        )

    def clean_cure_by(self):
        value = self.cleaned_data["cure_by"]
        if value <= clock.today():
            raise forms.ValidationError("The cure date must be after today.")
        return value


class EscalateForm(forms.Form):
    event = forms.ChoiceField(
        choices=[
            ("osc", "Order to Show Cause (BNC)"),
            ("ordism", "Order Dismissing Case (BNC)"),
        ],
        label="Order",
    )
    cause = forms.CharField(
        required=False, max_length=300, label="Show cause why (order to show cause)"
    )
    response_deadline = forms.DateField(
        required=False,
        label="Responses due",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    hearing_at = forms.DateTimeField(
        required=False,
        label="Hearing date and time",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    hearing_place = forms.CharField(
        required=False, max_length=150, label="Hearing place"
    )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("event") == "osc":
            missing = [
                label
                for key, label in (
                    ("cause", "show cause why"),
                    ("response_deadline", "responses due"),
                    ("hearing_at", "hearing date"),
                )
                if not data.get(key)
            ]
            if missing:
                raise forms.ValidationError(
                    "An order to show cause needs: " + ", ".join(missing) + "."
                )
        return data

    def values(self) -> dict:
        data = self.cleaned_data
        if data["event"] not in ESCALATION_EVENTS or data["event"] != "osc":
            return {}
        when = data["hearing_at"]
        when = court_wall_time(when)
        return {
            "cause": data["cause"],
            "response_deadline": data["response_deadline"],
            "hearing": {"when": when, "place": data["hearing_place"]},
        }
