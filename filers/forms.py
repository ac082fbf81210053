"""Input shapes for registration, the clerk's decisions, agent links and account details.

Rules live in filers.services; a form turns its UserFacingError into a field error so
the person sees the message beside the field they need to fix. This module is
imported by allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS), so it must not import
allauth's forms.
"""

from django import forms

from core.errors import UserFacingError

from .models import REGISTRABLE_ROLES, Filer, Role, User
from .services import (
    MAX_SECONDARY_EMAILS,
    Registration,
    clean_bar_number,
    clean_state,
    register_filer,
    validate_registration,
)

ROLE_HELP = {
    Role.ATTORNEY: "Admitted to practise in this court; files everything, including new cases.",
    Role.FILING_AGENT: "Staff of an attorney or trustee; files on their behalf once they link you.",
    Role.CREDITOR: "Files proofs of claim, transfers, notices of appearance and other creditor papers.",
    Role.TRUSTEE: "A panel (chapter 7) or standing (chapter 12 or 13) trustee.",
    Role.US_TRUSTEE: "The Office of the United States Trustee.",
    Role.COURT_REPORTER: "Files hearing transcripts.",
    Role.PARTY: "For example a financial-management course provider filing certificates.",
}


def _apply_error(form: forms.Form, error: UserFacingError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


class RegistrationDetailsForm(forms.Form):
    """The role and details a person registers with (everything but the login)."""

    full_name = forms.CharField(
        label="Full name",
        max_length=200,
        help_text="As it should appear on the docket; an organisation may give its name.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    role = forms.ChoiceField(
        label="Role",
        choices=[(r.value, r.label) for r in REGISTRABLE_ROLES],
        widget=forms.RadioSelect,
    )
    bar_number = forms.CharField(
        label="Bar number (attorneys)",
        max_length=20,
        required=False,
        help_text="As on your bar card, for example 123456.",
    )
    bar_state = forms.CharField(
        label="State of bar admission (attorneys)",
        max_length=20,
        required=False,
        help_text="Two letters, for example CA.",
    )
    admitted_in_court = forms.BooleanField(
        label="I am admitted to practise in this court (attorneys)", required=False
    )
    firm = forms.CharField(label="Firm or organisation", max_length=200, required=False)
    address_line1 = forms.CharField(
        label="Street address",
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    address_line2 = forms.CharField(
        label="Address line 2",
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-line2"}),
    )
    city = forms.CharField(
        label="City",
        max_length=80,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    state = forms.CharField(
        label="State",
        max_length=20,
        required=False,
        help_text="Two letters.",
        widget=forms.TextInput(attrs={"autocomplete": "address-level1"}),
    )
    zip_code = forms.CharField(
        label="ZIP code",
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    phone = forms.CharField(
        label="Phone",
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    agreement_accepted = forms.BooleanField(
        label="I accept the e-filing agreement",
        required=False,
        help_text="My login and password are my signature on everything I file, and I "
        "consent to receive notices and service electronically.",
    )

    DETAIL_FIELDS = (
        "full_name",
        "role",
        "bar_number",
        "bar_state",
        "admitted_in_court",
        "firm",
        "address_line1",
        "address_line2",
        "city",
        "state",
        "zip_code",
        "phone",
        "agreement_accepted",
    )

    def role_help(self) -> dict:
        return ROLE_HELP

    def clean_bar_number(self) -> str:
        value = self.cleaned_data.get("bar_number", "")
        if value and self.data.get(self.add_prefix("role")) == Role.ATTORNEY:
            try:
                return clean_bar_number(value)
            except UserFacingError as error:
                raise forms.ValidationError(error.message) from None
        return value

    def clean_bar_state(self) -> str:
        value = self.cleaned_data.get("bar_state", "")
        if value and self.data.get(self.add_prefix("role")) == Role.ATTORNEY:
            try:
                return clean_state(value)
            except UserFacingError as error:
                raise forms.ValidationError(error.message) from None
        return value

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if any(name in self.errors for name in self.DETAIL_FIELDS):
            return cleaned
        try:
            self.registration = validate_registration(self.to_registration())
        except UserFacingError as error:
            _apply_error(self, error)
        return cleaned

    def to_registration(self) -> Registration:
        data = self.cleaned_data
        return Registration(
            role=data.get("role", ""),
            full_name=data.get("full_name", ""),
            agreement_accepted=bool(data.get("agreement_accepted")),
            bar_number=data.get("bar_number", ""),
            bar_state=data.get("bar_state", ""),
            admitted_in_court=bool(data.get("admitted_in_court")),
            firm=data.get("firm", ""),
            address_line1=data.get("address_line1", ""),
            address_line2=data.get("address_line2", ""),
            city=data.get("city", ""),
            state=data.get("state", ""),
            zip_code=data.get("zip_code", ""),
            phone=data.get("phone", ""),
        )


class SignupDetailsForm(RegistrationDetailsForm):
    """allauth's sign-up form adds these fields (ACCOUNT_SIGNUP_FORM_CLASS).

    allauth calls `signup()` only for a new account: a known e-mail address gets the
    same "check your e-mail" page and a message to its owner, and no filer is made.
    """

    def signup(self, request, user: User) -> None:
        register_filer(user=user, data=self.registration)


class AgentLinkForm(forms.Form):
    agent_email = forms.EmailField(
        label="Filing agent's e-mail address",
        help_text="The address the agent registered with.",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    may_pay_fees = forms.BooleanField(
        label="May pay filing fees for me", required=False
    )


class AgentFeesForm(forms.Form):
    may_pay_fees = forms.BooleanField(label="May pay filing fees", required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason (the filer will read this)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class RoleChangeForm(forms.Form):
    role = forms.ChoiceField(
        label="New role", choices=[(r.value, r.label) for r in REGISTRABLE_ROLES]
    )
    reason = forms.CharField(
        label="Reason for the change",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class AccountForm(forms.Form):
    """A filer's own contact details and notice preferences."""

    full_name = forms.CharField(
        label="Full name",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    firm = forms.CharField(label="Firm or organisation", max_length=200, required=False)
    address_line1 = forms.CharField(
        label="Street address", max_length=120, required=False
    )
    address_line2 = forms.CharField(
        label="Address line 2", max_length=120, required=False
    )
    city = forms.CharField(label="City", max_length=80, required=False)
    state = forms.CharField(
        label="State", max_length=20, required=False, help_text="Two letters."
    )
    zip_code = forms.CharField(label="ZIP code", max_length=10, required=False)
    phone = forms.CharField(label="Phone", max_length=30, required=False)
    notice_email = forms.EmailField(
        label="Primary notice e-mail",
        required=False,
        help_text="Where notices of electronic filing go. Leave empty to use your login address.",
    )
    secondary_emails = forms.CharField(
        label="Secondary notice e-mails",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=f"One address per line, at most {MAX_SECONDARY_EMAILS}. They receive a copy of every notice.",
    )
    nef_preference = forms.ChoiceField(
        label="How notices reach you",
        choices=Filer.NefPreference.choices,
        widget=forms.RadioSelect,
    )

    @classmethod
    def initial_for(cls, filer: Filer) -> dict:
        return {
            "full_name": filer.user.full_name,
            **{
                name: getattr(filer, name)
                for name in cls.base_fields
                if hasattr(filer, name)
            },
            "secondary_emails": "\n".join(filer.secondary_emails),
        }

    def clean_secondary_emails(self) -> list[str]:
        raw = self.cleaned_data.get("secondary_emails", "")
        emails = [
            line.strip() for line in raw.replace(",", "\n").splitlines() if line.strip()
        ]
        if len(emails) > MAX_SECONDARY_EMAILS:
            raise forms.ValidationError(
                f"List at most {MAX_SECONDARY_EMAILS} addresses."
            )
        field = forms.EmailField()
        for email in emails:
            try:
                field.clean(email)
            except forms.ValidationError:
                raise forms.ValidationError(
                    f"{email} is not a valid e-mail address."
                ) from None
        return emails

    def clean_state(self) -> str:
        value = self.cleaned_data.get("state", "")
        if value:
            try:
                return clean_state(value, field="state")
            except UserFacingError as error:
                raise forms.ValidationError(error.message) from None
        return value

    def details(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "full_name"}


def apply_service_error(form: forms.Form, error: UserFacingError) -> None:
    """Show a service's refusal on the form (on its field when the form has it)."""
    _apply_error(form, error)
