"""Test overrides only: faster hasher, temporary media and mail, no HTTPS redirect."""

import os
import tempfile
from pathlib import Path

# Development defaults, so plain `pytest` works against the services `make` starts.
for _key, _value in {
    "DJANGO_SECURE": "false",
    "DJANGO_SECRET_KEY": "test-only-secret-key-not-for-production-0123456789",
    "DJANGO_ALLOWED_HOSTS": "localhost,127.0.0.1,testserver",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:54329/ecf",
    "TRAINING_DATABASE_URL": "postgres://postgres@127.0.0.1:54329/ecf_training",
    "CELERY_BROKER_URL": "redis://127.0.0.1:63799/0",
    "ECF_CACHE_URL": "redis://127.0.0.1:63799/2",
}.items():
    os.environ.setdefault(_key, _value)

from .base import *  # noqa: E402, F403
from .base import CACHES, DATABASES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A worker process started by a test gets the test process's folder through the env.
_tmp = os.environ.get("ECF_TEST_TMP") or tempfile.mkdtemp(prefix="ecf-test-")
os.environ["ECF_TEST_TMP"] = _tmp
MEDIA_ROOT = os.path.join(_tmp, "media")
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = os.environ.get(
    "ECF_TEST_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend"
)
EMAIL_FILE_PATH = os.path.join(_tmp, "mail")
SECURE_SSL_REDIRECT = False
# Several developers may share one PostgreSQL server: ECF_TEST_DB_SUFFIX keeps
# their test databases apart.
_suffix = os.environ.get("ECF_TEST_DB_SUFFIX", "")
for _alias, _db in DATABASES.items():
    _db["TEST"] = {"NAME": f"test_{_db['NAME']}{_suffix}"}
    _db["CONN_MAX_AGE"] = 0
# Cache keys of parallel test runs must not collide either (rate limits live there).
CACHES["default"]["KEY_PREFIX"] = f"ecf-test{_suffix}-{os.getpid()}"
# Tasks queued by tests go to a queue no development worker consumes; tests that run
# a real worker point the app at a queue of their own (tests/conftest.py).
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("ECF_CELERY_QUEUE", "ecf-test-unconsumed")
STATIC_ROOT = Path(_tmp) / "static"
os.makedirs(STATIC_ROOT, exist_ok=True)
