"""The public proof-of-claim form (ePOC): Form 410 without a login, with a typed
signature, a redaction acknowledgement, a human check, a honeypot and a one-time
submission token."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from typing import TYPE_CHECKING

from django import forms
from django.core import signing
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from .forms import SUBMISSION_SALT, ClaimForm

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

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


# The same numbers in Spanish: a question asked in Spanish may be answered in words.
NUMBER_WORDS_ES = [
    "cero",
    "uno",
    "dos",
    "tres",
    "cuatro",
    "cinco",
    "seis",
    "siete",
    "ocho",
    "nueve",
    "diez",
    "once",
    "doce",
    "trece",
    "catorce",
    "quince",
    "dieciséis",
    "diecisiete",
    "dieciocho",
]


def _question(a: int, b: int) -> str:
    """The human-check question in the reader's language."""
    words = NUMBER_WORDS_ES if get_language() == "es" else NUMBER_WORDS
    return gettext("What is %(a)s plus %(b)s?") % {"a": words[a], "b": b}


def make_challenge() -> tuple[str, str]:
    """Return (question, signed token) for the ePOC human check."""
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    token = signing.dumps({"a": a + b, "x": a, "y": b}, salt=HUMAN_SALT)
    return _question(a, b), token


def question_for(token: str) -> str | None:
    """The question a token was made for (a re-shown form asks the same one), or None."""
    try:
        values = signing.loads(token, salt=HUMAN_SALT, max_age=HUMAN_MAX_AGE)
        return _question(int(values["x"]), int(values["y"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError, IndexError):
        return None


# The ePOC questions answered only after the filer has read the Form 410 that will be
# filed (the review page): the signature, the declaration and the human check.
SIGN_FIELDS = ("signer_name", "signer_title", "redaction_ack", "human_answer")
REVIEW_SALT = "dockets.claims.epoc.review"


class EpocForm(ClaimForm):
    """The same Form 410 without a login: a typed signature, a redaction acknowledgement,
    a human check, a honeypot, and a one-time submission token (submit twice, file once).

    Two steps. The answers first; then the review page shows the English Form 410 they
    make and asks for the signature. `reviewed` carries a signed digest of the answers
    the review page showed (and of `review_scope`: the case and the files kept), so a
    claim is signed and filed only after its Form 410 was shown, and only as shown.
    After cleaning, `signing` says whether this submission signs (else: show the review).
    """

    amends = forms.IntegerField(
        label=_("Claim number this amends"),
        required=False,
        min_value=1,
        help_text=_(
            "Only if this claim amends one already filed in this case (Form 410 question 4)."
        ),
    )
    claim_code = forms.CharField(
        label=_("Claim code of the claim you amend"),
        required=False,
        max_length=40,
        help_text=_(
            "Printed on the receipt of the original claim filed through ePOC. Without "
            "it, log in as the claim's filer to amend, or leave the claim number empty "
            "to file a new claim."
        ),
    )
    signer_name = forms.CharField(
        label=_("Your name (your signature)"),
        max_length=120,
        help_text=_("Typing your name is your signature on this proof of claim."),
    )
    signer_title = forms.CharField(
        label=_("Your title"),
        max_length=120,
        required=False,
        help_text=_("If you sign for a company, e.g. Bankruptcy Specialist."),
    )
    redaction_ack = forms.BooleanField(
        label=_(
            "I have redacted all but the last 4 digits of any Social Security, taxpayer or account number, "
            "and I declare under penalty of perjury that this claim is true and correct."
        ),
    )
    human_answer = forms.CharField(label=_("Human check"), max_length=20)
    human_token = forms.CharField(widget=forms.HiddenInput)
    submission = forms.CharField(widget=forms.HiddenInput)
    # Honeypot: hidden from people (the wrapper has the `hidden` attribute), filled by bots.
    website = forms.CharField(label=_("Leave this field empty"), required=False)
    reviewed = forms.CharField(widget=forms.HiddenInput, required=False)

    free_text_fields = (*ClaimForm.free_text_fields, "signer_name", "signer_title")
    # Not answers of Form 410: never carried into the review digest.
    _not_answers = (*SIGN_FIELDS, "website", "human_token", "submission", "reviewed")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["creditor_email"].help_text = _(
            "The notice of this claim's filing, with your receipt link, is e-mailed here."
        )
        # Required only when signing (clean): the answers step does not ask them.
        self.sign_required = {name: self.fields[name].required for name in SIGN_FIELDS}
        for name in SIGN_FIELDS:
            self.fields[name].required = False
        self.review_scope = ""
        self.signing = False

    def groups(self) -> list[tuple[StrOrPromise, list]]:
        """The answers step: every visible field but the signature and the honeypot."""
        out: list[tuple[StrOrPromise, list]] = []
        for legend, fields in super().groups():
            kept = [f for f in fields if f.name not in (*SIGN_FIELDS, "website")]
            if kept:
                out.append((legend, kept))
        return out

    def answer_fields(self) -> list:
        """The answers, carried as hidden fields by the review page."""
        return [
            self[name]
            for name in self.fields
            if name not in (*self._not_answers, "attachments")
        ]

    def sign_fields(self) -> list:
        return [self[name] for name in (*SIGN_FIELDS, "website")]

    def review_digest(self) -> str:
        """SHA-256 of the answers as cleaned, and of `review_scope`."""
        answers = {
            name: value.replace("\r\n", "\n") if isinstance(value, str) else value
            for name, value in self.cleaned_data.items()
            if name not in (*self._not_answers, "attachments")
        }
        blob = json.dumps(
            {"scope": self.review_scope, "answers": answers},
            sort_keys=True,
            default=str,
        )
        return hashlib.sha256(blob.encode()).hexdigest()

    def review_token(self) -> str:
        return signing.dumps(self.review_digest(), salt=REVIEW_SALT)

    def _was_reviewed(self, token: str) -> bool:
        try:
            shown = signing.loads(token, salt=REVIEW_SALT, max_age=HUMAN_MAX_AGE)
        except signing.BadSignature:
            return False
        return hmac.compare_digest(str(shown), self.review_digest())

    def clean_human_answer(self) -> str:
        return self.cleaned_data["human_answer"].strip().lower()

    def clean_submission(self) -> str:
        try:
            return signing.loads(self.cleaned_data["submission"], salt=SUBMISSION_SALT)
        except signing.BadSignature:
            raise forms.ValidationError(
                _("This form has expired. Reload the page and try again.")
            ) from None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError(
                _("This form could not be accepted."), code="honeypot"
            )
        if self.errors or not self._was_reviewed(cleaned.get("reviewed") or ""):
            return cleaned  # the answers step, or its errors
        self.signing = True
        for name, required in self.sign_required.items():
            if required and not cleaned.get(name):
                self.add_error(name, self.fields[name].error_messages["required"])
        token = cleaned.get("human_token") or ""
        try:
            expected = int(
                signing.loads(token, salt=HUMAN_SALT, max_age=HUMAN_MAX_AGE)["a"]
            )
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            self.add_error(
                "human_answer", _("The question has expired. Answer the new question.")
            )
            return cleaned
        answer = cleaned.get("human_answer", "")
        ok = answer == str(expected) or (
            expected < len(NUMBER_WORDS)
            and answer in (NUMBER_WORDS[expected], NUMBER_WORDS_ES[expected])
        )
        if answer and not ok:
            self.add_error(
                "human_answer",
                _("That is not the right answer. Write the sum as a number, e.g. 7."),
            )
        return cleaned
