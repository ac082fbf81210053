"""Drafts expire with their files; the transaction log; the event admin."""

from __future__ import annotations

import datetime as dt
import os

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def _draft_with_upload(client, demo, setup, start_draft, pdf):
    from dockets.models import Event

    client.force_login(demo.users["attorney2"])
    draft = start_draft(client, setup.case)
    client.post(
        reverse("dockets:filing-step", kwargs={"draft_id": draft.pk, "step": "events"}),
        {"events": [Event.objects.get(code="nmrp").pk]},
    )
    client.post(
        reverse(
            "dockets:filing-step", kwargs={"draft_id": draft.pk, "step": "parties"}
        ),
        {"parties": [setup.bank.pk], "against": [setup.debtor.pk]},
    )
    client.post(
        reverse(
            "dockets:filing-step", kwargs={"draft_id": draft.pk, "step": "documents"}
        ),
        {"main": pdf(), "upload": "1"},
    )
    draft.refresh_from_db()
    return draft


def test_expired_drafts_and_their_files_are_deleted(
    client, demo, setup, start_draft, pdf, settings
):
    """The periodic task deletes drafts older than ECF_DRAFT_DAYS and the files uploaded to them."""
    from django.core.files.storage import default_storage

    from dockets.filing.models import Draft
    from dockets.filing.tasks import expire_drafts_task

    settings.ECF_DRAFT_DAYS = 7
    draft = _draft_with_upload(client, demo, setup, start_draft, pdf)
    name = draft.state["documents"][0]["name"]
    assert default_storage.exists(name)
    with time_machine.travel(timezone.now() + dt.timedelta(days=6)):
        assert expire_drafts_task() == 0
    assert Draft.objects.filter(pk=draft.pk).exists()
    with time_machine.travel(timezone.now() + dt.timedelta(days=8)):
        assert expire_drafts_task() == 1
    assert not Draft.objects.filter(pk=draft.pk).exists()
    assert not default_storage.exists(name)


def test_working_on_a_draft_extends_its_life(client, demo, setup, start_draft, pdf):
    draft = _draft_with_upload(client, demo, setup, start_draft, pdf)
    first = draft.expires_at
    with time_machine.travel(timezone.now() + dt.timedelta(days=3)):
        client.force_login(demo.users["attorney2"])
        client.post(
            reverse(
                "dockets:filing-step", kwargs={"draft_id": draft.pk, "step": "parties"}
            ),
            {"parties": [setup.bank.pk], "against": [setup.debtor.pk]},
        )
    draft.refresh_from_db()
    assert draft.expires_at > first + dt.timedelta(days=2)


def test_discarding_a_draft_deletes_its_files(
    client, demo, setup, start_draft, pdf, settings
):
    from dockets.filing.models import Draft

    draft = _draft_with_upload(client, demo, setup, start_draft, pdf)
    folder = os.path.join(settings.MEDIA_ROOT, "drafts", str(draft.pk))
    assert os.listdir(folder)
    url = reverse("dockets:filing-discard", kwargs={"draft_id": draft.pk})
    # Deleting asks first: the link and a POST without the confirmation delete nothing.
    page = client.get(url)
    assert page.status_code == 200 and "Delete this draft?" in page.content.decode()
    assert client.post(url).status_code == 200
    assert Draft.objects.filter(pk=draft.pk).exists()
    response = client.post(url, {"confirm": "yes"})
    assert response.status_code == 302
    assert not Draft.objects.filter(pk=draft.pk).exists()
    assert not os.path.exists(folder)


def test_unfinished_filing_can_be_resumed_from_the_start_page(
    client, demo, setup, start_draft, pdf
):
    draft = _draft_with_upload(client, demo, setup, start_draft, pdf)
    page = client.get(reverse("dockets:filing-start")).content.decode()
    assert "Unfinished filings" in page
    assert (
        reverse(
            "dockets:filing-step", kwargs={"draft_id": draft.pk, "step": "documents"}
        )
        in page
    )


def test_transaction_log_lists_own_filings_without_n_plus_one(
    client, demo, setup, django_assert_max_num_queries
):
    """My filings shows the user's own entries, not others', in a fixed number of queries."""
    from django.db import transaction

    from dockets.models import Event
    from dockets.services import FilingRequest, create_entry, lock_case

    mine, theirs = demo.users["attorney2"], demo.users["attorney"]
    for user in [mine] * 12 + [theirs] * 3:
        with transaction.atomic():
            case = lock_case(setup.case.pk)
            create_entry(
                FilingRequest(
                    case=case, events=[Event.objects.get(code="objt")], filer=user
                ),
                case=case,
            )
    client.force_login(mine)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("dockets:filing-log"))
    body = page.content.decode()
    assert body.count(">Receipt for ") == 12
    assert "Dana M. Whitaker" not in body.split("<tbody>")[1]


def test_event_admin_lists_and_searches_the_catalogue(client, demo):
    from django.contrib.auth.models import Permission

    from dockets.models import Event

    clerk = demo.users["clerk"]
    clerk.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="dockets", codename__endswith="_event"
        )
    )
    client.force_login(clerk)
    page = client.get(
        reverse("admin:dockets_event_changelist"), {"q": "relief from stay"}
    )
    assert page.status_code == 200
    assert "Motion for Relief From Stay (Fee)" in page.content.decode()
    event = Event.objects.get(code="nmrp")
    assert (
        client.get(reverse("admin:dockets_event_change", args=[event.pk])).status_code
        == 200
    )


def test_a_step_saves_its_answers_and_the_drafts_new_life(
    client, demo, setup, start_draft
):
    """save_state writes the answers, the step and the new expiry in one prepared
    statement; a draft deleted meanwhile is an error, never a silent loss."""
    from django.db import DatabaseError

    from dockets.filing import services
    from dockets.filing.models import Draft

    client.force_login(demo.users["attorney2"])
    draft = start_draft(client, setup.case)
    Draft.objects.filter(pk=draft.pk).update(expires_at=timezone.now())
    services.save_state(draft, step="parties", party_ids=[setup.bank.pk])
    stored = Draft.objects.get(pk=draft.pk)
    assert stored.state == {"party_ids": [setup.bank.pk]}
    assert stored.step == "parties"
    assert stored.expires_at > timezone.now() + dt.timedelta(days=1)
    assert stored.updated_at == draft.updated_at
    Draft.objects.filter(pk=draft.pk).delete()
    with pytest.raises(DatabaseError):
        services.save_state(draft, step="fee", pay="later")


def test_the_start_page_lists_the_drafts_each_user_may_resume(
    client, demo, setup, start_draft
):
    """The list is compiled once per process (drafts.open_drafts_query): the rows are
    the ORM's own for an attorney, the attorney's agent and a stranger; an expired
    or filed draft is not listed."""
    from django.db.models import Q
    from testkit import assert_same_object

    from dockets.filing.models import Draft
    from dockets.filing.rules import principals_for
    from dockets.filing.views.drafts import _OPEN_DRAFTS

    attorney, agent = demo.users["attorney"], demo.users["agent"]
    client.force_login(attorney)
    mine = start_draft(client, setup.case)
    expired = start_draft(client, setup.case)
    filed = start_draft(client, setup.other_case)
    Draft.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    Draft.objects.filter(pk=filed.pk).update(status=Draft.Status.SUBMITTED)
    client.force_login(agent)
    for_attorney = start_draft(client, setup.case, principal=attorney.pk)
    now = timezone.now()
    seen = {}
    for user in (attorney, agent, demo.users["attorney2"]):
        principals = principals_for(user) if user == agent else []
        got = _OPEN_DRAFTS.all(
            "plain",
            user_id=user.pk,
            principal_ids=[p.pk for p in principals],
            now=now,
        )
        expected = list(
            Draft.objects.filter(status=Draft.Status.OPEN, expires_at__gt=now)
            .filter(Q(owner=user) | Q(principal=user) | Q(principal__in=principals))
            .select_related("case", "case__office", "case__judge", "principal")
            .order_by("-updated_at")[:50]
        )
        assert [d.pk for d in got] == [d.pk for d in expected]
        for row, orm_row in zip(got, expected, strict=True):
            assert_same_object(
                row, orm_row, related=["case", "case.office", "case.judge", "principal"]
            )
        seen[user.pk] = {d.pk for d in got}
    assert seen[attorney.pk] == {mine.pk, for_attorney.pk}
    assert seen[agent.pk] == {mine.pk, for_attorney.pk}
    assert seen[demo.users["attorney2"].pk] == set()
