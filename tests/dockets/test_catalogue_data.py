"""The event catalogue: shape, coverage of the court's filing areas, fees and roles."""

import copy
from collections.abc import Callable
from typing import Any

import pytest

from dockets.catalogue_data import (
    CATEGORIES,
    CONVERSION_FEES_CENTS,
    DEFICIENCY_KINDS,
    EVENTS,
    NATURE_OF_SUIT,
    PETITION_FEE_PARTS_CENTS,
    PETITION_FEES_CENTS,
    REOPEN_FEES_CENTS,
    TRANSCRIPT_RESTRICTION_DAYS,
    fee_cents_for,
    validate_events,
)

BY_CODE = {event["code"]: event for event in EVENTS}


def codes_filable_by(role: str) -> set[str]:
    return {e["code"] for e in EVENTS if role in e["filer_roles"]}


def field(event: dict[str, Any], name: str) -> dict[str, Any]:
    return next(f for f in event["fields"] if f["name"] == name)


def test_catalogue_is_valid() -> None:
    """The shipped catalogue passes its own validator."""
    assert validate_events(EVENTS) == []


def test_codes_are_unique_and_catalogue_is_large_enough() -> None:
    """Every code is unique and the catalogue covers at least 75 events."""
    codes = [e["code"] for e in EVENTS]
    assert len(codes) == len(set(codes))
    assert len(EVENTS) >= 75


def test_every_category_has_events() -> None:
    """Each CM/ECF menu category offers at least one event."""
    assert {e["category"] for e in EVENTS} == set(CATEGORIES)


@pytest.mark.parametrize(
    "code",
    [
        # petitions and case-opening documents
        *("volp7", "volp7n", "volp11", "volp11n", "volp12", "volp12n", "volp13"),
        *("volp15", "invol7", "amdpet", "ssn121", "crcou", "122a1", "122c1"),
        *("empinc", "crmtx"),
        # schedules
        *("sch", "sofa", "amdsch", "amdmtx"),
        # motions and applications
        *("nmrp", "dismis", "cnvt7", "reopen7", "redact", "extime", "employ"),
        *("fnlcmp", "feewv", "instal", "phv", "sell", "mabn", "avoid", "conthr"),
        # responses
        *("objt", "respon", "reply", "cos", "cno"),
        # notices
        *("ntcapr", "crtnef", "chgadr", "ntchrg", "appeal", "wddoc"),
        # claims
        *(
            "claim",
            "amdclm",
            "wdclm",
            "trclm",
            "mtgchg",
            "pstfee",
            "cureresp",
            "objclm",
        ),
        # plans and chapter 11
        *("ch13pl", "amdpl13", "ch11pl", "ch11ds", "oprpt", "mor", "ballot"),
        # adversary
        *("cmp", "answer", "smns", "cdflt", "clsadv"),
        # court and clerk
        *("341m7", "hrgset", "hrgcnt", "hrgheld", "order", "orrfs", "orcnf13"),
        *("osc", "ordism", "dschg", "close", "reopcs", "addtr", "trmtr", "addjdg"),
        *("trmjdg", "defntc", "corr", "eie", "clkcor", "bncntc", "trmddl"),
        *("orseal", "abstrj"),
        # transcripts, fees and the rest
        *("trans", "ntctrn", "redtrn", "rcptfee", "fmcrt", "reaff"),
    ],
)
def test_area_event_is_present(code: str) -> None:
    """The catalogue has an event for each filing area of the reference (cmecf.md 3.3)."""
    assert code in BY_CODE


def test_real_event_names() -> None:
    """Events carry the names filers know from CM/ECF."""
    assert BY_CODE["nmrp"]["name"] == "Motion for Relief From Stay (Fee)"
    assert BY_CODE["trclm"]["name"] == "Transfer Agreement FRBP 3001(e)"
    assert BY_CODE["crtnef"]["name"] == (
        "Request for Courtesy Notice of Electronic Filing (NEF)"
    )
    assert BY_CODE["341m7"]["name"] == "341(a) Meeting of Creditors (Chapter 7) (BNC)"
    assert BY_CODE["ntctrn"]["name"] == (
        "Notice of Filing of Transcript and Deadlines Related to Restriction and Redaction"
    )


def test_relief_from_stay_costs_199_and_is_free_for_the_debtor() -> None:
    """Relief from stay is $199, not charged when the debtor moves, against a party."""
    event = BY_CODE["nmrp"]
    assert event["fee_cents"] == 19900
    assert "debtor" in event["fee_exemptions"]
    assert event["needs_party_against"] is True
    assert {"objection", "hearing"} <= {d["kind"] for d in event["sets_deadlines"]}
    assert field(event, "objection_deadline")["default_days"] == 14


def test_chapter_7_petition_fee_is_filing_plus_administrative_plus_surcharge() -> None:
    """The chapter 7 petition costs $338 = $245 + $78 + $15."""
    assert sum(PETITION_FEE_PARTS_CENTS["7"].values()) == 24500 + 7800 + 1500
    assert PETITION_FEES_CENTS["7"] == 33800
    assert BY_CODE["volp7"]["fee_cents"] == 33800
    assert BY_CODE["volp7n"]["fee_cents"] == 33800


@pytest.mark.parametrize(
    ("chapter", "cents"), [("11", 173800), ("12", 27800), ("13", 31300), ("15", 173800)]
)
def test_petition_fees_by_chapter(chapter: str, cents: int) -> None:
    """Each chapter's petitions charge that chapter's fee."""
    assert PETITION_FEES_CENTS[chapter] == cents
    petitions = [
        e
        for e in EVENTS
        if e["case_action"] == "open_bk" and e["chapters"] == [chapter]
    ]
    assert petitions
    assert {e["fee_cents"] for e in petitions} == {cents}


def test_adversary_complaint_costs_350_and_asks_nature_of_suit() -> None:
    """The complaint opens an adversary case for $350, with a nature-of-suit field."""
    event = BY_CODE["cmp"]
    assert event["fee_cents"] == 35000
    assert event["case_action"] == "open_ap"
    assert {"debtor", "child_support_creditor"} <= set(event["fee_exemptions"])
    assert field(event, "nature_of_suit")["kind"] == "nature_of_suit"
    assert event["form_number"] == "B1040"


def test_other_fees() -> None:
    """Appeal, redaction, amended schedules, transfer and reopen fees are set."""
    assert BY_CODE["appeal"]["fee_cents"] == 29800
    assert BY_CODE["redact"]["fee_cents"] == 2500
    assert BY_CODE["amdsch"]["fee_cents"] == 3400
    assert BY_CODE["amdmtx"]["fee_cents"] == 3400
    assert BY_CODE["amdschnf"]["fee_cents"] == 0
    assert BY_CODE["trclm"]["fee_cents"] > 0
    for chapter, cents in REOPEN_FEES_CENTS.items():
        assert BY_CODE[f"reopen{chapter}"]["fee_cents"] == cents
    assert REOPEN_FEES_CENTS["7"] == 26000


@pytest.mark.parametrize(
    ("code", "chapter", "to_chapter", "cents"),
    [
        ("cnvt7", "13", "7", 2500),
        ("cnvt7", "12", "7", 6000),
        ("cnvt7", "11", "7", 1500),
        ("convrt", "7", "11", 92200),
        ("convrt", "7", "13", 0),
        ("ntccnv", "13", "7", 2500),
        ("nmrp", "7", "", 19900),
    ],
)
def test_fee_for_conversion_depends_on_both_chapters(
    code: str, chapter: str, to_chapter: str, cents: int
) -> None:
    """Conversion fees come from the (from, to) chapter pair; other events keep theirs."""
    assert fee_cents_for(BY_CODE[code], chapter=chapter, to_chapter=to_chapter) == cents


def test_conversion_motion_has_a_chapter_field() -> None:
    """The filer picks the chapter to convert to."""
    assert field(BY_CODE["cnvt7"], "to_chapter")["kind"] == "chapter"
    assert ("13", "7") in CONVERSION_FEES_CENTS


def test_creditor_files_only_creditor_events() -> None:
    """A limited creditor filer gets claims and creditor notices, never a motion."""
    creditor = codes_filable_by("creditor")
    expected = {"claim", "trclm", "mtgchg", "pstfee", "chgadr", "ntcapr", "reaff"}
    assert expected | {"ballot", "amdclm", "wdclm", "cureresp"} <= creditor
    categories = {BY_CODE[c]["category"] for c in creditor}
    assert "motion" not in categories
    assert "application" not in categories


def test_court_reporter_files_transcripts_only() -> None:
    """The court reporter files transcripts and nothing else."""
    reporter = codes_filable_by("court_reporter")
    assert {"trans", "redtrn"} <= reporter
    assert {BY_CODE[c]["category"] for c in reporter} == {"transcript"}


@pytest.mark.parametrize("category", ["order", "court", "fee", "deficiency"])
def test_only_court_files_court_categories(category: str) -> None:
    """Orders and court events are filed by the court alone."""
    events = [e for e in EVENTS if e["category"] == category]
    assert events
    assert all(e["filer_roles"] == ["court"] for e in events)


def test_court_files_clerk_events_in_adversary_cases() -> None:
    """Summons, clerk's default and closing an adversary case are court events."""
    for code in ("smns", "cdflt", "clsadv"):
        assert BY_CODE[code]["filer_roles"] == ["court"]


def test_epoc_files_exactly_claims_and_3002_1_supplements() -> None:
    """A public ePOC user files claims, amendments, withdrawals and supplements only."""
    assert codes_filable_by("epoc") == {"claim", "amdclm", "wdclm", "mtgchg", "pstfee"}


def test_financial_management_certificate_is_filed_by_course_providers() -> None:
    """Form 423 can be filed by a 'party' (course provider) and ends its deadline."""
    event = BY_CODE["fmcrt"]
    assert event["form_number"] == "423"
    assert "party" in event["filer_roles"]
    assert event["ends_deadlines"] == ["financial_management"]


def test_transcript_is_restricted_with_redaction_deadlines() -> None:
    """A transcript is restricted for 90 days and sets 7/21/31/90-day deadlines."""
    event = BY_CODE["trans"]
    assert TRANSCRIPT_RESTRICTION_DAYS == 90
    assert event["visibility"] == "restricted"
    assert field(event, "hearing_date")["kind"] == "date"
    days = {
        d["kind"]: field(event, d["field"])["default_days"]
        for d in event["sets_deadlines"]
    }
    assert days == {
        "other": 7,
        "transcript_redaction_request": 21,
        "transcript_redacted": 31,
        "transcript_release": 90,
    }


def test_form_121_is_restricted() -> None:
    """The Social Security number statement never shows to the public."""
    assert BY_CODE["ssn121"]["visibility"] == "restricted"
    assert BY_CODE["ssn121"]["form_number"] == "121"


def test_deficiency_notice_asks_deficiency_and_cure_date() -> None:
    """The clerk names the deficiency and a cure date 14 days out by default."""
    event = BY_CODE["defntc"]
    assert field(event, "deficiency")["kind"] == "deficiency"
    assert field(event, "cure_deadline")["default_days"] == 14
    assert event["sets_deadlines"] == [
        {"kind": "deficiency_cure", "field": "cure_deadline", "days": None}
    ]
    assert "deficiency_cure" in BY_CODE["crcou"]["ends_deadlines"]


@pytest.mark.parametrize("code", ["rcptfee", "hrgset", "hrgcnt", "hrgheld", "trmddl"])
def test_unnumbered_entries(code: str) -> None:
    """Fee receipts, hearing minutes and deadline terminations carry no number."""
    assert BY_CODE[code]["numbered"] is False


@pytest.mark.parametrize("code", ["objt", "respon", "reply", "cos", "order", "corr"])
def test_follow_up_filings_must_refer_to_an_entry(code: str) -> None:
    """Responses, certificates of service, orders and corrections refer to an entry."""
    assert BY_CODE[code]["refers"] == "required"


def test_bnc_events_are_named_so() -> None:
    """Exactly the events named '(BNC)' are served by the noticing center."""
    assert {e["code"] for e in EVENTS if e["bnc"]} >= {"341m7", "dschg", "osc"}
    assert all(e["bnc"] == e["name"].endswith("(BNC)") for e in EVENTS)


def test_docket_text_renders_with_every_required_field() -> None:
    """Each template formats with its required fields and leaves no braces behind."""
    for event in EVENTS:
        values = {f["name"]: "X" for f in event["fields"] if f["required"]}
        text = event["docket_text"].format(**values)
        assert "{" not in text
        assert "}" not in text


def test_nature_of_suit_and_deficiency_lists() -> None:
    """B1040 natures of suit and the clerk's deficiency kinds are complete and unique."""
    nos = dict(NATURE_OF_SUIT)
    assert len(nos) == len(NATURE_OF_SUIT)
    assert {"11", "12", "13", "14", "21", "31", "41", "51", "01", "02"} <= set(nos)
    assert {str(n) for n in range(61, 69)} | {"71", "72", "81", "91"} <= set(nos)
    assert "523(a)(6)" in nos["68"]
    assert "523(a)(2)" in nos["62"]
    codes = [code for code, _label in DEFICIENCY_KINDS]
    assert len(codes) == len(set(codes)) == 11


def _set(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def mutate(event: dict[str, Any]) -> None:
        event[key] = value

    return mutate


def _drop_key(event: dict[str, Any]) -> None:
    del event["visibility"]


def _bad_placeholder(event: dict[str, Any]) -> None:
    event["docket_text"] = "Motion {nonexistent}."


def _deadline_to_missing_field(event: dict[str, Any]) -> None:
    event["sets_deadlines"] = [{"kind": "objection", "field": "nope", "days": None}]


@pytest.mark.parametrize(
    ("mutate", "problem"),
    [
        (_drop_key, "missing keys ['visibility']"),
        (_set("category", "misc"), "unknown category"),
        (_set("filer_roles", ["attorney", "epoc"]), "epoc may not file motion"),
        (_set("filer_roles", ["wizard"]), "filer_roles must be known roles"),
        (_set("pdf", "maybe"), "pdf must be"),
        (_set("fee_cents", -1), "fee_cents must be an int"),
        (_set("bnc", True), "bnc must match"),
        (_set("case_action", "explode"), "unknown case_action"),
        (_set("case_action", "open_bk"), "case_action open_bk in category motion"),
        (_set("ends_deadlines", ["someday"]), "unknown ends_deadlines"),
        (_bad_placeholder, "unknown field {nonexistent}"),
        (_deadline_to_missing_field, "names unknown field 'nope'"),
    ],
)
def test_validator_reports_a_broken_event(
    mutate: Callable[[dict[str, Any]], None], problem: str
) -> None:
    """The validator names what is wrong with a bad event."""
    event = copy.deepcopy(BY_CODE["nmrp"])
    mutate(event)
    problems = validate_events([event])
    assert any(problem in p for p in problems), problems


def test_validator_reports_court_event_filed_by_attorney() -> None:
    """An order that an attorney could file is refused."""
    event = copy.deepcopy(BY_CODE["order"])
    event["filer_roles"] = ["attorney"]
    assert any("only the court files order" in p for p in validate_events([event]))


def test_validator_reports_duplicate_codes() -> None:
    """Two events with one code are reported."""
    events = [copy.deepcopy(BY_CODE["cos"]), copy.deepcopy(BY_CODE["cos"])]
    assert any("duplicate code" in p for p in validate_events(events))
