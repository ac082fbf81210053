"""The role-by-event matrix: who may file what, asked directly and through the real views."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

# (demo user, event code, allowed) in the chapter 7 case of the `setup` fixture.
MATRIX = [
    ("attorney", "nmrp", True),  # motion for relief from stay
    ("attorney", "objt", True),
    ("attorney", "order", False),  # an attorney cannot docket a court order
    ("attorney", "hrgset", False),
    ("attorney", "volp7", False),  # a petition opens a case elsewhere
    ("attorney", "ch13pl", False),  # chapter 13 only; this is chapter 7
    ("agent", "nmrp", True),  # an agent files what its attorney may
    ("agent", "order", False),
    ("creditor", "nmrp", False),  # a creditor cannot file a motion
    ("creditor", "reaff", True),
    ("creditor", "chgadr", True),
    ("trustee", "ndr", True),
    ("trustee", "ustabs", False),
    ("ustrustee", "ustabs", True),
    ("ustrustee", "trans", False),
    ("reporter", "trans", True),
    ("reporter", "nmrp", False),
    ("party", "fmcrt", True),
    ("party", "objt", False),
    ("clerk", "hrgset", True),
    ("clerk", "order", True),
    ("clerk", "nmrp", False),
    ("judge", "order", True),
    ("judge", "objt", False),
]


@pytest.mark.parametrize(("who", "code", "allowed"), MATRIX)
def test_can_file_event_matrix(demo, setup, who, code, allowed):
    """can_file_event answers from the catalogue's roles, the case type and chapter."""
    from dockets.filing.rules import can_file_event
    from dockets.models import Event

    reasons = can_file_event(demo.users[who], Event.objects.get(code=code), setup.case)
    assert (not reasons) is allowed, reasons


@pytest.mark.parametrize(("who", "code", "allowed"), MATRIX)
def test_role_matrix_through_the_wizard(
    client, demo, setup, start_draft, who, code, allowed
):
    """The events page lists only what the role may file, and a POSTed forbidden event is refused."""
    from dockets.filing.models import Draft
    from dockets.models import Event

    user = demo.users[who]
    client.force_login(user)
    extra = {"principal": demo.users["attorney"].pk} if who == "agent" else {}
    draft = start_draft(client, setup.case, **extra)
    event = Event.objects.get(code=code)
    events_url = reverse(
        "dockets:filing-step", kwargs={"draft_id": draft.pk, "step": "events"}
    )
    page = client.get(events_url).content.decode()
    assert (f'name="events" value="{event.pk}"' in page) is allowed
    response = client.post(events_url, {"events": [event.pk]})
    if allowed:
        assert response.status_code == 302
        assert Draft.objects.get(pk=draft.pk).state["event_ids"] == [event.pk]
    else:
        assert response.status_code == 200
        assert "That choice is not available in this case" in response.content.decode()
        assert "event_ids" not in Draft.objects.get(pk=draft.pk).state


def test_reasons_are_plain_words(demo, setup):
    """A refusal says who may file the event instead."""
    from dockets.filing.rules import can_file_event
    from dockets.models import Event

    reasons = can_file_event(
        demo.users["creditor"], Event.objects.get(code="nmrp"), setup.case
    )
    assert reasons == [
        "\u201cMotion for Relief From Stay (Fee)\u201d can be filed only by attorneys, trustees, the U.S. Trustee."
    ]
    reasons = can_file_event(
        demo.users["attorney"], Event.objects.get(code="ch13pl"), setup.case
    )
    assert reasons == [
        "\u201cChapter 13 Plan\u201d is for chapter 13 cases; this is a chapter 7 case."
    ]


def test_public_user_without_filer_account_cannot_start(client, demo, setup):
    """A login with no filer account sees why, and no draft is made."""
    from dockets.filing.models import Draft

    client.force_login(demo.users["public"])
    response = client.post(
        reverse("dockets:filing-start"), {"case_number": setup.case.display_number}
    )
    assert response.status_code == 200
    assert "This account has no filing rights" in response.content.decode()
    assert not Draft.objects.exists()


def test_pending_filer_cannot_start(client, demo, setup):
    """A filer the clerk has not certified cannot file."""
    client.force_login(demo.users["trainee"])
    response = client.post(
        reverse("dockets:filing-start"), {"case_number": setup.case.display_number}
    )
    assert "has not been approved by the clerk yet" in response.content.decode()


def test_agent_cannot_file_for_an_attorney_it_is_not_linked_to(client, demo, setup):
    """A forged principal id is refused by the form."""
    from dockets.filing.models import Draft

    client.force_login(demo.users["agent"])
    response = client.post(
        reverse("dockets:filing-start"),
        {
            "case_number": setup.case.display_number,
            "principal": demo.users["attorney2"].pk,
        },
    )
    assert response.status_code == 200
    assert "That choice is not available" in response.content.decode()
    assert not Draft.objects.exists()


def test_unknown_case_number_is_a_plain_message(client, demo, setup):
    client.force_login(demo.users["attorney"])
    response = client.post(reverse("dockets:filing-start"), {"case_number": "26-99999"})
    assert "No case 26-99999 was found in this court." in response.content.decode()
    response = client.post(reverse("dockets:filing-start"), {"case_number": "hello"})
    assert "That is not a case number." in response.content.decode()


def test_another_attorneys_draft_is_not_found(client, demo, setup, start_draft):
    """Drafts are private: another attorney gets the same 404 as for a missing draft."""
    client.force_login(demo.users["attorney"])
    draft = start_draft(client, setup.case)
    client.force_login(demo.users["attorney2"])
    url = reverse(
        "dockets:filing-step", kwargs={"draft_id": draft.pk, "step": "events"}
    )
    assert client.get(url).status_code == 404
    missing = reverse(
        "dockets:filing-step", kwargs={"draft_id": draft.pk + 999, "step": "events"}
    )
    assert client.get(missing).status_code == 404


def test_agent_resumes_the_attorneys_draft(client, demo, setup, start_draft):
    """The attorney's linked agent may resume a draft the attorney started; it files under the attorney's name."""
    client.force_login(demo.users["attorney"])
    draft = start_draft(client, setup.case)
    client.force_login(demo.users["agent"])
    start = client.get(reverse("dockets:filing-start")).content.decode()
    assert f"/file/{draft.pk}/" in start
    url = reverse(
        "dockets:filing-step", kwargs={"draft_id": draft.pk, "step": "events"}
    )
    page = client.get(url)
    assert page.status_code == 200
