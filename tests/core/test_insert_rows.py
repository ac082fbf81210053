"""core.bulk.insert_rows writes the rows bulk_create writes, in one statement whatever
their number, and gives each object its id in order."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.bulk import insert_rows
from core.models import InboxMessage

pytestmark = pytest.mark.django_db

# Text the array syntax must carry through unchanged: quotes, backslashes, braces,
# commas, spaces, the word NULL, empty, non-ASCII, newlines.
AWKWARD = [
    'He said "no", {twice}',
    "back\\slash \\\\ and \\N",
    "NULL",
    "null",
    "",
    " leading and trailing ",
    "Zoë — ✓\nsecond line\r\n",
    "a" * 5000,
]


def _row(message: InboxMessage) -> tuple:
    stored = InboxMessage.objects.get(pk=message.pk)
    return tuple(
        getattr(stored, f.attname)
        for f in InboxMessage._meta.concrete_fields
        if f.attname not in ("id", "created_at", "updated_at")
    )


def test_the_rows_are_bulk_create_s_and_the_ids_are_in_order(demo):
    user = demo.users["attorney"]

    def messages() -> list[InboxMessage]:
        return [
            InboxMessage(
                user=user if i % 2 else None,
                to_email=f"reader{i}@example.com",
                subject=text[:300],
                body_text=text,
                body_html=f"<p>{text}</p>" if i % 3 else "",
                kind="nef",
                status=InboxMessage.Status.PENDING,
                # Not the field's own type: prepared by the field, as bulk_create does.
                attempts=str(i) if i % 2 else i,
                sent_at=dt.datetime(2026, 12, 5, 9, i) if i == 3 else None,  # noqa: DTZ001 (naive on purpose)
            )
            for i, text in enumerate(AWKWARD)
        ]

    ours, django = messages(), messages()
    # A naive time is made aware (with Django's warning) by both, the same way.
    with (
        pytest.warns(RuntimeWarning, match="naive datetime"),
        CaptureQueriesContext(connection) as queries,
    ):
        insert_rows(ours)
    assert len(queries.captured_queries) == 1
    with pytest.warns(RuntimeWarning, match="naive datetime"):
        InboxMessage.objects.bulk_create(django)
    for mine, theirs in zip(ours, django, strict=True):
        assert mine.pk is not None and not mine._state.adding
        assert _row(mine) == _row(theirs)
        stored = InboxMessage.objects.get(pk=mine.pk)
        assert stored.to_email == mine.to_email  # the id is this object's row
        assert stored.created_at == mine.created_at  # auto_now_add, as bulk_create
        assert stored.attempts == ours.index(mine)
    assert [m.pk for m in ours] == sorted(m.pk for m in ours)


def test_only_new_objects_of_one_model():
    message = InboxMessage.objects.create(to_email="a@example.com", body_text="t")
    with pytest.raises(ValueError, match="new objects of one model"):
        insert_rows([message])
    insert_rows([])  # nothing to do
