"""Debtor tax identifiers (cases/identifiers.py); no database."""

import pytest

from cases.identifiers import (
    TaxId,
    TaxIdKind,
    classify_tax_id,
    mask_ein,
    mask_ssn,
    normalize_ein,
    normalize_itin,
    normalize_ssn,
)


@pytest.mark.parametrize(
    "text",
    [
        "123-45-6789",
        "123456789",
        "123 45 6789",
        "  123-45-6789\n",
        "123\u201345\u20136789",  # en dashes pasted from a document
        "123\u201145\u20116789",  # non-breaking hyphens
    ],
)
def test_normalize_ssn_accepts_common_shapes(text):
    """An SSN typed with hyphens, spaces or nothing becomes 9 digits."""
    assert normalize_ssn(text) == "123456789"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "9 digits"),
        ("12345678", "9 digits"),
        ("1234567890", "9 digits"),
        ("123-456-789", "9 digits"),
        ("12-3456789", "9 digits"),
        ("123-45 6789", "9 digits"),
        ("123--45-6789", "9 digits"),
        ("abc-de-fghi", "9 digits"),
        ("123-45-678x", "9 digits"),
        ("\uff11\uff12\uff13456789", "9 digits"),  # full-width digits
        ("000-12-3456", "000 or 666"),
        ("666-12-3456", "000 or 666"),
        ("900-70-1234", "ITIN"),
        ("999-99-9999", "ITIN"),
        ("123-00-4567", "middle two digits are never 00"),
        ("123-45-0000", "last four digits are never 0000"),
    ],
)
def test_normalize_ssn_refuses_malformed_and_never_issued_numbers(text, message):
    """Malformed SSNs and numbers the SSA never issues are refused."""
    with pytest.raises(ValueError, match=message):
        normalize_ssn(text)


@pytest.mark.parametrize(
    "text",
    ["001-01-0001", "665-99-9999", "667-01-0001", "899-99-9999", "078-05-1120"],
)
def test_normalize_ssn_accepts_the_edges_of_the_valid_ranges(text):
    """The numbers just inside each SSA rule are valid."""
    assert normalize_ssn(text) == text.replace("-", "")


@pytest.mark.parametrize("group", [50, 55, 65, 70, 80, 88, 90, 91, 92, 94, 99])
def test_normalize_itin_accepts_every_irs_group_range(group):
    """ITIN middle digits 50-65, 70-88, 90-92 and 94-99 are valid."""
    assert normalize_itin(f"912-{group}-3456") == f"912{group}3456"


@pytest.mark.parametrize("group", [0, 10, 49, 66, 69, 89, 93])
def test_normalize_itin_refuses_other_groups(group):
    """Middle digits outside the IRS ranges are not ITINs."""
    with pytest.raises(ValueError, match="middle two digits must be"):
        normalize_itin(f"912-{group:02d}-3456")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("812-70-3456", "always starts with 9"),
        ("9127034", "9 digits"),
        ("91-27034567", "9 digits"),
    ],
)
def test_normalize_itin_refuses_non_itins(text, message):
    """An ITIN starts with 9 and has the SSN shape."""
    with pytest.raises(ValueError, match=message):
        normalize_itin(text)


@pytest.mark.parametrize("text", ["12-3456789", "123456789", " 12\u20133456789 "])
def test_normalize_ein_accepts_common_shapes(text):
    """An EIN typed with or without its hyphen becomes 9 digits."""
    assert normalize_ein(text) == "123456789"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("00-1234567", "none start with 00"),
        ("001234567", "none start with 00"),
        ("123-45-6789", "12-3456789"),
        ("12-345678", "12-3456789"),
        ("12 3456789", "12-3456789"),
        ("", "12-3456789"),
    ],
)
def test_normalize_ein_refuses_malformed_numbers(text, message):
    """Malformed EINs and prefix 00 are refused."""
    with pytest.raises(ValueError, match=message):
        normalize_ein(text)


@pytest.mark.parametrize("normalize", [normalize_ssn, normalize_itin, normalize_ein])
@pytest.mark.parametrize("text", ["987-65-432", "000-00-0000", "98765432100"])
def test_error_messages_never_repeat_the_number(normalize, text):
    """A refused number is not echoed, since errors may be logged."""
    with pytest.raises(ValueError, match=r"\w") as info:
        normalize(text)
    digits = text.replace("-", "")
    assert digits[-4:] not in str(info.value)


def test_mask_ssn_shows_only_last_four():
    """Only the last four digits are shown (FRBP 9037(a))."""
    assert mask_ssn("123456789") == "xxx-xx-6789"
    assert mask_ssn("123-45-6789") == "xxx-xx-6789"


def test_mask_ein_shows_only_last_four():
    """Only the last four digits of an EIN are shown."""
    assert mask_ein("123456789") == "xx-xxx6789"
    assert mask_ein("12-3456789") == "xx-xxx6789"


@pytest.mark.parametrize("mask", [mask_ssn, mask_ein])
@pytest.mark.parametrize("digits", ["", "6789", "12345678", "1234567890", "12345678x"])
def test_masks_refuse_anything_but_nine_digits(mask, digits):
    """Masking a partial or overlong number is a programming error."""
    with pytest.raises(ValueError, match="9-digit"):
        mask(digits)


@pytest.mark.parametrize(
    ("text", "entity", "expected"),
    [
        ("123-45-6789", False, (TaxIdKind.SSN, "123456789")),
        ("123456789", False, (TaxIdKind.SSN, "123456789")),
        ("123 45 6789", False, (TaxIdKind.SSN, "123456789")),
        ("912-70-3456", False, (TaxIdKind.ITIN, "912703456")),
        ("912703456", False, (TaxIdKind.ITIN, "912703456")),
        ("12-3456789", True, (TaxIdKind.EIN, "123456789")),
        ("123456789", True, (TaxIdKind.EIN, "123456789")),
        ("98-7654321", True, (TaxIdKind.EIN, "987654321")),
    ],
)
def test_classify_tax_id_tells_the_kinds_apart(text, entity, expected):
    """Individuals give an SSN or ITIN (starts with 9); businesses an EIN."""
    assert classify_tax_id(text, entity=entity) == expected


def test_kinds_compare_equal_to_plain_strings():
    """The kind can be stored in a CharField as "ssn", "itin" or "ein"."""
    kind, _ = classify_tax_id("912-70-3456", entity=False)
    assert kind == "itin"
    assert [k.value for k in TaxIdKind] == ["ssn", "itin", "ein"]


@pytest.mark.parametrize(
    ("text", "entity", "message"),
    [
        ("12-3456789", False, "looks like an EIN"),
        ("123-45-6789", True, "looks like a Social Security number"),
        ("912-40-3456", False, "not a valid ITIN"),
        ("666-12-3456", False, "not a valid Social Security number"),
        ("00-1234567", True, "none start with 00"),
        ("1234", False, "Social Security number or ITIN has 9 digits"),
        ("hello", True, "12-3456789"),
    ],
)
def test_classify_tax_id_refuses_wrong_kind_or_bad_number(text, entity, message):
    """A number in the other kind's shape, or an invalid one, is refused."""
    with pytest.raises(ValueError, match=message):
        classify_tax_id(text, entity=entity)


@pytest.mark.parametrize(
    ("text", "entity", "masked", "formatted"),
    [
        ("123456789", False, "xxx-xx-6789", "123-45-6789"),
        ("912-70-3456", False, "xxx-xx-3456", "912-70-3456"),
        ("123456789", True, "xx-xxx6789", "12-3456789"),
    ],
)
def test_tax_id_masks_and_formats_by_kind(text, entity, masked, formatted):
    """TaxId picks the mask and the full layout from its kind."""
    tax_id = TaxId.parse(text, entity=entity)
    assert tax_id.masked == masked
    assert tax_id.formatted == formatted


def test_tax_id_repr_hides_the_full_number():
    """A TaxId printed in a traceback or log shows only the last four digits."""
    tax_id = TaxId.parse("123-45-6789", entity=False)
    assert "12345" not in repr(tax_id)
    assert "xxx-xx-6789" in repr(tax_id)
    assert tax_id.digits == "123456789"
