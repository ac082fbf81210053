"""Schema-driven fuzzing: schemathesis against the served OpenAPI document, on loopback.

Bounded in examples (and by a timeout) and seeded, so `make test` stays quick and a
failure reproduces. It must find no 500 and no response that breaks the schema.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.django_db(transaction=True)]

MAX_EXAMPLES = int(os.environ.get("ECF_API_FUZZ_EXAMPLES", "8"))
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"


def run_schemathesis(url: str, *headers: str) -> subprocess.CompletedProcess:
    st = Path(sys.executable).with_name("st")
    command = [
        str(st),
        "run",
        f"{url}/api/v1/openapi.json",
        "--checks",
        CHECKS,
        "--max-examples",
        str(MAX_EXAMPLES),
        "--seed",
        "14",
        "--phases",
        "examples,fuzzing",
        "--request-timeout",
        "60",
        "--no-color",
    ]
    for header in headers:
        command += ["-H", header]
    return subprocess.run(
        command, capture_output=True, text=True, timeout=600, check=False
    )


@pytest.fixture
def generous_limits(settings):
    settings.ECF_API_ANON_RATE_PER_MINUTE = 100_000
    settings.ECF_API_TOKEN_RATE_PER_MINUTE = 100_000


def test_fuzz_without_a_token(live_server, generous_limits, opened_case):
    result = run_schemathesis(live_server.url)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]


def test_fuzz_with_a_token(live_server, demo, generous_limits, opened_case, make_token):
    token = make_token(demo.users["attorney"])
    result = run_schemathesis(live_server.url, f"Authorization: Bearer {token}")
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
