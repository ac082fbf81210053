"""The token-creation form: name, scopes, lifetime and a current authenticator code."""

from django import forms

from filers.models import User

from .models import ApiToken
from .services import MAX_TOKEN_DAYS


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, help_text="For example the name of your petition software."
    )
    scopes = forms.MultipleChoiceField(
        choices=ApiToken.Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="What the token may do. Reading public dockets needs no token.",
        error_messages={"required": "Choose at least one scope."},
    )
    days = forms.IntegerField(
        label="Expires after (days)",
        min_value=1,
        max_value=MAX_TOKEN_DAYS,
        initial=90,
    )
    code = forms.CharField(
        label="Authenticator code",
        max_length=12,
        help_text="The 6-digit code your authenticator app shows now.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_code(self) -> str:
        from allauth.mfa.models import Authenticator

        code = self.cleaned_data["code"].strip().replace(" ", "")
        authenticator = Authenticator.objects.filter(
            user=self.user, type=Authenticator.Type.TOTP
        ).first()
        if authenticator is None:
            raise forms.ValidationError(
                "Set up two-factor authentication before making an API token."
            )
        # Authenticator.wrap() is allauth's public door to the TOTP check (its own
        # forms use it); it refuses a code already used in this period.
        if not authenticator.wrap().validate_code(code):
            raise forms.ValidationError(
                "That code is not correct or was already used. Enter the code your app shows now."
            )
        return code
