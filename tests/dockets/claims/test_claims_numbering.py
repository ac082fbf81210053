"""Claim numbers under concurrency: real threads, real transactions, one case."""

import threading

import pytest
from claimkit import claim_data, make_case
from django.db import connection

from cases.models import Case
from dockets.claims import services
from dockets.claims.models import Claim
from dockets.claims.selectors import aggregate_totals, case_totals

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8


def test_concurrent_claims_get_1_to_n_without_gaps_or_repeats(demo, users):
    """Eight creditors filing at the same moment get claim numbers 1..8, each once."""
    case = make_case(demo)
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []
    numbers: list[int] = []
    lock = threading.Lock()

    def file_one(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            version = services.file_claim(
                case=case,
                data=claim_data(
                    creditor_name=f"Creditor {i}",
                    amount_cents=1000 + i,
                    secured_cents=0,
                    unsecured_cents=1000 + i,
                ),
                filer=users["creditor"] if i % 2 else None,
                epoc=not i % 2,
            )
            with lock:
                numbers.append(version.claim.number)
        except BaseException as exc:  # reported below, in the test thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=file_one, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors
    assert sorted(numbers) == list(range(1, THREADS + 1))
    assert Case.objects.get(pk=case.pk).last_claim_number == THREADS
    assert sorted(
        Claim.objects.filter(case=case).values_list("number", flat=True)
    ) == list(range(1, THREADS + 1))
    assert case_totals(case) == aggregate_totals(Claim.objects.filter(case=case))
    assert case_totals(case)["amount_cents"] == sum(1000 + i for i in range(THREADS))


def test_concurrent_submits_of_one_claim_form_file_once(demo, users):
    """Six submits of one claim form at the same moment (double clicks, retries with
    the form's key) file one claim: number 1, the case's claim and entry counters
    moved once, the totals counted once, one docket entry."""
    from dockets.models import DocketEntry

    case = make_case(demo)
    entries_before = DocketEntry.objects.filter(case=case).count()
    seq_before = Case.objects.get(pk=case.pk).last_entry_seq
    barrier = threading.Barrier(6)
    errors: list[BaseException] = []
    versions: list[int] = []
    lock = threading.Lock()

    def submit() -> None:
        try:
            barrier.wait(timeout=30)
            version = services.file_claim(
                case=case,
                data=claim_data(
                    amount_cents=5000, secured_cents=0, unsecured_cents=5000
                ),
                filer=users["creditor"],
                idempotency_key="claim:form-once",
            )
            with lock:
                versions.append(version.pk)
        except BaseException as exc:  # reported below, in the test thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors
    assert len(set(versions)) == 1
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.last_claim_number == 1
    assert fresh.last_entry_seq == seq_before + 1
    assert list(Claim.objects.filter(case=case).values_list("number", flat=True)) == [1]
    assert DocketEntry.objects.filter(case=case).count() == entries_before + 1
    assert case_totals(case)["amount_cents"] == 5000
