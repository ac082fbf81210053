"""Claims upload: 1 to 25 claims filed, amended or transferred from one ZIP (docs/claims-upload.md).

Two steps, as in CM/ECF's Claims Upload:
1. `receive_batch` (in the request): who may upload, then the ZIP and XML are read by
   dockets.claims.batch_format (hostile input, limits, defusedxml). A ZIP that cannot
   be read at all is refused with its reason and nothing is kept. A readable one is
   stored with a status row per claim function; a batch id the filer already sent
   returns the first upload's log and files nothing again.
2. `process_batch` (a Celery task, progress on the log): each claim function is checked
   and filed on its own through the claim services (file_claim, amend_claim,
   transfer_claim), each in its own transaction, so a refused claim leaves nothing and
   does not stop the others; each success is docketed and noticed (NEF) by the
   pipeline like any other claim. Add and amend carry an idempotency key per batch
   row, so a task that runs twice files each claim once.

The broker may be away when a batch is received: the batch is committed as queued
anyway (the upload is never turned into an error after it was stored), the uploader
sees it waiting on its log page, and `sweep_claim_batches` (Celery beat, every minute)
dispatches every batch still waiting. Only one task files a batch at a time (a
PostgreSQL advisory lock held for the run, released if the worker dies), so a
re-dispatched batch is never filed twice over.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from contextlib import contextmanager, nullcontext

from celery import shared_task
from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone

from cases.models import Case, Party
from cases.numbers import parse_case_number
from cases.permissions import access_case
from core.audit import record_event
from core.errors import NotAllowed, UserFacingError
from dockets.services import documents_stored
from filers.models import Role, User

from .batch_format import Batch, BatchRefused, Limits, open_members, read_batch
from .batch_models import ClaimBatch, ClaimBatchItem
from .models import Claim
from .permissions import access_claim_for_filer
from .services import (
    CLAIM_EVENT,
    TRANSFER_EVENT,
    ClaimData,
    _event,
    amend_claim,
    claim_filing_problem,
    file_claim,
)
from .uploads import validated_pdfs

log = logging.getLogger(__name__)


def limits() -> Limits:
    return Limits(
        zip_bytes=settings.ECF_CLAIMS_UPLOAD_MAX_ZIP_BYTES,
        members=settings.ECF_CLAIMS_UPLOAD_MAX_MEMBERS,
        member_bytes=settings.ECF_MAX_UPLOAD_BYTES,
        total_bytes=settings.ECF_CLAIMS_UPLOAD_MAX_EXPANDED_BYTES,
        ratio=settings.ECF_CLAIMS_UPLOAD_MAX_RATIO,
    )


def uploader_problem(user: User) -> str | None:
    """Why `user` may not use the claims upload, or None (certified, role may file claims)."""
    from filers.permissions import filing_blockers

    if user is None or not user.is_authenticated:
        return "Log in with your court filing account to upload claims."
    blockers = filing_blockers(user)
    if blockers:
        return blockers[0]
    if not _event(CLAIM_EVENT).allows_role(user.role):
        return "Your account's role cannot file proofs of claim."
    return None


TEST_DISTRICT_CODE = "1111"


def district_problem(district: str) -> str | None:
    """Why a batch naming `district` is not for this court, or None.

    <DistrictCode> is the court's AO location code (ECF_COURT_DISTRICT_CODE, "0974"
    for the Southern District of California); the court id ("casb") is taken too.
    A batch for another court is refused whole: its case numbers would name other
    courts' cases, which must never be matched to this court's.
    """
    given = district.strip().lower()
    accepted = {
        settings.ECF_COURT_DISTRICT_CODE.strip().lower(),
        settings.ECF_COURT_ID.strip().lower(),
    }
    if given == TEST_DISTRICT_CODE:
        # Courts tell vendors to test with district 1111 (mdb.uscourts.gov, "Claims
        # Upload Tips" 4): the practice court takes it, the live court never does.
        if settings.ECF_IS_TRAINING:
            return None
        return (
            f"District code {TEST_DISTRICT_CODE} is for testing: send test batches to "
            "the court's training instance (docs/vendor-sandbox.md). On the live court "
            f"use {settings.ECF_COURT_DISTRICT_CODE}; nothing was filed."
        )
    if not given:
        return (
            f"<DistrictCode> is missing: give this court's code, "
            f"{settings.ECF_COURT_DISTRICT_CODE}."
        )
    if given not in accepted:
        return (
            f"This batch is for district {district.strip()[:20]!r}, but this is the "
            f"{settings.ECF_COURT_NAME} (district code "
            f"{settings.ECF_COURT_DISTRICT_CODE}). Send it to the court it names; "
            "nothing was filed."
        )
    return None


def _identity_problem(user: User, batch: Batch) -> str | None:
    if batch.user_name.strip().lower() != (user.email or "").strip().lower():
        return (
            f"<UserName> is {batch.user_name[:80]!r}, but you are logged in as "
            f"{user.email}. A batch is filed only by the login it names."
        )
    expected = "AT" if user.role == Role.ATTORNEY else "CR"
    if batch.filed_by != expected:
        return f"<ClaimsFiledBy> must be {expected} for your account."
    return None


def _earlier_batch(user: User, batch: Batch, zip_digest: str) -> ClaimBatch | None:
    """The batch this filer already sent under the same batch id, or None.

    The same id with the same contents is the same batch (a resend after a timeout):
    its first log is returned and nothing is filed again. The same id with other
    contents is refused, so a new batch is never silently dropped as a repeat.
    """
    existing = ClaimBatch.objects.filter(filer=user, batch_id=batch.batch_id).first()
    if existing is None or existing.sha256 in {batch.content_digest, zip_digest}:
        return existing
    raise UserFacingError(
        f"Batch id {batch.batch_id} was already used on "
        f"{timezone.localtime(existing.created_at):%m/%d/%Y} for a different upload. "
        "A batch id is filed once: give this batch a new id (or a new ZIP file name). "
        "Nothing was filed.",
        field="upload",
    )


def receive_batch(
    *, user: User, data: bytes, source: str = "page", file_name: str = ""
) -> tuple[ClaimBatch, bool]:
    """Check and store an uploaded ZIP; return (its log row, True if it was new).

    `file_name` is the ZIP's name, the batch id when the XML gives none. Raises
    NotAllowed for a user who may not upload claims and UserFacingError with the
    reason when the ZIP cannot be filed at all (nothing is stored then).
    """
    problem = uploader_problem(user)
    if problem:
        raise NotAllowed(problem)
    try:
        batch = read_batch(data, limits=limits(), file_name=file_name)
    except BatchRefused as refused:
        raise UserFacingError(refused.message, field="upload") from None
    problem = district_problem(batch.district) or _identity_problem(user, batch)
    if problem:
        raise UserFacingError(problem, field="upload")
    zip_digest = hashlib.sha256(data).hexdigest()
    existing = _earlier_batch(user, batch, zip_digest)
    if existing is not None:
        return existing, False
    digest = batch.content_digest
    try:
        with transaction.atomic():
            row = ClaimBatch(
                filer=user,
                batch_id=batch.batch_id,
                batch_id_digest=hashlib.sha256(batch.batch_id.encode()).hexdigest(),
                source=source,
                sha256=digest,
                total=len(batch.functions),
            )
            row.upload.save("batch.zip", ContentFile(data), save=False)
            row.save()
            ClaimBatchItem.objects.bulk_create(
                [
                    ClaimBatchItem(
                        batch=row,
                        index=f.index,
                        function=f.kind[:10],
                        source=f.source[:100],
                        case_number=f.case_number[:40],
                        claim_label=str(f.claim_number or ""),
                        creditor_name=str(f.values.get("creditor_name", ""))[:200],
                        amount_cents=f.values.get("amount_cents"),
                        data={
                            "values": f.values,
                            "claim_number": f.claim_number,
                            "office": f.office,
                            "case_type": f.case_type,
                            "creditor_id": f.creditor_id,
                            "claim_form": f.claim_form,
                            "attachments": [
                                {"member": a.member, "description": a.description}
                                for a in f.attachments
                            ],
                            "problem": f.problem,
                        },
                    )
                    for f in batch.functions
                ]
            )
            record_event(
                actor=user,
                action="dockets.claims.batch_received",
                target=row,
                after={
                    "batch_id": row.batch_id,
                    "claims": row.total,
                    "sha256": digest,
                    "zip_sha256": zip_digest,
                },
            )
            transaction.on_commit(
                lambda: setattr(row, "dispatch_failed", not dispatch_batch(row.pk))
            )
    except IntegrityError:
        # The same batch id sent twice at once: the other upload won.
        return ClaimBatch.objects.get(filer=user, batch_id=batch.batch_id), False
    return row, True


def dispatch_batch(batch_pk: int) -> bool:
    """Queue the filing task of a batch; False (logged) when the broker cannot take it.

    Called after commit: the batch is stored and shown as queued either way, and
    sweep_claim_batches dispatches it again later.
    """
    try:
        process_batch_task.delay(batch_pk)
    except Exception:
        log.exception(
            "Could not queue claims upload batch %s; the sweep retries", batch_pk
        )
        return False
    return True


def waiting_batches(*, older_than_seconds: float):
    """Batches not done whose last progress is older than the threshold."""
    cutoff = timezone.now() - dt.timedelta(seconds=older_than_seconds)
    return ClaimBatch.objects.filter(
        status__in=[ClaimBatch.Status.QUEUED, ClaimBatch.Status.RUNNING],
        updated_at__lt=cutoff,
    )


def sweep_claim_batches(*, older_than_seconds: float | None = None) -> int:
    """Dispatch every batch still waiting (a broker outage, a lost message, a dead worker).

    Returns how many were queued. A batch another worker is filing is skipped by that
    task itself (the advisory lock), so dispatching one twice is harmless.
    """
    if older_than_seconds is None:
        older_than_seconds = settings.ECF_CLAIMS_UPLOAD_SWEEP_AFTER_SECONDS
    queued = 0
    for pk in waiting_batches(older_than_seconds=older_than_seconds).values_list(
        "pk", flat=True
    ):
        if not dispatch_batch(pk):
            break  # the broker is still away; the next sweep tries again
        # Dispatched: not again before the threshold passes once more.
        ClaimBatch.objects.filter(pk=pk).update(updated_at=timezone.now())
        queued += 1
    return queued


# The advisory lock's first key: "claims upload" (the second is the batch's id).
_LOCK_CLASS = 25_001


@contextmanager
def _batch_lock(batch_pk: int):
    """Hold a session advisory lock on the batch; yield False if another task holds it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [_LOCK_CLASS, batch_pk])
        got = cursor.fetchone()[0]
    try:
        yield got
    finally:
        if got:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_advisory_unlock(%s, %s)", [_LOCK_CLASS, batch_pk]
                )


# -- filing, one claim function at a time ------------------------------------------------


def _find_case(
    user: User, number: str, *, office: str = "", case_type: str = ""
) -> Case:
    """The case a claim function names: its number, checked against <Office> and
    <CaseType> when given (the pre-process validation checks "case number, office,
    district, case type", pamb.uscourts.gov "Claims - Claims Upload")."""
    query = parse_case_number(number)
    if query is None:
        raise UserFacingError(
            f"{number[:40]!r} is not a case number; write it like 26-00123 or 3:26-bk-00123."
        )
    if case_type and query.case_type and query.case_type != case_type:
        raise UserFacingError(
            f"<CaseType> is {case_type}, but case number {number[:40]} is of type "
            f"{query.case_type}."
        )
    if office and query.office and int(office) != query.office:
        raise UserFacingError(
            f"<Office> is {office}, but case number {number[:40]} names office "
            f"{query.office}."
        )
    qs = Case.objects.select_related("office").filter(
        year=query.year, number=query.number, case_type=query.case_type or "bk"
    )
    if query.office:
        qs = qs.filter(office__number=query.office)
    case = qs.first()
    if case is None:
        raise UserFacingError(f"No case {number[:40]} was found in this court.")
    try:
        case = access_case(user, case.pk)
    except Http404:
        raise UserFacingError(
            f"No case {number[:40]} was found in this court."
        ) from None
    if office and int(office) != case.office.number:
        raise UserFacingError(
            f"Case {case.display_number} is in office {case.office.number} "
            f"({case.office.name}), not office {office}: check <Office>. "
            "Nothing was filed."
        )
    return case


def _creditor(case: Case, creditor_id: int, values: dict) -> None:
    """Fill in the name and address of the creditor <CreditorID> names, when not given.

    The id is the creditor's number on the case (its record on the creditor matrix);
    a number that is not a creditor of this case refuses the claim function.
    """
    party = (
        Party.objects.filter(
            pk=creditor_id,
            case=case,
            role=Party.Role.CREDITOR,
            terminated_on__isnull=True,
        )
        .only("name", "address_lines", "city", "state", "zip_code", "email")
        .first()
    )
    if party is None:
        raise UserFacingError(
            f"<CreditorID> {creditor_id} is not a creditor in case "
            f"{case.display_number}. Leave it out and name the creditor in <Creditor>; "
            "the creditor is then added with the claim."
        )
    if not values.get("creditor_name"):
        values["creditor_name"] = party.name
        values["creditor_address"] = "\n".join(party.mailing_lines[1:])
        values["creditor_email"] = values.get("creditor_email") or party.email


def _find_claim(user: User, case: Case, number: int, *, manage: bool) -> Claim:
    claim = Claim.objects.filter(case=case, number=number).first()
    if claim is None:
        raise UserFacingError(f"Case {case.display_number} has no claim {number}.")
    if manage:
        try:
            return access_claim_for_filer(user, claim.pk)
        except Http404:
            raise UserFacingError(
                f"Claim {claim.label} was not filed by you; only its filer may amend it."
            ) from None
    return claim


def _uploads(
    item: ClaimBatchItem, members: dict[str, bytes]
) -> list[SimpleUploadedFile]:
    """The claim form (first, when sent) and the attachments, as uploads to validate."""
    names = [item.data["claim_form"]] if item.data.get("claim_form") else []
    names += [a["member"] for a in item.data.get("attachments", [])]
    return [SimpleUploadedFile(n, members[n], "application/pdf") for n in names]


class _RunCache:
    """What one run of a batch looks up once, not once per claim: most batches file
    many claims in the same case. The case lock, the open-case check and the claim's
    own checks still run per claim inside the claim services."""

    def __init__(self, user: User):
        self.user = user
        self.cases: dict[tuple[str, str, str], Case | UserFacingError] = {}
        self.problems: dict[int, str | None] = {}

    def case(self, number: str, *, office: str, case_type: str) -> Case:
        key = (number, office, case_type)
        if key not in self.cases:
            try:
                self.cases[key] = _find_case(
                    self.user, number, office=office, case_type=case_type
                )
            except UserFacingError as error:
                self.cases[key] = error
        found = self.cases[key]
        if isinstance(found, UserFacingError):
            raise UserFacingError(found.message)
        return found

    def filing_problem(self, case: Case) -> str | None:
        if case.pk not in self.problems:
            self.problems[case.pk] = claim_filing_problem(self.user, case)
        return self.problems[case.pk]


def _file_item(
    batch: ClaimBatch,
    item: ClaimBatchItem,
    members: dict[str, bytes],
    cache: _RunCache | None = None,
) -> None:
    """File one claim function and write its result to the log, or raise UserFacingError.

    The PDFs are checked in the sandbox first, like any upload, outside any
    transaction. The filer's own claim form, when sent, is the claim's main document;
    ECF renders Form 410 from the data only for a claim function that sends none.
    The claim and its log row then commit in one transaction, so a task run again
    after a crash finds the row done and never files the claim twice. (Without a
    claim form, Form 410 is rendered outside any transaction; the claim's per-row
    idempotency key makes that path safe.)
    """
    from .claim_events import transfer_claim

    if item.data.get("problem"):
        raise UserFacingError(item.data["problem"])
    user = batch.filer
    cache = cache or _RunCache(user)
    case = cache.case(
        item.case_number,
        office=item.data.get("office") or "",
        case_type=item.data.get("case_type") or "",
    )
    problem = cache.filing_problem(case)
    if problem:
        raise UserFacingError(problem)
    values = dict(item.data.get("values") or {})
    if item.data.get("creditor_id"):
        _creditor(case, item.data["creditor_id"], values)
        values["creditor_id"] = item.data["creditor_id"]
    key = f"claims-batch:{batch.pk}:{item.index}"
    has_form = bool(item.data.get("claim_form"))
    descriptions = [a["description"] for a in item.data.get("attachments", [])]
    with validated_pdfs(_uploads(item, members)) as documents:
        form = documents.pop(0) if has_form else None
        for document, description in zip(documents, descriptions, strict=True):
            if description:
                document.description = description
        one_transaction = form is not None or item.function == "transfer"
        # The claim and its log row commit together, so this transaction is the
        # outer one: the files are stored before it (documents_stored), and deleted
        # when it rolls back, whatever fails inside it (the claim services then find
        # them stored and store nothing again).
        stored = [form] if form is not None else []
        with (
            documents_stored([*stored, *documents], case_id=case.pk)
            if one_transaction
            else nullcontext(),
            transaction.atomic() if one_transaction else nullcontext(),
        ):
            if item.function == "transfer":
                if not _event(TRANSFER_EVENT).allows_role(user.role):
                    raise UserFacingError(
                        "Your account's role cannot file a transfer of claim."
                    )
                claim = _find_claim(user, case, item.data["claim_number"], manage=False)
                entry = transfer_claim(
                    claim=claim,
                    filer=user,
                    transferee_name=values.get("transferee_name", ""),
                    transferee_address=values.get("transferee_address", ""),
                    document=form,
                )
                _record_item(batch, item, claim=claim, entry=entry)
                return
            data = ClaimData(**values)
            if item.function == "amend":
                claim = _find_claim(user, case, item.data["claim_number"], manage=True)
                version = amend_claim(
                    claim=claim,
                    data=data,
                    attachments=documents,
                    claim_form=form,
                    filer=user,
                    idempotency_key=key,
                )
            else:
                version = file_claim(
                    case=case,
                    data=data,
                    attachments=documents,
                    claim_form=form,
                    filer=user,
                    idempotency_key=key,
                )
            _record_item(batch, item, claim=version.claim, entry=version.entry)


def _reason(error: Exception) -> str:
    if isinstance(error, UserFacingError):
        return error.message
    if isinstance(error, DjangoValidationError):
        return " ".join(error.messages)
    if isinstance(error, NotAllowed):
        return str(error)
    if isinstance(error, TypeError):
        return "The claim function holds data ECF does not know."
    return str(error)


def _record_item(batch, item, *, claim=None, entry=None) -> None:
    """Write one claim function's result to the log and count it on the batch."""
    if claim is not None:
        item.status = ClaimBatchItem.Status.FILED
        item.claim = claim
        item.entry = entry
        item.claim_label = claim.label
        item.case_number = claim.case.display_number
        item.creditor_name = claim.creditor_name[:200]
        item.creditor_number = claim.creditor_id
        item.amount_cents = claim.amount_cents
    counter = "filed" if claim is not None else "refused"
    item.finished_at = timezone.now()
    # Not the parsed data (the largest column): it never changes after receipt.
    item.save(
        update_fields=[
            "status",
            "reason",
            "claim",
            "entry",
            "claim_label",
            "case_number",
            "creditor_name",
            "creditor_number",
            "amount_cents",
            "finished_at",
        ]
    )
    ClaimBatch.objects.filter(pk=batch.pk).update(
        processed=F("processed") + 1,
        updated_at=timezone.now(),
        **{counter: F(counter) + 1},
    )


def process_batch(batch_pk: int) -> ClaimBatch:
    """File every waiting claim function of a batch, each on its own.

    Returns at once, filing nothing, while another task holds the batch.
    """
    with _batch_lock(batch_pk) as mine:
        if not mine:
            return ClaimBatch.objects.get(pk=batch_pk)
        return _process_batch(batch_pk)


def _process_batch(batch_pk: int) -> ClaimBatch:
    updated = ClaimBatch.objects.filter(
        pk=batch_pk, status__in=[ClaimBatch.Status.QUEUED, ClaimBatch.Status.RUNNING]
    ).update(status=ClaimBatch.Status.RUNNING, updated_at=timezone.now())
    batch = ClaimBatch.objects.select_related("filer").get(pk=batch_pk)
    if not updated:
        return batch
    with batch.upload.open("rb") as fh:
        members = open_members(fh.read(), limits())
    cache = _RunCache(batch.filer)
    for item in batch.items.filter(status=ClaimBatchItem.Status.PENDING).order_by(
        "index"
    ):
        try:
            _file_item(batch, item, members, cache)
        except (UserFacingError, NotAllowed, DjangoValidationError, TypeError) as error:
            item.status = ClaimBatchItem.Status.REFUSED
            item.reason = _reason(error)[:2000]
            _record_item(batch, item)
    ClaimBatch.objects.filter(pk=batch.pk).update(
        status=ClaimBatch.Status.DONE,
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )
    batch.refresh_from_db()
    record_event(
        actor=batch.filer,
        action="dockets.claims.batch_filed",
        target=batch,
        after={
            "batch_id": batch.batch_id,
            "filed": batch.filed,
            "refused": batch.refused,
        },
    )
    return batch


@shared_task(acks_late=True, soft_time_limit=900, time_limit=960)
def process_batch_task(batch_pk: int) -> None:
    process_batch(batch_pk)


@shared_task(name="dockets.claims.batch.sweep_claim_batches_task")
def sweep_claim_batches_task() -> int:
    return sweep_claim_batches()


def batches_for(user: User):
    """The upload log a user may read: their own batches; the clerk's office reads all."""
    qs = ClaimBatch.objects.all()
    if not getattr(user, "is_court_user", False):
        qs = qs.filter(filer=user)
    return qs


def access_batch(user: User, pk: int) -> ClaimBatch:
    batch = batches_for(user).filter(pk=pk).first()
    if batch is None:
        raise Http404
    return batch
