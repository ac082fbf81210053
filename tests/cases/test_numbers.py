"""Case number formatting and parsing (cases/numbers.py); no database."""

import pytest

from cases.numbers import (
    CaseNumber,
    CaseNumberQuery,
    format_case_number,
    parse_case_number,
)

BK = CaseNumber(office=3, year=2024, case_type="bk", number=1234)
AP = CaseNumber(office=3, year=2024, case_type="ap", number=90012)


@pytest.mark.parametrize(
    ("cn", "kwargs", "expected"),
    [
        (BK, {}, "24-01234"),
        (BK, {"style": "short", "judge_initials": "LT", "chapter": "7"}, "24-01234"),
        (
            BK,
            {"style": "display", "judge_initials": "LT", "chapter": "7"},
            "24-01234-LT7",
        ),
        (
            BK,
            {"style": "display", "judge_initials": "lt", "chapter": "13"},
            "24-01234-LT13",
        ),
        (BK, {"style": "display", "chapter": "7"}, "24-01234-7"),
        (BK, {"style": "display", "judge_initials": "LT"}, "24-01234-LT"),
        (BK, {"style": "display"}, "24-01234"),
        (
            AP,
            {"style": "display", "judge_initials": "LT", "chapter": "7"},
            "24-90012-LT",
        ),
        (AP, {"style": "display", "chapter": "7"}, "24-90012"),
        (BK, {"style": "long", "judge_initials": "LT"}, "3:24-bk-01234"),
        (AP, {"style": "long"}, "3:24-ap-90012"),
        (BK, {"style": "long_judge", "judge_initials": "LT"}, "3:24-bk-01234-LT"),
        (BK, {"style": "long_judge"}, "3:24-bk-01234"),
        (AP, {"style": "long_judge", "judge_initials": "sc"}, "3:24-ap-90012-SC"),
        (CaseNumber(0, 2009, "bk", 7), {"style": "long"}, "0:09-bk-00007"),
        (CaseNumber(6, 2022, "bk", 13768), {"style": "long"}, "6:22-bk-13768"),
    ],
)
def test_format_case_number_styles(cn, kwargs, expected):
    """Each style writes the number the way the court prints it."""
    assert format_case_number(cn, **kwargs) == expected


@pytest.mark.parametrize("style", ["short", "display", "long", "long_judge"])
def test_training_numbers_say_training_in_every_style(style):
    """A training case number always carries the TRAINING prefix."""
    text = format_case_number(
        BK, style=style, judge_initials="LT", chapter="7", training=True
    )
    assert text.startswith("TRAINING ")
    assert text.removeprefix("TRAINING ") == format_case_number(
        BK, style=style, judge_initials="LT", chapter="7"
    )


@pytest.mark.parametrize("style", ["short", "display", "long", "long_judge"])
@pytest.mark.parametrize("training", [False, True])
@pytest.mark.parametrize("cn", [BK, AP, CaseNumber(1, 1999, "bk", 99999)])
def test_every_formatted_number_parses_back(style, training, cn):
    """Whatever format_case_number writes, parse_case_number reads back."""
    text = format_case_number(
        cn, style=style, judge_initials="LT", chapter="11", training=training
    )
    query = parse_case_number(text, default_century=cn.year // 100 * 100)
    assert query is not None
    assert query.year == cn.year
    assert query.number == cn.number
    if style.startswith("long"):
        assert query.office == cn.office
        assert query.case_type == cn.case_type


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"style": "medium"}, "Unknown case number style"),
        ({"judge_initials": "L7"}, "1 to 4 letters"),
        ({"judge_initials": "ABCDE"}, "1 to 4 letters"),
        ({"chapter": "8"}, "Chapter must be one of"),
        ({"chapter": "7A"}, "Chapter must be one of"),
    ],
)
def test_format_refuses_bad_options(kwargs, message):
    """Unknown styles, non-letter initials and non-chapters raise ValueError."""
    with pytest.raises(ValueError, match=message):
        format_case_number(BK, **kwargs)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"office": 10}, "single digit"),
        ({"office": -1}, "single digit"),
        ({"year": 24}, "four digits"),
        ({"case_type": "cv"}, "case type"),
        ({"case_type": "BK"}, "case type"),
        ({"number": 0}, "between 1 and 99999"),
        ({"number": 100000}, "between 1 and 99999"),
    ],
)
def test_case_number_refuses_impossible_parts(fields, message):
    """A CaseNumber cannot be built with parts no court assigns."""
    parts = {"office": 3, "year": 2024, "case_type": "bk", "number": 1} | fields
    with pytest.raises(ValueError, match=message):
        CaseNumber(**parts)


def q(office=None, year=2024, case_type=None, number=1234, judge=None):
    return CaseNumberQuery(
        office=office,
        year=year,
        case_type=case_type,
        number=number,
        judge_initials=judge,
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("24-01234", q()),
        ("24-1234", q()),
        ("24-1", q(number=1)),
        ("2024-01234", q()),
        ("1999-01234", q(year=1999)),
        ("3:24-bk-01234", q(office=3, case_type="bk")),
        ("3:24-ap-90012", q(office=3, case_type="ap", number=90012)),
        ("3:24-bk-01234-LT", q(office=3, case_type="bk", judge="LT")),
        ("3:24-bk-01234-lt", q(office=3, case_type="bk", judge="LT")),
        ("3:24-BK-01234", q(office=3, case_type="bk")),
        ("3:2024-bk-01234", q(office=3, case_type="bk")),
        ("3 : 24-bk-01234", q(office=3, case_type="bk")),
        ("3:24-01234", q(office=3)),
        (
            "6:21-ap-01071-SC",
            q(office=6, year=2021, case_type="ap", number=1071, judge="SC"),
        ),
        ("3:24-bk-01234-LT7", q(office=3, case_type="bk", judge="LT")),
        ("24-01234-LT7", q(case_type="bk", judge="LT")),
        ("24-04888-CL7", q(case_type="bk", number=4888, judge="CL")),
        ("24-01234-LT11", q(case_type="bk", judge="LT")),
        ("24-01234-7", q(case_type="bk")),
        ("24-01234-13", q(case_type="bk")),
        ("24-90012-LT", q(number=90012, judge="LT")),
        ("17-90266-BHL-13", q(year=2017, case_type="bk", number=90266, judge="BHL")),
        ("22-22507-cgm", q(year=2022, number=22507, judge="CGM")),
        ("3-24-01234", q(office=3)),
        ("1-23-42603-nhl", q(office=1, year=2023, number=42603, judge="NHL")),
        ("24 bk 01234", q(case_type="bk")),
        ("24 BK 1234", q(case_type="bk")),
        ("24 ap 90012", q(case_type="ap", number=90012)),
        ("24 01234", q()),
        ("24 - 01234", q()),
        ("  24-01234\n", q()),
        ("\t3:24-bk-01234-LT ", q(office=3, case_type="bk", judge="LT")),
        ("24\u201301234", q()),
        ("3:24\u2013bk\u201301234", q(office=3, case_type="bk")),
        ("24\u201401234", q()),
        ("24\u221201234", q()),
        ("24\u00a0bk\u00a001234", q(case_type="bk")),
        ("TRAINING 24-01234", q()),
        ("TRAINING 3:24-bk-01234-LT", q(office=3, case_type="bk", judge="LT")),
        ("training  24-01234-LT7", q(case_type="bk", judge="LT")),
        ("24-99999", q(number=99999)),
    ],
)
def test_parse_case_number_accepts_common_formats(text, expected):
    """Every format courts print, and the ways people retype them, parse."""
    assert parse_case_number(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "hello",
        "24-",
        "-01234",
        "24",
        "01234",
        "abc-12345",
        "24-abcde",
        "24-123456",
        "24-100000",
        "24-00000",
        "324-01234",
        "324-bk-01234",
        "3:324-bk-01234",
        "12:24-bk-01234",
        "24-01234-5",
        "24-01234-07",
        "24-01234-LT8",
        "24-01234-LT7-",
        "24-01234-ABCDE",
        "3:24-cv-01234",
        "3:24-mc-01234",
        "3:24-ap-01234-LT7",
        "24-ap-90012-7",
        "2024-01234-extra-stuff",
        "1776-01234",
        "2100-01234",
        "TRAINING",
        "TRAINING24-01234",
        "24_01234",
        "24/01234",
        "24.01234",
        "\u0662\u0664-\u0660\u0661\u0662\u0663\u0664",  # Arabic-Indic digits
        "\uff12\uff14-01234",  # full-width digits
        "24-01234 and more",
    ],
)
def test_parse_case_number_rejects_everything_else(text):
    """Text that is not a case number gives None, not a guess."""
    assert parse_case_number(text) is None


@pytest.mark.parametrize(
    ("text", "century", "year"),
    [
        ("99-00001", 1900, 1999),
        ("00-00001", 2000, 2000),
        ("99-00001", 2000, 2099),
        ("1999-00001", 2000, 1999),
    ],
)
def test_two_digit_years_land_in_default_century(text, century, year):
    """Two-digit years use default_century; four-digit years are kept."""
    query = parse_case_number(text, default_century=century)
    assert query is not None
    assert query.year == year


def test_default_century_must_be_a_century():
    """A default_century like 2024 is a programming error."""
    with pytest.raises(ValueError, match="multiple of 100"):
        parse_case_number("24-01234", default_century=2024)
