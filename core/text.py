"""The one normaliser for free text that ECF stores or searches.

Text arrives from forms, the API, matrix files and services. Before any of it
is stored (`normalize_model_text`, run for every model save by core.apps), it is:

- Unicode NFC, so "é" typed two ways is one spelling (search, duplicates);
- free of control characters: C0 and C1 controls and DEL are removed, except
  tab and the line break; CR LF, lone CR and the Unicode line separators become
  one line feed;
- one line where the field is one line (a CharField: a debtor's name, a case
  title): line breaks become a space, so a name never prints on two lines of a
  notice or a docket header. Multi-line fields (TextField: addresses, docket
  text) keep their line feeds.

NUL is refused with a message where a person can read one (Django form fields
refuse it, the API's schemas refuse it, `query_problem` for searches, and
core.middleware for addresses); this module removes it as the last net, so it
never reaches PostgreSQL, which cannot store it.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.contrib.postgres.fields import ArrayField
from django.db import models

# C0 controls but tab (09), line feed (0A) and carriage return (0D, folded
# into line feed first); DEL; C1 controls.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAK = re.compile("\r\n|[\r\x85\u2028\u2029]")
_SPACED_BREAK = re.compile("[ \t]*\n[ \t\n]*")
# Anything the normaliser would change besides NFC: a fast test first.
_SUSPECT = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")

NUL_MESSAGE = (
    "This text contains a NUL character (often pasted from another program), "
    "which the court cannot store. Retype it and try again."
)


def normalize(value: str, *, multiline: bool) -> str:
    """`value` in NFC without control characters; on one line unless `multiline`."""
    if not value.isascii() and not unicodedata.is_normalized("NFC", value):
        value = unicodedata.normalize("NFC", value)
    if not _SUSPECT.search(value):
        return value
    value = _LINE_BREAK.sub("\n", value)
    value = _CONTROL.sub("", value)
    if not multiline and "\n" in value:
        value = _SPACED_BREAK.sub(" ", value).strip(" ")
    return value


def has_control_characters(value: str) -> bool:
    """True if `value` holds NUL or another control character but tab and line breaks."""
    return bool(_CONTROL.search(value))


def query_problem(value: str) -> str:
    """Why a search for `value` cannot run ("" if it can): NUL or control characters."""
    if has_control_characters(value):
        return (
            "The search words contain a NUL or other control character, which "
            "cannot be searched, so nothing was searched for. Type the words "
            "again without it."
        )
    return ""


def normalize_model_text(instance: models.Model) -> None:
    """Normalise every text field of `instance` in place, before it is saved.

    CharField (and subclasses such as EmailField) are one line; TextField may
    hold line breaks; a list (JSONField, ArrayField) keeps each string on one line.
    Values that are not str (None, deferred) are left alone.
    """
    for field in instance._meta.concrete_fields:
        value = instance.__dict__.get(field.attname)
        if isinstance(value, list) and isinstance(field, models.JSONField | ArrayField):
            # Lists of lines, such as a party's address_lines: one line each.
            if any(isinstance(item, str) and _SUSPECT.search(item) for item in value):
                setattr(
                    instance,
                    field.attname,
                    [
                        normalize(item, multiline=False)
                        if isinstance(item, str)
                        else item
                        for item in value
                    ],
                )
            continue
        if isinstance(field, models.TextField):
            multiline = True
        elif isinstance(field, models.CharField):
            multiline = False
        else:
            continue
        if isinstance(value, str) and value:
            cleaned = normalize(value, multiline=multiline)
            if cleaned is not value:
                setattr(instance, field.attname, cleaned)


def normalize_before_save(
    sender: Any, instance: models.Model, raw: bool = False, **kwargs: Any
) -> None:
    """pre_save receiver for every model (connected in core.apps); fixtures load raw."""
    if not raw:
        normalize_model_text(instance)
