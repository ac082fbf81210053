#!/usr/bin/env python3
"""Run ECF's vendor conformance checklist (docs/vendor-sandbox.md) against an instance.

    python scripts/conformance.py --base https://training.ecf.example \\
        --token ecf_practice_... --login filer@example.test --case-number 26-00001 --case-id 17

Standard library only, so a vendor can run it anywhere. Point it at the training
instance (the sandbox) with a practice token: it files real claims there. Prints one
line per check and exits 1 if any check fails.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
import urllib.error
import urllib.request
import uuid
import zipfile
from dataclasses import dataclass


@dataclass
class Result:
    name: str
    ok: bool
    detail: str = ""


class Client:
    def __init__(self, base: str, token: str):
        self.base = base.rstrip("/")
        self.token = token

    def call(self, method, path, *, body=None, headers=None, token=True):
        request = urllib.request.Request(self.base + path, data=body, method=method)
        for key, value in (headers or {}).items():
            request.add_header(key, value)
        if token and self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        try:
            return status, json.loads(raw or b"null")
        except ValueError:
            return status, {"_raw": raw[:200].decode("latin-1")}

    def upload(self, path, filename, data, *, token=True):
        boundary = uuid.uuid4().hex
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="upload"; '
                f'filename="{filename}"\r\nContent-Type: application/zip\r\n\r\n'
            ).encode()
            + data
            + f"\r\n--{boundary}--\r\n".encode()
        )
        return self.call(
            "POST",
            path,
            body=body,
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
            token=token,
        )


def _zip(members: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(
                name, content.encode() if isinstance(content, str) else content
            )
    return buffer.getvalue()


def _claim(
    case_number: str, creditor: str, amount: str, unsecured: str, form: str = ""
) -> str:
    return (
        f'<ClaimFunction Type="add"><CaseNumber>{case_number}</CaseNumber>'
        f"<Creditor><Name>{creditor}</Name><AddressLine>1 Conformance Way</AddressLine>"
        "<AddressLine>San Diego, CA 92101</AddressLine></Creditor><Basis>Money loaned</Basis>"
        f"<AmountClaimed>{amount}</AmountClaimed><UnsecuredAmount>{unsecured}</UnsecuredAmount>"
        + (f'<ClaimForm File="{form}"/>' if form else "")
        + "</ClaimFunction>"
    )


def claim_form_pdf(text: str) -> bytes:
    """A one-page PDF standing for the filer's signed Form 410 (standard library only)."""
    safe = text.replace("\\", "").replace("(", "").replace(")", "")
    stream = f"BT /F1 11 Tf 54 720 Td ({safe}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _batch(batch_id: str, login: str, *functions: str, district: str) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><ClaimsUpload BatchId="{batch_id}">'
        f"<DistrictCode>{district}</DistrictCode>"
        f"<UserName>{login}</UserName><ClaimsFiledBy>CR</ClaimsFiledBy>"
        + "".join(functions)
        + "</ClaimsUpload>"
    )


def _error_shape(body) -> bool:
    error = body.get("error") if isinstance(body, dict) else None
    return isinstance(error, dict) and {"code", "message"} <= set(error)


def run_checks(
    client: Client,
    *,
    login: str,
    case_number: str,
    case_id: int,
    wait: float = 180,
    district: str = "0974",
):
    results: list[Result] = []

    def check(name, ok, detail=""):
        results.append(Result(name, bool(ok), detail))
        return ok

    status, body = client.call("GET", "/api/v1/openapi.json", token=False)
    paths = body.get("paths", {}) if isinstance(body, dict) else {}
    check(
        "1 OpenAPI document is published",
        status == 200 and "/api/v1/claims/uploads" in paths,
        f"HTTP {status}",
    )
    status, body = client.upload("/api/v1/claims/uploads", "x.zip", b"", token=False)
    check(
        "2 a write without a token is 401 in the error envelope",
        status == 401 and _error_shape(body),
        f"HTTP {status}",
    )
    saved, client.token = client.token, "ecf_not_a_real_token"
    status, body = client.call("GET", "/api/v1/claims/uploads/1")
    client.token = saved
    check(
        "3 an unknown token is 401 invalid_token",
        status == 401 and body.get("error", {}).get("code") == "invalid_token",
        f"HTTP {status}",
    )

    batch_id = f"CONF-{uuid.uuid4().hex[:12]}"
    good = _zip(
        {
            "claims.xml": _batch(
                batch_id,
                login,
                _claim(case_number, "Conformance Bank", "100.00", "100.00", "b410.pdf"),
                _claim(case_number, "Conformance Wrong Sums", "100.00", "90.00"),
                district=district,
            ),
            "b410.pdf": claim_form_pdf(
                "Official Form 410 Proof of Claim  Conformance Bank  $100.00  "
                "/s/ Pat Filer"
            ),
        }
    )
    status, body = client.upload("/api/v1/claims/uploads", "batch.zip", good)
    if check(
        "4 a claims upload is accepted with 202 and its log",
        status == 202 and body.get("total") == 2,
        f"HTTP {status} {str(body)[:200]}",
    ):
        deadline = time.monotonic() + wait
        log = body
        while log.get("status") != "done" and time.monotonic() < deadline:
            time.sleep(1)
            _, log = client.call("GET", f"/api/v1/claims/uploads/{body['id']}")
        items = log.get("items", [])
        check(
            "5 the batch finishes: each claim filed or refused on its own",
            log.get("status") == "done"
            and [i["status"] for i in items] == ["filed", "refused"],
            f"status {log.get('status')}, items {[i.get('status') for i in items]}",
        )
        check(
            "6 a refused claim carries a plain reason",
            len(items) == 2 and "do not add up" in items[1].get("reason", ""),
            items[1].get("reason", "")[:200] if len(items) == 2 else "",
        )
        status2, again = client.upload("/api/v1/claims/uploads", "batch.zip", good)
        check(
            "7 the same batch id again is 200 with the first log (filed once)",
            status2 == 200 and again.get("id") == body["id"],
            f"HTTP {status2}",
        )
        reused = _zip(
            {
                "claims.xml": _batch(
                    batch_id,
                    login,
                    _claim(case_number, "Conformance Other", "5.00", "5.00"),
                    district=district,
                )
            }
        )
        status3, third = client.upload("/api/v1/claims/uploads", "other.zip", reused)
        check(
            "7b the same batch id for other claims is refused (422), nothing filed",
            status3 == 422 and _error_shape(third),
            f"HTTP {status3}",
        )
    traversal = _zip(
        {
            "claims.xml": _batch(
                "CONF-T",
                login,
                _claim(case_number, "T", "1.00", "1.00"),
                district=district,
            ),
            "../evil.pdf": b"%PDF-1.4",
        }
    )
    status, body = client.upload("/api/v1/claims/uploads", "t.zip", traversal)
    check(
        "8 a ZIP with a path in a member name is refused (422)",
        status == 422 and _error_shape(body),
        f"HTTP {status}",
    )
    xxe = _zip(
        {
            "claims.xml": '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            '<ClaimsUpload BatchId="X"><UserName>&x;</UserName></ClaimsUpload>'
        }
    )
    status, body = client.upload("/api/v1/claims/uploads", "x.zip", xxe)
    check(
        "9 XML with a DTD or entities is refused (422)",
        status == 422 and _error_shape(body),
        f"HTTP {status}",
    )
    key = uuid.uuid4().hex
    claim = json.dumps(
        {
            "creditor_name": "Conformance Retry LLC",
            "creditor_address": "1 Way",
            "basis": "Goods sold",
            "amount_cents": 1234,
            "unsecured_cents": 1234,
        }
    ).encode()
    headers = {"Content-Type": "application/json", "Idempotency-Key": key}
    s1, b1 = client.call(
        "POST", f"/api/v1/cases/{case_id}/claims", body=claim, headers=headers
    )
    s2, b2 = client.call(
        "POST", f"/api/v1/cases/{case_id}/claims", body=claim, headers=headers
    )
    check(
        "10 a retried write with the same Idempotency-Key files once",
        s1 == 201 and s2 == 201 and b1.get("claim_number") == b2.get("claim_number"),
        f"HTTP {s1}/{s2}",
    )
    elsewhere = _zip(
        {
            "claims.xml": _batch(
                f"CONF-D-{uuid.uuid4().hex[:8]}",
                login,
                _claim(case_number, "D", "1.00", "1.00"),
                district="9999",
            )
        }
    )
    status, body = client.upload("/api/v1/claims/uploads", "d.zip", elsewhere)
    check(
        "11 a batch for another district is refused (422) with a reason",
        status == 422
        and _error_shape(body)
        and "district" in body["error"]["message"].lower(),
        f"HTTP {status}",
    )
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--login", required=True, help="the token owner's login e-mail")
    parser.add_argument("--case-number", required=True)
    parser.add_argument("--case-id", required=True, type=int)
    parser.add_argument(
        "--district",
        default="0974",
        help="the court's <DistrictCode> (AO code; 1111, the test code, on the sandbox)",
    )
    args = parser.parse_args(argv)
    results = run_checks(
        Client(args.base, args.token),
        login=args.login,
        case_number=args.case_number,
        case_id=args.case_id,
        district=args.district,
    )
    for r in results:
        print(
            f"{'PASS' if r.ok else 'FAIL'}  {r.name}{'' if r.ok else '  -- ' + r.detail}"
        )
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
