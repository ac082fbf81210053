"""`{{ label|translated }}`: a stored choice label in the reader's language.

Model choice labels stay plain English strings on purpose: services write them into
records (docket text, notices, audit events), which the court keeps in English whatever
language the person acting reads the site in. Pages translate them when they show them.
The labels the catalogue knows are listed here (gettext_noop) for `makemessages`; any
other value is shown as it is.
"""

from django import template
from django.utils.translation import gettext, gettext_noop

register = template.Library()

LABELS = (
    # cases.Case.Status and Case.fee_status
    gettext_noop("Open"),
    gettext_noop("Closed"),
    gettext_noop("Dismissed"),
    gettext_noop("Paid"),
    gettext_noop("Installments"),
    gettext_noop("Waiver requested"),
    gettext_noop("Due"),
    # dockets.claims.Claim.Status
    gettext_noop("Filed"),
    gettext_noop("Amended"),
    gettext_noop("Withdrawn"),
    gettext_noop("Transferred"),
    gettext_noop("Disallowed"),
)


@register.filter
def translated(value):
    """The active language's text for a known label; the value itself otherwise."""
    if not value:
        return value
    return gettext(str(value))
