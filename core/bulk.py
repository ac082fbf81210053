"""Many rows of one model in one INSERT whose SQL does not depend on how many.

Why (issue 21): Django's bulk_create writes `VALUES (%s, ...), (%s, ...)` with one
placeholder per value, so building the statement costs a Python call or two per
value, PostgreSQL plans it anew for every row count, and a pipeline run paid that
three times per filing (notice recipients, e-mail copies, deliveries). Here each
column is sent as one array and the rows are `unnest()`ed from them: one parameter
per column, the same SQL (and, in a prepared-statement block, the same plan) for 1
row or 1,000.

The values are prepared as bulk_create prepares them (each field's pre_save, then
get_db_prep_save: auto_now times, JSON, encrypted fields), and the new ids are set
on the objects, in order, as bulk_create sets them. No signals are sent (neither
does bulk_create). tests/core/test_bulk.py checks the rows against bulk_create's.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from django.db import connections
from django.db.models import Field, Model

# PostgreSQL's limit is far higher; a batch this size keeps one statement's arrays
# (and the memory they take) modest.
MAX_ROWS = 5_000


@cache
def _statement(model: type[Model], using: str) -> tuple[str, tuple[Field, ...]]:
    connection = connections[using]
    quote = connection.ops.quote_name
    meta = model._meta
    fields = tuple(f for f in meta.concrete_fields if not f.primary_key)
    columns = ", ".join(quote(f.column) for f in fields)
    arrays = ", ".join(f"%s::{f.db_type(connection)}[]" for f in fields)
    sql = (
        # Names from the model's metadata; every value is a parameter.
        f"INSERT INTO {quote(meta.db_table)} ({columns}) "  # noqa: S608
        f"SELECT * FROM unnest({arrays}) RETURNING {quote(meta.pk.column)}"
    )
    return sql, fields


def insert_rows(objs: Sequence[Model], *, using: str = "default") -> None:
    """Insert `objs` (new objects of one model, no pk yet) and set their ids."""
    if not objs:
        return
    model = type(objs[0])
    if any(type(obj) is not model or obj.pk is not None for obj in objs):
        raise ValueError("insert_rows takes new objects of one model")
    sql, fields = _statement(model, using)
    connection = connections[using]
    for start in range(0, len(objs), MAX_ROWS):
        chunk = objs[start : start + MAX_ROWS]
        params = [
            [f.get_db_prep_save(f.pre_save(obj, True), connection) for obj in chunk]
            for f in fields
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            ids = [row[0] for row in cursor.fetchall()]
        for obj, pk in zip(chunk, ids, strict=True):
            obj.pk = pk
            obj._state.adding = False
            obj._state.db = using
