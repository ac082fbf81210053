import pytest
from django.db import DatabaseError, connection, transaction

from core.audit import record_event, verify_chain
from core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_audit_chain_verifies_and_detects_a_changed_row(demo):
    """Each event is chained to the previous one; a row changed behind ECF's back is found."""
    clerk = demo.users["clerk"]
    with transaction.atomic():
        for i in range(3):
            record_event(actor=clerk, action="core.test.did", note=f"step {i}")
    assert verify_chain() == []
    event = AuditEvent.objects.filter(action="core.test.did").order_by("id")[1]
    with connection.cursor() as cursor:
        # An insider with superuser rights bypasses the triggers.
        cursor.execute("SET session_replication_role = replica")
        cursor.execute(
            "UPDATE core_auditevent SET note = 'rewritten' WHERE id = %s", [event.pk]
        )
        cursor.execute("SET session_replication_role = DEFAULT")
    problems = verify_chain()
    assert any(f"event #{event.pk} was changed" in p for p in problems)


def test_audit_log_refuses_update_and_delete(demo):
    """The database itself refuses to change or remove an audit event."""
    with transaction.atomic():
        event = record_event(actor=demo.users["clerk"], action="core.test.did")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(note="changed")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).note == ""
