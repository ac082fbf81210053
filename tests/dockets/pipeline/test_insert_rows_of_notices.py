"""core.bulk.insert_rows on the notice's recipient rows: JSON and defaults as
bulk_create writes them (tests/core/test_insert_rows.py has the rest)."""

from __future__ import annotations

import pytest
from pipeline_helpers import file_entry

from core.bulk import insert_rows

pytestmark = pytest.mark.django_db


def test_json_values_and_defaults_as_bulk_create_writes_them(pcase, tmp_path):
    from dockets.models import NoticeRecipient

    notice = file_entry(pcase, tmp_path).notices.get()

    def recipients() -> list[NoticeRecipient]:
        return [
            NoticeRecipient(
                notice=notice,
                name="Sharp Supply",
                address_lines=lines,
                method=NoticeRecipient.Method.PAPER,
            )
            for lines in (["1 Main St", 'Suite "B", {rear}'], [], ["NULL"])
        ]

    ours, django = recipients(), recipients()
    insert_rows(ours)
    NoticeRecipient.objects.bulk_create(django)
    for mine, theirs in zip(ours, django, strict=True):
        stored = NoticeRecipient.objects.get(pk=mine.pk)
        assert stored.address_lines == mine.address_lines
        assert stored.token == mine.token and stored.magic_num == mine.magic_num
        other = NoticeRecipient.objects.get(pk=theirs.pk)
        assert (stored.name, stored.method, stored.status, stored.email) == (
            other.name,
            other.method,
            other.status,
            other.email,
        )
