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

import hashlib
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
    office: str = ""  # <Office>: the case's office code, checked against the case
    case_type: str = ""  # <CaseType>: "bk" (claims are filed only in bankruptcy cases)
    creditor_id: int | None = None  # <CreditorID>: a creditor already on the case
    claim_number: int | None = None
    values: dict = field(default_factory=dict)
    # The filer's own signed claim form (Form 410 or, for a transfer, Form 2100A/B),
    # docketed as the claim's main document ("the PDF claim form attached to the XML").
    claim_form: str = ""
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
    # SHA-256 over the members' names and bytes (not the ZIP's own bytes, which change
    # with every re-zip): a batch id sent again with other contents is refused.
    content_digest: str = ""


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


# -- the XML ------------------------------------------------------------------------------
#
# Tag names. The AO's tag-by-tag pages ("ClaimFunction Specifications") could not be
# recovered (docs/claims-upload.md says which names come from where). Each field has
# ECF's name first, then the other spellings courts publish or the specification's
# section names suggest; tags are case sensitive, as CM/ECF's are (mdb.uscourts.gov,
# "Claims Upload Tips" 2).

_FILED_BY_TAGS = (
    "ClaimsFiledBy",
    "ClaimFiledBy",
)  # both spellings appear on court pages
_DISTRICT_TAGS = ("DistrictCode", "CourtID")  # Appendix: "District Codes (Court ID)"
_CREDITOR_NAME_TAGS = ("Name", "CreditorName")
_AMOUNT_TAGS = ("AmountClaimed", "ClaimAmount")
_HEADER_TAGS = {"UserName", "BatchId", *_FILED_BY_TAGS, *_DISTRICT_TAGS}

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

# The header tags may also sit in each claim function (one transaction per XML file);
# there they must agree with the batch's header.
_COMMON_TAGS = {
    *_HEADER_TAGS,
    "Type",
    "CaseNumber",
    "Office",
    "CaseType",
    "ClaimNumber",
    "ClaimForm",
    "Attachment",
}
_CLAIM_TAGS = _COMMON_TAGS | {
    "CreditorID",
    "Creditor",
    "CreditorName",
    "CreditorAddressLine",
    "CreditorEmail",
    "CreditorPhone",
    "Basis",
    *_AMOUNT_TAGS,
    "SecuredAmount",
    "PriorityAmount",
    "PriorityBasis",
    "UnsecuredAmount",
    "AdminAmount",
    "AmountToCure",
    "AccountLast4",
    "InterestOrFees",
    "Governmental",
    "PrincipalResidence",
    "SignerName",
    "SignerTitle",
    "Mortgage410A",
}
_TRANSFER_TAGS = _COMMON_TAGS | {"TransfereeName", "TransfereeAddressLine"}
_CREDITOR_CHILD_TAGS = {"Name", "AddressLine", "Email", "Phone"}


def _first(element, tags: tuple[str, ...]):
    for tag in tags:
        child = element.find(tag)
        if child is not None:
            return child
    return None


def _text(element, *tags: str) -> str:
    child = _first(element, tags)
    return (child.text or "").strip() if child is not None else ""


def _lines(element, tag: str) -> str:
    return "\n".join(
        (line.text or "").strip()
        for line in element.findall(tag)
        if (line.text or "").strip()
    )


def _cents(element, *tags: str, required: bool = False) -> int | None:
    tag = tags[0]
    text = _text(element, *tags).replace(",", "").replace("$", "")
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


def _yes(element, tag: str) -> bool:
    text = _text(element, tag).lower()
    if text and text not in {"y", "n", "yes", "no", "true", "false"}:
        raise ValueError(f"<{tag}> must be Y or N (it is {text[:20]!r}).")
    return text in {"y", "yes", "true"}


def _unknown_tags(element, allowed: set[str], where: str) -> None:
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag not in allowed:
            raise ValueError(
                f"<{tag[:40]}> is not a tag of {where}. Tags are case sensitive; "
                "docs/claims-upload.md lists them."
            )


def _claim_values(element) -> dict:
    creditor = element.find("Creditor")
    if creditor is not None:
        _unknown_tags(creditor, _CREDITOR_CHILD_TAGS, "<Creditor>")
        name = _text(creditor, "Name")
        address = _lines(creditor, "AddressLine")
        email, phone = _text(creditor, "Email"), _text(creditor, "Phone")
    else:
        name = _text(element, "CreditorName")
        address = _lines(element, "CreditorAddressLine")
        email, phone = _text(element, "CreditorEmail"), _text(element, "CreditorPhone")
    if not name and element.find("CreditorID") is None:
        raise ValueError(
            "Name the creditor: <Creditor><Name>...</Name><AddressLine>...</AddressLine>"
            "</Creditor>, or <CreditorID> for a creditor already on the case."
        )
    values: dict[str, object] = {
        "creditor_name": name,
        "creditor_address": address,
        "creditor_email": email,
        "creditor_phone": phone,
        "basis": _text(element, "Basis"),
        "amount_cents": _cents(element, *_AMOUNT_TAGS, required=True),
        "secured_cents": _cents(element, "SecuredAmount") or 0,
        "priority_cents": _cents(element, "PriorityAmount") or 0,
        "priority_basis": _text(element, "PriorityBasis"),
        "unsecured_cents": _cents(element, "UnsecuredAmount") or 0,
        "admin_cents": _cents(element, "AdminAmount") or 0,
        "arrearage_cents": _cents(element, "AmountToCure"),
        "account_last4": _text(element, "AccountLast4"),
        "interest_fees": _yes(element, "InterestOrFees"),
        "governmental": _yes(element, "Governmental"),
        "signer_name": _text(element, "SignerName"),
        "signer_title": _text(element, "SignerTitle"),
        "principal_residence": _yes(element, "PrincipalResidence"),
    }
    mortgage = element.find("Mortgage410A")
    if mortgage is not None:
        _unknown_tags(mortgage, set(_MORTGAGE_TAGS), "<Mortgage410A>")
        values["mortgage"] = {
            key: _cents(mortgage, tag) or 0 for tag, key in _MORTGAGE_TAGS.items()
        }
    return values


def _file_of(item) -> str:
    """The member a <ClaimForm>/<Attachment> names: its File attribute or its text."""
    return (item.get("File") or item.text or "").strip()


def _function_kind(element) -> str:
    kind = element.get("Type") or _text(element, "Type")
    return kind.strip().lower()


def _function(element, *, index: int, source: str) -> ClaimFunction:
    kind = _function_kind(element)
    function = ClaimFunction(index=index, kind=kind, source=source)
    try:
        if kind not in FUNCTIONS:
            raise ValueError(
                f'Type="{kind[:20]}" is not a claim function; use add, amend or transfer.'
            )
        _unknown_tags(
            element,
            _TRANSFER_TAGS if kind == "transfer" else _CLAIM_TAGS,
            f"a {kind} claim function",
        )
        function.case_number = _text(element, "CaseNumber")
        if not function.case_number:
            raise ValueError("<CaseNumber> is missing.")
        function.office = _text(element, "Office")
        if function.office and not (
            function.office.isdigit() and len(function.office) <= 2
        ):
            raise ValueError(
                f"<Office> must be the office code of the case, a number like 3 "
                f"(it is {function.office[:20]!r})."
            )
        function.case_type = _text(element, "CaseType").lower()
        if function.case_type and function.case_type != "bk":
            raise ValueError(
                f"<CaseType> is {function.case_type[:10]!r}, but claims are filed only "
                "in bankruptcy cases: use bk."
            )
        creditor_id = _text(element, "CreditorID")
        if creditor_id:
            if not creditor_id.isdigit() or not 0 < int(creditor_id) < 2**31:
                raise ValueError(
                    "<CreditorID> must be the number of a creditor on the case, like 1234."
                )
            function.creditor_id = int(creditor_id)
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
                "transferee_address": _lines(element, "TransfereeAddressLine"),
            }
        else:
            function.values = _claim_values(element)
        forms = element.findall("ClaimForm")
        if len(forms) > 1:
            raise ValueError("A claim function names one <ClaimForm>, not several.")
        if forms:
            function.claim_form = _file_of(forms[0])
            if not function.claim_form:
                raise ValueError(
                    '<ClaimForm> must name its PDF: <ClaimForm File="x.pdf"/>.'
                )
        for item in element.findall("Attachment"):
            function.attachments.append(
                Attachment(
                    member=_file_of(item),
                    description=(item.get("Description") or "").strip()[:60],
                )
            )
        if kind == "transfer":
            if function.claim_form and function.attachments:
                raise ValueError(
                    "A transfer carries one PDF, its signed Form 2100A or 2100B: give it "
                    "as <ClaimForm> or as one <Attachment>, not both."
                )
            if len(function.attachments) > 1:
                raise ValueError(
                    "A transfer carries one PDF, its signed Form 2100A or 2100B; "
                    "combine the evidence of transfer into that one PDF."
                )
            if function.attachments:
                function.claim_form = function.attachments.pop().member
    except ValueError as error:
        function.problem = str(error)
    return function


def parse_xml(name: str, data: bytes) -> tuple[dict, list]:
    """Parse one XML data file; return its header and its <ClaimFunction> elements.

    The header tags and the claim functions are found wherever they sit under the
    root element, whatever the root is called (the specification's root element could
    not be recovered; ECF's own is <ClaimsUpload>).
    """
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
    # A default namespace (xmlns="...") is read as if absent: the tag names are what
    # the format defines, whatever schema namespace a vendor's software declares.
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.startswith("{"):
            element.tag = element.tag.split("}", 1)[1]

    def find(tags: tuple[str, ...]) -> str:
        for tag in tags:
            found = root if root.tag == tag else root.find(f".//{tag}")
            if found is not None:
                return (found.text or "").strip()
        return ""

    header = {
        "batch_id": (root.get("BatchId") or find(("BatchId",))).strip(),
        "district": find(_DISTRICT_TAGS),
        "user_name": find(("UserName",)),
        "filed_by": find(_FILED_BY_TAGS).upper(),
    }
    return header, list(root.iter("ClaimFunction"))


def content_digest(members: dict[str, bytes]) -> str:
    digest = hashlib.sha256()
    for name in sorted(members):
        digest.update(name.encode() + b"\0" + hashlib.sha256(members[name]).digest())
    return digest.hexdigest()


def batch_id_from_file_name(file_name: str) -> str:
    """The batch id of a ZIP whose XML gives none: its file name without `.zip`."""
    stem = re.sub(r"\.zip$", "", (file_name or "").strip(), flags=re.I)
    stem = re.sub(r"[^A-Za-z0-9._:-]+", "-", stem).strip("-._:")
    return stem[:64]


def _check_own_header(function: ClaimFunction, element, header: dict) -> None:
    """A header tag inside a claim function must say what the batch's header says."""
    if function.problem:
        return
    for key, tags in (
        ("user_name", ("UserName",)),
        ("district", _DISTRICT_TAGS),
        ("filed_by", _FILED_BY_TAGS),
        ("batch_id", ("BatchId",)),
    ):
        own = _text(element, *tags)
        if own and own.upper() != str(header[key]).upper():
            function.problem = (
                f"This claim function's <{tags[0]}> is {own[:40]!r}, but the batch's is "
                f"{str(header[key])[:40]!r}; one upload is one batch by one filer for "
                "one court."
            )
            return


def _pair_forms_by_name(functions: list[ClaimFunction], pdfs: dict[str, bytes]):
    """A claim function with no <ClaimForm>, alone in its XML file `x.xml`, takes `x.pdf`
    as its claim form ("the PDF claim form attached to the XML data file")."""
    per_source: dict[str, list[ClaimFunction]] = {}
    for function in functions:
        per_source.setdefault(function.source, []).append(function)
    lower = {n.lower(): n for n in pdfs}
    for source, group in per_source.items():
        if len(group) != 1:
            continue
        function = group[0]
        if function.problem or function.claim_form:
            continue
        named = {a.member for a in function.attachments}
        partner = lower.get(re.sub(r"\.xml$", ".pdf", source, flags=re.I).lower())
        if partner and partner not in named:
            function.claim_form = partner


def read_batch(
    data: bytes, *, limits: Limits | None = None, file_name: str = ""
) -> Batch:
    """Open and check a claims-upload ZIP; raise BatchRefused if it cannot be filed at all.

    `file_name` is the ZIP's own name: the batch id when the XML gives none.
    """
    limits = limits or Limits()
    members = open_members(data, limits)
    xml_names = [n for n in members if n.lower().endswith(".xml")]
    if not xml_names:
        raise BatchRefused("The ZIP holds no XML data file (.xml).")
    header: dict | None = None
    functions: list[ClaimFunction] = []
    elements_of: list = []
    for name in sorted(xml_names):
        this, elements = parse_xml(name, members[name])
        if header is None:
            header = this
        else:
            for key, tag in (
                ("batch_id", "BatchId"),
                ("user_name", "UserName"),
                ("district", "DistrictCode"),
                ("filed_by", "ClaimsFiledBy"),
            ):
                if this[key] and header[key] and this[key] != header[key]:
                    raise BatchRefused(
                        f"{name} names a different {tag} from the other XML files; "
                        "one upload is one batch by one filer for one court."
                    )
                header[key] = header[key] or this[key]
        for element in elements:
            functions.append(_function(element, index=len(functions), source=name))
            elements_of.append(element)
            if len(functions) > MAX_CLAIMS:
                raise BatchRefused(
                    f"The upload holds more than {MAX_CLAIMS} claim functions; send at most "
                    f"{MAX_CLAIMS} per ZIP."
                )
    assert header is not None  # noqa: S101 (narrows the type: the loop above set it)
    if not functions:
        raise BatchRefused("The XML holds no <ClaimFunction>; a batch holds 1 to 25.")
    if not header["batch_id"]:
        header["batch_id"] = batch_id_from_file_name(file_name)
    if not _BATCH_ID.match(header["batch_id"]):
        raise BatchRefused(
            'Give the batch an id: <ClaimsUpload BatchId="..."> (letters, digits, dots, '
            "dashes, colons or underscores, at most 64), or name the ZIP file with one. "
            "A batch id is filed once."
        )
    if not header["user_name"]:
        raise BatchRefused("<UserName> is missing: give your ECF login.")
    if header["filed_by"] not in {"CR", "AT"}:
        raise BatchRefused(
            "<ClaimsFiledBy> must be CR (a creditor login) or AT (an attorney login)."
        )
    for function, element in zip(functions, elements_of, strict=True):
        _check_own_header(function, element, header)
    pdfs = {n: members[n] for n in members if n.lower().endswith(".pdf")}
    _pair_forms_by_name(functions, pdfs)
    referenced: set[str] = set()
    for function in functions:
        names = [function.claim_form] if function.claim_form else []
        names += [a.member for a in function.attachments]
        for member in names:
            referenced.add(member)
            if not function.problem and member not in pdfs:
                function.problem = (
                    f"The PDF {member[:80]!r} that this claim function names is not in "
                    "the ZIP (file names are case sensitive)."
                )
        if not function.problem and len(names) != len(set(names)):
            function.problem = "The claim function names the same PDF twice."
    unused = sorted(set(pdfs) - referenced)
    if unused:
        raise BatchRefused(
            f"{', '.join(unused[:5])} is in the ZIP but no claim function names it "
            "(as its <ClaimForm> or an <Attachment>). Name every PDF, or leave it out; "
            "nothing was filed."
        )
    return Batch(
        batch_id=header["batch_id"],
        district=header["district"],
        user_name=header["user_name"],
        filed_by=header["filed_by"],
        functions=functions,
        pdfs=pdfs,
        content_digest=content_digest(members),
    )
