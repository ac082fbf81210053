"""Training pages on live: my exercises, check now, practise, the clerk's pages, reset."""

import pytest
from django.urls import reverse
from trainingkit import (
    BOTH,
    TDB,
    exercise,
    file_claim_on_training,
    make_trainee,
    practice_case,
    training_court,
)

from filers.models import Role, User
from training import services
from training.models import ExerciseResult, TrainingReset

pytestmark = pytest.mark.django_db(databases=BOTH)


@pytest.fixture
def setup(demo):
    training_court()
    exercise(
        "claim",
        "claim_filed",
        {},
        [Role.CREDITOR],
        title="File a proof of claim",
        order=1,
    )
    exercise(
        "appear",
        "entry_filed",
        {"event": "ntcapr"},
        [Role.CREDITOR],
        title="File a notice of appearance",
        order=2,
    )
    return demo


def test_exercises_page_lists_my_role_with_status_and_what_is_missing(client, setup):
    user = make_trainee()
    client.force_login(user)
    page = client.get(reverse("training:exercises"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "File a proof of claim: not checked yet" in text
    assert "Practise on training" in text
    # Get the practice account, file a claim on training, check now.
    response = client.post(reverse("training:practise"))
    assert response.status_code == 302
    trainee = User.objects.using(TDB).get(email=user.email)
    file_claim_on_training(practice_case(trainee), trainee)
    response = client.post(reverse("training:check"), follow=True)
    text = response.content.decode()
    assert "Checked just now: 1 of 2 exercises passed." in text
    assert "File a proof of claim: passed" in text
    assert "File a notice of appearance: not passed yet" in text
    assert (
        "File a Notice of Appearance and Request for Notice on one of your practice cases."
        in text
    )
    assert "http://127.0.0.1:8001/claims/" in text


def test_check_needs_post_and_a_login(client, setup):
    assert client.post(reverse("training:check")).status_code == 302  # to login
    client.force_login(make_trainee())
    assert client.get(reverse("training:check")).status_code == 405


def test_practise_page_without_a_filer_explains(client, setup):
    client.force_login(setup.users["public"])
    response = client.post(reverse("training:practise"))
    assert response.status_code == 200
    assert "Register as a filer first" in response.content.decode()
    assert (
        not User.objects.using(TDB).filter(email=setup.users["public"].email).exists()
    )


def test_practice_login_is_not_a_live_page(client, setup):
    assert client.get(reverse("training:practice-login", args=["x"])).status_code == 404


@pytest.mark.parametrize("who", ["attorney", "trainee", "public", "judge"])
def test_clerk_pages_are_404_for_others(client, setup, who):
    trainee = make_trainee()
    client.force_login(setup.users[who])
    for url in [
        reverse("training:clerk-trainees"),
        reverse("training:clerk-progress", args=[trainee.pk]),
        reverse("training:reset"),
    ]:
        assert client.get(url).status_code == 404
    assert client.post(reverse("training:reset")).status_code == 404
    assert not TrainingReset.objects.exists()


def test_clerk_sees_training_complete_with_links_to_practice_filings(
    client, setup, django_assert_max_num_queries
):
    done, busy = make_trainee(), make_trainee(email="busy@example.test")
    for user in (done, busy):
        services.create_practice_account(user)
    trainee = User.objects.using(TDB).get(email=done.email)
    case = practice_case(trainee)
    file_claim_on_training(case, trainee)
    from trainingkit import file_on_training

    file_on_training(case, "ntcapr", trainee)
    services.check_exercises(user=done)
    services.check_exercises(user=busy)
    for i in range(5):
        make_trainee(email=f"more{i}@example.test")
    client.force_login(setup.users["clerk"])
    with django_assert_max_num_queries(12):
        page = client.get(reverse("training:clerk-trainees"))
    text = page.content.decode()
    assert page.status_code == 200
    assert text.count("Training complete") == 1
    assert "2 of 2 passed" in text and "0 of 2 passed" in text
    detail = client.get(
        reverse("training:clerk-progress", args=[done.pk])
    ).content.decode()
    assert "2 of 2 exercises passed: training complete" in detail
    result = ExerciseResult.objects.get(user=done, exercise__code="claim")
    assert result.evidence[0]["url"] in detail
    assert result.evidence[0]["url"].startswith("http://127.0.0.1:8001/claims/")


def test_clerk_queues_a_reset_and_sees_its_status(
    client, setup, django_capture_on_commit_callbacks
):
    client.force_login(setup.users["clerk"])
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("training:reset"), follow=True)
    assert len(callbacks) == 1
    text = response.content.decode()
    reset = TrainingReset.objects.get()
    assert f"Reset {reset.pk} is queued." in text
    assert "<td>Queued</td>" in text
    assert reset.requested_by == setup.users["clerk"]
    services.reset_training_database(reset=reset)  # what the worker does
    text = client.get(reverse("training:reset")).content.decode()
    assert "<td>Done</td>" in text


def test_an_unreachable_training_database_is_explained(client, setup, monkeypatch):
    from django.db import OperationalError

    def down(**kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("training.views.check_exercises", down)
    monkeypatch.setattr("training.views.create_practice_account", lambda user: down())
    client.force_login(make_trainee())
    for url in (reverse("training:check"), reverse("training:practise")):
        response = client.post(url, follow=True)
        assert response.status_code == 200
        assert (
            "The training system cannot be reached right now"
            in response.content.decode()
        )


def test_clerks_office_edits_exercises_in_the_admin(client, setup):
    """A fixed check kind from a list, roles as checkboxes, parameters checked on save."""
    from training.models import Exercise

    # The admin opens only for an active court user (the demo clerk: certified, 2FA).
    admin = User.objects.get(email="clerk@ecf.test")
    admin.is_superuser = True
    admin.save(update_fields=["is_superuser"])
    client.force_login(admin)
    url = reverse("admin:training_exercise_add")
    page = client.get(url).content.decode()
    assert "case_opened: chapter (required" in page
    data = {
        "code": "open-13",
        "title": "Open a chapter 13 case",
        "instructions": "Open one.",
        "check_kind": "case_opened",
        "params": '{"chapter": "13", "colour": "red"}',
        "roles": ["attorney"],
        "order": "5",
        "active": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "case_opened takes no parameter" in response.content.decode()
    assert not Exercise.objects.filter(code="open-13").exists()
    data["params"] = '{"chapter": "13"}'
    assert client.post(url, data).status_code == 302
    assert Exercise.objects.get(code="open-13").roles == ["attorney"]
