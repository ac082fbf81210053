"""The clerk's and judge's screens through the real views: who may open them, and what
each form does (or refuses, changing nothing)."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.urls import reverse
from pdfmaker import make_pdf

from core import clock
from dockets.clerk.models import Deficiency
from dockets.models import DocketEntry, Document, Visibility

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "public",
    "attorney",
    "attorney2",
    "agent",
    "creditor",
    "trustee",
    "ustrustee",
    "reporter",
    "clerk",
    "judge",
]


def _login(client, users, role):
    client.logout()
    if role != "anonymous":
        client.force_login(users[role])
    return client


def _pages(world, entry):
    document = entry.documents.first()
    return {
        "clerk": [
            reverse("dockets:qc-queue"),
            reverse("dockets:clerk-dashboard"),
            reverse("dockets:entry-correct", kwargs={"entry_id": entry.pk}),
            reverse("dockets:entry-visibility", kwargs={"entry_id": entry.pk}),
            reverse("dockets:document-visibility", kwargs={"document_id": document.pk}),
            reverse("dockets:deficiency-new", kwargs={"case_id": world.case.pk}),
            reverse("dockets:deficiency-report"),
            reverse("dockets:court-event", kwargs={"case_id": world.case.pk}),
            reverse("dockets:court-event", kwargs={"case_id": world.case.pk})
            + "?event=hrgset",
            reverse("dockets:paper-filing", kwargs={"case_id": world.case.pk}),
            reverse("dockets:paper-filing", kwargs={"case_id": world.case.pk})
            + "?event=ntcapr",
            reverse("dockets:audit-case", kwargs={"case_id": world.case.pk}),
            reverse(
                "dockets:audit-user", kwargs={"user_id": world.users["attorney"].pk}
            ),
        ],
        "judge": [reverse("dockets:orders-to-sign")],
    }


@pytest.mark.parametrize("role", ROLES)
def test_clerk_and_judge_pages_are_404_for_everyone_else(
    role, world, file_entry, client
):
    """Each clerk page opens for the clerk and each chambers page for the judge; every other
    user (and anyone logged out) gets the same 404 as a page that does not exist."""
    entry = file_entry(
        world.case, "msj", world.users["attorney"], attachments=["Proposed Order"]
    )
    _login(client, world.users, role)
    for owner, urls in _pages(world, entry).items():
        for url in urls:
            response = client.get(url)
            if role == "anonymous":
                assert response.status_code in (302, 404), url
                continue
            expected = 200 if role == owner else 404
            assert response.status_code == expected, (role, url, response.status_code)


def test_missing_objects_are_404_for_the_clerk(world, client):
    client.force_login(world.users["clerk"])
    for url in (
        reverse("dockets:entry-correct", kwargs={"entry_id": 999999}),
        reverse("dockets:document-visibility", kwargs={"document_id": 999999}),
        reverse("dockets:deficiency-new", kwargs={"case_id": 999999}),
        reverse("dockets:audit-user", kwargs={"user_id": 999999}),
        reverse("dockets:qc-document", kwargs={"document_id": 999999}),
    ):
        assert client.get(url).status_code == 404


def test_qc_queue_lists_oldest_first_with_findings_and_pages_by_keyset(
    world, file_entry, client, django_assert_max_num_queries
):
    attorney = world.users["attorney"]
    findings = [
        {
            "code": "ssn",
            "message": "Page 1 may show a full Social Security number.",
            "page": 1,
            "overridden": True,
        }
    ]
    entries = [
        file_entry(world.case, "msj", attorney, findings=findings if i == 0 else [])
        for i in range(30)
    ]
    client.force_login(world.users["clerk"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("dockets:qc-queue"))
    html = response.content.decode()
    assert "Page 1 may show a full Social Security number." in html
    assert "the filer saw this and went on" in html
    assert html.index(f"#{entries[0].number} ") < html.index(f"#{entries[1].number} ")
    assert f"#{entries[25].number} " not in html
    next_url = response.context["next_url"]
    second = client.get(reverse("dockets:qc-queue") + next_url).content.decode()
    assert (
        f"#{entries[25].number} " in second and f"#{entries[0].number} " not in second
    )


def test_qc_filters_by_judge_and_event(world, file_entry, client):
    attorney = world.users["attorney"]
    file_entry(world.case, "msj", attorney)
    other = file_entry(world.other_case, "mseal", attorney)
    client.force_login(world.users["clerk"])
    page = client.get(
        reverse("dockets:qc-queue"), {"judge": world.other_case.judge_id}
    ).context["page"]
    assert [e.pk for e in page.rows] == [other.pk]
    page = client.get(reverse("dockets:qc-queue"), {"event": "msj"}).context["page"]
    assert all(e.event.code == "msj" for e in page.rows) and page.rows


def test_qc_filters_by_case_number_and_event_words(world, file_entry, client):
    attorney = world.users["attorney"]
    mine = file_entry(world.case, "msj", attorney)
    file_entry(world.other_case, "mseal", attorney)
    client.force_login(world.users["clerk"])
    number = world.case.display_number
    page = client.get(reverse("dockets:qc-queue"), {"case": number}).context["page"]
    assert {e.case_id for e in page.rows} == {world.case.pk} and mine in page.rows
    page = client.get(
        reverse("dockets:qc-queue"), {"event": mine.event.name[:12]}
    ).context["page"]
    assert mine in page.rows
    page = client.get(reverse("dockets:qc-queue"), {"case": "not a number"})
    assert page.context["page"].rows == []


def test_mark_reviewed_through_the_queue_shows_the_reviewer(world, file_entry, client):
    entry = file_entry(world.case, "msj", world.users["attorney"])
    client.force_login(world.users["clerk"])
    response = client.post(
        reverse("dockets:qc-review", kwargs={"entry_id": entry.pk}), follow=True
    )
    assert response.status_code == 200
    entry.refresh_from_db()
    assert entry.qc_by == world.users["clerk"]
    reviewed = client.get(
        reverse("dockets:qc-queue"), {"status": "reviewed"}
    ).content.decode()
    assert "Reviewed by Alma D. Morales" in reviewed


def test_corrective_entry_through_the_view(world, file_entry, client):
    entry = file_entry(world.case, "msj", world.users["attorney"])
    client.force_login(world.users["clerk"])
    url = reverse("dockets:entry-correct", kwargs={"entry_id": entry.pk})
    response = client.post(
        url,
        {
            "action": "corrective",
            "corr-correction": "Counsel Must Refile",
            "corr-note": "",
        },
    )
    assert response.status_code == 302
    assert DocketEntry.objects.filter(
        case=world.case, text__startswith="CORRECTIVE ENTRY: Counsel Must Refile."
    ).exists()


def test_bad_input_changes_nothing(world, file_entry, client):
    """A blank reason, an unknown action, or a non-PDF each get a plain message; nothing changes."""
    entry = file_entry(world.case, "msj", world.users["attorney"])
    client.force_login(world.users["clerk"])
    url = reverse("dockets:entry-correct", kwargs={"entry_id": entry.pk})
    count = DocketEntry.objects.count()
    response = client.post(url, {"action": "entered_in_error", "eie-reason": ""})
    assert (
        response.status_code == 400
        and "This field is required." in response.content.decode()
    )
    response = client.post(url, {"action": "drop_table"}, follow=True)
    assert "Pick one of the corrections" in response.content.decode()
    not_pdf = dict(
        action="replace_document",
        **{"repl-document": entry.documents.get().pk, "repl-reason": "wrong"},
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    not_pdf["repl-upload"] = SimpleUploadedFile(
        "x.pdf", b"PK\x03\x04 this is a zip", content_type="application/pdf"
    )
    response = client.post(url, not_pdf)
    assert response.status_code == 400
    response = client.post(url, {"action": "move", "move-case_number": "not a number"})
    assert "That is not a case number" in response.content.decode()
    assert DocketEntry.objects.count() == count
    assert Document.objects.filter(entry=entry).count() == 1
    entry.refresh_from_db()
    assert not entry.entered_in_error


def test_replace_pdf_through_the_view(world, file_entry, client, tmp_path):
    entry = file_entry(world.case, "msj", world.users["attorney"], text="WRONG")
    client.force_login(world.users["clerk"])
    path = make_pdf(Path(tmp_path) / "right.pdf", text="RIGHT DOCUMENT")
    with path.open("rb") as fh:
        response = client.post(
            reverse("dockets:entry-correct", kwargs={"entry_id": entry.pk}),
            {
                "action": "replace_document",
                "repl-document": entry.documents.get().pk,
                "repl-upload": fh,
                "repl-reason": "Incorrect PDF",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert (
        entry.documents.count() == 2
        and entry.documents.filter(replaced=True).count() == 1
    )


def test_seal_through_the_view_and_document_access(world, file_entry, client):
    entry = file_entry(
        world.case, "msj", world.users["attorney"], attachments=["Exhibit A"]
    )
    client.force_login(world.users["clerk"])
    response = client.post(
        reverse("dockets:entry-visibility", kwargs={"entry_id": entry.pk}),
        {"visibility": "sealed", "reason": "Order #4"},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.visibility == Visibility.SEALED
    exhibit = entry.documents.order_by("sequence").last()
    response = client.post(
        reverse("dockets:document-visibility", kwargs={"document_id": exhibit.pk}),
        {
            "doc-document": exhibit.pk,
            "doc-visibility": "court",
            "doc-reason": "Court only",
        },
    )
    assert response.status_code == 302
    exhibit.refresh_from_db()
    assert exhibit.visibility == Visibility.COURT


def test_deficiency_through_the_view_and_report(world, file_entry, client):
    entry = file_entry(world.case, "msj", world.users["attorney"])
    client.force_login(world.users["clerk"])
    url = reverse("dockets:deficiency-new", kwargs={"case_id": world.case.pk})
    page = client.get(url, {"entry": entry.pk}).content.decode()
    assert (clock.today() + dt.timedelta(days=14)).isoformat() in page
    bad = client.post(
        url, {"event": "", "kind": "signature", "cure_by": clock.today().isoformat()}
    )
    assert bad.status_code == 400 and not Deficiency.objects.exists()
    from dockets.models import Event

    response = client.post(
        url,
        {
            "event": Event.objects.get(code="defntc").pk,
            "kind": "signature",
            "cure_by": (clock.today() + dt.timedelta(days=14)).isoformat(),
            "entry": entry.pk,
            "details": "",
        },
    )
    assert response.status_code == 302
    deficiency = Deficiency.objects.get()
    report = client.get(reverse("dockets:deficiency-report")).content.decode()
    assert "Missing signature" in report
    action = reverse(
        "dockets:deficiency-action", kwargs={"deficiency_id": deficiency.pk}
    )
    response = client.post(action, {"action": "escalate", "esc-event": "osc"})
    assert response.status_code == 400 and "needs" in response.content.decode()
    response = client.post(action, {"action": "cure"})
    deficiency.refresh_from_db()
    assert deficiency.status == Deficiency.Status.CURED


def test_court_event_through_the_view(world, file_entry, client):
    motion = file_entry(world.case, "msj", world.users["attorney"])
    client.force_login(world.users["clerk"])
    url = (
        reverse("dockets:court-event", kwargs={"case_id": world.case.pk})
        + "?event=hrgset"
    )
    when = (clock.today() + dt.timedelta(days=20)).isoformat() + "T10:00"
    response = client.post(
        url,
        {
            "f_hearing": when,
            "f_hearing_place": "Department 3",
            "related": [motion.pk],
            "note": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = DocketEntry.objects.get(case=world.case, event__code="hrgset")
    assert (
        "Hearing scheduled for" in entry.text
        and "at 10:00 AM at Department 3" in entry.text
    )


def test_paper_filing_through_the_view(world, client, tmp_path):
    client.force_login(world.users["clerk"])
    url = (
        reverse("dockets:paper-filing", kwargs={"case_id": world.case.pk})
        + "?event=ntcapr"
    )
    path = make_pdf(Path(tmp_path) / "scan.pdf", text="NOTICE OF APPEARANCE")
    with path.open("rb") as fh:
        response = client.post(
            url,
            {
                "party_name": "Sharp Memorial Hospital",
                "fee_status": "paid",
                "pdf": fh,
                "note": "",
            },
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = DocketEntry.objects.get(case=world.case)
    assert entry.entered_by == world.users["clerk"] and entry.text.endswith("(adm)")


def test_judge_signs_through_the_view(world, file_entry, client):
    motion = file_entry(
        world.case, "msj", world.users["attorney"], attachments=["Proposed Order"]
    )
    proposed = motion.documents.get(description="Proposed Order")
    client.force_login(world.users["judge"])
    listing = client.get(reverse("dockets:orders-to-sign")).content.decode()
    assert reverse("dockets:order-sign", kwargs={"document_id": proposed.pk}) in listing
    from dockets.models import Event

    response = client.post(
        reverse("dockets:order-sign", kwargs={"document_id": proposed.pk}),
        {"event": Event.objects.get(code="order").pk, "disposition": "Granting"},
    )
    assert response.status_code == 302
    order = DocketEntry.objects.get(case=world.case, event__code="order")
    assert order.text.startswith("Order Granting. Signed on")
    response = client.post(
        reverse("dockets:order-sign", kwargs={"document_id": proposed.pk}),
        {"event": Event.objects.get(code="order").pk, "disposition": "Granting"},
    )
    assert response.status_code == 400 and "already signed" in response.content.decode()


def test_audit_log_per_case_and_user_pages_by_keyset(
    world, file_entry, client, django_assert_max_num_queries
):
    entry = file_entry(world.case, "msj", world.users["attorney"])
    from dockets.clerk import services

    for i in range(3):
        services.modify_docket_text(
            entry=entry, clerk=world.users["clerk"], text=f"Motion, version {i}."
        )
    client.force_login(world.users["clerk"])
    with django_assert_max_num_queries(10):
        response = client.get(
            reverse("dockets:audit-case", kwargs={"case_id": world.case.pk})
        )
    html = response.content.decode()
    assert "dockets.entry.text_modified" in html and "Motion, version 2." in html
    user_page = client.get(
        reverse("dockets:audit-user", kwargs={"user_id": world.users["clerk"].pk})
    ).content.decode()
    assert "dockets.entry.text_modified" in user_page
    from dockets.clerk.selectors import audit_events

    first = audit_events(case=world.case, limit=2)
    second = audit_events(case=world.case, limit=2, before=int(first.next_cursor))
    assert first.rows[-1].pk > second.rows[0].pk


def test_dashboard_shows_the_numbers(world, file_entry, client):
    file_entry(world.case, "msj", world.users["attorney"])
    client.force_login(world.users["clerk"])
    html = client.get(reverse("dockets:clerk-dashboard")).content.decode()
    assert "Filings today" in html and "QC backlog" in html and "Notices failed" in html


def test_dashboard_finds_a_case_to_work_on(world, client):
    client.force_login(world.users["clerk"])
    url = reverse("dockets:clerk-dashboard")
    html = client.get(url, {"case_number": world.case.display_number}).content.decode()
    assert reverse("dockets:court-event", kwargs={"case_id": world.case.pk}) in html
    html = client.get(url, {"case_number": "99-99999"}).content.decode()
    assert "No case 99-99999 exists." in html


def test_paper_petition_through_the_view(world, client, tmp_path):
    from cases.models import Office

    client.force_login(world.users["clerk"])
    url = reverse("dockets:paper-petition")
    assert client.get(url).status_code == 200
    path = make_pdf(Path(tmp_path) / "petition.pdf", text="VOLUNTARY PETITION")
    form = {
        "office": Office.objects.get(court=world.case.court, number=3).pk,
        "chapter": "7",
        "name": "Rosa M. Alvarez",
        "tax_id": "12-3456789",
        "address": "1 Main St",
        "city": "San Diego",
        "state": "CA",
        "zip_code": "92101",
        "fee_status": "paid",
    }
    with path.open("rb") as fh:
        bad = client.post(url, {**form, "pdf": fh})
    assert bad.status_code == 400 and "This looks like an EIN" in bad.content.decode()
    with path.open("rb") as fh:
        response = client.post(url, {**form, "tax_id": "512-34-5678", "pdf": fh})
    assert response.status_code == 302, re.findall(
        r"(?s)errorlist.{0,300}", response.content.decode()
    )
    assert DocketEntry.objects.filter(case__title="Rosa M. Alvarez", number=1).exists()
    assert client.get(url).status_code == 200
    client.force_login(world.users["attorney"])
    assert client.get(url).status_code == 404


def test_odd_query_strings_never_break_a_page(world, file_entry, client):
    """Forged or stale parameters get the normal page (or a plain refusal), never a 500."""
    entry = file_entry(world.case, "msj", world.users["attorney"])
    client.force_login(world.users["clerk"])
    case_id = world.case.pk
    for url in (
        reverse("dockets:qc-queue") + "?after=garbage_x&office=abc&older_than_days=-4",
        reverse("dockets:qc-queue") + "?after=2026-01-01T00:00:00_1",
        reverse("dockets:audit-case", kwargs={"case_id": case_id}) + "?before=abc",
        reverse("dockets:deficiency-new", kwargs={"case_id": case_id}) + "?entry=abc",
        reverse("dockets:deficiency-report") + "?status=evil&past_due=yes",
        reverse("dockets:court-event", kwargs={"case_id": case_id}) + "?event=msj",
        reverse("dockets:court-event", kwargs={"case_id": case_id}) + "?event=nope",
        reverse("dockets:paper-filing", kwargs={"case_id": case_id}) + "?event=hrgset",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    # A court event is not offered as a paper filing, and a forged POST files nothing.
    url = reverse("dockets:paper-filing", kwargs={"case_id": case_id}) + "?event=close"
    client.post(url, {"party_name": "Someone", "fee_status": "paid", "note": ""})
    # A related entry from another case is refused.
    other = file_entry(world.other_case, "msj", world.users["attorney"])
    url = reverse("dockets:court-event", kwargs={"case_id": case_id}) + "?event=hrgset"
    response = client.post(
        url,
        {
            "f_hearing": "2031-01-01T10:00",
            "f_hearing_place": "Dept 3",
            "related": [other.pk],
            "note": "",
        },
    )
    assert response.status_code == 400
    assert not DocketEntry.objects.filter(case=world.case).exclude(pk=entry.pk).exists()
