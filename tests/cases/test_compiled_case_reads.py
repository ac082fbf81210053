"""A case read by id (every case page, every API call) and the filing's case lock run
SQL compiled once per process (core.compiled, issue 21); they give what the ORM gives.

Compared field by field with the ORM's own queryset, on a case with a judge, trustee
and lead case and on one without; the lock keeps the ORM's FOR NO KEY UPDATE OF
clause and, like the ORM, runs only inside a transaction; a missing case is still
"no such case".
"""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from factories import make_case
from testkit import assert_same_object

from cases.models import Case
from cases.permissions import CASE_NUMBER_RELATED, CASE_PAGE_RELATED, access_case
from dockets.services import _locked_case_query, lock_case

pytestmark = pytest.mark.django_db


def _statements(run) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        run()
    return [q["sql"] for q in queries.captured_queries]


@pytest.fixture
def two_cases(demo):
    lead = make_case(demo.court, title="In re Ana Ruiz", chapter="7")
    bare = make_case(demo.court, title="Ruiz v. Coastal", chapter="13")
    Case.objects.filter(pk=bare.pk).update(lead_case=lead, judge=None, trustee=None)
    return lead, bare


def test_a_case_read_by_id_is_what_the_orm_reads(demo, two_cases):
    user = demo.users["public"]
    for case in two_cases:
        for related in (CASE_PAGE_RELATED, CASE_NUMBER_RELATED):
            fast = access_case(user, case.pk, related=related)
            # Only the related rows asked for come along (nothing read later).
            with CaptureQueriesContext(connection) as later:
                for name in related:
                    getattr(fast, name)
            assert not later.captured_queries
            slow = Case.objects.select_related(*related).get(pk=case.pk)
            assert_same_object(fast, slow, related)
    assert access_case(user, two_cases[1].pk).lead_case == two_cases[0]
    with pytest.raises(Http404):
        access_case(user, 10**9)


def test_the_case_lock_is_the_orm_s_and_needs_a_transaction(two_cases):
    case = two_cases[0]
    with transaction.atomic():
        compiled = _statements(lambda: lock_case(case.pk))
        orm = _statements(lambda: list(_locked_case_query(case.pk)))
        assert compiled == orm
        assert compiled[0].endswith('FOR NO KEY UPDATE OF "cases_case"')
        assert_same_object(
            lock_case(case.pk), _locked_case_query(case.pk).get(), ("office", "judge")
        )
        with pytest.raises(Case.DoesNotExist):
            lock_case(10**9)
    with (
        mock.patch.object(connection, "get_autocommit", return_value=True),
        pytest.raises(TransactionManagementError),
    ):
        lock_case(case.pk)


def test_compiled_reads_are_prepared_statements_and_other_queries_are_not(demo):
    """PostgreSQL plans a compiled read once per connection (a prepared statement);
    an ordinary ORM query, such as a search, is planned for its values every time."""
    case = make_case(demo.court, title="In re Ana Ruiz", chapter="7")

    def prepared() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return [row[0] for row in cursor.fetchall()]

    access_case(demo.users["public"], case.pk)
    read = [s for s in prepared() if s.startswith('SELECT "cases_case"."id"')]
    assert any('WHERE "cases_case"."id" = $1' in s for s in read), prepared()
    list(Case.objects.filter(title__icontains="Ruiz"))
    list(Case.objects.filter(title__icontains="Ruiz"))
    assert not [s for s in prepared() if "LIKE" in s.upper()]


def test_a_connection_keeps_room_for_every_prepared_statement():
    from django.db import connections

    from core.compiled import PREPARED_MAX

    fresh = connections.create_connection("default")
    try:
        fresh.ensure_connection()
        assert fresh.connection.prepared_max == PREPARED_MAX
    finally:
        fresh.close()
