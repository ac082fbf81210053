"""Sessions in PostgreSQL, as Django's `db` engine keeps them, read with a query
compiled once per process (core.compiled_lookup; issue 21: every signed-in request
reads its session, and the ORM spent about twice as long compiling the query as
running it).

Only the read differs: a session that is unknown or past its expiry date is no
session, as in Django's engine; saving, rotating and deleting are Django's own.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.contrib.sessions.models import Session
from django.db.models import QuerySet
from django.utils import timezone

from .compiled_lookup import CompiledLookup


def session_query(*, shape: str, key: str, now: dt.datetime) -> QuerySet[Session]:
    """The session with `key` that has not expired at `now`."""
    return Session.objects.filter(session_key=key, expire_date__gt=now)


_SESSION = CompiledLookup(
    session_query,
    {
        "key": "ecf-placeholder-session-key",
        "now": dt.datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=dt.UTC),
    },
)


class SessionStore(DatabaseStore):
    def _get_session_from_db(self) -> Session | None:
        key = self.session_key
        session = (
            _SESSION.first("plain", key=key, now=timezone.now())
            if key is not None
            else None
        )
        if session is None:
            self._session_key = None
        return session
