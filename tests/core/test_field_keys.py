"""ECF_FIELD_ENCRYPTION_KEY: a MultiFernet list, rotated by `rotate_field_key`, including
values made with the key once derived from DJANGO_SECRET_KEY; mandatory in production."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_rotation_reencrypts_derived_and_old_key_values(demo, settings):
    from cases.models import Case, Party
    from core.crypto import decrypt, encrypt

    case = Case.objects.filter(court=demo.court).first() or _case(demo)
    settings.ECF_FIELD_ENCRYPTION_KEY = []
    derived = Party.objects.create(
        case=case, role="debtor", name="Derived", tax_id_encrypted=encrypt("123456789")
    )
    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.ECF_FIELD_ENCRYPTION_KEY = [old_key]
    old = Party.objects.create(
        case=case, role="debtor", name="Old", tax_id_encrypted=encrypt("987654321")
    )
    settings.ECF_FIELD_ENCRYPTION_KEY = [new_key, old_key]
    call_command("rotate_field_key", stdout=io.StringIO())
    only_new = Fernet(new_key.encode())
    for party, digits in ((derived, "123456789"), (old, "987654321")):
        party.refresh_from_db()
        assert only_new.decrypt(party.tax_id_encrypted.encode()).decode() == digits
        assert decrypt(party.tax_id_encrypted) == digits
    # After rotation the old key can go: the values still read, and the old key alone can't.
    settings.ECF_FIELD_ENCRYPTION_KEY = [new_key]
    old.refresh_from_db()
    assert decrypt(old.tax_id_encrypted) == "987654321"
    with pytest.raises(InvalidToken):
        Fernet(old_key.encode()).decrypt(old.tax_id_encrypted.encode())


def _case(demo):
    sys.path.insert(0, str(ROOT / "tests" / "security"))
    from seckit import make_case

    return make_case(demo.court, title="Key Debtor")


def test_production_refuses_to_start_without_a_field_key():
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "ECF_FIELD"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="ecf.settings.base",
        DJANGO_SECURE="true",
        DJANGO_SECRET_KEY="x" * 50,
        DJANGO_ALLOWED_HOSTS="ecf.example.test",
        DATABASE_URL="postgres://postgres@127.0.0.1:54329/ecf",
        TRAINING_DATABASE_URL="postgres://postgres@127.0.0.1:54329/ecf_training",
        CELERY_BROKER_URL="redis://127.0.0.1:63799/0",
        ECF_CACHE_URL="redis://127.0.0.1:63799/2",
    )
    code = "import django; django.setup()"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "ECF_FIELD_ENCRYPTION_KEY is required in production" in result.stderr
    env["ECF_FIELD_ENCRYPTION_KEY"] = Fernet.generate_key().decode()
    ok = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert ok.returncode == 0, ok.stderr[-2000:]
