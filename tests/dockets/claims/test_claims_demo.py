"""The demo claims (dockets.claims.demo, run by seed_demo through ECF_DEMO_SEEDERS)."""

import io

import pytest
from django.core.management import call_command

from dockets.claims.models import Claim

pytestmark = pytest.mark.django_db


def test_seed_demo_files_four_claims_in_the_chapter_7_case(settings):
    """seed_demo leaves four claims (one amended) on the chapter 7 register, and running it again adds none."""
    settings.ECF_DEMO = True
    settings.ECF_DEMO_SEEDERS = ["dockets.claims.demo.seed"]
    call_command("seed_demo", stdout=io.StringIO())
    claims = Claim.objects.filter(case__chapter="7").order_by("number")
    assert [(c.number, c.version) for c in claims] == [(1, 1), (2, 1), (3, 1), (4, 2)]
    assert claims[0].filed_by is not None
    assert claims[0].filed_by.email == "creditor@ecf.test"
    assert all(c.epoc for c in claims[1:])
    call_command("seed_demo", stdout=io.StringIO())
    assert Claim.objects.count() == 4
