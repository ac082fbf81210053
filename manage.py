#!/usr/bin/env python
import os
import sys
from pathlib import Path


def _development_defaults() -> None:
    """On a developer's machine with nothing configured, use scripts/dev.env.

    Production always sets DJANGO_SECRET_KEY (docker-compose.yml, .env), so these
    development values never apply there; the settings themselves keep no defaults.
    """
    if "DJANGO_SECRET_KEY" in os.environ or "DJANGO_SETTINGS_MODULE" in os.environ:
        return
    dev_env = Path(__file__).resolve().parent / "scripts" / "dev.env"
    for line in dev_env.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            os.environ.setdefault(key.strip(), value.strip())
    print(
        "manage.py: no environment configured; using scripts/dev.env", file=sys.stderr
    )


def main() -> None:
    _development_defaults()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecf.settings.base")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
