"""Fees: what is owed, and the lockout of filers with fees unpaid past the court's limit."""


def fee_lockout_blockers(user) -> list[str]:
    """Return why `user` may not file because of unpaid fees (empty when none)."""
    return []
