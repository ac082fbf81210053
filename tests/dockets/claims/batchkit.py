"""Build claims-upload ZIPs the way docs/claims-upload.md specifies them (tests and bench)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping, Sequence
from xml.sax.saxutils import escape


def claim_form_pdf(
    *, creditor: str = "Coastal Federal Credit Union", amount: str = "1500.00"
) -> bytes:
    """A filer's own signed Official Form 410, as a claims agent's software prints it."""
    from pdfmaker import pdf_bytes

    return pdf_bytes(
        text=(
            "Official Form 410  Proof of Claim\n"
            f"1. Who is the current creditor? {creditor}\n"
            f"7. How much is the claim? ${amount}\n"
            "8. What is the basis of the claim? Money loaned\n"
            f"/s/ Pat Filer, authorized agent of {creditor}"
        )
    )


def add_function(
    case_number: str,
    *,
    creditor: str = "Coastal Federal Credit Union",
    amount: str = "1500.00",
    secured: str = "0",
    unsecured: str | None = None,
    attachments: Sequence[tuple[str, str]] = (),
    extra: str = "",
    kind: str = "add",
    claim_number: int | None = None,
    claim_form: str | None = None,
) -> str:
    """One <ClaimFunction>; `claim_form` names the filer's Form 410 PDF in the ZIP."""
    unsecured = amount if unsecured is None else unsecured
    parts = [
        f'<ClaimFunction Type="{kind}">',
        f"<CaseNumber>{escape(case_number)}</CaseNumber>",
    ]
    if claim_number is not None:
        parts.append(f"<ClaimNumber>{claim_number}</ClaimNumber>")
    parts += [
        f"<Creditor><Name>{escape(creditor)}</Name><AddressLine>P.O. Box 9000</AddressLine>"
        "<AddressLine>San Diego, CA 92169</AddressLine></Creditor>",
        "<Basis>Money loaned</Basis>",
        f"<AmountClaimed>{amount}</AmountClaimed>",
        f"<SecuredAmount>{secured}</SecuredAmount>",
        f"<UnsecuredAmount>{unsecured}</UnsecuredAmount>",
        extra,
    ]
    if claim_form:
        parts.append(f'<ClaimForm File="{claim_form}"/>')
    parts += [f'<Attachment File="{f}" Description="{d}"/>' for f, d in attachments]
    parts.append("</ClaimFunction>")
    return "".join(parts)


def transfer_function(case_number: str, claim_number: int, pdf: str) -> str:
    return (
        f'<ClaimFunction Type="transfer"><CaseNumber>{case_number}</CaseNumber>'
        f"<ClaimNumber>{claim_number}</ClaimNumber>"
        "<TransfereeName>Recovery Partners LLC</TransfereeName>"
        "<TransfereeAddressLine>PO Box 77, Austin, TX 78701</TransfereeAddressLine>"
        f'<Attachment File="{pdf}" Description="Transfer of claim"/></ClaimFunction>'
    )


def batch_xml(
    *functions: str,
    batch_id: str,
    user: str,
    filed_by: str = "CR",
    district: str = "0974",
) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<ClaimsUpload BatchId="{batch_id}"><DistrictCode>{district}</DistrictCode>'
        f"<UserName>{escape(user)}</UserName><ClaimsFiledBy>{filed_by}</ClaimsFiledBy>"
        + "".join(functions)
        + "</ClaimsUpload>"
    )


def make_zip(
    members: Mapping[str, bytes | str], *, compression=zipfile.ZIP_DEFLATED
) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in members.items():
            archive.writestr(
                name, content.encode() if isinstance(content, str) else content
            )
    return buffer.getvalue()
