"""The pipeline's compiled-once reads give what the ORM gives (core.compiled, issue 21).

Each filing's pipeline task reads its notice (locked), its documents (locked) and
the case's counsel, watchers and parties with SQL compiled once per process. These
tests compare every field and related object with the same queryset iterated by
the ORM, with and without the optional parts (a judge, a filer, the filer's ECF
account, terminated and notice-off counsel, watch kinds that get no NEF), and check
that a locked read keeps the ORM's own FOR UPDATE OF clause and, like the ORM,
runs only inside a transaction.
"""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext
from factories import make_case
from pipeline_helpers import file_entry
from testkit import assert_same_object

from cases.models import Case, CaseWatch, Party, Representation
from dockets.models import Notice
from dockets.pipeline import recipients, sending, stamping
from filers.models import Filer

pytestmark = pytest.mark.django_db


NOTICE_RELATED = (
    "entry",
    "entry.case",
    "entry.case.court",
    "entry.case.office",
    "entry.case.judge",
    "entry.event",
    "entry.filer",
    "entry.filer.filer_or_none",
)
DOCUMENT_RELATED = (
    "entry",
    "entry.case",
    "entry.case.court",
    "entry.case.office",
    "entry.case.judge",
    "entry.event",
)


def _statements(run) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        run()
    return [q["sql"] for q in queries.captured_queries]


def test_the_notice_and_document_reads_are_what_the_orm_reads(
    pcase, tmp_path, django_capture_on_commit_callbacks, django_assert_num_queries
):
    with django_capture_on_commit_callbacks(execute=False):
        filed = file_entry(pcase, tmp_path, attachments=("Exhibit A",))
        # No judge; filed by an account without an ECF filer record.
        bare = file_entry(pcase, tmp_path, filer=pcase.users["clerk"])
    Case.objects.filter(pk=pcase.case.pk).update(judge=None)
    Filer.objects.filter(user=pcase.users["clerk"]).delete()
    pcase.users["clerk"].refresh_from_db()
    entries = [filed, bare]
    assert pcase.users["attorney"].filer_or_none is not None
    assert pcase.users["clerk"].filer_or_none is None
    for entry in entries:
        notice = Notice.objects.get(entry=entry)
        with django_assert_num_queries(1):
            fast = sending._load_notice(notice.pk)
            # The filer's account comes with the one read (no query here).
            _ = fast.entry.filer and fast.entry.filer.filer_or_none
        assert_same_object(fast, sending._notice_query(notice.pk).get(), NOTICE_RELATED)
        with transaction.atomic():
            fast = sending._load_notice(notice.pk, lock=True)
            assert_same_object(
                fast, sending._notice_query(notice.pk, lock=True).get(), NOTICE_RELATED
            )
        for document in entry.documents.all():
            with transaction.atomic():
                locked = stamping._LOCKED_DOCUMENT.first(document.pk)
                slow = stamping._locked_document_query(document.pk).get()
                assert_same_object(locked, slow, DOCUMENT_RELATED)
    assert fast.entry.case.judge is None
    assert fast.entry.filer is not None and fast.entry.filer.filer_or_none is None
    with pytest.raises(Notice.DoesNotExist):
        sending._load_notice(10**9)
    with transaction.atomic():
        assert stamping._LOCKED_DOCUMENT.first(10**9) is None


def test_a_locked_read_keeps_the_orm_s_for_update_of_and_needs_a_transaction(
    pcase, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        entry = file_entry(pcase, tmp_path)
    notice = Notice.objects.get(entry=entry)
    document = entry.documents.get()
    with transaction.atomic():
        # The very statement the ORM sends (FOR UPDATE OF the one row's table only).
        compiled = _statements(lambda: sending._load_notice(notice.pk, lock=True))
        orm = _statements(lambda: list(sending._notice_query(notice.pk, lock=True)))
        assert compiled == orm
        assert compiled[0].endswith('FOR UPDATE OF "dockets_notice"')
        compiled = _statements(lambda: stamping._LOCKED_DOCUMENT.first(document.pk))
        orm = _statements(lambda: list(stamping._locked_document_query(document.pk)))
        assert compiled == orm
        assert compiled[0].endswith('FOR UPDATE OF "dockets_document"')
    # Outside a transaction (autocommit: this test's own transaction hidden) the
    # lock would be let go at once: refused, as the ORM refuses it.
    with mock.patch.object(connection, "get_autocommit", return_value=True):
        for run in (
            lambda: sending._load_notice(notice.pk, lock=True),
            lambda: list(sending._notice_query(notice.pk, lock=True)),
            lambda: stamping._LOCKED_DOCUMENT.first(document.pk),
            lambda: list(stamping._locked_document_query(document.pk)),
        ):
            with pytest.raises(TransactionManagementError):
                run()
    # The unlocked read takes no lock.
    assert "FOR UPDATE" not in _statements(lambda: sending._load_notice(notice.pk))[0]


def test_the_recipient_reads_are_what_the_orm_reads(pcase):
    case = pcase.case
    users = pcase.users
    Representation.objects.filter(case=case, party=pcase.bank).update(notice=False)
    Representation.objects.create(
        case=case,
        party=pcase.mailed_creditor,
        attorney=users["public"],  # an account without an ECF filer record
        notice=True,
    )
    Representation.objects.create(
        case=case,
        party=case.parties.exclude(pk=pcase.debtor.pk).order_by("id").last(),
        attorney=users["trustee"],
        notice=True,
        terminated_on=dt.date(2026, 1, 2),
    )
    for kind, user in (
        (CaseWatch.Kind.COURTESY, users["public"]),
        (CaseWatch.Kind.ADDED, users["attorney2"]),
        (CaseWatch.Kind.FOLLOW, users["creditor"]),
    ):
        CaseWatch.objects.get_or_create(case=case, user=user, kind=kind)
    Party.objects.filter(pk=pcase.mailed_creditor.pk).update(
        terminated_on=dt.date(2026, 1, 3)
    )
    other = make_case(case.court, title="Someone else", chapter="7")
    for case_id in (case.pk, other.pk):
        pairs = (
            (
                recipients._REPRESENTATIONS,
                recipients._representations_query,
                ("attorney", "attorney.filer_or_none", "party"),
            ),
            (
                recipients._WATCHES,
                recipients._watches_query,
                ("user", "user.filer_or_none"),
            ),
            (recipients._PARTIES, recipients._parties_query, ()),
        )
        for compiled, query, related in pairs:
            fast, slow = compiled.all(case_id), list(query(case_id))
            assert [o.pk for o in fast] == [o.pk for o in slow]
            for a, b in zip(fast, slow, strict=True):
                assert_same_object(a, b, related)
    reps = recipients._REPRESENTATIONS.all(case.pk)
    assert {r.attorney_id for r in reps} == {users["attorney"].pk, users["public"].pk}
    assert [w.kind for w in recipients._WATCHES.all(case.pk)] == ["courtesy", "added"]
    assert pcase.mailed_creditor.pk not in {
        p.pk for p in recipients._PARTIES.all(case.pk)
    }


def test_the_entry_s_pending_documents_and_the_trustees_are_what_the_orm_reads(
    pcase, tmp_path, django_capture_on_commit_callbacks
):
    """The stamping's locked read of an entry's pending documents (in filing order, a
    done one left out) and the NEF's trustees (the case's own and its court's U.S.
    trustee; an inactive one, another court's, none at all)."""
    from cases.models import Trustee
    from dockets.models import Document

    with django_capture_on_commit_callbacks(execute=False):
        entry = file_entry(pcase, tmp_path, attachments=("Exhibit A", "Exhibit B"))
    first = entry.documents.order_by("sequence").first()
    assert first is not None
    Document.objects.filter(pk=first.pk).update(status=Document.Status.DONE)
    with transaction.atomic():
        fast = stamping._LOCKED_PENDING.all(entry.pk)
        slow = list(stamping._locked_pending_query(entry.pk))
        assert [d.pk for d in fast] == [d.pk for d in slow]
        assert len(fast) == 2 and first.pk not in {d.pk for d in fast}
        for a, b in zip(fast, slow, strict=True):
            assert_same_object(a, b, DOCUMENT_RELATED)
        assert _statements(lambda: stamping._LOCKED_PENDING.all(entry.pk)) == (
            _statements(lambda: list(stamping._locked_pending_query(entry.pk)))
        )
    case = pcase.case
    other = make_case(case.court, title="No trustee", chapter="11")
    Case.objects.filter(pk=other.pk).update(trustee=None)
    Trustee.objects.create(
        court=case.court, kind=Trustee.Kind.US_TRUSTEE, name="Former UST", active=False
    )
    for case_id in (case.pk, other.pk, 10**9):
        fast_t = recipients._TRUSTEES.all(case_id)
        slow_t = list(recipients._trustees_query(case_id))
        assert [t.pk for t in fast_t] == [t.pk for t in slow_t]
        for ta, tb in zip(fast_t, slow_t, strict=True):
            assert_same_object(ta, tb, ("user", "user.filer_or_none"))
    case.refresh_from_db()
    assert case.trustee_id is not None
    ust = set(
        Trustee.objects.filter(
            court=case.court, kind=Trustee.Kind.US_TRUSTEE, active=True
        ).values_list("pk", flat=True)
    )
    assert ust
    assert {t.pk for t in recipients._TRUSTEES.all(case.pk)} == {case.trustee_id} | ust
    assert [t.kind for t in recipients._TRUSTEES.all(other.pk)] == [
        Trustee.Kind.US_TRUSTEE
    ]
    assert recipients._TRUSTEES.all(10**9) == []


def test_the_alerts_read_the_event_and_who_listens_in_one_statement(
    pcase, tmp_path, django_capture_on_commit_callbacks, django_assert_num_queries
):
    """dockets.alerts.services._EVENT: the filing's audit event, with whether a case
    alert, a saved search or a webhook (live when it happened, of an active user)
    could hear of it; the same as the ORM's answer, in one statement."""
    from core.models import AuditEvent
    from dockets.alerts import services as alerts
    from dockets.alerts.models import Alert, Webhook

    with django_capture_on_commit_callbacks(execute=False):
        entry = file_entry(pcase, tmp_path)
    event = AuditEvent.objects.filter(
        action="dockets.entry.filed", target_id=str(entry.pk)
    ).get()

    def flags():
        with django_assert_num_queries(1):
            fast = alerts._EVENT.first(event.pk)
        assert fast is not None
        slow = alerts._event_query(event.pk).get()
        assert_same_object(fast, slow)
        answer = (fast.hears, fast.hears_text, fast.hooks)  # type: ignore[attr-defined]
        assert answer == (slow.hears, slow.hears_text, slow.hooks)  # type: ignore[attr-defined]
        return answer, alerts._anyone_listens(fast)

    assert flags() == ((False, False, False), False)
    later = event.created_at + dt.timedelta(seconds=1)
    user = pcase.users["creditor"]
    alert = Alert.objects.create(user=user, kind=Alert.Kind.CASE, case=pcase.case)
    Alert.objects.filter(pk=alert.pk).update(created_at=later)  # after the event
    assert flags() == ((False, False, False), False)
    Alert.objects.filter(pk=alert.pk).update(created_at=event.created_at)
    assert flags() == ((True, False, False), True)
    Alert.objects.filter(pk=alert.pk).update(active=False)
    Alert.objects.create(user=user, kind=Alert.Kind.SEARCH, term="schedules")
    Alert.objects.filter(kind=Alert.Kind.SEARCH).update(created_at=event.created_at)
    assert flags() == ((False, True, False), True)
    Alert.objects.filter(kind=Alert.Kind.SEARCH).delete()
    hook = Webhook.objects.create(user=user, url="https://example.com/hook")
    Webhook.objects.filter(pk=hook.pk).update(created_at=event.created_at)
    assert flags() == ((False, False, True), True)
    type(user).objects.filter(pk=user.pk).update(is_active=False)
    assert flags() == ((False, False, False), False)
    assert alerts._EVENT.first(10**9) is None


def test_the_documents_ready_notices_and_recipient_batches_are_what_the_orm_reads(
    pcase, tmp_path, django_capture_on_commit_callbacks
):
    """The NEF's documents (filing order), the notices ready to send (none while a
    document is unstamped) and a batch of pending e-mail recipients (locked, skip
    locked, the batch size kept apart per size)."""
    from dockets.models import Document, NoticeRecipient

    with django_capture_on_commit_callbacks(execute=False):
        entry = file_entry(pcase, tmp_path, attachments=("Exhibit A",))
    fast, slow = (
        sending._DOCUMENTS.all(entry.pk),
        list(sending._documents_query(entry.pk)),
    )
    assert [d.pk for d in fast] == [d.pk for d in slow] and len(fast) == 2
    for a, b in zip(fast, slow, strict=True):
        assert_same_object(a, b)
    notice = Notice.objects.get(entry=entry)
    assert stamping.notices_ready(entry_id=entry.pk) == []
    Document.objects.filter(entry=entry).update(status=Document.Status.DONE)
    assert stamping.notices_ready(entry_id=entry.pk) == [notice.pk]
    assert [n.pk for n in stamping._ready_query(entry.pk)] == [notice.pk]
    Notice.objects.filter(pk=notice.pk).update(status=Notice.Status.DONE)
    assert stamping.notices_ready(entry_id=entry.pk) == []
    Notice.objects.filter(pk=notice.pk).update(status=Notice.Status.PENDING)
    sending.build_notice(notice_id=notice.pk)
    emailed = list(
        notice.recipients.filter(method=NoticeRecipient.Method.EMAIL).order_by("id")
    )
    assert len(emailed) >= 3
    with transaction.atomic():
        for size in (2, 200, 2):
            fast_r = sending._next_batch(notice.pk, size)
            slow_r = list(sending._batch_query(notice.pk, size=size))
            assert [r.pk for r in fast_r] == [r.pk for r in emailed[:size]]
            for ra, rb in zip(fast_r, slow_r, strict=True):
                assert_same_object(ra, rb, ("user", "user.filer_or_none"))
        statements = _statements(lambda: sending._next_batch(notice.pk, 2))
        assert statements[0].endswith(
            'LIMIT 2 FOR UPDATE OF "dockets_noticerecipient" SKIP LOCKED'
        )
