"""Preferred notice addresses (11 U.S.C. 342(e) and (f)).

A creditor may tell the court where notices to it must go: for every case in the court
(342(f), the court-wide filing that the national creditor registration service also
feeds) or in one case (342(e)). A case-specific address wins over the court-wide one.
NEFs and paper notices to a party matching the creditor's name go there, and the
certificate of notice names the source. The creditor (through its account) or the
clerk for it registers the address; a bounced preferred e-mail address turns into a
paper notice and a task for the clerk (dockets.pipeline.delivery.mark_bounced).

Matching is by the creditor's name, normalised (case, punctuation and spacing ignored),
as the noticing center matches a registration to a creditor on a matrix.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models, transaction

from core.audit import record_event
from core.compiled import CompiledQuery
from core.errors import UserFacingError
from core.models import BaseModel
from filers.models import AnyUser, Role, User
from filers.permissions import has_active_role, is_active_court_user

_NOT_WORD = re.compile(r"[^a-z0-9]+")


def may_register_preferred_address(user: AnyUser) -> bool:
    """A certified creditor or attorney (active: not suspended, two-factor set up)."""
    return has_active_role(user, Role.CREDITOR, Role.ATTORNEY)


def name_key(name: str) -> str:
    return _NOT_WORD.sub(" ", (name or "").lower()).strip()


class PreferredAddress(BaseModel):
    """A creditor's preferred notice address, court-wide (case empty) or for one case."""

    court = models.ForeignKey("cases.Court", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="preferred_addresses",
        help_text="Empty: every case in the court (342(f)); else this case (342(e))",
    )
    creditor_name = models.CharField(max_length=200)
    name_key = models.CharField(max_length=200, editable=False)
    email = models.EmailField(blank=True)
    address_lines = models.JSONField(default=list, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    active = models.BooleanField(default=True)
    awaiting_clerk = models.BooleanField(
        default=False,
        help_text="Registered by a filer: routes nothing until the clerk confirms it",
    )
    email_bounced = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["court", "name_key"],
                condition=models.Q(case__isnull=True, active=True),
                name="preferred_address_court_once",
            ),
            models.UniqueConstraint(
                fields=["case", "name_key"],
                condition=models.Q(case__isnull=False, active=True),
                name="preferred_address_case_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.creditor_name}: {self.source}"

    @property
    def source(self) -> str:
        if self.case_id:
            return "Preferred address for this case (11 U.S.C. 342(e))"
        return "Preferred address for all cases in this court (11 U.S.C. 342(f))"


class BounceTask(BaseModel):
    """A clerk task: a preferred e-mail address bounced and a paper notice was queued."""

    preferred = models.ForeignKey(
        PreferredAddress, on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    notice_recipient_id = models.BigIntegerField(help_text="The paper notice queued")
    text = models.TextField()
    done = models.BooleanField(default=False)

    def __str__(self) -> str:
        return self.text[:80]


def register_preferred_address(
    *,
    actor: User,
    court,
    creditor_name: str,
    email: str = "",
    address_lines: list[str] | None = None,
    case=None,
) -> PreferredAddress:
    """Register (or replace) a creditor's preferred address, court-wide or for one case.

    A registration by the clerk's office takes effect at once. One by a creditor (or its
    attorney) changes where another party's notices go, so it waits for the clerk to
    confirm it (confirm_preferred_address) and routes nothing until then.
    """
    court_user = is_active_court_user(actor)
    if not (court_user or may_register_preferred_address(actor)):
        raise UserFacingError(
            "Only a certified creditor or attorney, or the clerk's office, registers a "
            "preferred address."
        )
    creditor_name = (creditor_name or "").strip()
    lines = [x.strip() for x in (address_lines or []) if x.strip()][:5]
    if not creditor_name:
        raise UserFacingError("Enter the creditor's name.", field="creditor_name")
    if not email.strip() and not lines:
        raise UserFacingError(
            "Give a preferred e-mail address, a mailing address, or both.",
            field="email",
        )
    key = name_key(creditor_name)
    with transaction.atomic():
        if court_user:
            PreferredAddress.objects.filter(
                court=court, case=case, name_key=key, active=True
            ).update(active=False)
        row = PreferredAddress.objects.create(
            active=court_user,
            awaiting_clerk=not court_user,
            court=court,
            case=case,
            creditor_name=creditor_name[:200],
            name_key=key,
            email=email.strip().lower(),
            address_lines=lines,
            registered_by=actor,
        )
        record_event(
            actor=actor,
            action="cases.preferred_address.registered",
            target=row,
            case_id=case.pk if case else None,
            after={
                "creditor": creditor_name,
                "email": row.email,
                "lines": lines,
                "awaiting_clerk": row.awaiting_clerk,
            },
        )
    return row


def confirm_preferred_address(
    *, actor: User, row: PreferredAddress
) -> PreferredAddress:
    """The clerk confirms a filer's registration: it replaces the one in force. Audited."""
    if not is_active_court_user(actor):
        raise UserFacingError("Only the clerk's office confirms a preferred address.")
    with transaction.atomic():
        row = PreferredAddress.objects.select_for_update().get(pk=row.pk)
        if not row.awaiting_clerk:
            raise UserFacingError("This registration was already decided.")
        PreferredAddress.objects.filter(
            court=row.court_id, case=row.case_id, name_key=row.name_key, active=True
        ).update(active=False)
        row.active, row.awaiting_clerk = True, False
        row.save(update_fields=["active", "awaiting_clerk", "updated_at"])
        record_event(
            actor=actor,
            action="cases.preferred_address.confirmed",
            target=row,
            case_id=row.case_id,
            after={"creditor": row.creditor_name, "email": row.email},
        )
    return row


def _preferred_query(case_id: int) -> models.QuerySet[PreferredAddress]:
    """The active preferred addresses that may apply in the case: its own (342(e))
    and its court's (342(f)), the court's last (NULL last in ascending order)."""
    from .models import Case

    court_id = models.Subquery(Case.objects.filter(pk=case_id).values("court_id")[:1])
    return PreferredAddress.objects.filter(
        models.Q(case_id=case_id) | models.Q(case__isnull=True, court_id=court_id),
        active=True,
    ).order_by("case_id", "id")


# Compiled once per process (issue 21): read by every NEF's recipient rules.
_PREFERRED = CompiledQuery(_preferred_query)


def preferred_addresses_for(case) -> dict[str, PreferredAddress]:
    """{name key: the address that applies in `case`}: the case's own (342(e)) over the court's (342(f))."""
    found: dict[str, PreferredAddress] = {}
    for row in _PREFERRED.all(case.pk):
        found.setdefault(row.name_key, row)
    return found
