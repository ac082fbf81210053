"""The nightly bulk export: every public docket, claims register and document digest.

Threat model: the export is public, so it is built from the public view only, through
the same doors as the public pages: cases anyone may see (cases.permissions.can_see_case
for the anonymous user), entries by dockets.selectors.public_entry_q (sealed, court-only,
restricted and not-yet-public ex parte entries are left out entirely, not even as a
placeholder), and documents by dockets.permissions.can_view_document(None, ...).
Restricted documents (Form 121 and the like) are restricted by their entry or
themselves, so they never appear. Each table is written as JSON Lines and CSV,
described by schema.json; manifest.json carries the SHA-256 of every file.

CSV goes through `write_csv` alone, so the project's one safe CSV writer can replace
it in one place.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from cases.models import Case, Party
from cases.permissions import can_see_case
from core import csvsafe

from ..models import DocketEntry, Document
from ..permissions import can_view_document
from ..selectors import public_entry_q

FORMAT_VERSION = 1

TABLES: dict[str, dict[str, str]] = {
    "courts": {
        "code": "text: e.g. casb",
        "name": "text",
        "district": "text",
        "time_zone": "text",
        "stamp_prefix": "text",
    },
    "offices": {"court": "text: courts.code", "number": "integer", "name": "text"},
    "judges": {"court": "text: courts.code", "name": "text", "initials": "text"},
    "cases": {
        "id": "integer: the case's id, referenced by the other tables",
        "court": "text: courts.code",
        "office_number": "integer: offices.number",
        "year": "integer: the year in the case number",
        "serial": "integer: the sequence number in the case number",
        "judge_initials": "text: judges.initials, or empty",
        "number": "text: the case number as the court shows it",
        "long_number": "text: office:yy-type-number",
        "title": "text",
        "case_type": "text: bk or ap",
        "chapter": "text",
        "status": "text",
        "date_filed": "date (YYYY-MM-DD)",
        "judge": "text: the judge's name",
        "office": "text: the divisional office",
    },
    "parties": {
        "case_id": "integer: cases.id",
        "role": "text",
        "name": "text",
        "city": "text",
        "state": "text",
    },
    "entries": {
        "id": "integer",
        "case_id": "integer: cases.id",
        "number": "integer or empty (unnumbered entry)",
        "seq": "integer: order on the docket",
        "entered_at": "timestamp (UTC, ISO 8601)",
        "event": "text: event code",
        "event_name": "text",
        "filed_date": "date (YYYY-MM-DD), court-local",
        "filed_at": "timestamp (UTC, ISO 8601)",
        "text": "text: the docket text",
    },
    "documents": {
        "id": "integer",
        "entry_id": "integer: entries.id",
        "sequence": "integer: 0 main document, 1.. attachments",
        "description": "text",
        "page_count": "integer",
        "sha512": "text: SHA-512 of the document as filed",
        "stamped_sha512": "text: SHA-512 of the stamped copy (empty until stamped)",
    },
    "claims": {
        "case_id": "integer: cases.id",
        "number": "integer: claim number",
        "version": "integer: latest amendment",
        "creditor_name": "text",
        "filed_date": "date (YYYY-MM-DD)",
        "amount_cents": "integer: amount claimed, in cents",
        "secured_cents": "integer",
        "priority_cents": "integer",
        "unsecured_cents": "integer",
        "status": "text",
    },
}


def csv_writer(fh):
    """The project's one safe CSV writer (core.csvsafe: no cell starts a formula)."""
    return csvsafe.writer(fh)


def _public_cases() -> Iterator[Case]:
    anonymous = AnonymousUser()
    for case in (
        Case.objects.select_related("judge", "office").order_by("pk").iterator(2000)
    ):
        if can_see_case(anonymous, case):
            yield case


def _rows(case_ids: set[int]) -> dict[str, Iterator[dict]]:
    from cases.models import Court, Judge, Office

    court_ids = set(
        Case.objects.filter(pk__in=case_ids).values_list("court_id", flat=True)
    )

    def courts():
        for c in Court.objects.filter(pk__in=court_ids).order_by("pk"):
            yield {
                "code": c.code,
                "name": c.name,
                "district": c.district,
                "time_zone": c.time_zone,
                "stamp_prefix": c.stamp_prefix,
            }

    def offices():
        for o in (
            Office.objects.filter(court_id__in=court_ids)
            .select_related("court")
            .order_by("pk")
        ):
            yield {"court": o.court.code, "number": o.number, "name": o.name}

    def judges():
        for j in (
            Judge.objects.filter(court_id__in=court_ids)
            .select_related("court")
            .order_by("pk")
        ):
            yield {"court": j.court.code, "name": j.name, "initials": j.initials}

    def cases():
        for c in (
            Case.objects.filter(pk__in=case_ids)
            .select_related("judge", "office")
            .order_by("pk")
        ):
            yield {
                "id": c.pk,
                "court": c.court.code,
                "office_number": c.office.number,
                "year": c.year,
                "serial": c.number,
                "judge_initials": c.judge.initials if c.judge is not None else "",
                "number": c.display_number,
                "long_number": c.long_number,
                "title": c.title,
                "case_type": c.case_type,
                "chapter": c.chapter,
                "status": c.status,
                "date_filed": c.date_filed,
                "judge": c.judge.name if c.judge is not None else "",
                "office": c.office.name,
            }

    def parties():
        for p in Party.objects.filter(case_id__in=case_ids).order_by("case_id", "pk"):
            yield {
                "case_id": p.case_id,
                "role": p.role,
                "name": p.name,
                "city": p.city,
                "state": p.state,
            }

    entries_q = DocketEntry.objects.filter(public_entry_q(), case_id__in=case_ids)

    def entries():
        for e in (
            entries_q.select_related("event").order_by("case_id", "seq").iterator(2000)
        ):
            yield {
                "id": e.pk,
                "case_id": e.case_id,
                "number": e.number,
                "seq": e.seq,
                "entered_at": e.entered_at,
                "event": e.event.code,
                "event_name": e.event.name,
                "filed_date": e.filed_date,
                "filed_at": e.filed_at,
                "text": e.text,
            }

    def documents():
        for d in (
            Document.objects.filter(entry__in=entries_q)
            .select_related("entry")
            .order_by("entry__case_id", "entry__seq", "sequence", "pk")
            .iterator(2000)
        ):
            if can_view_document(None, d, participant=False):
                yield {
                    "id": d.pk,
                    "entry_id": d.entry_id,
                    "sequence": d.sequence,
                    "description": d.description,
                    "page_count": d.page_count,
                    "sha512": d.sha512,
                    "stamped_sha512": d.stamped_sha512,
                }

    def claims():
        from ..claims.models import Claim

        for c in Claim.objects.filter(case_id__in=case_ids).order_by(
            "case_id", "number"
        ):
            yield {
                "case_id": c.case_id,
                "number": c.number,
                "version": c.version,
                "creditor_name": c.creditor_name,
                "filed_date": c.filed_date,
                "amount_cents": c.amount_cents,
                "secured_cents": c.secured_cents,
                "priority_cents": c.priority_cents,
                "unsecured_cents": c.unsecured_cents,
                "status": c.status,
            }

    return {
        "courts": courts(),
        "offices": offices(),
        "judges": judges(),
        "cases": cases(),
        "parties": parties(),
        "entries": entries(),
        "documents": documents(),
        "claims": claims(),
    }


def _plain(value):
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def export_bulk(folder: Path) -> dict:
    """Write the public bulk data into `folder`; return the manifest (also written)."""
    folder.mkdir(parents=True, exist_ok=True)
    case_ids = {c.pk for c in _public_cases()}
    counts: dict[str, int] = {}
    for table, rows in _rows(case_ids).items():
        columns = list(TABLES[table])
        n = 0
        with (
            open(folder / f"{table}.jsonl", "w", encoding="utf-8") as jsonl,
            open(folder / f"{table}.csv", "w", encoding="utf-8", newline="") as fh,
        ):
            writer = csv_writer(fh)
            writer.writerow(columns)
            for row in rows:
                plain = {k: _plain(row[k]) for k in columns}
                jsonl.write(
                    json.dumps(plain, ensure_ascii=False, sort_keys=True) + "\n"
                )
                writer.writerow(["" if plain[k] is None else plain[k] for k in columns])
                n += 1
        counts[table] = n
    (folder / "schema.json").write_text(
        json.dumps(
            {"format_version": FORMAT_VERSION, "tables": TABLES},
            indent=2,
            sort_keys=True,
        )
    )
    files = sorted(p.name for p in folder.iterdir() if p.name != "manifest.json")
    manifest = {
        "format_version": FORMAT_VERSION,
        "created_at": timezone.now().isoformat(),
        "counts": counts,
        "sha256": {name: _sha256(folder / name) for name in files},
    }
    (folder / "manifest.json").write_text(
        json.dumps(manifest, indent=2, sort_keys=True)
    )
    return manifest


def verify_bulk(folder: Path) -> list[str]:
    """Problems with an export's files against its manifest (empty: all good)."""
    manifest = json.loads((folder / "manifest.json").read_text())
    problems = []
    for name, digest in manifest["sha256"].items():
        path = folder / name
        if not path.exists():
            problems.append(f"{name} is missing")
        elif _sha256(path) != digest:
            problems.append(f"{name} does not match its SHA-256 in the manifest")
    return problems


def export_to_storage() -> str:
    """The nightly job: export into a temporary folder, then store it under bulk/<date>/."""
    import shutil
    import tempfile

    from django.core.files import File
    from django.core.files.storage import default_storage

    from core import clock

    prefix = f"bulk/{clock.today():%Y-%m-%d}"
    with tempfile.TemporaryDirectory(prefix="ecf-bulk-") as tmp:
        folder = Path(tmp) / "export"
        export_bulk(folder)
        for path in sorted(folder.iterdir()):
            name = f"{prefix}/{path.name}"
            if default_storage.exists(name):
                default_storage.delete(name)
            with open(path, "rb") as fh:
                default_storage.save(name, File(fh))
        shutil.rmtree(folder)
    return prefix
