"""The database connection binds parameters on the server and prepares a statement
it has run a few times (ecf/settings/components/databases.py, issue 21): PostgreSQL
then skips parsing and planning the queries every page repeats."""

import pytest
from django.db import connection
from factories import make_case

pytestmark = pytest.mark.django_db


def _prepared() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return {row[0] for row in cursor.fetchall()}


def test_a_page_read_again_runs_prepared_statements(client, demo):
    case = make_case(demo.court, title="Prepared Statements")
    url = f"/cases/{case.pk}/docket/"
    before = _prepared()
    for _ in range(6):
        page = client.get(url)
        assert page.status_code == 200
        assert b"Prepared Statements" in page.content
    prepared = _prepared() - before
    assert any('"cases_case"' in statement for statement in prepared), prepared
    # Bound on the server: the case id is a parameter, not text in the statement.
    assert not any(f"= {case.pk}" in statement for statement in prepared)
