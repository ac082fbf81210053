"""The public home page's court data: fees and the events behind the filing help.

The page is the court's (core/home.html), the data is the catalogue's, so the tag
lives with the catalogue in dockets, which may read filers (roles and their help)
but not training (each role's exercises come through filers.hooks).
When the catalogue is empty, the page still renders and says where the numbers
would be.
"""

import re
from typing import Any

from django import template
from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.clock import tz_abbrev
from filers import hooks
from filers.forms import ROLE_HELP
from filers.models import Role

from ..catalogue_data import EventCategory
from ..models import Event

register = template.Library()

CATALOGUE_ROLES = {
    "attorney": "attorneys",
    "creditor": "creditors",
    "trustee": "trustees",
    "us_trustee": "the U.S. Trustee",
    "court_reporter": "court reporters",
    "party": "parties",
    "court": "the clerk's office",
    "epoc": "anyone, through the electronic proof of claim form",
}


def role_training_texts() -> dict[str, str]:
    """What each role practises before certification, as the training app's exercises
    say (training registers them: filers.hooks.on_role_training_texts; dockets does not
    import training)."""
    return hooks.role_training_texts()


# The common filings the home page explains, each with the catalogue events it uses.
FILING_HELP: list[dict[str, Any]] = [
    {
        "title": _("A chapter 7 case"),
        "codes": ["volp7", "volp7n"],
        "steps": _(
            "Open a bankruptcy case, choose chapter 7, enter the debtor and the creditor "
            "list, upload the petition (Official Form 101 or 201) and pay the filing fee or apply "
            "to pay it in installments or have it waived."
        ),
    },
    {
        "title": _("A chapter 11 case"),
        "codes": ["volp11", "volp11n"],
        "steps": _(
            "Open a bankruptcy case, choose chapter 11 and the debtor's type, upload the "
            "petition and the list of the 20 largest unsecured creditors, and pay the fee."
        ),
    },
    {
        "title": _("A chapter 12 case"),
        "codes": ["volp12", "volp12n"],
        "steps": _(
            "For family farmers and fishermen: open a bankruptcy case, choose chapter 12, "
            "upload the petition and pay the fee."
        ),
    },
    {
        "title": _("A chapter 13 case"),
        "codes": ["volp13"],
        "steps": _(
            "Open a bankruptcy case, choose chapter 13, upload the petition and the "
            "chapter 13 plan (or file the plan within 14 days), and pay the fee or apply for "
            "installments."
        ),
    },
    {
        "title": _("An amended schedule"),
        "codes": ["amdsch", "amdschnf"],
        "steps": _(
            "In the case, file a document: choose Amended Schedules. Adding creditors "
            "carries a fee; the amended creditor matrix goes with it."
        ),
    },
    {
        "title": _("A motion for relief from stay"),
        "codes": ["nmrp"],
        "steps": _(
            "In the case, file a document: choose Motion for Relief From Stay, name the "
            "creditor you act for and the property, attach the exhibits and the notice of "
            "hearing, and pay the fee."
        ),
    },
    {
        "title": _("A new adversary complaint"),
        "codes": ["cmp"],
        "steps": _(
            "Open an adversary proceeding from the main bankruptcy case: enter the "
            "plaintiffs and defendants, upload the complaint and the cover sheet (Form B1040), "
            "and pay the fee. The clerk issues the summons."
        ),
    },
    {
        "title": _("A proof of claim"),
        "codes": ["claim", "amdclm"],
        "steps": _(
            "Creditors file claims from the case's claims register (Official Form 410). "
            "No login is needed: anyone may use the electronic proof of claim form. There is "
            "no fee."
        ),
    },
    {
        "title": _("An abstract of judgment"),
        "codes": ["abstrj"],
        "steps": _(
            "Ask the clerk's office for an abstract of a judgment entered in an "
            "adversary proceeding; the clerk issues and dockets it."
        ),
    },
    {
        "title": _("A change of address"),
        "codes": ["chgadr"],
        "steps": _(
            "For your own address on every case, update your account. For a debtor's or "
            "creditor's address in one case, file a Change of Address in that case."
        ),
    },
]


def _natural(text: str) -> list:
    """Sort key that puts "Chapter 7" before "Chapter 11"."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


@register.filter
def dollars(cents: int) -> str:
    return f"${cents / 100:,.2f}"


def _who(roles: list[str]) -> str:
    names = [CATALOGUE_ROLES.get(r, r) for r in roles]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


@register.simple_tag
def court_home_data() -> dict:
    """Return the help items (with their events' names, fees and filers) and the fee list."""
    codes = [code for item in FILING_HELP for code in item["codes"]]
    events, fees = {}, []
    rows = Event.objects.filter(
        Q(code__in=codes) | Q(fee_cents__gt=0), active=True
    ).only("code", "name", "fee_cents", "filer_roles", "form_number", "category")
    for event in rows:
        events[event.code] = event
        if event.fee_cents:
            fees.append(event)
    fees.sort(
        key=lambda e: (
            e.category != EventCategory.PETITION,
            e.category,
            _natural(e.name),
        )
    )
    help_items = []
    for item in FILING_HELP:
        found = [events[c] for c in item["codes"] if c in events]
        help_items.append(
            {
                **item,
                "events": [
                    {
                        "name": e.name,
                        "fee": e.fee_cents,
                        "who": _who(e.filer_roles),
                        "form": e.form_number,
                    }
                    for e in found
                ],
            }
        )
    training = role_training_texts()
    return {
        "help": help_items,
        "fees": fees,
        "roles": [
            (
                Role(r).label,
                ROLE_HELP[r],
                training.get(r, "No training exercises are set for this role."),
            )
            for r in ROLE_HELP
        ],
        "max_upload_mb": settings.ECF_MAX_UPLOAD_BYTES // (1024 * 1024),
        "court_tz": tz_abbrev(),
        "epoc_url": reverse("dockets:epoc-start"),
    }
