"""The rule book (dockets.filing.rules.filing_problems) and every path that asks it:
the wizard's step links and forged POSTs, the API, the clerk's docketing, uploads."""

from __future__ import annotations

import json
import sys

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def url(draft, step: str) -> str:
    return reverse("dockets:filing-step", kwargs={"draft_id": draft.pk, "step": step})


def _check(setup, user, codes, **extra):
    from dockets.filing.rules import FilingCheck
    from dockets.models import Event

    return FilingCheck(
        user=user,
        principal=user,
        case=setup.case,
        events=[Event.objects.get(code=c) for c in codes],
        **extra,
    )


def _codes(problems):
    return {p.code for p in problems}


def test_relief_motion_needs_every_part(demo, setup):
    """Parties, the party against, the PDF and each required detail are each named."""
    from dockets.filing.rules import blocking, filing_problems

    problems = blocking(
        filing_problems(_check(setup, demo.users["attorney2"], ["nmrp"]))
    )
    assert _codes(problems) == {
        "party_missing",
        "against_missing",
        "document_missing",
        "field_missing",
    }
    missing = {p.field for p in problems if p.code == "field_missing"}
    assert missing == {"fields.property_type", "fields.objection_deadline"}
    assert [p.step for p in problems] == sorted(
        (p.step for p in problems),
        key=["parties", "documents", "fields"].index,
    )


def test_complete_relief_motion_has_no_problem(demo, setup):
    from dockets.filing.rules import filing_problems

    problems = filing_problems(
        _check(
            setup,
            demo.users["attorney2"],
            ["nmrp"],
            parties=[setup.bank],
            against=[setup.debtor],
            documents=[{"main": True}],
            fields={
                "property_type": "Real Property",
                "objection_deadline": "2099-12-10",
            },
        )
    )
    assert problems == []


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        (
            {"property_type": "Boats", "objection_deadline": "2099-12-10"},
            "choose one of",
        ),
        (
            {"property_type": "Real Property", "objection_deadline": "12/10"},
            "YYYY-MM-DD",
        ),
        (
            {"property_type": "Real Property", "objection_deadline": "2001-01-01"},
            "cannot be in the past",
        ),
        (
            {
                "property_type": "Real Property",
                "objection_deadline": "2099-12-10",
                "hearing": {"at": "soon"},
            },
            "hearing's date and time",
        ),
    ],
)
def test_a_detail_of_the_wrong_shape_is_refused(demo, setup, fields, words):
    """A value the wizard's form would never store (a forged POST, an API call) is named."""
    from dockets.filing.rules import filing_problems

    problems = filing_problems(
        _check(
            setup,
            demo.users["attorney2"],
            ["nmrp"],
            parties=[setup.bank],
            against=[setup.debtor],
            documents=[{"main": True}],
            fields=fields,
        )
    )
    assert [p.code for p in problems] == ["field_invalid"]
    assert words in problems[0].message


def test_response_must_refer_to_an_entry(demo, setup):
    from dockets.filing.rules import filing_problems
    from dockets.models import Event

    required = Event.objects.filter(
        refers="required", filer_roles__contains=["attorney"]
    )
    event = required.exclude(fields__len__gt=0).first() or required.first()
    assert event is not None
    problems = filing_problems(
        _check(
            setup,
            demo.users["attorney"],
            [event.code],
            parties=[setup.debtor],
            against=[setup.bank] if event.needs_party_against else [],
            documents=[{"main": True}],
        )
    )
    assert "related_missing" in _codes(problems)


def test_creditor_cannot_file_an_attorney_event(demo, setup):
    from dockets.filing.rules import filing_problems

    problems = filing_problems(
        _check(setup, demo.users["creditor"], ["extime"], parties=[setup.bank])
    )
    assert any(
        p.code == "event" and "can be filed only by" in p.message for p in problems
    )


def test_closed_case_accepts_a_motion_to_reopen_only(demo, setup):
    """One answer to 'does this event fit this case', closed status included."""
    from cases.models import Case
    from dockets.filing.rules import event_fits_case
    from dockets.models import Event

    Case.objects.filter(pk=setup.case.pk).update(status=Case.Status.CLOSED)
    setup.case.refresh_from_db()
    assert event_fits_case(Event.objects.get(code="reopen7"), setup.case) == []
    assert event_fits_case(Event.objects.get(code="chgadr"), setup.case) == []
    (reason,) = event_fits_case(Event.objects.get(code="nmrp"), setup.case)
    assert "is closed" in reason and "motion to reopen" in reason


def test_conflict_warns_the_debtors_attorney(demo, setup):
    """The debtor's own attorney filing against the debtor is warned (not refused)."""
    from dockets.filing.rules import blocking, filing_problems

    problems = filing_problems(
        _check(
            setup,
            demo.users["attorney"],
            ["nmrp"],
            parties=[setup.bank],
            against=[setup.debtor],
            documents=[{"main": True}],
            fields={
                "property_type": "Real Property",
                "objection_deadline": "2099-12-10",
            },
        )
    )
    assert blocking(problems) == []
    (warning,) = problems
    assert warning.warning and "You represent Maria L. Gonzalez" in warning.message


# -- The wizard: step links and forged POSTs ----------------------------------------


def _motion_without_details(client, demo, setup, start_draft, pdf):
    from dockets.models import Event

    client.force_login(demo.users["attorney2"])
    draft = start_draft(client, setup.case)
    client.post(url(draft, "events"), {"events": [Event.objects.get(code="nmrp").pk]})
    client.post(
        url(draft, "parties"),
        {"parties": [setup.bank.pk], "against": [setup.debtor.pk]},
    )
    client.post(url(draft, "documents"), {"main": pdf(), "upload": "1"})
    return draft


def test_step_link_cannot_skip_the_details(client, demo, setup, start_draft, pdf):
    """'Review and submit' from the step list goes back to Details, naming what is missing."""
    draft = _motion_without_details(client, demo, setup, start_draft, pdf)
    response = client.get(url(draft, "review"), follow=True)
    assert response.redirect_chain[-1][0] == url(draft, "fields")
    body = response.content.decode()
    assert "Fill in \u201cRelief sought\u201d." in body
    assert "Finish \u201cDetails\u201d before you go on" in body


def test_forged_submit_files_nothing(client, demo, setup, start_draft, pdf):
    """A POST straight to the review's submit is refused; no entry, no fee."""
    from dockets.models import DocketEntry, Payment

    draft = _motion_without_details(client, demo, setup, start_draft, pdf)
    response = client.post(
        url(draft, "review"), {"submit": "1", "acknowledged": "on"}, follow=True
    )
    assert "Fill in \u201cRelief sought\u201d." in response.content.decode()
    assert not DocketEntry.objects.filter(event__code="nmrp").exists()
    assert not Payment.objects.exists()


def test_forged_post_to_a_later_step_saves_nothing(client, demo, setup, start_draft):
    """A POST to Fee before Parties is answered is sent back to Parties and not stored."""
    from dockets.models import Event

    client.force_login(demo.users["attorney2"])
    draft = start_draft(client, setup.case)
    client.post(url(draft, "events"), {"events": [Event.objects.get(code="nmrp").pk]})
    response = client.post(url(draft, "fee"), {"pay": "later"})
    assert response["Location"] == url(draft, "parties")
    draft.refresh_from_db()
    assert "pay" not in draft.state


def test_conflict_needs_acknowledgement_at_review(
    client, demo, setup, start_draft, pdf
):
    """The debtor's attorney sees the conflict at review and cannot file without ticking it."""
    from dockets.models import DocketEntry, Event

    client.force_login(demo.users["attorney"])
    draft = start_draft(client, setup.case)
    client.post(url(draft, "events"), {"events": [Event.objects.get(code="nmrp").pk]})
    client.post(
        url(draft, "parties"),
        {"parties": [setup.bank.pk], "against": [setup.debtor.pk]},
    )
    text = (
        "In re: Maria L. Gonzalez\nMOTION FOR RELIEF\n/s/ Dana M. Whitaker\n"
        "Dana M. Whitaker, Counsel for Coastal Federal Credit Union"
    )
    client.post(url(draft, "documents"), {"main": pdf(text=text), "upload": "1"})
    client.post(url(draft, "related"), {"next": "1"})
    client.post(
        url(draft, "fields"),
        {"property_type": "Real Property", "objection_deadline": "2099-12-10"},
    )
    client.post(url(draft, "fee"), {"pay": "later"})
    page = client.get(url(draft, "review")).content.decode()
    assert "You represent Maria L. Gonzalez in this case" in page
    client.post(url(draft, "review"), {"submit": "1"})
    assert not DocketEntry.objects.filter(event__code="nmrp").exists()
    client.post(url(draft, "review"), {"submit": "1", "acknowledged": "on"})
    assert DocketEntry.objects.filter(event__code="nmrp").exists()


@pytest.mark.parametrize("who", ["attorney", "agent"])
def test_conflict_is_shown_at_the_parties_step_at_once(
    client, demo, setup, start_draft, who
):
    """The debtor's attorney (or an agent filing for that attorney) choosing the debtor
    as the party against is warned on the Parties step itself; the choices are kept,
    and ticking the check goes on to Documents."""
    from dockets.models import Event

    client.force_login(demo.users[who])
    extra = {"principal": demo.users["attorney"].pk} if who == "agent" else {}
    draft = start_draft(client, setup.case, **extra)
    client.post(url(draft, "events"), {"events": [Event.objects.get(code="nmrp").pk]})
    chosen = {"parties": [setup.bank.pk], "against": [setup.debtor.pk]}
    response = client.post(url(draft, "parties"), chosen)
    page = response.content.decode()
    assert response.status_code == 200
    assert "You represent Maria L. Gonzalez in this case" in page
    assert 'name="conflict_ok"' in page
    draft.refresh_from_db()
    assert draft.state["against_ids"] == [setup.debtor.pk]
    # Coming back to the step shows it again; confirming continues.
    assert (
        "You represent Maria L. Gonzalez"
        in client.get(url(draft, "parties")).content.decode()
    )
    response = client.post(url(draft, "parties"), {**chosen, "conflict_ok": "1"})
    assert response["Location"] == url(draft, "documents")


def test_no_conflict_warning_for_an_unrelated_attorney(
    client, demo, setup, start_draft
):
    from dockets.models import Event

    client.force_login(demo.users["attorney2"])
    draft = start_draft(client, setup.case)
    client.post(url(draft, "events"), {"events": [Event.objects.get(code="nmrp").pk]})
    response = client.post(
        url(draft, "parties"),
        {"parties": [setup.bank.pk], "against": [setup.debtor.pk]},
    )
    assert response["Location"] == url(draft, "documents")


# -- The API asks the same rule book ------------------------------------------------


@pytest.fixture
def bearer():
    from dockets.api.services import create_api_token

    def headers(user):
        _row, secret = create_api_token(
            user=user, name="Test software", scopes=["read", "file"], days=30
        )
        return {"Authorization": f"Bearer {secret}"}

    return headers


def test_api_missing_party_against_is_refused_with_the_rule_books_words(
    client, demo, setup, bearer, pdf
):
    from dockets.filing.models import Draft
    from dockets.models import DocketEntry

    response = client.post(
        f"/api/v1/cases/{setup.case.pk}/filings",
        data={
            "events": ["nmrp"],
            "party_ids": [str(setup.bank.pk)],
            "fields": json.dumps(
                {"property_type": "Real Property", "objection_deadline": "2099-12-10"}
            ),
            "main": pdf(),
        },
        headers=bearer(demo.users["attorney2"]),
    )
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["message"] == "Choose the party this filing is against."
    assert error["fields"] == {
        "against_ids": "Choose the party this filing is against."
    }
    assert not DocketEntry.objects.filter(event__code="nmrp").exists()
    assert not Draft.objects.exists()


def test_api_bad_detail_is_refused(client, demo, setup, bearer, pdf):
    response = client.post(
        f"/api/v1/cases/{setup.case.pk}/filings",
        data={
            "events": ["nmrp"],
            "party_ids": [str(setup.bank.pk)],
            "against_ids": [str(setup.debtor.pk)],
            "fields": json.dumps(
                {"property_type": "Real Property", "objection_deadline": "tomorrow"}
            ),
            "main": pdf(),
        },
        headers=bearer(demo.users["attorney2"]),
    )
    assert response.status_code == 422
    assert "fields.objection_deadline" in response.json()["error"]["fields"]


# -- The clerk's docketing ------------------------------------------------------------


def test_clerk_cannot_docket_an_ordinary_court_event_in_a_closed_case(demo, setup):
    from cases.models import Case
    from core.errors import UserFacingError
    from dockets.clerk.services import check_event_fits
    from dockets.models import Event

    Case.objects.filter(pk=setup.case.pk).update(status=Case.Status.CLOSED)
    setup.case.refresh_from_db()
    check_event_fits(Event.objects.get(code="reopcs"), setup.case, court=True)
    with pytest.raises(UserFacingError, match="is closed"):
        check_event_fits(Event.objects.get(code="close"), setup.case, court=True)


# -- Uploads ----------------------------------------------------------------------------


def test_checker_outage_is_a_clear_message(
    client, demo, setup, start_draft, pdf, monkeypatch
):
    """When no sandbox child can start, the filer reads why and nothing is kept (no 500)."""
    from dockets.models import Event

    client.force_login(demo.users["attorney2"])
    draft = start_draft(client, setup.case)
    client.post(url(draft, "events"), {"events": [Event.objects.get(code="nmrp").pk]})
    client.post(
        url(draft, "parties"),
        {"parties": [setup.bank.pk], "against": [setup.debtor.pk]},
    )
    monkeypatch.setattr(sys, "executable", "")
    response = client.post(url(draft, "documents"), {"main": pdf(), "upload": "1"})
    assert response.status_code == 200
    assert "could not be checked just now" in response.content.decode()
    draft.refresh_from_db()
    assert not draft.state.get("documents")


def test_uncertified_filer_sees_the_next_step_not_filing_links(client, demo):
    """A registrant still in training is pointed to training, not to dead-end filing pages."""
    user = demo.users["trainee"]
    assert user.filer.status == "pending"
    client.force_login(user)
    home = client.get(reverse("core:home")).content.decode()
    assert f'href="{reverse("filers:status")}">Your next step<' in home
    assert ">File a document<" not in home
    page = client.get(reverse("dockets:filing-start")).content.decode()
    assert "Your next step:" in page and reverse("training:exercises") in page


def test_a_stranger_cannot_file_for_a_represented_debtor(demo, setup):
    """Filing for the debtor never makes another attorney its attorney of record: only
    the attorney of record (or the first attorney of an unrepresented debtor) may."""
    from dockets.filing.rules import filing_problems

    stranger = filing_problems(
        _check(setup, demo.users["attorney2"], ["extime"], parties=[setup.debtor])
    )
    assert "party_not_yours" in _codes(stranger)
    assert "not the attorney of record for Maria L. Gonzalez" in " ".join(
        p.message for p in stranger
    )
    own = filing_problems(
        _check(setup, demo.users["attorney"], ["extime"], parties=[setup.debtor])
    )
    assert "party_not_yours" not in _codes(own)
    unrepresented = filing_problems(_other_case_check(setup, demo.users["attorney2"]))
    assert "party_not_yours" not in _codes(unrepresented)


def _other_case_check(setup, user):
    from dockets.filing.rules import FilingCheck
    from dockets.models import Event

    return FilingCheck(
        user=user,
        principal=user,
        case=setup.other_case,
        events=[Event.objects.get(code="extime")],
        parties=[setup.other_party],
    )
