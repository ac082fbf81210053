"""Filing a document through the API: `POST /cases/{case_id}/filings`.

The API files without a wizard draft. The request is read into the answers a draft
would hold (events, parties, earlier entries, fields), judged by the one rule book
(dockets.filing.rules.filing_problems) before any file is looked at, its PDFs are
checked in the sandbox as the web checks them, and the filing goes through the
wizard's own last steps (dockets.filing.services.checked_request and file_request):
the same fee quote, acknowledged warnings, docket text, case lock and audit event.
The entry's audit event names the token; no draft row, draft event or second
audit event is written, so an API filing costs one chain link.
"""

from __future__ import annotations

import contextlib
import os
import secrets

from django.db.models import Exists, OuterRef
from ninja import File, Form
from ninja.files import UploadedFile
from pydantic import Field

from cases.models import Representation
from cases.permissions import CASE_NUMBER_RELATED, access_case
from core.compiled import prepared_statements
from core.errors import NotAllowed
from dockets.models import Event

from .auth import require_scope
from .errors import ApiError
from .idempotency import run_once, service_key
from .reads import router
from .schemas import ReceiptOut, Schema, with_errors
from .writes import (
    IDEMPOTENCY_HEADER,
    WRITE_FILE,
    _json_field,
    _principal,
    check_filename,
    receipt,
    respond,
)

# ninja's File() markers, made once (not in argument defaults).
MAIN_PDF = File(None, description="The main document (PDF)")
ATTACHMENTS = File(None, description="Attachments (PDF)")


class FilingForm(Schema):
    events: list[str] = Field(
        description="Event codes from the catalogue, first is the main event"
    )
    party_ids: list[int] = Field(
        default_factory=list, description="Filing parties (ids from listParties)"
    )
    against_ids: list[int] = Field(
        default_factory=list, description="Parties the filing is against"
    )
    related_numbers: list[int] = Field(
        default_factory=list, description="Docket numbers it refers to"
    )
    fields: str = Field(
        "", max_length=10000, description="The events' fields as a JSON object"
    )
    attachment_types: list[str] = Field(
        default_factory=list, description="One per attachment, e.g. Exhibit"
    )
    acknowledge_warnings: bool = Field(
        False, description="Same as ticking 'I have reviewed these warnings'"
    )
    principal_email: str = Field(
        "", max_length=254, description="Filing agents: the attorney filed for"
    )


# The rule book's problems as API errors: standing and rights are 403, the rest 422.
FORBIDDING = ("standing",)


def refuse(problems) -> None:
    """Raise the API error for the rule book's blocking problems (nothing was written)."""
    if not problems:
        return
    message = " ".join(p.message for p in problems)
    if all(p.code in FORBIDDING for p in problems):
        raise NotAllowed(message)
    fields: dict[str, str] = {}
    for p in problems:
        key = p.field or "request"
        fields[key] = f"{fields[key]} {p.message}" if key in fields else p.message
    raise ApiError(422, "refused", message, fields)


def _invalid(message: str, field: str, detail: str) -> ApiError:
    return ApiError(422, "invalid", message, {field: detail})


def _answers(case, principal, data: FilingForm):
    """The request's events, parties and earlier entries, each checked against the case."""
    from dockets.filing import wizard

    codes = [c.strip() for c in data.events if c.strip()]
    found = {e.code: e for e in Event.objects.filter(code__in=codes)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise _invalid(
            f"Unknown event code: {', '.join(unknown)[:200]}.",
            "events",
            "Unknown event code.",
        )
    parties = {
        p.pk: p
        for p in wizard.case_parties(case)
        .filter(pk__in=[*data.party_ids, *data.against_ids])
        .annotate(
            # Whether the filer is already associated with the party (any record,
            # as the filing's own association asks): read here, not under the lock.
            principal_associated=Exists(
                Representation.objects.filter(party=OuterRef("pk"), attorney=principal)
            )
        )
    }
    for name in ("party_ids", "against_ids"):
        if any(i not in parties for i in getattr(data, name)):
            raise _invalid(
                "A party id is not a party of this case.",
                name,
                "Not a party of this case.",
            )
    related = (
        {
            e.number: e
            for e in wizard.relatable_entries(principal, case).filter(
                number__in=data.related_numbers
            )
        }
        if data.related_numbers
        else {}
    )
    missing = [n for n in data.related_numbers if n not in related]
    if missing:
        raise _invalid(
            f"No entry numbered {missing[0]} that you may refer to on this docket.",
            "related_numbers",
            "Not an entry you may refer to.",
        )
    return wizard.Chosen(
        events=[found[c] for c in codes],
        parties=[parties[i] for i in data.party_ids],
        against=[parties[i] for i in data.against_ids],
        related=sorted(
            {related[n].pk: related[n] for n in data.related_numbers}.values(),
            key=lambda e: e.number or 0,
        ),
        joint=[],
    )


def _attachment_types(data: FilingForm, attachments: list) -> list[str]:
    from dockets.filing.wizard import ATTACHMENT_TYPES

    if len(data.attachment_types) > len(attachments):
        raise _invalid(
            "More attachment types than attachments.", "attachment_types", "Too many."
        )
    for kind in data.attachment_types:
        if kind not in ATTACHMENT_TYPES:
            raise _invalid(
                f"Attachment type must be one of: {', '.join(ATTACHMENT_TYPES)}.",
                "attachment_types",
                "Unknown type.",
            )
    return [*data.attachment_types, *["Other"] * len(attachments)][: len(attachments)]


def _checked_document(
    stack: contextlib.ExitStack, upload, *, main: bool, kind: str, draft, events
) -> dict:
    """Check one PDF in the sandbox (kept until the filing is done); its draft record.

    The record has the shape the wizard keeps in a draft (dockets.filing.services.
    add_upload), with `name` a local path: the filing stores it. A file the wizard
    would offer to repair is refused here: an API client sends a fixed file.
    """
    from dockets.filing import wizard
    from dockets.uploads import validated_upload

    signed = main and not all(e.category in wizard.UNSIGNED_CATEGORIES for e in events)
    checked = stack.enter_context(
        validated_upload(
            upload,
            debtor_names=wizard.debtor_names(draft.case) if main else (),
            needs_signature=signed,
            field="main" if main else "attachments",
        )
    )
    analysis = checked.analysis
    return {
        "main": main,
        "name": checked.path,
        "filename": os.path.basename(upload.name or "document.pdf")[:200],
        "sha512": analysis.sha512,
        "size": analysis.size,
        "page_count": analysis.page_count,
        "description": "Main Document" if main else kind[:200],
        "attachment_type": "" if main else kind,
        "findings": [
            {"code": f.code, "message": f.message, "page": f.page}
            for f in analysis.findings
        ],
        "must_repair": False,
        "problems": [],
    }


def _file(
    request, case_id: int, data: FilingForm, main, attachments
) -> tuple[int, dict]:
    from dockets.filing import rules
    from dockets.filing import services as filing
    from dockets.filing.models import Draft

    token = require_scope(request, "file")
    user = token.user
    case = access_case(user, case_id, related=CASE_NUMBER_RELATED)
    principal = _principal(user, data.principal_email)
    chosen = _answers(case, principal, data)
    fields = _json_field(data.fields, name="fields", default={})
    fields = {k: v for k, v in fields.items() if isinstance(k, str)}
    attachments = attachments or []
    kinds = _attachment_types(data, attachments)
    if main is not None:
        check_filename(main, "main")
    for upload in attachments:
        check_filename(upload, "attachments")
    # The answers a wizard draft would hold; never saved (nothing to resume).
    draft = Draft(
        owner=user,
        principal=principal,
        case=case,
        idempotency_key=service_key(request) or f"api-{secrets.token_urlsafe(24)}",
        state={
            "event_ids": [e.pk for e in chosen.events],
            "party_ids": list(data.party_ids),
            "against_ids": list(data.against_ids),
            "related_ids": [e.pk for e in chosen.related],
            "fields": fields,
        },
    )
    # The rule book first, before any file is checked or anything stored.
    problems = rules.filing_problems(
        rules.FilingCheck(
            user=user,
            principal=principal,
            case=case,
            events=chosen.events,
            parties=chosen.parties,
            against=chosen.against,
            related=chosen.related,
            documents=[{"main": True}] * (main is not None)
            + [{"main": False}] * len(attachments),
            fields=fields,
        )
    )
    refuse(rules.blocking(problems))
    # The checked files stay on disk until the filing has stored its copies.
    with contextlib.ExitStack() as stack:
        documents = [
            _checked_document(
                stack,
                upload,
                main=is_main,
                kind=kind,
                draft=draft,
                events=chosen.events,
            )
            for upload, is_main, kind in [
                *([(main, True, "")] if main is not None else []),
                *[(a, False, k) for a, k in zip(attachments, kinds, strict=True)],
            ]
        ]
        draft.state["documents"] = documents
        try:
            filing_request = filing.checked_request(
                draft=draft,
                user=user,
                acknowledged=data.acknowledge_warnings,
                chosen=chosen,
                problems=problems,
            )
        except filing.FilingRefused as refused:
            refuse(refused.problems)
            raise
        filing_request.represented_party_ids = frozenset(
            p.pk for p in chosen.parties if p.principal_associated
        )
        filing_request.audit_after = {"token_id": token.pk}
        filing_request.audit_note = f"API token {token.pk} ({token.prefix}…)"
        entry = filing.file_request(
            draft=draft, user=user, request=filing_request, chosen=chosen
        )
    return 201, ReceiptOut(**receipt(entry)).model_dump(mode="json")


@router.post(
    "/cases/{case_id}/filings",
    response=with_errors({201: ReceiptOut}),
    operation_id="fileDocument",
    openapi_extra=IDEMPOTENCY_HEADER,
    **WRITE_FILE,
)
def file_document(
    request,
    case_id: int,
    data: Form[FilingForm],
    main: UploadedFile | None = MAIN_PDF,
    attachments: list[UploadedFile] | None = ATTACHMENTS,
):
    """File a document into a case: the web wizard's rules, checks and receipt.

    Needs the `file` scope. The PDFs are checked as the web checks them; warnings
    (findings) refuse the filing unless `acknowledge_warnings` is true.
    """
    # A filing finds every row by id or key: its statements are planned once per
    # connection (core.compiled).
    with prepared_statements():
        return respond(
            run_once(request, lambda: _file(request, case_id, data, main, attachments))
        )
