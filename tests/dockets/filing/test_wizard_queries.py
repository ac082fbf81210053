"""SQL statements per request of a whole wizard filing (issue 21: the load run's
wizard attorneys make exactly these requests, bench/load_users.py `file_motion`).

Each request reads what it needs once: the draft's events and chosen rows once per
request, the signed-in user once (its filer record and two-factor answer are not read
again for the draft's principal), the fee quote only on the page that shows it, the
payment only when the filer asked to pay now. A change that reads a row again per
step makes the budget below go red.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

# Statements per request, measured on this test's case (session, user and the test's
# savepoints included), exactly. Before issue 21's cuts: 6, 14, 7, 14, 16, 20, 14, 24,
# 45, 15. The fee lockout is read with the session's user (filers.hooks
# .on_read_with_user): no step asks the payments again.
BUDGET = {
    "start page": 3,
    "start": 8,
    "events": 5,
    "parties": 8,
    "upload": 8,
    "related": 10,
    "fields": 8,
    "fee": 7,
    "submit": 26,
    "receipt": 11,
}


def test_a_wizard_filing_reads_each_row_once_per_request(
    client, demo, setup, pdf, django_assert_max_num_queries
):
    from dockets.models import DocketEntry, Event

    client.force_login(demo.users["attorney2"])
    event = Event.objects.get(code="nmrp")
    with django_assert_max_num_queries(BUDGET["start page"]):
        assert client.get(reverse("dockets:filing-start")).status_code == 200
    number = setup.case.display_number  # reads the case's office (not the request's)
    with django_assert_max_num_queries(BUDGET["start"]):
        r = client.post(reverse("dockets:filing-start"), {"case_number": number})
    assert r.status_code == 302
    base = r["Location"].rsplit("/", 2)[0]
    steps = [
        ("events", "events", {"events": [event.pk]}),
        (
            "parties",
            "parties",
            {"parties": [setup.bank.pk], "against": [setup.debtor.pk]},
        ),
        ("upload", "documents", {"next": "1", "main": pdf()}),
        ("related", "related", {}),
        (
            "fields",
            "fields",
            {"property_type": "Real Property", "objection_deadline": "2099-12-10"},
        ),
        ("fee", "fee", {"pay": "later"}),
    ]
    for name, step, data in steps:
        with django_assert_max_num_queries(BUDGET[name]):
            r = client.post(f"{base}/{step}/", data)
        assert r.status_code == 302, (name, r.content.decode()[:2000])
    assert r["Location"].rstrip("/").endswith("review")
    with django_assert_max_num_queries(BUDGET["submit"]):
        r = client.post(f"{base}/review/", {"submit": "1", "acknowledged": "on"})
    entry = DocketEntry.objects.get(case=setup.case, event=event)
    assert r["Location"] == reverse(
        "dockets:filing-receipt", kwargs={"entry_id": entry.pk}
    )
    with django_assert_max_num_queries(BUDGET["receipt"]):
        receipt = client.get(r["Location"])
    body = receipt.content.decode()
    assert "Notice of Electronic Filing" in body
    assert "Fee due: $199" in body and "Pay now" in body
    # Planned once per connection: the next filing on it reuses these statements'
    # plans (core.compiled.prepared_statements).
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any(s.startswith('UPDATE "dockets_draft"') for s in prepared), prepared
    assert any(s.startswith('INSERT INTO "dockets_docketentry"') for s in prepared)
