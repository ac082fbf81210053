"""Corrections the CM/ECF way: each kind shows on the docket and nothing leaves the record."""

import hashlib
import re
from pathlib import Path

import pytest
from django.urls import reverse
from pdfmaker import make_pdf

from core.models import AuditEvent, InboxMessage
from dockets.clerk import services
from dockets.models import DocketEntry, DocketEntryRevision, Document, Event, Notice
from dockets.permissions import can_view_document
from dockets.services import UploadedDocument

pytestmark = pytest.mark.django_db


def _inbox(user, words):
    return InboxMessage.objects.filter(user=user, subject__icontains=words)


def _told_once_by_the_nef(user, docketed, words):
    """One clerk action, one message: the new entry's NEF reaches the filer, and no
    separate message about the same action is sent."""
    from dockets.pipeline.recipients import recipients_for

    assert user.pk in {a.user_id for a in recipients_for(docketed).electronic}
    assert not _inbox(user, words).exists()


def test_mark_reviewed_records_who_and_refuses_twice(world, file_entry):
    """The queue shows who reviewed an entry; a second review is refused with a plain reason."""
    clerk = world.users["clerk"]
    entry = file_entry(world.case, "msj", world.users["attorney"])
    assert entry.qc_status == DocketEntry.QcStatus.PENDING
    services.mark_entry_reviewed(entry=entry, clerk=clerk)
    entry.refresh_from_db()
    assert (entry.qc_status, entry.qc_by) == (DocketEntry.QcStatus.REVIEWED, clerk)
    assert AuditEvent.objects.filter(
        action="dockets.qc.reviewed", target_id=str(entry.pk), actor=clerk
    ).exists()
    with pytest.raises(
        services.UserFacingError, match=r"already reviewed by Alma D\. Morales"
    ):
        services.mark_entry_reviewed(entry=entry, clerk=clerk)


def test_corrective_entry_is_a_new_text_entry_referring_to_the_filing(
    world, file_entry
):
    """A corrective entry is docketed with the next number, refers to the entry, ends with the clerk's
    initials, and the filer is told; the original entry is untouched."""
    attorney, clerk = world.users["attorney"], world.users["clerk"]
    entry = file_entry(world.case, "msj", attorney)
    original_text = entry.text
    corrective = services.docket_corrective_entry(
        entry=entry,
        clerk=clerk,
        correction="Incorrect PDF, Filer Notified to Refile",
        note="Refile with the signed PDF.",
    )
    assert corrective.number == entry.number + 1
    assert corrective.text.startswith(
        "CORRECTIVE ENTRY: Incorrect PDF, Filer Notified to Refile."
    )
    assert (
        f"(RE: related document(s) {entry.number} Motion for Summary Judgment)"
        in corrective.text
    )
    assert "Refile with the signed PDF." in corrective.text
    assert corrective.text.endswith("(adm)")
    assert list(corrective.related.all()) == [entry]
    assert corrective.documents.count() == 0
    entry.refresh_from_db()
    assert entry.text == original_text
    assert entry.qc_status == DocketEntry.QcStatus.REVIEWED
    _told_once_by_the_nef(attorney, corrective, "Corrective entry")


def test_incorrect_pdf_is_restricted_to_the_court_and_the_filer_at_once(
    world, file_entry
):
    """After "Incorrect PDF", the public and other parties can no longer open the wrong
    PDF; the filer and the court still can, and the docket says so."""
    attorney, clerk = world.users["attorney"], world.users["clerk"]
    entry = file_entry(world.case, "msj", attorney)
    document = entry.documents.get(sequence=0)
    assert can_view_document(world.users["public"], document)
    corrective = services.docket_corrective_entry(
        entry=entry, clerk=clerk, correction="Incorrect PDF, Filer Notified to Refile"
    )
    document.refresh_from_db()
    assert not can_view_document(world.users["public"], document)
    assert can_view_document(attorney, document)
    assert can_view_document(clerk, document)
    assert "The incorrect PDF is restricted to the court and the filer." in (
        corrective.text
    )
    assert DocketEntryRevision.objects.filter(entry=entry).exists()


def test_wrong_correction_wording_is_refused(world, file_entry):
    entry = file_entry(world.case, "msj", world.users["attorney"])
    with pytest.raises(services.UserFacingError):
        services.docket_corrective_entry(
            entry=entry, clerk=world.users["clerk"], correction="Whatever I like"
        )
    assert DocketEntry.objects.filter(case=world.case).count() == 1


def test_entered_in_error_marks_and_dockets_but_keeps_everything(world, file_entry):
    """The entry is marked ***ENTERED IN ERROR*** (with a revision) and a notice entry is docketed;
    its documents stay on the record."""
    attorney, clerk = world.users["attorney"], world.users["clerk"]
    entry = file_entry(world.case, "msj", attorney, attachments=["Exhibit A"])
    notice = services.mark_entered_in_error(
        entry=entry, clerk=clerk, reason="Incorrect document attached to entry"
    )
    entry.refresh_from_db()
    assert entry.entered_in_error
    assert entry.text.startswith("***ENTERED IN ERROR*** ")
    assert entry.original_text in entry.text
    assert entry.modified_on is not None
    assert notice.text.startswith(
        "***ENTERED IN ERROR*** Incorrect document attached to entry."
    )
    assert notice.event.code == "eie"
    assert entry.documents.count() == 2
    fields = set(
        DocketEntryRevision.objects.filter(entry=entry).values_list("field", flat=True)
    )
    assert fields == {"entered_in_error", "text"}
    _told_once_by_the_nef(attorney, notice, "entered in error")
    with pytest.raises(services.UserFacingError, match="already marked"):
        services.mark_entered_in_error(entry=entry, clerk=clerk, reason="again")


def test_modify_text_writes_revision_and_sends_edit_nef(
    world, file_entry, django_capture_on_commit_callbacks
):
    """A text change is recorded (Modified on), and the edit NEF carries the before and after text."""
    attorney, clerk = world.users["attorney"], world.users["clerk"]
    entry = file_entry(world.case, "msj", attorney)
    before = entry.text
    with django_capture_on_commit_callbacks(execute=True):
        services.modify_docket_text(
            entry=entry,
            clerk=clerk,
            text="Motion for Summary Judgment on Count II. Filed by Whitaker, Dana.",
            reason="More accurate description",
        )
    entry.refresh_from_db()
    assert (
        entry.text
        == "Motion for Summary Judgment on Count II. Filed by Whitaker, Dana."
    )
    assert entry.original_text == before
    revision = DocketEntryRevision.objects.get(entry=entry, field="text")
    assert (revision.before, revision.after, revision.changed_by) == (
        before,
        entry.text,
        clerk,
    )
    notice = Notice.objects.get(entry=entry, kind=Notice.Kind.EDIT)
    assert f"Docket Entry #{entry.number} has been updated" in notice.subject
    assert notice.extra["before"] == before and notice.extra["after"] == entry.text
    message = _inbox(attorney, "has been updated").get()
    assert before in message.body_text and entry.text in message.body_text


def test_modify_text_refuses_empty_or_unchanged(world, file_entry):
    entry = file_entry(world.case, "msj", world.users["attorney"])
    for text in ("   ", entry.text):
        with pytest.raises(services.UserFacingError):
            services.modify_docket_text(
                entry=entry, clerk=world.users["clerk"], text=text
            )
    assert not DocketEntryRevision.objects.filter(entry=entry).exists()


def test_replace_document_keeps_the_old_one_court_only(world, file_entry, tmp_path):
    """Replacing a wrong PDF adds a new document with the next sequence; the old one stays,
    readable by court users only, and the audit trail names both digests."""
    attorney, clerk = world.users["attorney"], world.users["clerk"]
    entry = file_entry(world.case, "msj", attorney, text="WRONG DOCUMENT")
    old = entry.documents.get()
    path = make_pdf(
        Path(tmp_path) / "right.pdf",
        text="MOTION FOR SUMMARY JUDGMENT\n/s/ Dana M. Whitaker",
    )
    upload = UploadedDocument.from_path(path, filename="right.pdf", page_count=1)
    new = services.replace_document(
        document=old, clerk=clerk, upload=upload, reason="Incorrect PDF attached"
    )
    old.refresh_from_db()
    assert (
        old.replaced
        and old.sha512 == hashlib.sha512(old.original.open("rb").read()).hexdigest()
    )
    assert new.sequence == old.sequence + 1 and new.entry_id == entry.pk
    assert new.sha512 == hashlib.sha512(path.read_bytes()).hexdigest()
    assert Document.objects.filter(entry=entry).count() == 2
    assert not can_view_document(attorney, old)
    assert can_view_document(attorney, new)
    assert can_view_document(clerk, old)
    event = AuditEvent.objects.get(
        action="dockets.document.replaced", target_id=str(entry.pk)
    )
    assert event.before["sha512"] == old.sha512 and event.after["sha512"] == new.sha512
    entry.refresh_from_db()
    assert entry.modified_on is not None


def test_strike_needs_an_order_and_marks_the_entry(world, file_entry, tmp_path):
    attorney, clerk = world.users["attorney"], world.users["clerk"]
    entry = file_entry(world.case, "msj", attorney)
    other = file_entry(world.case, "mseal", attorney)
    with pytest.raises(services.UserFacingError, match="order"):
        services.strike_entry(entry=entry, clerk=clerk, order=other)
    order = services.docket_court_event(
        case=world.case,
        clerk=clerk,
        event=Event.objects.get(code="order"),
        values={"disposition": "Granting", "signed_on": services.clock.today()},
        related=[other],
        document=UploadedDocument.from_path(
            make_pdf(Path(tmp_path) / "order.pdf", text="ORDER"), page_count=1
        ),
    )
    services.strike_entry(entry=entry, clerk=clerk, order=order)
    entry.refresh_from_db()
    assert entry.stricken
    assert entry.text.endswith(f"STRICKEN pursuant to order #{order.number}.")
    assert entry.documents.count() == 1
    assert _inbox(attorney, "stricken").exists()


def test_move_to_right_case_redockets_copy_and_tells_filer(world, file_entry):
    """A filing in the wrong case is marked entered in error there (with a corrective entry) and
    re-docketed on the right case with new document rows holding the same bytes."""
    attorney, clerk = world.users["attorney"], world.users["clerk"]
    entry = file_entry(world.case, "msj", attorney, attachments=["Exhibit A"])
    digests = sorted(entry.documents.values_list("sha512", flat=True))
    moved = services.move_entry_to_case(
        entry=entry, clerk=clerk, target=world.other_case
    )
    assert moved.case == world.other_case and moved.number == 1
    assert moved.filer == attorney and moved.entered_by == clerk
    assert sorted(moved.documents.values_list("sha512", flat=True)) == digests
    assert set(moved.documents.values_list("pk", flat=True)).isdisjoint(
        entry.documents.values_list("pk", flat=True)
    )
    assert f"Refiled from case {world.case.display_number}" in moved.text
    entry.refresh_from_db()
    assert entry.case == world.case and entry.entered_in_error
    corrective = DocketEntry.objects.get(case=world.case, event__code="corr")
    assert corrective.text.startswith("CORRECTIVE ENTRY: Filed in Wrong Case.")
    assert world.other_case.display_number in corrective.text
    assert entry.documents.count() == 2
    assert _inbox(attorney, f"moved to case {world.other_case.display_number}").exists()
    with pytest.raises(services.UserFacingError):
        services.move_entry_to_case(entry=entry, clerk=clerk, target=world.other_case)


def test_move_to_same_case_is_refused(world, file_entry):
    entry = file_entry(world.case, "msj", world.users["attorney"])
    with pytest.raises(services.UserFacingError, match="already on that case"):
        services.move_entry_to_case(
            entry=entry, clerk=world.users["clerk"], target=world.case
        )
    entry.refresh_from_db()
    assert not entry.entered_in_error


def test_the_public_docket_shows_every_correction_and_loses_nothing(
    world, file_entry, client, tmp_path
):
    """After each kind of correction the public docket shows what CM/ECF shows, and every
    entry that was ever docketed still has its row."""
    docket_url = reverse("dockets:docket", kwargs={"case_id": world.case.pk})
    attorney, clerk = world.users["attorney"], world.users["clerk"]
    wrong_pdf = file_entry(world.case, "msj", attorney)
    in_error = file_entry(world.case, "mseal", attorney)
    edited = file_entry(world.case, "msj", attorney)
    to_strike = file_entry(world.case, "msj", attorney)
    services.docket_corrective_entry(
        entry=wrong_pdf,
        clerk=clerk,
        correction="Incorrect PDF, Filer Notified to Refile",
    )
    services.mark_entered_in_error(
        entry=in_error, clerk=clerk, reason="Duplicate filing"
    )
    services.modify_docket_text(
        entry=edited, clerk=clerk, text="Motion for Summary Judgment on Count II."
    )
    path = make_pdf(Path(tmp_path) / "order.pdf", text="ORDER")
    order = services.docket_court_event(
        case=world.case,
        clerk=clerk,
        event=Event.objects.get(code="order"),
        values={"disposition": "Granting"},
        related=[in_error],
        document=UploadedDocument.from_path(path, page_count=1),
    )
    services.strike_entry(entry=to_strike, clerk=clerk, order=order)
    html = client.get(docket_url).content.decode()
    assert "CORRECTIVE ENTRY: Incorrect PDF, Filer Notified to Refile." in html
    assert "***ENTERED IN ERROR*** Duplicate filing." in html
    assert "Motion for Summary Judgment on Count II." in html
    assert f"Modified on {services.mdy(services.clock.today())}" in html
    assert "STRICKEN pursuant to order" in html
    for entry in DocketEntry.objects.filter(case=world.case, number__isnull=False):
        assert re.search(rf">\s*{entry.number}\s*<", html), (
            f"entry {entry.number} is missing from the docket"
        )
