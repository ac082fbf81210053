"""Typed access to a form's declared fields, for forms that narrow them per request.

`form.fields[name]` is typed as the base Field; these return the declared kind and fail
loudly if the form declares something else.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{type(form).__name__}.{name} is not a ChoiceField")
    return field


def model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{type(form).__name__}.{name} is not a ModelChoiceField")
    return field


def label_choices(form: forms.BaseForm, name: str, label: Callable[[Any], str]) -> None:
    """Show each choice of the ModelChoiceField `name` as `label(instance)`."""
    field = model_choice_field(form, name)
    # Django reads label_from_instance from the field instance; the stubs type it as a
    # method, which mypy does not let an instance replace.
    field.label_from_instance = label  # type: ignore[method-assign, assignment]
