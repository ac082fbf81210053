"""Whether an NEF copy may still reach its reader: shown in the inbox, sent by e-mail.

Threat model: an NEF written while its entry was public carries the entry's text
(dockets.pipeline.nef shows the text only when anyone may read it). If the clerk
seals the entry afterwards, the copy in ECF's own inbox page is served by ECF, so it
follows the entry's visibility now (dockets.permissions), like every other page: it
is withheld while its reader may not see the entry's text, and shown again if the
entry is unsealed. The e-mail of such a copy may still be waiting in the outbox (an
SMTP retry): the sender asks the same question and does not send it.

An NEF written after the entry was sealed, or for an entry filed under seal, carries
no text, so it is neither withheld nor stopped: the notice of a sealed filing still
reaches those it must. dockets/apps.py registers `withheld_nef` with core.mail (core
imports no app above it); it answers for a batch of messages at once.
"""

from __future__ import annotations

import datetime as dt
import functools

from ..models import (
    DocketEntry,
    DocketEntryRevision,
    Notice,
    NoticeRecipient,
    Visibility,
)
from ..permissions import can_see_entry_text
from .models import NoticeDelivery

WITHHELD = (
    "The court has sealed the docket entry this notice was about, so its text is no "
    "longer shown here. Ask the clerk's office if you need it."
)

# The levels at which an NEF carries the entry's text (dockets.permissions: anyone
# may read the text of a public or restricted entry).
TEXT_PUBLIC = (Visibility.PUBLIC, Visibility.RESTRICTED)


def withheld_nef(*, messages) -> dict[int, str]:
    """Which NEF copies among `messages` may not reach their reader now: {id: WITHHELD}.

    Withheld when the copy carries the entry's text (written while the text was
    public) and its reader may not see that text now. One query for the whole batch
    (the copies' notices and entries); more only for a sealed entry's copies.
    """
    if not messages:
        return {}
    ids = [m.pk for m in messages]
    # One row per entry (not per copy): the entry, with the ids of the given copies
    # that are about it. Its case is read only for an entry not public now.
    about = DocketEntry.objects.raw(_about_sql(), [ids])
    entries = {
        pk: entry
        for entry in about
        for pk in entry.message_ids  # type: ignore[attr-defined]  # the SQL's column
    }
    withheld = {}
    for message in messages:
        entry = entries.get(message.pk)
        if entry is None:
            continue
        if can_see_entry_text(message.user, entry):
            continue
        if _level_at(entry, message.created_at) not in TEXT_PUBLIC:
            continue  # written under seal: the copy carries no text
        withheld[message.pk] = WITHHELD
    return withheld


@functools.cache
def _about_sql() -> str:
    """The entries the NEF copies `= ANY(%s)` are about, each with `message_ids`: SQL
    written once (the ORM compiled this join anew for every batch of e-mails, at
    several times what running it costs); names from the models' metadata."""

    def column(model, name: str) -> str:
        return model._meta.get_field(name).column

    delivery, recipient = NoticeDelivery._meta.db_table, NoticeRecipient._meta.db_table
    notice, entry = Notice._meta.db_table, DocketEntry._meta.db_table
    return (
        # Table and column names from the models' metadata; the ids are a parameter.
        f'SELECT e.*, ARRAY_AGG(d."{column(NoticeDelivery, "message")}") AS message_ids '  # noqa: S608
        f'FROM "{delivery}" d '
        f'JOIN "{recipient}" r ON r."id" = d."{column(NoticeDelivery, "recipient")}" '
        f'JOIN "{notice}" n ON n."id" = r."{column(NoticeRecipient, "notice")}" '
        f'JOIN "{entry}" e ON e."id" = n."{column(Notice, "entry")}" '
        f'WHERE d."{column(NoticeDelivery, "message")}" = ANY(%s) GROUP BY e."id"'
    )


def _level_at(entry: DocketEntry, when: dt.datetime) -> str:
    """The entry's access level at `when`, from the clerk's recorded changes.

    Every change of an entry's level is a revision (dockets.clerk.services
    .set_entry_visibility); with none after `when`, the level then is today's.
    """
    later = (
        DocketEntryRevision.objects.filter(
            entry=entry, field="visibility", changed_at__gt=when
        )
        .order_by("changed_at", "id")
        .values_list("before", flat=True)
        .first()
    )
    return later if later is not None else entry.visibility
