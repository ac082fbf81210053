"""The text ECF prints on and about a filed document: the page header and the electronic stamp.

Pure formatting over the entry and document rows; stamping (which writes the header on
every page) and the NEF (which shows the stamp) both read it from here, so the two
never disagree and neither imports the other.
"""

from __future__ import annotations

from collections.abc import Callable

from core import clock

from ..models import DocketEntry, Document


def header_for(document: Document, entry: DocketEntry) -> Callable[[int, int], str]:
    """Return `header(i, n)`: the CM/ECF header line of page i of n, in court time.

    cmecf.md 4.3: `Case 24-01234-LT7  Doc 17  Filed 11/26/26  Entered 11/26/26 14:03:12
    Desc Main Document  Page 3 of 12`; attachments carry their own description.
    """
    entered = clock.local(entry.entered_at)
    parts = [f"Case {entry.case.display_number}"]
    if entry.number:
        parts.append(f"Doc {entry.number}")
    parts.append(f"Filed {entry.filed_date:%m/%d/%y}")
    parts.append(f"Entered {entered:%m/%d/%y %H:%M:%S}")
    parts.append(f"Desc {document.description}")
    prefix = "  ".join(parts)

    def header(page: int, pages: int) -> str:
        return f"{prefix}  Page {page} of {pages}"

    return header


def stamp_text(document: Document, entry: DocketEntry | None = None) -> str:
    """The electronic document stamp shown in the NEF (cmecf.md 4.4), or "" before stamping.

    `[STAMP CASBStamp_ID=875559582 [Date=12/29/2024] [FileNumber=20552451-0] [<128 hex>]]`;
    the digest is the SHA-512 of the original, so anyone can check a copy against it.
    """
    if not document.stamp_id:
        return ""
    entry = entry or document.entry
    filed = entry.filed_date
    prefix = entry.case.court.stamp_prefix
    return (
        f"[STAMP {prefix}Stamp_ID={document.stamp_id} [Date={filed.month}/{filed.day}/{filed.year}] "
        f"[FileNumber={document.file_number}] [{document.sha512}]]"
    )
