"""A query compiled once per process that takes several values by name (issue 21):
core.compiled.CompiledQuery's sibling for lookups that are not by one id, such as
the API token by its digest with the fee lockout's cutoff, or a session by its key.

`build(shape=..., **values)` -> a model queryset, compiled once per process, thread
and `shape` with a placeholder for each value (`placeholders`: name -> a value of the
right type that no real call uses); `first(shape, **values)` runs it with the real
ones. Each value goes where the ORM put its placeholder, so a time ("now minus the
lockout days") is the call's, never the compile's. `shape` names the variant when a
value changes the query's shape (a subquery present or not): it is passed to `build`.

Only the shape of the query is kept: nothing read from the database, and no access
decision, outlives the call. The rows become model instances as in CompiledQuery
(converters, select_related objects, annotations); tests/api/test_token_lookup.py and
tests/core/test_sessions.py compare them with the ORM's own.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.contrib.postgres.fields import ArrayField
from django.db.models import BigIntegerField, F, Lookup, Model, QuerySet, Value
from django.db.models.query import (  # type: ignore[attr-defined]  # not in the stubs
    get_related_populators,
)

from .compiled import instances, prepared_cursor

M = TypeVar("M", bound=Model)


class _Compiled:
    def __init__(self, qs: QuerySet, using: str, placeholders: dict[str, Any]):
        if getattr(qs, "_prefetch_related_lookups", ()) or (
            qs._iterable_class.__name__ != "ModelIterable"
        ):
            raise ValueError("CompiledLookup takes a plain model queryset")
        if qs.query.select_for_update:
            raise ValueError("CompiledLookup does not take select_for_update()")
        compiler = qs.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        if compiler.has_extra_select:
            raise ValueError("CompiledLookup does not take extra()")
        self.sql = sql
        self.params = list(params)
        self.slots = {
            name: [
                i
                for i, value in enumerate(params)
                if _same_kind(value, placeholder) and value == placeholder
            ]
            for name, placeholder in placeholders.items()
        }
        self.compiler = compiler
        klass_info = compiler.klass_info
        select_fields = klass_info["select_fields"]
        start, end = select_fields[0], select_fields[-1] + 1
        self.init_list = [f[0].target.attname for f in compiler.select[start:end]]
        self.model_slice = slice(start, end)
        self.populators = get_related_populators(klass_info, compiler.select, using)
        self.annotations = dict(compiler.annotation_col_map or {})


def _same_kind(value: Any, placeholder: Any) -> bool:
    """`value` is of the placeholder's type: a whole number the ORM bound as one of
    psycopg's sized integers (Int2 for a small integer field) counts as an int; a
    bool never does."""
    if isinstance(placeholder, int) and not isinstance(placeholder, bool):
        return isinstance(value, int) and not isinstance(value, bool)
    return type(value) is type(placeholder)


class CompiledLookup(Generic[M]):
    def __init__(
        self,
        build: Callable[..., QuerySet[M]],
        placeholders: dict[str, Any],
        *,
        optional: frozenset[str] = frozenset(),
    ):
        self._build = build
        self._placeholders = placeholders
        self._optional = optional  # values some shapes do not take
        self._local = threading.local()

    def _compiled(self, shape: str, using: str) -> _Compiled:
        cache = self._local.__dict__.setdefault("by_shape", {})
        compiled = cache.get((shape, using))
        if compiled is None:
            qs = self._build(shape=shape, **self._placeholders)
            compiled = _Compiled(qs, using, self._placeholders)
            lost = sorted(n for n, found in compiled.slots.items() if not found)
            if set(lost) - self._optional:
                raise ValueError(f"the query does not take {lost} as parameters")
            cache[(shape, using)] = compiled
        return compiled

    def first(self, shape: str, *, using: str = "default", **values: Any) -> M | None:
        """The first row for `values`, as `build(shape=shape, **values)` gives it."""
        rows = self._run(shape, using, values, one=True)
        return rows[0] if rows else None

    def all(self, shape: str, *, using: str = "default", **values: Any) -> list[M]:
        """Every row for `values`, as `build(shape=shape, **values)` gives them."""
        return self._run(shape, using, values, one=False)

    def _run(self, shape: str, using: str, values: dict[str, Any], *, one: bool):
        compiled = self._compiled(shape, using)
        params = list(compiled.params)
        for name, positions in compiled.slots.items():
            for position in positions:
                value = values[name]
                kind = type(compiled.params[position])
                if kind is not int and _same_kind(value, 0) and issubclass(kind, int):
                    value = kind(value)  # the type the ORM bound (psycopg's Int2...)
                params[position] = value
        with prepared_cursor(using) as cursor:
            cursor.execute(compiled.sql, params)
            if one:
                fetched = cursor.fetchone()
                rows = [fetched] if fetched is not None else []
            else:
                rows = cursor.fetchall()
        if not rows:
            return []
        return instances(compiled, compiled.compiler.results_iter([rows]), using)


class _AnyOf(Lookup):
    """`lhs = ANY(rhs)`, rhs one array parameter."""

    lookup_name = "ecf_any_of"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]


def id_in(field: str, ids: list[int]) -> Lookup:
    """`field` is one of `ids`, with the ids as one array parameter: a lookup of any
    number of ids is one statement, compiled once (`.filter(id_in("pk", ids))`, the
    placeholder a list such as ID_LIST_PLACEHOLDER)."""
    return _AnyOf(
        F(field), Value(list(ids), output_field=ArrayField(BigIntegerField()))
    )


# Stands in for a list of ids (no row has a negative id).
ID_LIST_PLACEHOLDER = [-73_737_373_737, -73_737_373_738]
