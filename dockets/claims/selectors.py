"""Reads of the claims register: keyset pages, totals and the CSV export.

Paging is by keyset on the (case, number) unique index (or (case, creditor_name,
number) for the creditor order), never OFFSET, so the first, a middle and the last
page of a 500,000-claim register cost the same as a 10-claim one. The unfiltered
footer reads the case's ClaimTotals row; a filtered footer is one aggregate query.
Document links go through dockets.permissions, the one place visibility is decided.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from django.db.models import (
    BigIntegerField,
    Count,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from cases.models import Case, Deadline
from cases.permissions import is_case_participant
from dockets.permissions import can_view_document
from dockets.text import money
from filers.models import AnyUser, User

from .models import Claim, ClaimActivity, ClaimTotals, ClaimVersion

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise, WithAnnotations

PAGE_SIZE = 100
PAGE_SIZES = (10, 50, 100, 500)
ORDERS = {
    "number": _("Claim number, lowest first"),
    "-number": _("Claim number, highest first"),
    "creditor": _("Creditor name, A to Z"),
}
TOTAL_KEYS = (
    "count",
    "amount_cents",
    "secured_cents",
    "priority_cents",
    "unsecured_cents",
    "admin_cents",
    "allowed_secured_cents",
    "allowed_priority_cents",
    "allowed_unsecured_cents",
    "allowed_admin_cents",
)


@dataclass
class RegisterFilters:
    number_from: int | None = None
    number_to: int | None = None
    filed_from: dt.date | None = None
    filed_to: dt.date | None = None
    creditor: str = ""
    order: str = "number"

    @property
    def active(self) -> bool:
        return any(
            [
                self.number_from,
                self.number_to,
                self.filed_from,
                self.filed_to,
                self.creditor,
            ]
        )

    def apply(self, qs: QuerySet[Claim]) -> QuerySet[Claim]:
        if self.number_from:
            qs = qs.filter(number__gte=self.number_from)
        if self.number_to:
            qs = qs.filter(number__lte=self.number_to)
        if self.filed_from:
            qs = qs.filter(filed_date__gte=self.filed_from)
        if self.filed_to:
            qs = qs.filter(filed_date__lte=self.filed_to)
        if self.creditor:
            qs = qs.filter(
                Q(creditor_name__icontains=self.creditor)
                | Q(holder_name__icontains=self.creditor)
            )
        return qs


@dataclass
class RegisterPage:
    claims: Sequence[Claim]
    has_next: bool
    has_prev: bool
    totals: dict[str, int]
    first_cursor: int | None = None
    last_cursor: int | None = None


def history_prefetch() -> Prefetch:
    activities = (
        ClaimActivity.objects.order_by("id")
        .select_related("entry")
        .prefetch_related("entry__documents")
    )
    return Prefetch("activities", queryset=activities)


class LatestPaymentChange(TypedDict):
    """What with_latest_payment_change adds to each claim."""

    ledger_payment_cents: int | None
    ledger_effective_on: dt.date | None
    ledger_filed_on: dt.date | None
    ledger_kind: str | None
    ledger_changes: int | None


def with_latest_payment_change(
    qs: QuerySet[Claim],
) -> QuerySet[WithAnnotations[Claim, LatestPaymentChange]]:
    """Annotate each claim with its latest Rule 3002.1 payment change (the register's
    inline ledger line): new payment, effective date, notice date, and how many changes
    in all. Part of the claims query itself, so the page costs no extra query."""
    from .mortgage_models import PaymentChange

    latest = PaymentChange.objects.filter(claim=OuterRef("pk")).order_by(
        "-filed_on", "-id"
    )
    count = (
        PaymentChange.objects.filter(claim=OuterRef("pk"))
        .order_by()
        .values("claim")
        .annotate(n=Count("id"))
        .values("n")
    )
    return qs.annotate(
        ledger_payment_cents=Subquery(latest.values("new_payment_cents")[:1]),
        ledger_effective_on=Subquery(latest.values("effective_on")[:1]),
        ledger_filed_on=Subquery(latest.values("filed_on")[:1]),
        ledger_kind=Subquery(latest.values("kind")[:1]),
        ledger_changes=Subquery(count, output_field=BigIntegerField()),
    )


def counted_q() -> Q:
    """Claims that count in the totals: not withdrawn, not filed in the wrong case."""
    return ~Q(status=Claim.Status.WITHDRAWN) & Q(wrong_case=False)


def aggregate_totals(qs: QuerySet[Claim]) -> dict[str, int]:
    """Totals of `qs` by class, claimed and allowed, in one aggregate query."""
    zero = Value(0, output_field=BigIntegerField())
    sums = {key: Coalesce(Sum(key), zero) for key in TOTAL_KEYS if key != "count"}
    return qs.filter(counted_q()).aggregate(count=Count("id"), **sums)


def case_totals(case: Case) -> dict[str, int]:
    row = ClaimTotals.objects.filter(case=case).values(*TOTAL_KEYS).first()
    return row or dict.fromkeys(TOTAL_KEYS, 0)


def bar_dates(case: Case) -> dict[str, dt.date | None]:
    found = {
        d.kind: d.due
        for d in Deadline.objects.filter(
            case=case, kind__in=["claims_bar", "gov_claims_bar"], terminated=False
        )
    }
    return {
        "claims_bar": found.get("claims_bar"),
        "gov_claims_bar": found.get("gov_claims_bar"),
    }


def _keyset(
    qs: QuerySet[Claim], *, order: str, cursor: Claim | None, forward: bool
) -> QuerySet[Claim]:
    """Order `qs` and start it after (forward) or before (backward) `cursor`."""
    if order == "creditor":
        fields = ["creditor_name", "number"]
        if cursor is not None:
            op = ">" if forward else "<"
            # Fixed SQL, values as parameters: a row comparison keeps the index usable.
            qs = qs.extra(  # noqa: S610
                where=[
                    f"(dockets_claim.creditor_name, dockets_claim.number) {op} (%s, %s)"
                ],
                params=[cursor.creditor_name, cursor.number],
            )
    else:
        ascending = order == "number"
        fields = ["number"]
        if cursor is not None:
            up = ascending == forward
            qs = (
                qs.filter(number__gt=cursor.number)
                if up
                else qs.filter(number__lt=cursor.number)
            )
        if not ascending:
            fields = ["-number"]
    if not forward:
        fields = [f[1:] if f.startswith("-") else f"-{f}" for f in fields]
    return qs.order_by(*fields)


def register_page(
    *,
    case: Case,
    viewer: AnyUser,
    filters: RegisterFilters,
    after: int | None = None,
    before: int | None = None,
    last: bool = False,
    size: int = PAGE_SIZE,
) -> RegisterPage:
    """One page of a case's register: claims with history rows, and the footer totals.

    `after` / `before` are claim numbers of the page edge (keyset cursors); `last`
    jumps to the final page. A fixed number of queries whatever the register's size.
    """
    order = filters.order if filters.order in ORDERS else "number"
    base = filters.apply(Claim.objects.filter(case=case))
    cursor_number = after if after is not None else before
    cursor = None
    if cursor_number is not None:
        cursor = (
            Claim.objects.filter(case=case, number=cursor_number)
            .only("number", "creditor_name")
            .first()
        )
    forward = before is None and not last
    qs = _keyset(base, order=order, cursor=cursor, forward=forward)
    rows = list(
        with_latest_payment_change(qs)
        .select_related("filed_by")
        .prefetch_related(history_prefetch())[: size + 1]
    )
    more = len(rows) > size
    rows = rows[:size]
    for row in rows:
        if row.ledger_payment_cents is not None:
            row.ledger_payment_shown = money(row.ledger_payment_cents)
    if not forward:
        rows.reverse()
    if forward:
        has_next, has_prev = more, cursor is not None
    else:
        has_next, has_prev = (before is not None), more
    totals = aggregate_totals(base) if filters.active else case_totals(case)
    attach_document_links(rows, viewer=viewer, case=case)
    return RegisterPage(
        claims=rows,
        has_next=has_next,
        has_prev=has_prev,
        totals=totals,
        first_cursor=rows[0].number if rows else None,
        last_cursor=rows[-1].number if rows else None,
    )


def attach_document_links(
    claims: Sequence[Claim], *, viewer: AnyUser, case: Case
) -> None:
    """Set `activity.document_link` (the main document's id, or None) on each history row
    whose document `viewer` may open; activities and their entries' documents are prefetched."""
    participant = None
    for claim in claims:
        claim.case = case
        for activity in claim.activities.all():
            activity.document_link = None
            entry = activity.entry
            if entry is None:
                continue
            entry.case = case
            main = next((d for d in entry.documents.all() if d.sequence == 0), None)
            if main is None:
                continue
            if participant is None:
                participant = (
                    is_case_participant(viewer, case) if viewer is not None else False
                )
            if can_view_document(viewer, main, participant=participant):
                activity.document_link = main.pk


CSV_HEADER = [
    "Claim No.",
    "Version",
    "Creditor",
    "Creditor address",
    "Holder (after transfer)",
    "Filed",
    "Status",
    "Late",
    "Amount claimed",
    "Secured",
    "Priority",
    "Priority basis",
    "Unsecured",
    "Administrative 503(b)(9)",
    "Allowed total",
    "Description",
    "Remarks",
]


def register_csv_rows(
    *, case: Case, filters: RegisterFilters, chunk_size: int = 2000
) -> Iterator[list[str]]:
    """Yield the register as CSV rows over a server-side cursor (flat memory at any size)."""
    yield CSV_HEADER
    qs = filters.apply(Claim.objects.filter(case=case)).order_by("number")
    columns = (
        "number",
        "version",
        "creditor_name",
        "creditor_address",
        "holder_name",
        "filed_date",
        "status",
        "late",
        "amount_cents",
        "secured_cents",
        "priority_cents",
        "priority_basis",
        "unsecured_cents",
        "admin_cents",
        "allowed_secured_cents",
        "allowed_priority_cents",
        "allowed_unsecured_cents",
        "allowed_admin_cents",
        "description",
        "remarks",
        "wrong_case",
    )
    labels = dict(Claim.Status.choices)
    for row in qs.values_list(*columns).iterator(chunk_size=chunk_size):
        r = dict(zip(columns, row, strict=True))
        allowed = [r[k] for k in columns if k.startswith("allowed_")]
        status = labels.get(r["status"], r["status"])
        if r["wrong_case"]:
            status += " (filed in the wrong case)"
        yield [
            str(r["number"]),
            f"{r['number']}-{r['version']}",
            r["creditor_name"],
            " / ".join(
                x.strip() for x in r["creditor_address"].splitlines() if x.strip()
            ),
            r["holder_name"],
            r["filed_date"].strftime("%m/%d/%Y"),
            status,
            "yes" if r["late"] else "",
            money(r["amount_cents"]),
            money(r["secured_cents"]),
            money(r["priority_cents"]),
            r["priority_basis"],
            money(r["unsecured_cents"]),
            money(r["admin_cents"]),
            ""
            if all(a is None for a in allowed)
            else money(sum(a or 0 for a in allowed)),
            r["description"],
            " ".join(r["remarks"].split()),
        ]


def claims_of_filer(user: User) -> QuerySet[Claim]:
    """Every claim `user` filed a version of, newest first (the filer's "My claims")."""
    ids = ClaimVersion.objects.filter(filed_by=user).values("claim_id")
    return (
        Claim.objects.filter(pk__in=ids)
        .select_related("case", "case__court", "case__office", "case__judge")
        .order_by("-filed_at", "-id")
    )


def claims_filed_by(user: User, case: Case) -> QuerySet[Claim]:
    """Claims in `case` whose versions `user` filed (what a creditor may amend or withdraw)."""
    return Claim.objects.filter(case=case, versions__filed_by=user).distinct()


def totals_rows(totals: dict[str, int]) -> list[tuple[StrOrPromise, str, str]]:
    """The footer table: (class, claimed, allowed) by secured, priority, unsecured, administrative."""
    rows: list[tuple[StrOrPromise, str, str]] = []
    for label, key in (
        (_("Secured"), "secured_cents"),
        (_("Priority"), "priority_cents"),
        (_("Unsecured"), "unsecured_cents"),
        (_("Administrative (503(b)(9))"), "admin_cents"),
    ):
        rows.append((label, money(totals[key]), money(totals[f"allowed_{key}"])))
    allowed = sum(
        totals[f"allowed_{k}"]
        for k in ("secured_cents", "priority_cents", "unsecured_cents", "admin_cents")
    )
    rows.append((_("Total"), money(totals["amount_cents"]), money(allowed)))
    return rows
