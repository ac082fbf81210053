"""The court's PDF rules, one real file per rule, checked in this process.

The same files go through the sandboxed entry point in test_sandbox.py; here
analyze_pdf runs directly so each rule is fast to test and debug.
"""

import hashlib
from typing import Any

import hostile_pdfs
import pdfmaker
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dockets.pdf import validation
from dockets.pdf.validation import PdfAnalysis, analyze_pdf

MAX = 35 * 1024 * 1024


def analyze(path, **kwargs):
    return analyze_pdf(path, max_bytes=kwargs.pop("max_bytes", MAX), **kwargs)


def problem_codes(path, **kwargs):
    return [problem.code for problem in analyze(path, **kwargs).problems]


def test_valid_filing_is_accepted_with_its_facts(tmp_path):
    """A plain text PDF passes, and the analysis carries its size, pages and digest."""
    path = pdfmaker.make_pdf(tmp_path / "motion.pdf", pages=3)
    analysis = analyze(path, debtor_names=["Jane Q. Debtor"])
    assert analysis.ok
    assert analysis.problems == ()
    assert analysis.findings == ()
    assert analysis.page_count == 3
    assert analysis.size == path.stat().st_size
    assert analysis.sha512 == hashlib.sha512(path.read_bytes()).hexdigest()
    assert analysis.has_form_fields is False
    assert analysis.oversized_pages == ()
    assert analysis.text_chars > 100


def test_type_is_judged_by_content_not_name(tmp_path):
    """A real PDF saved as .txt passes; a Word file named .pdf does not."""
    assert problem_codes(pdfmaker.make_pdf(tmp_path / "motion.txt")) == []
    assert problem_codes(hostile_pdfs.make_not_a_pdf(tmp_path / "motion.pdf")) == [
        "not_pdf"
    ]


@pytest.mark.parametrize("kind", ["docx", "text"])
def test_not_a_pdf_is_refused_in_plain_words(tmp_path, kind):
    analysis = analyze(hostile_pdfs.make_not_a_pdf(tmp_path / "brief.pdf", kind=kind))
    (problem,) = analysis.problems
    assert problem.code == "not_pdf"
    assert problem.message == (
        "This file is not a PDF. Save or print the document as a PDF and upload it again."
    )


def test_header_without_pdf_structure_is_not_a_pdf(tmp_path):
    path = tmp_path / "fake.pdf"
    path.write_bytes(b"%PDF-1.7\n<html><body>hello</body></html>\n")
    assert problem_codes(path) == ["not_pdf"]


@pytest.mark.parametrize("kind", ["html_prefix", "zip_appended"])
def test_polyglots_are_refused(tmp_path, kind):
    """A file that is a PDF and also an HTML page or a ZIP archive is refused."""
    path = hostile_pdfs.make_polyglot_pdf(tmp_path / "poly.pdf", kind=kind)
    assert problem_codes(path) == ["not_pdf"]


def test_small_trailing_padding_is_tolerated(tmp_path):
    """Writers pad after %%EOF with line ends or NULs; that is not a polyglot."""
    path = tmp_path / "padded.pdf"
    path.write_bytes(pdfmaker.pdf_bytes() + b"\r\n\x00\x00\x00\n")
    assert problem_codes(path) == []


def test_too_large_is_refused_before_reading_and_names_the_limit(tmp_path):
    path = pdfmaker.make_pdf(tmp_path / "big.pdf", pages=40)
    limit = 10 * 1024
    analysis = analyze(path, max_bytes=limit)
    (problem,) = analysis.problems
    assert problem.code == "too_large"
    assert "up to 0.1 MB" in problem.message
    assert analysis.sha512 == ""  # never read, so never hashed
    assert analysis.size == path.stat().st_size


def test_too_large_message_gives_both_sizes_in_megabytes(tmp_path):
    path = tmp_path / "huge.pdf"
    with path.open("wb") as handle:
        handle.truncate(40 * 1024 * 1024)  # sparse: no disk used
    (problem,) = analyze(path).problems
    assert "This file is 40 MB; the court accepts PDF files of up to 35 MB." in (
        problem.message
    )


@pytest.mark.parametrize("password", ["", "secret"])
def test_encrypted_is_refused_even_with_empty_password(tmp_path, password):
    path = hostile_pdfs.make_encrypted_pdf(
        tmp_path / "locked.pdf", user_password=password
    )
    assert problem_codes(path) == ["encrypted"]


def test_encryption_pypdf_cannot_open_is_still_encrypted(tmp_path):
    """Certificate-based and custom security handlers are refused as encrypted."""
    path = hostile_pdfs.make_encrypted_pdf(tmp_path / "locked.pdf")
    path.write_bytes(path.read_bytes().replace(b"/Standard", b"/PubSecXY"))
    assert problem_codes(path) == ["encrypted"]


@pytest.mark.parametrize("where", hostile_pdfs.JS_PLACES)
def test_javascript_anywhere_is_refused(tmp_path, where):
    """OpenAction, page /AA, link annotation, names tree, and #-escaped names."""
    path = hostile_pdfs.make_javascript_pdf(tmp_path / "js.pdf", where=[where])
    assert problem_codes(path) == ["javascript"]


def test_xfa_form_is_refused_as_script(tmp_path):
    analysis = analyze(hostile_pdfs.make_xfa_pdf(tmp_path / "xfa.pdf"))
    (problem,) = analysis.problems
    assert problem.code == "javascript"
    assert "XFA" in problem.message


def test_launch_action_is_refused(tmp_path):
    assert problem_codes(hostile_pdfs.make_launch_pdf(tmp_path / "launch.pdf")) == [
        "launch"
    ]


@pytest.mark.parametrize("how", ["names", "annotation"])
def test_embedded_files_are_refused(tmp_path, how):
    path = hostile_pdfs.make_embedded_file_pdf(tmp_path / "attached.pdf", how=how)
    assert problem_codes(path) == ["embedded_files"]


@pytest.mark.parametrize("subtype", ["/Sound", "/Movie", "/RichMedia", "/Screen"])
def test_audio_and_video_are_refused(tmp_path, subtype):
    path = hostile_pdfs.make_media_pdf(tmp_path / "media.pdf", subtype=subtype)
    assert problem_codes(path) == ["media"]


def test_oversized_pages_are_refused_and_listed(tmp_path):
    """Pages 2 (17 x 22 in) and 3 (11 x 17 in) exceed legal size."""
    analysis = analyze(pdfmaker.make_oversized_pdf(tmp_path / "plans.pdf"))
    assert [problem.code for problem in analysis.problems] == ["page_size"]
    assert analysis.oversized_pages == (2, 3)
    assert analysis.problems[0].message.startswith(
        "Pages 2 and 3 are larger than legal"
    )
    assert analysis.page_count == 3
    assert analysis.findings == ()  # text still read: the filing is signed etc.


@pytest.mark.parametrize(
    "size",
    [
        (612, 792),  # letter
        (792, 612),  # letter, landscape
        (595.3, 841.9),  # A4
        (612, 1008),  # legal
        (1008, 612),  # legal, landscape
        (616, 1012),  # legal plus a scanner's rounding
    ],
)
def test_pages_up_to_legal_are_accepted(tmp_path, size):
    path = pdfmaker.make_pdf(tmp_path / "ok.pdf", pagesize=size)
    assert problem_codes(path) == []


def one_page_pdf(path, page_entries=b"", catalog_entries=b""):
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_entries + b">>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        + page_entries
        + b">>",
        pdfmaker.stream_object(b"BT /F1 12 Tf 72 720 Td (/s/ Jane) Tj ET"),
    ]
    path.write_bytes(pdfmaker.assemble_pdf(objects))
    return path


@pytest.mark.parametrize(
    "page_entries",
    [b"/Junk oops ", b"/Junk <zz> ", b"/MediaBox [0 0 612 792] 7 "],
    ids=["unknown_token", "bad_hex_string", "value_without_key"],
)
def test_object_the_parser_must_guess_at_is_damaged(tmp_path, page_entries):
    """qpdf reads these only by guessing (a bare word read as a string, a key
    invented for a stray value); the court refuses a file read by guesswork."""
    path = one_page_pdf(tmp_path / "guess.pdf", page_entries=page_entries)
    assert problem_codes(path) == ["damaged"]


def test_pages_inherit_size_and_fonts_from_the_page_tree(tmp_path):
    """/MediaBox and /Resources given once on the /Pages node apply to each page
    (PDF 32000-1 7.7.3.4): an inherited tabloid size is refused, page by page
    and in order, and text in an inherited font is read."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R 6 0 R] /Count 3 /MediaBox [0 0 792 1224] "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>",
        pdfmaker.stream_object(
            b"BT /F1 12 Tf 72 720 Td (In re Jane Q. Debtor /s/ Jane) Tj ET"
        ),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /Pages /Parent 2 0 R /Kids [7 0 R 8 0 R] /Count 2 "
        b"/MediaBox [0 0 612 792] >>",
        b"<< /Type /Page /Parent 6 0 R /Contents 4 0 R >>",
        b"<< /Type /Page /Parent 6 0 R /Contents 4 0 R /MediaBox [0 0 612 1008] >>",
    ]
    path = tmp_path / "inherited.pdf"
    path.write_bytes(pdfmaker.assemble_pdf(objects))
    analysis = analyze(path, debtor_names=["Jane Q. Debtor"])
    assert analysis.page_count == 3
    assert analysis.oversized_pages == (1,)
    assert analysis.text_chars > 0
    assert [finding.code for finding in analysis.findings] == []


def test_object_stream_over_the_cap_is_refused_before_qpdf_inflates_it(
    tmp_path, monkeypatch
):
    """qpdf inflates an object stream whole; pypdf measures it first, so a
    compressed bomb there is refused (here the cap is lowered to 10 kB, below
    the 15 kB each of this file's object streams holds, above its xref stream)."""
    import pikepdf

    path = tmp_path / "objstm.pdf"
    with pikepdf.open(pdfmaker.make_pdf(tmp_path / "plain.pdf", pages=400)) as pdf:
        pdf.save(path, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    assert problem_codes(path) == []
    monkeypatch.setattr(validation, "MAX_STREAM_DECODED_BYTES", 10_000)
    assert problem_codes(path) == ["cannot_process"]


def test_user_unit_counts_toward_page_size(tmp_path):
    """/UserUnit 2 makes a 612 x 792 unit page 17 x 22 inches."""
    path = one_page_pdf(tmp_path / "unit.pdf", page_entries=b"/UserUnit 2 ")
    assert analyze(path).oversized_pages == (1,)


@pytest.mark.parametrize(
    "make",
    [hostile_pdfs.make_truncated_pdf, hostile_pdfs.make_malformed_xref_pdf],
    ids=["truncated", "malformed_xref"],
)
def test_damaged_files_are_refused(tmp_path, make):
    analysis = analyze(make(tmp_path / "broken.pdf"))
    (problem,) = analysis.problems
    assert problem.code == "damaged"
    assert "print it to a new PDF" in problem.message


def test_zero_page_pdf_is_empty(tmp_path):
    assert problem_codes(hostile_pdfs.make_empty_pdf(tmp_path / "empty.pdf")) == [
        "empty"
    ]


def test_zero_byte_file_is_empty(tmp_path):
    path = tmp_path / "nothing.pdf"
    path.write_bytes(b"")
    (problem,) = analyze(path).problems
    assert (problem.code, "0 bytes" in problem.message) == ("empty", True)


def test_form_fields_are_reported_not_refused(tmp_path):
    """Fillable forms vary by court; validation reports them and repair flattens."""
    analysis = analyze(hostile_pdfs.make_form_pdf(tmp_path / "form.pdf"))
    assert analysis.ok
    assert analysis.has_form_fields is True


@pytest.mark.parametrize("kind", ["array", "dict", "chain"])
def test_deep_nesting_does_not_overflow_the_stack(tmp_path, kind):
    """100,000 nested arrays/dicts are damaged; a 5,000-object chain is walked."""
    depth = 5_000 if kind == "chain" else 100_000
    path = hostile_pdfs.make_deeply_nested_pdf(
        tmp_path / "deep.pdf", depth=depth, kind=kind
    )
    expected = [] if kind == "chain" else ["damaged"]
    assert problem_codes(path) == expected


def test_decompression_bomb_is_refused_without_inflating_it(tmp_path):
    """A 2 MB stream that inflates to 2 GiB stops at the 64 MiB cap."""
    path = hostile_pdfs.make_bomb_pdf(tmp_path / "bomb.pdf")
    assert problem_codes(path) == ["cannot_process"]


def test_page_tree_that_repeats_a_node_is_damaged(tmp_path):
    """A tiny file claiming a billion pages by listing one node 1,000 times."""
    path = hostile_pdfs.make_huge_page_count_pdf(tmp_path / "laughs.pdf")
    assert problem_codes(path) == ["damaged"]


def test_too_many_pages_is_refused_with_advice_to_split(tmp_path, monkeypatch):
    monkeypatch.setattr(validation, "MAX_PAGES", 5)
    path = pdfmaker.make_pdf(tmp_path / "long.pdf", pages=6)
    (problem,) = analyze(path).problems
    assert problem.code == "too_many_pages"
    assert "Split it" in problem.message


def test_too_many_objects_cannot_be_processed(tmp_path, monkeypatch):
    monkeypatch.setattr(validation, "MAX_OBJECTS", 10)
    path = pdfmaker.make_pdf(tmp_path / "many.pdf", pages=10)
    assert problem_codes(path) == ["cannot_process"]


def test_oversized_image_declaration_cannot_be_processed(tmp_path):
    """An image declaring 100,000 x 100,000 pixels would exhaust a viewer."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792]"
        b" /Resources << /XObject << /Im1 4 0 R >> >> >>",
        b"<< /Type /XObject /Subtype /Image /Width 100000 /Height 100000"
        b" /BitsPerComponent 8 /ColorSpace /DeviceGray /Length 1 >>\nstream\n\x00\nendstream",
    ]
    path = tmp_path / "image.pdf"
    path.write_bytes(pdfmaker.assemble_pdf(objects))
    assert problem_codes(path) == ["image_too_large"]


def test_dangling_reference_is_null_not_damage(tmp_path):
    """PDF 32000-1 7.3.10: a reference to a missing object means null."""
    path = one_page_pdf(tmp_path / "dangling.pdf", catalog_entries=b"/Outlines 99 0 R ")
    assert problem_codes(path) == []


def test_active_content_skips_text_findings(tmp_path):
    """Refused files are not read for warnings: the filer must fix them first."""
    analysis = analyze(
        hostile_pdfs.make_launch_pdf(tmp_path / "x.pdf"), debtor_names=["Z"]
    )
    assert analysis.findings == ()


def test_findings_are_attached_to_the_analysis(tmp_path):
    path = pdfmaker.make_pdf(
        tmp_path / "motion.pdf", text="In re Jane Q. Debtor\nSSN 123-45-6789\n/s/ A"
    )
    analysis = analyze(path, debtor_names=["Jane Q. Debtor"])
    assert analysis.ok
    assert [(finding.code, finding.page) for finding in analysis.findings] == [
        ("ssn", 1)
    ]


def test_text_extraction_is_capped_at_the_first_pages(tmp_path, monkeypatch):
    """Warnings read at most TEXT_MAX_PAGES pages, whatever the length."""
    monkeypatch.setattr(validation, "TEXT_MAX_PAGES", 2)
    path = pdfmaker.make_pdf(tmp_path / "long.pdf", pages=5, text="{page}" * 40)
    assert analyze(path).text_chars == 2 * 40


def test_ok_is_true_only_without_problems():
    bare: dict[str, Any] = {
        "findings": (),
        "page_count": 1,
        "size": 1,
        "sha512": "",
        "has_form_fields": False,
        "oversized_pages": (),
        "text_chars": 0,
    }
    assert PdfAnalysis(problems=(), **bare).ok
    assert not PdfAnalysis(problems=(validation.PdfProblem("x", "y"),), **bare).ok


VALID = pdfmaker.pdf_bytes(pages=2)


@settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.lists(
        st.tuples(st.integers(0, len(VALID) - 1), st.integers(0, 255)),
        min_size=1,
        max_size=12,
    ),
    st.one_of(st.none(), st.integers(0, len(VALID))),
)
def test_mutated_pdf_never_raises_in_process(tmp_path, edits, cut):
    """Byte flips and truncations always give an analysis, never an exception."""
    data = bytearray(VALID)
    for offset, value in edits:
        data[offset] = value
    path = tmp_path / "mutant.pdf"
    path.write_bytes(bytes(data[:cut]) if cut is not None else bytes(data))
    analysis = analyze(path)
    assert isinstance(analysis, PdfAnalysis)
    assert analysis.sha512 == hashlib.sha512(path.read_bytes()).hexdigest()


def _text_page_pdf(path, content: bytes, *, through_form: bool = False):
    """One page showing `content` (Flate-compressed), directly or through a form XObject."""
    import zlib

    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    packed = zlib.compress(content, 9)
    if through_form:
        objects = [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
            b" /Resources << /XObject << /X1 5 0 R >> >> >>",
            pdfmaker.stream_object(b"/X1 Do"),
            pdfmaker.stream_object(
                packed,
                b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Filter /FlateDecode"
                b" /Resources << /Font << /F1 6 0 R >> >> ",
            ),
            font,
        ]
    else:
        objects = [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>",
            pdfmaker.stream_object(packed, b"/Filter /FlateDecode "),
            font,
        ]
    path.write_bytes(pdfmaker.assemble_pdf(objects))
    return path


@pytest.mark.parametrize("through_form", [False, True], ids=["content", "form"])
def test_text_of_a_page_past_the_text_budget_is_not_read(
    tmp_path, monkeypatch, through_form
):
    """A page whose text-bearing streams decode past TEXT_MAX_STREAM_DECODED_BYTES
    is accepted without its text being read: pdfium has no output limit (a tiny
    file of repeated text operators would otherwise cost seconds of CPU), and a
    page drawing a form goes to pypdf, which decodes under that limit."""
    monkeypatch.setattr(validation, "TEXT_MAX_STREAM_DECODED_BYTES", 64 << 10)
    shown = b"BT /F1 12 Tf 72 700 Td " + b"(word) Tj " * 500 + b"ET"
    small = _text_page_pdf(tmp_path / "small.pdf", shown, through_form=through_form)
    analysis = analyze(small, needs_signature=False)
    assert analysis.ok and analysis.text_chars == 2_000

    dense = b"BT /F1 12 Tf 72 700 Td " + b"(word) Tj " * 20_000 + b"ET"
    big = _text_page_pdf(tmp_path / "big.pdf", dense, through_form=through_form)
    analysis = analyze(big, needs_signature=False)
    assert analysis.ok and analysis.text_chars == 0
    assert [finding.code for finding in analysis.findings] == ["image_only"]


def test_short_pages_are_read_for_text_without_decoding_in_python(
    tmp_path, monkeypatch
):
    """A page's text budget is settled from the sizes its filters allow, without
    decoding: reportlab's ASCII85 + Flate pages (every page of a word processor's
    "print to PDF") cost no pure-Python decoding before pdfium reads them."""
    decoded: list[Any] = []
    real = validation._text_decoded_size

    def counted(stream):
        decoded.append(stream)
        return real(stream)

    monkeypatch.setattr(validation, "_text_decoded_size", counted)
    import random

    from pypdf import PdfReader

    words = random.Random(21)
    lines = "\n".join(
        " ".join(f"{words.getrandbits(40):x}" for _ in range(7)) for _ in range(60)
    )
    path = pdfmaker.make_pdf(tmp_path / "dense.pdf", pages=3, text=lines + "\n/s/ A")
    raw = pdfmaker.pdf_stream(PdfReader(path).pages[0].get("/Contents"))
    assert raw["/Filter"] == ["/ASCII85Decode", "/FlateDecode"]
    assert (
        len(raw._data) > 2_000
    )  # over 8 MiB at ASCII85's worst case of 4 bytes a byte
    analysis = analyze(path)
    assert analysis.ok and analysis.text_chars > 3 * 60 * 60
    assert decoded == []


@given(payload=st.binary(max_size=600), zeros=st.integers(0, 40))
@settings(max_examples=60, deadline=None)
def test_ascii85_bound_is_never_below_the_decoded_size(payload, zeros):
    import base64

    from pypdf.filters import decode_stream_data
    from pypdf.generic import NameObject, StreamObject

    stream = StreamObject()
    stream._data = base64.a85encode(payload + bytes(4 * zeros), adobe=True)
    stream[NameObject("/Filter")] = NameObject("/ASCII85Decode")
    assert validation._decoded_bound(stream) >= len(decode_stream_data(stream))


def _type3_pdf(path, *, glyph: bytes, codes: int):
    """One page showing `codes` characters of a Type3 font whose every glyph is `glyph`."""
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(612, 792))
    page = pdf.pages[0]
    procedure = pdf.make_stream(b"0 0 d0 " + glyph)
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type3,
            FontBBox=[0, 0, 1, 1],
            FontMatrix=[0.001, 0, 0, 0.001, 0, 0],
            CharProcs=pikepdf.Dictionary({f"/g{i}": procedure for i in range(codes)}),
            Encoding=pikepdf.Dictionary(
                Type=pikepdf.Name.Encoding,
                Differences=pikepdf.Array(
                    [65, *(pikepdf.Name(f"/g{i}") for i in range(codes))]
                ),
            ),
            FirstChar=65,
            LastChar=64 + codes,
            Widths=[500] * codes,
            Resources=pikepdf.Dictionary(),
        )
    )
    page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    shown = bytes(range(65, 65 + codes))
    page.Contents = pdf.make_stream(b"BT /F1 12 Tf 72 700 Td (" + shown + b") Tj ET")
    pdf.save(path, compress_streams=True)
    return path


def test_type3_glyph_procedures_count_toward_the_text_budget(tmp_path, monkeypatch):
    """pdfium parses a Type3 glyph's procedure for each character code that uses
    it: a font whose codes all name one large procedure is a tiny file that would
    cost seconds of CPU to read. Such a page is not read; small glyphs are."""
    monkeypatch.setattr(validation, "TEXT_MAX_STREAM_DECODED_BYTES", 256 << 10)
    small = _type3_pdf(tmp_path / "small.pdf", glyph=b"0 0 m 1 1 l S " * 10, codes=20)
    analysis = analyze(small, needs_signature=False)
    assert analysis.ok and analysis.text_chars > 0

    # 20 KB of drawing per glyph: one stream, but 20 codes make 400 KB to parse.
    big = _type3_pdf(tmp_path / "big.pdf", glyph=b"0 0 m 1 1 l S " * 1_500, codes=20)
    analysis = analyze(big, needs_signature=False)
    assert analysis.ok and analysis.text_chars == 0


def test_a_page_that_draws_forms_is_read_by_pypdf(tmp_path, monkeypatch):
    """pdfium parses a form XObject again each time the page draws it (a 3 KB
    file drawing one 1.4 MB form 50 times cost it 3.4 s); pypdf bounds form
    invocations, so such a page's text is read by pypdf, other pages by pdfium."""
    readers: list[str] = []
    for name in ("_page_text", "_pypdf_page_text"):
        real = getattr(validation, name)

        def spy(*args, real=real, name=name):
            readers.append(name)
            return real(*args)

        monkeypatch.setattr(validation, name, spy)

    shown = b"BT /F1 12 Tf 72 700 Td (Form text) Tj ET"
    drawn = _text_page_pdf(tmp_path / "form.pdf", shown, through_form=True)
    analysis = analyze(drawn, needs_signature=False)
    assert analysis.ok and analysis.text_chars == len("Formtext")
    assert readers == ["_pypdf_page_text"]

    readers.clear()
    plain = _text_page_pdf(tmp_path / "plain.pdf", shown)
    analysis = analyze(plain, needs_signature=False)
    assert analysis.ok and analysis.text_chars == len("Formtext")
    assert readers == ["_page_text"]


def test_pages_pdfium_counts_otherwise_are_read_by_pypdf(tmp_path, monkeypatch):
    """pdfium's page N is read only if pdfium finds as many pages as the walk:
    otherwise it may not be the page judged for forms and glyph procedures."""
    import pypdfium2

    readers: list[str] = []
    real = validation._pypdf_page_text

    def spy(page):
        readers.append("pypdf")
        return real(page)

    monkeypatch.setattr(validation, "_pypdf_page_text", spy)
    path = pdfmaker.make_pdf(tmp_path / "motion.pdf", pages=2)
    assert analyze(path).text_chars > 0 and readers == []
    counted = pypdfium2.PdfDocument.__len__
    monkeypatch.setattr(
        pypdfium2.PdfDocument, "__len__", lambda document: counted(document) + 1
    )
    analysis = analyze(path)
    assert analysis.ok and analysis.text_chars > 0
    assert readers == ["pypdf", "pypdf"]
