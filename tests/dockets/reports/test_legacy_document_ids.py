"""Every document has a CM/ECF-style id: court prefix, 0, serial; unique, never changed."""

from __future__ import annotations

import re

import pytest
from django.db import IntegrityError, ProgrammingError, transaction

from dockets.api.reads import document_out
from dockets.models import Document

pytestmark = pytest.mark.django_db


def test_every_document_gets_a_cmecf_id_with_the_court_prefix(world, file_entry):
    """Main document and attachments each get their own id, starting with the court's prefix."""
    entry = file_entry(
        world.case, "msj", world.users["attorney"], attachments=["Exhibit A"]
    )
    ids = list(entry.documents.order_by("sequence").values_list("cmecf_id", flat=True))
    assert len(ids) == 2
    assert len(set(ids)) == 2
    for cmecf_id in ids:
        assert re.fullmatch(r"0360\d{8,}", cmecf_id), cmecf_id
    main = entry.documents.get(sequence=0)
    assert main.cmecf_id == f"0360{main.pk:08d}"
    assert document_out(main)["cmecf_id"] == main.cmecf_id


def test_a_document_id_never_changes(world, file_entry):
    """The database refuses to change a document id, whoever tries."""
    entry = file_entry(world.case, "msj", world.users["attorney"])
    doc = entry.documents.get()
    with pytest.raises((IntegrityError, ProgrammingError)), transaction.atomic():
        Document.objects.filter(pk=doc.pk).update(cmecf_id="036099999999")
    doc.refresh_from_db()
    assert doc.cmecf_id.startswith("0360")
