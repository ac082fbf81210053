"""Dependencies run one way: core <- filers <- cases <- dockets <- training (ARCHITECTURE.md)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ORDER = ["core", "filers", "cases", "dockets", "training"]


def imported_apps(app: str) -> dict[str, set[str]]:
    """Map each module of `app` to the project apps it imports (anywhere in the file)."""
    found: dict[str, set[str]] = {}
    for path in (ROOT / app).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        names = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(ROOT))] = names & set(ORDER)
    return found


@pytest.mark.parametrize("app", ORDER[:-1])
def test_an_app_never_imports_an_app_above_it(app):
    above = set(ORDER[ORDER.index(app) + 1 :])
    offenders = {
        mod: sorted(apps & above)
        for mod, apps in imported_apps(app).items()
        if apps & above
    }
    assert not offenders, f"{app} imports apps above it: {offenders}"
