"""The filing wizard through its real views: steps, docket text, documents, double submits."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def url(draft, step: str) -> str:
    return reverse("dockets:filing-step", kwargs={"draft_id": draft.pk, "step": step})


def test_relief_motion_is_filed_with_the_cmecf_docket_text(
    client, demo, setup, file_relief_motion
):
    """An attorney files a relief-from-stay motion with two attachments referring to the petition."""
    from dockets.models import DocketEntry, Payment

    client.force_login(demo.users["attorney2"])
    draft, response = file_relief_motion(client, setup)
    entry = DocketEntry.objects.get(case=setup.case, event__code="nmrp")
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "dockets:filing-receipt", kwargs={"entry_id": entry.pk}
    )
    assert entry.number == 2  # the petition is 1
    assert entry.text == (
        "Motion for Relief from Stay, Real Property: 4120 Ocean View Blvd. "
        "Objections due by 12/10/2099. "
        "Filed by Marcus Lee on behalf of Coastal Federal Credit Union. "
        "(RE: related document(s) 1 Chapter 7 Voluntary Petition for Individuals) "
        "(Attachments: # 1 Exhibit A Deed of Trust # 2 Proposed Order) Fee Amount $199"
    )
    assert list(entry.documents.values_list("description", flat=True)) == [
        "Main Document",
        "Exhibit A Deed of Trust",
        "Proposed Order",
    ]
    assert list(entry.against_parties.all()) == [setup.debtor]
    assert entry.fee_status == DocketEntry.FeeStatus.DUE
    assert Payment.objects.get(entry=entry).amount_cents == 19900
    assert draft.status == "submitted"
    # The event's fields reach the case: its objection deadline is set (dockets.case_events).
    assert setup.case.deadlines.filter(
        kind="objection", due=dt.date(2099, 12, 10)
    ).exists()
    receipt = client.get(response["Location"])
    assert receipt.status_code == 200
    body = receipt.content.decode()
    assert "Notice of Electronic Filing" in body
    assert entry.text in body
    assert "Fee due: $199" in body
    mailed = body.split("Notice will be electronically mailed to:")[1].split(
        "Notice will not be"
    )[0]
    assert (
        "Dana M. Whitaker on behalf of Debtor Maria L. Gonzalez" in mailed
    )  # the debtor's attorney


def test_filed_documents_keep_the_original_bytes_and_digest(
    client, demo, setup, pdf, file_relief_motion
):
    """The stored original is byte for byte the upload, and its SHA-512 is recorded."""
    from dockets.models import DocketEntry

    upload = pdf()
    data = upload.read()
    upload.seek(0)
    client.force_login(demo.users["attorney2"])
    file_relief_motion(client, setup, attachments=(), main=upload)
    document = DocketEntry.objects.get(event__code="nmrp").documents.get(sequence=0)
    with document.original.open("rb") as fh:
        stored = fh.read()
    assert stored == data
    assert document.sha512 == hashlib.sha512(data).hexdigest()
    assert document.original_filename == "motion.pdf"


def test_double_submit_files_once(client, demo, setup, file_relief_motion):
    """Submitting the review screen twice (a second click, a reload) files one entry."""
    from dockets.models import DocketEntry

    client.force_login(demo.users["attorney2"])
    draft, first = file_relief_motion(client, setup, attachments=())
    again = client.post(url(draft, "review"), {"submit": "1", "acknowledged": "on"})
    assert again.status_code == 302
    assert again["Location"] == first["Location"]
    assert DocketEntry.objects.filter(case=setup.case, event__code="nmrp").count() == 1


def test_nothing_is_filed_before_the_final_submit(
    client, demo, setup, pdf, start_draft
):
    """Walking the steps writes no entry, document or party until the review is submitted."""
    from cases.models import Party
    from dockets.models import DocketEntry, Document, Event

    client.force_login(demo.users["attorney2"])
    before = (
        DocketEntry.objects.count(),
        Document.objects.count(),
        Party.objects.count(),
    )
    draft = start_draft(client, setup.case)
    client.post(url(draft, "events"), {"events": [Event.objects.get(code="nmrp").pk]})
    client.post(
        url(draft, "parties"),
        {
            "new_party_name": "Wells Fargo Bank, N.A.",
            "new_party_role": "creditor",
            "against": [setup.debtor.pk],
        },
    )
    client.post(url(draft, "documents"), {"main": pdf(), "upload": "1"})
    client.post(url(draft, "related"), {"next": "1"})
    client.post(
        url(draft, "fields"),
        {"property_type": "Real Property", "objection_deadline": "2099-12-10"},
    )
    assert (
        DocketEntry.objects.count(),
        Document.objects.count(),
        Party.objects.count(),
    ) == before
    review = client.get(url(draft, "review"))
    assert "Wells Fargo Bank, N.A. (new party)" in review.content.decode()


def test_going_back_keeps_answers_and_uploads(client, demo, setup, pdf, start_draft):
    """Back returns to a step with its answers; an uploaded file is not asked for again."""
    from dockets.models import Event

    client.force_login(demo.users["attorney2"])
    draft = start_draft(client, setup.case)
    client.post(url(draft, "events"), {"events": [Event.objects.get(code="nmrp").pk]})
    client.post(
        url(draft, "parties"),
        {"parties": [setup.bank.pk], "against": [setup.debtor.pk]},
    )
    client.post(url(draft, "documents"), {"main": pdf(), "next": "1"})
    back = client.post(url(draft, "related"), {"back": "1"})
    assert back["Location"] == url(draft, "documents")
    page = client.get(url(draft, "documents")).content.decode()
    assert "motion.pdf" in page
    assert client.post(url(draft, "documents"), {"next": "1"})["Location"] == url(
        draft, "related"
    )
    parties = client.get(url(draft, "parties")).content.decode()
    assert f'value="{setup.bank.pk}"' in parties
    assert "checked" in parties.split(f'value="{setup.bank.pk}"')[1].split(">")[0]


def test_forged_party_from_another_case_is_refused(client, demo, setup, start_draft):
    """A party id of another case in the POST is refused with a message, and nothing is saved."""
    from dockets.models import Event

    client.force_login(demo.users["attorney2"])
    draft = start_draft(client, setup.case)
    client.post(url(draft, "events"), {"events": [Event.objects.get(code="nmrp").pk]})
    response = client.post(
        url(draft, "parties"),
        {"parties": [setup.other_party.pk], "against": [setup.debtor.pk]},
    )
    assert response.status_code == 200
    assert "That choice is not available in this case" in response.content.decode()
    draft.refresh_from_db()
    assert "party_ids" not in draft.state
    # Both lists are read in one statement (forms.ReadAheadMultipleChoice): each
    # forged value, in either list, is still refused and nothing is saved.
    gone = setup.case.parties.create(
        role="creditor", name="Gone Creditor LLC", terminated_on="2026-01-02"
    )
    bank, debtor = str(setup.bank.pk), str(setup.debtor.pk)
    for forged in (
        str(gone.pk),
        str(setup.other_party.pk),
        "abc",
        "0" + bank,
        "99999999999999999999",
        "-1",
        "\u0663",
    ):
        for data in (
            {"parties": [bank, forged], "against": [debtor]},
            {"parties": [bank], "against": [forged]},
        ):
            response = client.post(url(draft, "parties"), data)
            assert response.status_code == 200, (forged, data)
            page = response.content.decode()
            assert "That choice is not available in this case" in page, forged
            draft.refresh_from_db()
            assert "party_ids" not in draft.state
    ok = client.post(url(draft, "parties"), {"parties": [bank], "against": [debtor]})
    assert ok.status_code == 302
    draft.refresh_from_db()
    assert draft.state["party_ids"] == [setup.bank.pk]
    assert draft.state["against_ids"] == [setup.debtor.pk]


def test_forged_or_retired_events_are_refused(client, demo, setup, start_draft):
    """The events step checks the posted events against one read of the active ones
    (forms.ReadAheadMultipleChoice): a retired event, one the role may not file and
    garbage are each refused with a message, and nothing is saved."""
    from dockets.models import Event

    client.force_login(demo.users["attorney2"])
    draft = start_draft(client, setup.case)
    motion = Event.objects.get(code="nmrp")
    retired = Event.objects.get(code="objt")
    Event.objects.filter(pk=retired.pk).update(active=False)
    court_only = Event.objects.get(code="hrgset")
    for forged in (str(retired.pk), str(court_only.pk), "abc", "0" + str(motion.pk)):
        response = client.post(url(draft, "events"), {"events": [motion.pk, forged]})
        assert response.status_code == 200, forged
        assert "That choice is not available in this case" in response.content.decode()
        draft.refresh_from_db()
        assert "event_ids" not in draft.state
    assert client.post(url(draft, "events"), {"events": [motion.pk]}).status_code == 302
    draft.refresh_from_db()
    assert draft.state["event_ids"] == [motion.pk]


def test_forged_related_entry_from_another_case_is_refused(
    client, demo, setup, pdf, start_draft
):
    """An earlier entry of another case cannot be referred to."""
    from dockets.models import Event

    client.force_login(demo.users["attorney"])
    other_entry = _entry_in(setup.other_case, demo.users["attorney"])
    draft = start_draft(client, setup.case)
    client.post(url(draft, "events"), {"events": [Event.objects.get(code="objt").pk]})
    client.post(url(draft, "parties"), {"parties": [setup.debtor.pk]})
    client.post(url(draft, "documents"), {"main": pdf(), "next": "1"})
    response = client.post(url(draft, "related"), {"related": [other_entry.pk]})
    assert response.status_code == 200
    assert "That choice is not available in this case" in response.content.decode()


def _entry_in(case, filer):
    from django.db import transaction

    from dockets.models import DocketEntry, Event
    from dockets.services import FilingRequest, create_entry, lock_case

    with transaction.atomic():
        locked = lock_case(case.pk)
        return create_entry(
            FilingRequest(
                case=locked,
                events=[Event.objects.get(code="volp13")],
                filer=filer,
                fee_status=DocketEntry.FeeStatus.PAID,
            ),
            case=locked,
        )


def test_text_only_event_skips_documents_and_files_without_pdf(
    client, demo, setup, start_draft
):
    """A request for courtesy NEFs has no PDF: it files as a numbered, text-only entry."""
    from dockets.models import DocketEntry, Event

    event = Event.objects.get(code="crtnef")
    client.force_login(demo.users["attorney"])
    draft = start_draft(client, setup.case)
    r = client.post(url(draft, "events"), {"events": [event.pk]})
    assert r["Location"] == url(draft, "parties")
    r = client.post(url(draft, "parties"), {"parties": [setup.debtor.pk]})
    assert r["Location"] == url(draft, "related")
    r = client.post(url(draft, "related"), {})
    assert r.status_code == 302, r.content.decode()[-3000:]
    assert r["Location"] == url(draft, "fee")
    assert client.post(url(draft, "fee"), {"pay": "later"})["Location"] == url(
        draft, "review"
    )
    done = client.post(url(draft, "review"), {"submit": "1", "acknowledged": "on"})
    entry = DocketEntry.objects.get(case=setup.case, event=event)
    assert done["Location"] == reverse(
        "dockets:filing-receipt", kwargs={"entry_id": entry.pk}
    )
    assert entry.documents.count() == 0
    assert entry.number == 2
    assert "None (text-only entry)" in client.get(done["Location"]).content.decode()


def test_clerk_dockets_an_unnumbered_hearing_set(client, demo, setup, start_draft):
    """A court event such as Hearing Set is unnumbered: it has a place on the docket but no number."""
    from dockets.models import DocketEntry, Event

    event = Event.objects.get(code="hrgset")
    client.force_login(demo.users["clerk"])
    draft = start_draft(client, setup.case)
    client.post(url(draft, "events"), {"events": [event.pk]})
    assert client.post(url(draft, "parties"), {})["Location"] == url(draft, "related")
    refused = client.post(url(draft, "related"), {})
    assert "This filing must refer to an earlier entry" in refused.content.decode()
    r = client.post(url(draft, "related"), {"related": [setup.petition.pk]})
    assert r.status_code == 302, _boxes(r)
    r = client.post(
        url(draft, "fields"),
        {"hearing_0": "2099-01-15T10:00", "hearing_1": "Department 3"},
    )
    assert r.status_code == 302, _boxes(r)
    client.post(url(draft, "fee"), {"pay": "later"})
    done = client.post(url(draft, "review"), {"submit": "1"})
    assert done.status_code == 302, _boxes(done)
    entry = DocketEntry.objects.get(case=setup.case, event=event)
    assert entry.number is None
    assert entry.seq == 2
    assert "01/15/2099 at 10:00 AM at Department 3" in entry.text


def test_warnings_must_be_acknowledged_and_are_stored(
    client, demo, setup, pdf, file_relief_motion
):
    """A PDF without the debtor's name or a signature warns; the filer must tick the box; the entry keeps it."""
    from dockets.models import DocketEntry

    client.force_login(demo.users["attorney2"])
    unsigned = pdf(text="A motion about some property.\nNo names here.")
    draft, response = file_relief_motion(
        client, setup, attachments=(), main=unsigned, acknowledge=False
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "I have reviewed these warnings" in body
    assert "does not appear in this document" in body
    assert not DocketEntry.objects.filter(event__code="nmrp").exists()
    response = client.post(url(draft, "review"), {"submit": "1", "acknowledged": "on"})
    assert response.status_code == 302
    entry = DocketEntry.objects.get(event__code="nmrp")
    codes = {f["code"] for f in entry.findings}
    assert {"name_mismatch", "no_signature"} <= codes
    assert all(f["overridden"] for f in entry.findings)


def test_closed_case_lists_only_what_a_closed_case_accepts(
    client, demo, setup, start_draft
):
    """A closed case's events step offers the motion to reopen, not a relief motion, and says why."""
    from cases.models import Case

    client.force_login(demo.users["attorney"])
    Case.objects.filter(pk=setup.case.pk).update(status=Case.Status.CLOSED)
    setup.case.refresh_from_db()
    draft = start_draft(client, setup.case)
    page = client.get(url(draft, "events")).content.decode()
    assert "Motion to Reopen Chapter 7 Case" in page
    assert "Motion for Relief From Stay (Fee)" not in page
    assert "A closed case takes only a motion to reopen" in page


def test_closed_case_refusal_is_shown(client, demo, setup, start_draft):
    """An event chosen before the case closed is refused at review; nothing is filed."""
    from cases.models import Case
    from dockets.models import DocketEntry, Event

    client.force_login(demo.users["attorney2"])
    draft = start_draft(client, setup.case)
    client.post(url(draft, "events"), {"events": [Event.objects.get(code="nmrp").pk]})
    Case.objects.filter(pk=setup.case.pk).update(status=Case.Status.CLOSED)
    response = client.post(url(draft, "review"), {"submit": "1"}, follow=True)
    body = response.content.decode()
    assert "cannot be filed in it. A closed case takes only" in body
    assert response.redirect_chain[-1][0].endswith("/events/")
    assert not DocketEntry.objects.filter(event__code="nmrp").exists()


def test_filing_clock_on_every_step(client, demo, setup, start_draft):
    """Each wizard screen shows the court time now and the date the filing will carry."""
    client.force_login(demo.users["attorney2"])
    draft = start_draft(client, setup.case)
    page = client.get(url(draft, "events")).content.decode()
    assert "Court time now:" in page and "This filing will be dated" in page


def test_event_search_by_keyword_and_form_number(client, demo, setup, start_draft):
    """The event list narrows by keyword or form number, and by category."""
    client.force_login(demo.users["attorney"])
    draft = start_draft(client, setup.case)
    page = client.get(url(draft, "events"), {"q": "relief from stay"}).content.decode()
    assert "Motion for Relief From Stay (Fee)" in page
    assert "Objection to Confirmation" not in page
    page = client.get(url(draft, "events"), {"q": "423"}).content.decode()
    assert "Financial Management Course Certification" in page
    page = client.get(url(draft, "events"), {"category": "response"}).content.decode()
    assert "Objection" in page and "Motion for Relief From Stay" not in page


def _boxes(response) -> str:
    """The error and warning boxes of a page, for assertion messages."""
    import re

    return " | ".join(
        re.findall(
            r'class="(?:error-box|warning-box|errorlist)"[^>]*>(.*?)</(?:div|ul)>',
            response.content.decode(),
            re.S,
        )
    )


def test_multi_relief_joint_motion_in_alphabetical_order(
    client, demo, setup, pdf, start_draft
):
    """Two reliefs in one entry (alphabetical, as CM/ECF does) filed jointly with another attorney."""
    from cases.models import Representation
    from dockets.models import DocketEntry, Event

    sell, dismiss = Event.objects.get(code="sell"), Event.objects.get(code="dismis")
    client.force_login(demo.users["attorney"])
    draft = start_draft(client, setup.case)
    client.post(url(draft, "events"), {"events": [sell.pk, dismiss.pk]})
    r = client.post(
        url(draft, "parties"),
        {
            "parties": [setup.bank.pk],
            "joint": "on",
            "joint_attorneys": [demo.users["attorney2"].pk],
        },
    )
    assert r.status_code == 302, _boxes(r)
    client.post(url(draft, "documents"), {"main": pdf(), "next": "1"})
    client.post(url(draft, "related"), {})
    page = client.get(url(draft, "fields")).content.decode()
    assert page.count('name="objection_deadline"') == 1  # a shared field is asked once
    from dockets.filing import wizard

    chosen = sorted(
        [sell, dismiss], key=lambda e: e.name
    )  # as the events step keeps them
    spec = {s["name"]: s for s in wizard.field_specs(chosen)}
    default = wizard.today_plus(spec["objection_deadline"]["default_days"])
    assert (
        f'value="{default}"' in page
    )  # the catalogue's default, on the court calendar
    r = client.post(
        url(draft, "fields"),
        {"property": "2019 Toyota Camry", "objection_deadline": "2099-03-01"},
    )
    assert r.status_code == 302, _boxes(r)
    client.post(url(draft, "fee"), {"pay": "later"})
    done = client.post(url(draft, "review"), {"submit": "1", "acknowledged": "on"})
    assert done.status_code == 302, _boxes(done)
    entry = DocketEntry.objects.get(case=setup.case, event=dismiss)
    assert list(entry.extra_events.all()) == [sell]
    assert entry.text.startswith(
        "Motion to Dismiss Case. Objections due by 03/01/2099; Motion to Sell Property Free and Clear of Liens "
        "under Section 363(f): 2019 Toyota Camry. Objections due by 03/01/2099. "
        "Filed by Dana M. Whitaker, Marcus Lee on behalf of Coastal Federal Credit Union."
    )
    assert entry.text.endswith("Fee Amount $199")
    # The first filing for a client makes the attorney-client association (cmecf.md 3.2 step 6).
    assert Representation.objects.filter(
        case=setup.case, party=setup.bank, attorney=demo.users["attorney"]
    ).exists()


def test_receipt_is_private_to_the_filer(client, demo, setup, file_relief_motion):
    """Another attorney gets the same 404 for someone else's receipt as for a missing one."""
    client.force_login(demo.users["attorney2"])
    _draft, response = file_relief_motion(client, setup, attachments=())
    receipt = response["Location"]
    assert client.get(receipt).status_code == 200
    client.force_login(demo.users["attorney"])
    assert client.get(receipt).status_code == 404
    client.force_login(demo.users["clerk"])
    assert client.get(receipt).status_code == 200


def test_filing_writes_an_audit_event(client, demo, setup, file_relief_motion):
    from core.models import AuditEvent
    from dockets.models import DocketEntry

    client.force_login(demo.users["attorney2"])
    file_relief_motion(client, setup, attachments=())
    entry = DocketEntry.objects.get(event__code="nmrp")
    event = AuditEvent.objects.get(
        action="dockets.entry.filed", target_id=str(entry.pk)
    )
    assert event.after["number"] == 2
    assert event.actor == demo.users["attorney2"]


def test_filed_date_and_receipt_times_are_court_local(client, demo, setup, start_draft):
    """At 02:30 UTC it is still the evening before in San Diego: the filing carries that date."""
    import time_machine

    from dockets.models import DocketEntry, Event

    client.force_login(demo.users["attorney"])
    with time_machine.travel(
        dt.datetime(2026, 11, 26, 2, 30, tzinfo=dt.UTC), tick=False
    ):
        client.force_login(demo.users["attorney"])
        draft = start_draft(client, setup.case)
        page = client.get(url(draft, "events")).content.decode()
        assert "11/25/2026 06:30 PM PST" in page
        client.post(
            url(draft, "events"), {"events": [Event.objects.get(code="crtnef").pk]}
        )
        client.post(url(draft, "parties"), {"parties": [setup.debtor.pk]})
        client.post(url(draft, "related"), {})
        client.post(url(draft, "fee"), {"pay": "later"})
        done = client.post(url(draft, "review"), {"submit": "1"})
        receipt = client.get(done["Location"]).content.decode()
    entry = DocketEntry.objects.get(case=setup.case, event__code="crtnef")
    assert entry.filed_date == dt.date(2026, 11, 25)
    assert "entered on 11/25/2026 at 6:30 PM PST and filed on 11/25/2026" in receipt


def test_final_submit_asks_the_rule_book_once(
    client, demo, setup, file_relief_motion, monkeypatch
):
    """The review page's verdict is the one the submit files under: the rule book
    (and its queries) runs once for the final submit, not again inside it."""
    from dockets.filing import rules, services

    verdicts = []
    real = rules.filing_problems

    def counted(check):
        verdicts.append(check)
        return real(check)

    monkeypatch.setattr(services.rules, "filing_problems", counted)
    client.force_login(demo.users["attorney2"])
    draft_id = []
    real_submit = services.submit_draft

    def submit(**kwargs):
        draft_id.append(kwargs["draft"].pk)
        verdicts.clear()  # count from the final submit's own request only
        return real_submit(**kwargs)

    monkeypatch.setattr(services, "submit_draft", submit)
    _draft, response = file_relief_motion(client, setup, attachments=())
    assert response.status_code == 302 and draft_id
    assert verdicts == []


def test_the_receipt_reads_what_the_orm_reads(
    client, demo, setup, file_relief_motion, django_assert_max_num_queries
):
    """The receipt's documents and latest payment are compiled reads
    (views.receipts): the same rows as entry.documents and entry.payments, in order;
    the receipt lists every document and asks for the latest payment."""
    from testkit import assert_same_object

    from dockets.filing.views.receipts import _DOCUMENTS, _LAST_PAYMENT
    from dockets.models import DocketEntry, Payment

    client.force_login(demo.users["attorney2"])
    file_relief_motion(client, setup)
    entry = DocketEntry.objects.get(case=setup.case, event__code="nmrp")
    first = Payment.objects.get(entry=entry)
    Payment.objects.filter(pk=first.pk).update(status=Payment.Status.FAILED)
    latest = Payment.objects.create(
        entry=entry, payer=first.payer, amount_cents=first.amount_cents
    )
    documents = _DOCUMENTS.all(entry.pk)
    assert len(documents) == 3
    for row, orm_row in zip(documents, entry.documents.all(), strict=True):
        assert_same_object(row, orm_row)
    payment = _LAST_PAYMENT.first(entry.pk)
    assert payment is not None and payment.pk == latest.pk
    assert_same_object(payment, entry.payments.order_by("-id").first())
    with django_assert_max_num_queries(
        10
    ):  # as with one document (no read per document)
        page = client.get(
            reverse("dockets:filing-receipt", kwargs={"entry_id": entry.pk})
        ).content.decode()
    for document in documents:
        assert f"FileNumber={document.file_number}]" in page
    assert "Pay now" in page
