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
WHY: list[tuple[str, str, str]] = []


def why(target: str, name: str) -> str | None:
    """The recorded cause of a failing row, or None."""
    for row_target, prefix, cause in WHY:
        if row_target == target and name.startswith(prefix):
            return cause
    return None
