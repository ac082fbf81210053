"""Queries the ORM compiles once per process and then runs many times (issue 21).

The public docket page reads its case header and its party blocks in one query each,
but Django compiles those queries (select_related, ArraySubquery, JSONObject, UNION)
anew on every request, and the compiling costs about five times what PostgreSQL
spends running them. A `CompiledQuery` is built from an ordinary queryset, once per
process and thread, with a placeholder number where the case id goes; each call runs
the same SQL with the real id and turns the rows into model instances exactly as
QuerySet iteration does (converters, select_related objects, annotations).

Only the shape of the query is kept: it is code, not data. Nothing read from the
database, and no access decision, outlives the call.

tests/dockets/reports/test_compiled_queries.py checks the objects against the
ORM's own for every query built here, so a Django upgrade that changes the
internals used below fails there, not on the docket page.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import connections
from django.db.backends.postgresql.base import (  # type: ignore[attr-defined]  # psycopg 3 only
    TIMESTAMPTZ_OID,
    ServerBindingCursor,
)
from django.db.backends.postgresql.psycopg_any import (  # type: ignore[import-untyped]
    register_tzloader,
)
from django.db.backends.utils import CursorWrapper
from django.db.models import Model, QuerySet
from django.db.models.query import (  # type: ignore[attr-defined]  # not in the stubs
    get_related_populators,
)
from django.db.transaction import TransactionManagementError
from psycopg.pq import Format

M = TypeVar("M", bound=Model)

# Stands in for the case id while the query is compiled; no row has a negative id.
PLACEHOLDER = -73_737_373_737


@dataclass
class _Compiled:
    sql: str
    params: list[Any]
    slots: list[int]  # positions in params that take the id
    compiler: Any
    init_list: list[str]
    model_slice: slice
    populators: list[Any]
    annotations: dict[str, int]
    for_update: bool  # SELECT ... FOR UPDATE [OF ...]: only inside a transaction
    converters: dict[int, Any]  # the compiler's get_converters(), found once


class CompiledQuery(Generic[M]):
    """`build(id)` -> a model queryset; `CompiledQuery(build).all(id)` runs it.

    The queryset must take the id only as a lookup value (the ORM sends it as a
    parameter) and must not use extra(), values() or prefetch_related().
    A select_for_update() queryset keeps its FOR UPDATE clause as the ORM writes
    it and, like the ORM, refuses to run outside a transaction (where the lock
    would be released at once).
    """

    def __init__(self, build: Callable[[int], QuerySet[M]]):
        self._build = build
        self._local = threading.local()

    def _compiled(self, using: str) -> _Compiled:
        cache = self._local.__dict__.setdefault("by_alias", {})
        compiled = cache.get(using)
        if compiled is None:
            compiled = cache[using] = self._compile(using)
        return compiled

    def _compile(self, using: str) -> _Compiled:
        qs = self._build(PLACEHOLDER)
        if getattr(qs, "_prefetch_related_lookups", ()) or (
            qs._iterable_class.__name__ != "ModelIterable"
        ):
            raise ValueError("CompiledQuery takes a plain model queryset")
        compiler = qs.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        if compiler.has_extra_select:
            raise ValueError("CompiledQuery does not take extra()")
        slots = [i for i, value in enumerate(params) if value == PLACEHOLDER]
        if not slots:
            raise ValueError("the query does not take the id as a parameter")
        if any(isinstance(value, dt.date | dt.time | dt.timedelta) for value in params):
            # "today" or "now" in a filter (a seal's end, a restriction lifted on a
            # date) would be frozen at the first compile and wrong from the next day.
            raise ValueError(
                "CompiledQuery does not take a date or time in its filters"
            )
        klass_info = compiler.klass_info
        select_fields = klass_info["select_fields"]
        start, end = select_fields[0], select_fields[-1] + 1
        return _Compiled(
            sql=sql,
            params=list(params),
            slots=slots,
            compiler=compiler,
            init_list=[f[0].target.attname for f in compiler.select[start:end]],
            model_slice=slice(start, end),
            populators=get_related_populators(klass_info, compiler.select, using),
            annotations=dict(compiler.annotation_col_map or {}),
            for_update=bool(qs.query.select_for_update),
            converters=_converters(compiler),
        )

    def all(self, key: int, *, using: str = "default") -> list[M]:
        """The rows for `key`, as the queryset `build(key)` would give them."""
        compiled = self._compiled(using)
        if compiled.for_update and connections[using].get_autocommit():
            raise TransactionManagementError(
                "select_for_update cannot be used outside of a transaction."
            )
        params = list(compiled.params)
        for slot in compiled.slots:
            params[slot] = key
        with prepared_cursor(using) as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        return instances(
            compiled, _convert(compiled.compiler, compiled.converters, rows), using
        )

    def first(self, key: int, *, using: str = "default") -> M | None:
        rows = self.all(key, using=using)
        return rows[0] if rows else None


def instances(compiled: Any, rows: Any, using: str) -> list[Any]:
    """The model objects of converted `rows`, as the ORM builds them: the model's own
    columns, its select_related rows (populators) and its annotations. `compiled` is
    any compiled query of this module or core.compiled_lookup."""
    model = compiled.compiler.klass_info["model"]
    objects = []
    for row in rows:
        obj = model.from_db(using, compiled.init_list, row[compiled.model_slice])
        for populator in compiled.populators:
            populator.populate(row, obj)
        for name, position in compiled.annotations.items():
            setattr(obj, name, row[position])
        objects.append(obj)
    return objects


class _PreparedStatementCursor(ServerBindingCursor):
    """Runs every statement as a prepared statement of its connection."""

    def execute(self, query, params=None, *, prepare=None, binary=None):
        return super().execute(query, params, prepare=True, binary=binary)


def prepared_cursor(using: str) -> CursorWrapper:
    """A cursor of `using`'s connection whose statements PostgreSQL plans once per
    connection (a prepared statement), through Django's wrapper (errors, query log).

    Planning these queries cost PostgreSQL more than running them (a join per related
    row, for one id). Only compiled queries are prepared: each takes one id and the
    same plan serves every id. Other queries are planned for their values each time
    (the connection's prepare_threshold stays off), so a text search is never run
    with a plan made for other words.
    """
    connection = connections[using]
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        cursor = _PreparedStatementCursor(connection.connection)
        # As Django's create_cursor: the connection's time zone if it changed since.
        loader = connection.connection.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
        if connection.timezone != loader.timezone:
            register_tzloader(connection.timezone, cursor)
        return connection._prepare_cursor(cursor)  # type: ignore[attr-defined]


@contextlib.contextmanager
def prepared_statements(using: str = "default") -> Iterator[None]:
    """Run the block's statements as prepared statements of the connection.

    PostgreSQL then plans each statement once per connection and reuses that plan
    (a generic one, made without the values) each time the same statement runs
    again, in such a block or not. For blocks that find rows by id or key (a
    filing's transaction, its pipeline), where one plan serves every value. Never
    around a search or a filter on text, dates or a case's size, whose best plan
    depends on the values.
    """
    connection = connections[using]
    connection.ensure_connection()
    raw = connection.connection
    threshold = raw.prepare_threshold
    raw.prepare_threshold = 0
    try:
        yield
    finally:
        raw.prepare_threshold = threshold


# Prepared statements kept per connection (psycopg's default, 100, is less than the
# statements of the filing paths, the pipeline and the compiled reads together: past
# it, the oldest is deallocated and prepared again on its next run).
PREPARED_MAX = 1000


def keep_prepared_statements(sender: Any, connection: Any, **kwargs: Any) -> None:
    """connection_created: room for PREPARED_MAX prepared statements (core.apps)."""
    if connection.vendor == "postgresql":
        connection.connection.prepared_max = PREPARED_MAX


def _converters(compiler: Any) -> dict[int, Any]:
    """The value converters of the compiled select (what results_iter would look up
    on every call: a tenth of a small page's time), found once."""
    fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
    if compiler.has_composite_fields(fields):
        raise ValueError("compiled queries do not take a composite primary key")
    return compiler.get_converters(fields)


def _convert(compiler: Any, converters: dict[int, Any], rows: list) -> Any:
    """The rows with their values converted, as compiler.results_iter gives them."""
    if not converters:
        return rows
    return compiler.apply_converters(rows, converters)


# Stand in for the keys of a CompiledValues query: positive (a negative number in a
# lookup on a positive field is dropped by the ORM as out of range) and far above
# any id, sequence or count the court will reach.
VALUE_PLACEHOLDERS = tuple(7_373_737_373_737_000 + i for i in range(8))


@dataclass
class _CompiledValues:
    sql: str
    params: list[Any]
    slots: list[tuple[int, int]]  # (position in params, which key)
    compiler: Any
    names: list[str]
    converters: dict[int, Any]


class CompiledValues:
    """`build(*keys)` -> a values() queryset; `CompiledValues(build, n).rows(*keys)`
    runs its SQL, compiled once per process and thread, and gives the same dicts.

    For a query whose shape is fixed and whose inputs are a few whole numbers (a
    case id, a keyset cursor): each key must reach the SQL as a parameter.
    """

    def __init__(self, build: Callable[..., QuerySet[Any]], keys: int):
        if not 0 < keys <= len(VALUE_PLACEHOLDERS):
            raise ValueError("CompiledValues takes 1 to 8 keys")
        self._build = build
        self._keys = keys
        self._local = threading.local()

    def _compiled(self, using: str) -> _CompiledValues:
        cache = self._local.__dict__.setdefault("by_alias", {})
        compiled = cache.get(using)
        if compiled is None:
            compiled = cache[using] = self._compile(using)
        return compiled

    def _compile(self, using: str) -> _CompiledValues:
        stand_ins = VALUE_PLACEHOLDERS[: self._keys]
        qs = self._build(*stand_ins)
        if getattr(qs, "_prefetch_related_lookups", ()) or (
            qs._iterable_class.__name__ != "ValuesIterable"
        ):
            raise ValueError("CompiledValues takes a values() queryset")
        compiler = qs.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        slots = [
            (i, stand_ins.index(value))
            for i, value in enumerate(params)
            if isinstance(value, int) and value in stand_ins
        ]
        if {key for _, key in slots} != set(range(self._keys)):
            raise ValueError("every key must reach the query as a parameter")
        if any(isinstance(value, dt.date | dt.time | dt.timedelta) for value in params):
            raise ValueError(
                "CompiledValues does not take a date or time in its filters"
            )
        query = qs.query
        return _CompiledValues(
            sql=sql,
            params=list(params),
            slots=slots,
            compiler=compiler,
            names=[
                *query.extra_select,
                *query.values_select,
                *query.annotation_select,
            ],
            converters=_converters(compiler),
        )

    def rows(self, *keys: int, using: str = "default") -> list[dict[str, Any]]:
        """The rows for `keys`, as `build(*keys)` would give them."""
        if len(keys) != self._keys or not all(
            isinstance(k, int) and not isinstance(k, bool) for k in keys
        ):
            raise ValueError(f"CompiledValues takes {self._keys} whole numbers")
        compiled = self._compiled(using)
        params = list(compiled.params)
        for slot, key in compiled.slots:
            params[slot] = keys[key]
        with connections[using].cursor() as cursor:
            cursor.execute(compiled.sql, params)
            fetched = cursor.fetchall()
        names = compiled.names
        return [
            dict(zip(names, row, strict=True))
            for row in _convert(compiled.compiler, compiled.converters, fetched)
        ]
