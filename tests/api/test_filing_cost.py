"""What one filing costs in SQL statements: an API filing (a motion, a fee event) and
a claim filed on the claim page. Counts, not timings (issue 21): each statement is a
round trip a filer waits for, most of them under the case lock, and a change that
reads the filer, the case or the catalogue once more per gate shows up here.

The counts include the test's SAVEPOINT/RELEASE pairs (production has BEGIN/COMMIT).
"""

import json
import re
import uuid
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pdfmaker import pdf_bytes
from testkit import generic_plan_hazards

from cases.models import Party, Representation
from cases.services import PartyData, add_party
from dockets.claims.models import Claim
from dockets.models import DocketEntry

pytestmark = pytest.mark.django_db

# One motion (extime) for a creditor the attorney already represents: token (with
# the filer, two-factor, the fee lockout and the key's stored response), case,
# events, parties (with the attorney's association), debtor names, then the
# transaction (lock, numbers, entry, parties, document, audit link, NEF row) and
# the stored response.
API_MOTION_STATEMENTS = 17
# A fee event against the debtor: the conflict check, the trustee memberships for
# the fee's exemptions, the objection deadline it sets (with its audit link) and the
# payment it owes.
API_FEE_EVENT_STATEMENTS = 24
# A claim on the claim page: session, user (with its filer and two-factor,
# filers.backends), the fee lockout, the catalogue's claim event, the form's key, the
# debtor for Form 410, then the transaction.
CLAIM_PAGE_STATEMENTS = 27


def _post(client, case, headers, bank, debtor, *, fee: bool):
    data: dict[str, Any]
    if fee:
        data = {
            "events": ["nmrp"],
            "party_ids": [str(bank.pk)],
            "against_ids": [str(debtor.pk)],
            "fields": json.dumps(
                {"property_type": "Real Property", "objection_deadline": "2099-12-10"}
            ),
        }
    else:
        data = {
            "events": ["extime"],
            "party_ids": [str(bank.pk)],
            "fields": json.dumps({"extend_what": "respond"}),
        }
    data["acknowledge_warnings"] = "true"
    data["main"] = SimpleUploadedFile(
        "motion.pdf",
        pdf_bytes(text="MOTION\nIn re Ana Ruiz\n/s/ Dana M. Whitaker"),
        content_type="application/pdf",
    )
    return client.post(
        f"/api/v1/cases/{case.pk}/filings",
        data=data,
        headers={**headers, "Idempotency-Key": f"cost-{uuid.uuid4().hex}"},
    )


@pytest.fixture
def filer(demo, opened_case, bearer):
    """The attorney's API headers, the creditor it files for and the debtor."""
    headers = bearer(demo.users["attorney"])
    debtor = opened_case.parties.get(role="debtor")
    bank = add_party(
        case=opened_case,
        data=PartyData(role=Party.Role.CREDITOR, name="Coastal Federal Credit Union"),
    )
    return headers, bank, debtor


def test_an_api_filing_costs_a_fixed_number_of_statements(
    client, demo, opened_case, filer, django_assert_max_num_queries
):
    """The load run's API filing, as a filer who has filed in the case before."""
    headers, bank, debtor = filer
    # The first filing for the bank makes the attorney its attorney of record.
    first = _post(client, opened_case, headers, bank, debtor, fee=False)
    assert first.status_code == 201, first.content
    with django_assert_max_num_queries(API_MOTION_STATEMENTS):
        motion = _post(client, opened_case, headers, bank, debtor, fee=False)
    assert motion.status_code == 201, motion.content
    with django_assert_max_num_queries(API_FEE_EVENT_STATEMENTS):
        fee = _post(client, opened_case, headers, bank, debtor, fee=True)
    assert fee.status_code == 201, fee.content
    assert fee.json()["fee_status"] == "due"
    # The first filing made the association; the later ones left it as it was.
    assert list(
        Representation.objects.filter(party=bank).values_list("attorney", flat=True)
    ) == [demo.users["attorney"].pk]
    numbers = [r.json()["number"] for r in (first, motion, fee)]
    assert numbers == [2, 3, 4]
    assert DocketEntry.objects.filter(case=opened_case).count() == 4


def test_a_claim_on_the_claim_page_costs_a_fixed_number_of_statements(
    client, demo, opened_case, django_assert_max_num_queries
):
    """A creditor's proof of claim through the claim page's POST (Form 410 rendered)."""
    client.force_login(demo.users["creditor"])
    url = f"/cases/{opened_case.pk}/claims/file/"

    def form(amount: str) -> dict:
        page = client.get(url)
        assert page.status_code == 200
        match = re.search(r'name="submission" value="([^"]+)"', page.content.decode())
        assert match
        return {
            "submission": match.group(1),
            "creditor_name": "Sharp Memorial Hospital",
            "creditor_address": "7901 Frost Street\nSan Diego, CA 92123",
            "creditor_email": "billing@sharp.test",
            "amount": amount,
            "unsecured": amount,
            "basis": "Goods sold",
            "account_last4": "5521",
            "signer_name": "Ana Ruiz",
            "redaction_ack": "on",
        }

    first = client.post(url, form("100.00"))
    assert first.status_code == 302, first.content[:2000]
    data = form("250.50")
    with django_assert_max_num_queries(CLAIM_PAGE_STATEMENTS):
        second = client.post(url, data)
    assert second.status_code == 302, second.content[:2000]
    assert list(
        Claim.objects.filter(case=opened_case)
        .order_by("number")
        .values_list("number", "amount_cents")
    ) == [(1, 10000), (2, 25050)]
    # Planned once per connection (core.compiled.prepared_statements).
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any(s.startswith('INSERT INTO "dockets_claim"') for s in prepared), prepared
    assert generic_plan_hazards(prepared) == []


def test_an_overdue_fee_stops_an_api_filing_and_paying_it_lets_the_next_one_in(
    client, demo, opened_case, filer, settings
):
    """The fee lockout holds through the token lookup that now answers it: a filer
    with a fee unpaid past ECF_FEE_LOCKOUT_DAYS gets 403 with the reason and nothing
    is docketed; once it is paid the same token files."""
    import datetime as dt

    from django.utils import timezone

    from dockets.fees import pay_fee
    from dockets.models import Payment

    settings.ECF_FEE_LOCKOUT_DAYS = 2
    headers, bank, debtor = filer
    fee = _post(client, opened_case, headers, bank, debtor, fee=True)
    assert fee.status_code == 201, fee.content
    payment = Payment.objects.get(entry_id=fee.json()["entry_id"])
    Payment.objects.filter(pk=payment.pk).update(
        created_at=timezone.now() - dt.timedelta(days=3)
    )
    entries = DocketEntry.objects.filter(case=opened_case).count()
    refused = _post(client, opened_case, headers, bank, debtor, fee=False)
    assert refused.status_code == 403, refused.content
    assert "unpaid for more than 2 days" in refused.json()["error"]["message"]
    assert DocketEntry.objects.filter(case=opened_case).count() == entries
    pay_fee(payment=payment, user=demo.users["attorney"])
    again = _post(client, opened_case, headers, bank, debtor, fee=False)
    assert again.status_code == 201, again.content


def test_an_api_filing_s_statements_are_planned_once_per_connection(
    client, opened_case, filer
):
    """The filing's statements run as prepared statements (core.compiled
    prepared_statements): the next filing on the connection reuses their plans. A
    public search afterwards is still planned for its words."""
    from django.db import connection

    def prepared() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return [row[0] for row in cursor.fetchall()]

    headers, bank, debtor = filer
    assert (
        _post(client, opened_case, headers, bank, debtor, fee=False).status_code == 201
    )
    statements = prepared()
    assert any(s.startswith('INSERT INTO "dockets_docketentry"') for s in statements)
    assert any(s.startswith('INSERT INTO "dockets_document"') for s in statements)
    assert generic_plan_hazards(statements) == []
    search = client.get(f"/cases/{opened_case.pk}/docket/search/?q=motion")
    assert search.status_code == 200
    assert not [s for s in prepared() if "tsquery" in s]
