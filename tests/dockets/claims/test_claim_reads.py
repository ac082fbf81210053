"""The claim filing's compiled reads (dockets.claims.reads) give what the ORM gives:
the same rows, fields and related objects, and nothing where the ORM finds nothing."""

import datetime as dt

import pytest
import testkit
from claimkit import (
    case_fixture,  # noqa: F401 (the `case` fixture)
    claim_data,
)

from cases.matrix import creditor_key
from cases.models import Deadline, Party
from core import clock
from dockets.claims import reads, services
from dockets.claims.models import ClaimVersion
from dockets.models import Event

pytestmark = pytest.mark.django_db


def test_the_claim_event_is_the_catalogues_and_a_missing_code_is_refused():
    for code in (services.CLAIM_EVENT, services.AMENDED_CLAIM_EVENT):
        testkit.assert_same_object(reads.event(code), Event.objects.get(code=code))
    with pytest.raises(Event.DoesNotExist):
        reads.event("no-such-event")


def test_a_repeated_submit_finds_the_version_it_filed_with_its_claim(case, users):
    version = services.file_claim(
        case=case, data=claim_data(), filer=users["creditor"], idempotency_key="k-1"
    )
    found = reads.version_by_key("k-1")
    assert found is not None and found.pk == version.pk
    testkit.assert_same_object(
        found,
        ClaimVersion.objects.select_related("claim").get(idempotency_key="k-1"),
        related=("claim",),
    )
    assert reads.version_by_key("k-2") is None


def test_the_creditor_by_its_matrix_key_is_the_cases_current_one(case, users):
    data = claim_data()
    version = services.file_claim(case=case, data=data, filer=users["creditor"])
    creditor = version.claim.creditor
    assert creditor is not None
    key = creditor.matrix_key
    assert key == creditor_key(
        [data.creditor_name, *[x for x in data.creditor_address.splitlines() if x]]
    )
    found = reads.creditor_by_key(case.pk, key)
    assert found is not None
    testkit.assert_same_object(found, Party.objects.get(pk=creditor.pk))
    # Another case, another key, a creditor no longer on the case: none.
    assert reads.creditor_by_key(case.pk + 1000, key) is None
    assert reads.creditor_by_key(case.pk, key + "x") is None
    Party.objects.filter(pk=creditor.pk).update(terminated_on=clock.today())
    assert reads.creditor_by_key(case.pk, key) is None


def test_the_debtor_for_form_410_is_the_cases_first_debtor(case):
    expected = (
        case.parties.filter(
            role__in=[Party.Role.DEBTOR, Party.Role.DEBTOR_IN_POSSESSION]
        )
        .order_by("pk")
        .first()
    )
    assert expected is not None
    found = reads.first_debtor(case.pk)
    assert found is not None
    testkit.assert_same_object(found, expected)
    assert reads.first_debtor(case.pk + 1000) is None


def test_bar_dates_in_force_for_creditors_and_the_government(case):
    today = clock.today()
    Deadline.objects.create(
        case=case, kind="claims_bar", label="Proof of Claim due", due=today
    )
    Deadline.objects.create(
        case=case,
        kind="gov_claims_bar",
        label="Government Proof of Claim due",
        due=today + dt.timedelta(days=90),
    )
    Deadline.objects.create(
        case=case,
        kind="gov_claims_bar",
        label="Government Proof of Claim due (ended)",
        due=today + dt.timedelta(days=120),
        terminated=True,
    )
    assert reads.bar_dates(case.pk, governmental=False) == {"claims_bar": today}
    assert reads.bar_dates(case.pk, governmental=True) == {
        "claims_bar": today,
        "gov_claims_bar": today + dt.timedelta(days=90),
    }
    assert services.bar_date(case, governmental=True) == today + dt.timedelta(days=90)
    assert services.bar_date(case, governmental=False) == today
    assert reads.bar_dates(case.pk + 1000, governmental=True) == {}
