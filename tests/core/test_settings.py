"""Settings are driven by the environment; every variable is documented; deploy checks pass."""

import os
import re
import subprocess
import sys
from pathlib import Path

from testkit import production_env

ROOT = Path(__file__).resolve().parents[2]
ENV_CALL = re.compile(
    r"""env\.(?:str|bool|int|list|db_url|float)\(\s*["']([A-Z][A-Z0-9_]+)["']"""
)
COMPOSE_VAR = re.compile(
    r"(?<!\$)\$\{([A-Z][A-Z0-9_]+)"
)  # $${X} is the container shell's
COMPOSE_ENV_KEY = re.compile(r"^\s+([A-Z][A-Z0-9_]+):", re.M)


def documented() -> set[str]:
    text = (ROOT / ".env.example").read_text()
    return set(re.findall(r"^([A-Z][A-Z0-9_]+)=", text, re.M))


def test_every_variable_the_settings_read_is_in_env_example():
    """A newcomer finds every variable the code reads in .env.example."""
    read = set()
    for path in ROOT.glob("**/*.py"):
        if any(
            part in (".venv", "node_modules", "var", "tests") for part in path.parts
        ):
            continue
        read |= set(ENV_CALL.findall(path.read_text()))
    assert read, "no env reads found: the pattern is broken"
    missing = sorted(read - documented())
    assert not missing, f"read by the code but not in .env.example: {missing}"


def test_every_variable_docker_compose_reads_is_in_env_example():
    text = (ROOT / "docker-compose.yml").read_text()
    # Keys that configure the postgres and object-store images take their values from ${...}
    # variables, which are checked; the app's own keys are checked directly.
    image_keys = {
        k for k in COMPOSE_ENV_KEY.findall(text) if k.startswith(("POSTGRES_", "S3_"))
    }
    used = set(COMPOSE_VAR.findall(text)) | (
        set(COMPOSE_ENV_KEY.findall(text)) - image_keys
    )
    missing = sorted(used - documented())
    assert not missing, (
        f"docker-compose.yml uses variables not in .env.example: {missing}"
    )


def test_check_deploy_with_production_values_reports_no_errors():
    """`manage.py check --deploy` is clean with production settings."""
    env = production_env()
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_settings_refuse_to_start_without_a_secret_key():
    """No default SECRET_KEY: production cannot start by accident with a known key."""
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "ecf.settings.base",
        "DJANGO_ALLOWED_HOSTS": "x",
        "DATABASE_URL": "postgres://x@x/x",
        "TRAINING_DATABASE_URL": "postgres://x@x/x",
        "CELERY_BROKER_URL": "redis://x",
        "ECF_CACHE_URL": "redis://x",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
