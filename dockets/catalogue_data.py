"""The court's event catalogue: every kind of docket entry ECF accepts, as plain data.

The demo data loads `EVENTS` into `dockets.models.Event`; its keys mirror the model
fields one for one. `validate_events()` checks the catalogue's shape and internal
consistency, so a bad edit fails a test instead of a filing.

An event carries the behaviour CM/ECF hides behind an event name: who may file it,
what it costs, whether it needs a PDF or an earlier entry, which fields the filer
fills in, which deadlines it sets or satisfies and what it does to the case
(cmecf.md 0: "events ... set or remove deadlines and case flags, satisfy response
requirements ... and charge fees").

Conventions the filing code relies on:

- `docket_text` is a `str.format` template holding only the event's own text. The
  filing code adds "Filed by ... on behalf of ...", "(RE: related document(s) ...)",
  "(Attachments: ...)" and "Fee Amount $..." (cmecf.md 6.2). Placeholders name
  *required* fields only, so a template never renders an empty value.
- A deadline either comes from a date field of the event (`field`), or is `days`
  after the filing date. A deadline of kind "other" takes its label from its field.
- Claims-register events (`case_action` claim_file, claim_amend, claim_supplement)
  are `numbered=False`: they get a claim number such as 1-1 on the claims register,
  not a docket number (cmecf.md 6.2 "Claims have their own numbering").
- Conversion fees depend on the case's chapter, so the conversion events in
  `CONVERSION_FEE_EVENTS` carry `fee_cents=0` and the fee comes from
  `fee_cents_for(event, chapter=..., to_chapter=...)`.
- `bnc` is True exactly when the event name ends "(BNC)" (cmecf.md 3.3).

Amounts are in cents. Fee sources are cited beside each amount; "# unverified"
marks amounts the reference could not confirm.
"""

from __future__ import annotations

import string
from enum import StrEnum
from typing import Any, Final

# -- Vocabularies -----------------------------------------------------------------


class EventCategory(StrEnum):
    """An event's category (Event.category). Code compares categories through these
    members, never through string literals (tests/security/test_role_gate.py)."""

    PETITION = "petition"
    SCHEDULES = "schedules"
    MOTION = "motion"
    APPLICATION = "application"
    RESPONSE = "response"
    NOTICE = "notice"
    PLAN = "plan"
    CLAIMS = "claims"
    ADVERSARY = "adversary"
    ORDER = "order"
    COURT = "court"
    DEFICIENCY = "deficiency"
    TRANSCRIPT = "transcript"
    FEE = "fee"
    OTHER = "other"


CATEGORIES: Final = tuple(EventCategory)
CASE_TYPES: Final = ("bk", "ap")
CHAPTERS: Final = ("7", "9", "11", "12", "13", "15")


class EventFiler(StrEnum):
    """Who may file an event (Event.filer_roles): a filer role (filers.models.Role),
    the court, or a creditor without an account through ePOC."""

    ATTORNEY = "attorney"
    CREDITOR = "creditor"
    TRUSTEE = "trustee"
    US_TRUSTEE = "us_trustee"
    COURT_REPORTER = "court_reporter"
    PARTY = "party"
    COURT = "court"
    EPOC = "epoc"


FILER_ROLES: Final = tuple(EventFiler)
FEE_EXEMPTIONS: Final = (
    "debtor",
    "trustee",
    "us_trustee",
    "government",
    "child_support_creditor",
)
PDF_RULES: Final = ("required", "optional", "none")
REFER_RULES: Final = ("required", "optional", "none")
FIELD_KINDS: Final = (
    "date",
    "datetime",
    "text",
    "money",
    "choice",
    "chapter",
    "hearing",
    "deficiency",
    "claim",
    "nature_of_suit",
    "days",
    "bool",
)
# Field kinds a deadline may be read from.
DATE_FIELD_KINDS: Final = ("date", "datetime", "hearing")
DEADLINE_KINDS: Final = (
    "objection",
    "response",
    "hearing",
    "claims_bar",
    "gov_claims_bar",
    "objection_to_discharge",
    "meeting_341",
    "cure",
    "transcript_redaction_request",
    "transcript_redacted",
    "transcript_release",
    "installment",
    "plan_confirmation",
    "financial_management",
    "deficiency_cure",
    "other",
)
CASE_ACTIONS: Final = (
    "",
    "open_bk",
    "open_ap",
    "convert",
    "dismiss",
    "discharge",
    "close",
    "reopen",
    "add_trustee",
    "terminate_trustee",
    "add_judge",
    "terminate_judge",
    "claim_file",
    "claim_amend",
    "claim_withdraw",
    "claim_transfer",
    "claim_supplement",
    "seal",
    "deficiency",
    "corrective",
    "transcript",
    "fee_receipt",
    "order",
    "hearing",
    "appearance",
    "courtesy_nef",
    "change_address",
    "matrix_amend",
)
VISIBILITIES: Final = ("public", "restricted")

EVENT_KEYS: Final = frozenset(
    {
        "code",
        "category",
        "name",
        "form_number",
        "case_types",
        "chapters",
        "filer_roles",
        "fee_cents",
        "fee_exemptions",
        "pdf",
        "attachments",
        "numbered",
        "refers",
        "refer_categories",
        "needs_party_against",
        "fields",
        "docket_text",
        "sets_deadlines",
        "ends_deadlines",
        "bnc",
        "case_action",
        "visibility",
        "description",
    }
)
FIELD_KEYS: Final = frozenset(
    {"name", "label", "kind", "required", "default_days", "choices"}
)
DEADLINE_KEYS: Final = frozenset({"kind", "field", "days"})

# -- Fees -------------------------------------------------------------------------

# source: nceb.uscourts.gov/court-fees ("Fees effective 12-1-23"); lawb; cob.
# The totals are unchanged since 12/1/2020 (cmecf.md 3.4).
PETITION_FEE_PARTS_CENTS: Final[dict[str, dict[str, int]]] = {
    "7": {"filing": 24500, "administrative": 7800, "trustee_surcharge": 1500},
    "9": {"filing": 116700, "administrative": 57100},
    "11": {"filing": 116700, "administrative": 57100},
    "12": {"filing": 20000, "administrative": 7800},
    "13": {"filing": 23500, "administrative": 7800},
    "15": {"filing": 116700, "administrative": 57100},
}
PETITION_FEES_CENTS: Final[dict[str, int]] = {
    chapter: sum(parts.values()) for chapter, parts in PETITION_FEE_PARTS_CENTS.items()
}

# Keyed by (from_chapter, to_chapter). Pairs not listed cost nothing.
# source: nceb (12-1-23); wyb.uscourts.gov fee chart effective 12-1-2020.
CONVERSION_FEES_CENTS: Final[dict[tuple[str, str], int]] = {
    ("13", "7"): 2500,
    ("12", "7"): 6000,
    ("12", "13"): 3500,
    ("11", "7"): 1500,
    ("15", "7"): 1500,
    ("7", "11"): 92200,
    ("13", "11"): 93200,
    # unverified: the difference in filing fees ($1,167 - $200), the rule that gives
    # the sourced 7->11 ($1,167 - $245) and 13->11 ($1,167 - $235) amounts.
    ("12", "11"): 96700,
}

# The filing-fee portion only. Not charged to reopen for an administrative error,
# for discharge-related matters, or only to redact (the clerk marks the fee "not
# due" in those cases). source: wyb 2020; paeb 2003; uscourts.gov 2014 news.
REOPEN_FEES_CENTS: Final[dict[str, int]] = {
    "7": 26000,
    "11": 116700,
    "12": 20000,
    "13": 23500,
}

# source: real NEFs of Feb and Apr 2024, "Fee Amount $199" (JS:.../nef/s3/ianb.txt).
RELIEF_FROM_STAY_FEE_CENTS: Final = 19900
# unverified: $188 in 2020 alongside relief from stay; assumed to have moved with it
# to $199 on 12/1/2023 (cmecf.md 10).
SAME_AS_STAY_RELIEF_FEE_CENTS: Final = 19900
# source: cob; nyeb 2014 news; "Fee Amount $350" in JS:.../nef/s3/ctb_multi_1.txt.
ADVERSARY_COMPLAINT_FEE_CENTS: Final = 35000
# source: EDNY 2016 schedule; wyb 2020; cob ($5 + $293).
NOTICE_OF_APPEAL_FEE_CENTS: Final = 29800
# source: uscourts.gov/news/2014/11/19 ($25 per affected case from 12/1/2014).
# unverified: wyb lists $26 in 2020; the current amount could not be confirmed.
REDACT_FEE_CENTS: Final = 2500
# unverified: $32 from 12/1/2020 (cob); $34 since 12/1/2023 is remembered, not sourced.
AMEND_SCHEDULES_FEE_CENTS: Final = 3400
# source gap: $25 per claim transferred from May 1, 2013 (cacb PN 13-008, item 20
# of the miscellaneous fee schedule). The redaction fee, also created at $25, was
# $26 in 2020 (wyb); assumed: this fee moved with it. Any later change is unverified.
TRANSFER_OF_CLAIM_FEE_CENTS: Final = 2600

# Official Form 103A; CASB allows 3 installments (casb news 2014). FRBP 1006(b)(2):
# the last installment is due no later than 120 days after the petition.
INSTALLMENT_FINAL_DAYS: Final = 120

# Judicial Conference transcript policy: remote access restricted for 90 days.
TRANSCRIPT_RESTRICTION_DAYS: Final = 90
# Same policy: notice of intent to request redaction 7 days, redaction request 21,
# redacted transcript 31 (the deadlines CM/ECF prints on transcript entries).
TRANSCRIPT_INTENT_DAYS: Final = 7
TRANSCRIPT_REDACTION_REQUEST_DAYS: Final = 21
TRANSCRIPT_REDACTED_DAYS: Final = 31

# -- Deficiencies and natures of suit ---------------------------------------------

DEFICIENCY_KINDS: Final[list[tuple[str, str]]] = [
    ("signature", "Missing signature"),
    ("schedules", "Missing schedules"),
    ("sofa", "Missing statement of financial affairs"),
    ("credit_counseling", "Missing credit counseling certificate"),
    ("means_test", "Missing means test"),
    ("wrong_event", "Wrong event"),
    ("pdf_mismatch", "PDF does not match docket text"),
    ("fee", "Missing fee"),
    ("illegible_pdf", "Illegible or blank PDF"),
    ("matrix", "Missing matrix"),
    ("wrong_case", "Filed in wrong case"),
]

# Which events cure which deficiency: filing one of them ends that deficiency's
# "deficiency_cure" deadline. Deficiencies not listed (signature, wrong event,
# PDF mismatch, illegible PDF, wrong case) are cured by refiling the document,
# which the clerk confirms.
DEFICIENCY_CURED_BY: Final[dict[str, list[str]]] = {
    "schedules": ["sch", "sumsch", "decsch"],
    "sofa": ["sofa", "sofan"],
    "credit_counseling": ["crcou"],
    "means_test": ["122a1", "122a2", "122b", "122c1", "122c2"],
    "fee": ["rcptfee", "instfin"],
    "matrix": ["crmtx"],
}

# Official Form B1040 (Adversary Proceeding Cover Sheet), natures of suit under
# FRBP 7001. Codes seen on real dockets: 21, 62, 72, 81, 91, 02 (cmecf.md 2.2).
NATURE_OF_SUIT: Final[list[tuple[str, str]]] = [
    ("11", "Recovery of money/property - 542 turnover of property"),
    ("12", "Recovery of money/property - 547 preference"),
    ("13", "Recovery of money/property - 548 fraudulent transfer"),
    ("14", "Recovery of money/property - other"),
    ("21", "Validity, priority or extent of lien or other interest in property"),
    ("31", "Approval of sale of property of estate and of a co-owner - 363(h)"),
    ("41", "Objection / revocation of discharge - 727(c),(d),(e)"),
    ("51", "Revocation of confirmation"),
    ("61", "Dischargeability - 523(a)(5), domestic support"),
    (
        "62",
        "Dischargeability - 523(a)(2), false pretenses, false representation, actual fraud",
    ),
    ("63", "Dischargeability - 523(a)(8), student loan"),
    (
        "64",
        "Dischargeability - 523(a)(15), divorce or separation obligation "
        "(other than domestic support)",
    ),
    ("65", "Dischargeability - other"),
    ("66", "Dischargeability - 523(a)(1),(14),(14A) priority tax claims"),
    ("67", "Dischargeability - 523(a)(4), fraud as fiduciary, embezzlement, larceny"),
    ("68", "Dischargeability - 523(a)(6), willful and malicious injury"),
    ("71", "Injunctive relief - imposition of stay"),
    ("72", "Injunctive relief - other"),
    ("81", "Subordination of claim or interest"),
    ("91", "Declaratory judgment"),
    ("01", "Determination of removed claim or cause"),
    (
        "02",
        "Other (e.g. other actions that would have been brought in state court if unrelated to bankruptcy case)",
    ),
    ("SS", "SIPA Case - 15 U.S.C. 78aaa et seq."),
]

# -- Builders -----------------------------------------------------------------------

# Who may file ordinary pleadings: attorneys, trustees and the U.S. Trustee.
PLEADERS: Final = ("attorney", "trustee", "us_trustee")
COURT: Final = ("court",)


def _field(
    name: str,
    label: str,
    kind: str,
    *,
    required: bool = True,
    default_days: int | None = None,
    choices: tuple[str, ...] | list[str] = (),
) -> dict[str, Any]:
    return {
        "name": name,
        "label": label,
        "kind": kind,
        "required": required,
        "default_days": default_days,
        "choices": list(choices),
    }


def _deadline(kind: str, *, field: str = "", days: int | None = None) -> dict[str, Any]:
    return {"kind": kind, "field": field, "days": days}


def _event(
    code: str,
    category: str,
    name: str,
    *,
    docket_text: str,
    description: str,
    form_number: str = "",
    case_types: tuple[str, ...] = ("bk",),
    chapters: tuple[str, ...] = (),
    filer_roles: tuple[str, ...] = PLEADERS,
    fee_cents: int = 0,
    fee_exemptions: tuple[str, ...] = (),
    pdf: str = "required",
    attachments: bool = True,
    numbered: bool = True,
    refers: str = "none",
    refer_categories: tuple[str, ...] = (),
    needs_party_against: bool = False,
    fields: tuple[dict[str, Any], ...] = (),
    sets_deadlines: tuple[dict[str, Any], ...] = (),
    ends_deadlines: tuple[str, ...] = (),
    case_action: str = "",
    visibility: str = "public",
) -> dict[str, Any]:
    return {
        "code": code,
        "category": category,
        "name": name,
        "form_number": form_number,
        "case_types": list(case_types),
        "chapters": list(chapters),
        "filer_roles": list(filer_roles),
        "fee_cents": fee_cents,
        "fee_exemptions": list(fee_exemptions),
        "pdf": pdf,
        "attachments": attachments,
        "numbered": numbered,
        "refers": refers,
        "refer_categories": list(refer_categories),
        "needs_party_against": needs_party_against,
        "fields": [dict(f, choices=list(f["choices"])) for f in fields],
        "docket_text": docket_text,
        "sets_deadlines": [dict(d) for d in sets_deadlines],
        "ends_deadlines": list(ends_deadlines),
        "bnc": name.endswith("(BNC)"),
        "case_action": case_action,
        "visibility": visibility,
        "description": description,
    }


# Common fields. cmecf.md 3.2 step 10: "last day to object (defaults to 14 days)".
def _objection_deadline(days: int = 14) -> dict[str, Any]:
    return _field("objection_deadline", "Last day to object", "date", default_days=days)


def _hearing(*, required: bool = False) -> dict[str, Any]:
    return _field(
        "hearing", "Hearing date, time and place", "hearing", required=required
    )


def _signed_on() -> dict[str, Any]:
    return _field("signed_on", "Signed on", "date", default_days=0)


def _claim(label: str = "Claim number") -> dict[str, Any]:
    return _field("claim", label, "claim")


OBJECTION_FROM_FIELD: Final = _deadline("objection", field="objection_deadline")
HEARING_FROM_FIELD: Final = _deadline("hearing", field="hearing")

# Text fee exemptions: the miscellaneous fee schedule is not charged to the United
# States (uslegal copy of the Bankruptcy Court Miscellaneous Fee Schedule preamble),
# and trustees and the U.S. Trustee are generally not charged at filing (the estate
# pays later where a fee is owed).
OFFICIAL_EXEMPTIONS: Final = ("trustee", "us_trustee", "government")

# -- The catalogue --------------------------------------------------------------------

_PETITIONS: list[dict[str, Any]] = []
for _ch, _individual, _non_individual in (
    ("7", True, True),
    ("9", False, True),
    ("11", True, True),
    ("12", True, True),
    # 11 U.S.C. 109(e): only individuals may be chapter 13 debtors.
    ("13", True, False),
):
    if _individual:
        _PETITIONS.append(
            _event(
                f"volp{_ch}",
                "petition",
                f"Chapter {_ch} Voluntary Petition for Individuals",
                form_number="101",
                chapters=(_ch,),
                filer_roles=("attorney",),
                fee_cents=PETITION_FEES_CENTS[_ch],
                fields=(
                    _field("joint", "Joint petition (spouses)", "bool", required=False),
                    _field(
                        "fee_payment",
                        "Filing fee",
                        "choice",
                        choices=("Paid", "Installments", "Waiver requested"),
                    ),
                ),
                docket_text=f"Chapter {_ch} Voluntary Petition for Individuals.",
                case_action="open_bk",
                description=(
                    f"Opens a new chapter {_ch} case for an individual or married couple "
                    "(Official Form 101). Upload the petition, schedules and statements "
                    "you have; the creditor matrix is filed next."
                ),
            )
        )
    if _non_individual:
        _PETITIONS.append(
            _event(
                f"volp{_ch}n",
                "petition",
                f"Chapter {_ch} Voluntary Petition for Non-Individuals",
                form_number="201",
                chapters=(_ch,),
                filer_roles=("attorney",),
                fee_cents=PETITION_FEES_CENTS[_ch],
                fields=(
                    (
                        _field(
                            "subchapter_v",
                            "Small business debtor electing subchapter V",
                            "bool",
                            required=False,
                        ),
                    )
                    if _ch == "11"
                    else ()
                ),
                docket_text=f"Chapter {_ch} Voluntary Petition for Non-Individuals.",
                case_action="open_bk",
                description=(
                    f"Opens a new chapter {_ch} case for a corporation, partnership"
                    + (" or municipality" if _ch == "9" else " or other entity")
                    + " (Official Form 201)."
                ),
            )
        )

_PETITIONS += [
    _event(
        "volp15",
        "petition",
        "Chapter 15 Petition for Recognition of a Foreign Proceeding",
        form_number="401",
        chapters=("15",),
        filer_roles=("attorney",),
        fee_cents=PETITION_FEES_CENTS["15"],
        fields=(_field("foreign_proceeding", "Foreign proceeding", "text"),),
        docket_text="Chapter 15 Petition for Recognition of Foreign Proceeding: {foreign_proceeding}.",
        case_action="open_bk",
        description=(
            "Opens a chapter 15 case: a foreign representative asks the court to "
            "recognise a foreign insolvency proceeding (Official Form 401)."
        ),
    ),
    *(
        _event(
            f"invol{_ch}",
            "petition",
            f"Involuntary Petition (Chapter {_ch})",
            form_number="105",
            chapters=(_ch,),
            filer_roles=("attorney",),
            fee_cents=PETITION_FEES_CENTS[_ch],
            needs_party_against=True,
            fields=(_field("petitioning_creditors", "Petitioning creditors", "text"),),
            docket_text=f"Involuntary Petition (Chapter {_ch}) by {{petitioning_creditors}}.",
            # FRBP 1011(b): the debtor answers within 21 days after the summons is served.
            sets_deadlines=(_deadline("response", days=21),),
            case_action="open_bk",
            description=(
                f"Petitioning creditors open an involuntary chapter {_ch} case against "
                "a debtor (Official Form 105). Pick the alleged debtor as the party "
                "against."
            ),
        )
        for _ch in ("7", "11")
    ),
    _event(
        "amdpet",
        "petition",
        "Amended Voluntary Petition",
        filer_roles=("attorney",),
        refers="optional",
        refer_categories=("petition",),
        docket_text="Amended Voluntary Petition.",
        description=(
            "Corrects or completes the petition already on file, for example a "
            "missing alias or address. Do not use it to add creditors; use Amended "
            "Schedules or the amended creditor matrix."
        ),
    ),
    _event(
        "ssn121",
        "petition",
        "Statement About Your Social Security Numbers (Official Form 121)",
        form_number="121",
        filer_roles=("attorney",),
        attachments=False,
        docket_text="Statement About Your Social Security Numbers (Official Form 121).",
        # guess: restricted from public view in every court (cmecf.md 10).
        visibility="restricted",
        description=(
            "The debtor's full Social Security number statement, filed with every "
            "individual petition. It is never shown to the public."
        ),
    ),
    _event(
        "crcou",
        "petition",
        "Certificate of Credit Counseling",
        filer_roles=("attorney",),
        fields=(
            _field("debtor", "Debtor", "choice", choices=("Debtor", "Joint Debtor")),
        ),
        docket_text="Certificate of Credit Counseling for {debtor}.",
        ends_deadlines=("deficiency_cure",),
        description=(
            "The certificate from an approved credit counseling agency, one per "
            "debtor (11 U.S.C. 109(h)). Filing it cures a missing-certificate "
            "deficiency."
        ),
    ),
    _event(
        "122a1",
        "petition",
        "Chapter 7 Statements of Monthly Income (122A-1) / Exemption Presumption of Abuse (122A-1Supp)",
        form_number="122A-1",
        chapters=("7",),
        filer_roles=("attorney",),
        docket_text="Chapter 7 Statement of Your Current Monthly Income (Form 122A-1).",
        ends_deadlines=("deficiency_cure",),
        description=(
            "The chapter 7 means test, part 1 (Official Form 122A-1, with 122A-1Supp "
            "if an exemption applies)."
        ),
    ),
    _event(
        "122a2",
        "petition",
        "Chapter 7 Means Test Calculation (122A-2)",
        form_number="122A-2",
        chapters=("7",),
        filer_roles=("attorney",),
        docket_text="Chapter 7 Means Test Calculation (Form 122A-2).",
        ends_deadlines=("deficiency_cure",),
        description=(
            "The chapter 7 means test calculation, needed when income is above the "
            "state median (Official Form 122A-2)."
        ),
    ),
    _event(
        "122b",
        "petition",
        "Chapter 11 Statement of Your Current Monthly Income (122B)",
        form_number="122B",
        chapters=("11",),
        filer_roles=("attorney",),
        docket_text="Chapter 11 Statement of Your Current Monthly Income (Form 122B).",
        ends_deadlines=("deficiency_cure",),
        description="The current monthly income statement of an individual chapter 11 debtor (Official Form 122B).",
    ),
    _event(
        "122c1",
        "petition",
        "Chapter 13 Statement of Your Current Monthly Income and Calculation of Commitment Period (122C-1)",
        form_number="122C-1",
        chapters=("13",),
        filer_roles=("attorney",),
        docket_text="Chapter 13 Statement of Your Current Monthly Income and Calculation of Commitment Period (Form 122C-1).",
        ends_deadlines=("deficiency_cure",),
        description="The chapter 13 income statement that fixes the plan's commitment period (Official Form 122C-1).",
    ),
    _event(
        "122c2",
        "petition",
        "Chapter 13 Calculation of Your Disposable Income (122C-2)",
        form_number="122C-2",
        chapters=("13",),
        filer_roles=("attorney",),
        docket_text="Chapter 13 Calculation of Your Disposable Income (Form 122C-2).",
        ends_deadlines=("deficiency_cure",),
        description="The chapter 13 disposable income calculation for above-median debtors (Official Form 122C-2).",
    ),
    _event(
        "empinc",
        "petition",
        "Employee Income Records",
        filer_roles=("attorney",),
        docket_text="Employee Income Records.",
        # guess: payment advices carry account numbers and employer details, so they
        # are kept from public view as Form 121 is.
        visibility="restricted",
        description=(
            "Pay stubs or other payment advices for the 60 days before the petition "
            "(11 U.S.C. 521(a)(1)(B)(iv)). Redact all but the last four digits of "
            "account numbers."
        ),
    ),
    _event(
        "crmtx",
        "petition",
        "Creditor Matrix",
        filer_roles=("attorney",),
        pdf="optional",
        attachments=False,
        docket_text="Creditor Matrix.",
        # The original matrix and later amendments both load the mailing list.
        case_action="matrix_amend",
        ends_deadlines=("deficiency_cure",),
        description=(
            "The list of creditors' names and mailing addresses used for all mailed "
            "notices, uploaded right after the petition. Keep each address to five "
            "lines or fewer."
        ),
    ),
]

_SCHEDULES = [
    _event(
        "sch",
        "schedules",
        "Schedules A/B-J",
        # Official Forms 106A/B through 106J (individuals) or 206 (non-individuals).
        form_number="106",
        filer_roles=("attorney",),
        docket_text="Schedules A/B-J.",
        # FRBP 1007(c): schedules are due 14 days after the petition.
        ends_deadlines=("deficiency_cure",),
        description=(
            "The debtor's schedules of assets, liabilities, income and expenses, "
            "when filed after the petition. Use Amended Schedules to change them later."
        ),
    ),
    _event(
        "sumsch",
        "schedules",
        "Summary of Assets and Liabilities and Certain Statistical Information",
        form_number="106Sum",
        filer_roles=("attorney",),
        docket_text="Summary of Assets and Liabilities and Certain Statistical Information (Official Form 106Sum).",
        ends_deadlines=("deficiency_cure",),
        description="The one-page summary of the schedules (Official Form 106Sum or 206Sum).",
    ),
    _event(
        "decsch",
        "schedules",
        "Declaration About an Individual Debtor's Schedules",
        form_number="106Dec",
        filer_roles=("attorney",),
        docket_text="Declaration About an Individual Debtor's Schedules (Official Form 106Dec).",
        ends_deadlines=("deficiency_cure",),
        description="The debtor's signed declaration that the schedules are true and correct (Official Form 106Dec).",
    ),
    _event(
        "sofa",
        "schedules",
        "Statement of Financial Affairs",
        form_number="107",
        filer_roles=("attorney",),
        docket_text="Statement of Financial Affairs for Individuals Filing for Bankruptcy.",
        ends_deadlines=("deficiency_cure",),
        description="The statement of financial affairs of an individual debtor (Official Form 107).",
    ),
    _event(
        "sofan",
        "schedules",
        "Statement of Financial Affairs for Non-Individuals",
        form_number="207",
        filer_roles=("attorney",),
        docket_text="Statement of Financial Affairs for Non-Individuals Filing for Bankruptcy.",
        ends_deadlines=("deficiency_cure",),
        description="The statement of financial affairs of a corporation, partnership or other entity (Official Form 207).",
    ),
    _event(
        "stint",
        "schedules",
        "Statement of Intention for Individuals Filing Under Chapter 7",
        form_number="108",
        chapters=("7",),
        filer_roles=("attorney",),
        docket_text="Chapter 7 Statement of Intention.",
        description=(
            "States whether the debtor will surrender, redeem or reaffirm secured "
            "debts and keep or reject leases (Official Form 108; 11 U.S.C. 521(a)(2))."
        ),
    ),
    _event(
        "amdsch",
        "schedules",
        "Amended Schedules",
        filer_roles=("attorney",),
        fee_cents=AMEND_SCHEDULES_FEE_CENTS,
        refers="optional",
        refer_categories=("schedules", "petition"),
        fields=(_field("schedules", "Schedules amended (e.g. D, E/F)", "text"),),
        docket_text="Amended Schedules {schedules}.",
        case_action="matrix_amend",
        description=(
            "Amends Schedules D or E/F to add or delete creditors or change an amount "
            "or classification; the amendment fee applies (the judge may waive it). "
            "Upload the added creditors' addresses too."
        ),
    ),
    _event(
        "amdschnf",
        "schedules",
        "Amended Schedules (No Fee)",
        filer_roles=("attorney",),
        refers="optional",
        refer_categories=("schedules", "petition"),
        fields=(_field("schedules", "Schedules amended (e.g. A/B, C, I, J)", "text"),),
        docket_text="Amended Schedules {schedules}.",
        description=(
            "Amends schedules other than creditor changes on D or E/F, or only changes "
            "a creditor's address or adds a creditor's attorney: no fee is due."
        ),
    ),
    _event(
        "amdmtx",
        "schedules",
        "Amended Creditor Matrix (Fee)",
        filer_roles=("attorney",),
        fee_cents=AMEND_SCHEDULES_FEE_CENTS,
        pdf="optional",
        refers="optional",
        refer_categories=("petition", "schedules"),
        fields=(_field("creditors_added", "Number of creditors added", "text"),),
        docket_text="Amended Creditor Matrix. Creditors added: {creditors_added}.",
        case_action="matrix_amend",
        description=(
            "Adds creditors to the mailing list after the case was opened; the "
            "amendment fee applies. Address changes alone use Change of Address."
        ),
    ),
    _event(
        "corramd",
        "schedules",
        "Corrected Amendment",
        filer_roles=("attorney",),
        refers="required",
        refer_categories=("schedules", "petition"),
        docket_text="Corrected Amendment.",
        description=(
            "Replaces an amendment that was filed with a mistake the clerk asked you "
            "to correct. No new amendment fee is charged."
        ),
    ),
    _event(
        "atydis",
        "schedules",
        "Disclosure of Compensation of Attorney for Debtor",
        form_number="2030",
        filer_roles=("attorney",),
        docket_text="Disclosure of Compensation of Attorney for Debtor.",
        description="The debtor's attorney's statement of fees paid and agreed (FRBP 2016(b); Director's Form 2030).",
    ),
]

_MOTIONS = [
    _event(
        "nmrp",
        "motion",
        "Motion for Relief From Stay (Fee)",
        case_types=("bk",),
        fee_cents=RELIEF_FROM_STAY_FEE_CENTS,
        # wiwb m_relief_from_stay: not charged when the debtor moves; child-support
        # creditors are exempt under the fee schedule.
        fee_exemptions=("debtor", *OFFICIAL_EXEMPTIONS, "child_support_creditor"),
        needs_party_against=True,
        fields=(
            _field(
                "property_type",
                "Relief sought",
                "choice",
                choices=(
                    "Real Property",
                    "Personal Property",
                    "Action in Non-Bankruptcy Forum",
                ),
            ),
            _field("property", "Property or action", "text", required=False),
            _objection_deadline(),
            _hearing(),
        ),
        docket_text="Motion for Relief from Stay, {property_type}. Objections due by {objection_deadline}.",
        sets_deadlines=(OBJECTION_FROM_FIELD, HEARING_FROM_FIELD),
        description=(
            "Asks the court to lift the automatic stay (11 U.S.C. 362(d)) for real or "
            "personal property or to continue an action elsewhere. Pick the debtor as "
            "the party against."
        ),
    ),
    _event(
        "cdstay",
        "motion",
        "Motion for Relief From Co-Debtor Stay",
        chapters=("12", "13"),
        needs_party_against=True,
        fields=(_objection_deadline(), _hearing()),
        docket_text="Motion for Relief from Co-Debtor Stay. Objections due by {objection_deadline}.",
        sets_deadlines=(OBJECTION_FROM_FIELD, HEARING_FROM_FIELD),
        description=(
            "Asks for relief from the co-debtor stay of 11 U.S.C. 1201 or 1301. No "
            "fee is charged (wiwb m_relief_from_stay)."
        ),
    ),
    _event(
        "extstay",
        "motion",
        "Motion to Extend Automatic Stay",
        filer_roles=("attorney",),
        fields=(_hearing(required=True),),
        docket_text="Motion to Extend Automatic Stay.",
        sets_deadlines=(HEARING_FROM_FIELD,),
        description=(
            "A repeat filer asks to extend the stay beyond 30 days (11 U.S.C. "
            "362(c)(3)); the hearing must be completed within 30 days of the petition."
        ),
    ),
    _event(
        "dismis",
        "motion",
        "Motion to Dismiss Case",
        fields=(_objection_deadline(), _hearing()),
        docket_text="Motion to Dismiss Case. Objections due by {objection_deadline}.",
        sets_deadlines=(OBJECTION_FROM_FIELD, HEARING_FROM_FIELD),
        description=(
            "Asks the court to dismiss the bankruptcy case, for example for failure "
            "to make plan payments or file documents."
        ),
    ),
    _event(
        "cnvt7",
        "motion",
        "Motion to Convert Case to Chapter 7",
        chapters=("11", "12", "13", "15"),
        # The fee depends on the case's chapter: see CONVERSION_FEE_EVENTS.
        fee_exemptions=OFFICIAL_EXEMPTIONS,
        fields=(
            _field("to_chapter", "Convert to chapter", "chapter", choices=("7",)),
            _objection_deadline(),
            _hearing(),
        ),
        docket_text="Motion to Convert Case to Chapter {to_chapter}. Objections due by {objection_deadline}.",
        sets_deadlines=(OBJECTION_FROM_FIELD, HEARING_FROM_FIELD),
        description=(
            "Asks the court to convert a chapter 11, 12, 13 or 15 case to chapter 7. "
            "The conversion fee depends on the present chapter."
        ),
    ),
    _event(
        "convrt",
        "motion",
        "Motion to Convert Case",
        chapters=("7", "11", "12", "13"),
        fee_exemptions=OFFICIAL_EXEMPTIONS,
        fields=(
            _field(
                "to_chapter",
                "Convert to chapter",
                "chapter",
                choices=("11", "12", "13"),
            ),
            _objection_deadline(),
            _hearing(),
        ),
        docket_text="Motion to Convert Case to Chapter {to_chapter}. Objections due by {objection_deadline}.",
        sets_deadlines=(OBJECTION_FROM_FIELD, HEARING_FROM_FIELD),
        description=(
            "Asks the court to convert the case to chapter 11, 12 or 13. The "
            "conversion fee depends on the present and new chapters."
        ),
    ),
    *(
        _event(
            f"reopen{_ch}",
            "motion",
            f"Motion to Reopen Chapter {_ch} Case",
            chapters=(_ch,),
            fee_cents=fee,
            fee_exemptions=OFFICIAL_EXEMPTIONS,
            fields=(_field("reason", "Reason for reopening", "text"),),
            docket_text=f"Motion to Reopen Chapter {_ch} Case. Reason: {{reason}}.",
            description=(
                f"Asks to reopen a closed chapter {_ch} case (11 U.S.C. 350(b)). No fee "
                "is due to correct an administrative error or for discharge-related "
                "matters; say so in the reason."
            ),
        )
        for _ch, fee in REOPEN_FEES_CENTS.items()
    ),
    _event(
        "redact",
        "motion",
        "Motion to Redact (Fee)",
        case_types=("bk", "ap"),
        fee_cents=REDACT_FEE_CENTS,
        fee_exemptions=("government",),
        refers="required",
        docket_text="Motion to Redact Previously Filed Document (FRBP 9037(h)).",
        description=(
            "Asks to redact personal identifiers from a document already filed. The "
            "clerk restricts the document until the court rules; the fee is charged "
            "per affected case."
        ),
    ),
    _event(
        "mseal",
        "motion",
        "Motion to File Document Under Seal",
        case_types=("bk", "ap"),
        docket_text="Motion to File Document Under Seal.",
        description="Asks permission to file a document under seal (11 U.S.C. 107; FRBP 9018).",
    ),
    _event(
        "extime",
        "motion",
        "Motion to Extend Time",
        case_types=("bk", "ap"),
        refers="optional",
        fields=(
            _field("extend_what", "Extend time to", "text"),
            _field("requested_date", "New date requested", "date", required=False),
        ),
        docket_text="Motion to Extend Time to {extend_what}.",
        description=(
            "Asks for more time to do something, for example file schedules or "
            "object to discharge. Name the act in the text."
        ),
    ),
    _event(
        "sell",
        "motion",
        "Motion to Sell Property Free and Clear of Liens (Fee)",
        fee_cents=SAME_AS_STAY_RELIEF_FEE_CENTS,
        fee_exemptions=OFFICIAL_EXEMPTIONS,
        fields=(
            _field("property", "Property to be sold", "text"),
            _objection_deadline(21),
            _hearing(),
        ),
        # FRBP 2002(a)(2): 21 days' notice of a sale outside the ordinary course.
        docket_text="Motion to Sell Property Free and Clear of Liens under Section 363(f): {property}. Objections due by {objection_deadline}.",
        sets_deadlines=(OBJECTION_FROM_FIELD, HEARING_FROM_FIELD),
        description=(
            "Asks to sell estate property free and clear of liens and interests "
            "(11 U.S.C. 363(f)). Creditors get 21 days' notice."
        ),
    ),
    _event(
        "mabn",
        "motion",
        "Motion to Compel Abandonment (Fee)",
        fee_cents=SAME_AS_STAY_RELIEF_FEE_CENTS,
        fee_exemptions=OFFICIAL_EXEMPTIONS,
        fields=(
            _field("property", "Property", "text"),
            _objection_deadline(),
            _hearing(),
        ),
        docket_text="Motion to Compel Abandonment of Property: {property}. Objections due by {objection_deadline}.",
        sets_deadlines=(OBJECTION_FROM_FIELD, HEARING_FROM_FIELD),
        description=(
            "Asks the court to order the trustee to abandon burdensome or worthless "
            "property (11 U.S.C. 554(b)). A trustee abandoning on its own files "
            "Notice of Intent to Abandon instead."
        ),
    ),
    _event(
        "avoid",
        "motion",
        "Motion to Avoid Lien",
        filer_roles=("attorney",),
        needs_party_against=True,
        fields=(
            _field("lien_holder", "Lien holder", "text"),
            _field("property", "Property", "text"),
            _objection_deadline(),
            _hearing(),
        ),
        docket_text="Motion to Avoid Lien with {lien_holder} on {property}. Objections due by {objection_deadline}.",
        sets_deadlines=(OBJECTION_FROM_FIELD, HEARING_FROM_FIELD),
        description=(
            "The debtor asks to avoid a judicial lien or nonpossessory security "
            "interest that impairs an exemption (11 U.S.C. 522(f)). Pick the lien "
            "holder as the party against."
        ),
    ),
    _event(
        "cashcl",
        "motion",
        "Motion to Use Cash Collateral",
        chapters=("11", "12"),
        fields=(_hearing(),),
        docket_text="Motion to Use Cash Collateral.",
        sets_deadlines=(HEARING_FROM_FIELD,),
        description="The debtor in possession asks to use cash collateral (11 U.S.C. 363(c)(2)).",
    ),
    _event(
        "modpl",
        "motion",
        "Motion to Modify Confirmed Chapter 13 Plan",
        chapters=("13",),
        refers="optional",
        refer_categories=("plan", "order"),
        fields=(_objection_deadline(21), _hearing()),
        docket_text="Motion to Modify Confirmed Chapter 13 Plan. Objections due by {objection_deadline}.",
        sets_deadlines=(OBJECTION_FROM_FIELD, HEARING_FROM_FIELD),
        description=(
            "Asks to modify a chapter 13 plan after confirmation (11 U.S.C. 1329). "
            "Attach the modified plan."
        ),
    ),
    _event(
        "approv",
        "motion",
        "Motion to Approve",
        case_types=("bk", "ap"),
        fields=(
            _field("approve_what", "Approve (e.g. Compromise under Rule 9019)", "text"),
            _objection_deadline(),
            _hearing(),
        ),
        docket_text="Motion to Approve {approve_what}. Objections due by {objection_deadline}.",
        sets_deadlines=(OBJECTION_FROM_FIELD, HEARING_FROM_FIELD),
        description=(
            "Asks the court to approve an agreement or act, such as a compromise "
            "under FRBP 9019 or a loan modification."
        ),
    ),
    _event(
        "conthr",
        "motion",
        "Motion to Continue Hearing",
        case_types=("bk", "ap"),
        refers="required",
        refer_categories=("motion", "application", "plan", "claims", "order"),
        docket_text="Motion to Continue Hearing.",
        description="Asks the court to move a scheduled hearing. Refer to the matter set for hearing.",
    ),
    _event(
        "wdref",
        "motion",
        "Motion to Withdraw the Reference (Fee)",
        case_types=("bk", "ap"),
        fee_cents=SAME_AS_STAY_RELIEF_FEE_CENTS,
        fee_exemptions=OFFICIAL_EXEMPTIONS,
        docket_text="Motion to Withdraw the Reference.",
        description=(
            "Asks the district court to withdraw the case or proceeding from the "
            "bankruptcy court (28 U.S.C. 157(d)). It is sent to the district court."
        ),
    ),
    _event(
        "msj",
        "motion",
        "Motion for Summary Judgment",
        case_types=("ap", "bk"),
        fields=(_hearing(),),
        docket_text="Motion for Summary Judgment.",
        sets_deadlines=(HEARING_FROM_FIELD,),
        description="Asks for judgment without trial because no material fact is disputed (FRBP 7056).",
    ),
    _event(
        "mdfj",
        "motion",
        "Motion for Default Judgment",
        case_types=("ap",),
        needs_party_against=True,
        refers="optional",
        refer_categories=("adversary",),
        fields=(_hearing(),),
        docket_text="Motion for Default Judgment.",
        sets_deadlines=(HEARING_FROM_FIELD,),
        description=(
            "Asks for judgment against a defendant in default (FRBP 7055). The "
            "clerk's entry of default comes first."
        ),
    ),
    _event(
        "miscm",
        "motion",
        "Miscellaneous Motion",
        case_types=("bk", "ap"),
        fields=(
            _field("relief", "Relief requested", "text"),
            _objection_deadline(),
            _hearing(),
        ),
        docket_text="Motion for {relief}. Objections due by {objection_deadline}.",
        sets_deadlines=(OBJECTION_FROM_FIELD, HEARING_FROM_FIELD),
        description=(
            "Any motion that has no event of its own. Search the event list first: "
            "a specific event sets the right deadlines and fee."
        ),
    ),
]

_APPLICATIONS = [
    _event(
        "employ",
        "application",
        "Application to Employ",
        fields=(
            _field("professional", "Professional", "text"),
            _field("capacity", "As (e.g. Special Counsel, Accountant)", "text"),
            _objection_deadline(),
        ),
        docket_text="Application to Employ {professional} as {capacity}. Objections due by {objection_deadline}.",
        sets_deadlines=(OBJECTION_FROM_FIELD,),
        description=(
            "The trustee or debtor in possession asks to employ a professional "
            "(11 U.S.C. 327; FRBP 2014). Attach the professional's declaration."
        ),
    ),
    *(
        _event(
            code,
            "application",
            f"Application for {kind} Professional Compensation",
            fields=(
                _field("professional", "Professional", "text"),
                _field("period_start", "Period from", "date"),
                _field("period_end", "Period to", "date"),
                _field("fees", "Fees requested", "money"),
                _field("expenses", "Expenses requested", "money"),
                # FRBP 2002(a)(6): 21 days' notice of a request over $1,000.
                _objection_deadline(21),
                _hearing(),
            ),
            docket_text=(
                f"Application for {kind} Professional Compensation for {{professional}}, "
                "Period: {period_start} to {period_end}, Fee: {fees}, "
                "Expenses: {expenses}. Objections due by {objection_deadline}."
            ),
            sets_deadlines=(OBJECTION_FROM_FIELD, HEARING_FROM_FIELD),
            description=(
                f"A professional employed by the estate asks for {kind.lower()} "
                "allowance of fees and expenses (11 U.S.C. 330, 331)."
            ),
        )
        for code, kind in (("intcmp", "Interim"), ("fnlcmp", "Final"))
    ),
    _event(
        "mfst",
        "application",
        "Monthly Fee Statement",
        chapters=("11",),
        fields=(
            _field("professional", "Professional", "text"),
            _field("period_end", "Month ending", "date"),
            _objection_deadline(),
        ),
        docket_text="Monthly Fee Statement of {professional} for the period ending {period_end}. Objections due by {objection_deadline}.",
        sets_deadlines=(OBJECTION_FROM_FIELD,),
        description=(
            "A chapter 11 professional's monthly statement under an interim "
            "compensation order."
        ),
    ),
    _event(
        "feewv",
        "application",
        "Application to Have the Chapter 7 Filing Fee Waived",
        form_number="103B",
        chapters=("7",),
        filer_roles=("attorney",),
        attachments=False,
        docket_text="Application to Have the Chapter 7 Filing Fee Waived.",
        description=(
            "An individual chapter 7 debtor whose income is below 150% of the poverty "
            "guidelines asks the court to waive the filing fee (Official Form 103B)."
        ),
    ),
    _event(
        "instal",
        "application",
        "Application to Pay Filing Fee in Installments",
        form_number="103A",
        chapters=("7", "11", "12", "13"),
        filer_roles=("attorney",),
        attachments=False,
        docket_text="Application to Pay Filing Fee in Installments.",
        sets_deadlines=(_deadline("installment", days=INSTALLMENT_FINAL_DAYS),),
        description=(
            "An individual debtor asks to pay the filing fee in installments "
            "(Official Form 103A). This court allows three installments, the last "
            "within 120 days."
        ),
    ),
    _event(
        "phv",
        "application",
        "Application for Admission Pro Hac Vice",
        case_types=("bk", "ap"),
        filer_roles=("attorney",),
        fields=(_field("attorney_name", "Attorney to be admitted", "text"),),
        # unverified: any pro hac vice fee is set by the district court, not by the
        # bankruptcy fee schedule, so none is charged here.
        docket_text="Application for Admission Pro Hac Vice of {attorney_name}.",
        description=(
            "An attorney not admitted in this district asks to appear in one case. "
            "The attorney must register to e-file within 10 days of admission."
        ),
    ),
    _event(
        "shortn",
        "application",
        "Application for Order Shortening Time",
        case_types=("bk", "ap"),
        refers="required",
        refer_categories=("motion", "application"),
        docket_text="Application for Order Shortening Time.",
        description="Asks the court to hear a motion on shorter notice than the rules require (FRBP 9006(c)).",
    ),
    _event(
        "exparte",
        "application",
        "Ex Parte Application",
        case_types=("bk", "ap"),
        fields=(_field("relief", "Relief requested", "text"),),
        docket_text="Ex Parte Application for {relief}.",
        description="Asks for an order without notice or hearing where the rules allow it.",
    ),
]

_RESPONSE_TARGETS: Final = (
    "motion",
    "application",
    "plan",
    "claims",
    "notice",
    "adversary",
    "other",
)
_RESPONSES = [
    _event(
        "objt",
        "response",
        "Objection",
        case_types=("bk", "ap"),
        refers="required",
        refer_categories=_RESPONSE_TARGETS,
        docket_text="Objection.",
        ends_deadlines=("objection", "response"),
        description="Opposes a motion, application or other request already on the docket. Refer to it.",
    ),
    _event(
        "respon",
        "response",
        "Response",
        case_types=("bk", "ap"),
        refers="required",
        refer_categories=_RESPONSE_TARGETS,
        docket_text="Response.",
        ends_deadlines=("objection", "response"),
        description="Responds to a motion, order to show cause or other filing. Refer to it.",
    ),
    _event(
        "reply",
        "response",
        "Reply",
        case_types=("bk", "ap"),
        refers="required",
        refer_categories=("response",),
        docket_text="Reply.",
        description="The moving party's reply to an objection or response. Refer to the objection.",
    ),
    _event(
        "joinder",
        "response",
        "Joinder",
        case_types=("bk", "ap"),
        refers="required",
        docket_text="Joinder.",
        description="Joins another party's motion, objection or response. Refer to it.",
    ),
    _event(
        "cos",
        "response",
        "Certificate of Service",
        case_types=("bk", "ap"),
        refers="required",
        docket_text="Certificate of Service.",
        description="Proves service of a filed document. Refer to the document served.",
    ),
    _event(
        "cno",
        "response",
        "Certificate of No Objection",
        case_types=("bk", "ap"),
        refers="required",
        refer_categories=("motion", "application", "claims", "notice"),
        docket_text="Certificate of No Objection.",
        description=(
            "Certifies that the objection deadline passed with no objection, so the "
            "court may rule without a hearing. Refer to the motion."
        ),
    ),
    _event(
        "objcnf",
        "response",
        "Objection to Confirmation of Plan",
        chapters=("11", "12", "13"),
        refers="required",
        refer_categories=("plan",),
        docket_text="Objection to Confirmation of Plan.",
        ends_deadlines=("objection",),
        description=(
            "Objects to confirmation of a chapter 11, 12 or 13 plan. Refer to the "
            "plan (FRBP 3015(f), 3020(b))."
        ),
    ),
    _event(
        "objexm",
        "response",
        "Objection to Debtor's Claim of Exemptions",
        refers="optional",
        refer_categories=("schedules", "petition"),
        fields=(_hearing(),),
        docket_text="Objection to Debtor's Claim of Exemptions.",
        sets_deadlines=(HEARING_FROM_FIELD,),
        description=(
            "Objects to property the debtor claimed as exempt on Schedule C, within "
            "30 days after the meeting of creditors concludes (FRBP 4003(b))."
        ),
    ),
]

_NOTICES = [
    _event(
        "ntcapr",
        "notice",
        "Notice of Appearance and Request for Notice",
        case_types=("bk", "ap"),
        filer_roles=("attorney", "creditor", "us_trustee"),
        attachments=False,
        docket_text="Notice of Appearance and Request for Notice.",
        case_action="appearance",
        description=(
            "Enters an appearance for a party and asks to receive notices (FRBP "
            "2002(g), 9010(b)). You are added to the mailing list and get NEFs."
        ),
    ),
    _event(
        "crtnef",
        "notice",
        "Request for Courtesy Notice of Electronic Filing (NEF)",
        case_types=("bk", "ap"),
        filer_roles=("attorney",),
        pdf="none",
        attachments=False,
        docket_text="Request for Courtesy Notice of Electronic Filing (NEF).",
        case_action="courtesy_nef",
        description=(
            "Receive every NEF in this case without appearing for a party (CACB LBR "
            "2002-1(e) practice). No one is obliged to serve you."
        ),
    ),
    _event(
        "chgadr",
        "notice",
        "Change of Address",
        case_types=("bk", "ap"),
        filer_roles=("attorney", "creditor", "trustee", "us_trustee"),
        pdf="optional",
        attachments=False,
        fields=(
            _field("party_name", "Whose address", "text"),
            _field("new_address", "New address", "text"),
        ),
        docket_text="Change of Address for {party_name}.",
        case_action="change_address",
        description=(
            "Updates the mailing address of a debtor or creditor for notices in this "
            "case. Your own e-mail and address as a filer are kept in your account."
        ),
    ),
    _event(
        "ntchrg",
        "notice",
        "Notice of Hearing",
        case_types=("bk", "ap"),
        refers="required",
        refer_categories=("motion", "application", "plan", "claims", "response"),
        fields=(_hearing(required=True), _objection_deadline()),
        docket_text="Notice of Hearing. Hearing scheduled for {hearing}. Objections due by {objection_deadline}.",
        sets_deadlines=(HEARING_FROM_FIELD, OBJECTION_FROM_FIELD),
        description="Gives notice of the hearing on a motion or other matter you filed. Refer to the matter.",
    ),
    _event(
        "adjhrg",
        "notice",
        "Notice of Adjournment of Hearing",
        case_types=("bk", "ap"),
        refers="required",
        fields=(_hearing(required=True),),
        docket_text="Notice of Adjournment of Hearing. Hearing rescheduled for {hearing}.",
        sets_deadlines=(HEARING_FROM_FIELD,),
        ends_deadlines=("hearing",),
        description="Gives notice that a hearing was moved, with the new date. Refer to the matter.",
    ),
    _event(
        "appeal",
        "notice",
        "Notice of Appeal and Statement of Election (Fee)",
        form_number="417A",
        case_types=("bk", "ap"),
        fee_cents=NOTICE_OF_APPEAL_FEE_CENTS,
        fee_exemptions=OFFICIAL_EXEMPTIONS,
        refers="required",
        refer_categories=("order",),
        fields=(
            _field(
                "appeal_to",
                "Appeal heard by",
                "choice",
                choices=("Bankruptcy Appellate Panel", "District Court"),
            ),
        ),
        docket_text="Notice of Appeal to {appeal_to}.",
        description=(
            "Appeals a judgment or order within 14 days of its entry (FRBP 8002). "
            "Refer to the order appealed from (Official Form 417A)."
        ),
    ),
    _event(
        "ntccnv",
        "notice",
        "Notice of Conversion of Chapter 13 Case to Chapter 7",
        chapters=("13",),
        filer_roles=("attorney",),
        fields=(_field("to_chapter", "Convert to chapter", "chapter", choices=("7",)),),
        docket_text="Notice of Conversion of Chapter 13 Case to Chapter {to_chapter}.",
        # 11 U.S.C. 1307(a), FRBP 1017(f)(3): conversion by the debtor's notice takes
        # effect on filing, without an order.
        case_action="convert",
        description=(
            "The chapter 13 debtor converts the case to chapter 7 as of right "
            "(11 U.S.C. 1307(a)). The conversion fee is charged."
        ),
    ),
    _event(
        "ntcabn",
        "notice",
        "Notice of Intent to Abandon Property",
        filer_roles=("trustee", "attorney"),
        fields=(_field("property", "Property", "text"), _objection_deadline()),
        docket_text="Notice of Intent to Abandon Property: {property}. Objections due by {objection_deadline}.",
        sets_deadlines=(OBJECTION_FROM_FIELD,),
        description=(
            "The trustee or debtor in possession gives notice of abandoning "
            "burdensome or worthless property (FRBP 6007(a))."
        ),
    ),
    _event(
        "wddoc",
        "notice",
        "Withdrawal of Document",
        case_types=("bk", "ap"),
        filer_roles=(*PLEADERS, "creditor"),
        pdf="optional",
        attachments=False,
        refers="required",
        docket_text="Withdrawal of Document.",
        description=(
            "Withdraws a document you filed. Refer to it. Use Withdrawal of Claim for "
            "a proof of claim."
        ),
    ),
]

_CLAIMS = [
    _event(
        "claim",
        "claims",
        "Proof of Claim",
        form_number="410",
        filer_roles=("attorney", "creditor", "trustee", "epoc"),
        numbered=False,
        fields=(
            _field("amount", "Amount of claim", "money"),
            _field("secured_amount", "Secured amount", "money", required=False),
            _field("priority_amount", "Priority amount", "money", required=False),
            _field("basis", "Basis for the claim", "text", required=False),
        ),
        docket_text="Proof of Claim. Amount claimed: {amount}.",
        case_action="claim_file",
        description=(
            "Files a creditor's claim on the claims register (Official Form 410). "
            "Redact all but the last four digits of account numbers."
        ),
    ),
    _event(
        "amdclm",
        "claims",
        "Amended Proof of Claim",
        form_number="410",
        filer_roles=("attorney", "creditor", "epoc"),
        numbered=False,
        fields=(
            _claim("Claim amended"),
            _field("amount", "Amended amount", "money"),
            _field("secured_amount", "Secured amount", "money", required=False),
            _field("priority_amount", "Priority amount", "money", required=False),
        ),
        docket_text="Amended Proof of Claim {claim}. Amount claimed: {amount}.",
        case_action="claim_amend",
        description="Replaces a claim already on the register with a new version (claim 1-2 amends 1-1).",
    ),
    _event(
        "wdclm",
        "claims",
        "Withdrawal of Claim",
        filer_roles=("attorney", "creditor", "epoc"),
        pdf="optional",
        attachments=False,
        fields=(_claim("Claim withdrawn"),),
        docket_text="Withdrawal of Claim: {claim}.",
        case_action="claim_withdraw",
        description="Withdraws a proof of claim (FRBP 3006). It stays on the register, marked withdrawn.",
    ),
    _event(
        "trclm",
        "claims",
        "Transfer Agreement FRBP 3001(e)",
        form_number="2100A",
        filer_roles=("attorney", "creditor"),
        fee_cents=TRANSFER_OF_CLAIM_FEE_CENTS,
        fee_exemptions=("government",),
        fields=(
            _claim("Claim transferred"),
            _field("transferor", "Transferor", "text"),
            _field("transferee", "Transferee", "text"),
        ),
        docket_text="Transfer of Claim {claim}. Transfer Agreement 3001(e) Transferor: {transferor} To {transferee}.",
        case_action="claim_transfer",
        description=(
            "Records the transfer of a claim other than for security (FRBP 3001(e); "
            "Form 2100A). The fee is charged per claim transferred."
        ),
    ),
    _event(
        "mtgchg",
        "claims",
        "Notice of Mortgage Payment Change (Rule 3002.1)",
        form_number="410S1",
        chapters=("13",),
        filer_roles=("attorney", "creditor", "epoc"),
        numbered=False,
        fields=(
            _claim(),
            _field("new_payment", "New total payment", "money"),
            _field("effective_date", "Effective date", "date"),
        ),
        docket_text="Notice of Mortgage Payment Change. New payment {new_payment} effective {effective_date}.",
        case_action="claim_supplement",
        description=(
            "The mortgage holder's notice of a payment change, at least 21 days "
            "before it takes effect (FRBP 3002.1(b); Official Form 410S1)."
        ),
    ),
    _event(
        "pstfee",
        "claims",
        "Notice of Postpetition Mortgage Fees, Expenses, and Charges (Rule 3002.1)",
        form_number="410S2",
        chapters=("13",),
        filer_roles=("attorney", "creditor", "epoc"),
        numbered=False,
        fields=(
            _claim(),
            _field("amount", "Total fees, expenses and charges", "money"),
        ),
        docket_text="Notice of Postpetition Mortgage Fees, Expenses, and Charges. Amount: {amount}.",
        case_action="claim_supplement",
        description=(
            "Itemises fees and charges added to a mortgage claim after the petition, "
            "within 180 days after they are incurred (FRBP 3002.1(c); Form 410S2)."
        ),
    ),
    # Rule 3002.1 as amended December 1, 2025: the end-of-case notice of final cure
    # payment (Forms 4100N/4100R) became the trustee's notice of disbursements made
    # (Form 410C13-N) and the holder's response (Form 410C13-NR). The codes are kept,
    # so the release's catalogue sync renames the events in place.
    _event(
        "fcure",
        "claims",
        "Trustee's Notice of Disbursements Made (Rule 3002.1(g))",
        form_number="410C13-N",
        chapters=("13",),
        filer_roles=("trustee", "attorney"),
        fields=(_claim(),),
        docket_text="Trustee's Notice of Disbursements Made on Claim {claim}.",
        # FRBP 3002.1(h): the holder responds within 28 days after service.
        sets_deadlines=(_deadline("cure", days=28),),
        description=(
            "At the end of the case the chapter 13 trustee (or, if the trustee does not, "
            "the debtor) states the payments disbursed on the mortgage claim "
            "(FRBP 3002.1(g); Official Form 410C13-N)."
        ),
    ),
    _event(
        "cureresp",
        "claims",
        "Response to Trustee's Notice of Disbursements Made (Rule 3002.1(h))",
        form_number="410C13-NR",
        chapters=("13",),
        # ePOC takes only the 410S1 and 410S2 supplements, so not "epoc" here.
        filer_roles=("attorney", "creditor"),
        numbered=False,
        refers="required",
        refer_categories=("claims",),
        fields=(
            _claim(),
            _field(
                "cure_status",
                "The default",
                "choice",
                choices=("Has been cured", "Has not been cured"),
            ),
        ),
        docket_text="Response to Trustee's Notice of Disbursements Made. The default {cure_status}.",
        ends_deadlines=("cure",),
        case_action="claim_supplement",
        description=(
            "The mortgage holder states whether the debtor has cured the default and is "
            "current on the postpetition payments (FRBP 3002.1(h); Official Form "
            "410C13-NR). Refer to the trustee's notice."
        ),
    ),
    # Rule 3002.1 as amended December 1, 2025 (dockets.claims.rule3002_1 computes the dates).
    _event(
        "helocntc",
        "claims",
        "Annual Notice of Payment Change, Home Equity Line of Credit (Rule 3002.1(b))",
        form_number="410S1",
        chapters=("13",),
        filer_roles=("attorney", "creditor"),
        numbered=False,
        fields=(
            _claim(),
            _field("new_payment", "New total payment", "money"),
            _field("effective_date", "Effective date", "date"),
        ),
        docket_text="Annual Notice of Payment Change (Home Equity Line of Credit). New payment {new_payment} effective {effective_date}.",
        case_action="claim_supplement",
        description=(
            "The holder of a home equity line of credit gives its annual notice of the "
            "payment, with the reconciliation of the past year (FRBP 3002.1(b), as amended "
            "December 1, 2025)."
        ),
    ),
    _event(
        "pmtchgmot",
        "claims",
        "Motion to Determine Whether a Mortgage Payment Change Is Required (Rule 3002.1(b))",
        chapters=("13",),
        filer_roles=("attorney", "trustee"),
        fields=(_claim("Claim the payment change concerns"), _hearing()),
        docket_text="Motion to Determine Whether the Payment Change on Claim {claim} Is Required.",
        sets_deadlines=(_deadline("response", days=21),),
        description=(
            "The debtor or the trustee asks the court to decide whether a noticed payment "
            "change is required to maintain payments under the plan (FRBP 3002.1(b))."
        ),
    ),
    _event(
        "feemot",
        "claims",
        "Motion to Determine Postpetition Fees, Expenses, or Charges (Rule 3002.1(e))",
        chapters=("13",),
        filer_roles=("attorney", "trustee"),
        fields=(_claim("Claim the fees were noticed on"), _hearing()),
        docket_text="Motion to Determine Postpetition Fees, Expenses, or Charges on Claim {claim}.",
        sets_deadlines=(_deadline("response", days=21),),
        description=(
            "Filed within one year after the Form 410S2 notice was served, asks the court "
            "whether the fees, expenses or charges are owed (FRBP 3002.1(e))."
        ),
    ),
    _event(
        "mtgstat",
        "claims",
        "Motion to Determine the Status of the Mortgage Claim (Rule 3002.1(f))",
        form_number="410C13-M1",
        chapters=("13",),
        filer_roles=("trustee", "attorney"),
        fields=(_claim(),),
        docket_text="Motion to Determine the Status of the Mortgage Claim {claim}.",
        # The holder responds within 28 days after service (Form 410C13-M1R).
        sets_deadlines=(_deadline("response", days=28),),
        description=(
            "The mid-case review: the trustee (or the debtor) asks the court to determine "
            "whether the debtor is current on the mortgage (FRBP 3002.1(f), new December 1, 2025)."
        ),
    ),
    _event(
        "mtgstatr",
        "claims",
        "Response to Motion to Determine the Status of the Mortgage Claim (Rule 3002.1(f))",
        form_number="410C13-M1R",
        chapters=("13",),
        filer_roles=("attorney", "creditor"),
        refers="required",
        refer_categories=("claims",),
        fields=(_claim(),),
        docket_text="Response to Motion to Determine the Status of the Mortgage Claim {claim}.",
        ends_deadlines=("response",),
        description=(
            "The mortgage holder states whether the debtor is current and what is owed "
            "(FRBP 3002.1(f); Form 410C13-M1R). Refer to the motion."
        ),
    ),
    _event(
        "curemot",
        "claims",
        "Motion to Determine Final Cure and Payment (Rule 3002.1(i))",
        form_number="410C13-M2",
        chapters=("13",),
        filer_roles=("trustee", "attorney"),
        fields=(_claim(), _hearing()),
        docket_text="Motion to Determine Final Cure and Payment on Claim {claim}.",
        sets_deadlines=(_deadline("response", days=28),),
        description=(
            "After the holder's response to the trustee's notice of disbursements made, "
            "asks the court to determine whether the default is cured and all payments "
            "made (FRBP 3002.1(i))."
        ),
    ),
    _event(
        "curemotr",
        "claims",
        "Response to Motion to Determine Final Cure and Payment (Rule 3002.1(i))",
        form_number="410C13-M2R",
        chapters=("13",),
        filer_roles=("attorney", "creditor"),
        refers="required",
        refer_categories=("claims",),
        fields=(_claim(),),
        docket_text="Response to Motion to Determine Final Cure and Payment on Claim {claim}.",
        ends_deadlines=("response",),
        description="The mortgage holder's response (FRBP 3002.1(i); Form 410C13-M2R).",
    ),
    _event(
        "objclm",
        "claims",
        "Objection to Claim",
        needs_party_against=True,
        fields=(
            _claim("Claim objected to"),
            _field("response_deadline", "Last day to respond", "date", default_days=30),
            _hearing(),
        ),
        docket_text="Objection to Claim {claim}. Responses due by {response_deadline}.",
        # FRBP 3007(a)(1): served at least 30 days before the hearing.
        sets_deadlines=(
            _deadline("response", field="response_deadline"),
            HEARING_FROM_FIELD,
        ),
        description=(
            "Objects to a proof of claim (FRBP 3007). Pick the claimant as the party "
            "against and serve it at least 30 days before the hearing."
        ),
    ),
]

_PLANS = [
    _event(
        "ch13pl",
        "plan",
        "Chapter 13 Plan",
        form_number="113",
        chapters=("13",),
        filer_roles=("attorney",),
        docket_text="Chapter 13 Plan.",
        description=(
            "The chapter 13 plan, filed with the petition or within 14 days after it "
            "(FRBP 3015(b)). Use Amended Chapter 13 Plan to change it."
        ),
    ),
    _event(
        "amdpl13",
        "plan",
        "Amended Chapter 13 Plan",
        form_number="113",
        chapters=("13",),
        filer_roles=("attorney",),
        refers="optional",
        refer_categories=("plan",),
        docket_text="Amended Chapter 13 Plan.",
        description="Replaces the chapter 13 plan before confirmation. Serve it on all creditors.",
    ),
    _event(
        "ch12pl",
        "plan",
        "Chapter 12 Plan",
        chapters=("12",),
        filer_roles=("attorney",),
        docket_text="Chapter 12 Plan.",
        description="The family farmer's or fisherman's plan, due within 90 days of the petition (11 U.S.C. 1221).",
    ),
    _event(
        "ch11pl",
        "plan",
        "Chapter 11 Plan",
        chapters=("11",),
        filer_roles=("attorney",),
        docket_text="Chapter 11 Plan of Reorganization.",
        description="A chapter 11 plan of reorganization or liquidation (11 U.S.C. 1121).",
    ),
    _event(
        "amdpl11",
        "plan",
        "Amended Chapter 11 Plan",
        chapters=("11",),
        filer_roles=("attorney",),
        refers="optional",
        refer_categories=("plan",),
        docket_text="Amended Chapter 11 Plan.",
        description="Amends a chapter 11 plan already on file.",
    ),
    _event(
        "ch11ds",
        "plan",
        "Disclosure Statement",
        chapters=("11",),
        filer_roles=("attorney",),
        refers="optional",
        refer_categories=("plan",),
        docket_text="Disclosure Statement.",
        description=(
            "The chapter 11 disclosure statement that creditors read before voting "
            "(11 U.S.C. 1125). Refer to the plan it describes."
        ),
    ),
    _event(
        "ballot",
        "plan",
        "Chapter 11 Ballot",
        chapters=("11",),
        filer_roles=("attorney", "creditor"),
        attachments=False,
        refers="required",
        refer_categories=("plan",),
        fields=(
            _field("plan_class", "Class", "text"),
            _field("vote", "Vote", "choice", choices=("Accepts", "Rejects")),
        ),
        docket_text="Ballot for Class {plan_class}: {vote} the Plan.",
        description="A creditor's vote on a chapter 11 plan (FRBP 3018). Refer to the plan voted on.",
    ),
    _event(
        "oprpt",
        "plan",
        "Operating Report",
        chapters=("11", "12"),
        filer_roles=("attorney",),
        fields=(_field("period", "Reporting period", "text"),),
        docket_text="Operating Report for {period}.",
        description="A debtor in possession's periodic operating report (11 U.S.C. 704(a)(8), 1106, 1203).",
    ),
    _event(
        "mor",
        "plan",
        "UST Form 11-MOR",
        form_number="11-MOR",
        chapters=("11",),
        filer_roles=("attorney",),
        fields=(_field("month", "Month ending", "date"),),
        docket_text="Monthly Operating Report for the month ending {month} (UST Form 11-MOR).",
        description="The chapter 11 monthly operating report on the U.S. Trustee's form, due by the 21st of each month.",
    ),
]

_ADVERSARY = [
    _event(
        "cmp",
        "adversary",
        "Complaint (Fee)",
        form_number="B1040",
        case_types=("ap",),
        fee_cents=ADVERSARY_COMPLAINT_FEE_CENTS,
        # cob; nyeb 2014: no fee if the debtor is plaintiff or a child-support creditor
        # files. Trustee / debtor-in-possession complaints are paid by the estate later
        # ("Fee Not Due" at filing).
        fee_exemptions=("debtor", "child_support_creditor", *OFFICIAL_EXEMPTIONS),
        needs_party_against=True,
        fields=(
            _field("nature_of_suit", "Nature of suit", "nature_of_suit"),
            _field(
                "nature_of_suit_2",
                "Second nature of suit",
                "nature_of_suit",
                required=False,
            ),
            _field("demand", "Demand ($000)", "money", required=False),
            _field("jury_demand", "Jury demand", "bool", required=False),
            _field("class_action", "Class action", "bool", required=False),
        ),
        docket_text="Adversary case opened. Complaint. Nature of Suit: {nature_of_suit}.",
        case_action="open_ap",
        description=(
            "Opens an adversary proceeding in the lead bankruptcy case (FRBP 7001). "
            "Attach the cover sheet (Form B1040) and pick the defendants."
        ),
    ),
    _event(
        "ntcrem",
        "adversary",
        "Notice of Removal (Fee)",
        case_types=("ap",),
        fee_cents=ADVERSARY_COMPLAINT_FEE_CENTS,
        fee_exemptions=("debtor", "child_support_creditor", *OFFICIAL_EXEMPTIONS),
        needs_party_against=True,
        fields=(
            _field("nature_of_suit", "Nature of suit", "nature_of_suit"),
            _field("removed_from", "Court removed from", "text"),
        ),
        docket_text="Notice of Removal from {removed_from}. Nature of Suit: {nature_of_suit}.",
        case_action="open_ap",
        description=(
            "Removes a civil action from another court into this bankruptcy case "
            "(28 U.S.C. 1452; FRBP 9027). Opens an adversary proceeding."
        ),
    ),
    _event(
        "amdcmp",
        "adversary",
        "Amended Complaint",
        case_types=("ap",),
        refers="optional",
        refer_categories=("adversary",),
        docket_text="Amended Complaint.",
        description="Amends the complaint in this adversary proceeding (FRBP 7015).",
    ),
    _event(
        "smns",
        "adversary",
        "Summons Issued",
        case_types=("ap",),
        filer_roles=COURT,
        refers="required",
        refer_categories=("adversary",),
        fields=(
            # FRBP 7012(a): answer within 30 days after the summons is issued.
            _field("answer_due", "Answer due", "date", default_days=30),
            _field("pretrial", "Pre-trial conference", "hearing", required=False),
        ),
        docket_text="Summons Issued. Answer Due {answer_due}.",
        sets_deadlines=(
            _deadline("response", field="answer_due"),
            _deadline("hearing", field="pretrial"),
        ),
        description="The clerk issues the summons (and notice of pre-trial conference) for the plaintiff to serve.",
    ),
    _event(
        "smnsrv",
        "adversary",
        "Summons Service Executed",
        case_types=("ap",),
        refers="required",
        refer_categories=("adversary",),
        fields=(_field("served_on", "Date served", "date"),),
        docket_text="Summons Service Executed on {served_on}.",
        description="The plaintiff's proof that the summons and complaint were served (FRBP 7004).",
    ),
    _event(
        "answer",
        "adversary",
        "Answer to Complaint",
        case_types=("ap",),
        refers="required",
        refer_categories=("adversary",),
        docket_text="Answer to Complaint.",
        ends_deadlines=("response",),
        description="The defendant's answer to the complaint. Refer to the complaint.",
    ),
    _event(
        "reqdft",
        "adversary",
        "Request for Entry of Default",
        case_types=("ap",),
        needs_party_against=True,
        docket_text="Request for Entry of Default.",
        description="Asks the clerk to enter a defendant's default after the answer deadline passed (FRBP 7055).",
    ),
    _event(
        "cdflt",
        "adversary",
        "Clerk's Entry of Default",
        case_types=("ap",),
        filer_roles=COURT,
        needs_party_against=True,
        refers="required",
        refer_categories=("adversary",),
        docket_text="Clerk's Entry of Default.",
        description="The clerk enters the default of a defendant who did not answer.",
    ),
    _event(
        "clsadv",
        "adversary",
        "Close Adversary Case",
        case_types=("ap",),
        filer_roles=COURT,
        pdf="none",
        attachments=False,
        docket_text="Adversary Case Closed.",
        case_action="close",
        description="The clerk closes the adversary proceeding after judgment or dismissal.",
    ),
]

_ORDERS = [
    _event(
        "order",
        "order",
        "Order on Motion",
        case_types=("bk", "ap"),
        filer_roles=COURT,
        refers="required",
        refer_categories=(
            "motion",
            "application",
            "response",
            "notice",
            "claims",
            "plan",
            "adversary",
        ),
        fields=(
            _field(
                "disposition",
                "Disposition",
                "choice",
                choices=("Granting", "Denying", "Granting in Part and Denying in Part"),
            ),
            _signed_on(),
        ),
        docket_text="Order {disposition}. Signed on {signed_on}.",
        case_action="order",
        description="The court's order on a motion or application. Refer to the matter decided.",
    ),
    _event(
        "orrfs",
        "order",
        "Order Granting Motion for Relief From Stay",
        filer_roles=COURT,
        needs_party_against=True,
        refers="required",
        refer_categories=("motion",),
        fields=(_signed_on(),),
        docket_text="Order Granting Motion for Relief from Stay. Signed on {signed_on}.",
        case_action="order",
        description="Grants relief from the automatic stay. Refer to the motion.",
    ),
    _event(
        "orcnf13",
        "order",
        "Order Confirming Chapter 13 Plan",
        chapters=("13",),
        filer_roles=COURT,
        refers="required",
        refer_categories=("plan",),
        fields=(_signed_on(),),
        docket_text="Order Confirming Chapter 13 Plan. Signed on {signed_on}.",
        ends_deadlines=("plan_confirmation",),
        case_action="order",
        description="Confirms the chapter 13 plan (11 U.S.C. 1325). Refer to the plan confirmed.",
    ),
    _event(
        "orcnf11",
        "order",
        "Order Confirming Chapter 11 Plan",
        chapters=("11",),
        filer_roles=COURT,
        refers="required",
        refer_categories=("plan",),
        fields=(_signed_on(),),
        docket_text="Order Confirming Chapter 11 Plan. Signed on {signed_on}.",
        ends_deadlines=("plan_confirmation",),
        case_action="order",
        description="Confirms the chapter 11 plan (11 U.S.C. 1129). Refer to the plan confirmed.",
    ),
    _event(
        "orapds",
        "order",
        "Order Approving Disclosure Statement and Fixing Time for Acceptances or Rejections of Plan",
        chapters=("11",),
        filer_roles=COURT,
        refers="required",
        refer_categories=("plan",),
        fields=(
            _signed_on(),
            _field("ballot_deadline", "Last day to vote on the plan", "date"),
            _field("confirmation_hearing", "Confirmation hearing", "hearing"),
        ),
        docket_text="Order Approving Disclosure Statement. Ballots due by {ballot_deadline}. Confirmation hearing scheduled for {confirmation_hearing}. Signed on {signed_on}.",
        sets_deadlines=(
            _deadline("other", field="ballot_deadline"),
            _deadline("plan_confirmation", field="confirmation_hearing"),
        ),
        case_action="order",
        description="Approves the disclosure statement and fixes the voting deadline and confirmation hearing (FRBP 3017).",
    ),
    _event(
        "osc",
        "order",
        "Order to Show Cause (BNC)",
        case_types=("bk", "ap"),
        filer_roles=COURT,
        refers="optional",
        fields=(
            _field("cause", "Show cause why", "text"),
            _field("response_deadline", "Response due", "date", default_days=14),
            _hearing(required=True),
            _signed_on(),
        ),
        docket_text="Order to Show Cause {cause}. Responses due by {response_deadline}. Hearing scheduled for {hearing}. Signed on {signed_on}.",
        sets_deadlines=(
            _deadline("response", field="response_deadline"),
            HEARING_FROM_FIELD,
        ),
        case_action="order",
        description=(
            "Orders a party to show cause, for example why the case should not be "
            "dismissed for an unpaid fee or a blank petition. Served by the BNC."
        ),
    ),
    _event(
        "ordism",
        "order",
        "Order Dismissing Case (BNC)",
        filer_roles=COURT,
        refers="optional",
        refer_categories=("motion", "order"),
        fields=(_signed_on(),),
        docket_text="Order Dismissing Case. Signed on {signed_on}.",
        case_action="dismiss",
        description="Dismisses the bankruptcy case. Served on all creditors by the BNC.",
    ),
    _event(
        "orcnv",
        "order",
        "Order Converting Case",
        filer_roles=COURT,
        refers="optional",
        refer_categories=("motion",),
        fields=(
            _field(
                "to_chapter",
                "Converted to chapter",
                "chapter",
                choices=("7", "11", "12", "13"),
            ),
            _signed_on(),
        ),
        docket_text="Order Converting Case to Chapter {to_chapter}. Signed on {signed_on}.",
        case_action="convert",
        description="Converts the case to another chapter. The clerk then sets the new chapter's deadlines.",
    ),
    _event(
        "dschg",
        "order",
        "Discharge of Debtor (BNC)",
        chapters=("7", "11", "12", "13"),
        filer_roles=COURT,
        fields=(_signed_on(),),
        docket_text="Order Discharging Debtor. Signed on {signed_on}.",
        case_action="discharge",
        description="Grants the debtor's discharge (Official Form 318 in chapter 7). Served by the BNC.",
    ),
    _event(
        "orseal",
        "order",
        "Order to Seal or Restrict Public Access",
        case_types=("bk", "ap"),
        filer_roles=COURT,
        refers="required",
        fields=(
            _field("restriction", "Action", "choice", choices=("Sealed", "Restricted")),
            _signed_on(),
        ),
        docket_text="Order Directing that the Referenced Document be {restriction}. Signed on {signed_on}.",
        case_action="seal",
        description="Seals or restricts a document already on the docket (FRBP 9018, 9037(h)). Refer to it.",
    ),
    _event(
        "jdgmt",
        "order",
        "Judgment",
        case_types=("ap", "bk"),
        filer_roles=COURT,
        needs_party_against=True,
        refers="optional",
        fields=(_signed_on(),),
        docket_text="Judgment. Signed on {signed_on}.",
        case_action="order",
        description="A judgment in an adversary proceeding or contested matter (FRBP 7058, 9021).",
    ),
]

_COURT = [
    _event(
        "341m7",
        "court",
        "341(a) Meeting of Creditors (Chapter 7) (BNC)",
        form_number="309A",
        chapters=("7",),
        filer_roles=COURT,
        pdf="optional",
        fields=(
            _field("meeting", "Meeting of creditors", "datetime", default_days=30),
            _field("meeting_place", "Meeting place or call-in", "text"),
            # FRBP 4004(a), 4007(c): 60 days after the first date set for the meeting.
            _field(
                "objection_to_discharge",
                "Last day to oppose discharge or dischargeability",
                "date",
                default_days=90,
            ),
            # FRBP 1007(c)(4): course certificate 60 days after the first meeting date.
            _field(
                "financial_management",
                "Financial management course certificate due",
                "date",
                default_days=90,
            ),
            # Asset cases only (Form 309B/309D); FRBP 3002(c): 70 days after the petition.
            _field("claims_bar", "Proof of claim deadline", "date", required=False),
        ),
        docket_text=(
            "Meeting of Creditors 341(a) meeting to be held on {meeting} at "
            "{meeting_place}. Last day to oppose discharge or dischargeability is "
            "{objection_to_discharge}."
        ),
        sets_deadlines=(
            _deadline("meeting_341", field="meeting"),
            _deadline("objection_to_discharge", field="objection_to_discharge"),
            _deadline("financial_management", field="financial_management"),
            _deadline("claims_bar", field="claims_bar"),
        ),
        description="The notice of the chapter 7 case and meeting of creditors, mailed to all creditors by the BNC.",
    ),
    _event(
        "341m11",
        "court",
        "341(a) Meeting of Creditors (Chapter 11) (BNC)",
        chapters=("11",),
        filer_roles=COURT,
        pdf="optional",
        fields=(
            _field("meeting", "Meeting of creditors", "datetime", default_days=30),
            _field("meeting_place", "Meeting place or call-in", "text"),
            _field("claims_bar", "Proof of claim deadline", "date", required=False),
            # 11 U.S.C. 502(b)(9): 180 days after the order for relief.
            _field(
                "gov_claims_bar",
                "Government proof of claim deadline",
                "date",
                default_days=180,
            ),
        ),
        docket_text="Meeting of Creditors 341(a) meeting to be held on {meeting} at {meeting_place}. Government Proof of Claim due by {gov_claims_bar}.",
        sets_deadlines=(
            _deadline("meeting_341", field="meeting"),
            _deadline("claims_bar", field="claims_bar"),
            _deadline("gov_claims_bar", field="gov_claims_bar"),
        ),
        description="The notice of the chapter 11 case and meeting of creditors, mailed by the BNC.",
    ),
    _event(
        "341m12",
        "court",
        "341(a) Meeting of Creditors (Chapter 12) (BNC)",
        form_number="309G",
        chapters=("12",),
        filer_roles=COURT,
        pdf="optional",
        fields=(
            _field("meeting", "Meeting of creditors", "datetime", default_days=30),
            _field("meeting_place", "Meeting place or call-in", "text"),
            _field("claims_bar", "Proof of claim deadline", "date", default_days=70),
            _field(
                "gov_claims_bar",
                "Government proof of claim deadline",
                "date",
                default_days=180,
            ),
        ),
        docket_text="Meeting of Creditors 341(a) meeting to be held on {meeting} at {meeting_place}. Proofs of Claim due by {claims_bar}. Government Proof of Claim due by {gov_claims_bar}.",
        sets_deadlines=(
            _deadline("meeting_341", field="meeting"),
            _deadline("claims_bar", field="claims_bar"),
            _deadline("gov_claims_bar", field="gov_claims_bar"),
        ),
        description="The notice of the chapter 12 case and meeting of creditors, mailed by the BNC.",
    ),
    _event(
        "341m13",
        "court",
        "341(a) Meeting of Creditors (Chapter 13) (BNC)",
        form_number="309I",
        chapters=("13",),
        filer_roles=COURT,
        pdf="optional",
        fields=(
            _field("meeting", "Meeting of creditors", "datetime", default_days=30),
            _field("meeting_place", "Meeting place or call-in", "text"),
            _field("confirmation_hearing", "Confirmation hearing", "hearing"),
            # FRBP 3002(c): 70 days after the petition.
            _field("claims_bar", "Proof of claim deadline", "date", default_days=70),
            _field(
                "gov_claims_bar",
                "Government proof of claim deadline",
                "date",
                default_days=180,
            ),
            _field(
                "objection_to_discharge",
                "Last day to challenge dischargeability of certain debts",
                "date",
                default_days=90,
            ),
        ),
        docket_text=(
            "Meeting of Creditors 341(a) meeting to be held on {meeting} at "
            "{meeting_place}. Confirmation hearing scheduled for "
            "{confirmation_hearing}. Proofs of Claim due by {claims_bar}. Government "
            "Proof of Claim due by {gov_claims_bar}."
        ),
        sets_deadlines=(
            _deadline("meeting_341", field="meeting"),
            _deadline("plan_confirmation", field="confirmation_hearing"),
            _deadline("claims_bar", field="claims_bar"),
            _deadline("gov_claims_bar", field="gov_claims_bar"),
            _deadline("objection_to_discharge", field="objection_to_discharge"),
        ),
        description="The notice of the chapter 13 case, meeting of creditors and confirmation hearing, mailed by the BNC.",
    ),
    _event(
        "ntcpoc",
        "court",
        "Notice of Need to File Proof of Claim Due to Recovery of Assets (BNC)",
        chapters=("7",),
        filer_roles=COURT,
        pdf="optional",
        # FRBP 3002(c)(5): at least 90 days after the notice is mailed.
        fields=(
            _field("claims_bar", "Proof of claim deadline", "date", default_days=90),
        ),
        docket_text="Notice of Need to File Proof of Claim Due to Recovery of Assets. Proofs of Claim due by {claims_bar}.",
        sets_deadlines=(_deadline("claims_bar", field="claims_bar"),),
        description="Tells creditors in a chapter 7 case first noticed as no-asset that assets were found and claims may be filed.",
    ),
    _event(
        "ntctrf",
        "court",
        "Notice of Transfer of Claim Other Than for Security (BNC)",
        filer_roles=COURT,
        pdf="optional",
        refers="required",
        refer_categories=("claims",),
        # FRBP 3001(e)(2): the transferor has 21 days after the notice to object.
        fields=(_objection_deadline(21),),
        docket_text="Notice of Transfer of Claim Other Than for Security. Objections due by {objection_deadline}.",
        sets_deadlines=(OBJECTION_FROM_FIELD,),
        description="The clerk's notice to the transferor that a transfer of its claim was filed. Served by the BNC.",
    ),
    _event(
        "hrgset",
        "court",
        "Hearing Set",
        case_types=("bk", "ap"),
        filer_roles=COURT,
        pdf="none",
        attachments=False,
        numbered=False,
        refers="required",
        fields=(_hearing(required=True),),
        docket_text="Hearing Set. Hearing scheduled for {hearing}.",
        sets_deadlines=(HEARING_FROM_FIELD,),
        case_action="hearing",
        description="The courtroom deputy sets a hearing on a matter already on the docket.",
    ),
    _event(
        "hrgcnt",
        "court",
        "Hearing Continued",
        case_types=("bk", "ap"),
        filer_roles=COURT,
        pdf="none",
        attachments=False,
        numbered=False,
        refers="required",
        fields=(_hearing(required=True),),
        docket_text="Hearing Continued. Hearing rescheduled for {hearing}.",
        sets_deadlines=(HEARING_FROM_FIELD,),
        ends_deadlines=("hearing",),
        case_action="hearing",
        description="Moves a scheduled hearing to a new date and time.",
    ),
    _event(
        "hrgheld",
        "court",
        "Hearing Held",
        case_types=("bk", "ap"),
        filer_roles=COURT,
        pdf="none",
        attachments=False,
        numbered=False,
        refers="required",
        fields=(
            _field(
                "outcome",
                "Outcome",
                "choice",
                choices=(
                    "Granted",
                    "Denied",
                    "Granted in part",
                    "Taken under submission",
                    "Order to be submitted",
                    "Off calendar",
                ),
            ),
        ),
        docket_text="Hearing Held. {outcome}.",
        ends_deadlines=("hearing",),
        case_action="hearing",
        description="Records that a hearing took place and its outcome.",
    ),
    _event(
        "cmc",
        "court",
        "Chapter 11 Case Management Conference/Status Conference",
        chapters=("11",),
        filer_roles=COURT,
        pdf="optional",
        fields=(_hearing(required=True),),
        docket_text="Chapter 11 Status Conference scheduled for {hearing}.",
        sets_deadlines=(HEARING_FROM_FIELD,),
        case_action="hearing",
        description="Sets a chapter 11 case management or status conference (11 U.S.C. 105(d)).",
    ),
    _event(
        "close",
        "court",
        "Close Bankruptcy Case",
        filer_roles=COURT,
        pdf="none",
        attachments=False,
        docket_text="Bankruptcy Case Closed.",
        case_action="close",
        description="Closes a fully administered case (11 U.S.C. 350(a)).",
    ),
    _event(
        "reopcs",
        "court",
        "Reopen Bankruptcy Case",
        filer_roles=COURT,
        pdf="none",
        attachments=False,
        refers="optional",
        refer_categories=("order", "motion"),
        docket_text="Bankruptcy Case Reopened.",
        case_action="reopen",
        description="Reopens a closed case, usually after an order granting a motion to reopen.",
    ),
    *(
        _event(
            code,
            "court",
            name,
            case_types=("bk", "ap") if "Judge" in name else ("bk",),
            filer_roles=COURT,
            pdf="none",
            attachments=False,
            # guess: CM/ECF dockets show these as unnumbered text entries.
            numbered=False,
            fields=(_field(who, label, "text"),),
            docket_text=text,
            case_action=action,
            description=description,
        )
        for code, name, who, label, text, action, description in (
            (
                "addtr",
                "Add Trustee",
                "trustee",
                "Trustee",
                "{trustee} added to the case as trustee.",
                "add_trustee",
                "Appoints or adds a trustee to the case.",
            ),
            (
                "trmtr",
                "Terminate Trustee",
                "trustee",
                "Trustee",
                "Trustee {trustee} terminated.",
                "terminate_trustee",
                "Removes a trustee from the case, for example on conversion or resignation.",
            ),
            (
                "addjdg",
                "Add Judge",
                "judge",
                "Judge",
                "Judge {judge} added to the case.",
                "add_judge",
                "Assigns a judge to the case.",
            ),
            (
                "trmjdg",
                "Terminate Judge",
                "judge",
                "Judge",
                "Judge {judge} terminated from the case.",
                "terminate_judge",
                "Removes a judge from the case on reassignment or recusal.",
            ),
        )
    ),
    _event(
        "corr",
        "court",
        "Corrective Entry",
        case_types=("bk", "ap"),
        filer_roles=COURT,
        pdf="none",
        attachments=False,
        refers="required",
        fields=(
            # cmecf.md 7: the patterns seen on real dockets.
            _field(
                "correction",
                "Correction",
                "choice",
                choices=(
                    "Counsel Must Refile",
                    "Incorrect PDF, Filer Notified to Refile",
                    "Incorrect Event Entered",
                    "To Eliminate Duplicate Entry",
                    "Filed in Wrong Case",
                    "Docket Text Modified to More Accurately Describe Document Filed",
                ),
            ),
            _field("note", "Note to filer", "text", required=False),
        ),
        docket_text="CORRECTIVE ENTRY: {correction}.",
        case_action="corrective",
        description=(
            "A text-only entry explaining a correction to an earlier entry; used "
            "instead of a silent edit because parties were already noticed."
        ),
    ),
    _event(
        "eie",
        "court",
        "Docket Entry Entered in Error",
        case_types=("bk", "ap"),
        filer_roles=COURT,
        pdf="none",
        attachments=False,
        refers="required",
        fields=(_field("reason", "Reason", "text"),),
        docket_text="***ENTERED IN ERROR*** {reason}.",
        case_action="corrective",
        description="Marks an earlier entry as entered in error, for example the wrong document attached.",
    ),
    _event(
        "clkcor",
        "court",
        "Clerk's Correspondence",
        case_types=("bk", "ap"),
        filer_roles=COURT,
        refers="optional",
        docket_text="Clerk's Correspondence.",
        description="A letter from the clerk's office to a party, docketed for the record.",
    ),
    _event(
        "bncntc",
        "court",
        "BNC Certificate of Notice",
        case_types=("bk", "ap"),
        filer_roles=COURT,
        refers="required",
        fields=(
            _field("notices", "Number of notices", "text"),
            _field("service_date", "Service date", "date", default_days=0),
        ),
        docket_text="BNC Certificate of Notice. No. of Notices: {notices}. Service Date {service_date}.",
        description="The Bankruptcy Noticing Center's certificate that a (BNC) notice or order was served.",
    ),
    _event(
        "trmddl",
        "court",
        "Terminate Pending Deadlines",
        case_types=("bk", "ap"),
        filer_roles=COURT,
        pdf="none",
        attachments=False,
        numbered=False,
        docket_text="Pending deadlines terminated.",
        ends_deadlines=DEADLINE_KINDS,
        description="Ends every open deadline in the case, for example after dismissal or closing.",
    ),
    _event(
        "abstrj",
        "court",
        "Abstract of Judgment",
        case_types=("ap", "bk"),
        filer_roles=COURT,
        needs_party_against=True,
        refers="required",
        refer_categories=("order",),
        docket_text="Abstract of Judgment Issued.",
        description="The clerk's abstract of a money judgment, issued on request for recording as a lien.",
    ),
]

_DEFICIENCY_FIELDS: Final = (
    _field("deficiency", "Deficiency", "deficiency"),
    _field("cure_deadline", "Cure by", "date", default_days=14),
    _field("details", "Details", "text", required=False),
)
_DEFICIENCY = [
    _event(
        code,
        "deficiency",
        name,
        case_types=("bk", "ap"),
        filer_roles=COURT,
        pdf="optional",
        refers="optional",
        refer_categories=refer_categories,
        fields=_DEFICIENCY_FIELDS,
        docket_text=f"{name.removesuffix(' (BNC)')}: {{deficiency}}. Deficiency Due {{cure_deadline}}.",
        sets_deadlines=(_deadline("deficiency_cure", field="cure_deadline"),),
        case_action="deficiency",
        description=description,
    )
    for code, name, refer_categories, description in (
        (
            "defntc",
            "Notice of Deficient Filing",
            (),
            "Tells the filer what is wrong with a filing and the date to cure it. Refer to the deficient entry.",
        ),
        (
            "ccdef",
            "Case Commencement Deficiency Notice (BNC)",
            ("petition",),
            "Lists documents missing from a new case and the date they are due; served by the BNC.",
        ),
        (
            "adddef",
            "Notice of Additional Filing Deficiencies",
            ("petition", "schedules"),
            "Adds deficiencies found after the first deficiency notice.",
        ),
    )
]

# The Judicial Conference transcript policy's deadlines, counted from the filing.
_TRANSCRIPT_DEADLINE_FIELDS: Final = (
    _field(
        "intent_deadline",
        "Notice of Intent to Request Redaction Deadline",
        "date",
        default_days=TRANSCRIPT_INTENT_DAYS,
    ),
    _field(
        "redaction_request_deadline",
        "Redaction Request Due By",
        "date",
        default_days=TRANSCRIPT_REDACTION_REQUEST_DAYS,
    ),
    _field(
        "redacted_transcript_deadline",
        "Redacted Transcript Submission Due By",
        "date",
        default_days=TRANSCRIPT_REDACTED_DAYS,
    ),
    _field(
        "release_date",
        "Transcript access restricted through",
        "date",
        default_days=TRANSCRIPT_RESTRICTION_DAYS,
    ),
)
_TRANSCRIPT_DEADLINES: Final = (
    _deadline("other", field="intent_deadline"),
    _deadline("transcript_redaction_request", field="redaction_request_deadline"),
    _deadline("transcript_redacted", field="redacted_transcript_deadline"),
    _deadline("transcript_release", field="release_date"),
)
_TRANSCRIPT_DEADLINE_TEXT: Final = (
    "Notice of Intent to Request Redaction Deadline Due By {intent_deadline}. "
    "Redaction Request Due By {redaction_request_deadline}. Redacted Transcript "
    "Submission Due By {redacted_transcript_deadline}. Transcript access will be "
    "restricted through {release_date}."
)
_TRANSCRIPTS = [
    _event(
        "trreq",
        "transcript",
        "Transcript Request",
        case_types=("bk", "ap"),
        attachments=False,
        fields=(_field("hearing_date", "Date of hearing", "date"),),
        docket_text="Transcript Request for hearing held {hearing_date}.",
        description="Orders a transcript of a hearing from the court's transcriber.",
    ),
    _event(
        "trans",
        "transcript",
        "Transcript",
        case_types=("bk", "ap"),
        filer_roles=("court_reporter",),
        attachments=False,
        fields=(
            _field("hearing_date", "Date of hearing", "date"),
            *_TRANSCRIPT_DEADLINE_FIELDS,
        ),
        docket_text=(
            "Transcript regarding Hearing Held {hearing_date}. Remote electronic "
            "access to the transcript is restricted until {release_date}. The "
            "transcript may be viewed at the Bankruptcy Court Clerk's Office. "
            + _TRANSCRIPT_DEADLINE_TEXT
        ),
        sets_deadlines=_TRANSCRIPT_DEADLINES,
        case_action="transcript",
        visibility="restricted",
        description=(
            "The transcriber files a hearing transcript. Remote access is restricted "
            "for 90 days while parties may ask for redaction."
        ),
    ),
    _event(
        "ntctrn",
        "transcript",
        "Notice of Filing of Transcript and Deadlines Related to Restriction and Redaction",
        case_types=("bk", "ap"),
        filer_roles=("court_reporter", "court"),
        pdf="optional",
        attachments=False,
        refers="required",
        refer_categories=("transcript",),
        fields=_TRANSCRIPT_DEADLINE_FIELDS,
        docket_text="Notice of Filing of Transcript and Deadlines Related to Restriction and Redaction. "
        + _TRANSCRIPT_DEADLINE_TEXT,
        description="Tells the parties a transcript was filed and the redaction deadlines that follow.",
    ),
    _event(
        "trintr",
        "transcript",
        "Notice of Intent to Request Redaction of Transcript",
        case_types=("bk", "ap"),
        pdf="optional",
        attachments=False,
        refers="required",
        refer_categories=("transcript",),
        docket_text="Notice of Intent to Request Redaction of Transcript.",
        description="Tells the court, within 7 days of the transcript, that you will ask for redactions.",
    ),
    _event(
        "trredr",
        "transcript",
        "Transcript Redaction Request",
        case_types=("bk", "ap"),
        attachments=False,
        refers="required",
        refer_categories=("transcript",),
        docket_text="Transcript Redaction Request.",
        ends_deadlines=("transcript_redaction_request",),
        # The request lists the personal identifiers to redact, by page and line.
        visibility="restricted",
        description="Lists, by page and line, the personal identifiers the transcriber must redact (within 21 days).",
    ),
    _event(
        "redtrn",
        "transcript",
        "Redacted Transcript",
        case_types=("bk", "ap"),
        filer_roles=("court_reporter",),
        attachments=False,
        refers="required",
        refer_categories=("transcript",),
        docket_text="Redacted Transcript.",
        ends_deadlines=("transcript_redacted",),
        case_action="transcript",
        # Released with the original transcript's restriction period.
        visibility="restricted",
        description="The transcriber files the redacted version that replaces the original when the restriction ends.",
    ),
]

_FEES = [
    _event(
        "rcptfee",
        "fee",
        "Receipt of Filing Fee",
        case_types=("bk", "ap"),
        filer_roles=COURT,
        pdf="none",
        attachments=False,
        numbered=False,
        refers="required",
        fields=(
            _field("receipt_number", "Receipt number", "text"),
            _field("amount", "Amount", "money"),
        ),
        docket_text="Receipt of Filing Fee. Receipt number {receipt_number}. Fee amount {amount}. (U.S. Treasury)",
        ends_deadlines=("deficiency_cure",),
        case_action="fee_receipt",
        description="Docketed automatically when a fee is paid through pay.gov or at the counter.",
    ),
    _event(
        "instpd",
        "fee",
        "Installment Paid",
        filer_roles=COURT,
        pdf="none",
        attachments=False,
        numbered=False,
        refers="optional",
        refer_categories=("application",),
        fields=(
            _field("installment", "Installment", "choice", choices=("First", "Second")),
            _field("receipt_number", "Receipt number", "text"),
            _field("amount", "Amount", "money"),
        ),
        docket_text="Installment Paid, {installment}. Receipt number {receipt_number}. Fee amount {amount}.",
        case_action="fee_receipt",
        description="Records an installment payment of the filing fee.",
    ),
    _event(
        "instfin",
        "fee",
        "Final Installment Paid",
        filer_roles=COURT,
        pdf="none",
        attachments=False,
        numbered=False,
        refers="optional",
        refer_categories=("application",),
        fields=(
            _field("receipt_number", "Receipt number", "text"),
            _field("amount", "Amount", "money"),
        ),
        docket_text="Final Installment Paid. Receipt number {receipt_number}. Fee amount {amount}.",
        ends_deadlines=("installment", "deficiency_cure"),
        case_action="fee_receipt",
        description="Records the last installment; the filing fee is paid in full.",
    ),
]

_OTHER = [
    _event(
        "fmcrt",
        "other",
        "Financial Management Course Certification (Official Form 423)",
        form_number="423",
        chapters=("7", "11", "12", "13"),
        filer_roles=("attorney", "party"),
        attachments=False,
        fields=(
            _field("debtor", "Debtor", "choice", choices=("Debtor", "Joint Debtor")),
        ),
        docket_text="Certificate of Completion of Postpetition Instructional Course Concerning Personal Financial Management for {debtor}.",
        ends_deadlines=("financial_management",),
        description=(
            "Certifies that the debtor completed the personal financial management "
            "course; no discharge without it (11 U.S.C. 727(a)(11), 1328(g)). Course "
            "providers may file it too."
        ),
    ),
    _event(
        "reaff",
        "other",
        "Reaffirmation Agreement",
        form_number="2400A",
        chapters=("7", "11", "12", "13"),
        filer_roles=("attorney", "creditor"),
        fields=(
            _field("creditor_name", "Creditor", "text"),
            _field("amount", "Amount reaffirmed", "money", required=False),
        ),
        docket_text="Reaffirmation Agreement Between Debtor and {creditor_name}.",
        description=(
            "A debtor's agreement to stay liable on a debt, filed within 60 days after "
            "the first meeting date (11 U.S.C. 524(c); FRBP 4008; Form 2400A)."
        ),
    ),
    _event(
        "dsocrt",
        "other",
        "Certification Regarding Domestic Support Obligations",
        chapters=("12", "13"),
        filer_roles=("attorney",),
        attachments=False,
        docket_text="Certification Regarding Domestic Support Obligations.",
        description=(
            "The debtor certifies that all domestic support obligations are paid, "
            "before a chapter 12 or 13 discharge (11 U.S.C. 1228(a), 1328(a))."
        ),
    ),
    _event(
        "affcmp",
        "other",
        "Affidavit of Compliance with Discharge Requirements",
        chapters=("13",),
        filer_roles=("attorney",),
        docket_text="Affidavit of Compliance with Discharge Requirements.",
        description="The chapter 13 debtor's sworn statement that the requirements for discharge are met.",
    ),
    _event(
        "ndr",
        "other",
        "Chapter 7 Trustee's Report of No Distribution",
        chapters=("7",),
        filer_roles=("trustee",),
        pdf="none",
        attachments=False,
        docket_text=(
            "Chapter 7 Trustee's Report of No Distribution: the trustee has found no "
            "property available for distribution from the estate."
        ),
        description="The chapter 7 trustee reports a no-asset case after the meeting of creditors.",
    ),
    _event(
        "tr13int",
        "other",
        "Chapter 13 Trustee's Interim Report",
        chapters=("13",),
        filer_roles=("trustee",),
        docket_text="Chapter 13 Trustee's Interim Report.",
        description="The chapter 13 trustee's periodic report of receipts and disbursements.",
    ),
    _event(
        "ustabs",
        "other",
        "Statement of Presumed Abuse",
        chapters=("7",),
        filer_roles=("us_trustee",),
        attachments=False,
        docket_text="United States Trustee's Statement of Presumed Abuse.",
        description=(
            "The U.S. Trustee states whether the chapter 7 case is presumed abusive, "
            "within 10 days after the meeting of creditors (11 U.S.C. 704(b)(1))."
        ),
    ),
    _event(
        "stip",
        "other",
        "Stipulation",
        case_types=("bk", "ap"),
        refers="optional",
        fields=(_field("subject", "Stipulation regarding", "text"),),
        docket_text="Stipulation regarding {subject}.",
        description=(
            "An agreement between parties for the court to approve, such as "
            "stipulated relief from stay (no stay-relief fee is charged)."
        ),
    ),
    _event(
        "decl",
        "other",
        "Declaration",
        case_types=("bk", "ap"),
        refers="optional",
        fields=(_field("declarant", "Declarant", "text"),),
        docket_text="Declaration of {declarant}.",
        description="A sworn declaration in support of or against a filing. Refer to the filing it supports.",
    ),
]

EVENTS: list[dict[str, Any]] = [
    *_PETITIONS,
    *_SCHEDULES,
    *_MOTIONS,
    *_APPLICATIONS,
    *_RESPONSES,
    *_NOTICES,
    *_CLAIMS,
    *_PLANS,
    *_ADVERSARY,
    *_ORDERS,
    *_COURT,
    *_DEFICIENCY,
    *_TRANSCRIPTS,
    *_FEES,
    *_OTHER,
]

# Events whose fee is CONVERSION_FEES_CENTS[(case chapter, to_chapter)].
CONVERSION_FEE_EVENTS: Final = frozenset({"cnvt7", "convrt", "ntccnv"})


def conversion_fee_cents(*, from_chapter: str, to_chapter: str) -> int:
    """Return the fee for converting a case between chapters; 0 when none is due."""
    return CONVERSION_FEES_CENTS.get((from_chapter, to_chapter), 0)


def fee_cents_for(event: dict[str, Any], *, chapter: str, to_chapter: str = "") -> int:
    """Return what filing `event` in a case under `chapter` costs, before exemptions.

    Conversion events need the `to_chapter` the filer chose; every other event
    costs its own `fee_cents`.
    """
    if event["code"] in CONVERSION_FEE_EVENTS:
        return conversion_fee_cents(from_chapter=chapter, to_chapter=to_chapter)
    return int(event["fee_cents"])


# -- Validation ------------------------------------------------------------------------

# Categories only the court (clerk or judge) may file in.
COURT_ONLY_CATEGORIES: Final = ("order", "court", "fee", "deficiency")
# Roles limited to narrow categories (cmecf.md 1.1).
ROLE_CATEGORIES: Final[dict[str, tuple[str, ...]]] = {
    "court_reporter": ("transcript",),
    "epoc": ("claims",),
}
# Case actions and the categories they belong to.
ACTION_CATEGORIES: Final[dict[str, tuple[str, ...]]] = {
    "open_bk": ("petition",),
    "open_ap": ("adversary",),
    "claim_file": ("claims",),
    "claim_amend": ("claims",),
    "claim_withdraw": ("claims",),
    "claim_transfer": ("claims",),
    "claim_supplement": ("claims",),
    "order": ("order",),
    "dismiss": ("order",),
    "discharge": ("order",),
    "seal": ("order",),
    "deficiency": ("deficiency",),
    "corrective": ("court",),
    "transcript": ("transcript",),
    "fee_receipt": ("fee",),
}
_CODE_CHARS: Final = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


def _is_str_list(value: Any, allowed: tuple[str, ...] | frozenset[str]) -> bool:
    return (
        isinstance(value, list)
        and all(isinstance(v, str) and v in allowed for v in value)
        and len(set(value)) == len(value)
    )


def _field_problems(where: str, fields: Any) -> list[str]:
    if not isinstance(fields, list):
        return [f"{where}: fields must be a list"]
    problems: list[str] = []
    names: set[str] = set()
    for f in fields:
        if not isinstance(f, dict) or set(f) != FIELD_KEYS:
            problems.append(
                f"{where}: field {f!r} must have exactly {sorted(FIELD_KEYS)}"
            )
            continue
        name = f["name"]
        fw = f"{where}.{name}"
        if not (isinstance(name, str) and name.isidentifier() and name.islower()):
            problems.append(f"{fw}: field name must be a lower-case identifier")
        if name in names:
            problems.append(f"{fw}: duplicate field name")
        names.add(name)
        if not (isinstance(f["label"], str) and f["label"]):
            problems.append(f"{fw}: label must be a non-empty string")
        if f["kind"] not in FIELD_KINDS:
            problems.append(f"{fw}: unknown kind {f['kind']!r}")
        if not isinstance(f["required"], bool):
            problems.append(f"{fw}: required must be a bool")
        days = f["default_days"]
        if days is not None and (
            not isinstance(days, int) or isinstance(days, bool) or days < 0
        ):
            problems.append(f"{fw}: default_days must be None or an int >= 0")
        if days is not None and f["kind"] not in ("date", "datetime"):
            problems.append(f"{fw}: default_days only applies to date fields")
        choices = f["choices"]
        if not (isinstance(choices, list) and all(isinstance(c, str) for c in choices)):
            problems.append(f"{fw}: choices must be a list of strings")
        elif f["kind"] == "choice" and not choices:
            problems.append(f"{fw}: a choice field needs choices")
        elif f["kind"] == "chapter" and not set(choices) <= set(CHAPTERS):
            problems.append(f"{fw}: chapter choices must be chapters")
        elif f["kind"] not in ("choice", "chapter") and choices:
            problems.append(f"{fw}: only choice and chapter fields take choices")
    return problems


def _deadline_problems(
    where: str, deadlines: Any, fields: dict[str, dict[str, Any]]
) -> list[str]:
    if not isinstance(deadlines, list):
        return [f"{where}: sets_deadlines must be a list"]
    problems: list[str] = []
    for d in deadlines:
        if not isinstance(d, dict) or set(d) != DEADLINE_KEYS:
            problems.append(
                f"{where}: deadline {d!r} must have exactly {sorted(DEADLINE_KEYS)}"
            )
            continue
        if d["kind"] not in DEADLINE_KINDS:
            problems.append(f"{where}: unknown deadline kind {d['kind']!r}")
        field, days = d["field"], d["days"]
        if not isinstance(field, str):
            problems.append(f"{where}: deadline field must be a string")
        elif field:
            if days is not None:
                problems.append(
                    f"{where}: deadline {d['kind']} has both field and days"
                )
            target = fields.get(field)
            if target is None:
                problems.append(
                    f"{where}: deadline {d['kind']} names unknown field {field!r}"
                )
            elif target.get("kind") not in DATE_FIELD_KINDS:
                problems.append(
                    f"{where}: deadline {d['kind']} field {field!r} is not a date"
                )
        elif not isinstance(days, int) or isinstance(days, bool) or days < 0:
            problems.append(f"{where}: deadline {d['kind']} needs a field or days >= 0")
    return problems


def _template_problems(
    where: str, template: Any, fields: dict[str, dict[str, Any]]
) -> list[str]:
    if not (isinstance(template, str) and template.strip()):
        return [f"{where}: docket_text must be a non-empty string"]
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        return [f"{where}: docket_text does not parse: {exc}"]
    problems: list[str] = []
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if spec or conversion:
            problems.append(
                f"{where}: docket_text placeholder {{{name}}} must be plain"
            )
        target = fields.get(name)
        if target is None:
            problems.append(f"{where}: docket_text names unknown field {{{name}}}")
        elif not target.get("required"):
            problems.append(f"{where}: docket_text names optional field {{{name}}}")
    return problems


def _event_problems(event: Any) -> list[str]:
    if not isinstance(event, dict):
        return [f"event {event!r} is not a dict"]
    code = event.get("code")
    where = f"event {code!r}"
    keys = set(event)
    if keys != EVENT_KEYS:
        missing, extra = sorted(EVENT_KEYS - keys), sorted(keys - EVENT_KEYS)
        return [f"{where}: missing keys {missing}, unexpected keys {extra}"]

    problems: list[str] = []

    def check(ok: bool, message: str) -> None:
        if not ok:
            problems.append(f"{where}: {message}")

    check(
        isinstance(code, str) and 2 <= len(code) <= 12 and set(code) <= _CODE_CHARS,
        "code must be 2-12 lower-case letters or digits",
    )
    category = event["category"]
    check(category in CATEGORIES, f"unknown category {category!r}")
    for key in ("name", "description"):
        check(
            isinstance(event[key], str) and event[key].strip() != "",
            f"{key} must be non-empty",
        )
    check(
        isinstance(event["form_number"], str) and len(event["form_number"]) <= 12,
        "form_number must be a string of at most 12 characters",
    )
    check(
        _is_str_list(event["case_types"], CASE_TYPES) and event["case_types"] != [],
        "case_types must be a non-empty list of bk/ap",
    )
    check(_is_str_list(event["chapters"], CHAPTERS), "chapters must be chapter strings")

    roles = event["filer_roles"]
    check(
        _is_str_list(roles, FILER_ROLES) and roles != [],
        "filer_roles must be known roles",
    )
    if isinstance(roles, list):
        if category in COURT_ONLY_CATEGORIES:
            check(roles == ["court"], f"only the court files {category} events")
        for role, categories in ROLE_CATEGORIES.items():
            if role in roles:
                check(category in categories, f"{role} may not file {category} events")

    fee = event["fee_cents"]
    check(
        isinstance(fee, int) and not isinstance(fee, bool) and fee >= 0,
        "fee_cents must be an int >= 0",
    )
    check(
        _is_str_list(event["fee_exemptions"], FEE_EXEMPTIONS), "unknown fee_exemptions"
    )
    if code in CONVERSION_FEE_EVENTS:
        check(fee == 0, "conversion events take their fee from CONVERSION_FEES_CENTS")
    else:
        check(fee != 0 or event["fee_exemptions"] == [], "fee_exemptions without a fee")

    check(event["pdf"] in PDF_RULES, "pdf must be required, optional or none")
    check(event["refers"] in REFER_RULES, "refers must be required, optional or none")
    for key in ("attachments", "numbered", "needs_party_against", "bnc"):
        check(isinstance(event[key], bool), f"{key} must be a bool")
    if event["pdf"] == "none":
        check(not event["attachments"], "attachments without a PDF")
    check(
        _is_str_list(event["refer_categories"], CATEGORIES), "unknown refer_categories"
    )
    if event["refers"] == "none":
        check(event["refer_categories"] == [], "refer_categories without refers")

    problems += _field_problems(where, event["fields"])
    fields = (
        {
            f["name"]: f
            for f in event["fields"]
            if isinstance(f, dict) and isinstance(f.get("name"), str)
        }
        if isinstance(event["fields"], list)
        else {}
    )
    problems += _deadline_problems(where, event["sets_deadlines"], fields)
    problems += _template_problems(where, event["docket_text"], fields)
    check(
        _is_str_list(event["ends_deadlines"], DEADLINE_KINDS), "unknown ends_deadlines"
    )

    if isinstance(event["name"], str):
        check(
            event["bnc"] == event["name"].endswith("(BNC)"),
            "bnc must match a name ending (BNC)",
        )
    action = event["case_action"]
    check(action in CASE_ACTIONS, f"unknown case_action {action!r}")
    if action in ACTION_CATEGORIES:
        check(
            category in ACTION_CATEGORIES[action],
            f"case_action {action} in category {category}",
        )
    if action == "open_bk":
        check(event["fee_cents"] > 0, "a petition carries the filing fee")
    if code in CONVERSION_FEE_EVENTS:
        kinds = {name: f.get("kind") for name, f in fields.items()}
        check(
            kinds.get("to_chapter") == "chapter",
            "a conversion event needs a to_chapter field",
        )
    check(
        event["visibility"] in VISIBILITIES, "visibility must be public or restricted"
    )
    return problems


def validate_events(events: list[dict[str, Any]]) -> list[str]:
    """Return every problem found in `events`; an empty list means the catalogue is sound.

    Checks each event's keys and value types against the vocabularies above, and
    the rules that tie them together (court-only categories, deadline fields that
    exist and are dates, docket-text placeholders that name required fields, BNC
    naming, unique codes, deficiency cures that exist).
    """
    problems: list[str] = []
    seen: set[str] = set()
    by_code: dict[str, dict[str, Any]] = {}
    for event in events:
        problems += _event_problems(event)
        code = event.get("code") if isinstance(event, dict) else None
        if isinstance(code, str):
            if code in seen:
                problems.append(f"event {code!r}: duplicate code")
            seen.add(code)
            by_code[code] = event

    for code in sorted(CONVERSION_FEE_EVENTS - seen):
        problems.append(f"CONVERSION_FEE_EVENTS names missing event {code!r}")
    deficiency_codes = {c for c, _label in DEFICIENCY_KINDS}
    for kind, cures in DEFICIENCY_CURED_BY.items():
        if kind not in deficiency_codes:
            problems.append(f"DEFICIENCY_CURED_BY names unknown deficiency {kind!r}")
        for code in cures:
            cure = by_code.get(code)
            if cure is None:
                problems.append(
                    f"DEFICIENCY_CURED_BY[{kind!r}] names missing event {code!r}"
                )
            elif "deficiency_cure" not in cure.get("ends_deadlines", []):
                problems.append(
                    f"event {code!r} cures {kind!r} but does not end deficiency_cure"
                )
    return problems
