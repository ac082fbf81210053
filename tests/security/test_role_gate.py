"""No product code decides court or trustee powers from a role: only the permission modules.
And no product code compares a role or an event category with a string literal: through
their enums only (filers.models.Role, Party.Role, dockets.catalogue_data.EventCategory and
EventFiler), so a typo fails at import instead of silently never matching.

A role is data (ARCHITECTURE.md "One place per question"). Comparing `role` to a court
or trustee role anywhere else is how a pending, suspended or two-factor-less account got
clerk powers or restricted documents. This test reads every product module's syntax
tree and fails on such a comparison outside the gate modules.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

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


# -- Roles and categories through their enums --------------------------------------

ROLE_OR_CATEGORY = re.compile(r"(?:^|_)(?:role|category)$")
ROLES_OR_CATEGORIES = re.compile(r"(?:^|_)(?:roles|categories)$")
# Query keywords: role="...", event__category="...", filer__role__in=[...],
# filer_roles__contains=["court"].
LOOKUP = re.compile(
    r"(?:^|_)(?:roles?|category|categories)(?:__(?:in|exact|iexact|contains))?$"
)


def _name(node: ast.AST) -> str:
    """The name a value is known by: `x.role` -> role, `role_of(u)` -> role_of,
    `data["category"]` -> category."""
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Call):
        return _name(node.func)
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
        return str(node.slice.value)
    return ""


def _names_one(node: ast.AST) -> bool:
    name = _name(node).lstrip("_")
    return bool(ROLE_OR_CATEGORY.search(name)) or name == "role_of"


def _string_literal(node: ast.AST) -> bool:
    """A non-empty string, or a tuple/list/set holding one ("" means no role at all)."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and node.value != ""
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return any(_string_literal(e) for e in node.elts)
    return False


def literal_comparisons(source: str) -> list[int]:
    """Lines comparing a role or a category with a string literal: `x.role == "..."`,
    `category in ("...", ...)`, `"court" in event.filer_roles`, `filter(role="...")`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            named = [_names_one(o) for o in operands]
            for op, right in zip(node.ops, node.comparators, strict=True):
                if isinstance(op, (ast.In, ast.NotIn)) and ROLES_OR_CATEGORIES.search(
                    _name(right).lstrip("_")
                ):
                    named[operands.index(right)] = True
            if any(named) and any(
                _string_literal(o)
                for o, n in zip(operands, named, strict=True)
                if not n
            ):
                found.append(node.lineno)
        elif (
            isinstance(node, ast.keyword)
            and node.arg
            and LOOKUP.search(node.arg)
            and _string_literal(node.value)
        ):
            found.append(node.value.lineno)
    return found


# The event catalogue is the data these vocabularies describe (its rows say
# category="petition", filer_roles=["attorney"]); validate_events() checks every value.
LITERAL_DATA_MODULES = {"dockets/catalogue_data.py"}


def _offenders(paths: list[Path], find) -> list[str]:
    """`path:line` of every line `find` reports in `paths`."""
    return [
        f"{path.relative_to(ROOT)}:{line}"
        for path in paths
        for line in find(path.read_text())
    ]


def test_no_product_code_compares_a_role_or_category_with_a_string():
    paths = [
        path
        for app in PRODUCT_APPS
        for path in sorted((ROOT / app).rglob("*.py"))
        if "/migrations/" not in path.relative_to(ROOT).as_posix()
        and path.relative_to(ROOT).as_posix() not in LITERAL_DATA_MODULES
    ]
    offenders = _offenders(paths, literal_comparisons)
    assert not offenders, (
        "Compare roles and event categories through Role / Party.Role / EventCategory "
        "/ EventFiler, not string literals: " + ", ".join(offenders)
    )


def test_the_literal_check_sees_each_shape():
    assert literal_comparisons('ok = user.role == "attorney"')
    assert literal_comparisons('ok = request.user.role in ("attorney", "creditor")')
    assert literal_comparisons('ok = "petition" != entry.event.category')
    assert literal_comparisons('ok = "court" not in event.filer_roles')
    assert literal_comparisons('ok = party.role == "debtor"')
    assert literal_comparisons('ok = data["role"] == "trustee"')
    assert literal_comparisons('qs = Event.objects.filter(event__category="order")')
    assert literal_comparisons('qs = Filer.objects.filter(role__in=["clerk"])')
    assert literal_comparisons(
        'qs = Event.objects.filter(filer_roles__contains=["court"])'
    )
    assert not literal_comparisons("ok = user.role == Role.ATTORNEY")
    assert not literal_comparisons("ok = e.category in (EventCategory.ORDER,)")
    assert not literal_comparisons("ok = EventFiler.COURT in event.filer_roles")
    assert not literal_comparisons('party = PartyData(role="", name="Ann")')
    assert not literal_comparisons('ok = user.email == "a@b.test"')


# -- ... and in templates ------------------------------------------------------------

TEMPLATE_IF = re.compile(r"{%-?\s*(?:el)?if\s+(.*?)\s*-?%}", re.S)
TEMPLATE_STRING = re.compile(r"""^(?:"[^"]*"|'[^']*')$""")
TEMPLATE_COMPARISON = re.compile(r"\s+(==|!=|not in|in)\s+")


def _template_names_one(operand: str, op: str, side: str) -> bool:
    """`user.role`, `filer.role`, `entry.event.category`, `role` (before any |filter);
    on the right of `in`: `event.filer_roles`; a filer's `status` (`filer.status`,
    `user.filer.status`). Never `party.role` (party data)."""
    name = operand.split("|")[0].strip()
    parts = name.split(".")
    last = parts[-1]
    if any("party" in part.lower() for part in parts[:-1]):
        return False
    if last == "status" and any("filer" in part.lower() for part in parts[:-1]):
        return True
    if ROLE_OR_CATEGORY.search(last) or last == "role_code":
        return True
    return (
        op.endswith("in") and side == "right" and bool(ROLES_OR_CATEGORIES.search(last))
    )


def template_literal_comparisons(source: str) -> list[int]:
    """Lines of `{% if %}` / `{% elif %}` tags comparing a role or category with a string:
    `user.role == "attorney"`, `"court" in event.filer_roles`, `filer.role != 'clerk'`."""
    found = []
    for match in TEMPLATE_IF.finditer(source):
        for clause in re.split(r"\s+(?:and|or)\s+", match.group(1)):
            clause = re.sub(r"^(?:not\s+)+", "", clause.strip())
            parts = TEMPLATE_COMPARISON.split(clause, maxsplit=1)
            if len(parts) != 3:
                continue
            left, op, right = (p.strip() for p in parts)
            if (
                _template_names_one(left, op, "left") and TEMPLATE_STRING.match(right)
            ) or (
                _template_names_one(right, op, "right") and TEMPLATE_STRING.match(left)
            ):
                found.append(source.count("\n", 0, match.start()) + 1)
    return found


def test_no_template_compares_a_role_or_category_with_a_string():
    paths = sorted((ROOT / "templates").rglob("*.html"))
    offenders = _offenders(paths, template_literal_comparisons)
    assert not offenders, (
        'Compare roles in templates through {% load roles %} (user|holds_role:"ATTORNEY", '
        'filer|role_is:"FILING_AGENT", filer|status_is:"PENDING"), not string literals: '
        + ", ".join(offenders)
    )


def test_the_template_literal_check_sees_each_shape():
    assert template_literal_comparisons('{% if user.role == "attorney" %}x{% endif %}')
    assert template_literal_comparisons(
        '{% if a %}{% elif user.is_authenticated and filer.role != "filing_agent" %}'
    )
    assert template_literal_comparisons('{% if "creditor" == request.user.role %}')
    assert template_literal_comparisons("{% if filer.role == 'creditor' %}")
    assert template_literal_comparisons('{% if "court" in event.filer_roles %}')
    assert template_literal_comparisons('{% if entry.event.category == "order" %}')
    assert template_literal_comparisons('{% if not user.role == "clerk" %}')
    assert template_literal_comparisons(
        '{% if x %}\n\n{% if row.role_code == "AT" %}'
    ) == [3]
    assert not template_literal_comparisons('{% if user|holds_role:"ATTORNEY" %}')
    assert not template_literal_comparisons('{% if party.role == "debtor" %}')
    assert template_literal_comparisons('{% if filer.status == "pending" %}')
    assert template_literal_comparisons(
        "{% if a %}{% elif user.filer.status != 'revoked' and x %}"
    )
    assert not template_literal_comparisons('{% if filer|status_is:"PENDING" %}')
    assert not template_literal_comparisons('{% if document.status == "pending" %}')
    assert not template_literal_comparisons("{% if role == other_role %}")


def test_the_role_filters_use_the_enum_and_the_gate(demo):
    """The filters answer as the gate does and refuse a misspelt role name."""
    from django.template import Context, Template

    from filers.models import Role

    attorney = demo.users["attorney"]
    page = Template(
        '{% load roles %}{% if user|holds_role:"ATTORNEY FILING_AGENT" %}opens{% endif %}'
        '|{% if user.filer_or_none|role_is:"CREDITOR" %}creditor{% endif %}'
    )
    assert page.render(Context({"user": attorney})) == "opens|"
    assert page.render(Context({"user": demo.users["creditor"]})) == "|creditor"
    assert attorney.filer_or_none.role == Role.ATTORNEY
    with pytest.raises(KeyError):
        Template('{% load roles %}{{ user|holds_role:"ATTORNY" }}').render(
            Context({"user": attorney})
        )


def test_the_status_filter_uses_the_enum(demo):
    """`status_is` answers from Filer.Status and refuses a misspelt status name."""
    from django.template import Context, Template

    from filers.models import Filer

    filer = demo.users["attorney"].filer_or_none
    assert filer is not None
    page = Template(
        '{% load roles %}{% if filer|status_is:"PENDING SUSPENDED" %}waiting{% endif %}'
        '|{% if filer|status_is:"CERTIFIED" %}certified{% endif %}'
    )
    assert filer.status == Filer.Status.CERTIFIED
    assert page.render(Context({"filer": filer})) == "|certified"
    filer.status = Filer.Status.SUSPENDED
    assert page.render(Context({"filer": filer})) == "waiting|"
    assert page.render(Context({"filer": None})) == "|"
    with pytest.raises(KeyError):
        Template('{% load roles %}{{ filer|status_is:"PENDNG" }}').render(
            Context({"filer": filer})
        )
