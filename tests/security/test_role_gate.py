"""No product code decides court or trustee powers from a role: only the permission modules.

A role is data (ARCHITECTURE.md "One place per question"). Comparing `role` to a court
or trustee role anywhere else is how a pending, suspended or two-factor-less account got
clerk powers or restricted documents. This test reads every product module's syntax
tree and fails on such a comparison outside the gate modules.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCT_APPS = ["core", "ecf", "filers", "cases", "dockets", "training"]
GATE_MODULES = {
    "filers/permissions.py",
    "cases/permissions.py",
    "dockets/permissions.py",
}
PRIVILEGED = {"clerk", "judge", "trustee", "us_trustee"}
PRIVILEGED_NAMES = {"CLERK", "JUDGE", "TRUSTEE", "US_TRUSTEE"}


def _is_user_role_constant(node: ast.AST) -> bool:
    """`Role.CLERK` (the filers Role; `Party.Role.TRUSTEE` is party data), a literal
    'clerk', or COURT_ROLES."""
    if isinstance(node, ast.Attribute) and node.attr in PRIVILEGED_NAMES:
        return isinstance(node.value, ast.Name) and node.value.id == "Role"
    if isinstance(node, ast.Constant) and node.value in PRIVILEGED:
        return True
    if isinstance(node, ast.Name) and node.id == "COURT_ROLES":
        return True
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return any(_is_user_role_constant(e) for e in node.elts)
    return False


def _mentions_role(node: ast.AST) -> bool:
    """`x.role`, `role`, `user.role`, `filer.role`, `_role(user)` ... but not `party.role`."""
    if isinstance(node, ast.Attribute) and node.attr == "role":
        base = node.value
        name = getattr(base, "id", getattr(base, "attr", ""))
        return "party" not in name.lower() and name not in ("p", "data")
    if isinstance(node, ast.Name) and node.id == "role":
        return True
    if isinstance(node, ast.Call):
        func = node.func
        name = getattr(func, "id", getattr(func, "attr", ""))
        return name in ("_role", "role_of")
    return False


def role_comparisons(source: str) -> list[int]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            if any(_mentions_role(o) for o in operands) and any(
                _is_user_role_constant(o) for o in operands
            ):
                found.append(node.lineno)
    return found


def product_modules() -> list[Path]:
    files = []
    for app in PRODUCT_APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if "/migrations/" in rel or rel in GATE_MODULES:
                continue
            files.append(path)
    return files


def test_no_product_code_compares_role_to_a_court_or_trustee_role():
    offenders = []
    for path in product_modules():
        for line in role_comparisons(path.read_text()):
            offenders.append(f"{path.relative_to(ROOT)}:{line}")
    assert not offenders, (
        "Ask filers.permissions / cases.permissions instead of comparing a role: "
        + ", ".join(offenders)
    )


TEMPLATE_ROLE = re.compile(
    r"role\s*(?:==|!=)\s*[\"'](?:clerk|judge|trustee|us_trustee)[\"']"
)


def test_no_template_compares_role_to_a_court_or_trustee_role():
    offenders = [
        f"{path.relative_to(ROOT)}"
        for path in sorted((ROOT / "templates").rglob("*.html"))
        if TEMPLATE_ROLE.search(path.read_text())
    ]
    assert not offenders, f"Use user.is_clerk / user.is_court_user: {offenders}"


def test_the_check_sees_the_patterns_that_leaked():
    """The detector itself: each pattern found in the code before the gate existed."""
    assert role_comparisons('if user.role == "us_trustee": pass')
    assert role_comparisons("ok = filer.role in (Role.CLERK, Role.JUDGE)")
    assert role_comparisons('ok = request.user.role in ("attorney", "trustee")')
    assert role_comparisons("ok = _role(user) not in (Role.CLERK, Role.JUDGE)")
    assert role_comparisons("ok = role in COURT_ROLES")
    assert not role_comparisons("ok = party.role == Party.Role.TRUSTEE")
    assert not role_comparisons('ok = filer.role == "attorney"')
