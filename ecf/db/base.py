"""Django's PostgreSQL backend, for server-side parameter binding.

Values travel as parameters of the statement (ecf/settings/components/databases.py),
and PostgreSQL's protocol takes at most 65,535 parameters in one statement. Django's
PostgreSQL backend puts every object of a bulk_create or bulk_update in one
statement; here a bulk write is sent in batches that stay within the limit (as
Django does for SQLite and Oracle), so a matrix of 20,000 creditors or a large
claims upload is written whole.
"""

from __future__ import annotations

from django.db.backends.postgresql import base, operations

# PostgreSQL's limit on the parameters of one statement (a 16-bit count).
MAX_PARAMETERS = 65_535


class DatabaseOperations(operations.DatabaseOperations):
    def bulk_batch_size(self, fields, objs):
        fields = list(fields)
        if not fields:
            return len(objs)
        # A bulk update sends each field twice an object (its CASE ... WHEN), a
        # bulk insert once: the smaller batch serves both.
        return max(1, MAX_PARAMETERS // (2 * len(fields)))


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
