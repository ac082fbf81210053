"""The import rules of ARCHITECTURE.md, read from the source with `ast`:

1. Apps depend one way: core <- filers <- cases <- dockets <- training. A literal
   `apps.get_model("app", ...)`, `import_string("app. ...")` or
   `import_module("app. ...")` counts as an import of `app`; a `get_model` whose app
   is not written in the call is refused outside DYNAMIC_MODELS.
2. `dockets/pdf` is pure: it imports nothing from Django or the project's apps.
3. The dockets kernel (the modules directly in `dockets/`) imports no sub-package,
   except the pairs in KERNEL_USES, each with its reason.
4. A sub-package of dockets reaches another only through the kernel or through one
   of the other's named doors (DOORS). Every sub-package's models are the kernel's
   (dockets/models.py registers them all with Django), so they are open to all.

Each rule is a function over a source root, run on this repository and, by
`test_each_rule_catches_a_planted_violation`, on a planted tree that breaks it.
"""

from __future__ import annotations

import ast
import functools
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ORDER = ["core", "filers", "cases", "dockets", "training"]
PROJECT = {*ORDER, "ecf"}

# Modules that look a model up by a name they read from settings (no literal app).
DYNAMIC_MODELS = {
    "core/management/commands/rotate_field_key.py": "walks ECF_ENCRYPTED_FIELDS, "
    "the settings list of every encrypted field (app_label.Model.field)",
}

# (kernel module, sub-package module it imports): why the kernel may.
KERNEL_USES = {
    ("dockets.services", "dockets.filing.rules"): "ARCHITECTURE's one answer to "
    "'may this filer file this event now' (closed-case events) is filing.rules",
    ("dockets.uploads", "dockets.pdf.sandbox"): "validated_upload() runs over "
    "dockets.pdf.sandbox (ARCHITECTURE: one function per question)",
    ("dockets.uploads", "dockets.pdf.validation"): "the pure PDF checks (rule 2)",
    ("dockets.apps", "dockets.pipeline.services"): "the wiring: AppConfig.ready() "
    "registers the pipeline as what every filing sets off (on_entry_filed)",
    ("dockets.apps", "dockets.clerk.services"): "the wiring: AppConfig.ready() "
    "registers the transcript restriction as the 'transcript' case action",
    ("dockets.apps", "dockets.alerts.services"): "the wiring: AppConfig.ready() "
    "registers the alerts as a hook of every audit event (core.audit)",
    ("dockets.apps", "dockets.fulltext.services"): "the wiring: AppConfig.ready() "
    "registers the document text's audit hook (restricted documents lose their text)",
    ("dockets.apps", "dockets.claims.rule3002_alerts"): "the wiring: "
    "AppConfig.ready() registers the Rule 3002.1 alerts' audit hook",
    ("dockets.apps", "dockets.pipeline.inbox"): "the wiring: AppConfig.ready() "
    "registers the NEF withholding check with core.mail (inbox page and sender)",
    ("dockets.apps", "dockets.claims.demo"): "the wiring: AppConfig.ready() "
    "registers the demo claims as a seed_demo seeder (cases.demo)",
}

# Per sub-package: the modules other sub-packages may import, and what each offers.
DOORS: dict[str, dict[str, str]] = {
    "alerts": {
        "services": "follow/unfollow, what an alert sends, and the alerts of a filing"
        " its pipeline task dispatches (take_filed_event, dispatch_now)",
        "api": "the alerts endpoints the API router mounts",
    },
    "api": {
        "auth": "token authentication for endpoints mounted from other areas",
        "errors": "the API's one error shape",
        "schemas": "shared request/response schemas",
    },
    "bulk": {
        "export": "the bulk data export (management command)",
        "importer": "the bulk data import (management command)",
    },
    "claims": {
        "services": "filing a proof of claim (API filing path)",
        "batch": "batch claims upload (API)",
        "bulk": "loading claims in bulk (management commands)",
    },
    "filing": {
        "rules": "ARCHITECTURE: filing_problems, the one answer to 'may this be filed'",
        "services": "filing a motion or document (clerk docketing, API)",
        "wizard": "the filing steps the API replays",
    },
    "fulltext": {
        "services": "document text extraction, queued after stamping",
        "selectors": "document text search (reports search page)",
    },
    "pdf": {
        "sandbox": "validation in a child process with limits",
        "validation": "pure PDF checks",
        "stamping": "the header stamp",
        "repair": "the optional repaired copy",
    },
    "pipeline": {
        "recipients": "who receives an entry's NEF",
        "services": "stamping and NEF delivery, bounces",
        "stamping": "the stamped copy of a document (text extraction reads it)",
        "tasks": "re-queueing a corrected entry's NEF",
        "views": "the document view the legacy /doc1 address serves",
    },
    "reports": {
        "selectors": "the docket report's reads",
        "entry_search": "the docket-text query parser",
        "follow": "'Follow this case'",
        "cmecf": "CM/ECF's own markup for legacy addresses",
        "legacy": "the legacy CM/ECF addresses",
    },
}


@dataclass(frozen=True)
class Import:
    source: str  # path relative to the root
    module: str  # the source's dotted module name
    target: str | None  # dotted module imported; None for a non-literal get_model
    line: int


def _dotted(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _is_module(root: Path, dotted: str) -> bool:
    base = root.joinpath(*dotted.split("."))
    return base.with_suffix(".py").exists() or (base / "__init__.py").exists()


def _literal(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


@functools.cache
def imports_in(path: Path, root: Path) -> list[Import]:
    """Every import in `path`, anywhere in the file, resolved to a dotted module."""
    rel = str(path.relative_to(root))
    module = _dotted(path, root)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[Import] = []

    def add(target: str | None, node: ast.stmt | ast.expr) -> None:
        found.append(Import(rel, module, target, node.lineno))

    for node in ast.walk(ast.parse(path.read_text(), filename=rel)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name, node)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1])
                origin = f"{base}.{node.module}" if node.module else base
            else:
                origin = node.module or ""
            for alias in node.names:
                candidate = f"{origin}.{alias.name}"
                add(candidate if _is_module(root, candidate) else origin, node)
        elif isinstance(node, ast.Call):
            name = _call_name(node)
            first = _literal(node.args[0]) if node.args else None
            if name == "get_model":
                if first is None:
                    add(None, node)
                else:
                    add(first.split(".")[0] + ".models", node)
            elif name in ("import_string", "import_module") and first:
                add(first, node)
    return found


def project_imports(root: Path, top: str) -> list[Import]:
    found: list[Import] = []
    for path in sorted((root / top).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        found += imports_in(path, root)
    return found


def _sub_packages(root: Path) -> set[str]:
    return {
        p.name
        for p in (root / "dockets").iterdir()
        if (p / "__init__.py").exists() and p.name != "migrations"
    }


def _is_models(parts: list[str]) -> bool:
    return len(parts) >= 3 and (parts[2] == "models" or parts[2].endswith("_models"))


# -- the rules, each returning its offenders ------------------------------------------


def upward_imports(root: Path, app: str) -> list[str]:
    above = set(ORDER[ORDER.index(app) + 1 :])
    return [
        f"{i.source}:{i.line} imports {i.target}"
        for i in project_imports(root, app)
        if i.target and i.target.split(".")[0] in above
    ]


def unnamed_get_models(root: Path) -> list[str]:
    return [
        f"{i.source}:{i.line} looks up a model whose app is not written in the call"
        for top in sorted(PROJECT)
        if (root / top).is_dir()
        for i in project_imports(root, top)
        if i.target is None and i.source not in DYNAMIC_MODELS
    ]


def impure_pdf_imports(root: Path) -> list[str]:
    return [
        f"{i.source}:{i.line} imports {i.target}"
        for i in project_imports(root, "dockets/pdf")
        if i.target
        and (i.target.split(".")[0] in {"django", *PROJECT})
        and not i.target.startswith("dockets.pdf")
    ]


def kernel_imports_of_sub_packages(root: Path) -> list[str]:
    subs = _sub_packages(root)
    offenders = []
    for path in sorted((root / "dockets").glob("*.py")):
        for i in imports_in(path, root):
            parts = (i.target or "").split(".")
            if parts[0] != "dockets" or len(parts) < 2 or parts[1] not in subs:
                continue
            if i.module == "dockets.models" and _is_models(parts):
                continue  # Django registers every model of the app through here
            if (i.module, ".".join(parts[:3])) in KERNEL_USES:
                continue
            offenders.append(f"{i.source}:{i.line} imports {i.target}")
    return offenders


def sub_package_crossings(root: Path) -> list[str]:
    subs = _sub_packages(root)
    offenders = []
    for i in project_imports(root, "dockets"):
        own = i.module.split(".")
        parts = (i.target or "").split(".")
        if len(own) < 3 or own[1] not in subs:
            continue  # the kernel: rule 3
        if parts[0] != "dockets" or len(parts) < 2 or parts[1] not in subs:
            continue
        if parts[1] == own[1] or _is_models(parts):
            continue
        if len(parts) >= 3 and parts[2] in DOORS.get(parts[1], {}):
            continue
        offenders.append(f"{i.source}:{i.line} imports {i.target}")
    return offenders


# -- on this repository -----------------------------------------------------------------


@pytest.mark.parametrize("app", ORDER[:-1])
def test_an_app_never_imports_an_app_above_it(app):
    """An app imports (or looks up by name) no app above it."""
    assert not upward_imports(ROOT, app)


def test_a_model_looked_up_by_name_names_its_app():
    """apps.get_model is an import the rules can read only when the app is written."""
    assert not unnamed_get_models(ROOT)


def test_pdf_imports_nothing_from_django_or_the_apps():
    """dockets/pdf runs in a sandboxed child process over bytes: no Django, no models."""
    assert not impure_pdf_imports(ROOT)


def test_the_dockets_kernel_imports_no_sub_package():
    """The modules directly in dockets/ import no sub-package (except KERNEL_USES)."""
    assert not kernel_imports_of_sub_packages(ROOT)


def test_sub_packages_reach_each_other_only_through_named_doors():
    """dockets.<a> imports dockets.<b> only through the kernel or one of b's DOORS."""
    assert not sub_package_crossings(ROOT)


def test_every_door_is_a_module_that_exists():
    """A door names a real module, so the list cannot go stale unnoticed."""
    missing = [
        f"dockets.{sub}.{door}"
        for sub, doors in DOORS.items()
        for door in doors
        if not _is_module(ROOT, f"dockets.{sub}.{door}")
    ]
    assert not missing


# -- the rules catch what they should -------------------------------------------------


def _plant(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_each_rule_catches_a_planted_violation(tmp_path):
    """A tree with one violation of each rule: every rule names its offender."""
    _plant(
        tmp_path,
        {
            "core/__init__.py": "",
            "core/home.py": (
                "from django.apps import apps\n"
                "def events():\n"
                "    return apps.get_model('dockets', 'Event')\n"
                "def anything(label):\n"
                "    return apps.get_model(label)\n"
            ),
            "dockets/__init__.py": "",
            "dockets/models.py": "from .claims.models import *\n",
            "dockets/services.py": "from .clerk.services import reject\n",
            "dockets/pdf/__init__.py": "",
            "dockets/pdf/stamp.py": "from django.conf import settings\n",
            "dockets/claims/__init__.py": "",
            "dockets/claims/models.py": "",
            "dockets/clerk/__init__.py": "",
            "dockets/clerk/services.py": "def reject(): ...\n",
            "dockets/clerk/views.py": (
                "from ..claims.models import Claim\n"  # a model: allowed
                "from dockets.reports.views import docket\n"  # not a door
            ),
            "dockets/reports/__init__.py": "",
            "dockets/reports/views.py": "def docket(): ...\n",
        },
    )
    assert upward_imports(tmp_path, "core") == ["core/home.py:3 imports dockets.models"]
    assert unnamed_get_models(tmp_path) == [
        "core/home.py:5 looks up a model whose app is not written in the call"
    ]
    assert impure_pdf_imports(tmp_path) == [
        "dockets/pdf/stamp.py:1 imports django.conf"
    ]
    assert kernel_imports_of_sub_packages(tmp_path) == [
        "dockets/services.py:1 imports dockets.clerk.services"
    ]
    assert sub_package_crossings(tmp_path) == [
        "dockets/clerk/views.py:2 imports dockets.reports.views"
    ]
