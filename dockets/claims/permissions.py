"""The only way claims views get a claim. Missing and forbidden raise the same Http404.

The register is public (cmecf.md 6.3), so reading a claim needs only that its case is
visible. Acting on a claim (amend, withdraw, Rule 3002.1 notices) is for whoever
filed one of its versions (an active filer), for the clerk's office, and through ePOC
for whoever holds the claim's own code (printed on the original ePOC receipt only).
Threat model: an amendment replaces the creditor's name, payment address and amounts
on the register; redirecting a payment address is how claim fraud is done. A transfer
may be filed by any active filer whose role may file the transfer event (the
transferee usually files it), never through ePOC.
"""

import hmac
import secrets

from django.http import Http404

from cases.permissions import acting_user_ids, can_see_case
from core.crypto import decrypt
from filers.models import AnyUser
from filers.permissions import is_active_clerk, is_active_filer

from ..models import Event
from .models import Claim

# The transfer of claim event (Form 2100A): its catalogue row says which roles file it.
TRANSFER_EVENT = "trclm"


def access_claim(user: AnyUser, claim_id: int) -> Claim:
    """Return the claim if `user` may see its case; else Http404."""
    claim = (
        Claim.objects.select_related(
            "case", "case__court", "case__office", "case__judge", "case__trustee"
        )
        .filter(pk=claim_id)
        .first()
    )
    if claim is None or not can_see_case(user, claim.case):
        raise Http404
    return claim


def can_manage_claim(user: AnyUser, claim: Claim) -> bool:
    """May `user` amend or withdraw `claim`? The clerk (active), and an active filer who
    filed a version of it (the creditor or its attorney of record) or acts for it as
    the filer's agent. Nobody else, whatever their role."""
    if is_active_clerk(user):
        return True
    ids = acting_user_ids(user)
    if not ids:
        return False
    return (
        claim.filed_by_id in ids or claim.versions.filter(filed_by_id__in=ids).exists()
    )


def new_claim_code() -> str:
    """A claim's own code: 16 characters from an unambiguous alphabet, in groups of 4."""
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def claim_code_matches(claim: Claim, code: str) -> bool:
    """True if `code` is the claim's own ePOC code (spacing, dashes and case ignored)."""
    if not claim.epoc_code_encrypted or not code:
        return False

    def norm(text: str) -> str:
        return "".join(ch for ch in text.upper() if ch.isalnum())

    return hmac.compare_digest(norm(decrypt(claim.epoc_code_encrypted)), norm(code))


def amend_refusal(*, user: AnyUser, claim: Claim, claim_code: str = "") -> str:
    """Why `user` (None or anonymous for ePOC) may not amend or withdraw `claim`, in plain
    words; empty when they may. The one answer for every path (page, ePOC, API)."""
    if getattr(user, "is_authenticated", False) and can_manage_claim(user, claim):
        return ""
    if claim_code and claim_code_matches(claim, claim_code):
        return ""
    if claim_code:
        return (
            f"That claim code does not match claim {claim.number}. The code is printed "
            "on the receipt of the original claim. Nothing was filed."
        )
    return (
        f"Only the filer of claim {claim.number}, its attorney or the clerk's office may "
        "amend it. If you filed it through ePOC, enter the claim code printed on your "
        "receipt; otherwise leave the claim number empty to file a new claim. Nothing "
        "was filed."
    )


def may_file_transfer(user: AnyUser) -> bool:
    """May `user` file a transfer of claim? The clerk's office (active clerk: paper
    transfers), or an active filer (certified, not suspended, two-factor) whose role
    the transfer event allows (the transferee: an attorney or a creditor). A judge
    does not file transfers; a pending or suspended account files nothing."""
    if is_active_clerk(user):
        return True
    if not is_active_filer(user):
        return False
    return Event.objects.get(code=TRANSFER_EVENT).allows_role(user.role)


def access_claim_for_transfer(user: AnyUser, claim_id: int) -> Claim:
    """Return the claim if `user` may file its transfer (may_file_transfer); else Http404."""
    claim = access_claim(user, claim_id)
    if not may_file_transfer(user):
        raise Http404
    return claim


def access_claim_for_filer(user: AnyUser, claim_id: int) -> Claim:
    """Return the claim if `user` may amend or withdraw it; else Http404."""
    claim = access_claim(user, claim_id)
    if not can_manage_claim(user, claim):
        raise Http404
    return claim


def access_claim_for_clerk(user: AnyUser, claim_id: int) -> Claim:
    """Return the claim if `user` is a clerk; else Http404."""
    claim = access_claim(user, claim_id)
    if not is_active_clerk(user):
        raise Http404
    return claim
