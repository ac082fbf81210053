"""Browser-test harness: Playwright driving Debian's Chromium, and axe-core checks."""

import os
import shutil
import sys
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; ORM calls in the
# same test would otherwise raise SynchronousOnlyOperation.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
sys.path.insert(0, str(Path(__file__).resolve().parent / "tests"))

AXE_JS = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Resolve only local hosts: the machine has no other network, and Chromium looks
    # up update and sign-in hosts even with the flags above.
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1",
]


def _missing(what: str):
    """Fail with what to install: a test that needs a tool never passes without it.

    `make test` installs Chromium, qpdf and axe-core first (make test-deps)."""
    pytest.fail(f"{what} is missing; `make test` installs it", pytrace=False)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    exe = (
        os.environ.get("CHROMIUM")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )
    if not exe or not os.access(exe, os.X_OK):
        _missing(
            "Chromium (run `make system-deps` as root, or set CHROMIUM=/path/to/chromium)"
        )
    return {
        **browser_type_launch_args,
        "executable_path": exe,
        "chromium_sandbox": False,  # Playwright then adds --no-sandbox, needed as root
        "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_ARGS],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # Most journeys skip the app's strict CSP to keep them fast to write; one journey
    # per user group runs with it enforced (browserkit.CSP_ENFORCED), failing on any
    # violation.
    return {**browser_context_args, "bypass_csp": True}


@pytest.fixture(autouse=True)
def _csp_violations_fail(request):
    """Under an enforced CSP, any blocked script, style or frame fails the test."""
    if "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    yield
    assert not refused, "CSP violations:\n" + "\n".join(refused)


def axe_violations(page, impacts=("serious", "critical"), options=None):
    if not AXE_JS.exists():
        _missing("axe-core (run `npm ci`)")
    # Evaluated through the DevTools protocol, which the page's CSP does not govern,
    # so axe runs on pages whose CSP is enforced too (no inline <script> added).
    page.evaluate(AXE_JS.read_text())
    result = page.evaluate(
        "opts => axe.run(document, opts)",
        {"resultTypes": ["violations"], **(options or {})},
    )
    return [v for v in result["violations"] if v["impact"] in impacts]


@pytest.fixture
def assert_accessible(page):
    """Fail on any serious or critical axe-core violation of the current page."""

    def check(impacts=("serious", "critical"), options=None):
        found = axe_violations(page, impacts, options)
        assert not found, "axe-core violations:\n" + "\n".join(
            f"[{v['impact']}] {v['id']}: {v['help']} -> "
            + ", ".join(str(n["target"]) for n in v["nodes"][:5])
            for v in found
        )

    return check
