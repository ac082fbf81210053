"""Whether an NEF copy in a user's in-app inbox may still be shown.

Threat model: an NEF sent before the clerk sealed its entry carries the entry's text.
The e-mail has left, but the copy in ECF's own inbox page is served by ECF, so it
follows the entry's visibility now (dockets.permissions), like every other page:
the copy is withheld while its reader may not see the entry's text, and shown again
if the entry is unsealed. core.views asks through ECF_INBOX_WITHHELD (core imports no
app above it).
"""

from __future__ import annotations

from ..permissions import can_see_entry_text
from .models import NoticeDelivery

WITHHELD = (
    "The court has sealed the docket entry this notice was about, so its text is no "
    "longer shown here. Ask the clerk's office if you need it."
)


def withheld_nef(*, message) -> str:
    """Why the inbox copy `message` is withheld from its reader now, or ""."""
    delivery = (
        NoticeDelivery.objects.select_related("recipient__notice__entry__case")
        .filter(message_id=message.pk)
        .first()
    )
    if delivery is None:
        return ""
    entry = delivery.recipient.notice.entry
    return "" if can_see_entry_text(message.user, entry) else WITHHELD
