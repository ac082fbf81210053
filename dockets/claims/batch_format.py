"""Reading a claims-upload ZIP (docs/claims-upload.md): hostile input, read defensively.

Threat model: the ZIP and the XML come from outside and may be built to hurt the court.
- A zip bomb: the archive's size, its member count, each member's and the total
  expanded size, and each member's compression ratio are limited, and members are
  read in chunks that stop at the limit (the sizes in the ZIP headers are not trusted).
- Path traversal: member names are never used as paths. A name is a key the XML
  refers to; anything that looks like a path (a folder, `..`, a drive, a backslash,
  a control character) is refused. Nothing is extracted to disk under its own name.
- XML attacks (XXE, billion laughs, external DTDs): the XML is parsed by defusedxml
  with DTDs forbidden, so no entity is ever expanded and nothing is fetched.
- Encrypted members, nested archives and other member types are refused.

Pure: no database. `read_batch` returns the batch id, the claim functions in order
and the PDF members by name, or raises BatchRefused with a plain reason.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

MAX_CLAIMS = 25
FUNCTIONS = ("add", "amend", "transfer")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._()-]{0,99}$")
_BATCH_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")


@dataclass(frozen=True)
class Limits:
    """Limits on one upload (settings ECF_CLAIMS_UPLOAD_*)."""

    zip_bytes: int = 50 * 1024 * 1024
    members: int = 200
    member_bytes: int = 35 * 1024 * 1024
    total_bytes: int = 150 * 1024 * 1024
    ratio: int = 100
    xml_bytes: int = 2 * 1024 * 1024


class BatchRefused(Exception):
    """The whole upload is refused (nothing is filed); `message` says why in plain words."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Attachment:
    member: str
    description: str = ""


@dataclass
class ClaimFunction:
    """One <ClaimFunction>: the data of one claim to file, amend or transfer."""

    index: int
    kind: str
    source: str  # the XML file (member name) it came from
    case_number: str = ""
    claim_number: int | None = None
    values: dict = field(default_factory=dict)
    attachments: list[Attachment] = field(default_factory=list)
    problem: str = (
        ""  # a problem in this function alone: it is refused, the others go on
    )


@dataclass
class Batch:
    batch_id: str
    district: str
    user_name: str
    filed_by: str
    functions: list[ClaimFunction]
    pdfs: dict[str, bytes]


def _member_name_problem(name: str) -> str | None:
    if not _NAME.match(name) or ".." in name:
        return (
            f"The ZIP holds a file named {name[:80]!r}. Files in a claims upload must "
            "sit at the top of the ZIP with plain names (letters, digits, spaces, "
            "dots, dashes, underscores, brackets), with no folders."
        )
    return None


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes:
    """Read one member, stopping at `cap` bytes whatever its header claims."""
    out = io.BytesIO()
    with archive.open(info) as stream:
        while True:
            chunk = stream.read(64 * 1024)
            if not chunk:
                break
            out.write(chunk)
            if out.tell() > cap:
                raise BatchRefused(
                    f"{info.filename} expands to more than {cap // (1024 * 1024)} MB."
                )
    return out.getvalue()


def open_members(data: bytes, limits: Limits) -> dict[str, bytes]:
    """Return {member name: bytes} of a safe ZIP; raise BatchRefused otherwise."""
    if len(data) > limits.zip_bytes:
        raise BatchRefused(
            f"The ZIP is larger than {limits.zip_bytes // (1024 * 1024)} MB."
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise BatchRefused("The upload is not a readable ZIP file.") from None
    if not infos:
        raise BatchRefused("The ZIP is empty.")
    if len(infos) > limits.members:
        raise BatchRefused(
            f"The ZIP holds {len(infos)} files; a claims upload may hold at most {limits.members}."
        )
    members: dict[str, bytes] = {}
    total = 0
    for info in infos:
        name = info.filename
        problem = _member_name_problem(name)
        if problem:
            raise BatchRefused(problem)
        if name.lower() in {n.lower() for n in members}:
            raise BatchRefused(f"The ZIP holds two files named {name}.")
        if info.flag_bits & 0x1:
            raise BatchRefused(f"{name} is encrypted; upload it without a password.")
        lower = name.lower()
        if not (lower.endswith(".xml") or lower.endswith(".pdf")):
            raise BatchRefused(
                f"{name} is neither an XML data file nor a PDF; a claims upload holds only those."
            )
        if info.compress_size and info.file_size / info.compress_size > limits.ratio:
            raise BatchRefused(
                f"{name} is compressed more than {limits.ratio} to 1, which a genuine "
                "claim file never is. The upload was refused."
            )
        cap = limits.xml_bytes if lower.endswith(".xml") else limits.member_bytes
        if info.file_size > cap:
            raise BatchRefused(f"{name} is larger than {cap // (1024 * 1024)} MB.")
        try:
            content = _read_member(archive, info, cap)
        except (zipfile.BadZipFile, NotImplementedError, EOFError, OSError):
            raise BatchRefused(f"{name} cannot be read from the ZIP.") from None
        if (
            info.compress_size
            and len(content) / max(info.compress_size, 1) > limits.ratio
        ):
            raise BatchRefused(
                f"{name} is compressed more than {limits.ratio} to 1; the upload was refused."
            )
        total += len(content)
        if total > limits.total_bytes:
            raise BatchRefused(
                f"The files in the ZIP come to more than {limits.total_bytes // (1024 * 1024)} MB."
            )
        members[name] = content
    return members


def _text(element, tag: str) -> str:
    child = element.find(tag)
    return (child.text or "").strip() if child is not None else ""


def _cents(element, tag: str, *, required: bool = False) -> int | None:
    text = _text(element, tag).replace(",", "").replace("$", "")
    if not text:
        if required:
            raise ValueError(f"<{tag}> is missing.")
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(
            f"<{tag}> must be an amount in dollars and cents, like 1234.56 (it is {text[:40]!r})."
        ) from None
    if not value.is_finite() or value < 0 or value != value.quantize(Decimal("0.01")):
        raise ValueError(
            f"<{tag}> must be an amount in dollars and cents, like 1234.56."
        )
    if value > Decimal(10**12):
        raise ValueError(f"<{tag}> is more than $1 trillion; check the amount.")
    return int(value * 100)


_MORTGAGE_TAGS = {
    "PrincipalBalance": "principal_balance_cents",
    "InterestDue": "interest_due_cents",
    "FeesCostsDue": "fees_costs_cents",
    "EscrowDeficiency": "escrow_deficiency_cents",
    "FundsOnHand": "funds_on_hand_cents",
    "TotalDebt": "total_debt_cents",
    "ArrearsPrincipalInterest": "arrears_principal_interest_cents",
    "ArrearsFees": "arrears_fees_cents",
    "ArrearsEscrowDeficiency": "arrears_escrow_deficiency_cents",
    "ProjectedEscrowShortage": "projected_escrow_shortage_cents",
    "ArrearsFundsOnHand": "arrears_funds_on_hand_cents",
    "TotalArrearage": "total_arrearage_cents",
    "MonthlyPrincipalInterest": "monthly_principal_interest_cents",
    "MonthlyEscrow": "monthly_escrow_cents",
    "MonthlyMortgageInsurance": "monthly_mortgage_insurance_cents",
    "TotalMonthlyPayment": "total_monthly_payment_cents",
}


def _claim_values(element) -> dict:
    creditor = element.find("Creditor")
    if creditor is None:
        raise ValueError("<Creditor> is missing.")
    values: dict[str, object] = {
        "creditor_name": _text(creditor, "Name"),
        "creditor_address": "\n".join(
            (line.text or "").strip()
            for line in creditor.findall("AddressLine")
            if (line.text or "").strip()
        ),
        "creditor_email": _text(creditor, "Email"),
        "creditor_phone": _text(creditor, "Phone"),
        "basis": _text(element, "Basis"),
        "amount_cents": _cents(element, "AmountClaimed", required=True),
        "secured_cents": _cents(element, "SecuredAmount") or 0,
        "priority_cents": _cents(element, "PriorityAmount") or 0,
        "priority_basis": _text(element, "PriorityBasis"),
        "unsecured_cents": _cents(element, "UnsecuredAmount") or 0,
        "admin_cents": _cents(element, "AdminAmount") or 0,
        "arrearage_cents": _cents(element, "AmountToCure"),
        "account_last4": _text(element, "AccountLast4"),
        "interest_fees": _text(element, "InterestOrFees").lower()
        in {"y", "yes", "true"},
        "governmental": _text(element, "Governmental").lower() in {"y", "yes", "true"},
        "signer_name": _text(element, "SignerName"),
        "signer_title": _text(element, "SignerTitle"),
        "principal_residence": _text(element, "PrincipalResidence").lower()
        in {"y", "yes", "true"},
    }
    mortgage = element.find("Mortgage410A")
    if mortgage is not None:
        values["mortgage"] = {
            key: _cents(mortgage, tag) or 0 for tag, key in _MORTGAGE_TAGS.items()
        }
    return values


def _function(element, *, index: int, source: str) -> ClaimFunction:
    kind = (element.get("Type") or "").strip().lower()
    function = ClaimFunction(index=index, kind=kind, source=source)
    try:
        if kind not in FUNCTIONS:
            raise ValueError(
                f'Type="{kind[:20]}" is not a claim function; use add, amend or transfer.'
            )
        function.case_number = _text(element, "CaseNumber")
        if not function.case_number:
            raise ValueError("<CaseNumber> is missing.")
        if kind in {"amend", "transfer"}:
            number = _text(element, "ClaimNumber").split("-")[0]
            if not number.isdigit() or not 0 < int(number) < 10**7:
                raise ValueError(
                    "<ClaimNumber> must be the number of the claim on the register, like 5."
                )
            function.claim_number = int(number)
        if kind == "transfer":
            function.values = {
                "transferee_name": _text(element, "TransfereeName"),
                "transferee_address": "\n".join(
                    (line.text or "").strip()
                    for line in element.findall("TransfereeAddressLine")
                    if (line.text or "").strip()
                ),
            }
        else:
            function.values = _claim_values(element)
        for item in element.findall("Attachment"):
            function.attachments.append(
                Attachment(
                    member=(item.get("File") or "").strip(),
                    description=(item.get("Description") or "").strip()[:60],
                )
            )
        if kind == "transfer" and not function.attachments:
            raise ValueError(
                "A transfer needs its signed Form 2100A or 2100B as an <Attachment File=...>."
            )
    except ValueError as error:
        function.problem = str(error)
    return function


def parse_xml(name: str, data: bytes) -> tuple[dict, list]:
    """Parse one XML data file; return its header and its <ClaimFunction> elements."""
    try:
        root = fromstring(
            data, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except DefusedXmlException:
        raise BatchRefused(
            f"{name} declares a DTD or entities, which a claims upload may not use. "
            "Remove the <!DOCTYPE> and any <!ENTITY> declarations."
        ) from None
    except (ParseError, ValueError) as error:
        raise BatchRefused(f"{name} is not well-formed XML: {error}.") from None
    if root.tag != "ClaimsUpload":
        raise BatchRefused(
            f"{name}: the root element must be <ClaimsUpload>, not <{root.tag[:40]}>."
        )
    header = {
        "batch_id": (root.get("BatchId") or "").strip(),
        "district": _text(root, "DistrictCode"),
        "user_name": _text(root, "UserName"),
        "filed_by": _text(root, "ClaimsFiledBy").upper(),
    }
    return header, root.findall("ClaimFunction")


def read_batch(data: bytes, *, limits: Limits | None = None) -> Batch:
    """Open and check a claims-upload ZIP; raise BatchRefused if it cannot be filed at all."""
    limits = limits or Limits()
    members = open_members(data, limits)
    xml_names = [n for n in members if n.lower().endswith(".xml")]
    if not xml_names:
        raise BatchRefused("The ZIP holds no XML data file (.xml).")
    header: dict | None = None
    functions: list[ClaimFunction] = []
    for name in sorted(xml_names):
        this, elements = parse_xml(name, members[name])
        if header is None:
            header = this
        elif (
            this["batch_id"] != header["batch_id"]
            or this["user_name"] != header["user_name"]
            or this["district"] != header["district"]
        ):
            raise BatchRefused(
                f"{name} names a different BatchId, UserName or DistrictCode from the "
                "other XML files."
            )
        for element in elements:
            functions.append(_function(element, index=len(functions), source=name))
            if len(functions) > MAX_CLAIMS:
                raise BatchRefused(
                    f"The upload holds more than {MAX_CLAIMS} claim functions; send at most "
                    f"{MAX_CLAIMS} per ZIP."
                )
    assert header is not None  # noqa: S101 (narrows the type: the loop above set it)
    if not _BATCH_ID.match(header["batch_id"]):
        raise BatchRefused(
            'Give the batch an id in <ClaimsUpload BatchId="...">: letters, digits, dots, '
            "dashes, colons or underscores, at most 64. A batch id is filed once."
        )
    if not header["user_name"]:
        raise BatchRefused("<UserName> is missing: give your ECF login.")
    if header["filed_by"] not in {"CR", "AT"}:
        raise BatchRefused("<ClaimsFiledBy> must be CR (creditor) or AT (attorney).")
    if not functions:
        raise BatchRefused("The XML holds no <ClaimFunction>; a batch holds 1 to 25.")
    pdfs = {n: members[n] for n in members if n.lower().endswith(".pdf")}
    referenced = set()
    for function in functions:
        for attachment in function.attachments:
            if function.problem:
                break
            if attachment.member not in pdfs:
                function.problem = f"The attachment {attachment.member[:80]!r} is not a PDF in the ZIP."
            referenced.add(attachment.member)
    unused = sorted(set(pdfs) - referenced)
    if unused:
        raise BatchRefused(
            f"{', '.join(unused[:5])} is in the ZIP but no <Attachment> refers to it."
        )
    return Batch(
        batch_id=header["batch_id"],
        district=header["district"],
        user_name=header["user_name"],
        filed_by=header["filed_by"],
        functions=functions,
        pdfs=pdfs,
    )
