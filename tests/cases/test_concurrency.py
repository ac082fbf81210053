"""Case numbers under real concurrency: threads, each with its own PostgreSQL connection."""

import threading

import pytest
from django.db import connection
from pdfmaker import make_pdf

from cases.models import Case, Office
from cases.services import PartyData
from dockets.case_opening import (
    ComplaintRequest,
    PetitionRequest,
    open_adversary_proceeding,
    open_voluntary_case,
)
from dockets.models import DocketEntry
from dockets.services import UploadedDocument

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 16


def run_at_once(count, work):
    """Start `count` threads that call work(i) at the same moment; return their errors."""
    barrier = threading.Barrier(count)
    errors = []

    def target(i):
        try:
            barrier.wait(timeout=30)
            work(i)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return errors


def test_sixteen_cases_opened_at_once_get_numbers_1_to_16(demo, tmp_path):
    """16 petitions filed at the same moment get case numbers 1..16: none repeats,
    none is skipped, and each petition is entry 1 of its own case."""
    pdf = UploadedDocument.from_path(
        make_pdf(tmp_path / "p.pdf"), filename="p.pdf", page_count=1
    )
    office = Office.objects.get(court=demo.court, number=3)
    attorney = demo.users["attorney"]

    def work(i):
        open_voluntary_case(
            PetitionRequest(
                filer=attorney,
                office=office,
                chapter="7",
                petition=pdf,
                debtors=[
                    PartyData(
                        role="",
                        name=f"Debtor {i}",
                        tax_id_kind="ssn",
                        tax_id_digits=f"5123{i:05d}",
                    )
                ],
            )
        )

    errors = run_at_once(THREADS, work)
    assert errors == []
    numbers = sorted(
        Case.objects.filter(case_type="bk").values_list("number", flat=True),
        key=lambda number: -1 if number is None else number,
    )
    assert numbers == list(range(1, THREADS + 1))
    assert list(DocketEntry.objects.values_list("number", flat=True)) == [1] * THREADS
    # Judges alternate through the rotation: each of the two judges gets half.
    judges = list(Case.objects.values_list("judge_id", flat=True))
    assert sorted(judges.count(j) for j in set(judges)) == [THREADS // 2, THREADS // 2]


def test_adversary_numbers_under_concurrency(demo, tmp_path):
    """Adversary proceedings opened at once use their own gap-free sequence."""
    pdf = UploadedDocument.from_path(
        make_pdf(tmp_path / "p.pdf"), filename="p.pdf", page_count=1
    )
    office = Office.objects.get(court=demo.court, number=3)
    lead = open_voluntary_case(
        PetitionRequest(
            filer=demo.users["attorney"],
            office=office,
            chapter="7",
            petition=pdf,
            debtors=[
                PartyData(
                    role="",
                    name="Lead Debtor",
                    tax_id_kind="ssn",
                    tax_id_digits="512345678",
                )
            ],
        )
    ).case

    def work(i):
        open_adversary_proceeding(
            ComplaintRequest(
                filer=demo.users["attorney2"],
                lead_case=lead,
                complaint=pdf,
                nature_of_suit=["91"],
                plaintiffs=[PartyData(role="", name=f"Plaintiff {i}")],
                defendants=[PartyData(role="", name="Lead Debtor")],
            )
        )

    errors = run_at_once(8, work)
    assert errors == []
    start = demo.court.ap_number_start
    numbers = sorted(
        Case.objects.filter(case_type="ap").values_list("number", flat=True)
    )
    assert numbers == list(range(start, start + 8))
