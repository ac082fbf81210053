"""The claims-upload ZIP reader refuses hostile archives and XML (no database)."""

import io
import struct
import zipfile

import pytest
from batchkit import add_function, batch_xml, make_zip

from dockets.claims.batch_format import BatchRefused, Limits, read_batch

PDF = b"%PDF-1.4\n%fake but only the name matters here\n"


def _xml(*functions, batch_id="B-1"):
    return batch_xml(*functions, batch_id=batch_id, user="filer@example.test")


def test_a_valid_zip_reads_its_functions_in_order():
    data = make_zip(
        {
            "claims.xml": _xml(
                add_function("26-00001", attachments=[("note.pdf", "Note")]),
                add_function("26-00002", amount="10.00"),
            ),
            "note.pdf": PDF,
        }
    )
    batch = read_batch(data)
    assert batch.batch_id == "B-1"
    assert [f.case_number for f in batch.functions] == ["26-00001", "26-00002"]
    assert batch.functions[0].attachments[0].member == "note.pdf"
    assert batch.functions[1].values["amount_cents"] == 1000
    assert all(not f.problem for f in batch.functions)


def _refused(data, limits=None) -> str:
    with pytest.raises(BatchRefused) as caught:
        read_batch(data, limits=limits)
    return caught.value.message


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd.pdf",
        "/abs/claim.pdf",
        "dir/claim.pdf",
        "..\\x.pdf",
        "C:claim.pdf",
    ],
)
def test_path_traversal_names_are_refused(name):
    data = make_zip({"claims.xml": _xml(add_function("26-00001")), name: PDF})
    assert "no folders" in _refused(data)


def test_a_zip_bomb_is_refused_by_its_compression_ratio():
    data = make_zip(
        {
            "claims.xml": _xml(add_function("26-00001", attachments=[("a.pdf", "x")])),
            "a.pdf": b"%PDF-" + b"\0" * 20_000_000,
        }
    )
    assert "compressed more than 100 to 1" in _refused(data)


def test_expanded_size_is_capped_even_when_the_header_lies():
    limits = Limits(ratio=10**9, member_bytes=1000, total_bytes=10**9)
    data = make_zip(
        {
            "claims.xml": _xml(add_function("26-00001", attachments=[("a.pdf", "x")])),
            "a.pdf": b"%PDF-" + b"1" * 5000,
        }
    )
    # Rewrite the central directory to say a.pdf unzips to 10 bytes.
    patched = bytearray(data)
    offset = patched.index(b"PK\x01\x02")
    while True:
        name_len = struct.unpack("<H", patched[offset + 28 : offset + 30])[0]
        name = bytes(patched[offset + 46 : offset + 46 + name_len])
        if name == b"a.pdf":
            patched[offset + 24 : offset + 28] = struct.pack("<I", 10)
            break
        offset = patched.index(b"PK\x01\x02", offset + 4)
    assert zipfile.ZipFile(io.BytesIO(bytes(patched))).getinfo("a.pdf").file_size == 10
    # Reading stops at the declared size, so the lie shows as a corrupt member.
    assert "a.pdf cannot be read from the ZIP" in _refused(bytes(patched), limits)
    # And a truthful header over the limit is refused before anything is inflated.
    assert "a.pdf is larger than" in _refused(data, limits)


def test_too_many_members_and_too_many_claims_are_refused():
    many = {f"f{i}.pdf": PDF for i in range(5)}
    many["claims.xml"] = _xml(add_function("26-00001"))
    assert "at most 3" in _refused(make_zip(many), Limits(members=3))
    xml = _xml(*[add_function("26-00001") for _ in range(26)])
    assert "more than 25" in _refused(make_zip({"claims.xml": xml}))


def test_xxe_and_entity_expansion_are_refused():
    xxe = (
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<ClaimsUpload BatchId="B"><UserName>&x;</UserName></ClaimsUpload>'
    )
    assert "DTD" in _refused(make_zip({"claims.xml": xxe}))
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><ClaimsUpload BatchId="B">&b;</ClaimsUpload>'
    )
    assert "DTD" in _refused(make_zip({"claims.xml": laughs}))


@pytest.mark.parametrize(
    ("members", "reason"),
    [
        ({"claims.xml": "<ClaimsUpload"}, "not well-formed"),
        ({"claims.xml": "<Other/>"}, "no <ClaimFunction>"),
        ({"a.pdf": PDF}, "no XML data file"),
        (
            {"claims.xml": _xml(add_function("26-00001")), "run.exe": b"MZ"},
            "neither an XML",
        ),
        (
            {"claims.xml": _xml(add_function("26-00001")), "stray.pdf": PDF},
            "no claim function names it",
        ),
        ({"claims.xml": _xml(add_function("26-00001"), batch_id="")}, "batch an id"),
        ({"claims.xml": _xml()}, "no <ClaimFunction>"),
    ],
)
def test_each_whole_batch_error_is_refused_with_its_reason(members, reason):
    assert reason in _refused(make_zip(members))


def test_not_a_zip_is_refused():
    assert "not a readable ZIP" in _refused(b"PK\x03\x04 not really")


def test_a_bad_function_is_marked_and_the_others_still_read():
    data = make_zip(
        {
            "claims.xml": _xml(
                add_function("26-00001", amount="12.345"),
                add_function("26-00001", attachments=[("missing.pdf", "x")]),
                '<ClaimFunction Type="delete"><CaseNumber>26-00001</CaseNumber></ClaimFunction>',
                add_function("26-00001"),
            )
        }
    )
    batch = read_batch(data)
    problems = [f.problem for f in batch.functions]
    assert "dollars and cents" in problems[0]
    assert "is not in the ZIP" in problems[1]
    assert "not a claim function" in problems[2]
    assert problems[3] == ""
