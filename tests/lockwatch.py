"""A storage backend that notes, for each file saved, whether the database held a row lock.

Write paths store uploads before the transaction that locks the case
(dockets.services.documents_stored). `watching()` swaps this backend in for the
default storage and watches the SQL of the connection: a `SELECT ... FOR UPDATE`
run inside a transaction the code under test opened marks that transaction as
holding a lock until it ends. Each save is recorded with the lock held at that
moment (None when none), so a test can say which write happened under which lock.
`fail_after` makes later saves raise, as a storage outage would; `abort_on`
makes an SQL statement fail, as an aborting transaction would.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.files.storage import FileSystemStorage
from django.db import connection

LOCKING = re.compile(r"\bFOR (NO KEY )?UPDATE\b")
TABLE = re.compile(r'FROM "([a-z_]+)"')


@dataclass
class Watch:
    baseline: int  # transactions already open (the test's own) when watching began
    saves: list[tuple[str, str | None]] = field(default_factory=list)
    # Saves allowed before the storage fails (None: it never fails); 0 fails the next.
    fail_after: int | None = None
    # An SQL prefix that fails (RuntimeError) when run, as a transaction aborting would.
    abort_on: str = ""
    _locked_by: object | None = None  # the outermost Atomic that took a row lock
    _table: str = ""

    def held(self) -> str | None:
        """The table whose row the code under test has locked now, or None."""
        blocks = connection.atomic_blocks
        if len(blocks) > self.baseline and blocks[self.baseline] is self._locked_by:
            return self._table
        return None

    def observe(self, execute, sql, params, many, context):
        if self.abort_on and sql.startswith(self.abort_on):
            raise RuntimeError("the transaction fails after the files were stored")
        blocks = connection.atomic_blocks
        if (
            len(blocks) > self.baseline
            and LOCKING.search(sql)
            and blocks[self.baseline] is not self._locked_by
        ):
            found = TABLE.search(sql)
            self._locked_by = blocks[self.baseline]
            self._table = found.group(1) if found else "?"
        return execute(sql, params, many, context)

    @property
    def under_lock(self) -> list[tuple[str, str | None]]:
        return [(name, table) for name, table in self.saves if table]


_current: Watch | None = None


class LockWatchStorage(FileSystemStorage):
    def save(self, name, content, max_length=None):
        if _current is not None:
            if _current.fail_after is not None:
                if _current.fail_after <= 0:
                    raise OSError("storage unavailable (test)")
                _current.fail_after -= 1
            _current.saves.append((name, _current.held()))
        return super().save(name, content, max_length=max_length)


@contextlib.contextmanager
def watching(settings) -> Iterator[Watch]:
    """Use LockWatchStorage as the default storage (pytest-django's `settings`) and watch."""
    global _current
    options = dict(settings.STORAGES["default"].get("OPTIONS", {}))
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "lockwatch.LockWatchStorage", "OPTIONS": options},
    }
    watch = Watch(baseline=len(connection.atomic_blocks))
    _current = watch
    try:
        with connection.execute_wrapper(watch.observe):
            yield watch
    finally:
        _current = None
