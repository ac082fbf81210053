"""Each check kind, passing and failing, against rows in the training database."""

import pytest
from django.core.exceptions import ValidationError
from trainingkit import (
    BOTH,
    TDB,
    exercise,
    file_claim_on_training,
    file_on_training,
    make_trainee,
    training_court,
)

from cases.models import Case, Party
from filers.models import Role
from training.checks import run_check, training_user_for
from training.seeding import create_practice_cases, ensure_practice_account

pytestmark = pytest.mark.django_db(databases=BOTH)


@pytest.fixture
def practice(demo):
    """A creditor trainee with a practice account and practice cases on training."""
    training_court()

    def make(role=Role.CREDITOR, email="trainee.one@example.test"):
        user = make_trainee(email=email, role=role)
        trainee, _ = ensure_practice_account(user=user, using=TDB)
        cases = create_practice_cases(trainee=trainee, using=TDB)
        return user, trainee, cases

    return make


def test_no_practice_account_says_to_get_one(demo):
    user = make_trainee()
    ex = exercise("claim", "claim_filed", {}, [Role.CREDITOR])
    outcome = run_check(ex, training_user_for(user))
    assert not outcome.passed
    assert outcome.missing == [
        "Get your practice account on the training system first (Practise on training)."
    ]


def test_claim_filed_fails_until_a_claim_is_filed_then_passes(practice):
    _user, trainee, cases = practice()
    ex = exercise("claim", "claim_filed", {}, [Role.CREDITOR])
    outcome = run_check(ex, trainee)
    assert not outcome.passed
    assert "File a proof of claim" in outcome.missing[0]
    claim = file_claim_on_training(cases[0], trainee)
    outcome = run_check(ex, trainee)
    assert outcome.passed and outcome.missing == []
    assert f"/claims/{claim.pk}/" in outcome.evidence[0]["url"]
    assert outcome.evidence[0]["url"].startswith("http://127.0.0.1:8001/")
    assert outcome.evidence[0]["label"].startswith("TRAINING ")


def test_claim_filed_secured_needs_a_secured_part(practice):
    _user, trainee, cases = practice()
    ex = exercise("claim-s", "claim_filed", {"secured": True}, [Role.CREDITOR])
    file_claim_on_training(cases[0], trainee)
    assert not run_check(ex, trainee).passed
    file_claim_on_training(cases[0], trainee, secured_cents=50_000)
    assert run_check(ex, trainee).passed


def test_someone_elses_claim_does_not_count(practice):
    _user, trainee, _cases = practice()
    _other_user, other, other_cases = practice(email="other@example.test")
    ex = exercise("claim", "claim_filed", {}, [Role.CREDITOR])
    file_claim_on_training(other_cases[0], other)
    assert not run_check(ex, trainee).passed
    assert run_check(ex, other).passed


def test_entry_filed_reports_each_missing_condition(practice):
    """Missing attachments, reference and fee are each named; all met, it passes."""
    _user, trainee, cases = practice(role=Role.ATTORNEY, email="lawyer@example.test")
    motion_ex = exercise(
        "motion",
        "entry_filed",
        {"event": "nmrp", "min_attachments": 2, "fee_paid": True},
        [Role.ATTORNEY],
    )
    outcome = run_check(motion_ex, trainee)
    assert outcome.missing == [
        "File a Motion for Relief From Stay (Fee) on one of your practice cases."
    ]
    file_on_training(cases[0], "nmrp", trainee, attachments=1, fee_status="due")
    outcome = run_check(motion_ex, trainee)
    assert not outcome.passed
    assert any(
        "Attach at least 2 documents" in m and "(it has 1)" in m
        for m in outcome.missing
    )
    assert any("Pay the filing fee" in m for m in outcome.missing)
    assert outcome.evidence  # the clerk can look at the attempt
    file_on_training(cases[0], "nmrp", trainee, attachments=2, fee_status="paid")
    assert run_check(motion_ex, trainee).passed


def test_entry_filed_must_refer_to_an_earlier_entry_of_the_category(practice):
    _user, trainee, cases = practice(role=Role.ATTORNEY, email="lawyer@example.test")
    ex = exercise(
        "response",
        "entry_filed",
        {"event": "respon", "refers": True, "refers_category": "motion"},
        [Role.ATTORNEY],
    )
    case = cases[0]
    notice = file_on_training(case, "chgadr", trainee)
    file_on_training(case, "respon", trainee, related=[notice])
    outcome = run_check(ex, trainee)
    assert not outcome.passed
    assert "Refer to an earlier motion on the docket" in outcome.missing[0]
    motion = file_on_training(case, "nmrp", trainee, fee_status="paid")
    file_on_training(case, "respon", trainee, related=[motion])
    assert run_check(ex, trainee).passed


def test_entry_filed_on_a_case_not_owned_does_not_count(practice):
    _user, trainee, cases = practice(role=Role.ATTORNEY, email="lawyer@example.test")
    _other_user, _other, other_cases = practice(
        role=Role.ATTORNEY, email="l2@example.test"
    )
    ex = exercise("motion", "entry_filed", {"event": "nmrp"}, [Role.ATTORNEY])
    file_on_training(other_cases[0], "nmrp", trainee)
    assert not run_check(ex, trainee).passed
    file_on_training(cases[1], "nmrp", trainee)
    assert run_check(ex, trainee).passed


def test_wrong_event_is_named(practice):
    """Filing the wrong event gets a specific reason, not the task repeated back."""
    _user, trainee, cases = practice()
    ex = exercise("noa", "entry_filed", {"event": "ntcapr"}, [Role.CREDITOR])
    file_on_training(cases[0], "chgadr", trainee)
    outcome = run_check(ex, trainee)
    assert not outcome.passed
    assert outcome.missing[0].startswith(
        "You filed Change of Address; this exercise needs Notice of Appearance "
        "and Request for Notice."
    )


def test_filing_for_the_debtor_fails_a_creditor_exercise(practice):
    """A creditor's notice of appearance 'on behalf of' the debtor does not pass."""
    _user, trainee, cases = practice()
    ex = exercise(
        "noa",
        "entry_filed",
        {"event": "ntcapr", "party_roles": "creditor"},
        [Role.CREDITOR],
    )
    case = cases[0]
    debtor = Party.objects.using(TDB).filter(case=case, role="debtor").first()
    assert debtor is not None
    file_on_training(case, "ntcapr", trainee, parties=[debtor])
    outcome = run_check(ex, trainee)
    assert not outcome.passed
    assert f"filed on behalf of {debtor.name} (debtor)" in outcome.missing[0]
    assert (
        "a creditor files on behalf of itself or the creditor it represents"
        in (outcome.missing[0])
    )
    creditor = Party.objects.using(TDB).create(
        case=case, role="creditor", name=trainee.get_full_name()
    )
    file_on_training(case, "ntcapr", trainee, parties=[creditor])
    assert run_check(ex, trainee).passed


def test_filing_in_someone_elses_case_is_named(practice):
    _user, trainee, _cases = practice()
    _other_user, _other, other_cases = practice(email="other@example.test")
    ex = exercise("noa", "entry_filed", {"event": "ntcapr"}, [Role.CREDITOR])
    file_on_training(other_cases[0], "ntcapr", trainee)
    outcome = run_check(ex, trainee)
    assert "which is not one of your practice cases" in outcome.missing[0]


def test_claim_in_a_case_that_is_not_a_practice_case_does_not_count(practice):
    _user, trainee, _cases = practice()
    _other_user, _other, other_cases = practice(email="other@example.test")
    ex = exercise("claim", "claim_filed", {}, [Role.CREDITOR])
    file_claim_on_training(other_cases[0], trainee)
    outcome = run_check(ex, trainee)
    assert not outcome.passed
    assert "which is not one of your practice cases" in outcome.missing[0]


def test_case_opened_needs_the_chapter_and_the_matrix(practice):
    _user, trainee, cases = practice(role=Role.ATTORNEY, email="lawyer@example.test")
    ex = exercise(
        "open7",
        "case_opened",
        {"chapter": "7", "min_matrix_creditors": 2},
        [Role.ATTORNEY],
    )
    # The seeded practice cases do not count: the trainee did not open them.
    outcome = run_check(ex, trainee)
    assert outcome.missing == [
        "Open a chapter 7 case: file a chapter 7 voluntary petition on the training system."
    ]
    court = cases[0].court
    case13 = Case.objects.using(TDB).create(
        court=court,
        office=cases[0].office,
        year=2026,
        number=900,
        title="Opened 13",
        chapter="13",
        date_filed=cases[0].date_filed,
        practice_owner=trainee,
    )
    file_on_training(case13, "volp13", trainee)
    assert not run_check(ex, trainee).passed
    case7 = Case.objects.using(TDB).create(
        court=court,
        office=cases[0].office,
        year=2026,
        number=901,
        title="Opened 7",
        chapter="7",
        date_filed=cases[0].date_filed,
        practice_owner=trainee,
    )
    file_on_training(case7, "volp7", trainee)
    Party.objects.using(TDB).create(
        case=case7, role="creditor", name="A", from_matrix=True
    )
    outcome = run_check(ex, trainee)
    assert not outcome.passed
    assert "creditor matrix with at least 2 creditors" in outcome.missing[0]
    assert "(it has 1)" in outcome.missing[0]
    Party.objects.using(TDB).create(
        case=case7, role="creditor", name="B", from_matrix=True
    )
    assert run_check(ex, trainee).passed


def test_transcript_filed(practice):
    _user, trainee, cases = practice(role=Role.COURT_REPORTER, email="rep@example.test")
    ex = exercise("transcript", "transcript_filed", {}, [Role.COURT_REPORTER])
    outcome = run_check(ex, trainee)
    assert outcome.missing == ["File a Transcript on one of your practice cases."]
    file_on_training(cases[0], "trans", trainee)
    assert run_check(ex, trainee).passed


@pytest.mark.parametrize(
    ("kind", "params", "roles", "message"),
    [
        ("made_up", {}, ["creditor"], "Unknown check kind"),
        ("case_opened", {}, ["attorney"], "needs the parameter 'chapter'"),
        (
            "case_opened",
            {"chapter": "7", "colour": "red"},
            ["attorney"],
            "no parameter 'colour'",
        ),
        ("entry_filed", {}, ["attorney"], "needs an event code or a category"),
        (
            "entry_filed",
            {"event": "nmrp", "min_attachments": "two"},
            ["attorney"],
            "whole number",
        ),
        ("claim_filed", [], ["creditor"], "must be a JSON object"),
        ("claim_filed", {}, ["wizard"], "Unknown role"),
        ("claim_filed", {}, [], "Pick at least one role"),
    ],
)
def test_bad_exercises_are_refused_in_plain_words(kind, params, roles, message):
    with pytest.raises(ValidationError, match=message):
        exercise("bad", kind, params, roles)


def test_home_page_training_text_comes_from_the_exercises(client, demo):
    """The home page's training column lists the role's real exercises."""
    from django.urls import reverse

    made = exercise("noa-home", "entry_filed", {"event": "ntcapr"}, [Role.CREDITOR])
    page = client.get(reverse("core:home")).content.decode()
    assert made.title in page


def test_every_registered_check_kind_has_a_check_and_no_check_is_unregistered():
    """The kind registry (training.check_kinds, model-free) and the checks that run
    them (training.checks.RUNS) name the same kinds, so an exercise the admin accepts
    always has a check to run."""
    from training.check_kinds import KINDS
    from training.checks import RUNS

    assert set(KINDS) == set(RUNS)
