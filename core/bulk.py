"""Many rows of one model in one INSERT whose SQL does not depend on how many.

Why (issue 21): Django's bulk_create writes `VALUES (%s, ...), (%s, ...)` with one
placeholder per value, so building the statement costs a Python call or two per
value, PostgreSQL plans it anew for every row count, and a pipeline run paid that
three times per filing (notice recipients, e-mail copies, deliveries). Here each
column is sent as one array and the rows are `unnest()`ed from them: one parameter
per column, the same SQL (and, in a prepared-statement block, the same plan) for 1
row or 1,000.

The values are prepared as bulk_create prepares them (each field's pre_save, then
get_db_prep_save: auto_now times, JSON, encrypted fields; a plain str, int, bool or
aware datetime in a plain field is sent as it is, as get_db_prep_save would), and the new ids are set
on the objects, in order, as bulk_create sets them. No signals are sent (neither
does bulk_create). tests/core/test_insert_rows.py checks the rows against bulk_create's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from functools import cache

from django.db import connections, models
from django.db.models import Field, Model

# PostgreSQL's limit is far higher; a batch this size keeps one statement's arrays
# (and the memory they take) modest.
MAX_ROWS = 5_000


# Fields whose database value is the attribute itself when it has this exact type
# (get_db_prep_save would return it unchanged): read directly, the rest prepared.
_PLAIN: dict[type[Field], type] = {
    models.CharField: str,
    models.TextField: str,
    models.EmailField: str,
    models.SlugField: str,
    models.BooleanField: bool,
    models.SmallIntegerField: int,
    models.IntegerField: int,
    models.BigIntegerField: int,
    models.PositiveSmallIntegerField: int,
    models.PositiveIntegerField: int,
    models.PositiveBigIntegerField: int,
    models.DateTimeField: dt.datetime,
}


def _preparer(field: Field, using: str) -> Callable[[Model], object]:
    """`obj -> the value bulk_create would send for field`, without Django's calls
    where the value is plainly what is sent: a str, int, bool or aware datetime
    (exactly), or None, in a field whose preparation returns those unchanged."""
    connection = connections[using]
    attname = field.attname
    plain: type | None = _PLAIN.get(type(field))
    if field.is_relation:
        # A plain foreign key: its target's (the id's) type; any other relation is
        # prepared by the field.
        plain = None
        if isinstance(field, models.ForeignKey) and type(field) in (
            models.ForeignKey,
            models.OneToOneField,
        ):
            plain = _PLAIN.get(type(field.target_field))
    if type(field).pre_save is Field.pre_save:

        def value_of(obj: Model) -> object:
            return getattr(obj, attname)

    else:  # auto_now and the like

        def value_of(obj: Model) -> object:
            return field.pre_save(obj, True)

    def prepared(obj: Model) -> object:
        value = value_of(obj)
        if value is None or (
            type(value) is plain
            and (plain is not dt.datetime or value.tzinfo is not None)  # type: ignore[attr-defined]
        ):
            return value
        return field.get_db_prep_save(value, connection)

    return prepared


@cache
def _statement(
    model: type[Model], using: str
) -> tuple[str, tuple[Callable[[Model], object], ...]]:
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
    return sql, tuple(_preparer(f, using) for f in fields)


def insert_rows(objs: Sequence[Model], *, using: str = "default") -> None:
    """Insert `objs` (new objects of one model, no pk yet) and set their ids."""
    if not objs:
        return
    model = type(objs[0])
    if any(type(obj) is not model or obj.pk is not None for obj in objs):
        raise ValueError("insert_rows takes new objects of one model")
    sql, preparers = _statement(model, using)
    connection = connections[using]
    for start in range(0, len(objs), MAX_ROWS):
        chunk = objs[start : start + MAX_ROWS]
        params = [[prepared(obj) for obj in chunk] for prepared in preparers]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            ids = [row[0] for row in cursor.fetchall()]
        for obj, pk in zip(chunk, ids, strict=True):
            obj.pk = pk
            obj._state.adding = False
            obj._state.db = using
