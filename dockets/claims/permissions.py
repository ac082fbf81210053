"""The only way claims views get a claim. Missing and forbidden raise the same Http404.

The register is public (cmecf.md 6.3), so reading a claim needs only that its case is
visible. Acting on a claim (amend, withdraw, Rule 3002.1 notices) is for whoever
filed one of its versions and for the clerk's office; a transfer may be filed by any
filer whose role may file the transfer event (the transferee usually files it).
"""

from django.http import Http404

from cases.permissions import can_see_case

from .models import Claim


def access_claim(user, claim_id: int) -> Claim:
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


def can_manage_claim(user, claim: Claim) -> bool:
    """True for the clerk's office and for a filer who filed a version of this claim."""
    if user is None or not user.is_authenticated:
        return False
    if getattr(user, "is_court_user", False):
        return True
    return claim.filed_by_id == user.pk or claim.versions.filter(filed_by=user).exists()


def access_claim_for_filer(user, claim_id: int) -> Claim:
    """Return the claim if `user` may amend or withdraw it; else Http404."""
    claim = access_claim(user, claim_id)
    if not can_manage_claim(user, claim):
        raise Http404
    return claim


def access_claim_for_clerk(user, claim_id: int) -> Claim:
    """Return the claim if `user` is a clerk; else Http404."""
    claim = access_claim(user, claim_id)
    if not getattr(user, "is_clerk", False):
        raise Http404
    return claim
