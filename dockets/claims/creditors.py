"""The creditor a claim is filed for: found on the case, or added to it (every claim path)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from cases.models import Case, Party
from core.errors import UserFacingError
from filers.models import User

from .reads import creditor_by_key

if TYPE_CHECKING:
    from .services import ClaimData

_CITY_LINE = re.compile(
    r"^(?P<city>[^,]+),\s*(?P<state>[A-Za-z]{2})\s+(?P<zip>\d{5}(-\d{4})?)$"
)


def claim_creditor(*, case: Case, data: ClaimData, actor: User | None) -> Party:
    """The creditor of the case a claim is filed for, added to the case when new.

    The one answer for every claim path (claim page, ePOC, API, claims upload): a
    Creditor ID names a creditor already on the case (refused when it is not one);
    otherwise the creditor whose name and address lines are the claim's (the
    creditor matrix's key, cases.matrix.creditor_key) is the one; otherwise the
    creditor is added to the case's creditors (cases.services.add_party, as a party
    a filer added: no powers, no fee exemption), as CM/ECF's Claims Upload "adds the
    creditor who is filing the claim to the case", with its mailing address as a
    creditor matrix gives it (the claim's e-mail stays the claim's: the filer gets its
    receipt there, not the case's notices). The caller holds the case lock.
    """
    from cases.matrix import creditor_key
    from cases.services import PartyData, add_party

    creditors = Party.objects.filter(
        case=case, role=Party.Role.CREDITOR, terminated_on__isnull=True
    )
    if data.creditor_id is not None:
        named = creditors.filter(pk=data.creditor_id).first()
        if named is None:
            raise UserFacingError(
                f"Creditor ID {data.creditor_id} is not a creditor in case "
                f"{case.display_number}.",
                field="creditor_id",
            )
        return named
    lines = [
        line.strip() for line in data.creditor_address.splitlines() if line.strip()
    ]
    key = creditor_key([data.creditor_name, *lines])[:300]
    found = creditor_by_key(case.pk, key)
    if found is not None:
        return found
    city = _CITY_LINE.match(lines[-1]) if lines else None
    return add_party(
        case=case,
        actor=actor,
        data=PartyData(
            role=Party.Role.CREDITOR,
            name=data.creditor_name,
            is_entity=True,
            address_lines=[line[:120] for line in (lines[:-1] if city else lines)],
            city=city["city"].strip()[:80] if city else "",
            state=city["state"] if city else "",
            zip_code=city["zip"] if city else "",
            added_in_filing=True,
            matrix_key=key,
        ),
    )
