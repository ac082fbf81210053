"""The pipeline end to end in one process: filing -> stamp -> NEF -> inbox and e-mail."""

import pytest
from django.core import mail
from django.db import connection
from pipeline_helpers import file_entry
from pypdf import PdfReader
from testkit import generic_plan_hazards

from core.models import InboxMessage
from dockets.models import Document, Notice, NoticeRecipient

pytestmark = pytest.mark.django_db


def test_filing_is_stamped_and_noticed(
    pcase, tmp_path, django_capture_on_commit_callbacks
):
    """After a filing commits, every document is stamped and the NEF reaches each recipient once."""
    with django_capture_on_commit_callbacks(execute=True):
        entry = file_entry(pcase, tmp_path, attachments=("Exhibit A",))
    documents = list(entry.documents.order_by("sequence"))
    assert [d.status for d in documents] == [Document.Status.DONE, Document.Status.DONE]
    main = documents[0]
    reader = PdfReader(main.stamped.open("rb"))
    assert len(reader.pages) == 3
    first = reader.pages[0].extract_text()
    assert f"Case {pcase.case.display_number}" in first
    assert f"Doc {entry.number}" in first
    assert "Desc Main Document" in first
    assert "Page 1 of 3" in first
    assert "Page 3 of 3" in reader.pages[2].extract_text()
    attachment = PdfReader(documents[1].stamped.open("rb")).pages[0].extract_text()
    assert "Desc Exhibit A" in attachment
    notice = entry.notices.get()
    assert notice.status == Notice.Status.DONE
    emails = sorted(
        r.email for r in notice.recipients.filter(method=NoticeRecipient.Method.EMAIL)
    )
    assert emails == sorted(
        [
            "attorney@ecf.test",
            "attorney2@ecf.test",
            "trustee@ecf.test",
            "ustrustee@ecf.test",
        ]
    )
    assert sorted(m.to[0] for m in mail.outbox) == emails
    trustee_message = InboxMessage.objects.get(user=pcase.users["trustee"])
    assert trustee_message.kind == "nef"
    assert pcase.case.display_number in trustee_message.subject
    assert "Notice of Electronic Filing" in trustee_message.body_text
    assert f"CASBStamp_ID={main.stamp_id}" in trustee_message.body_text
    assert main.sha512 in trustee_message.body_text
    magic = notice.recipients.get(email="trustee@ecf.test").magic_num
    assert (
        f"/doc1/{main.cmecf_id}?pdf_header=&amp;magic_num={magic}"
        f"&amp;de_seq_num={entry.seq}&amp;caseid={entry.case_id}"
    ) in trustee_message.body_html
    assert (
        "Sharp Memorial Hospital"
        in trustee_message.body_text.split("will be delivered by other means")[1]
    )


def test_original_is_untouched_and_both_digests_are_kept(
    pcase, tmp_path, django_capture_on_commit_callbacks
):
    """The original file keeps its SHA-512; the stamped copy has its own, and differs."""
    import hashlib

    with django_capture_on_commit_callbacks(execute=True):
        entry = file_entry(pcase, tmp_path)
    document = entry.documents.get()
    original = document.original.open("rb").read()
    stamped = document.stamped.open("rb").read()
    assert hashlib.sha512(original).hexdigest() == document.sha512
    assert hashlib.sha512(stamped).hexdigest() == document.stamped_sha512
    assert document.sha512 != document.stamped_sha512


def test_rerunning_the_tasks_stamps_nothing_twice_and_sends_nothing_twice(
    pcase, tmp_path, django_capture_on_commit_callbacks
):
    """A task delivered twice changes nothing the second time."""
    from dockets.pipeline.tasks import send_notice_task, stamp_entry_task

    with django_capture_on_commit_callbacks(execute=True):
        entry = file_entry(pcase, tmp_path)
    document = entry.documents.get()
    notice = entry.notices.get()
    sent = len(mail.outbox)
    messages = InboxMessage.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        stamp_entry_task(entry.pk)
        send_notice_task(notice.pk)
    document_after = Document.objects.get(pk=document.pk)
    assert document_after.stamped.name == document.stamped.name
    assert document_after.attempts == 1
    assert len(mail.outbox) == sent
    assert InboxMessage.objects.count() == messages


def test_unparseable_pdf_fails_with_a_reason_and_the_notice_waits(
    pcase, tmp_path, django_capture_on_commit_callbacks
):
    """A file that cannot be stamped shows FAILED and why; its NEF is not sent without the stamp."""
    from django.core.files.storage import default_storage

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        entry = file_entry(pcase, tmp_path)
    document = entry.documents.get()
    with default_storage.open(document.original.name, "wb") as fh:
        fh.write(b"%PDF-1.4 this is not really a pdf")
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    document.refresh_from_db()
    assert document.status == Document.Status.FAILED
    assert "could not be stamped" in document.error_message
    notice = entry.notices.get()
    assert notice.status == Notice.Status.PENDING
    assert not notice.recipients.exists()
    assert mail.outbox == []


def test_clerk_retry_puts_a_failed_document_back_and_completes_it(
    pcase, tmp_path, django_capture_on_commit_callbacks
):
    """Retrying a failed document re-stamps it and then sends its NEF."""
    from dockets.pipeline.services import mark_document_failed, retry_failed

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        entry = file_entry(pcase, tmp_path)
    document = entry.documents.get()
    mark_document_failed(document_id=document.pk, reason="Storage was away")
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    assert entry.notices.get().status == Notice.Status.PENDING
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        retry_failed(actor=pcase.users["clerk"], document_id=document.pk)
    document.refresh_from_db()
    assert document.status == Document.Status.DONE
    assert entry.notices.get().status == Notice.Status.DONE
    assert len(mail.outbox) == 4


def test_the_fan_out_costs_the_same_queries_for_3_or_12_more_recipients(
    pcase, tmp_path, django_capture_on_commit_callbacks
):
    """Building and sending a notice runs a fixed number of queries, whatever the number
    of recipients (no query per recipient: copies, tokens and status rows in bulk); each
    recipient still gets its own copy, whose links carry its own free-look number."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cases.models import CaseWatch
    from dockets.pipeline.services import build_notice, send_notice, stamp_entry
    from filers.models import Filer, Role, User

    def fan_out(extra: int) -> tuple[int, Notice]:
        for i in range(extra):
            user = User.objects.create_user(
                email=f"w{extra}-{i}@example.com", password="x", full_name=f"W {i}"
            )
            Filer.objects.create(
                user=user, role=Role.ATTORNEY, status=Filer.Status.CERTIFIED
            )
            CaseWatch.objects.create(
                case=pcase.case, user=user, kind=CaseWatch.Kind.COURTESY
            )
        entry = file_entry(pcase, tmp_path)
        stamp_entry(entry_id=entry.pk)
        notice = entry.notices.get()
        with CaptureQueriesContext(connection) as queries:
            build_notice(notice_id=notice.pk)
            send_notice(notice_id=notice.pk)
        return len(queries.captured_queries), notice

    few, _ = fan_out(3)
    many, notice = fan_out(12)
    assert many == few
    emailed = list(notice.recipients.filter(method=NoticeRecipient.Method.EMAIL))
    assert len(emailed) >= 16
    bodies = set()
    for r in emailed:
        assert r.status == NoticeRecipient.Status.SENT
        message = r.delivery.message
        assert message.to_email == r.email
        assert f"magic_num={r.magic_num}&amp;" in message.body_html
        assert f"magic_num={r.magic_num}&" in message.body_text
        bodies.add(message.body_html)
    assert len(bodies) == len(emailed)  # one copy each, its own links


# The statements of one filing's whole pipeline task (stamping one document, its NEF
# to every reader, their e-mails, its alerts, its text queued), inside this test's
# transaction (each atomic block adds a SAVEPOINT and its RELEASE). Issue 21 measured
# 95 before the pipeline became one task per filing (and four tasks); 44 after; 40
# once the entry's documents were claimed together, the alerts read the event and
# who listens at once, and a one-batch notice was marked sent in its batch's
# transaction; 39 with the text rows made in one INSERT ... SELECT; 34 once a
# one-batch notice was built, sent and finished in one transaction (its recipients
# written sent, not locked and read back and updated; the notice built and done
# in one UPDATE).
PIPELINE_STATEMENTS = 34


def test_one_filing_s_pipeline_costs_a_fixed_small_number_of_statements(
    pcase, tmp_path, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    """The pipeline task of one filing stays within PIPELINE_STATEMENTS, for 4 readers or
    16 (no statement per reader or per e-mail), and does all of its work: the document
    stamped, the NEF marked sent, each reader e-mailed once, the text queued."""
    from unittest import mock

    from cases.models import CaseWatch
    from dockets.fulltext.tasks import extract_text_task
    from filers.models import Filer, Role, User

    def pipeline_of_one_filing(extra: int) -> int:
        for i in range(extra):
            user = User.objects.create_user(
                email=f"q{extra}-{i}@example.com", password="x", full_name=f"Q {i}"
            )
            Filer.objects.create(
                user=user, role=Role.ATTORNEY, status=Filer.Status.CERTIFIED
            )
            CaseWatch.objects.create(
                case=pcase.case, user=user, kind=CaseWatch.Kind.COURTESY
            )
        with django_capture_on_commit_callbacks(execute=False) as filed:
            entry = file_entry(pcase, tmp_path)
        mail.outbox.clear()
        # The text is read by a task of its own (on the text queue): queued, not run.
        # As a worker runs it: the task and what it does once its writes commit.
        with (
            mock.patch.object(extract_text_task, "apply_async") as text_queued,
            django_assert_max_num_queries(PIPELINE_STATEMENTS) as queries,
            django_capture_on_commit_callbacks(execute=True),
        ):
            for callback in filed:
                callback()
        assert text_queued.call_count == 1
        assert entry.documents.get().status == Document.Status.DONE
        notice = entry.notices.get()
        assert notice.status == Notice.Status.DONE
        # The filer's stored copy: the recipients' rendering, its links without a
        # free-look number (one rendering per notice).
        main = entry.documents.get()
        assert f"/doc1/{main.cmecf_id}?pdf_header=&amp;magic_num=&amp;de_seq_num=" in (
            notice.body_html
        )
        assert "magic_num=&de_seq_num=" in notice.body_text
        assert "PLACEHOLDER" not in notice.body_html + notice.body_text
        emailed = list(notice.recipients.filter(method=NoticeRecipient.Method.EMAIL))
        assert len(emailed) == 4 + extra
        assert sorted(m.to[0] for m in mail.outbox) == sorted(r.email for r in emailed)
        assert not InboxMessage.objects.filter(
            kind="nef", status=InboxMessage.Status.PENDING
        ).exists()
        return len(queries.captured_queries)

    few = pipeline_of_one_filing(0)
    many = pipeline_of_one_filing(12)
    assert many == few
    # Its statements are prepared: the next filing's pipeline on this worker's
    # connection reuses their plans (core.compiled.prepared_statements).
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any(s.startswith('UPDATE "dockets_notice"') for s in prepared), prepared
    assert any(s.startswith('INSERT INTO "core_inboxmessage"') for s in prepared)
    assert generic_plan_hazards(prepared) == []


# The statements of reading one stamped document's text (3 pages of text, nothing
# to recognise) in the text worker, its alerts included, inside this test's
# transaction. Issue 21: 22 before the document was read once for the whole reading
# (with what its audit event names), a short document's progress written once, and
# pages deleted only on a re-run; 12 with each page's search vector made in the
# INSERT that writes it (not a second UPDATE of every page); 9 with the text row
# claimed by one conditional UPDATE (not locked, read and saved in a transaction).
TEXT_STATEMENTS = 9


def test_reading_a_document_s_text_costs_few_statements_and_no_other_task(
    pcase, tmp_path, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    """The text task reads the document once and dispatches its text's alerts itself
    (dockets.alerts.services.take_event): no alerts task of its own."""
    from unittest import mock

    from django.contrib.postgres.search import SearchQuery, SearchVector

    from dockets.alerts.tasks import dispatch_event_task
    from dockets.fulltext.models import DocumentPage, DocumentText
    from dockets.fulltext.services import extract_document_text
    from dockets.fulltext.tasks import extract_text_task

    with django_capture_on_commit_callbacks(execute=False) as filed:
        entry = file_entry(pcase, tmp_path)
    with (
        mock.patch.object(extract_text_task, "apply_async") as text_queued,
        django_capture_on_commit_callbacks(execute=True),
    ):
        for callback in filed:  # the pipeline, as its worker runs it
            callback()
    assert text_queued.call_count == 1
    document = entry.documents.get()
    with (
        mock.patch.object(dispatch_event_task, "delay") as alerts_queued,
        django_assert_max_num_queries(TEXT_STATEMENTS),
        django_capture_on_commit_callbacks(execute=True),
    ):
        extract_document_text(document_id=document.pk)
    assert not alerts_queued.called
    row = DocumentText.objects.get(document=document)
    assert (row.status, row.pages_total, row.pages_done) == (
        DocumentText.Status.DONE,
        3,
        3,
    )
    assert DocumentPage.objects.filter(document=document).count() == 3
    # Each page is found by its words, as the ORM's SearchVector would index it.
    page = DocumentPage.objects.filter(document=document, page=2).get()
    word = max(page.text.split(), key=len).strip(".,;:")
    assert DocumentPage.objects.filter(
        pk=page.pk, search_vector=SearchQuery(word, config="english")
    ).exists()
    assert (
        DocumentPage.objects.filter(pk=page.pk)
        .annotate(made=SearchVector("text", config="english"))
        .values_list("made", flat=True)
        .get()
        == DocumentPage.objects.filter(pk=page.pk)
        .values_list("search_vector", flat=True)
        .get()
    )


def test_a_text_reading_run_again_reads_once_more_and_only_when_due(
    pcase, tmp_path, django_capture_on_commit_callbacks
):
    """A reading already done is not redone; one whose worker stopped (still running)
    is claimed again (attempts + 1) and its pages are written afresh, not twice; a
    document whose row was lost gets a new one."""
    from unittest import mock

    from dockets.fulltext.models import DocumentPage, DocumentText
    from dockets.fulltext.services import extract_document_text
    from dockets.fulltext.tasks import extract_text_task

    with django_capture_on_commit_callbacks(execute=False) as filed:
        entry = file_entry(pcase, tmp_path)
    with (
        mock.patch.object(extract_text_task, "apply_async"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        for callback in filed:
            callback()
        document = entry.documents.get()
        extract_document_text(document_id=document.pk)
        extract_document_text(document_id=document.pk)  # done: nothing to do
        row = DocumentText.objects.get(document=document)
        assert (row.status, row.attempts) == (DocumentText.Status.DONE, 1)
        DocumentText.objects.filter(pk=row.pk).update(
            status=DocumentText.Status.RUNNING
        )
        extract_document_text(document_id=document.pk)
        row.refresh_from_db()
        assert (row.status, row.attempts) == (DocumentText.Status.DONE, 2)
        assert DocumentPage.objects.filter(document=document).count() == 3
        DocumentPage.objects.filter(document=document).delete()
        row.delete()
        extract_document_text(document_id=document.pk)
    row = DocumentText.objects.get(document=document)
    assert (row.status, row.attempts, row.pages_total) == (
        DocumentText.Status.DONE,
        1,
        3,
    )
    assert DocumentPage.objects.filter(document=document).count() == 3


def test_the_text_of_each_stamped_document_is_queued_once(
    pcase, tmp_path, django_capture_on_commit_callbacks
):
    """queue_entry_text: a text row (waiting to be read) and one reading queued for
    each stamped document without one; an unstamped document, or one whose text row
    exists, gets neither; a second call queues nothing."""
    from unittest import mock

    from dockets.fulltext.models import DocumentText
    from dockets.fulltext.services import queue_entry_text
    from dockets.fulltext.tasks import extract_text_task

    with django_capture_on_commit_callbacks(execute=False):
        entry = file_entry(pcase, tmp_path, attachments=("Exhibit A", "Exhibit B"))
    main, first, second = entry.documents.order_by("sequence")
    Document.objects.filter(pk__in=[main.pk, first.pk]).update(
        status=Document.Status.DONE
    )
    DocumentText.objects.create(document=first, status=DocumentText.Status.DONE)
    with (
        mock.patch.object(extract_text_task, "apply_async") as queued,
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert queue_entry_text(entry_id=entry.pk) == 1
        assert queue_entry_text(entry_id=entry.pk) == 0
    assert [c.args[0] for c in queued.call_args_list] == [(main.pk,)]
    row = DocumentText.objects.get(document=main)
    assert row.status == DocumentText.Status.PENDING
    assert (row.pages_total, row.pages_done, row.attempts, row.error_message) == (
        0,
        0,
        0,
        "",
    )
    assert row.created_at is not None and row.finished_at is None
    assert DocumentText.objects.get(document=first).status == DocumentText.Status.DONE
    assert not DocumentText.objects.filter(document=second).exists()
