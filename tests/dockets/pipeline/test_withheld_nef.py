"""An NEF e-mail still in the outbox when its entry is sealed is not sent; the notice of
an entry filed under seal (which carries no text) still is.

The sender (core.services.deliver_message) and the inbox page ask one question,
core.mail.withheld_reason, which dockets.pipeline.inbox.withheld_nef answers.
"""

import pytest
from django.core import mail
from django.urls import reverse
from pipeline_helpers import file_entry

from core import services as outbox
from core.models import InboxMessage
from dockets.clerk.services import set_entry_visibility
from dockets.models import Visibility
from dockets.permissions import can_see_entry_text
from dockets.pipeline.inbox import WITHHELD
from dockets.pipeline.sending import send_notice
from dockets.pipeline.stamping import stamp_entry

pytestmark = pytest.mark.django_db


def _nef_messages(entry) -> list[InboxMessage]:
    """Stamp and notice `entry`; its e-mails wait in the outbox, as during an SMTP retry."""
    for notice_id in stamp_entry(entry_id=entry.pk):
        send_notice(notice_id=notice_id)
    messages = list(
        InboxMessage.objects.filter(
            kind="nef", status=InboxMessage.Status.PENDING
        ).select_related("user")
    )
    assert messages, "the NEF went to no one: nothing was tested"
    return messages


def test_an_nef_waiting_in_the_outbox_is_not_sent_once_its_entry_is_sealed(
    pcase, tmp_path, client
):
    entry = file_entry(pcase, tmp_path)
    messages = _nef_messages(entry)
    assert all(entry.text in m.body_text for m in messages)  # written while public
    set_entry_visibility(
        entry=entry,
        clerk=pcase.users["clerk"],
        visibility=Visibility.SEALED,
        reason="Order sealing entry",
    )
    entry.refresh_from_db()
    mail.outbox.clear()
    withheld = []
    for message in messages:
        outbox.deliver_message(message_id=message.pk)
        message.refresh_from_db()
        if can_see_entry_text(message.user, entry):
            assert message.status == InboxMessage.Status.SENT
        else:
            assert message.status == InboxMessage.Status.WITHHELD
            assert message.error_message == WITHHELD
            withheld.append(message)
    assert withheld, "every reader may see the sealed text: nothing was withheld"
    sent_to = {to for m in mail.outbox for to in m.to}
    assert not sent_to & {m.to_email for m in withheld}
    # The inbox page asks the same question: the copy is withheld there too.
    reader = next(m for m in withheld if m.user is not None)
    client.force_login(reader.user)
    page = client.get(
        reverse("core:inbox-message", kwargs={"message_id": reader.pk})
    ).content.decode()
    assert entry.text not in page


def test_the_notice_of_an_entry_filed_under_seal_is_still_sent(pcase, tmp_path, client):
    entry = file_entry(pcase, tmp_path, visibility=Visibility.SEALED)
    messages = _nef_messages(entry)
    readers = [m for m in messages if not can_see_entry_text(m.user, entry)]
    assert readers, "only court users got the notice: nothing was tested"
    mail.outbox.clear()
    for message in messages:
        outbox.deliver_message(message_id=message.pk)
        message.refresh_from_db()
        assert message.status == InboxMessage.Status.SENT, message.error_message
        assert entry.text not in message.body_text
    assert {m.to_email for m in readers} <= {to for m in mail.outbox for to in m.to}
    # Its inbox copy carries no text, so the page does not call it withheld.
    reader = next(m for m in readers if m.user is not None)
    client.force_login(reader.user)
    page = client.get(
        reverse("core:inbox-message", kwargs={"message_id": reader.pk})
    ).content.decode()
    assert "no longer shown here" not in page


def _receipt_rows(client, entry) -> dict[str, str]:
    """The receipt's delivery table: each e-mail address's row."""
    page = client.get(
        reverse("dockets:entry-receipt", kwargs={"entry_id": entry.pk})
    ).content.decode()
    table = page.split("Delivery, recipient by recipient")[1].split("</table>")[0]
    return {
        row.split("</td>")[1].strip().removeprefix("<td>"): row
        for row in table.split("<tr>")[1:]
        if "@" in row
    }


def test_the_receipt_says_which_copies_were_withheld_not_sent(pcase, tmp_path, client):
    """A recipient whose NEF copy was withheld (its entry sealed while the copy waited
    in the outbox) is not shown as "Sent" on the filer's receipt; neither is one whose
    copy has not left yet."""
    entry = file_entry(pcase, tmp_path)
    messages = _nef_messages(entry)
    client.force_login(pcase.users["clerk"])
    waiting = _receipt_rows(client, entry)
    assert waiting and all("Waiting to send" in row for row in waiting.values())
    outbox.deliver_message(message_id=messages[0].pk)  # one left before the seal
    set_entry_visibility(
        entry=entry,
        clerk=pcase.users["clerk"],
        visibility=Visibility.SEALED,
        reason="Order sealing entry",
    )
    for message in messages:
        outbox.deliver_message(message_id=message.pk)
    statuses = {
        m.to_email: m.status
        for m in InboxMessage.objects.filter(pk__in=[m.pk for m in messages])
    }
    assert InboxMessage.Status.WITHHELD in statuses.values()
    assert InboxMessage.Status.SENT in statuses.values()
    rows = _receipt_rows(client, entry)
    assert set(rows) == set(statuses)
    for email, status in statuses.items():
        cell = rows[email].split("<td>")[3].split("</td>")[0]
        if status == InboxMessage.Status.WITHHELD:
            assert cell == "Not sent: its docket entry was sealed", email
        else:
            assert cell == "Sent", email


def test_a_batch_of_copies_of_two_entries_withholds_only_the_sealed_one_s(
    pcase, tmp_path
):
    """The sender asks once per batch (core.services.deliver_messages): copies about a
    sealed entry are withheld from the readers who may not see it, copies about a
    public entry in the same batch are sent."""
    sealed, public = file_entry(pcase, tmp_path), file_entry(pcase, tmp_path)
    sealed_copies = _nef_messages(sealed)
    public_copies = [
        m for m in _nef_messages(public) if m.pk not in {c.pk for c in sealed_copies}
    ]
    set_entry_visibility(
        entry=sealed,
        clerk=pcase.users["clerk"],
        visibility=Visibility.SEALED,
        reason="Order sealing entry",
    )
    sealed.refresh_from_db()
    mail.outbox.clear()
    batch = sealed_copies + public_copies
    outbox.deliver_messages(message_ids=[m.pk for m in batch][::-1])
    status = dict(
        InboxMessage.objects.filter(pk__in=[m.pk for m in batch]).values_list(
            "pk", "status"
        )
    )
    withheld = [m for m in sealed_copies if not can_see_entry_text(m.user, sealed)]
    assert withheld, "every reader may see the sealed text: nothing was tested"
    for message in batch:
        expected = (
            InboxMessage.Status.WITHHELD
            if message in withheld
            else InboxMessage.Status.SENT
        )
        assert status[message.pk] == expected, message.to_email
    assert len(mail.outbox) == len(batch) - len(withheld)
