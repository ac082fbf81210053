"""Pre-submit warnings about a filing's text: problems a clerk would otherwise bounce.

These are warnings, never refusals: the filer is responsible for redaction
(FRBP 9037; the clerk does not review filings for it), and each check is a
heuristic over extracted text that can miss or over-report. A finding names the
rule and the page so the filer can look before submitting.

Pure functions over strings: no PDF parsing and no Django here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

# A page with fewer non-space characters than this counts as having no text
# layer: scanners without OCR still emit the odd stray glyph or page number.
IMAGE_ONLY_CHARS_PER_PAGE = 10

# Report at most this many pages per kind of finding, so a 900-page exhibit
# full of account numbers yields a readable list rather than a wall.
MAX_PAGES_PER_CODE = 10

# How far (in characters of extracted text) a label such as "SSN" may sit from
# the number it labels. Text extraction flattens table rows into one line, so
# a label and its value are usually within a few dozen characters.
LABEL_WINDOW = 80


@dataclass(frozen=True)
class Finding:
    """One warning for the filer; `page` is 1-based, or None for the whole file."""

    code: str
    message: str
    page: int | None = None


# Labels that introduce a Social Security or individual taxpayer number.
_SSN_LABEL = re.compile(
    r"\bSSN\b|\bS\.\s?S\.\s?N\b|\bSS\s?#|\bsoc(?:ial|\.)\s*sec(?:urity|\.)?"
    r"|\bITIN\b|\btaxpayer[\s-]+id",
    re.IGNORECASE,
)
# 3-2-4 with dashes or spaces is the Social Security Administration's printed
# form, and a bare run of nine digits is how forms and spreadsheets store it.
# Both count only near a label: claim, case and account numbers also come as
# nine digits or in dashed groups. Area 000, group 00 and serial 0000 are never
# issued, so those (common placeholders) are skipped. The lookarounds stop a
# match inside a longer digit run (an account number).
_SSN_NUMBER = re.compile(
    r"(?<![\d-])(?!000)\d{3}([- ])(?!00)\d{2}\1(?!0000)\d{4}(?![\d-])"
    r"|(?<![\d-])(?!000)\d{3}(?!00)\d{2}(?!0000)\d{4}(?![\d-])"
)

# FRBP 9037(a)(2) allows the year of birth only. Labels that introduce one:
_BIRTH_LABEL = re.compile(
    r"\bD\.?\s?O\.?\s?B\b|\bdate\s+of\s+birth\b|\bbirth\s*date\b|\bborn\b",
    re.IGNORECASE,
)
_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?"
    r"|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
# A full date has a day and a month as well as a year: 03/14/1975, 3-14-75,
# 1975-03-14, March 14, 1975, 14 March 1975. "1975" alone is allowed.
_FULL_DATE = re.compile(
    r"\b(?:0?[1-9]|1[0-2])[/.-](?:0?[1-9]|[12]\d|3[01])[/.-](?:\d{4}|\d{2})\b"
    r"|\b\d{4}-(?:0?[1-9]|1[0-2])-(?:0?[1-9]|[12]\d|3[01])\b"
    rf"|\b{_MONTHS}\s+(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?,?\s+\d{{4}}\b"
    rf"|\b(?:0?[1-9]|[12]\d|3[01])\s+{_MONTHS}\s+\d{{4}}\b",
    re.IGNORECASE,
)

# FRBP 9037(a)(4) allows the last four digits of a financial-account number.
_ACCOUNT_LABEL = re.compile(
    r"\baccounts?\b|\bacct\b|\ba/c\b|\bcard\s+(?:no|number|#)|\bloan\s+(?:no|number|#)",
    re.IGNORECASE,
)
# Nine or more digits, either in one run or in groups of four or more joined
# by single spaces or dashes (card numbers print as 4-4-4-4). Groups of three
# are left out on purpose: that is how phone numbers and dollar amounts split.
# A masked number (XXXX1234, ****1234) has too few digits to match.
_ACCOUNT_NUMBER = re.compile(r"(?<![\d-])(?:\d{9,}|\d{4,}(?:[ -]\d{4,})+)(?![\d-])")
_ACCOUNT_MIN_DIGITS = 9

# An electronic signature is "/s/ Name" (many local rules; CM/ECF's own form).
# Some filers drop the first slash ("s/ Name"); the lookbehind keeps "his/her"
# and "Yes/No" from counting.
_SIGNATURE = re.compile(r"(?<![A-Za-z0-9])/?\s?s\s?/\s*[A-Za-z]", re.IGNORECASE)

_BUSINESS_WORDS = frozenset(
    {"llc", "inc", "incorporated", "corp", "corporation", "co", "company", "ltd"}
    | {"limited", "lp", "llp", "pllc", "trust", "bank", "association", "partners"}
)
# Words that follow a business name or a person's name without identifying it.
_NAME_SUFFIXES = _BUSINESS_WORDS - {"bank", "association", "partners"} | {
    "pc",
    "the",
    "jr",
    "sr",
    "ii",
    "iii",
    "iv",
    "esq",
}


def find_issues(
    text_by_page: Sequence[str],
    *,
    page_count: int,
    debtor_names: Sequence[str],
    needs_signature: bool,
) -> list[Finding]:
    """Return warnings about the text of a filing, in a stable order.

    `text_by_page` holds the text of pages 1..len(text_by_page); it may cover
    fewer than `page_count` pages when extraction was capped. Checks that need
    the whole document (the signature) are skipped when it does not.
    """
    findings: list[Finding] = []
    if not text_by_page:
        return findings
    has_text = any(
        visible_chars(text) >= IMAGE_ONLY_CHARS_PER_PAGE for text in text_by_page
    )
    if not has_text:
        findings.append(
            Finding(
                "image_only",
                "This PDF seems to be a scan with no text layer (no text could be "
                "read from it). The court accepts scans, but a text-searchable PDF "
                "is preferred: run OCR (text recognition) on it, or save the "
                "original document as a PDF instead of scanning a printout.",
            )
        )
        return findings  # every other check reads the text

    if debtor_names and not _mentions_any(text_by_page, debtor_names):
        names = "; ".join(name.strip() for name in debtor_names if name.strip())
        findings.append(
            Finding(
                "name_mismatch",
                f"The debtor's name ({names}) does not appear in this document. "
                "Check that you are filing the right document in the right case.",
            )
        )

    findings += _near_label_findings(
        text_by_page,
        code="ssn",
        label=_SSN_LABEL,
        number=_SSN_NUMBER,
        message=(
            "Page {page} seems to show a full Social Security or taxpayer-"
            "identification number. FRBP 9037(a)(1) allows only the last four "
            "digits (xxx-xx-1234). Redact it before filing."
        ),
    )
    findings += _near_label_findings(
        text_by_page,
        code="birth_date",
        label=_BIRTH_LABEL,
        number=_FULL_DATE,
        message=(
            "Page {page} seems to show a full date of birth. FRBP 9037(a)(2) "
            "allows only the year of birth. Redact the month and day before filing."
        ),
    )
    findings += _near_label_findings(
        text_by_page,
        code="account_number",
        label=_ACCOUNT_LABEL,
        number=_ACCOUNT_NUMBER,
        min_digits=_ACCOUNT_MIN_DIGITS,
        message=(
            "Page {page} seems to show a full financial-account number. FRBP "
            "9037(a)(4) allows only the last four digits. Redact the rest before "
            "filing."
        ),
    )

    read_whole_document = len(text_by_page) >= page_count
    if (
        needs_signature
        and read_whole_document
        and not any(_SIGNATURE.search(text) for text in text_by_page)
    ):
        findings.append(
            Finding(
                "no_signature",
                "No electronic signature line such as \u201c/s/ Jane Doe\u201d was "
                "found. FRBP 9011(a) requires every petition, pleading and written "
                "motion to be signed, and under FRBP 5005(a)(2)(C) your name on a "
                "signature block of a filing made through your account is your "
                "signature. Add \u201c/s/ Your Name\u201d to the signature block.",
            )
        )
    return findings


def _near_label_findings(
    text_by_page: Sequence[str],
    *,
    code: str,
    label: re.Pattern[str],
    number: re.Pattern[str],
    message: str,
    min_digits: int = 0,
) -> list[Finding]:
    """One finding per page where `number` occurs within LABEL_WINDOW of `label`."""
    findings = []
    for page, text in enumerate(text_by_page, 1):
        if _has_labelled_number(text, label, number, min_digits):
            findings.append(Finding(code, message.format(page=page), page))
            if len(findings) >= MAX_PAGES_PER_CODE:
                break
    return findings


def _has_labelled_number(
    text: str, label: re.Pattern[str], number: re.Pattern[str], min_digits: int
) -> bool:
    label_spans = [match.span() for match in label.finditer(text)]
    if not label_spans:
        return False
    for match in number.finditer(text):
        if sum(char.isdigit() for char in match.group()) < min_digits:
            continue
        start, end = match.span()
        for label_start, label_end in label_spans:
            # Labels come first ("SSN: 123-45-6789") or, in some tables and
            # parentheticals, just after the value ("03/14/1975 (DOB)").
            if 0 <= start - label_end <= LABEL_WINDOW or 0 <= label_start - end <= 20:
                return True
    return False


def visible_chars(text: str) -> int:
    """Characters of `text` that are not whitespace (str.split splits on exactly
    the characters str.isspace is true for), counted at C speed."""
    return sum(map(len, text.split()))


def _mentions_any(text_by_page: Sequence[str], names: Sequence[str]) -> bool:
    """True if any name, or a person's last name, appears in the text.

    Compared without case, accents, spacing or punctuation, so "O'Brien-Smith"
    matches "OBRIEN SMITH" and "McDonald" matches "Mc Donald" (extractors often
    split or join words). The text is tokenized into words and a name matches a
    run of consecutive words that spell it, never part of a word ("Lee" does
    not match "employee").
    """
    words = _words(" ".join(text_by_page))
    for name in names:
        for candidate in _name_candidates(name):
            if _spelled_by_consecutive_words(words, candidate):
                return True
    return False


def _name_candidates(name: str) -> list[str]:
    """The full name and, for a person, the last name; each with spaces removed."""
    if "," in name and not _looks_like_business(name):
        last, _, first = name.partition(",")  # "Smith, John Q." form
        name = f"{first} {last}"
    tokens = [token for token in _words(name) if token not in _NAME_SUFFIXES]
    if not tokens:
        return []
    candidates = ["".join(tokens)]
    if not _looks_like_business(name) and len(tokens) > 1 and len(tokens[-1]) > 1:
        candidates.append(tokens[-1])
    return candidates


def _looks_like_business(name: str) -> bool:
    return any(token in _BUSINESS_WORDS for token in _words(name))


def _words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text.casefold())
    if not folded.isascii():  # ASCII has no combining marks (most filings' text)
        folded = "".join(char for char in folded if not unicodedata.combining(char))
    # Apostrophes join (O'Brien -> obrien); any other punctuation separates.
    folded = re.sub(r"['\u2019`]", "", folded)
    return re.findall(r"[^\W_]+", folded)


def _spelled_by_consecutive_words(words: list[str], target: str) -> bool:
    for start, word in enumerate(words):
        if not target.startswith(word):
            continue
        spelled = word
        index = start
        while spelled != target:
            index += 1
            if index >= len(words) or not target.startswith(spelled + words[index]):
                break
            spelled += words[index]
        if spelled == target:
            return True
    return False
