"""Alerts (issue 24): follow a case, a party or creditor name, or a saved search; an
e-mail for each change or a daily digest; never a word the follower may not read."""

from __future__ import annotations

import pytest
from alertkit import alert_mail
from django.db import transaction
from django.urls import reverse
from factories import chapter7_case

from cases.matrix import parse_matrix
from cases.models import Party
from cases.services import PartyData, add_matrix_creditors, add_party
from dockets.alerts import mailings
from dockets.alerts import services as alerts
from dockets.alerts.models import Alert, AlertDelivery
from dockets.clerk import services as clerk
from dockets.models import Visibility

# The alert tasks run in this process when the writer's transaction commits.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("world", "eager_tasks")]


def _new_case(demo, title, creditors=(), matrix=b""):
    with transaction.atomic():
        case = chapter7_case(
            demo,
            title=title,
            actor=demo.users["attorney"],
            debtor=PartyData(role=Party.Role.DEBTOR, name=title, city="San Diego"),
        )
        for name in creditors:
            add_party(
                case=case,
                data=PartyData(role=Party.Role.CREDITOR, name=name, is_entity=True),
            )
        if matrix:
            add_matrix_creditors(
                case=case, result=parse_matrix(matrix), actor=demo.users["attorney"]
            )
    return case


def test_following_a_creditor_name_gives_one_alert_per_new_case(
    world, demo, django_capture_on_commit_callbacks
):
    user = demo.users["public"]
    alerts.follow(user=user, kind=Alert.Kind.NAME, term="Pacific Tractor Finance")
    with django_capture_on_commit_callbacks(execute=True):
        listed = _new_case(
            demo,
            "Hector Ruiz",
            creditors=["Pacific Tractor Finance LLC", "Sharp Memorial Hospital"],
        )
    with django_capture_on_commit_callbacks(execute=True):
        _new_case(demo, "Ada Park", creditors=["Pacific Gas and Electric"])
    mail = alert_mail(user)
    assert len(mail) == 1, [m.subject for m in mail]
    assert listed.display_number in mail[0].subject
    assert "“Pacific Tractor Finance” appears in case" in mail[0].body_text

    # More activity in the same case (another creditor, an entry) tells nothing new.
    with django_capture_on_commit_callbacks(execute=True):
        add_party(
            case=listed,
            data=PartyData(role=Party.Role.CREDITOR, name="Pacific Tractor Finance"),
        )
    assert len(alert_mail(user)) == 1
    # A creditor listed only in an uploaded creditor matrix counts too.
    matrix = b"Pacific Tractor Finance\nP.O. Box 7\nFresno, CA 93701\n"
    with django_capture_on_commit_callbacks(execute=True):
        via_matrix = _new_case(demo, "Lin Chow", matrix=matrix)
    assert len(alert_mail(user)) == 2
    assert via_matrix.display_number in alert_mail(user)[-1].subject


def test_a_case_follower_hears_of_entries_edits_seals_and_unseals_they_may_see(
    world, demo, file_entry, client, django_capture_on_commit_callbacks
):
    user = demo.users["public"]
    client.force_login(user)
    client.post(
        reverse("dockets:follow", kwargs={"case_id": world.case.pk}), {"follow": "1"}
    )
    assert Alert.objects.filter(user=user, kind="case", case=world.case).exists()
    with django_capture_on_commit_callbacks(execute=True):
        entry = file_entry(
            world.case,
            "msj",
            world.users["attorney"],
            text_override="Motion to sell the boat.",
        )
    with django_capture_on_commit_callbacks(execute=True):
        file_entry(world.case, "crtnef", world.users["attorney"])  # no document
    assert len(alert_mail(user, "Motion to sell the boat.")) == 1
    assert len(alert_mail(user, "Request for Courtesy Notice")) == 1
    with django_capture_on_commit_callbacks(execute=True):
        clerk.modify_docket_text(
            entry=entry,
            clerk=world.users["clerk"],
            text="Motion to sell the BLUE KAYAK.",
        )
    assert len(alert_mail(user, "Docket text modified")) == 1
    with django_capture_on_commit_callbacks(execute=True):
        clerk.set_entry_visibility(
            entry=entry,
            clerk=world.users["clerk"],
            visibility=Visibility.SEALED,
            reason="O",
        )
    sealed = alert_mail(user, "is now sealed or restricted")
    assert len(sealed) == 1 and "KAYAK" not in sealed[0].body_text
    with django_capture_on_commit_callbacks(execute=True):
        sealed_new = file_entry(
            world.case,
            "msj",
            world.users["attorney"],
            text_override="Secret MARLIN-8.",
            visibility=Visibility.SEALED,
        )
    assert not alert_mail(user, "MARLIN")
    with django_capture_on_commit_callbacks(execute=True):
        clerk.set_entry_visibility(
            entry=sealed_new,
            clerk=world.users["clerk"],
            visibility=Visibility.PUBLIC,
            reason="Unsealed by order",
        )
    assert len(alert_mail(user, "MARLIN-8")) == 1
    assert len(alert_mail(user)) == 5
    # Stop following: nothing more.
    client.post(
        reverse("dockets:follow", kwargs={"case_id": world.case.pk}), {"follow": "0"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        file_entry(world.case, "msj", world.users["attorney"], text_override="Later.")
    assert len(alert_mail(user)) == 5


def test_a_saved_search_never_matches_text_its_owner_may_not_read(
    world, demo, file_entry, django_capture_on_commit_callbacks
):
    user = demo.users["public"]
    alerts.follow(user=user, kind=Alert.Kind.SEARCH, term='"relief from stay"')
    with django_capture_on_commit_callbacks(execute=True):
        file_entry(
            world.case,
            "msj",
            world.users["attorney"],
            text_override="Motion for relief from stay (sealed albatross).",
            visibility=Visibility.SEALED,
        )
        file_entry(
            world.case,
            "msj",
            world.users["attorney"],
            text_override="Motion for relief from the order.",
        )
    assert not alert_mail(user)
    with django_capture_on_commit_callbacks(execute=True):
        file_entry(
            world.case,
            "msj",
            world.users["attorney"],
            text_override="Motion for relief from stay re 2019 Ford.",
        )
    mail = alert_mail(user)
    assert len(mail) == 1 and "2019 Ford" in mail[0].body_text
    assert "albatross" not in mail[0].body_text


def test_daily_digest_collects_the_day_in_one_email(
    world, demo, file_entry, django_capture_on_commit_callbacks, client
):
    user = demo.users["public"]
    alerts.follow(
        user=user,
        kind=Alert.Kind.CASE,
        case=world.case,
        frequency=Alert.Frequency.DAILY,
    )
    with django_capture_on_commit_callbacks(execute=True):
        file_entry(
            world.case, "msj", world.users["attorney"], text_override="First one."
        )
        file_entry(
            world.case, "msj", world.users["attorney"], text_override="Second one."
        )
    assert not alert_mail(user)
    assert mailings.send_digests() == 1
    (digest,) = alert_mail(user)
    assert "First one." in digest.body_text and "Second one." in digest.body_text
    assert mailings.send_digests() == 0
    assert not AlertDelivery.objects.filter(status=AlertDelivery.Status.DIGEST).exists()


def test_alerts_page_follows_a_name_and_stops(world, demo, client):
    assert client.get(reverse("dockets:alerts")).status_code == 302  # sign in first
    user = demo.users["public"]
    client.force_login(user)
    response = client.post(
        reverse("dockets:alerts"),
        {"kind": "name", "term": "  Coastal   Federal ", "frequency": "daily"},
    )
    assert response.status_code == 302
    alert = Alert.objects.get(user=user)
    assert (alert.term, alert.frequency) == ("Coastal Federal", "daily")
    html = client.get(reverse("dockets:alerts")).content.decode()
    assert "Coastal Federal" in html
    for bad in ({"kind": "name", "term": "  "}, {"kind": "x", "term": "a"}):
        client.post(reverse("dockets:alerts"), bad)
    assert Alert.objects.filter(user=user).count() == 1
    client.post(
        reverse("dockets:alert-change", kwargs={"alert_id": alert.pk}),
        {"action": "stop"},
    )
    assert not Alert.objects.filter(user=user).exists()
    other = alerts.follow(user=demo.users["attorney"], kind="name", term="Someone")
    client.post(
        reverse("dockets:alert-change", kwargs={"alert_id": other.pk}),
        {"action": "stop"},
    )
    assert Alert.objects.filter(pk=other.pk).exists()  # not theirs to stop


def test_dispatching_an_event_again_tells_nobody_twice(
    world, demo, file_entry, django_capture_on_commit_callbacks
):
    user = demo.users["public"]
    alerts.follow(user=user, kind=Alert.Kind.CASE, case=world.case)
    with django_capture_on_commit_callbacks(execute=True):
        file_entry(world.case, "msj", world.users["attorney"], text_override="Once.")
    assert len(alert_mail(user, "Once.")) == 1
    assert alerts.sweep_recent_events() >= 1  # the broker lost nothing, but resend
    assert len(alert_mail(user, "Once.")) == 1
