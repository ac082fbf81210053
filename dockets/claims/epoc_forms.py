"""The public proof-of-claim form (ePOC): Form 410 without a login, with a typed
signature, a redaction acknowledgement, a human check, a honeypot and a one-time
submission token."""

from __future__ import annotations

import secrets

from django import forms
from django.core import signing

from .forms import SUBMISSION_SALT, ClaimForm

HUMAN_SALT = "dockets.claims.epoc.human"
# A question answered later than this was left open too long; ask a new one.
HUMAN_MAX_AGE = 4 * 3600
NUMBER_WORDS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
]


def make_challenge() -> tuple[str, str]:
    """Return (question, signed token) for the ePOC human check."""
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    question = f"What is {NUMBER_WORDS[a]} plus {b}?"
    token = signing.dumps({"a": a + b, "q": question}, salt=HUMAN_SALT)
    return question, token


def question_for(token: str) -> str | None:
    """The question a token was made for (a re-shown form asks the same one), or None."""
    try:
        return str(signing.loads(token, salt=HUMAN_SALT, max_age=HUMAN_MAX_AGE)["q"])
    except (signing.BadSignature, KeyError, TypeError):
        return None


class EpocForm(ClaimForm):
    """The same Form 410 without a login: a typed signature, a redaction acknowledgement,
    a human check, a honeypot, and a one-time submission token (submit twice, file once)."""

    amends = forms.IntegerField(
        label="Claim number this amends",
        required=False,
        min_value=1,
        help_text="Only if this claim amends one already filed in this case (Form 410 question 4).",
    )
    claim_code = forms.CharField(
        label="Claim code of the claim you amend",
        required=False,
        max_length=40,
        help_text=(
            "Printed on the receipt of the original claim filed through ePOC. Without "
            "it, log in as the claim's filer to amend, or leave the claim number empty "
            "to file a new claim."
        ),
    )
    signer_name = forms.CharField(
        label="Your name (your signature)",
        max_length=120,
        help_text="Typing your name is your signature on this proof of claim.",
    )
    signer_title = forms.CharField(
        label="Your title",
        max_length=120,
        required=False,
        help_text="If you sign for a company, e.g. Bankruptcy Specialist.",
    )
    redaction_ack = forms.BooleanField(
        label="I have redacted all but the last 4 digits of any Social Security, taxpayer or account number, "
        "and I declare under penalty of perjury that this claim is true and correct.",
    )
    human_answer = forms.CharField(label="Human check", max_length=20)
    human_token = forms.CharField(widget=forms.HiddenInput)
    submission = forms.CharField(widget=forms.HiddenInput)
    # Honeypot: hidden from people (the wrapper has the `hidden` attribute), filled by bots.
    website = forms.CharField(label="Leave this field empty", required=False)

    free_text_fields = (*ClaimForm.free_text_fields, "signer_name", "signer_title")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "creditor_email"
        ].help_text = "The notice of this claim's filing, with your receipt link, is e-mailed here."

    def clean_human_answer(self) -> str:
        return self.cleaned_data["human_answer"].strip().lower()

    def clean_submission(self) -> str:
        try:
            return signing.loads(self.cleaned_data["submission"], salt=SUBMISSION_SALT)
        except signing.BadSignature:
            raise forms.ValidationError(
                "This form has expired. Reload the page and try again."
            ) from None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError(
                "This form could not be accepted.", code="honeypot"
            )
        token = cleaned.get("human_token") or ""
        try:
            expected = int(
                signing.loads(token, salt=HUMAN_SALT, max_age=HUMAN_MAX_AGE)["a"]
            )
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            self.add_error(
                "human_answer", "The question has expired. Answer the new question."
            )
            return cleaned
        answer = cleaned.get("human_answer", "")
        ok = answer == str(expected) or (
            expected < len(NUMBER_WORDS) and answer == NUMBER_WORDS[expected]
        )
        if answer and not ok:
            self.add_error(
                "human_answer",
                "That is not the right answer. Write the sum as a number, e.g. 7.",
            )
        return cleaned
