"""Bulk data (issue 24): the nightly export holds every public docket, claims register
and document digest and nothing sealed or restricted, and re-imports into an empty
database with the same counts and digests."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

import cases.demo
from dockets.bulk.export import export_bulk, verify_bulk
from dockets.claims import demo as claims_demo
from dockets.clerk import services as clerk
from dockets.models import Visibility

SECRET = "OSPREY-SEALED-7741"


def _rows(folder: Path, table: str) -> list[dict]:
    return [
        json.loads(line)
        for line in (folder / f"{table}.jsonl").read_text().splitlines()
    ]


def _everything(folder: Path) -> str:
    return "".join(p.read_text() for p in sorted(folder.iterdir()))


@pytest.mark.django_db(transaction=True)
def test_export_of_the_demo_court_reimports_with_the_same_counts_and_digests(
    world, file_entry, settings, tmp_path, monkeypatch
):
    settings.ECF_DEMO = True
    monkeypatch.setattr(cases.demo, "_seeders", [claims_demo.seed])
    call_command("seed_demo", stdout=io.StringIO())
    users = world.users
    public = file_entry(
        world.case,
        "msj",
        users["attorney"],
        attachments=["Unredacted statement"],
        text_override="Motion to sell the sloop.",
    )
    hidden_attachment = public.documents.get(sequence=1)
    clerk.set_document_visibility(
        document=hidden_attachment,
        clerk=users["clerk"],
        visibility=Visibility.SEALED,
        reason="9037",
    )
    sealed = file_entry(
        world.case, "msj", users["attorney"], text_override=f"Motion. {SECRET}"
    )
    clerk.set_entry_visibility(
        entry=sealed, clerk=users["clerk"], visibility=Visibility.SEALED, reason="O"
    )
    restricted = file_entry(
        world.case,
        "msj",
        users["attorney"],
        visibility=Visibility.RESTRICTED,
        text_override="Restricted OSPREY-R.",
    )
    form121 = file_entry(world.case, "ssn121", users["attorney"])
    first = tmp_path / "first"
    call_command("export_bulk", str(first), stdout=io.StringIO())
    manifest = json.loads((first / "manifest.json").read_text())
    assert verify_bulk(first) == []
    assert {"entries.csv", "entries.jsonl", "schema.json", "claims.csv"} <= set(
        manifest["sha256"]
    )
    assert manifest["counts"]["claims"] >= 4 and manifest["counts"]["cases"] >= 1

    # Nothing sealed or restricted, in any file.
    text = _everything(first)
    assert SECRET not in text and "OSPREY-R" not in text
    entry_ids = {r["id"] for r in _rows(first, "entries")}
    assert public.pk in entry_ids
    assert not {sealed.pk, restricted.pk, form121.pk} & entry_ids
    digests = {r["sha512"] for r in _rows(first, "documents")}
    assert public.documents.get(sequence=0).sha512 in digests
    document_ids = {r["id"] for r in _rows(first, "documents")}
    hidden = {
        hidden_attachment.pk,
        sealed.documents.get().pk,
        restricted.documents.get().pk,
        form121.documents.get().pk,
    }
    assert public.documents.get(sequence=0).pk in document_ids
    assert not hidden & document_ids

    # A changed file is caught by the manifest, and nothing is imported from it.
    tampered = tmp_path / "tampered"
    tampered.mkdir()
    for path in first.iterdir():
        (tampered / path.name).write_bytes(path.read_bytes())
    with open(tampered / "entries.jsonl", "a") as fh:
        fh.write("\n")
    assert verify_bulk(tampered) == [
        "entries.jsonl does not match its SHA-256 in the manifest"
    ]

    call_command("flush", interactive=False, verbosity=0)  # an empty database
    with pytest.raises(CommandError, match="does not verify"):
        call_command("import_bulk", str(tampered), stdout=io.StringIO())
    out = io.StringIO()
    call_command("import_bulk", str(first), stdout=out)
    with pytest.raises(CommandError, match="already holds cases"):
        call_command("import_bulk", str(first), stdout=io.StringIO())

    second = tmp_path / "second"
    again = export_bulk(second)
    assert again["counts"] == manifest["counts"]
    for table in ("documents", "entries", "claims", "parties", "cases"):
        before = _rows(first, table)
        after = _rows(second, table)
        drop = {"id", "case_id", "entry_id"}
        assert sorted(
            json.dumps({k: v for k, v in r.items() if k not in drop}, sort_keys=True)
            for r in before
        ) == sorted(
            json.dumps({k: v for k, v in r.items() if k not in drop}, sort_keys=True)
            for r in after
        ), table


@pytest.mark.django_db(transaction=True)
def test_a_case_zip_holds_its_public_documents_only_with_progress(
    world, file_entry, client, celery_worker_process
):
    import zipfile

    from django.urls import reverse
    from testkit import wait_for

    from dockets.bulk.models import CaseZipJob

    users = world.users
    public = file_entry(world.case, "msj", users["attorney"], attachments=["Exhibit A"])
    sealed = file_entry(world.case, "msj", users["attorney"])
    clerk.set_entry_visibility(
        entry=sealed, clerk=users["clerk"], visibility=Visibility.SEALED, reason="O"
    )
    file_entry(world.case, "ssn121", users["attorney"])  # Form 121: restricted
    client.force_login(users["clerk"])  # even the court gets the public view here
    response = client.post(
        reverse("dockets:case-zip", kwargs={"case_id": world.case.pk})
    )
    assert response.status_code == 302
    job = CaseZipJob.objects.get()
    wait_for(lambda: CaseZipJob.objects.get().status == "done", timeout=60)
    page = client.get(response["Location"]).content.decode()
    assert "Download the ZIP" in page and "2 documents" in page
    download = client.get(
        reverse("dockets:case-zip-download", kwargs={"token": job.token})
    )
    data = b"".join(download.streaming_content)
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    assert sorted(names) == sorted(
        [
            f"{world.case.display_number}-doc-{public.number}-0.pdf",
            f"{world.case.display_number}-doc-{public.number}-1.pdf",
            "index.csv",
        ]
    )
    # (the sealed entry and Form 121 are left out: the list above is exact)
    job.refresh_from_db()
    assert (job.total, job.done, job.percent) == (2, 2, 100)
