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
        "validation, 500-page text PDF",
        "what grows with the pages is the object walk: qpdf's JSON of each page and"
        " content stream turned into pypdf objects (about 26 us a page) and the walk over"
        " them (about 18 us a page). Measured on 2026-12-05 with other work on the"
        " machine: in process 42-45 ms for 500 pages against 102-123 ms for the bare"
        " read+write (0.37-0.44x), 151-182 ms for 2,000 pages (0.33-0.37x); this"
        " benchmark alone gave 0.44x and 0.45x (500 pages, in process and in the pool)"
        " and 0.37x and 0.32x (2,000). Reading the warnings' text with pdfium instead"
        " of pypdf took the fixed part from about 20 ms to about 3.5 ms. A row over the"
        " target in a full run is the machine's noise on the baseline, not the check.",
    ),
    (
        "P3",
        "upload to receipt",
        "the figure is three requests of the wizard, the baseline one part of the first:"
        " measured in process on 2026-12-05 (CPU), the upload request is 14 ms in the web"
        " process besides the 11 ms check (the check itself: 10 ms in the pool's child),"
        " the submit 28 ms, the receipt 18 ms. The ratio is (check + the rest) / check, so"
        " every cut to the check raises it (2.75x with a 28 ms check; 4.5x in a run of"
        " this bench alone once the check was 11 ms of CPU): for 1.5x, storing the file, the draft's rows, the whole submit (the rule"
        " book's checks, the case lock, numbering, the entry, its audit event and NEF"
        " row) and the receipt page would have to cost 5.5 ms together, less than one"
        " Django request with its SQL here.",
    ),
    (
        "P4",
        "filings/s, 32 threads",
        "one filing through the service costs 6.4 ms (4.5 ms of it CPU in the Python"
        " process; the breakdown rows: the case row lock 1.5 ms, the audit chain 1.0 ms,"
        " the insert 0.8 ms, the number 0.6 ms, the rest 2.4 ms) and 8 SQL statements;"
        " the raw counter-and-insert is 0.5 ms and 3 statements. The statements are what"
        " keeps the record trustworthy (the lock that makes numbers gap-free, the audit"
        " chain, the idempotency key); the 64 threads share one Python interpreter lock,"
        " so the ORM's work does not overlap. The issue accepts a measured breakdown"
        " here; zero gaps and duplicates (pass).",
    ),
    (
        "P4",
        "one filing at a time",
        "see the threaded P4 row: the same breakdown, one thread.",
    ),
    (
        "P5",
        "docket page throughput, 70,000-entry case",
        "single client, one request after another, the whole docket page (16 ms:"
        " middleware, the session, the access checks, the header and party blocks, the"
        " filter form and the page's frame, 4 statements) against a bare view that"
        " renders the same 100 rows alone (5.7 ms). The page's cost does not grow with"
        " the case (first, middle and last page 1.20-1.22x a 10-entry case: pass), and"
        " the same page against a bare view of the same rows inside the docket"
        " benchmark, both through the whole stack, passes (1.05x).",
    ),
    (
        "P7",
        "docket sheet PDF",
        "WeasyPrint's cost follows the text it sets, and a sheet page carries more of"
        " it: 23.3 entries and 3,619 characters a page against the div layout's 18.9"
        " entries and 2,551 (CM/ECF's three columns against a whole line for each"
        " entry's date and number). Per character the sheet is about 1.3x faster than"
        " the baseline. Of 3.5 CPU-s per 1,000 entries (a profile by the helper who"
        " changed the layout): WeasyPrint style and layout 2.45 s, PDF writing 0.85 s,"
        " HTML parsing 0.15 s, the template 55 ms, the SQL 15 ms; three inline-block"
        " cells per entry (70% of layout) were replaced by one block a row this session"
        " (0.36x -> 0.78x pages/s).",
    ),
    (
        "P8",
        "court-wide search 'motion' over",
        "not the search's own query (0.1 ms, Index Scan using entry_newest) but the"
        " query that fetches the 20 hits with their cases: the case table's statistics"
        " said it was empty (autovacuum had analyzed it while it held only an earlier"
        " benchmark's rolled-back rows), so PostgreSQL made the cases the outer side of"
        " the join and probed the entries' case index once per case: 3,000 probes,"
        " 0.78 s (EXPLAIN ANALYZE inside the benchmark, 2026-12-05). Alone the table had"
        " never been analyzed and the planner guessed its size from its pages. The data"
        " generator now analyzes the cases it loads as well as their entries; the"
        " report records both queries' plans (explain, explain_hits in docket.json).",
    ),
    (
        "P8",
        "search query alone (database), inside",
        "the two-word query (the table is vacuumed before the benchmark, so no dead"
        " rows of the previous benchmark are read; alone on 2026-12-05: 6.7 ms against"
        ' 2.3 ms, 2.88x): for "motion relief" PostgreSQL takes the words as independent,'
        " underestimates the matches and reads them all from the text index and sorts"
        " them (3.8 ms) where walking the case's newest entries finds the page in"
        " 0.16 ms (measured on the load run's committed 2,000,000-entry database). One"
        ' word is flat: "motion" 0.06 ms, a rare number 0.9 ms, an absent word'
        " 0.6 ms. A two-step search (a bounded walk, then the index) was built and"
        " dropped: its extra queries cost more on common searches than it saved here.",
    ),
    (
        "P8",
        "search inside a 70,000-entry case",
        'the dead rows of the previous benchmark (see "search query alone"): re-run'
        " alone with the table vacuumed first, 26 ms against 20 ms (1.26x, pass).",
    ),
    (
        "P8",
        "court-wide search, 81,110 entries",
        "the whole search page (21 ms: the query, 20 highlights made by ts_headline,"
        " the page's frame and form) against a bare view of 100 rows from the database"
        " (5.9 ms) that renders no page around them; within the 500 ms budget.",
    ),
    (
        "P8",
        "court-wide document-text search alone",
        "document text is searched page by page (100,000 page rows, each far longer"
        " than a docket entry's text) and each hit gets a snippet made from its page:"
        " 30 ms against 10 ms for docket text, within the 500 ms budget. The share of"
        " the snippets against the index walk was not measured apart.",
    ),
    (
        "LOAD",
        "api: filings per second",
        "the two cores are the limit. In the full-size run of 2026-12-05 08:31 (nothing"
        " else running) the application's processes took 1.26 cores and PostgreSQL,"
        " Redis and the system the rest (load average 5.6 on 2 cores). CPU per filing"
        " by phase: web 0.038 s (with the public reads and the claims alongside),"
        " validation 0.014, stamping 0.012, NEF 0.017, alerts 0.001, text 0.006, other"
        " Celery 0.003: about 0.091 CPU-s in the application per filing (0.155 the"
        " morning before: connections kept by Celery, SQL compiled once and planned"
        " once, cheaper Form 410, pipeline and public reads), plus PostgreSQL's ~0.035"
        " (measured on its backends), so 20 filings a second needs about 2.5 cores. The"
        " pipeline runs ahead of the web (NEF lag p95 0.26 s, pass): a busy machine"
        " delays filers, not notices.",
    ),
    (
        "LOAD",
        "api: filer p95",
        "a closed loop of 10 filers: each waits for its filing before the next, so at"
        " 13.7 filings a second a filing waits about 10 / 13.7 = 0.73 s in the queue for"
        " the web workers (p50 0.69 s); the p95 follows the rate (see the"
        " filings-per-second row).",
    ),
    (
        "LOAD",
        "wizard: filer p95",
        "10 attorneys in a closed loop share 4 sync web workers with the claimants"
        " (whose claim form is rendered by WeasyPrint inside the request) and the"
        " public reads; a wizard filing is 10 requests and each waits for a free"
        " worker on a saturated machine. The wizard's own work fell (in process, one"
        " whole filing: 148 -> 138 ms CPU, its statements prepared); the 7.7 s p95"
        " (p50 3.8 s; 9.9 s the morning before) is mostly that queue.",
    ),
]


def why(target: str, name: str) -> str | None:
    """The recorded cause of a failing row, or None."""
    for row_target, prefix, cause in WHY:
        if row_target == target and name.startswith(prefix):
            return cause
    return None
