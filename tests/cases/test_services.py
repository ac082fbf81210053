"""Case services: case life through docket events, deadlines, flags, attorneys, matrix, search."""

import datetime as dt

import pytest
from factories import petition_request, ruiz_debtor
from pdfmaker import make_pdf

from cases.matrix import parse_matrix
from cases.models import (
    Case,
    CaseFlagType,
    Deadline,
    Party,
    Representation,
    Trustee,
)
from cases.selectors import search_cases, summary_parties
from cases.services import (
    add_matrix_creditors,
    associate_attorney,
    terminate_party,
)
from core.errors import UserFacingError
from core.models import AuditEvent
from dockets.case_opening import open_voluntary_case
from dockets.models import DocketEntry, Event
from dockets.services import FilingRequest, UploadedDocument, file_docket_entry

pytestmark = pytest.mark.django_db

MATRIX = b"""Capital One Bank (USA), N.A.
P.O. Box 30285
Salt Lake City, UT 84130-0285

Sharp Memorial Hospital
7901 Frost Street
San Diego, CA 92123
"""

AMENDED = (
    MATRIX
    + b"""
Franchise Tax Board
P.O. Box 2952
Sacramento, CA 95812-2952
"""
)


@pytest.fixture
def pdf(tmp_path):
    path = make_pdf(tmp_path / "p.pdf")
    return UploadedDocument.from_path(path, filename="p.pdf", page_count=1)


def open_case(
    demo, pdf, *, chapter="7", name="Ana Ruiz", ssn="512345678", **extra
) -> Case:
    request = petition_request(
        demo, pdf, chapter=chapter, debtors=[ruiz_debtor(name, ssn, **extra)]
    )
    return Case.objects.get(pk=open_voluntary_case(request).case_id)


def court_files(demo, case, code, **fields) -> DocketEntry:
    return file_docket_entry(
        FilingRequest(
            case=case,
            events=[Event.objects.get(code=code)],
            filer=demo.users["clerk"],
            fields=fields,
        )
    )


def test_conversion_order_converts_case_and_assigns_new_trustee(demo, pdf):
    """An order converting a chapter 13 case to chapter 7 changes the chapter, dates it,
    and brings in the chapter 7 panel trustee; the entry is the record."""
    case = open_case(demo, pdf, chapter="13")
    entry = court_files(demo, case, "orcnv", to_chapter="7", signed_on="2026-01-05")
    case.refresh_from_db()
    assert case.chapter == "7" and case.converted_from == "13"
    assert case.date_converted == entry.filed_date
    assert case.trustee is not None
    assert case.trustee.kind == Trustee.Kind.PANEL_7
    assert (
        case.parties.filter(role=Party.Role.TRUSTEE, terminated_on__isnull=True)
        .get()
        .name
        == case.trustee.name
    )
    assert (
        case.parties.filter(
            role=Party.Role.TRUSTEE, terminated_on__isnull=False
        ).count()
        == 1
    )
    assert case.display_number.endswith("7")
    event = AuditEvent.objects.get(case_id=case.pk, action="cases.case.converted")
    assert event.before["chapter"] == "13" and event.after["entry_id"] == entry.pk


def test_converting_to_same_chapter_is_refused_and_not_docketed(demo, pdf):
    case = open_case(demo, pdf)
    with pytest.raises(UserFacingError, match="already under chapter 7"):
        court_files(demo, case, "orcnv", to_chapter="7", signed_on="2026-01-05")
    assert DocketEntry.objects.filter(case=case).count() == 1


def test_dismiss_close_reopen_cycle(demo, pdf):
    """Dismissal ends deadlines; closing closes the case to filings; reopening opens it."""
    case = open_case(demo, pdf)
    court_files(
        demo,
        case,
        "341m7",
        meeting="2026-03-02T10:00:00-08:00",
        meeting_place="Room 1",
        objection_to_discharge="2026-05-01",
        financial_management="2026-05-01",
    )
    assert Deadline.objects.filter(case=case, terminated=False).count() == 3
    court_files(demo, case, "ordism", signed_on="2026-02-01")
    case.refresh_from_db()
    assert case.status == Case.Status.DISMISSED and case.date_dismissed
    assert not Deadline.objects.filter(
        case=case, terminated=False, satisfied_on__isnull=True
    ).exists()
    court_files(demo, case, "close")
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED and case.date_closed
    with pytest.raises(UserFacingError, match="closed"):
        file_docket_entry(
            FilingRequest(
                case=case,
                events=[Event.objects.get(code="dismis")],
                filer=demo.users["attorney"],
                fields={},
            )
        )
    court_files(demo, case, "reopcs")
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN and case.date_reopened


def test_discharge_ends_objection_deadline(demo, pdf):
    case = open_case(demo, pdf)
    court_files(
        demo,
        case,
        "341m7",
        meeting="2026-03-02T10:00:00-08:00",
        meeting_place="Room 1",
        objection_to_discharge="2026-05-01",
        financial_management="2026-05-01",
    )
    entry = court_files(demo, case, "dschg", signed_on="2026-06-01")
    case.refresh_from_db()
    assert case.date_discharged == entry.filed_date
    objection = Deadline.objects.get(case=case, kind="objection_to_discharge")
    assert objection.satisfied_entry_id == entry.pk
    assert Deadline.objects.get(case=case, kind="meeting_341").is_open


def test_341_notice_sets_header_deadlines(demo, pdf):
    """The 341 notice sets the meeting (date, time, place) and the bar dates."""
    case = open_case(demo, pdf, chapter="13")
    entry = court_files(
        demo,
        case,
        "341m13",
        meeting="2026-03-02T10:00:00-08:00",
        meeting_place="Telephonic",
        confirmation_hearing="2026-04-01T09:00:00-07:00",
        claims_bar="2026-05-11",
        gov_claims_bar="2026-07-01",
        objection_to_discharge="2026-05-01",
    )
    kinds = {d.kind: d for d in Deadline.objects.filter(case=case)}
    assert kinds["meeting_341"].due == dt.date(2026, 3, 2)
    assert kinds["meeting_341"].location == "Telephonic"
    assert kinds["claims_bar"].due == dt.date(2026, 5, 11)
    assert kinds["gov_claims_bar"].due == dt.date(2026, 7, 1)
    assert kinds["objection_to_discharge"].source_entry_id == entry.pk
    # A second notice replaces the open meeting instead of adding another.
    court_files(
        demo,
        case,
        "341m13",
        meeting="2026-03-16T10:00:00-07:00",
        meeting_place="Telephonic",
        confirmation_hearing="2026-04-01T09:00:00-07:00",
        claims_bar="2026-05-11",
        gov_claims_bar="2026-07-01",
        objection_to_discharge="2026-05-01",
    )
    assert Deadline.objects.filter(
        case=case, kind="meeting_341", terminated=False
    ).get().due == dt.date(2026, 3, 16)


def test_court_flags_follow_case_actions(demo, pdf):
    CaseFlagType.objects.create(
        court=demo.court,
        code="CLOSED",
        label="Closed",
        set_by=["close"],
        cleared_by=["reopen"],
    )
    CaseFlagType.objects.create(
        court=demo.court, code="FeeDueINST", label="Installments", set_by=["install"]
    )
    case = open_case(demo, pdf)
    court_files(demo, case, "close")
    case.refresh_from_db()
    assert case.flags == ["CLOSED"]
    court_files(demo, case, "reopcs")
    case.refresh_from_db()
    assert case.flags == []


def test_trustee_added_and_terminated_by_events(demo, pdf):
    case = open_case(demo, pdf, chapter="11")
    assert case.trustee_id is None
    court_files(demo, case, "addtr", trustee="Gerald H. Davis")
    case.refresh_from_db()
    assert case.trustee is not None
    assert case.trustee.name == "Gerald H. Davis"
    court_files(demo, case, "trmtr", trustee="Gerald H. Davis")
    case.refresh_from_db()
    assert case.trustee is None
    assert case.parties.get(role=Party.Role.TRUSTEE).terminated_on is not None


def test_associate_attorney_once_and_terminated_parties_listed(demo, pdf):
    case = open_case(demo, pdf)
    creditor = Party.objects.create(
        case=case, role=Party.Role.CREDITOR, name="Ally Financial", is_entity=True
    )
    first = associate_attorney(
        case=case, party=creditor, attorney=demo.users["attorney2"], notice=True
    )
    again = associate_attorney(
        case=case, party=creditor, attorney=demo.users["attorney2"]
    )
    assert first.pk == again.pk
    assert Representation.objects.filter(party=creditor).count() == 1
    terminate_party(party=creditor, actor=demo.users["clerk"])
    listed = {p.name: p for p in summary_parties(case)}
    assert listed["Ally Financial"].terminated_on is not None


def test_matrix_amendment_adds_only_new_creditors(demo, pdf):
    case = open_case(demo, pdf)
    added, skipped = add_matrix_creditors(
        case=case, result=parse_matrix(MATRIX), actor=demo.users["attorney"]
    )
    assert [p.name for p in added] == [
        "Capital One Bank (USA), N.A.",
        "Sharp Memorial Hospital",
    ]
    assert skipped == 0
    sharp = case.parties.get(name="Sharp Memorial Hospital")
    assert (sharp.address_lines, sharp.city, sharp.state, sharp.zip_code) == (
        ["7901 Frost Street"],
        "San Diego",
        "CA",
        "92123",
    )
    added, skipped = add_matrix_creditors(
        case=case, result=parse_matrix(AMENDED), actor=demo.users["attorney"]
    )
    assert [p.name for p in added] == ["Franchise Tax Board"]
    assert skipped == 2
    assert case.parties.filter(role=Party.Role.CREDITOR, from_matrix=True).count() == 3


def test_matrix_with_errors_is_refused(demo, pdf):
    case = open_case(demo, pdf)
    with pytest.raises(UserFacingError):
        add_matrix_creditors(
            case=case,
            result=parse_matrix(b"Bad\n\tTab St\nNowhere"),
            actor=demo.users["attorney"],
        )
    assert not case.parties.filter(role=Party.Role.CREDITOR).exists()


def test_search_by_number_name_alias_and_filters(demo, pdf):
    ana = open_case(demo, pdf, aliases=[("dba", "Ruiz Landscaping")])
    bo = open_case(demo, pdf, chapter="13", name="Bo Chen", ssn="534567890")
    public = demo.users["public"]
    assert search_cases(user=public, q=ana.long_number).cases == [ana]
    assert search_cases(user=public, q=f"{ana.year % 100}-{ana.number}").cases == [ana]
    assert search_cases(user=public, q="landscap").cases == [ana]
    assert search_cases(user=public, q="chen bo").cases == [bo]
    assert search_cases(user=public, q="").cases == [bo, ana]
    assert search_cases(user=public, chapter="13").cases == [bo]
    missing = search_cases(user=public, q="24-99999")
    assert missing.number_not_found and missing.cases == []
    # The full SSN finds nothing: it is not in the search vector.
    assert search_cases(user=public, q="512345678").cases == []


def test_search_pages_by_keyset(demo, pdf):
    cases = [
        open_case(demo, pdf, name=f"Debtor {i}", ssn=f"51234{i:04d}")
        for i in range(1, 6)
    ]
    Case.objects.filter(pk=cases[0].pk).update(date_filed=dt.date(2025, 1, 1))
    seen, after = [], ""
    while True:
        page = search_cases(user=None, limit=2, after=after)
        seen += [c.pk for c in page.cases]
        if not page.next_cursor:
            break
        after = page.next_cursor
    assert sorted(seen) == sorted(c.pk for c in cases)
    assert len(seen) == len(set(seen)) == 5
    assert seen[-1] == cases[0].pk


def test_case_number_style_is_court_configurable(demo, pdf, settings):
    """The court chooses how numbers are shown; search still finds every style."""
    case = open_case(demo, pdf)
    yy = f"{case.year % 100:02d}"
    assert case.judge is not None
    assert case.display_number == f"{yy}-00001-{case.judge.initials}7"
    settings.ECF_CASE_NUMBER_STYLE = "long_judge"
    assert case.display_number == f"3:{yy}-bk-00001-{case.judge.initials}"
    assert search_cases(user=None, q=case.display_number).cases == [case]


def test_conversion_to_chapter_11_ends_the_panel_trustee(demo, pdf):
    case = open_case(demo, pdf)
    court_files(demo, case, "orcnv", to_chapter="11", signed_on="2026-01-05")
    case.refresh_from_db()
    assert case.chapter == "11" and case.trustee is None
    assert not case.parties.filter(
        role=Party.Role.TRUSTEE, terminated_on__isnull=True
    ).exists()


def test_a_party_added_later_is_found_by_name_and_every_earlier_name_still_is(
    demo, pdf
):
    """Adding a party adds its words to the case's search vector in one UPDATE: the
    case is found by the new name and its alias and still by every earlier one, and
    the other parties of the case are not read again (a case with 20,000 creditors
    would re-read them all for every new one)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cases.services import PartyData, add_party

    ana = open_case(demo, pdf, aliases=[("dba", "Ruiz Landscaping")])
    add_matrix_creditors(
        case=ana, result=parse_matrix(MATRIX), actor=demo.users["attorney"]
    )
    with CaptureQueriesContext(connection) as queries:
        add_party(
            case=ana,
            actor=demo.users["attorney"],
            data=PartyData(
                role=Party.Role.CREDITOR,
                name="Zephyr Quillfeather Finance",
                aliases=[("fka", "Old Quillfeather Loans")],
                added_in_filing=True,
            ),
        )
    assert not [q for q in queries.captured_queries if 'FROM "cases_party' in q["sql"]]
    public = demo.users["public"]
    for words in (
        "zephyr quill",
        "old loans",
        "landscap",
        "ana ruiz",
        "sharp memorial",
    ):
        assert search_cases(user=public, q=words).cases == [ana], words
