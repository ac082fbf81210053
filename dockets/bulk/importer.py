"""`manage.py import_bulk FOLDER`: load a bulk export into an empty database.

The files are checked against the manifest's SHA-256 sums first; nothing is loaded
from an export that does not verify, or into a database that already holds cases.
Everything is loaded in one transaction. Documents come in as their digests and page
counts (the export carries no PDF files), so the register of what was filed can be
checked against any copy.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.db import transaction

from cases.models import Case, Court, Judge, Office, Party
from core.errors import UserFacingError

from ..catalogue import sync_events
from ..models import DocketEntry, Document, Event
from .export import verify_bulk


def _read(folder: Path, table: str):
    with open(folder / f"{table}.jsonl", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def _date(value):
    return dt.date.fromisoformat(value) if value else None


def _time(value):
    return dt.datetime.fromisoformat(value) if value else None


def import_bulk(folder: Path) -> dict[str, int]:
    problems = verify_bulk(folder)
    if problems:
        raise UserFacingError("The export does not verify: " + "; ".join(problems))
    if Case.objects.exists():
        raise UserFacingError(
            "The database already holds cases; import into an empty one."
        )
    counts: dict[str, int] = {}
    with transaction.atomic():
        if not Event.objects.exists():
            sync_events()
        events = {e.code: e for e in Event.objects.all()}
        courts = {}
        for row in _read(folder, "courts"):
            courts[row["code"]], _ = Court.objects.get_or_create(
                code=row["code"],
                defaults={
                    k: row[k] for k in ("name", "district", "time_zone", "stamp_prefix")
                },
            )
        offices = {}
        for row in _read(folder, "offices"):
            offices[(row["court"], row["number"])], _ = Office.objects.get_or_create(
                court=courts[row["court"]],
                number=row["number"],
                defaults={"name": row["name"]},
            )
        judges = {}
        for row in _read(folder, "judges"):
            judge = Judge.objects.filter(
                court=courts[row["court"]], initials=row["initials"]
            ).first() or Judge.objects.create(
                court=courts[row["court"]], name=row["name"], initials=row["initials"]
            )
            judges[(row["court"], row["initials"])] = judge
        case_map: dict[int, Case] = {}
        for row in _read(folder, "cases"):
            case_map[row["id"]] = Case.objects.create(
                court=courts[row["court"]],
                office=offices[(row["court"], row["office_number"])],
                year=row["year"],
                number=row["serial"],
                case_type=row["case_type"],
                title=row["title"],
                chapter=row["chapter"],
                status=row["status"],
                judge=judges.get((row["court"], row["judge_initials"])),
                date_filed=_date(row["date_filed"]),
            )
        counts["cases"] = len(case_map)
        parties = [
            Party(
                case=case_map[row["case_id"]],
                role=row["role"],
                name=row["name"],
                city=row["city"],
                state=row["state"],
            )
            for row in _read(folder, "parties")
        ]
        Party.objects.bulk_create(parties, batch_size=2000)
        counts["parties"] = len(parties)
        entry_map: dict[int, DocketEntry] = {}
        last: dict[int, tuple[int, int]] = {}
        for row in _read(folder, "entries"):
            event = events.get(row["event"])
            if event is None:
                raise UserFacingError(f"Unknown event {row['event']} in entries.jsonl.")
            case = case_map[row["case_id"]]
            entry_map[row["id"]] = DocketEntry.objects.create(
                case=case,
                number=row["number"],
                seq=row["seq"],
                event=event,
                filed_at=_time(row["filed_at"]),
                entered_at=_time(row["entered_at"]),
                filed_date=_date(row["filed_date"]),
                text=row["text"],
                original_text=row["text"],
                qc_status=DocketEntry.QcStatus.REVIEWED,
            )
            number, seq = last.get(case.pk, (0, 0))
            last[case.pk] = (max(number, row["number"] or 0), max(seq, row["seq"]))
        for case_id, (number, seq) in last.items():
            Case.objects.filter(pk=case_id).update(
                last_entry_number=number, last_entry_seq=seq
            )
        counts["entries"] = len(entry_map)
        documents = [
            Document(
                entry=entry_map[row["entry_id"]],
                sequence=row["sequence"],
                description=row["description"],
                page_count=row["page_count"],
                sha512=row["sha512"],
                stamped_sha512=row["stamped_sha512"],
                status=Document.Status.DONE
                if row["stamped_sha512"]
                else Document.Status.PENDING,
            )
            for row in _read(folder, "documents")
        ]
        Document.objects.bulk_create(documents, batch_size=2000)
        counts["documents"] = len(documents)
        counts["claims"] = _import_claims(folder, case_map)
    return counts


def _import_claims(folder: Path, case_map: dict[int, Case]) -> int:
    from ..claims.models import Claim

    rows = []
    for row in _read(folder, "claims"):
        filed = _date(row["filed_date"])
        at = dt.datetime.combine(filed, dt.time(12), tzinfo=dt.UTC)
        rows.append(
            Claim(
                case=case_map[row["case_id"]],
                number=row["number"],
                version=row["version"],
                creditor_name=row["creditor_name"],
                creditor_address="",
                amount_cents=row["amount_cents"],
                secured_cents=row["secured_cents"],
                priority_cents=row["priority_cents"],
                unsecured_cents=row["unsecured_cents"],
                status=row["status"],
                filed_at=at,
                entered_at=at,
                filed_date=filed,
            )
        )
    Claim.objects.bulk_create(rows, batch_size=2000)
    for case in case_map.values():
        numbers = [c.number for c in rows if c.case_id == case.pk]
        if numbers:
            Case.objects.filter(pk=case.pk).update(last_claim_number=max(numbers))
    return len(rows)
