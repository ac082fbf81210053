"""Tamper-evident records: the database refuses changes; verify_records finds what slipped past."""

import hashlib
import io
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from seckit import file_pdf_entry, make_case

from core.audit import record_event
from core.models import AuditEvent
from dockets.models import DocketEntry, DocketEntryRevision, Document

pytestmark = pytest.mark.django_db


def _verify() -> tuple[str | int | None, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code: str | int | None
    try:
        call_command("verify_records", stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def _as_superuser(sql: str, params: list) -> None:
    """What an insider with database rights could do: bypass the triggers."""
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        try:
            cursor.execute(sql, params)
        finally:
            cursor.execute("SET session_replication_role = DEFAULT")


@pytest.fixture
def filed(demo):
    case = make_case(demo.court, title="Tamper Test")
    entry = file_pdf_entry(case, demo.users["attorney"])
    return entry


def _refused(queryset_action) -> None:
    with pytest.raises(DatabaseError, match="ECF"), transaction.atomic():
        queryset_action()


def test_database_refuses_update_and_delete_of_filed_records(filed, demo):
    entry = filed
    document = entry.documents.get()
    with transaction.atomic():
        event = record_event(
            actor=demo.users["clerk"], action="security.test", case_id=entry.case_id
        )
    _refused(lambda: AuditEvent.objects.filter(pk=event.pk).update(note="rewritten"))
    _refused(lambda: AuditEvent.objects.filter(pk=event.pk).delete())
    _refused(
        lambda: DocketEntry.objects.filter(pk=entry.pk).update(
            original_text="rewritten"
        )
    )
    _refused(lambda: DocketEntry.objects.filter(pk=entry.pk).update(number=99))
    _refused(
        lambda: DocketEntry.objects.filter(pk=entry.pk).update(
            filed_at=entry.filed_at.replace(year=2001)
        )
    )
    _refused(
        lambda: DocketEntry.objects.filter(pk=entry.pk)._raw_delete(connection.alias)
    )
    _refused(lambda: Document.objects.filter(pk=document.pk).update(sha512="0" * 128))
    _refused(
        lambda: Document.objects.filter(pk=document.pk).update(
            original="documents/other.pdf"
        )
    )
    _refused(
        lambda: Document.objects.filter(pk=document.pk)._raw_delete(connection.alias)
    )
    # A stamped copy, once recorded, never changes either.
    Document.objects.filter(pk=document.pk).update(
        stamped="stamped/x.pdf", stamped_sha512="a" * 128
    )
    _refused(
        lambda: Document.objects.filter(pk=document.pk).update(stamped_sha512="b" * 128)
    )
    entry.refresh_from_db()
    assert entry.original_text and entry.number == 1
    assert Document.objects.get(pk=document.pk).sha512 == filed.documents.get().sha512


def test_revisions_are_append_only(filed, demo):
    entry = filed
    with transaction.atomic():
        revision = DocketEntryRevision.objects.create(
            entry=entry,
            changed_by=demo.users["clerk"],
            changed_at=timezone.now(),
            field="text",
            before=entry.text,
            after=entry.text + " (corrected)",
            reason="typo",
        )
    _refused(
        lambda: DocketEntryRevision.objects.filter(pk=revision.pk).update(
            after="rewritten"
        )
    )
    _refused(lambda: DocketEntryRevision.objects.filter(pk=revision.pk).delete())
    assert DocketEntryRevision.objects.get(pk=revision.pk).reason == "typo"


def test_verify_records_passes_on_intact_records(filed):
    code, out, err = _verify()
    assert code == 0, err
    assert "1 original documents" in out and "0 problems" in out
    print(out.strip())


def test_verify_records_finds_a_changed_audit_row(filed):
    event = AuditEvent.objects.filter(action="dockets.entry.filed").latest("id")
    _as_superuser(
        "UPDATE core_auditevent SET note = 'rewritten' WHERE id = %s", [event.pk]
    )
    code, out, err = _verify()
    assert code == 1
    assert f"event #{event.pk} was changed after it was written" in err
    assert "1 problem." in out


def test_verify_records_finds_a_removed_audit_row(filed):
    event = (
        AuditEvent.objects.filter(chain_key=f"case:{filed.case_id}")
        .order_by("sequence")
        .first()
    )
    assert event is not None
    _as_superuser("DELETE FROM core_auditevent WHERE id = %s", [event.pk])
    code, _out, err = _verify()
    assert code == 1
    assert "out of sequence" in err or "does not follow" in err


def test_verify_records_finds_a_changed_original_and_stamped_copy(filed):
    document = filed.documents.get()
    path = Path(document.original.path)
    path.write_bytes(path.read_bytes() + b"%tampered\n")
    code, out, err = _verify()
    assert code == 1 and "1 problem." in out
    assert (
        f"Document #{document.pk} (original)" in err
        and "does not match its SHA-512 digest" in err
    )

    # The stamped copy is checked too.
    path.write_bytes(path.read_bytes()[: -len(b"%tampered\n")])
    stamped = b"%PDF-1.7 stamped copy"
    document.stamped.save("s.pdf", ContentFile(stamped), save=False)
    Document.objects.filter(pk=document.pk).update(
        stamped=document.stamped.name,
        stamped_sha512=hashlib.sha512(stamped).hexdigest(),
    )
    assert _verify()[0] == 0
    Path(document.stamped.path).write_bytes(b"%PDF-1.7 forged copy")
    code, _out, err = _verify()
    assert code == 1 and f"Document #{document.pk} (stamped copy)" in err


def test_verify_records_finds_a_missing_file(filed):
    document = filed.documents.get()
    Path(document.original.path).unlink()
    code, _out, err = _verify()
    assert code == 1 and "cannot be read" in err


def test_upload_file_name_is_never_a_path(demo):
    case = make_case(demo.court, title="Path Test")
    entry = file_pdf_entry(
        case, demo.users["attorney"], filename="../../etc/passwd.pdf"
    )
    document = entry.documents.get()
    assert ".." not in document.original.name and "passwd" not in document.original.name
    assert document.original.name.startswith(f"documents/{case.pk}/")
    assert document.original_filename == "passwd.pdf"
    assert (
        Path(document.original.path)
        .resolve()
        .is_relative_to(Path(document.original.storage.location).resolve())
    )
