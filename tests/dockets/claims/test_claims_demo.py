"""The demo claims (dockets.claims.demo, a seed_demo seeder registered by dockets)."""

import io

import pytest
from django.core.management import call_command

import cases.demo
from dockets.claims import demo as claims_demo
from dockets.claims.models import Claim

pytestmark = pytest.mark.django_db


def test_seed_demo_files_four_claims_in_the_chapter_7_case(settings, monkeypatch):
    """seed_demo leaves four claims (one amended) on the chapter 7 register, and running it again adds none."""
    settings.ECF_DEMO = True
    monkeypatch.setattr(cases.demo, "_seeders", [claims_demo.seed])
    call_command("seed_demo", stdout=io.StringIO())
    claims = Claim.objects.filter(case__chapter="7").order_by("number")
    assert [(c.number, c.version) for c in claims] == [(1, 1), (2, 1), (3, 1), (4, 2)]
    assert claims[0].filed_by is not None
    assert claims[0].filed_by.email == "creditor@ecf.test"
    assert all(c.epoc for c in claims[1:])
    call_command("seed_demo", stdout=io.StringIO())
    assert Claim.objects.count() == 4
