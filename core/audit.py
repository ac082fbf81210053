"""Write and verify the hash-chained audit log.

`record_event` extends a chain under a row lock on that chain's head. Case chains are
extended inside the transaction that already locks the case row (numbering), so the
extra lock adds no new point of contention.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db import connections, models, transaction
from django.utils import timezone

from .models import AuditChain, AuditEvent
from .text import normalize_model_text

if TYPE_CHECKING:
    # Django's own user types: core sits below filers (tests/core/test_layering.py), so
    # it names the base class filers.User derives from, not filers.User itself.
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


def event_hash(event: AuditEvent) -> str:
    """Return the SHA-256 over the previous hash and this event's content."""
    content = {
        "created_at": event.created_at.isoformat(),
        "actor": event.actor_id,
        "on_behalf_of": event.on_behalf_of_id,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "target_repr": event.target_repr,
        "case_id": event.case_id,
        "before": event.before,
        "after": event.after,
        "note": event.note,
        "chain_key": event.chain_key,
        "sequence": event.sequence,
    }
    return hashlib.sha256((event.prev_hash + _canonical(content)).encode()).hexdigest()


def record_event(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    target: models.Model | None = None,
    case_id: int | None = None,
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
    on_behalf_of: AbstractBaseUser | None = None,
    using: str = "default",
) -> AuditEvent:
    """Append one audit event to its chain (the case's, or the court-wide one).

    Must run inside a transaction; takes a row lock on the chain head.
    """
    if case_id is None and target is not None:
        case_id = getattr(target, "case_id", None)
        if case_id is None and target._meta.label == "cases.Case":
            case_id = target.pk
    key = f"case:{case_id}" if case_id else "court"
    # An anonymous visitor (AnonymousUser, pk None) is recorded as no actor.
    actor_id = actor.pk if actor is not None else None
    event = AuditEvent(
        created_at=timezone.now(),
        # By id: the model's foreign key names filers.User, which core may not import.
        actor_id=actor_id if actor_id else None,
        on_behalf_of_id=on_behalf_of.pk if on_behalf_of is not None else None,
        action=action,
        target_type=target._meta.label if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:300] if target is not None else "",
        case_id=case_id,
        before=json.loads(_canonical(before or {})),
        after=json.loads(_canonical(after or {})),
        note=note,
        chain_key=key,
    )
    # The stored text is normalised on save (core/text.py); hash what is stored.
    normalize_model_text(event)
    # No savepoint of its own (savepoint=False): inside the caller's transaction a
    # failure here rolls the whole filing back anyway. Two statements, not the
    # ORM's three: lock the head, then insert the event and move the head in one.
    with transaction.atomic(using=using, savepoint=False):
        connection = connections[using]
        head = _lock_head(connection, key)
        if head is None:  # the chain's first event: create its head, then lock it
            with transaction.atomic(using=using):
                AuditChain.objects.using(using).get_or_create(key=key)
            head = _lock_head(connection, key)
            if head is None:
                raise RuntimeError(f"audit chain {key!r}: its head was not created")
        chain_id, last_hash, length = head
        event.sequence = length + 1
        event.prev_hash = last_hash
        event.hash = event_hash(event)
        event.pk = _append(connection, event, chain_id)
        event._state.adding = False
        event._state.db = using
    for hook in _event_hooks:
        hook(event)
    return event


def _lock_head(connection, key: str) -> tuple[int, str, int] | None:
    """Lock the chain's head row; (id, last hash, length), or None if it has none yet."""
    with connection.cursor() as cursor:
        cursor.execute(
            # Table names from the models' own metadata; values are parameters.
            f"SELECT id, last_hash, length FROM {AuditChain._meta.db_table} "  # noqa: S608
            "WHERE key = %s FOR UPDATE",
            [key],
        )
        return cursor.fetchone()


@functools.cache
def _insert_sql(vendor: str) -> tuple[str, tuple]:
    """INSERT of an event and UPDATE of its chain head, one statement; and its columns."""
    fields = tuple(f for f in AuditEvent._meta.concrete_fields if not f.primary_key)
    columns = ", ".join(f.column for f in fields)
    values = ", ".join(["%s"] * len(fields))
    sql = (
        # Table and column names from the models' own metadata; values are parameters.
        f"WITH ev AS (INSERT INTO {AuditEvent._meta.db_table} ({columns}) "  # noqa: S608
        f"VALUES ({values}) RETURNING id) "
        f"UPDATE {AuditChain._meta.db_table} SET last_hash = %s, length = %s "
        "WHERE id = %s RETURNING (SELECT id FROM ev)"
    )
    return sql, fields


def _append(connection, event: AuditEvent, chain_id: int) -> int:
    """Store `event` and make it the head of chain `chain_id`; returns the event's id."""
    sql, fields = _insert_sql(connection.vendor)
    params = [f.get_db_prep_save(getattr(event, f.attname), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, event.hash, event.sequence, chain_id])
        return cursor.fetchone()[0]


# Functions `event -> None` told of every event (alerts, document text, webhooks).
# core imports no app: the apps register theirs from AppConfig.ready() (dockets/apps.py),
# in code, so a hook cannot silently go missing the way a mistyped setting could.
_event_hooks: list[Callable[[AuditEvent], None]] = []


def on_event_recorded(hook: Callable[[AuditEvent], None]) -> None:
    """Register `hook(event)` to run after every recorded event (once per hook).

    A hook runs inside the writer's transaction: it must be quick and queue slow work
    on commit.
    """
    if hook not in _event_hooks:
        _event_hooks.append(hook)


def verify_chain(*, using: str = "default") -> list[str]:
    """Return a description of every break in every audit chain (empty when intact)."""
    problems: list[str] = []
    heads = {c.key: c for c in AuditChain.objects.using(using).all()}
    expected_prev: dict[str, str] = {}
    counts: dict[str, int] = {}
    for event in (
        AuditEvent.objects.using(using)
        .order_by("chain_key", "sequence")
        .iterator(chunk_size=2000)
    ):
        key = event.chain_key
        prev = expected_prev.get(key, "0" * 64)
        counts[key] = counts.get(key, 0) + 1
        if event.sequence != counts[key]:
            problems.append(
                f"Audit chain {key}: event #{event.pk} is out of sequence (a row is missing)."
            )
        if event.prev_hash != prev:
            problems.append(
                f"Audit chain {key}: event #{event.pk} does not follow the previous event."
            )
        if event_hash(event) != event.hash:
            problems.append(
                f"Audit chain {key}: event #{event.pk} was changed after it was written."
            )
        expected_prev[key] = event.hash
    for key, head in heads.items():
        if (
            counts.get(key, 0) != head.length
            or expected_prev.get(key, "0" * 64) != head.last_hash
        ):
            problems.append(f"Audit chain {key}: the last events were removed.")
    return problems
