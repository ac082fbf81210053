"""On the training instance, search, RSS, reports and feeds show a trainee only the shared
practice data and their own practice cases, never another trainee's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def training_world(demo, settings):
    from seckit import file_pdf_entry, make_case

    from cases.models import Case

    settings.ECF_IS_TRAINING = True
    shared = make_case(demo.court, title="Shared Practice Debtor")
    own = make_case(demo.court, title="Own Practice Debtor")
    theirs = make_case(demo.court, title="Other Trainee Debtor")
    Case.objects.filter(pk=own.pk).update(practice_owner=demo.users["attorney"])
    Case.objects.filter(pk=theirs.pk).update(practice_owner=demo.users["attorney2"])
    for case, word in ((shared, "sharedword"), (own, "ownword"), (theirs, "theirword")):
        file_pdf_entry(case, demo.users["clerk"], text=f"Practice {word}")
    return {"shared": shared, "own": own, "theirs": theirs}


def test_trainee_feeds_search_and_reports_show_shared_and_own_cases_only(
    client, demo, training_world
):
    client.force_login(demo.users["attorney"])
    from core import clock

    today = clock.today()
    pages = {
        "rss": client.get(reverse("dockets:rss-court")),
        "legacy rss": client.get(reverse("dockets:legacy-rss")),
        "cases filed": client.get(
            reverse("dockets:report-cases-filed"),
            {
                "date_from": (today - dt.timedelta(days=3)).isoformat(),
                "date_to": today.isoformat(),
            },
        ),
        "docket activity": client.get(
            reverse("dockets:report-docket-activity"),
            {
                "date_from": (today - dt.timedelta(days=3)).isoformat(),
                "date_to": today.isoformat(),
            },
        ),
    }
    for name, response in pages.items():
        body = response.content.decode()
        assert response.status_code == 200, name
        assert "Other Trainee Debtor" not in body, name
    assert "Own Practice Debtor" in pages["rss"].content.decode()
    assert "Shared Practice Debtor" in pages["rss"].content.decode()
    assert "Own Practice Debtor" in pages["cases filed"].content.decode()


def test_selectors_apply_the_training_filter(demo, training_world):
    from dockets.reports.activity import feed_entries
    from dockets.selectors import searchable_entries_for

    trainee = demo.users["attorney"]
    seen = {e.case_id for e in feed_entries(user=trainee)}
    assert training_world["theirs"].pk not in seen
    assert {training_world["own"].pk, training_world["shared"].pk} <= seen
    searchable = set(searchable_entries_for(trainee).values_list("case_id", flat=True))
    assert training_world["theirs"].pk not in searchable
    anonymous = {e.case_id for e in feed_entries(user=None)}
    assert training_world["own"].pk not in anonymous
    # The clerk's office sees every practice case.
    clerk_seen = set(
        searchable_entries_for(demo.users["clerk"]).values_list("case_id", flat=True)
    )
    assert training_world["theirs"].pk in clerk_seen
