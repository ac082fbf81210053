"""Pre-submit warnings: redaction (FRBP 9037), debtor name, signature, scans."""

import pdfmaker
import pytest

from dockets.pdf.findings import find_issues
from dockets.pdf.validation import analyze_pdf

SIGNED = "Motion to extend time\n/s/ Alex Attorney\nCounsel for Jane Q. Debtor"


def codes(texts, *, page_count=None, names=("Jane Q. Debtor",), needs_signature=True):
    findings = find_issues(
        texts,
        page_count=len(texts) if page_count is None else page_count,
        debtor_names=names,
        needs_signature=needs_signature,
    )
    return [finding.code for finding in findings]


def analyzed_codes(tmp_path, text, *, names=("Jane Q. Debtor",), pages=1):
    path = pdfmaker.make_pdf(tmp_path / "filing.pdf", text=text, pages=pages)
    analysis = analyze_pdf(path, max_bytes=1 << 24, debtor_names=names)
    assert analysis.ok
    return [finding.code for finding in analysis.findings]


def test_clean_signed_filing_has_no_findings(tmp_path):
    """A signed filing naming the debtor, with no identifiers, raises no warning."""
    assert analyzed_codes(tmp_path, SIGNED) == []


def test_scan_without_text_layer_is_image_only(tmp_path):
    """A page image with no text is flagged as a scan that needs OCR."""
    path = pdfmaker.make_image_only_pdf(tmp_path / "scan.pdf", pages=2)
    analysis = analyze_pdf(path, max_bytes=1 << 24, debtor_names=["Jane Q. Debtor"])
    assert analysis.ok
    assert analysis.text_chars == 0
    assert [finding.code for finding in analysis.findings] == ["image_only"]


@pytest.mark.parametrize(
    "line",
    [
        "Debtor SSN: 123-45-6789",
        "Social Security No. 123 45 6789",
        "social security number 123456789",
        "ITIN: 912-70-1234",
    ],
)
def test_full_ssn_near_its_label_is_flagged_with_page(tmp_path, line):
    """FRBP 9037(a)(1): a full SSN/ITIN next to its label is reported, by page."""
    path = pdfmaker.make_pdf(
        tmp_path / "filing.pdf", pages=2, text=[SIGNED, SIGNED + "\n" + line]
    )
    analysis = analyze_pdf(path, max_bytes=1 << 24, debtor_names=["Jane Q. Debtor"])
    (finding,) = analysis.findings
    assert (finding.code, finding.page) == ("ssn", 2)
    assert "FRBP 9037(a)(1)" in finding.message
    assert "6789" not in finding.message  # never repeat the number itself


@pytest.mark.parametrize(
    "line",
    [
        "SSN: xxx-xx-6789",  # the permitted form
        "SSN: ***-**-6789",
        "Case No. 24-10001, claim 123-45-6789",  # no label nearby
        "SSN: 000-12-3456",  # never issued: a placeholder
        "Call 555-123-4567 about your social security office visit",
    ],
)
def test_redacted_or_unlabelled_numbers_are_not_ssns(line):
    assert "ssn" not in codes([SIGNED + "\n" + line])


@pytest.mark.parametrize(
    "line",
    [
        "DOB: 03/14/1975",
        "Date of birth: March 14, 1975",
        "born on 14 March 1975",
        "D.O.B. 1975-03-14",
        "03/14/75 (DOB)",
    ],
)
def test_full_birth_date_is_flagged(tmp_path, line):
    """FRBP 9037(a)(2) allows the year of birth only."""
    assert analyzed_codes(tmp_path, SIGNED + "\n" + line) == ["birth_date"]


@pytest.mark.parametrize(
    "line",
    [
        "Date of birth: 1975",
        "Year born: 1975",
        "Petition filed 03/14/2024",  # a full date, but not a birth date
        "costs borne by the estate as of January 5, 2024",
    ],
)
def test_birth_year_or_other_dates_are_not_flagged(line):
    assert "birth_date" not in codes([SIGNED + "\n" + line])


@pytest.mark.parametrize(
    "line",
    [
        "Account number 4417123456789113",
        "Acct: 0123456789",
        "Accounts: 4417123456789113 and 0123456789",
        "Card number 4417 1234 5678 9113",
        "Loan No. 2024-5566-7788",
    ],
)
def test_full_account_number_is_flagged(tmp_path, line):
    """FRBP 9037(a)(4) allows the last four digits of an account number."""
    assert analyzed_codes(tmp_path, SIGNED + "\n" + line) == ["account_number"]


@pytest.mark.parametrize(
    "line",
    [
        "Account ending in 9113",
        "Account no. XXXXXXXX9113",
        "Account balance $1,234,567,890.00",
        "Account services: 555-123-4567",
        "Acct 12345678",  # eight digits
    ],
)
def test_masked_or_short_account_numbers_are_not_flagged(line):
    assert "account_number" not in codes([SIGNED + "\n" + line])


@pytest.mark.parametrize(
    "names",
    [
        ["Jane Q. Debtor"],
        ["DEBTOR, JANE"],  # last-name-first, other case
        ["Jane Debtor"],  # middle initial missing: the last name is enough
        ["John Smith", "Jane Q. Debtor"],  # joint case: one name is enough
    ],
)
def test_debtor_name_in_text_is_not_a_mismatch(tmp_path, names):
    assert analyzed_codes(tmp_path, SIGNED, names=names) == []


def test_other_debtor_name_is_a_mismatch(tmp_path):
    """A filing that never names the case's debtor was probably filed in the wrong case."""
    assert analyzed_codes(tmp_path, SIGNED, names=["Robert Roe"]) == ["name_mismatch"]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("Mary O'Brien-Smith", "In re MARY OBRIEN SMITH, debtor"),
        ("Ronald McDonald", "In re Ronald Mc Donald"),
        ("José Peña", "In re JOSE PENA"),
        ("Acme Holdings, L.L.C.", "In re ACME HOLDINGS LLC"),
        ("The Acme Company, Inc.", "In re Acme Company"),
        ("John Smith Jr.", "In re John Smith"),
    ],
)
def test_names_compare_without_case_spacing_punctuation_or_accents(name, text):
    assert "name_mismatch" not in codes([text + "\n/s/ A"], names=[name])


def test_name_is_never_matched_inside_another_word():
    """ "Lee" must not match "employee"."""
    assert codes(["The employee filed.\n/s/ A"], names=["Ann Lee"]) == ["name_mismatch"]


def test_business_name_needs_more_than_its_last_word():
    assert codes(["Beta Holdings LLC\n/s/ A"], names=["Acme Holdings LLC"]) == [
        "name_mismatch"
    ]


def test_unsigned_filing_is_flagged(tmp_path):
    """FRBP 9011(a): pleadings and motions are signed, electronically "/s/ Name"."""
    findings = analyze_pdf(
        pdfmaker.make_pdf(tmp_path / "unsigned.pdf", text="Jane Q. Debtor moves."),
        max_bytes=1 << 24,
        debtor_names=["Jane Q. Debtor"],
    ).findings
    assert [finding.code for finding in findings] == ["no_signature"]
    assert "FRBP 9011(a)" in findings[0].message


@pytest.mark.parametrize("line", ["/s/ Alex Attorney", "s/ Alex Attorney", "/S/Alex"])
def test_signature_forms_are_recognised(line):
    assert "no_signature" not in codes([f"Jane Q. Debtor\n{line}"])


@pytest.mark.parametrize("line", ["his/her counsel", "Yes/No", "https://example.com/s"])
def test_slashes_in_words_are_not_signatures(line):
    assert "no_signature" in codes([f"Jane Q. Debtor\n{line}"])


def test_signature_is_not_required_when_caller_says_so():
    assert codes(["Jane Q. Debtor exhibit"], needs_signature=False) == []


def test_signature_check_is_skipped_when_not_every_page_was_read():
    """Text extraction stops early on long files; the signature may be later."""
    assert codes(["Jane Q. Debtor"] * 30, page_count=400) == []


def test_findings_for_many_pages_are_capped_per_code():
    page = SIGNED + "\nSSN 123-45-6789"
    assert codes([page] * 40).count("ssn") == 10


def test_no_text_at_all_gives_no_findings():
    assert find_issues([], page_count=0, debtor_names=["A"], needs_signature=True) == []
