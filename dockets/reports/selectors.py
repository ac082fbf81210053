"""Reads behind the public docket report and its exports (search: reports.entry_search;
feeds and activity reports: reports.activity).

Threat model: these pages are public and free, so they are where a sealed entry would
leak first. Visibility is never decided here: each row goes through
dockets.permissions (can_see_entry_text, can_view_document) or dockets.selectors
(public_entry_q, readable_entry_q, searchable_entries_for), with `participant`
computed once per request.

Speed (reference/performance.md P5, P6, P8): the docket page reads one keyset page of
100 rows on (case_id, seq), with no COUNT(*) and no OFFSET, so the last page of a
70,000-entry case costs what the first page of a 10-entry case does; documents are
prefetched for the page only; parties, aliases, counsel and deadlines come back in
one query each through ArraySubquery, with their SQL compiled once per process
(core.compiled: Django's compiler cost five times what PostgreSQL spent on them).
Exports stream values() rows with .iterator(chunk_size=2000).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from itertools import islice
from types import SimpleNamespace

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import JSONObject

from cases.models import (
    Case,
    CreditorTotal,
    Deadline,
    Party,
    PartyAlias,
    Representation,
)
from cases.permissions import is_case_participant
from core import clock
from core.compiled import CompiledQuery, CompiledValues
from dockets.models import DocketEntry, Document, Visibility
from dockets.permissions import can_see_entry_text, can_view_document
from filers.models import AnyUser

PAGE_SIZE = 100
SORTS = ("oldest", "newest", "number")
SEALED_TEXT = "**SEALED DOCUMENT**"
RESTRICTED_TEXT = "** RESTRICTED ENTRY **"

# The order of party blocks on the docket report (reference/cmecf.md 6.1).
PARTY_ORDER = [
    Party.Role.DEBTOR,
    Party.Role.JOINT_DEBTOR,
    Party.Role.DEBTOR_IN_POSSESSION,
    Party.Role.FOREIGN_REPRESENTATIVE,
    Party.Role.PETITIONING_CREDITOR,
    Party.Role.PLAINTIFF,
    Party.Role.DEFENDANT,
    Party.Role.TRUSTEE,
    Party.Role.US_TRUSTEE,
    Party.Role.CREDITOR_COMMITTEE,
    Party.Role.INTERESTED_PARTY,
    Party.Role.CREDITOR,
]


def _court_user(user: AnyUser) -> bool:
    return bool(
        user and user.is_authenticated and getattr(user, "is_court_user", False)
    )


_LISTED_ROLES = [role for role in Party.Role.values if role != Party.Role.CREDITOR]


def participant_for(user: AnyUser, case: Case) -> bool:
    """Whether `user` reads restricted entries of `case` (once per request)."""
    if user is None or not user.is_authenticated:
        return False
    return is_case_participant(user, case)


# -- The case, with its header block ---------------------------------------------------


def docket_case(case_id: int) -> Case | None:
    """The case with what the header block prints, in one query (no access check)."""
    return _DOCKET_CASE.first(case_id)


def _docket_case_query(case_id: int) -> QuerySet[Case]:
    deadlines = Deadline.objects.filter(
        case=OuterRef("pk"), satisfied_on__isnull=True, terminated=False
    ).order_by("due", "due_at", "id")
    # The maintained total (cases.CreditorTotal, kept by triggers): a mega case has up
    # to 10^6 matrix creditors, and counting them cost each of its docket pages ~40 ms
    # of PostgreSQL's CPU.
    creditors = CreditorTotal.objects.filter(case=OuterRef("pk")).values("count")
    return (
        Case.objects.select_related("court", "office", "judge", "trustee", "lead_case")
        .annotate(
            header_deadlines=ArraySubquery(
                deadlines.values(
                    json=JSONObject(
                        kind="kind",
                        label="label",
                        due="due",
                        due_at="due_at",
                        location="location",
                    )
                )
            ),
            creditor_total=Subquery(creditors),
        )
        .filter(pk=case_id)
        .order_by("pk")[:1]
    )


# Compiled once per process: the SQL compiler cost five times the query (issue 21).
_DOCKET_CASE = CompiledQuery(_docket_case_query)


def report_case(case_id: int) -> Case | None:
    """The case with its court, office, judge, trustee and lead case, as
    cases.permissions.access_case reads it, in one query compiled once (no access
    check; the header's deadlines and creditor count are docket_case's)."""
    return _REPORT_CASE.first(case_id)


_REPORT_CASE = CompiledQuery(
    lambda case_id: (
        Case.objects.select_related("court", "office", "judge", "trustee", "lead_case")
        .filter(pk=case_id)
        .order_by("pk")[:1]
    )
)


@dataclass
class HeaderDeadline:
    kind: str
    label: str
    due: dt.date | None
    due_at: dt.datetime | None
    location: str

    @property
    def when(self) -> str:
        """As the header prints it, in court time: 12/30/2026 11:00 AM or 12/30/2026."""
        if self.due_at is not None:
            return self.due_at.strftime("%m/%d/%Y %I:%M %p")
        return self.due.strftime("%m/%d/%Y") if self.due else ""


def header_deadlines(case: Case) -> list[HeaderDeadline]:
    """The open deadlines read by docket_case, as dates (JSON gives strings)."""
    rows = []
    for raw in getattr(case, "header_deadlines", None) or []:
        due = dt.date.fromisoformat(raw["due"]) if raw.get("due") else None
        due_at = dt.datetime.fromisoformat(raw["due_at"]) if raw.get("due_at") else None
        if due_at is not None:
            due_at = clock.local(due_at)
        rows.append(
            HeaderDeadline(
                raw["kind"], raw["label"], due, due_at, raw.get("location") or ""
            )
        )
    return rows


def party_blocks(case: Case, *, include_terminated: bool = True) -> list[Party]:
    """Parties in docket-report order, each with `alias_list` and `counsel` (one query).

    Matrix creditors nobody appeared for are counted in the header ("Creditors: 22"),
    not listed, as CM/ECF does.
    """
    query = _PARTY_BLOCKS if include_terminated else _CURRENT_PARTY_BLOCKS
    order: dict[str, int] = {role: i for i, role in enumerate(PARTY_ORDER)}
    return sorted(query.all(case.pk), key=lambda p: (order.get(p.role, 99), p.pk))


def _party_blocks_query(case_id: int, *, include_terminated: bool) -> QuerySet[Party]:
    aliases = PartyAlias.objects.filter(party=OuterRef("pk")).order_by("id")
    reps = Representation.objects.filter(party=OuterRef("pk")).order_by("id")
    # Listed: every party but a matrix creditor nobody appeared for, i.e. parties of
    # another role, creditors with an account, and represented parties: a UNION of
    # three index reads, so a case with 10^6 matrix creditors costs what a small case
    # costs (an exclusion would read every creditor of the case).
    listed = (
        Party.objects.filter(case_id=case_id, role__in=_LISTED_ROLES)
        .values_list("pk")
        .union(
            Party.objects.filter(
                case_id=case_id, role=Party.Role.CREDITOR, user__isnull=False
            ).values_list("pk"),
            Representation.objects.filter(case_id=case_id).values_list("party_id"),
        )
    )
    qs = Party.objects.filter(case_id=case_id, pk__in=listed).annotate(
        alias_list=ArraySubquery(
            aliases.values(json=JSONObject(kind="kind", name="name"))
        ),
        counsel=ArraySubquery(
            reps.values(
                json=JSONObject(
                    name="attorney__full_name",
                    email="attorney__email",
                    firm="attorney__filer__firm",
                    address="attorney__filer__address_line1",
                    city="attorney__filer__city",
                    state="attorney__filer__state",
                    zip_code="attorney__filer__zip_code",
                    phone="attorney__filer__phone",
                    notice="notice",
                    terminated_on="terminated_on",
                )
            )
        ),
    )
    if not include_terminated:
        qs = qs.filter(terminated_on__isnull=True)
    return qs


_PARTY_BLOCKS = CompiledQuery(
    lambda case_id: _party_blocks_query(case_id, include_terminated=True)
)
_CURRENT_PARTY_BLOCKS = CompiledQuery(
    lambda case_id: _party_blocks_query(case_id, include_terminated=False)
)


# -- Docket report options and the keyset page -----------------------------------------


@dataclass
class DocketOptions:
    """What the report form asks for (reference/cmecf.md 6.2 "Report options")."""

    date_type: str = "filed"  # filed | entered
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    number_from: int | None = None
    number_to: int | None = None
    parties: bool = True
    sort: str = "oldest"
    after: int | None = None  # keyset cursor: seq of the last row of the page before
    before: int | None = None  # seq of the first row of the page after
    last: bool = False
    errors: list[str] = field(default_factory=list)

    @property
    def descending(self) -> bool:
        return self.sort == "newest"

    @property
    def has_range(self) -> bool:
        """A date or document-number range narrows the entries."""
        return any(
            v is not None
            for v in (self.date_from, self.date_to, self.number_from, self.number_to)
        )


def _int(value: str) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    if not value.isdigit() or len(value) > 12:
        raise ValueError
    return int(value)


def _date(value: str) -> dt.date | None:
    value = (value or "").strip()
    if not value:
        return None
    if "/" in value:
        month, _, rest = value.partition("/")
        day, _, year = rest.partition("/")
        if not (
            month.isdigit() and day.isdigit() and year.isdigit() and len(year) == 4
        ):
            raise ValueError
        return dt.date(int(year), int(month), int(day))
    return dt.date.fromisoformat(value)


def parse_options(params) -> DocketOptions:
    """Read the report's GET parameters; bad values become plain messages and are ignored."""
    opts = DocketOptions()
    if params.get("date_type") in ("filed", "entered"):
        opts.date_type = params["date_type"]
    if params.get("sort") in SORTS:
        opts.sort = params["sort"]
    if "parties" in params or "submitted" in params:
        opts.parties = params.get("parties") in ("1", "on", "true", "yes")
    for name, label in (("date_from", "From date"), ("date_to", "To date")):
        try:
            setattr(opts, name, _date(params.get(name, "")))
        except ValueError:
            opts.errors.append(f"{label}: enter a date like 01/31/2026.")
    for name, label in (
        ("number_from", "From document number"),
        ("number_to", "To document number"),
    ):
        try:
            setattr(opts, name, _int(params.get(name, "")))
        except ValueError:
            opts.errors.append(f"{label}: enter a whole number, like 12.")
    for name in ("after", "before"):
        try:
            setattr(opts, name, _int(params.get(name, "")))
        except ValueError:
            opts.errors.append("That page link is not valid; showing the first page.")
    opts.last = params.get("page") == "last"
    if opts.date_from and opts.date_to and opts.date_from > opts.date_to:
        opts.errors.append(
            "The From date is after the To date; nothing matches, so the dates were ignored."
        )
        opts.date_from = opts.date_to = None
    if opts.number_from and opts.number_to and opts.number_from > opts.number_to:
        opts.errors.append(
            "The From number is after the To number, so the numbers were ignored."
        )
        opts.number_from = opts.number_to = None
    return opts


def local_midnight_utc(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=clock.court_tz())


def filtered_entries(case: Case, opts: DocketOptions) -> QuerySet[DocketEntry]:
    """The case's entries matching the report options (no visibility filter: sealed
    entries keep their row and number, shown as SEALED)."""
    qs = DocketEntry.objects.filter(case_id=case.pk)
    if opts.date_type == "filed":
        if opts.date_from:
            qs = qs.filter(filed_date__gte=opts.date_from)
        if opts.date_to:
            qs = qs.filter(filed_date__lte=opts.date_to)
    else:
        if opts.date_from:
            qs = qs.filter(entered_at__gte=local_midnight_utc(opts.date_from))
        if opts.date_to:
            qs = qs.filter(
                entered_at__lt=local_midnight_utc(opts.date_to + dt.timedelta(days=1))
            )
    if opts.number_from is not None:
        qs = qs.filter(number__gte=opts.number_from)
    if opts.number_to is not None:
        qs = qs.filter(number__lte=opts.number_to)
    return qs


# What build_row and the access rules (dockets.permissions) read, and nothing more:
# each timestamp costs a time-zone conversion per row.
ROW_FIELDS = (
    "id",
    "case_id",
    "number",
    "seq",
    "entered_at",
    "filed_date",
    "filer_id",
    "entered_by_id",
    "text",
    "visibility",
    "visible_from",
    "modified_on",
)
DOC_FIELDS = (
    "id",
    "entry_id",
    "sequence",
    "description",
    "visibility",
    "replaced",
    "page_count",
    "size",
    "status",
    "stamp_id",
    "cmecf_id",
)


@dataclass
class DocRow:
    id: int
    sequence: int
    description: str
    page_count: int
    size: int
    readable: bool
    cmecf_id: str = ""  # CM/ECF-style id for /doc1/ links


@dataclass
class EntryRow:
    """One row of the docket table as this viewer may see it."""

    id: int
    seq: int
    number: int | None
    filed_date: dt.date
    entered_date: dt.date
    text: str
    shown: bool  # False: the text is replaced by SEALED / RESTRICTED
    modified_on: dt.date | None
    main: DocRow | None
    attachments: list[DocRow]
    # For CM/ECF's restriction note on the legacy report (reports/cmecf.py).
    visibility: str = ""
    visible_from: dt.date | None = None

    @property
    def attachments_in_text(self) -> bool:
        """True when the docket text already lists the attachments (printed once)."""
        from ..text import attachment_clause

        clause = attachment_clause([a.description for a in self.attachments])
        return bool(clause) and clause in self.text


def _placeholder(entry) -> str:
    return SEALED_TEXT if entry.visibility == Visibility.SEALED else RESTRICTED_TEXT


def build_row(
    user: AnyUser, entry, documents, *, participant: bool, tz=None
) -> EntryRow:
    """Decide one row's text and links from already-loaded fields (no queries)."""
    shown = can_see_entry_text(user, entry, participant=participant)
    main = None
    attachments = []
    if shown:
        for doc in documents:
            doc.entry = entry
            row = DocRow(
                id=doc.id,
                sequence=doc.sequence,
                description=doc.description,
                page_count=doc.page_count,
                size=doc.size,
                readable=can_view_document(user, doc, participant=participant),
                cmecf_id=getattr(doc, "cmecf_id", ""),
            )
            if doc.sequence == 0:
                main = row
            else:
                attachments.append(row)
    return EntryRow(
        id=entry.id,
        seq=entry.seq,
        number=entry.number,
        filed_date=entry.filed_date,
        entered_date=entry.entered_at.astimezone(tz or clock.court_tz()).date(),
        text=entry.text if shown else _placeholder(entry),
        shown=shown,
        modified_on=entry.modified_on if shown else None,
        main=main,
        attachments=attachments,
        visibility=entry.visibility,
        visible_from=entry.visible_from,
    )


@dataclass
class DocketPage:
    rows: list[EntryRow]
    next_after: int | None  # seq for ?after= (the next page in the chosen order)
    prev_before: int | None  # seq for ?before=
    is_first: bool
    is_last: bool


def docket_page(
    case: Case, opts: DocketOptions, *, user: AnyUser, participant: bool
) -> DocketPage:
    """One keyset page of PAGE_SIZE rows; two queries (entries, their documents)."""
    desc = opts.descending
    mode = (
        "last"
        if opts.last
        else "before"
        if opts.before is not None
        else "after"
        if opts.after is not None
        else "first"
    )
    reverse_needed = mode in ("last", "before")
    ranged = opts.has_range
    if ranged:
        qs = filtered_entries(case, opts)
        forward, backward = ("-seq", "seq") if desc else ("seq", "-seq")
        if mode == "before":
            qs = (
                qs.filter(seq__gt=opts.before)
                if desc
                else qs.filter(seq__lt=opts.before)
            )
        elif mode == "after":
            qs = (
                qs.filter(seq__lt=opts.after) if desc else qs.filter(seq__gt=opts.after)
            )
        qs = qs.order_by(backward if reverse_needed else forward)
        raws = list(qs.values(*ROW_FIELDS)[: PAGE_SIZE + 1])
    else:
        # The pages the public reads most (no date or number range): the same query
        # (page_entries_query), its SQL compiled once per process (the ORM's
        # compiling cost more than PostgreSQL's answer).
        cursor = opts.before if mode == "before" else opts.after
        keys = (case.pk, cursor) if mode in ("before", "after") else (case.pk,)
        raws = _PAGE_QUERIES[(mode, desc)].rows(*keys)
    entries = [SimpleNamespace(**raw) for raw in raws]
    more = len(entries) > PAGE_SIZE
    entries = entries[:PAGE_SIZE]
    if reverse_needed:
        entries.reverse()
    if opts.last:
        is_first, is_last = not more, True
    elif opts.before is not None:
        is_first, is_last = not more, False
    elif opts.after is not None:
        is_first, is_last = False, not more
    else:
        is_first, is_last = True, not more
    tz = clock.court_tz()
    # The page's documents in one query, grouped in Python (no per-row managers).
    documents: dict[int, list] = {e.id: [] for e in entries}
    if entries and not ranged:
        # Every entry of the case between the page's first and last seq is on the
        # page, so the seq range names the page's documents (compiled once).
        seqs = (entries[0].seq, entries[-1].seq)
        doc_rows = _PAGE_DOCUMENTS.rows(case.pk, min(seqs), max(seqs))
    elif entries:
        doc_rows = list(_documents_of(list(documents)))
    else:
        doc_rows = []
    for raw in doc_rows:
        documents[raw["entry_id"]].append(SimpleNamespace(**raw))
    rows = [
        build_row(user, e, documents[e.id], participant=participant, tz=tz)
        for e in entries
    ]
    return DocketPage(
        rows=rows,
        next_after=rows[-1].seq if rows and not is_last else None,
        prev_before=rows[0].seq if rows and not is_first else None,
        is_first=is_first,
        is_last=is_last,
    )


def _documents_of(entry_ids: list[int]) -> QuerySet[Document, dict]:
    return (
        Document.objects.filter(entry_id__in=entry_ids)
        .order_by("entry_id", "sequence", "id")
        .values(*DOC_FIELDS)
    )


def page_entries_query(
    case_id: int, mode: str, desc: bool, cursor: int | None = None
) -> QuerySet[DocketEntry, dict]:
    """One keyset page (PAGE_SIZE + 1 rows) of a case's entries, no date or number
    range: mode first | after | before | last, `cursor` the seq of after/before."""
    qs = DocketEntry.objects.filter(case_id=case_id)
    forward, backward = ("-seq", "seq") if desc else ("seq", "-seq")
    if mode == "after":
        qs = qs.filter(seq__lt=cursor) if desc else qs.filter(seq__gt=cursor)
    elif mode == "before":
        qs = qs.filter(seq__gt=cursor) if desc else qs.filter(seq__lt=cursor)
    order = backward if mode in ("before", "last") else forward
    return qs.order_by(order).values(*ROW_FIELDS)[: PAGE_SIZE + 1]


_PAGE_QUERIES: dict[tuple[str, bool], CompiledValues] = {
    (mode, desc): CompiledValues(
        (
            lambda case_id, cursor=None, mode=mode, desc=desc: page_entries_query(
                case_id, mode, desc, cursor
            )
        ),
        2 if mode in ("after", "before") else 1,
    )
    for mode in ("first", "after", "before", "last")
    for desc in (False, True)
}


def page_documents_query(
    case_id: int, seq_from: int, seq_to: int
) -> QuerySet[Document, dict]:
    """The documents of a case's entries with seq in [seq_from, seq_to]."""
    return (
        Document.objects.filter(
            entry__case_id=case_id, entry__seq__gte=seq_from, entry__seq__lte=seq_to
        )
        .order_by("entry_id", "sequence", "id")
        .values(*DOC_FIELDS)
    )


_PAGE_DOCUMENTS = CompiledValues(page_documents_query, 3)


# -- Whole-docket exports (streamed) ---------------------------------------------------


EXPORT_FIELDS = (
    "id",
    "number",
    "seq",
    "filed_date",
    "entered_at",
    "filer_id",
    "entered_by_id",
    "text",
    "visibility",
    "visible_from",
)


EXPORT_CHUNK = 2000


def export_rows(case: Case, opts: DocketOptions, *, user: AnyUser, participant: bool):
    """Yield (EntryRow) for the whole filtered docket, 2,000 rows per database round trip.

    Rows are values() dicts read through a server-side cursor
    (.iterator(chunk_size=2000)); the documents of each 2,000-row slab come in one
    query (entry_id IN ...), so memory stays flat whatever the size of the case and
    the database does one index lookup per slab rather than one per row.
    """
    tz = clock.court_tz()
    qs = (
        filtered_entries(case, opts)
        .order_by("-seq" if opts.descending else "seq")
        .values(*EXPORT_FIELDS)
    )
    rows = qs.iterator(chunk_size=EXPORT_CHUNK)
    while True:
        slab = list(islice(rows, EXPORT_CHUNK))
        if not slab:
            return
        documents: dict[int, list] = {raw["id"]: [] for raw in slab}
        seqs = (slab[0]["seq"], slab[-1]["seq"])
        # A seq range, not 2,000 ids: the documents of entries the filters left out
        # are read and dropped, which costs less than sending the ids.
        for raw in (
            Document.objects.filter(
                entry__case_id=case.pk, entry__seq__range=(min(seqs), max(seqs))
            )
            .order_by("entry_id", "sequence", "id")
            .values(*DOC_FIELDS)
        ):
            if raw["entry_id"] in documents:
                documents[raw["entry_id"]].append(SimpleNamespace(**raw))
        for raw in slab:
            entry = SimpleNamespace(**raw, case_id=case.pk, modified_on=None)
            yield build_row(
                user, entry, documents[raw["id"]], participant=participant, tz=tz
            )


# -- Full-text search ------------------------------------------------------------------

# -- RSS -------------------------------------------------------------------------------
