"""Who gets the NEF, daily summaries, paper notices for the BNC, and bounces."""

import datetime as dt
import subprocess

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from pdfmaker import pdf_dict
from pipeline_helpers import add_watch, file_entry
from pypdf import PdfReader
from testkit import require_command

from cases.models import CaseWatch, Party
from core.models import InboxMessage
from dockets.models import DocketEntry, Notice, NoticeRecipient
from dockets.pipeline.models import PaperNotice
from dockets.pipeline.services import recipients_for, send_daily_summaries
from filers.models import Filer

pytestmark = pytest.mark.django_db


def _file(pcase, tmp_path, capture, **kwargs) -> DocketEntry:
    with capture(execute=True):
        return file_entry(pcase, tmp_path, **kwargs)


def test_recipient_rules(pcase, tmp_path, django_capture_on_commit_callbacks):
    """Counsel with notice on, trustees, courtesy requesters, limited filers who added the case,
    and secondary addresses get e-mail; a limited filer who did not add it and mailed-only
    parties are listed as not mailed; counsel with notice off get nothing."""
    users = pcase.users
    add_watch(pcase.case, users["reporter"], CaseWatch.Kind.COURTESY)
    add_watch(pcase.case, users["creditor"], CaseWatch.Kind.ADDED)
    Filer.objects.filter(user=users["attorney"]).update(
        secondary_emails=["paralegal@example.com"]
    )
    pcase.bank.representations.update(notice=False)
    with django_capture_on_commit_callbacks(execute=False):
        entry = file_entry(pcase, tmp_path)
    plan = recipients_for(entry)
    emails = sorted(e for a in plan.electronic for e in a.emails)
    assert emails == sorted(
        [
            "attorney@ecf.test",
            "paralegal@example.com",
            "trustee@ecf.test",
            "ustrustee@ecf.test",
            "reporter@ecf.test",
            "creditor@ecf.test",
        ]
    )
    attorney = next(a for a in plan.electronic if a.user_id == users["attorney"].pk)
    assert attorney.on_behalf_of == ["Debtor Maria L. Gonzalez"]
    assert sorted(p.name for p in plan.paper) == [
        "Coastal Federal Credit Union",
        "Sharp Memorial Hospital",
    ]


def test_limited_filer_gets_nothing_until_they_add_the_case(
    pcase, tmp_path, django_capture_on_commit_callbacks
):
    """A creditor account that is a party but did not add the case gets no e-mail."""
    Party.objects.filter(pk=pcase.mailed_creditor.pk).update(
        user=pcase.users["creditor"]
    )
    with django_capture_on_commit_callbacks(execute=False):
        entry = file_entry(pcase, tmp_path)
    assert "creditor@ecf.test" not in [
        e for a in recipients_for(entry).electronic for e in a.emails
    ]
    add_watch(pcase.case, pcase.users["creditor"], CaseWatch.Kind.ADDED)
    assert "creditor@ecf.test" in [
        e for a in recipients_for(entry).electronic for e in a.emails
    ]


def test_recipients_take_a_fixed_number_of_queries(
    pcase, tmp_path, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    """Adding watchers adds no queries."""
    from filers.models import Role, User

    for i in range(30):
        user = User.objects.create_user(
            email=f"watcher{i}@example.com", password="x", full_name=f"Watcher {i}"
        )
        Filer.objects.create(user=user, role=Role.ATTORNEY)
        add_watch(pcase.case, user, CaseWatch.Kind.COURTESY)
    with django_capture_on_commit_callbacks(execute=False):
        entry = file_entry(pcase, tmp_path)
    entry = DocketEntry.objects.select_related("case", "filer").get(pk=entry.pk)
    with django_assert_max_num_queries(6):
        plan = recipients_for(entry)
    assert len(plan.electronic) == 34


def test_daily_summary_filers_get_one_message_a_day(
    pcase, tmp_path, django_capture_on_commit_callbacks
):
    """A filer who chose the daily summary gets no NEF e-mail, then one summary listing the day's NEFs."""
    Filer.objects.filter(user=pcase.users["attorney2"]).update(
        nef_preference=Filer.NefPreference.DAILY
    )
    first = _file(pcase, tmp_path, django_capture_on_commit_callbacks)
    second = _file(pcase, tmp_path, django_capture_on_commit_callbacks)
    assert "attorney2@ecf.test" not in [m.to[0] for m in mail.outbox]
    rows = NoticeRecipient.objects.filter(email="attorney2@ecf.test")
    assert {r.status for r in rows} == {NoticeRecipient.Status.DIGEST}
    with django_capture_on_commit_callbacks(execute=True):
        assert send_daily_summaries() == 1
        assert send_daily_summaries() == 0
    summaries = [m for m in mail.outbox if m.to == ["attorney2@ecf.test"]]
    assert len(summaries) == 1
    assert f"Doc {first.number}" in summaries[0].body
    assert f"Doc {second.number}" in summaries[0].body
    assert {r.status for r in rows.all()} == {NoticeRecipient.Status.SENT}


def test_bnc_event_mails_paper_notices_and_dockets_the_certificate(
    pcase, tmp_path, django_capture_on_commit_callbacks
):
    """For a BNC event, parties without e-mail get a tagged PDF notice and a certificate is docketed."""
    entry = _file(
        pcase,
        tmp_path,
        django_capture_on_commit_callbacks,
        code="ntcpoc",
        filer=pcase.users["clerk"],
        fields={"claims_bar": dt.date(2027, 3, 1)},
        parties=[],
    )
    notice = entry.notices.get()
    assert notice.status == Notice.Status.DONE
    paper = PaperNotice.objects.get(notice=notice)
    assert paper.count == 1  # the bank has counsel; the hospital has only an address
    paper_rows = notice.recipients.filter(method=NoticeRecipient.Method.PAPER)
    assert {r.status for r in paper_rows} == {NoticeRecipient.Status.QUEUED_PAPER}
    reader = PdfReader(paper.pdf.open("rb"))
    assert len(reader.pages) == 1
    assert "/StructTreeRoot" in reader.root_object
    assert pdf_dict(reader.root_object["/MarkInfo"])["/Marked"]
    text = reader.pages[0].extract_text()
    assert "7901 Frost Street" in text
    certificate = paper.certificate
    assert certificate is not None
    assert certificate.event.code == "bncntc"
    assert "No. of Notices: 1." in certificate.text
    assert f"(RE: related document(s) {entry.number}" in certificate.text
    assert certificate.documents.get().status == "done"
    # Running the paper step again changes nothing.
    from dockets.pipeline.paper import mail_paper_notices

    mail_paper_notices(notice_id=notice.pk)
    assert (
        DocketEntry.objects.filter(case=pcase.case, event__code="bncntc").count() == 1
    )


def test_stamped_copy_passes_qpdf_check(
    pcase, tmp_path, django_capture_on_commit_callbacks
):
    entry = _file(pcase, tmp_path, django_capture_on_commit_callbacks, pages=5)
    document = entry.documents.get()
    result = subprocess.run(
        [require_command("qpdf"), "--check", document.stamped.path],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors found" in result.stdout


def test_record_bounce_marks_the_delivery_and_flags_the_account(
    pcase, tmp_path, django_capture_on_commit_callbacks
):
    """`record_bounce` marks the latest NEF to that address bounced and flags the filer account."""
    _file(pcase, tmp_path, django_capture_on_commit_callbacks)
    call_command(
        "record_bounce", "Trustee@ecf.test", "--reason", "550 mailbox unavailable"
    )
    row = NoticeRecipient.objects.get(email="trustee@ecf.test")
    assert row.status == NoticeRecipient.Status.BOUNCED
    assert "550" in row.error_message
    assert Filer.objects.get(user=pcase.users["trustee"]).email_bounced
    with pytest.raises(CommandError, match="No notice was sent"):
        call_command("record_bounce", "nobody@example.com")
    with pytest.raises(CommandError, match="e-mail address"):
        call_command("record_bounce", "not-an-address")


def test_nef_escapes_what_users_typed(
    pcase, tmp_path, django_capture_on_commit_callbacks
):
    """Script in a case title or docket text is shown as text in the HTML notice."""
    from cases.models import Case

    Case.objects.filter(pk=pcase.case.pk).update(
        title="<script>alert(1)</script> Debtor"
    )
    pcase.case.refresh_from_db()
    _file(
        pcase,
        tmp_path,
        django_capture_on_commit_callbacks,
        fields={"extend_what": "<b>file</b> schedules"},
    )
    message = InboxMessage.objects.filter(kind="nef").first()
    assert message is not None
    assert "<script>" not in message.body_html
    assert "&lt;script&gt;" in message.body_html
    assert "<b>file</b>" not in message.body_html


@pytest.mark.parametrize("visibility", ["sealed", "court", "ex_parte"])
def test_private_entries_notify_only_the_filer(
    pcase, tmp_path, django_capture_on_commit_callbacks, visibility
):
    """Nobody else learns of a sealed, court-only or ex parte filing from a notice."""
    entry = _file(
        pcase, tmp_path, django_capture_on_commit_callbacks, visibility=visibility
    )
    notice = entry.notices.get()
    assert [r.email for r in notice.recipients.all()] == ["attorney@ecf.test"]
    assert [m.to for m in mail.outbox] == [["attorney@ecf.test"]]
    assert notice.extra["not_mailed"] == []
