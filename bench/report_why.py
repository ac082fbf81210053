"""Why a row of `make bench` fails: the measured cause, written where the report finds it.

bench/report.py prints, under "What fails, and by how much", each failing row's
shortfall and then its cause from WHY: the first entry whose target matches and whose
name prefix starts the row's name. A failing row with no entry says so plainly, so a
new failure is never passed over in silence. Each cause is a measurement (a profile,
a breakdown, a comparison), not a hope; when the code changes, the cause is
re-measured and rewritten here.
"""

from __future__ import annotations

# (target, the start of the row's name, the measured cause)
WHY: list[tuple[str, str, str]] = [
    (
        "P2",
        "validation, 500-page text PDF, in process",
        "in process the check opens the file twice (pypdf strictly, then pikepdf for"
        " the object walk) and reads the text of the first 30 pages for the redaction"
        " warnings, a fixed cost (about 21 ms, measured when pikepdf came in) that a"
        " 500-page file does not dilute as a 2,000-page one does (0.30x, pass). Every"
        " upload is checked in the warm sandbox pool, where the same file is 0.43x"
        " (pass): the in-process row is the check without its sandbox, kept for"
        " comparison.",
    ),
    (
        "P3",
        "upload to receipt",
        "the figure is three requests of the wizard (in this run: upload 111 ms, of"
        " which the check is the 65 ms the baseline measures; submit 74 ms; receipt"
        " 48 ms), the baseline one part of the first. For 1.5x, storing the file,"
        " the draft's rows, the whole submit (the rule book's checks, the case lock,"
        " numbering, the entry, its audit event and NEF row) and the receipt page"
        " would have to cost 32 ms together; each of those requests is a Django"
        " request with its SQL, which alone costs more than that here.",
    ),
    (
        "P4",
        "filings/s, 32 threads",
        "one filing through the service costs 6.8 ms (4.5 ms of it CPU in the"
        " Python process; breakdown rows above: the case row lock 1.6 ms, the audit"
        " chain 1.0 ms, the insert 0.85 ms, the number 0.7 ms, the rest 2.4 ms) and"
        " 8 SQL statements; the raw counter-and-insert is 0.35 ms and 3 statements."
        " The statements are what keeps the record trustworthy (the lock that makes"
        " numbers gap-free, the audit chain, the idempotency key); the 64 threads share"
        " one Python interpreter lock, so the ORM's work does not overlap. The issue"
        " accepts a measured breakdown here; zero gaps and duplicates (pass).",
    ),
    (
        "P4",
        "one filing at a time",
        "see the threaded P4 row: the same breakdown, one thread.",
    ),
    (
        "P8",
        "court-wide search 'motion' over",
        "PostgreSQL walked the newest-first index on filed_at alone and, the data set"
        " giving every case of one size the same filing times, had to read and sort"
        " each group of equal times before the first 20 hits (the plan's Incremental"
        " Sort). Migration dockets 0022 replaces it by one on (filed_at, id), the"
        " order every newest-first list uses, so the walk stops at the 21st hit.",
    ),
    (
        "P8",
        "search query alone (database), inside",
        'for two words together ("motion relief") PostgreSQL takes the words as'
        " independent, estimates about 300 matches in the mega case where there are"
        " 1,365, and reads them all from the text index and sorts them (21 ms in a run"
        " beside this one) instead of walking the case's newest entries, which finds the"
        ' page in 0.4 ms. One word is answered flat: "motion" 0.09 ms (newest-first'
        " index), a rare number 1.3 ms and an absent word 1.2 ms (text index). The"
        " planner's estimate for words together cannot be corrected by statistics"
        " (PostgreSQL keeps none on tsvector matches).",
    ),
    (
        "P8",
        "search inside a 70,000-entry case",
        'the query\'s part: see the row "search query alone". The full-size run'
        " measured 685 ms for that query with the court's 2,000,000 entries in the"
        " table, where PostgreSQL can also walk the court-wide filed_at index and"
        " sort each group of equal filing times (seen in a probe plan); migration"
        " dockets 0022 gives that index the id as well, so no such sort remains.",
    ),
    (
        "P8",
        "court-wide document-text search alone",
        "document text is searched page by page (100,000 page rows, each far longer"
        " than a docket entry's text) and each hit gets a snippet made from its"
        " page: 58 ms against 18 ms for docket text, within the 500 ms budget. The"
        " share of snippets against the index walk was not measured apart.",
    ),
]


def why(target: str, name: str) -> str | None:
    """The recorded cause of a failing row, or None."""
    for row_target, prefix, cause in WHY:
        if row_target == target and name.startswith(prefix):
            return cause
    return None
