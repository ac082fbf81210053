"""Form 410A: a mortgage claim on the principal residence needs it, and its parts must add up
and agree with Form 410 lines 7 and 9, on every path (one check, ClaimData.check)."""

from typing import Any

import pytest
from claimkit import claim_data, make_case

from core.errors import UserFacingError
from dockets.claims import services
from dockets.claims.form410a import Form410A, form410a_problems
from dockets.models import Claim

GOOD = {
    "principal_balance_cents": 24_500_000,
    "interest_due_cents": 400_000,
    "fees_costs_cents": 150_000,
    "escrow_deficiency_cents": 100_000,
    "funds_on_hand_cents": 0,
    "total_debt_cents": 25_150_000,
    "arrears_principal_interest_cents": 600_000,
    "arrears_fees_cents": 40_000,
    "arrears_escrow_deficiency_cents": 100_000,
    "projected_escrow_shortage_cents": 0,
    "arrears_funds_on_hand_cents": 0,
    "total_arrearage_cents": 740_000,
    "monthly_principal_interest_cents": 150_000,
    "monthly_escrow_cents": 40_000,
    "monthly_mortgage_insurance_cents": 0,
    "total_monthly_payment_cents": 190_000,
}


def _problems(**changes):
    values = {**GOOD, **changes.pop("parts", {})}
    kwargs: dict[str, Any] = {
        "principal_residence": True,
        "secured_cents": 25_150_000,
        "amount_cents": 25_150_000,
        "arrearage_cents": 740_000,
        "attachment": Form410A(**values),
    }
    kwargs.update(changes)
    return form410a_problems(**kwargs)


def test_a_410a_that_adds_up_and_agrees_with_form_410_passes():
    assert _problems() == {}


def test_parts_that_do_not_add_up_are_refused_with_the_exact_difference():
    message = _problems(parts={"total_debt_cents": 25_149_999})["mortgage"]
    assert "total debt does not add up" in message
    assert "= $251,500, but the total debt stated is $251,499.99" in message
    assert "a difference of -$0.01" in message
    arrears = _problems(parts={"arrears_fees_cents": 45_000})["mortgage"]
    assert "total prepetition arrearage does not add up" in arrears
    assert "a difference of -$50" in arrears
    monthly = _problems(parts={"total_monthly_payment_cents": 200_000})["mortgage"]
    assert "total monthly payment does not add up" in monthly and "+$100" in monthly


def test_the_totals_must_equal_form_410_lines_7_and_9():
    line7 = _problems(amount_cents=25_000_000, secured_cents=25_000_000)["mortgage"]
    assert "must equal the amount of the claim on Form 410 line 7, $250,000" in line7
    assert "a difference of $1,500" in line7
    line9 = _problems(arrearage_cents=700_000)["arrearage"]
    assert "line 9, $7,000 (a difference of $400)" in line9


def test_a_principal_residence_claim_without_410a_is_refused():
    assert "must include Form 410A" in _problems(attachment=None)["mortgage"]
    assert (
        form410a_problems(
            principal_residence=False,
            secured_cents=0,
            amount_cents=1,
            arrearage_cents=None,
            attachment=None,
        )
        == {}
    )


@pytest.mark.django_db
def test_every_path_files_through_the_same_check(demo, client):
    """The service (logged-in form, ePOC, batch) and the API refuse the same bad 410A."""
    case = make_case(demo, chapter="13")
    creditor = demo.users["creditor"]
    bad = {**GOOD, "interest_due_cents": 400_100}
    data = claim_data(
        amount_cents=25_150_000,
        secured_cents=25_150_000,
        unsecured_cents=0,
        principal_residence=True,
        arrearage_cents=740_000,
        mortgage=bad,
    )
    with pytest.raises(UserFacingError, match=r"a difference of -\$1"):
        services.file_claim(case=case, data=data, filer=creditor)
    with pytest.raises(UserFacingError, match="must include Form 410A"):
        services.file_claim(
            case=case, data=claim_data(principal_residence=True), epoc=True
        )
    from dockets.api.services import create_api_token

    _row, secret = create_api_token(
        user=creditor, name="Servicer", scopes=["claims"], days=1
    )
    payload = {
        "creditor_name": "Harbor Mortgage",
        "creditor_address": "1 Bay Way",
        "basis": "Mortgage note",
        "amount_cents": 25_150_000,
        "secured_cents": 25_150_000,
        "principal_residence": True,
        "arrearage_cents": 740_000,
        "mortgage": bad,
    }
    response = client.post(
        f"/api/v1/cases/{case.pk}/claims",
        payload,
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 422, response.content
    assert "a difference of -$1" in response.json()["error"]["message"]
    payload["mortgage"] = GOOD
    ok = client.post(
        f"/api/v1/cases/{case.pk}/claims",
        payload,
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert ok.status_code == 201, ok.content
    assert Claim.objects.filter(case=case).count() == 1


def test_the_claim_form_shows_the_410a_difference_on_the_page():
    from dockets.claims.forms import ClaimForm

    post = {
        "creditor_name": "Harbor Mortgage",
        "creditor_address": "1 Bay Way",
        "basis": "Mortgage note",
        "amount": "251,500.00",
        "secured": "251,500.00",
        "arrearage": "7,400.00",
        "principal_residence": "on",
        **{
            f"m410a_{k.removesuffix('_cents')}": f"{v / 100:.2f}"
            for k, v in GOOD.items()
        },
    }
    good = ClaimForm(post)
    assert good.is_valid(), good.errors
    data = good.to_data(signer_name="Pat")
    assert isinstance(data.mortgage, Form410A)
    assert data.principal_residence and data.mortgage.total_debt_cents == 25_150_000
    assert data.arrearage_cents == 740_000
    form = ClaimForm({**post, "m410a_fees_costs": "1,600.00"})
    assert not form.is_valid()
    assert "a difference of -$100" in " ".join(
        map(str, form.errors["principal_residence"])
    )
    missing = ClaimForm({**post, "m410a_total_debt": ""})
    assert not missing.is_valid()


@pytest.mark.django_db
def test_the_filed_form_410_carries_the_410a_parts(demo):
    from pypdf import PdfReader

    case = make_case(demo, chapter="13")
    data = claim_data(
        amount_cents=25_150_000,
        secured_cents=25_150_000,
        unsecured_cents=0,
        principal_residence=True,
        arrearage_cents=740_000,
        mortgage=dict(GOOD),
    )
    version = services.file_claim(case=case, data=data, filer=demo.users["creditor"])
    assert version.entry is not None
    form = version.entry.documents.order_by("sequence").first()
    assert form is not None
    with form.original.open("rb") as fh:
        text = " ".join(page.extract_text() for page in PdfReader(fh).pages)
    assert "Form 410A" in text and "Total prepetition arrearage" in text
    assert "$7,400" in text and "$251,500" in text
    assert version.data["mortgage"]["total_debt_cents"] == 25_150_000
