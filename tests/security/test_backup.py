"""make backup / make restore: a dump restored into a fresh database passes verify_records."""

import os
import subprocess
import uuid
from pathlib import Path

import pytest
from django.db import connections
from seckit import file_pdf_entry, make_case

ROOT = Path(__file__).resolve().parents[2]


def _run(args, env):
    result = subprocess.run(
        args,
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.mark.django_db(transaction=True)
def test_backup_restores_into_a_fresh_database_and_verifies(demo, tmp_path, settings):
    case = make_case(demo.court, title="Backup Test")
    entry = file_pdf_entry(case, demo.users["attorney"])
    document = entry.documents.get()
    db = connections["default"].settings_dict
    dest = tmp_path / "backup"
    env = {
        "PGHOST": db["HOST"],
        "PGPORT": str(db["PORT"]),
        "PGUSER": db["USER"],
        "ECF_BACKUP_DATABASES": db["NAME"],
        "ECF_MEDIA_ROOT": settings.MEDIA_ROOT,
    }
    out = _run(["sh", "scripts/backup.sh", str(dest)], env)
    assert "manifest MANIFEST.sha512" in out
    assert {p.name for p in dest.iterdir()} >= {
        f"{db['NAME']}.dump",
        "media.tar.gz",
        "MANIFEST.sha512",
    }

    suffix = f"_r{uuid.uuid4().hex[:8]}"
    restored_tmp = tmp_path / "restored"
    restored_media = (
        restored_tmp / "media"
    )  # where ecf.settings.test looks, given ECF_TEST_TMP
    restore_env = {
        **env,
        "ECF_RESTORE_SUFFIX": suffix,
        "ECF_MEDIA_ROOT": str(restored_media),
    }
    try:
        # A tampered backup is refused before anything is restored.
        tampered = tmp_path / "tampered"
        _run(["cp", "-r", str(dest), str(tampered)], {})
        with open(tampered / "media.tar.gz", "ab") as fh:
            fh.write(b"x")
        bad = subprocess.run(
            ["sh", "scripts/restore.sh", str(tampered)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env={**os.environ, **restore_env},
            timeout=300,
        )
        assert bad.returncode == 1 and "does not match its manifest" in bad.stderr

        out = _run(["sh", "scripts/restore.sh", str(dest)], restore_env)
        assert "restored" in out
        assert (restored_media / document.original.name).read_bytes() == Path(
            document.original.path
        ).read_bytes()

        # verify_records, run as an operator would, against the restored database and media.
        verify_env = {
            "DJANGO_SETTINGS_MODULE": "ecf.settings.test",
            "ECF_TEST_TMP": str(restored_tmp),
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}{suffix}",
        }
        out = _run(
            [str(ROOT / ".venv/bin/python"), "manage.py", "verify_records"], verify_env
        )
        assert "1 original documents" in out and "0 problems" in out
        print("\nbackup/restore:", out.strip())

        # And it would notice if the restored copy were damaged.
        (restored_media / document.original.name).write_bytes(b"%PDF-1.7 damaged")
        broken = subprocess.run(
            [str(ROOT / ".venv/bin/python"), "manage.py", "verify_records"],
            cwd=ROOT,
            env={**os.environ, **verify_env},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert broken.returncode == 1 and "1 problem." in broken.stdout
    finally:
        subprocess.run(
            [
                str(ROOT / ".venv/pgsql/bin/psql"),
                "-X",
                "-q",
                "-h",
                db["HOST"],
                "-p",
                str(db["PORT"]),
                "-U",
                db["USER"],
                "-d",
                "postgres",
                "-c",
                f'DROP DATABASE IF EXISTS "{db["NAME"]}{suffix}" WITH (FORCE)',
            ],
            capture_output=True,
            timeout=60,
        )
