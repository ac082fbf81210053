"""Alerts on document text and on names already in older cases (issue 24): a saved
search fires when a document's text is read, once per user per document, never for a
document its owner may not open; a followed name finds the cases that list it already."""

from __future__ import annotations

from pathlib import Path

import pytest
from alertkit import alert_mail
from django.db import transaction
from pdfmaker import make_pdf

from cases.models import Judge, Office, Party, Trustee
from cases.services import PartyData, add_party, create_case
from dockets.alerts import mailings
from dockets.alerts import services as alerts
from dockets.alerts.models import Alert, AlertDelivery
from dockets.clerk import services as clerk
from dockets.fulltext.services import extract_document_text
from dockets.models import Event, Visibility
from dockets.services import FilingRequest, UploadedDocument, file_docket_entry

# The alert tasks run in this process when the writer's transaction commits.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("world", "eager_tasks")]


def _file(
    world, tmp_path: Path, text: str, *, code="msj", visibility=None, docket_text=""
):
    """File a one-document entry whose PDF (not its docket text) carries `text`."""
    path = make_pdf(tmp_path / f"{abs(hash(text))}.pdf", text=text)
    return file_docket_entry(
        FilingRequest(
            case=world.case,
            events=[Event.objects.get(code=code)],
            filer=world.users["attorney"],
            documents=[
                UploadedDocument.from_path(path, filename=path.name, page_count=1)
            ],
            visibility=visibility,
            text_override=docket_text,
        )
    )


def _read(entry, capture):
    """Read the entry's document text, as the text worker does, and run what it queues."""
    with capture(execute=True):
        extract_document_text(document_id=entry.documents.get().pk)


def test_a_saved_search_fires_on_document_text_once_per_user_and_document(
    world, demo, tmp_path, django_capture_on_commit_callbacks
):
    """Words printed only inside a document reach the saved search's owner once, with
    the page and a quotation; a second matching search of the same user adds nothing."""
    reader = demo.users["public"]
    alerts.follow(user=reader, kind=Alert.Kind.SEARCH, term="heliotrope")
    alerts.follow(user=reader, kind=Alert.Kind.SEARCH, term='"heliotrope orchard"')
    entry = _file(world, tmp_path, "Declaration about the heliotrope orchard lease.")
    assert "heliotrope" not in entry.text.lower()  # only the document says it
    assert not alert_mail(reader)
    _read(entry, django_capture_on_commit_callbacks)
    (mail,) = alert_mail(reader)
    assert "in the text of Doc" in mail.body_text and "(page 1)" in mail.body_text
    assert "[heliotrope]" in mail.body_text.replace("[heliotrope orchard]", "x")
    assert "orchard" in mail.body_text
    # The sweep dispatches the event again: nobody is told twice.
    assert alerts.sweep_recent_events() >= 1
    assert len(alert_mail(reader)) == 1
    delivery = AlertDelivery.objects.get(key__startswith="text:")
    assert delivery.document_id == entry.documents.get().pk
    # A document that does not match tells nothing.
    other = _file(world, tmp_path, "A declaration about a walnut grove.")
    _read(other, django_capture_on_commit_callbacks)
    assert len(alert_mail(reader)) == 1


def test_a_search_told_of_an_entry_by_its_docket_text_is_not_told_again(
    world, demo, tmp_path, django_capture_on_commit_callbacks
):
    """Docket text and document text both matching: one alert, at filing."""
    reader = demo.users["public"]
    alerts.follow(user=reader, kind=Alert.Kind.SEARCH, term="kestrel")
    with django_capture_on_commit_callbacks(execute=True):
        entry = _file(
            world,
            tmp_path,
            "The kestrel aircraft lease, page one.",
            docket_text="Motion to assume the kestrel aircraft lease.",
        )
    assert len(alert_mail(reader, "kestrel")) == 1
    _read(entry, django_capture_on_commit_callbacks)
    assert len(alert_mail(reader, "kestrel")) == 1


def test_document_text_alerts_never_reach_who_may_not_open_the_document(
    world, demo, tmp_path, django_capture_on_commit_callbacks
):
    """A sealed document's words reach the clerk's saved search and nobody else's,
    until the document is unsealed; Form 121 is never read, so never matched."""
    reader, clerk_user = demo.users["public"], world.users["clerk"]
    for user in (reader, clerk_user):
        alerts.follow(user=user, kind=Alert.Kind.SEARCH, term="quagmire")
    sealed = _file(
        world,
        tmp_path,
        "Settlement with the quagmire holding company.",
        visibility=Visibility.SEALED,
    )
    _read(sealed, django_capture_on_commit_callbacks)
    assert not alert_mail(reader, "quagmire")
    assert len(alert_mail(clerk_user, "quagmire")) == 1
    form121 = _file(world, tmp_path, "SSN 512-34-5678 quagmire", code="ssn121")
    _read(form121, django_capture_on_commit_callbacks)
    assert (
        not alert_mail(reader, "quagmire")
        and len(alert_mail(clerk_user, "quagmire")) == 1
    )
    # Unsealed by order: now the public reader's search matches it, once.
    with django_capture_on_commit_callbacks(execute=True):
        clerk.set_entry_visibility(
            entry=sealed,
            clerk=clerk_user,
            visibility=Visibility.PUBLIC,
            reason="Unsealed by order",
        )
    assert len(alert_mail(reader, "[quagmire]")) == 1
    with django_capture_on_commit_callbacks(execute=True):
        clerk.set_entry_visibility(
            entry=sealed, clerk=clerk_user, visibility=Visibility.SEALED, reason="O"
        )
    with django_capture_on_commit_callbacks(execute=True):
        clerk.set_entry_visibility(
            entry=sealed, clerk=clerk_user, visibility=Visibility.PUBLIC, reason="O"
        )
    assert len(alert_mail(reader, "[quagmire]")) == 1
    assert len(alert_mail(clerk_user, "[quagmire]")) == 1


def test_the_daily_digest_checks_again_what_its_reader_may_see(
    world, demo, tmp_path, django_capture_on_commit_callbacks
):
    """A match kept for the digest and sealed before the digest goes is not quoted."""
    reader = demo.users["public"]
    alerts.follow(
        user=reader,
        kind=Alert.Kind.SEARCH,
        term="albatross",
        frequency=Alert.Frequency.DAILY,
    )
    kept = _file(world, tmp_path, "The albatross lien of the sealed settlement.")
    shown = _file(world, tmp_path, "The albatross note, public.")
    _read(kept, django_capture_on_commit_callbacks)
    _read(shown, django_capture_on_commit_callbacks)
    assert AlertDelivery.objects.filter(status="digest").count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        clerk.set_entry_visibility(
            entry=kept,
            clerk=world.users["clerk"],
            visibility=Visibility.SEALED,
            reason="O",
        )
    assert mailings.send_digests() == 1
    (digest,) = alert_mail(reader)
    assert "note, public" in digest.body_text
    assert "sealed settlement" not in digest.body_text
    assert AlertDelivery.objects.get(document__entry=kept).status == "withdrawn"


def _older_case(demo, title, creditors):
    with transaction.atomic():
        case = create_case(
            court=demo.court,
            office=Office.objects.get(court=demo.court, number=3),
            chapter="7",
            title=title,
            judge=Judge.objects.get(court=demo.court, initials="LT"),
            trustee=Trustee.objects.get(court=demo.court, kind=Trustee.Kind.PANEL_7),
            actor=demo.users["attorney"],
        )
        for name in creditors:
            add_party(
                case=case,
                data=PartyData(role=Party.Role.CREDITOR, name=name, is_entity=True),
            )
    return case


def test_following_a_name_finds_the_cases_that_already_list_it(
    world, demo, django_capture_on_commit_callbacks
):
    """The follower is told at once of every existing case listing the name (in one
    e-mail); more activity there tells nothing new; a later case is told as before."""
    reader = demo.users["public"]
    one = _older_case(demo, "Hector Ruiz", ["Pacific Tractor Finance LLC"])
    two = _older_case(demo, "Lin Chow", ["Pacific Tractor Finance"])
    _older_case(demo, "Ada Park", ["Pacific Gas and Electric"])
    with django_capture_on_commit_callbacks(execute=True):
        alert = alerts.follow(
            user=reader, kind=Alert.Kind.NAME, term="pacific  tractor finance"
        )
    (mail,) = alert_mail(reader)
    assert "already appears in 2 cases" in mail.subject
    assert one.display_number in mail.body_text and two.display_number in mail.body_text
    assert "Ada Park" not in mail.body_text
    assert set(alert.deliveries.values_list("case_id", flat=True)) == {one.pk, two.pk}
    # Again (a second delivery of the task): nothing new.
    assert mailings.backfill_name_alert(alert_id=alert.pk) == 0
    with django_capture_on_commit_callbacks(execute=True):
        add_party(
            case=one,
            data=PartyData(role=Party.Role.CREDITOR, name="Pacific Tractor Finance"),
        )
    assert len(alert_mail(reader)) == 1
    # A case that names it later, and an older case that adds it later, are told.
    with django_capture_on_commit_callbacks(execute=True):
        later = _older_case(demo, "Rosa Diaz", ["Pacific Tractor Finance"])
    with django_capture_on_commit_callbacks(execute=True):
        add_party(
            case=world.case,
            data=PartyData(role=Party.Role.CREDITOR, name="Pacific Tractor Finance"),
        )
    sent = alert_mail(reader)
    assert len(sent) == 3
    assert later.display_number in sent[1].subject
    assert world.case.display_number in sent[2].subject


def test_a_name_followed_daily_lists_older_cases_in_the_digest(
    world, demo, django_capture_on_commit_callbacks
):
    reader = demo.users["public"]
    case = _older_case(demo, "Hector Ruiz", ["Harbor Anchor Leasing"])
    with django_capture_on_commit_callbacks(execute=True):
        alerts.follow(
            user=reader,
            kind=Alert.Kind.NAME,
            term="Harbor Anchor Leasing",
            frequency=Alert.Frequency.DAILY,
        )
    assert not alert_mail(reader)
    assert mailings.send_digests() == 1
    (digest,) = alert_mail(reader)
    assert f"appears in case {case.display_number}" in digest.body_text


def test_the_text_task_tells_the_saved_search_itself(
    world, demo, tmp_path, django_capture_on_commit_callbacks
):
    """The task that read the text dispatches its alerts once it commits (issue 21: no
    alerts task of its own): the saved search's owner is told with no task run."""
    from unittest import mock

    from dockets.alerts.tasks import dispatch_event_task

    reader = demo.users["public"]
    alerts.follow(user=reader, kind=Alert.Kind.SEARCH, term="marigold")
    entry = _file(world, tmp_path, "Affidavit about the marigold nursery.")
    with mock.patch.object(dispatch_event_task, "delay") as queued:
        _read(entry, django_capture_on_commit_callbacks)
    assert not queued.called
    (mail,) = alert_mail(reader)
    assert "in the text of Doc" in mail.body_text and "marigold" in mail.body_text
