"""Creditor matrix parsing (cases/matrix.py); no database.

The files in matrix_corpus/ are real uploads in miniature. Byte-level
variants (CRLF, CR, BOM, trailing blanks) are made here from the good files,
so editors and commit hooks that rewrite line endings cannot change what is
tested.
"""

from pathlib import Path

import pytest

from cases.addresses import US_STATE_CODES
from cases.matrix import (
    MatrixCreditor,
    creditor_key,
    new_creditors,
    parse_matrix,
)

CORPUS = Path(__file__).parent / "matrix_corpus"

# file -> (number of creditors kept, duplicates as (skipped copy, earlier one))
GOOD = {
    "good_basic.txt": (5, ()),
    "good_limits.txt": (2, ()),
    "good_territories_military.txt": (10, ()),
    "good_foreign.txt": (4, ()),
    "good_duplicates.txt": (2, ((9, 1), (13, 1), (17, 5))),
    "good_many_blank_lines.txt": (3, ()),
    "good_punctuation.txt": (4, ()),
}

# Passed to every bad file; only bad_excluded_names.txt lists these people.
EXCLUDED = ("John Q Debtor", "jane attorney esq", "Office of the US Trustee")

# file -> (line number of each error, in order; words from the first message)
BAD = {
    "bad_long_line.txt": (
        (5, 10),
        "Line 5 has 43 characters; the court allows at most 40.",
    ),
    "bad_too_many_lines.txt": ((5,), "line 5 (Acme Holdings LLC) has 9 lines"),
    "bad_missing_city_line.txt": (
        (2, 6, 8),
        "Line 2 should be the city, state and ZIP",
    ),
    "bad_state_code.txt": ((3, 7, 11, 15), '"ZZ" is not a two-letter USPS state code'),
    "bad_zip.txt": ((3, 7, 11, 15), '"8950" is not a ZIP code'),
    "bad_leading_space.txt": ((2, 5), "Line 2 starts with a space"),
    "bad_tab.txt": ((2, 5), "Line 2, column 7 has a tab"),
    "bad_lowercase_state.txt": ((3, 7), 'write the state code in capitals ("NV")'),
    "bad_headers.txt": ((1, 7, 12, 14), '("Creditor Matrix") looks like a heading'),
    "bad_excluded_names.txt": ((5, 9, 13), "line 5 (John Q. Debtor) must not be on"),
    "bad_country_lines.txt": (
        (4, 7, 11, 15),
        "leave out the country for a U.S. address",
    ),
    "bad_non_ascii_utf8.txt": (
        (1, 5, 6),
        'column 4 has the character "\u00e9" (U+00E9)',
    ),
    "bad_non_ascii_cp1252.txt": (
        (5, 9),
        'column 2 has the byte 0x92 (probably "\u2019")',
    ),
    "bad_pdf.txt": (
        (0,),
        "This file is not a plain-text creditor matrix (it looks like a PDF)",
    ),
    "bad_binary.txt": ((0,), "This file is not a plain-text creditor matrix"),
    "bad_empty.txt": ((0,), "The file is empty"),
}


def read(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


def test_corpus_has_every_file_it_expects_and_no_others():
    """Each corpus file has recorded expectations, so none is silently untested."""
    on_disk = {path.name for path in CORPUS.glob("*.txt")}
    assert on_disk == set(GOOD) | set(BAD)
    assert len(GOOD) >= 6
    assert len(BAD) >= 12


@pytest.mark.parametrize(("name", "expected"), GOOD.items())
def test_good_files_parse_without_errors(name, expected):
    """Every good corpus file parses cleanly, with duplicates skipped."""
    count, duplicates = expected
    result = parse_matrix(read(name))
    assert result.errors == ()
    assert result.ok
    assert len(result.creditors) == count
    assert result.duplicates == duplicates


@pytest.mark.parametrize(("name", "expected"), BAD.items())
def test_bad_files_report_errors_on_the_right_lines(name, expected):
    """Every bad corpus file fails, with errors on the recorded lines."""
    line_numbers, first_message = expected
    result = parse_matrix(read(name), excluded_names=EXCLUDED)
    assert not result.ok
    assert tuple(error.line_no for error in result.errors) == line_numbers
    assert first_message in result.errors[0].message


@pytest.mark.parametrize(
    "transform",
    [
        pytest.param(lambda b: b.replace(b"\n", b"\r\n"), id="crlf"),
        pytest.param(lambda b: b.replace(b"\n", b"\r"), id="cr"),
        pytest.param(lambda b: b"\xef\xbb\xbf" + b, id="utf8-bom"),
        pytest.param(lambda b: b.replace(b"\n", b"   \n"), id="trailing-spaces"),
        pytest.param(lambda b: b.replace(b"\n", b" \t\n"), id="trailing-tab"),
        pytest.param(lambda b: b.replace(b"\n\n", b"\n  \n"), id="blank-with-spaces"),
        pytest.param(lambda b: b + b"\x1a", id="dos-eof-mark"),
        pytest.param(lambda b: b.rstrip(b"\n"), id="no-final-newline"),
        pytest.param(
            lambda b: b"\xef\xbb\xbf" + b.replace(b"\n", b"  \r\n") + b"\x1a",
            id="all-at-once",
        ),
    ],
)
@pytest.mark.parametrize("name", GOOD)
def test_harmless_byte_differences_change_nothing(name, transform):
    """Line endings, a BOM, trailing blanks and a DOS EOF mark are tolerated."""
    plain = parse_matrix(read(name))
    varied = parse_matrix(transform(read(name)))
    assert varied == plain


def test_creditor_fields_come_from_the_lines():
    """Name, city, state, ZIP and first line are taken from the block."""
    result = parse_matrix(read("good_basic.txt"))
    wells = result.creditors[-1]
    assert wells == MatrixCreditor(
        name="Wells Fargo Home Mortgage",
        lines=(
            "Wells Fargo Home Mortgage",
            "c/o McCarthy & Holthus LLP",
            "Attn: Bankruptcy Notices",
            "2763 Camino Del Rio South, Suite 100",
            "San Diego, CA 92108",
        ),
        city="San Diego",
        state="CA",
        zip="92108",
        first_line_no=19,
    )
    capital_one = result.creditors[0]
    assert (capital_one.city, capital_one.state, capital_one.zip) == (
        "Salt Lake City",
        "UT",
        "84130-0285",
    )


def test_foreign_creditors_keep_their_country():
    """A capitalized country on the last line makes a foreign address."""
    result = parse_matrix(read("good_foreign.txt"))
    countries = [creditor.country for creditor in result.creditors]
    assert countries == ["CANADA", "UNITED KINGDOM", "MEXICO", ""]
    rbc = result.creditors[0]
    assert (rbc.city, rbc.state, rbc.zip) == ("", "", "")
    assert rbc.lines[-2] == "Toronto ON M5J 2J5"


@pytest.mark.parametrize("state", sorted(US_STATE_CODES))
def test_every_usps_code_is_accepted(state):
    """All states, DC, territories and military codes pass."""
    city = "APO" if state in {"AA", "AE", "AP"} else "Anytown"
    result = parse_matrix(f"Creditor\n1 Main St\n{city}, {state} 12345\n".encode())
    assert result.ok, result.errors


def test_state_list_has_the_codes_the_court_needs():
    """The USPS list includes DC, the territories and the military codes."""
    assert len(US_STATE_CODES) == 50 + 1 + 8 + 3
    assert {"DC", "PR", "GU", "VI", "AS", "MP", "AA", "AE", "AP"} <= US_STATE_CODES


def generated_matrix(count: int) -> bytes:
    """Return a matrix of `count` distinct creditors with 2 to 5 lines each."""
    states = sorted(US_STATE_CODES - {"AA", "AE", "AP"})
    blocks = []
    for i in range(count):
        lines = [f"Creditor Number {i:04d} LLC"]
        if i % 4 >= 1:
            lines.append(f"Attn: Account x{i:04d}")
        if i % 4 >= 2:
            lines.append(f"{100 + i} Main Street")
        if i % 4 == 3:
            lines.append(f"Suite {i}")
        zip_code = f"{i:05d}" if i % 2 else f"{i:05d}-{i % 10000:04d}"
        lines.append(f"City {i}, {states[i % len(states)]} {zip_code}")
        blocks.append("\n".join(lines))
    return ("\n\n".join(blocks) + "\n").encode("ascii")


def test_generated_300_creditor_matrix_parses():
    """A realistic 300-creditor matrix parses completely, in order."""
    result = parse_matrix(generated_matrix(300))
    assert result.ok
    assert result.duplicates == ()
    assert len(result.creditors) == 300
    assert [c.name for c in result.creditors[:2]] == [
        "Creditor Number 0000 LLC",
        "Creditor Number 0001 LLC",
    ]
    line_numbers = [c.first_line_no for c in result.creditors]
    assert line_numbers == sorted(line_numbers)
    assert len({c.key for c in result.creditors}) == 300


def test_amended_matrix_adds_only_new_creditors():
    """new_creditors drops creditors already on the case, matched by key."""
    first = parse_matrix(generated_matrix(300))
    existing = [c.key for c in first.creditors[:250]]
    amended = parse_matrix(
        generated_matrix(300) + b"\nLate Creditor Inc.\nReno, NV 89501\n"
    )
    added = new_creditors(amended, existing)
    assert len(added) == 51
    assert added[0].name == "Creditor Number 0250 LLC"
    assert added[-1].name == "Late Creditor Inc."


def test_new_creditors_matches_existing_despite_case_and_punctuation():
    """A creditor retyped with other capitals and punctuation is not new."""
    existing = [creditor_key(["ACME SUPPLY CO", "12 MAIN ST", "PORTLAND, OR 97204"])]
    result = parse_matrix(b"Acme Supply Co.\n12 Main St.\nPortland, OR  97204\n")
    assert new_creditors(result, existing) == []
    assert new_creditors(result, []) == list(result.creditors)


def test_key_normalizes_case_punctuation_and_spaces():
    """The key upper-cases, drops punctuation and collapses spaces."""
    assert creditor_key(["P.O. Box  12,", "St. Louis, MO 63101"]) == (
        "PO BOX 12|ST LOUIS MO 63101"
    )
    creditor = parse_matrix(b"Smith & Co.\nSt. Louis, MO 63101\n").creditors[0]
    assert creditor.key == "SMITH CO|ST LOUIS MO 63101"


def test_duplicates_are_reported_not_errors():
    """A repeated creditor is skipped and reported, and the file is still ok."""
    data = b"A Co\nReno, NV 89501\n\nB Co\nReno, NV 89501\n\na co.\nReno, NV 89501\n"
    result = parse_matrix(data)
    assert result.ok
    assert [c.name for c in result.creditors] == ["A Co", "B Co"]
    assert result.duplicates == ((7, 1),)


def test_line_length_message_uses_plain_words():
    """The over-length message names the line, its length and the limit."""
    data = b"Creditor\n" + b"x" * 47 + b"\nReno, NV 89501\n"
    (error,) = parse_matrix(data).errors
    assert error.line_no == 2
    assert error.message == "Line 2 has 47 characters; the court allows at most 40."


def test_limits_come_from_the_court():
    """max_lines and max_chars are the caller's (NEB: 4 lines; NVB: 50 chars)."""
    five_lines = b"A\nB\nC\nD\nReno, NV 89501\n"
    assert parse_matrix(five_lines).ok
    (error,) = parse_matrix(five_lines, max_lines=4).errors
    assert error.message.endswith(
        "has 5 lines; the court allows at most 4. Put a blank line between creditors."
    )
    long_line = b"Creditor\n" + b"x" * 50 + b"\nReno, NV 89501\n"
    assert not parse_matrix(long_line).ok
    assert parse_matrix(long_line, max_chars=50).ok
    assert not parse_matrix(long_line, max_chars=49).ok


@pytest.mark.parametrize(("max_lines", "max_chars"), [(1, 40), (0, 40), (5, 0)])
def test_nonsense_limits_raise(max_lines, max_chars):
    """Limits that no matrix could meet are a programming error."""
    with pytest.raises(ValueError, match="must be at least"):
        parse_matrix(b"A\nReno, NV 89501\n", max_lines=max_lines, max_chars=max_chars)


@pytest.mark.parametrize(
    "excluded",
    ["JOHN Q DEBTOR", "john q. debtor", "  John   Q  Debtor ", "John Q. Debtor,"],
)
def test_excluded_names_match_ignoring_case_and_punctuation(excluded):
    """The debtor is refused however the caller spells the excluded name."""
    data = b"John Q. Debtor\n12 Home St\nReno, NV 89503\n"
    (error,) = parse_matrix(data, excluded_names=[excluded]).errors
    assert error.line_no == 1
    assert "must not be on the matrix" in error.message


def test_excluded_names_match_only_the_name_line():
    """An excluded name on an address line (c/o the trustee) is allowed."""
    data = b"Alpha Bank\nc/o John Q Debtor\nReno, NV 89503\n"
    assert parse_matrix(data, excluded_names=["John Q Debtor"]).ok


def test_excluded_name_with_accents_matches_ascii_spelling():
    """An excluded name typed with accents still matches its ASCII spelling."""
    data = b"Jose Nunez\n12 Home St\nReno, NV 89503\n"
    assert not parse_matrix(data, excluded_names=["Jos\u00e9 N\u00fa\u00f1ez"]).ok


def test_blank_excluded_name_excludes_nobody():
    """An empty excluded name (a party with no name yet) matches nothing."""
    assert parse_matrix(b"A\nReno, NV 89501\n", excluded_names=["", "  "]).ok


@pytest.mark.parametrize(
    "data", [b"", b"\n\n\n", b"   \r\n\t\r\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf\n\x1a"]
)
def test_empty_files_get_one_clear_error(data):
    """A file with nothing but blank lines is empty."""
    result = parse_matrix(data)
    assert [(e.line_no, e.message) for e in result.errors] == [
        (0, "The file is empty; it lists no creditors.")
    ]


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"%PDF-1.7\n...", "it looks like a PDF"),
        (b"PK\x03\x04\x14\x00\x06\x00", "it looks like a Word, Excel or zip file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "it looks like a Word or Excel file"),
        (b"{\\rtf1\\ansi Alpha Bank\\par}", "rich-text (RTF)"),
        ("Alpha Bank\n".encode("utf-16"), 'UTF-16 ("Unicode")'),
        ("Alpha Bank\n".encode("utf-16-be"), "binary data"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(32)) * 10, "binary data"),
    ],
)
def test_files_that_are_not_text_get_one_clear_error(data, why):
    """A PDF, Office file or other binary gets one error, not one per line."""
    result = parse_matrix(data)
    assert result.creditors == ()
    (error,) = result.errors
    assert error.line_no == 0
    assert error.message.startswith("This file is not a plain-text creditor matrix")
    assert why in error.message


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            b"Alpha\x0cBank",
            "Line 1, column 6 has a page break (form feed). Remove page breaks.",
        ),
        (
            b"Alpha\x1aBank",
            "Line 1, column 6 has a control character (code 26). Remove it.",
        ),
        (
            b"Alpha\x7fBank",
            "Line 1, column 6 has a control character (code 127). Remove it.",
        ),
        (b"Alpha\xc2\xa0Bank", 'Line 1, column 6 has the character "\u00a0" (U+00A0).'),
        (
            b"Alpha\xe2\x80\x8bBank",
            'Line 1, column 6 has the character "\u200b" (U+200B).',
        ),
        (
            b"Alpha\x81Bank",
            "Line 1, column 6 has the byte 0x81, which is not plain ASCII.",
        ),
        (
            b"Caf\xc3\xa9 \xc3\xa9",
            'column 4 has the character "\u00e9" (U+00E9). 1 more character on this line is not allowed either.',
        ),
        (
            b"\xe9\xe9\xe9",
            'column 1 has the byte 0xE9 (probably "\u00e9"), which is not plain ASCII. 2 more characters on this line are not allowed either.',
        ),
    ],
)
def test_bad_characters_are_named_with_line_and_column(line, message):
    """Each bad character is named, with where it is."""
    result = parse_matrix(line + b"\n1 Main St\nReno, NV 89501\n")
    assert [e.line_no for e in result.errors] == [1]
    assert message in result.errors[0].message


def test_few_bad_bytes_are_text_errors_not_a_binary_file():
    """A text file with a stray control byte gets line errors, not 'not text'."""
    result = parse_matrix(read("good_basic.txt").replace(b"PO Box 3025", b"PO Box\x01"))
    assert [e.line_no for e in result.errors] == [7]


def test_errors_are_sorted_by_line_and_blocks_with_errors_are_not_creditors():
    """Errors come in file order; good creditors in a bad file are still listed."""
    data = (
        b"Alpha Bank\nReno, NV 8950\n\n"
        b" Bravo Bank\nReno, NV 89501\n\n"
        b"Charlie Bank\nReno, NV 89501\n"
    )
    result = parse_matrix(data)
    assert [e.line_no for e in result.errors] == [2, 4]
    assert [c.name for c in result.creditors] == ["Charlie Bank"]


def test_one_line_with_several_problems_gets_each_reported():
    """A line can be too long, indented and hold a tab all at once."""
    data = b"  Alpha\tBank" + b"x" * 40 + b"\nReno, NV 89501\n"
    messages = [e.message for e in parse_matrix(data).errors]
    assert len(messages) == 3
    assert "has a tab" in messages[0]
    assert "starts with a space" in messages[1]
    assert "characters; the court allows at most 40" in messages[2]


def test_heading_inside_a_creditor_is_reported_and_the_rest_still_checked():
    """A heading run into a creditor is an error; its other lines are checked."""
    data = (
        b"Creditor Matrix\nAlpha Bank\nReno, NV 8950\n\nPage 1\nBravo\nReno, NV 89501\n"
    )
    result = parse_matrix(data)
    assert [e.line_no for e in result.errors] == [1, 3, 5]
    assert "is not a ZIP code" in result.errors[1].message
    assert result.creditors == ()


@pytest.mark.parametrize("country", ["USA", "U.S.A.", "United States", "US"])
def test_us_country_line_is_refused(country):
    """A U.S. address must end with City, ST ZIP, not the country."""
    data = f"Alpha Bank\nReno, NV 89501\n{country}\n".encode()
    (error,) = parse_matrix(data).errors
    assert "leave out the country" in error.message


def test_country_must_be_in_capitals():
    """A country in mixed case gets told to use capitals."""
    data = b"Royal Bank\n200 Bay Street\nToronto ON M5J 2J5\nCanada\n"
    (error,) = parse_matrix(data).errors
    assert error.message == 'Line 4: write the country in capital letters ("CANADA").'


@pytest.mark.parametrize("city_line", ["Reno,NV 89501", "Reno, NV   89501-1234"])
def test_city_line_spacing_is_lenient(city_line):
    """Spacing after the comma and before the ZIP may vary."""
    data = f"Alpha Bank\n{city_line}\n".encode()
    assert parse_matrix(data).ok


@pytest.mark.parametrize(
    "city_line",
    ["Reno NV 89501", ", NV 89501", "Reno, NV", "Reno, NV 89501 USA", "Wherever"],
)
def test_malformed_city_lines_are_refused(city_line):
    """Missing comma, city, state or ZIP, or extra words, are errors."""
    data = f"Alpha Bank\n1 Main St\n{city_line}\n".encode()
    (error,) = parse_matrix(data).errors
    assert error.line_no == 3
