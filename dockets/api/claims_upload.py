"""Claims upload through the API: the same ZIP as the Claims Upload page (docs/claims-upload.md).

POST /api/v1/claims/uploads with the ZIP as `upload` (multipart) answers 202 with the
batch's log at once; the claims are filed by a Celery task, and
GET /api/v1/claims/uploads/{id} shows the progress and each claim's result. A batch id
sent again with the same contents answers 200 with the first upload's log and files
nothing; the same id with other contents is refused (422). Needs the
`claims` scope; the same checks as the page (dockets.claims.batch.receive_batch).
"""

from __future__ import annotations

from django.conf import settings
from ninja import File, Status
from ninja.files import UploadedFile
from pydantic import Field

from core.errors import UserFacingError
from dockets.claims.batch import access_batch, receive_batch

from .auth import require_scope
from .idempotency import run_once
from .reads import router
from .schemas import Schema, with_errors
from .writes import WRITE_CLAIMS, respond

ZIP = File(..., description="The claims upload ZIP (XML data files and PDFs)")


class BatchItemOut(Schema):
    index: int
    function: str
    case_number: str
    claim_number: str = Field(
        description="N-V once filed; for amend/transfer, N as sent"
    )
    creditor_name: str
    creditor_id: int | None
    amount_cents: int | None
    status: str = Field(description="pending, filed or refused")
    reason: str
    entry_id: int | None


class BatchOut(Schema):
    id: int
    batch_id: str
    status: str = Field(description="queued, running or done")
    total: int
    processed: int
    filed: int
    refused: int
    received_at: str
    items: list[BatchItemOut]


def batch_out(batch) -> dict:
    return BatchOut(
        id=batch.pk,
        batch_id=batch.batch_id,
        status=batch.status,
        total=batch.total,
        processed=batch.processed,
        filed=batch.filed,
        refused=batch.refused,
        received_at=batch.created_at.isoformat(),
        items=[
            BatchItemOut(
                index=i.index,
                function=i.function,
                case_number=i.case_number,
                claim_number=i.claim_label,
                creditor_name=i.creditor_name,
                creditor_id=i.creditor_number,
                amount_cents=i.amount_cents,
                status=i.status,
                reason=i.reason,
                entry_id=i.entry_id,
            )
            for i in batch.items.order_by("index")
        ],
    ).model_dump(mode="json")


@router.post(
    "/claims/uploads",
    response=with_errors({200: BatchOut, 202: BatchOut}),
    operation_id="uploadClaimsBatch",
    **WRITE_CLAIMS,
)
def upload_claims(request, upload: UploadedFile = ZIP):
    """Upload 1 to 25 claim functions (file, amend, transfer) in one ZIP.

    Answers 202 with the batch log (status queued); 200 with the first log when the
    batch id was sent before (nothing is filed again). A ZIP that cannot be filed at
    all is refused with 422 and the reason.
    """

    def write():
        token = require_scope(request, "claims")
        if (upload.size or 0) > settings.ECF_CLAIMS_UPLOAD_MAX_ZIP_BYTES:
            raise UserFacingError(
                "The ZIP is larger than the court accepts for one claims upload.",
                field="upload",
            )
        data = upload.read(settings.ECF_CLAIMS_UPLOAD_MAX_ZIP_BYTES + 1)
        batch, new = receive_batch(
            user=token.user, data=data, source="api", file_name=upload.name or ""
        )
        return (202 if new else 200), batch_out(batch)

    return respond(run_once(request, write))


@router.get(
    "/claims/uploads/{batch_pk}",
    response=with_errors({200: BatchOut}),
    operation_id="getClaimsBatch",
    **WRITE_CLAIMS,
)
def get_claims_upload(request, batch_pk: int):
    """The upload log of one batch: progress and each claim's result."""
    token = require_scope(request, "claims")
    return Status(200, batch_out(access_batch(token.user, batch_pk)))
