"""CM/ECF's own markup for the legacy addresses (/cgi-bin/*.pl, /doc1/), built from the
same rows the modern pages use (reports.selectors), so the two never disagree.

Tools written for CM/ECF (law firms' docketing software, CourtListener/RECAP through
juriscraper, claims agents' scripts) read these pages by their exact labels, table
shapes and link forms, so the markup follows real CM/ECF output
(reference/cmecf-samples/, reference/cmecf.md 6): the docket row is
`Filing Date | # | Docket Text` with the number cell split in two, the document
link is `/doc1/<court prefix><digits>` with `goDLS('/doc1/...','<caseid>','<de_seq_num>',...)`
in its onclick, and every report ends with the transaction receipt.

Visibility is never decided here: each row arrives from selectors.build_row, which
asks dockets.permissions (can_see_entry_text, can_view_document). A sealed row has
only the placeholder text and no link; a restricted row keeps its text, gets CM/ECF's
restriction note and no link unless the viewer may open the document.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Iterator

from django.utils.html import escape

from dockets.models import Visibility
from dockets.text import attachment_clause

from .selectors import DocRow, EntryRow

# CM/ECF bills 4,320 bytes of HTML as one page (reference/cmecf.md 8); ECF charges
# nothing, so the receipt's Cost is always 0.00.
BYTES_PER_PAGE = 4320

RESTRICTED_NOTE = "** RESTRICTED DOCUMENT **"


def restriction_note(row: EntryRow) -> str:
    """CM/ECF's note on a restricted entry (transcripts: until the release date)."""
    if row.visible_from is not None:
        until = f"{row.visible_from.month:02d}/{row.visible_from.day:02d}/{row.visible_from.year}"
        return (
            f"{RESTRICTED_NOTE} Remote electronic access to this document is "
            f"restricted until {until}."
        )
    return RESTRICTED_NOTE


def mdy(day: dt.date) -> str:
    return f"{day.month:02d}/{day.day:02d}/{day.year}"


def doc1_path(cmecf_id: str) -> str:
    return f"/doc1/{cmecf_id}"


def go_dls(cmecf_id: str, case_id: int, de_seq_num: int, magic_num: str = "") -> str:
    """The onclick CM/ECF puts on document links (juriscraper reverse_goDLS_function)."""
    return (
        f"goDLS('{doc1_path(cmecf_id)}','{case_id}','{de_seq_num}','','','1',"
        f"'{magic_num}',''); return(false);"
    )


def doc_anchor(
    base: str, doc: DocRow, *, case_id: int, de_seq_num: int, label: str
) -> str:
    """`<a href='<site>/doc1/<id>' onClick="goDLS(...)">label</a>`."""
    return (
        f"<a href='{base}{doc1_path(doc.cmecf_id)}' "
        f'onClick="{go_dls(doc.cmecf_id, case_id, de_seq_num)}">{label}</a>'
    )


def docket_text_html(row: EntryRow, *, base: str, case_id: int) -> str:
    """The Docket Text cell, worded as the modern page words it (exports.row_html):
    the entry text, its attachments, "Modified on", and "(Entered: ...)"."""
    text: str = escape(row.text)
    main = row.main
    if not row.number and main is not None and main.readable and main.cmecf_id:
        # An unnumbered entry's document: linked in the text, as the modern page does.
        link = doc_anchor(
            base, main, case_id=case_id, de_seq_num=row.seq, label="Document"
        )
        text += f" ({link})"
    if row.attachments:
        parts = []
        for a in row.attachments:
            if a.readable and a.cmecf_id:
                number = doc_anchor(
                    base, a, case_id=case_id, de_seq_num=row.seq, label=str(a.sequence)
                )
                parts.append(f"# {number} {escape(a.description)}")
            else:
                # Worded as the modern page words it, so the two texts agree.
                parts.append(f"# {a.sequence} {escape(a.description)} (not available)")
        linked = "(Attachments: " + " ".join(parts) + ")"
        # The docket text already lists the attachments (dockets.text): link them there,
        # once, as the modern page does; only a text without the list gets it appended.
        plain = escape(attachment_clause([a.description for a in row.attachments]))
        if plain in text:
            text = text.replace(plain, linked, 1)
        else:
            text += " " + linked
    main = row.main
    if (row.shown and main is not None and not main.readable) or (
        row.shown
        and main is None
        and row.visibility == Visibility.RESTRICTED
        and row.visible_from is not None
    ):
        text += " " + escape(restriction_note(row))
    if row.modified_on:
        text += f" Modified on {row.modified_on.month}/{row.modified_on.day}/{row.modified_on.year}"
    text += f" (Entered: {mdy(row.entered_date)})"
    return text


def docket_row(row: EntryRow, *, base: str, case_id: int) -> str:
    """One docket row in CM/ECF's four-cell layout (the # column split in two)."""
    main = row.main if row.main is not None and row.main.readable else None
    if row.number and main is not None and main.cmecf_id:
        number = doc_anchor(
            base, main, case_id=case_id, de_seq_num=row.seq, label=str(row.number)
        )
    elif row.number:
        number = str(row.number)
    else:
        number = "&nbsp;"
    return (
        f'<TR><TD width="94" nowrap valign=bottom>{mdy(row.filed_date)}</TD>'
        "<TD width=54 valign=bottom align=right style='border-right:0;padding-right:1px'>&nbsp;</TD>"
        f"<TD width=30 valign=bottom align=left style='border-left:0;padding-left:1px'>{number}</TD>"
        f"<TD valign=bottom>{docket_text_html(row, base=base, case_id=case_id)}</TD></TR>\n"
    )


DOCKET_TABLE_HEAD = (
    "<TABLE BORDER=1 CELLPADDING=10 CELLSPACING=0>"
    '<TR><TH width="94" nowrap>Filing Date</TH>\n'
    "<TH colspan=2 align='center'>#</TH><TH align=center>Docket Text</TH></TR>\n"
)


def docket_rows(
    rows: Iterable[EntryRow], *, base: str, case_id: int, slab: int = 500
) -> Iterator[str]:
    """The docket table, in slabs of `slab` rows (the export streams them)."""
    yield DOCKET_TABLE_HEAD
    buffer: list[str] = []
    for row in rows:
        buffer.append(docket_row(row, base=base, case_id=case_id))
        if len(buffer) >= slab:
            yield "".join(buffer)
            buffer = []
    buffer.append("</TABLE>\n")
    yield "".join(buffer)


def receipt(
    *, when: dt.datetime, login: str, description: str, criteria: str, size: int
) -> str:
    """CM/ECF's "Transaction Receipt" block that ends every report."""
    pages = max(1, math.ceil(size / BYTES_PER_PAGE))

    def cell(value: str) -> str:
        return (
            f"<TD ALIGN=LEFT><FONT SIZE=-1 COLOR=DARKBLUE> {escape(value)} </FONT></TD>"
        )

    def label(value: str) -> str:
        return f"<TH ALIGN=LEFT><FONT SIZE=-1 COLOR=DARKBLUE> {value}: </FONT></TH>"

    stamp = when.strftime("%m/%d/%Y %H:%M:%S")
    return (
        '<BR><BR><HR><CENTER><TABLE BORDER=1 BGCOLOR=white width="400">'
        "<TR><TH COLSPAN=4><FONT SIZE=+1 COLOR=DARKRED>PACER Service Center </FONT></TH></TR>"
        "<TR><TH COLSPAN=4><FONT COLOR=DARKBLUE>Transaction Receipt </FONT></TH></TR>"
        f"<TR><TD COLSPAN=4 ALIGN=CENTER><FONT SIZE=-1 COLOR=DARKBLUE>{stamp}</FONT></TD></TR>"
        f"<TR>{label('PACER Login')}{cell(login)}{label('Client Code')}{cell('')}</TR>"
        f"<TR>{label('Description')}{cell(description)}{label('Search Criteria')}{cell(criteria)}</TR>"
        f"<TR>{label('Billable Pages')}{cell(str(pages))}{label('Cost')}{cell('0.00')}</TR>"
        "</TABLE></CENTER>"
    )


def money(cents: int | None) -> str:
    """CM/ECF's amounts: `$45000.00` (no thousands separator)."""
    if cents is None:
        return ""
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}${cents // 100}.{cents % 100:02d}"
