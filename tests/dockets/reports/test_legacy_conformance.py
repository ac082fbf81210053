"""Tools built for CM/ECF read ECF unchanged (issue 20).

juriscraper, the parser behind CourtListener/RECAP, reads every legacy report and NEF
that ECF produces, and each field it reads is compared with the case as recorded and
with what the modern pages show: case number, case name, judge, dates, parties and
attorneys, every entry's number, dates, text and document id, every claim, every RSS
item. Cases: a chapter 7 case with public, restricted, sealed and unnumbered entries,
a joint case, a case with claims, amendments and a transfer, a converted case, a
closed case, and the demo data.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from juriscraper.lib.string_utils import clean_string, harmonize
from legacy_kit import (
    body,
    mdy,
    modern_rows,
    parse_case_query,
    parse_claims,
    parse_docket,
    parse_matrix,
    parse_mobile,
    parse_nef,
    parse_rss,
    squash,
    without_restriction_note,
)
from pdfmaker import make_pdf

from cases.models import Case, Party
from cases.services import PartyData, add_party
from cases.status import close_case, convert_case
from core import clock
from core.models import InboxMessage
from dockets.claims.claim_events import transfer_claim
from dockets.claims.models import Claim
from dockets.claims.services import ClaimData, amend_claim, file_claim
from dockets.models import DocketEntry, Notice, Visibility
from dockets.permissions import effective_entry_visibility
from dockets.services import UploadedDocument

pytestmark = pytest.mark.django_db


def _entries(case: Case) -> list[DocketEntry]:
    return list(
        DocketEntry.objects.filter(case=case)
        .prefetch_related("documents")
        .order_by("seq")
    )


def _main(entry: DocketEntry):
    return next((d for d in entry.documents.all() if d.sequence == 0), None)


def assert_docket_matches(client, case: Case, *, public: bool = True) -> dict:
    """Parse DktRpt.pl with juriscraper; compare with the record and the modern page."""
    case.refresh_from_db()
    data = parse_docket(body(client.get(f"/cgi-bin/DktRpt.pl?{case.pk}")))
    # Header.
    assert data["docket_number"] == f"{case.year % 100:02d}-{case.number:05d}"
    assert case.judge is not None
    assert data["federal_dn_judge_initials_assigned"] == case.judge.initials
    assert data["assigned_to_str"] == case.judge.name
    assert data["date_filed"] == case.date_filed
    assert data["date_terminated"] == case.date_closed
    assert data["date_converted"] == case.date_converted
    assert data["date_discharged"] == case.date_discharged
    debtors = list(
        case.parties.filter(role=Party.Role.DEBTOR)
        .order_by("id")
        .values_list("name", flat=True)
    )
    if case.is_adversary and case.lead_case is not None:
        # CM/ECF names an adversary proceeding by its lead case's title.
        assert data["case_name"] == clean_string(
            harmonize(f"{case.lead_case.title} - Adversary Proceeding")
        )
    elif debtors:
        assert data["case_name"] == debtors[0]
    # Parties and attorneys, every one, in the report's order.
    expected = []
    for party in case.parties.order_by("id"):
        reps = list(party.representations.select_related("attorney").order_by("id"))
        if party.role == Party.Role.CREDITOR and party.user_id is None and not reps:
            continue  # matrix creditors are counted, not listed (as CM/ECF does)
        expected.append(
            (party.get_role_display(), party.name, [r.attorney.full_name for r in reps])
        )
    expected = [(t.lower(), n, a) for t, n, a in expected]
    got = [
        (p["type"].lower(), p["name"], [a["name"] for a in p["attorneys"]])
        for p in data["parties"]
    ]
    assert sorted(got) == sorted(expected)
    for p in data["parties"]:
        for a in p["attorneys"]:
            assert "Email: " in a["contact"]
    # Entries: every one, in order, with number, dates, text and document id.
    entries = _entries(case)
    assert len(data["docket_entries"]) == len(entries)
    tz = clock.court_tz()
    for parsed, entry in zip(data["docket_entries"], entries, strict=True):
        assert parsed["document_number"] == (
            str(entry.number) if entry.number else None
        )
        assert parsed["date_filed"] == entry.filed_date
        assert parsed["date_entered"] == entry.entered_at.astimezone(tz).date()
        description = squash(parsed["description"])
        assert description.endswith(f"(Entered: {mdy(parsed['date_entered'])})")
        main = _main(entry)
        if entry.visibility == Visibility.SEALED:
            assert description.startswith("**SEALED DOCUMENT**")
            assert parsed["pacer_doc_id"] is None
            continue
        # An attachment the reader may not open is marked "(not available)" in place.
        assert description.replace(" (not available)", "").startswith(
            squash(entry.text)
        )
        if entry.visibility == Visibility.RESTRICTED and main is not None and public:
            assert "** RESTRICTED DOCUMENT **" in description
            assert parsed["pacer_doc_id"] is None
        elif main is not None and entry.number:
            assert parsed["pacer_doc_id"] == main.cmecf_id
            assert parsed["pacer_seq_no"] == str(entry.seq)
    # The modern page lists the same entries with the same words.
    modern = modern_rows(
        body(client.get(reverse("dockets:docket", kwargs={"case_id": case.pk})))
    )
    assert len(modern) == len(data["docket_entries"])
    for row, parsed in zip(modern, data["docket_entries"], strict=True):
        assert row["number"] == parsed["document_number"]
        assert row["date_filed"] == parsed["date_filed"]
        assert row["text"] == without_restriction_note(squash(parsed["description"]))
    return data


@pytest.fixture
def pdf_upload(tmp_path):
    counter = {"n": 0}

    def _make(name: str) -> UploadedDocument:
        counter["n"] += 1
        path = make_pdf(tmp_path / f"u{counter['n']}.pdf", text=name)
        return UploadedDocument.from_path(path, filename=name, page_count=1)

    return _make


def test_docket_report_reads_as_cmecf_with_every_kind_of_entry(
    world, file_entry, client
):
    """juriscraper reads the header, parties, attorneys and every entry (public with
    attachments, restricted, sealed, unnumbered) exactly as recorded and as the modern
    page shows them; sealed entries show only the placeholder, restricted ones no link."""
    attorney = world.users["attorney"]
    public = file_entry(
        world.case, "msj", attorney, attachments=["Exhibit A", "Exhibit B"]
    )
    restricted = file_entry(
        world.case,
        "msj",
        attorney,
        attachments=["Transcript index"],
        visibility=Visibility.RESTRICTED,
    )
    sealed = file_entry(world.case, "msj", attorney, visibility=Visibility.SEALED)
    assert public.number and restricted.number and sealed.number
    data = assert_docket_matches(client, world.case)
    sealed_row = next(
        e for e in data["docket_entries"] if e["document_number"] == str(sealed.number)
    )
    assert sealed.text not in sealed_row["description"]
    html = body(client.get(f"/cgi-bin/DktRpt.pl?{world.case.pk}"))
    assert _main(sealed).cmecf_id not in html
    assert _main(restricted).cmecf_id not in html
    # The receipt block ends the report, as in CM/ECF.
    assert "Transaction Receipt" in html and "Docket Report" in html
    # goDLS carries the case id and de_seq_num of the entry.
    assert (
        f"goDLS('/doc1/{_main(public).cmecf_id}','{world.case.pk}','{public.seq}'"
        in html
    )


def test_docket_report_takes_cmecf_report_form_options(world, file_entry, client):
    """DktRpt.pl takes the options CM/ECF's report form posts (as juriscraper's
    DocketReport.query sends them, to `?1-L_1_0-1` with `all_case_ids`)."""
    attorney = world.users["attorney"]
    entries = [file_entry(world.case, "msj", attorney) for _ in range(3)]
    form = {
        "all_case_ids": str(world.case.pk),
        "sort1": "most recent date first",
        "date_range_type": "Filed",
        "output_format": "html",
        "case_num": " ",
        "date_from": "1/1/1960",
        "documents_numbered_from_": str(entries[1].number),
        "documents_numbered_to_": str(entries[2].number),
    }
    data = parse_docket(body(client.post("/cgi-bin/DktRpt.pl?1-L_1_0-1", form)))
    assert [e["document_number"] for e in data["docket_entries"]] == [
        str(entries[2].number),
        str(entries[1].number),
    ]
    assert data["parties"] == []
    form["list_of_parties_and_counsel"] = "on"
    data = parse_docket(body(client.post("/cgi-bin/DktRpt.pl?1-L_1_0-1", form)))
    assert {p["name"] for p in data["parties"]} >= {"Maria L. Gonzalez"}
    query = parse_case_query(
        body(
            client.post(
                "/cgi-bin/iquery.pl?1-L_1_0-1",
                {"all_case_ids": str(world.case.pk), "case_num": "foo"},
            )
        )
    )
    assert query["case_name"] == world.case.title


def test_participant_reads_restricted_links_on_the_legacy_report(
    world, file_entry, client
):
    """The same access rule as everywhere: the debtor's attorney gets the restricted link."""
    restricted = file_entry(
        world.case, "msj", world.users["attorney"], visibility=Visibility.RESTRICTED
    )
    client.force_login(world.users["attorney"])
    data = parse_docket(body(client.get(f"/cgi-bin/DktRpt.pl?{world.case.pk}")))
    row = next(
        e
        for e in data["docket_entries"]
        if e["document_number"] == str(restricted.number)
    )
    assert row["pacer_doc_id"] == _main(restricted).cmecf_id
    assert "RESTRICTED" not in row["description"]


def test_joint_case_lists_both_debtors(world, file_entry, client):
    """A joint case: both debtors in CM/ECF's party table, the first names the case."""
    add_party(
        case=world.case,
        data=PartyData(
            role=Party.Role.JOINT_DEBTOR,
            name="Luis A. Gonzalez",
            address_lines=["4120 Ocean View Blvd"],
            city="San Diego",
            state="CA",
            zip_code="92113",
        ),
    )
    Case.objects.filter(pk=world.case.pk).update(joint=True)
    file_entry(world.case, "msj", world.users["attorney"])
    data = assert_docket_matches(client, world.case)
    types = {p["type"]: p["name"] for p in data["parties"]}
    assert types["Debtor"] == "Maria L. Gonzalez"
    assert types["Joint Debtor"] == "Luis A. Gonzalez"
    assert data["case_name"] == "Maria L. Gonzalez"


def test_adversary_proceeding_reads_as_cmecf(world, file_entry, client):
    """An adversary proceeding: "Adversary Proceeding #", the lead case's title as its
    name, plaintiff and defendant in the party table, and its entries."""
    from cases.services import create_case

    ap = create_case(
        court=world.court,
        office=world.case.office,
        case_type=Case.CaseType.ADVERSARY,
        title="Gonzalez v. Coastal Federal Credit Union",
        judge=world.case.judge,
        lead_case=world.case,
        actor=world.users["attorney"],
    )
    for role, name in (
        (Party.Role.PLAINTIFF, "Maria L. Gonzalez"),
        (Party.Role.DEFENDANT, "Coastal Federal Credit Union"),
    ):
        add_party(case=ap, data=PartyData(role=role, name=name, city="San Diego"))
    file_entry(ap, "msj", world.users["attorney"])
    data = assert_docket_matches(client, ap)
    assert {p["type"] for p in data["parties"]} == {"Plaintiff", "Defendant"}
    html = body(client.get(f"/cgi-bin/DktRpt.pl?{ap.pk}"))
    assert f"Adversary Proceeding #: {ap.display_number}" in html


def test_converted_and_closed_cases_carry_their_dates(world, file_entry, client):
    """Date converted and Date terminated are read from the header, as recorded."""
    clerk = world.users["clerk"]
    file_entry(world.case, "msj", world.users["attorney"])
    convert_case(case=world.case, to_chapter="13", actor=clerk)
    data = assert_docket_matches(client, world.case)
    assert data["date_converted"] == clock.today()
    close_case(case=world.case, actor=clerk)
    data = assert_docket_matches(client, world.case)
    assert data["date_terminated"] == clock.today()
    query = parse_case_query(body(client.get(f"/cgi-bin/iquery.pl?{world.case.pk}")))
    world.case.refresh_from_db()
    assert (
        query["docket_number"] == f"{world.case.year % 100:02d}-{world.case.number:05d}"
    )
    assert query["case_name"] == world.case.title
    assert query["chapter"] == "13"
    assert query["date_filed"] == world.case.date_filed
    assert query["date_terminated"] == clock.today()
    assert query["assigned_to_str"] == world.case.judge.name


def _claim(name: str, cents: int, **extra) -> ClaimData:
    values: dict[str, Any] = {
        "creditor_name": name,
        "creditor_address": "P.O. Box 9000\nSan Diego, CA 92169",
        "basis": "Money loaned",
        "amount_cents": cents,
        "unsecured_cents": cents,
        "signer_name": "Pat Creditor",
    }
    values.update(extra)
    return ClaimData(**values)


def test_claims_register_reads_every_claim_amendment_and_transfer(
    world, client, tmp_path
):
    """SearchClaims.pl: case header, each claim's number, creditor, dates, amounts and
    history (original, amendment, transfer), and the summary, as juriscraper reads them."""
    creditor = world.users["creditor"]
    first = file_claim(
        case=world.case,
        data=_claim("Coastal Federal Credit Union", 3_261_140),
        filer=creditor,
    )
    file_claim(
        case=world.case,
        data=_claim(
            "Franchise Tax Board",
            125_050,
            priority_cents=125_050,
            priority_basis="507(a)(8)",
            unsecured_cents=0,
            governmental=True,
        ),
        epoc=True,
    )
    amend_claim(
        claim=first.claim,
        data=_claim(
            "Coastal Federal Credit Union",
            3_300_000,
            secured_cents=1_000_000,
            unsecured_cents=2_300_000,
        ),
        filer=creditor,
    )
    transfer_claim(
        claim=Claim.objects.get(pk=first.claim_id),
        filer=creditor,
        transferee_name="Harbor Debt Buyers LLC",
        transferee_address="1 Harbor Dr\nSan Diego, CA 92101",
        document=UploadedDocument.from_path(
            make_pdf(tmp_path / "form2100a.pdf", text="Form 2100A Transfer of Claim"),
            filename="form2100a.pdf",
            page_count=1,
        ),
    )
    data = parse_claims(body(client.get(f"/cgi-bin/SearchClaims.pl?{world.case.pk}")))
    case = world.case
    assert data["case_name"] == case.title
    assert data["docket_number"] == f"{case.year % 100:02d}-{case.number:05d}"
    assert data["chapter"] == case.chapter
    assert data["assigned_to_str"] == case.judge.name
    assert data["office"] == case.office.name
    assert data["date_filed"] == case.date_filed
    claims = list(
        Claim.objects.filter(case=case)
        .prefetch_related("activities")
        .order_by("number")
    )
    assert [c["claim_number"] for c in data["claims"]] == [c.number for c in claims]
    for parsed, claim in zip(data["claims"], claims, strict=True):
        assert parsed["creditor_details"].splitlines() == [
            claim.creditor_name,
            *claim.creditor_lines,
        ]
        assert parsed["date_original_filed"] == claim.filed_date
        assert (
            parsed["amount_claimed"]
            == f"${claim.amount_cents // 100}.{claim.amount_cents % 100:02d}"
        )
        assert (
            parsed["secured_claimed"]
            == f"${claim.secured_cents // 100}.{claim.secured_cents % 100:02d}"
        )
        assert (
            parsed["priority_claimed"]
            == f"${claim.priority_cents // 100}.{claim.priority_cents % 100:02d}"
        )
        activities = list(claim.activities.all())
        assert [squash(h["description"]) for h in parsed["history"]] == [
            squash(a.text) for a in activities
        ]
        assert [h["date_filed"] for h in parsed["history"]] == [
            a.date for a in activities
        ]
    amended = data["claims"][0]
    assert amended["amount_claimed"] == "$33000.00"
    assert amended["date_last_amendment_filed"] == clock.today()
    versions = [h for h in amended["history"] if h["type"] == "claim"]
    assert [(h["document_number"], h["attachment_number"]) for h in versions] == [
        (1, 1),
        (1, 2),
    ]
    for h in versions:
        assert h["pacer_case_id"] == str(case.pk)
        assert h["pacer_doc_id"].startswith("0360")
    assert any("Harbor Debt Buyers" in h["description"] for h in amended["history"])


def test_rss_items_link_to_dktrpt_with_cmecf_descriptions(world, file_entry, client):
    """rss_outside.pl: every public entry is an item linking to DktRpt.pl?<case id>, with
    `Type: bk Office: N Chapter: N` and the /doc1/ link; sealed entries are not items."""
    attorney = world.users["attorney"]
    entries = [file_entry(world.case, "msj", attorney) for _ in range(2)]
    file_entry(world.case, "msj", attorney, visibility=Visibility.SEALED)
    text = body(client.get("/cgi-bin/rss_outside.pl"))
    dockets = parse_rss(text)
    items = [
        (d["pacer_case_id"], de["document_number"], de["pacer_doc_id"], de)
        for d in dockets
        for de in d["docket_entries"]
    ]
    case = world.case
    mine = [d for d in dockets if d["pacer_case_id"] == str(case.pk)]
    assert mine
    for docket in mine:
        assert docket["type"] == "bk"
        assert docket["office"] == str(case.office.number)
        assert docket["chapter"] == case.chapter
        assert docket["trustee_str"] == case.trustee.name
        assert docket["case_name"] == case.title
        assert docket["docket_number"] == f"{case.year % 100:02d}-{case.number:05d}"
    got = {(n, doc) for cid, n, doc, _ in items if cid == str(case.pk)}
    assert got == {(str(e.number), _main(e).cmecf_id) for e in entries}
    for _, _, _, de in items:
        assert de["short_description"]
    assert f"/cgi-bin/DktRpt.pl?{case.pk}" in text


def test_case_query_mobile_query_and_matrix_read_as_cmecf(world, file_entry, client):
    """iquery.pl, mobile_query.pl and CredMatrixCase.pl answer in CM/ECF's markup."""
    file_entry(world.case, "msj", world.users["attorney"])
    case = world.case
    case.refresh_from_db()
    query = parse_case_query(body(client.get(f"/cgi-bin/iquery.pl?{case.pk}")))
    assert query["case_name"] == case.title
    assert query["case_type"] == "bk"
    assert query["chapter"] == case.chapter
    assert query["assigned_to_str"] == case.judge.name
    assert query["date_filed"] == case.date_filed
    mobile = parse_mobile(body(client.get(f"/cgi-bin/mobile_query.pl?{case.pk}")))
    assert mobile["entry_count"] == case.last_entry_seq
    matrix = parse_matrix(body(client.get(f"/cgi-bin/CredMatrixCase.pl?{case.pk}")))
    assert "Coastal Federal Credit Union" in matrix["data"]
    assert matrix["data"].startswith("1|Label Matrix for local noticing|")


def test_doc1_and_show_doc_serve_documents_under_the_same_access_rules(
    world, file_entry, client
):
    """/doc1/<id> and show_doc.pl serve a public document; a sealed one is 404 for the
    public and a restricted one asks for a login, as the modern document page does."""
    attorney = world.users["attorney"]
    public = _main(file_entry(world.case, "msj", attorney))
    sealed_entry = file_entry(world.case, "msj", attorney, visibility=Visibility.SEALED)
    restricted_entry = file_entry(
        world.case, "msj", attorney, visibility=Visibility.RESTRICTED
    )
    response = client.get(f"/doc1/{public.cmecf_id}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    # The fourth digit "1" (straight to the PDF) names the same document.
    one = public.cmecf_id[:3] + "1" + public.cmecf_id[4:]
    assert client.get(f"/doc1/{one}").status_code == 200
    response = client.get(
        f"/cgi-bin/show_doc.pl?caseid={world.case.pk}&de_seq_num={public.entry.seq}"
    )
    assert response.status_code == 200
    assert client.get(f"/doc1/{_main(sealed_entry).cmecf_id}").status_code == 404
    assert (
        client.get(
            f"/cgi-bin/show_doc.pl?caseid={world.case.pk}&de_seq_num={sealed_entry.seq}"
        ).status_code
        == 404
    )
    assert client.get(f"/doc1/{_main(restricted_entry).cmecf_id}").status_code == 404
    assert client.get("/doc1/036099999999").status_code == 404
    assert client.get("/doc1/hello").status_code == 404
    client.force_login(attorney)
    assert client.get(f"/doc1/{_main(restricted_entry).cmecf_id}").status_code == 200


def _send_nef(entry, django_capture_on_commit_callbacks):
    from dockets.pipeline.services import send_notice

    notice = Notice.objects.create(entry=entry, kind=Notice.Kind.NEF)
    send_notice(notice_id=notice.pk)
    notice.refresh_from_db()
    return notice


def test_nef_html_and_text_parts_read_as_cmecf(
    world, file_entry, django_capture_on_commit_callbacks
):
    """Each recipient's NEF (HTML and text parts): case name and number, the DktRpt.pl
    case link, the /doc1/ link with caseid, de_seq_num and that recipient's numeric
    magic_num, the docket text, one description per document, and the recipients."""
    entry = file_entry(
        world.case, "msj", world.users["attorney"], attachments=["Exhibit A"]
    )
    notice = _send_nef(entry, django_capture_on_commit_callbacks)
    recipients = list(notice.recipients.filter(method="email"))
    assert recipients
    main = _main(entry)
    case = world.case
    messages = list(InboxMessage.objects.filter(kind="nef", subject=notice.subject))
    assert len(messages) == len(recipients)
    for message in messages:
        recipient = next(r for r in recipients if r.email == message.to_email)
        html = message.body_html
        for parsed in (
            parse_nef(subject=message.subject, html=html),
            parse_nef(subject=message.subject, text=message.body_text),
        ):
            (docket,) = parsed["dockets"]
            assert docket["case_name"] == case.title
            assert docket["docket_number"] == f"{case.year % 100:02d}-{case.number:05d}"
            (de,) = docket["docket_entries"]
            assert de["document_number"] == str(entry.number)
            assert de["date_filed"] == entry.filed_date
            # juriscraper normalises docket text (clean_string drops "# " etc.) the
            # same way for CM/ECF's own NEFs.
            assert de["description"] == clean_string(entry.text)
            assert de["pacer_case_id"] == str(case.pk)
            assert de["pacer_doc_id"] == main.cmecf_id
            assert de["pacer_seq_no"] == str(entry.seq)
            assert de["pacer_magic_num"] == str(recipient.magic_num)
            assert parsed["contains_attachments"] is True
            mailed = {
                r["name"]: r["email_addresses"] for r in parsed["email_recipients"]
            }
            for r in recipients:
                name = r.name + (
                    f" on behalf of {r.on_behalf_of}" if r.on_behalf_of else ""
                )
                assert r.email in mailed[name]
        assert html.count("Document description:") == entry.documents.count()
        assert f"/cgi-bin/DktRpt.pl?{case.pk}" in html
    # The magic_num opens the document and records the free look (the token's door).
    url = f"/doc1/{main.cmecf_id}?magic_num={recipients[0].magic_num}&caseid={case.pk}"
    assert Client().get(url).status_code == 200
    recipients[0].refresh_from_db()
    assert recipients[0].opened_at is not None


def test_claim_nef_keeps_cmecf_claims_wording(
    world, django_capture_on_commit_callbacks
):
    """A claim NEF says "Notice of Electronic Claims Filing", as CM/ECF's does (which
    is how NEF readers tell claims notices apart and set them aside)."""
    version = file_claim(
        case=world.case,
        data=_claim("Coastal Federal Credit Union", 100_000),
        filer=world.users["creditor"],
    )
    from dockets.pipeline.services import send_notice

    assert version.entry is not None
    notice = Notice.objects.create(entry=version.entry, kind=Notice.Kind.CLAIM)
    send_notice(notice_id=notice.pk)
    notice.refresh_from_db()
    assert notice.recipients.filter(method="email").exists(), notice.error_message
    messages = InboxMessage.objects.filter(kind="nef", subject=notice.subject)
    assert messages.count() == notice.recipients.filter(method="email").count()
    for message in messages:
        assert "Notice of Electronic Claims Filing" in message.body_text
        assert "Notice of Electronic Claims Filing" in message.body_html
        # juriscraper sets claims notices aside by this wording, as with CM/ECF's.
        assert parse_nef(subject=message.subject, html=message.body_html) == {}


def test_demo_data_reads_as_cmecf(settings, client):
    """Every demo case's docket report, claims register, case query and mobile query, every
    item of the court's RSS feed, and an NEF of each case parse field by field."""
    from django.core.management import call_command

    from dockets.pipeline.services import build_notice

    settings.ECF_DEMO = True
    call_command("seed_demo", verbosity=0)
    cases = list(Case.objects.select_related("judge").all())
    assert cases
    for case in cases:
        assert_docket_matches(client, case)
        number = f"{case.year % 100:02d}-{case.number:05d}"
        query = parse_case_query(body(client.get(f"/cgi-bin/iquery.pl?{case.pk}")))
        assert (query["docket_number"], query["case_name"]) == (number, case.title)
        mobile = parse_mobile(body(client.get(f"/cgi-bin/mobile_query.pl?{case.pk}")))
        assert mobile["entry_count"] == case.last_entry_seq
        if not case.is_adversary:
            data = parse_claims(body(client.get(f"/cgi-bin/SearchClaims.pl?{case.pk}")))
            assert data["docket_number"] == number
            claims = list(Claim.objects.filter(case=case).order_by("number"))
            assert [c["claim_number"] for c in data["claims"]] == [
                c.number for c in claims
            ]
            for parsed, claim in zip(data["claims"], claims, strict=True):
                assert parsed["creditor_details"].splitlines()[0] == claim.creditor_name
                cents = claim.amount_cents
                assert parsed["amount_claimed"] == f"${cents // 100}.{cents % 100:02d}"
        entry = (
            DocketEntry.objects.filter(
                case=case,
                number__isnull=False,
                visibility=Visibility.PUBLIC,
                documents__isnull=False,
            )
            .order_by("seq")
            .first()
        )
        if entry is None:
            continue
        notice = build_notice(
            notice_id=Notice.objects.create(entry=entry, kind=Notice.Kind.NEF).pk
        )
        for parsed in (
            parse_nef(subject=notice.subject, html=notice.body_html),
            parse_nef(subject=notice.subject, text=notice.body_text),
        ):
            (docket,) = parsed["dockets"]
            assert docket["docket_number"] == number
            (de,) = docket["docket_entries"]
            assert de["document_number"] == str(entry.number)
            assert de["pacer_case_id"] == str(case.pk)
            assert de["pacer_doc_id"] == _main(entry).cmecf_id
            assert de["pacer_seq_no"] == str(entry.seq)
    # Every RSS item names a real public entry, its case and its document id.
    for docket in parse_rss(body(client.get("/cgi-bin/rss_outside.pl"))):
        case = Case.objects.get(pk=int(docket["pacer_case_id"]))
        assert docket["docket_number"] == f"{case.year % 100:02d}-{case.number:05d}"
        assert docket["chapter"] == case.chapter
        for de in docket["docket_entries"]:
            if de["document_number"] is None:
                continue
            entry = DocketEntry.objects.get(
                case=case, number=int(de["document_number"])
            )
            assert effective_entry_visibility(entry) == Visibility.PUBLIC
            main = _main(entry)
            assert de["pacer_doc_id"] == (main.cmecf_id if main else "")
