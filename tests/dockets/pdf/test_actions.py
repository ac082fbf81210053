"""Actions that fire without a click or reach outside the document (dockets/pdf/actions.py).

One real file per action kind (tests/hostile_pdfs.HOSTILE_ACTIONS): validation refuses it
in plain words, the safe repair removes the action and says so, and the stamped copy
ECF serves has no /OpenAction or /AA anywhere (checked with qpdf, not with pypdf).
"""

import json
import subprocess

import hostile_pdfs
import pytest
from pdfmaker import pdf_array, pdf_dict
from pypdf import PdfReader

from dockets.pdf.actions import is_web_address
from dockets.pdf.repair import repair_pdf
from dockets.pdf.stamping import stamp_pdf
from dockets.pdf.validation import REPAIRABLE_CODES, analyze_pdf

MAX = 35 * 1024 * 1024


def analyze(path):
    return analyze_pdf(path, max_bytes=MAX, debtor_names=["Jane Q. Debtor"])


def qpdf_keys(path) -> set[str]:
    """Every dictionary key of every object in the file, as qpdf reads it."""
    result = subprocess.run(
        ["qpdf", "--json=2", "--json-key=qpdf", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    keys: set[str] = set()
    stack = [json.loads(result.stdout)]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            keys.update(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return keys


@pytest.mark.parametrize("kind", hostile_pdfs.HOSTILE_ACTIONS)
def test_each_hostile_action_is_refused_in_plain_words_with_repair(tmp_path, kind):
    analysis = analyze(hostile_pdfs.make_action_pdf(tmp_path / f"{kind}.pdf", kind))
    (problem,) = analysis.problems
    expected = "unsafe_action" if kind.startswith("link_") else "auto_action"
    assert problem.code == expected
    assert problem.code in REPAIRABLE_CODES
    assert "Print the document to a new PDF" in problem.message
    assert "accept the corrected copy" in problem.message
    assert "/" not in problem.message  # no PDF jargon such as /GoToR


def test_refusal_names_what_the_action_does(tmp_path):
    gotor = analyze(hostile_pdfs.make_action_pdf(tmp_path / "a.pdf", "open_gotor"))
    assert "opens another file" in gotor.problems[0].message
    uri = analyze(hostile_pdfs.make_action_pdf(tmp_path / "b.pdf", "document_aa_uri"))
    assert "contacts an outside web address" in uri.problems[0].message
    submit = analyze(
        hostile_pdfs.make_action_pdf(tmp_path / "c.pdf", "open_submitform")
    )
    assert "sends form contents" in submit.problems[0].message
    unc = analyze(hostile_pdfs.make_action_pdf(tmp_path / "d.pdf", "link_unc_uri"))
    assert "file or network path" in unc.problems[0].message


@pytest.mark.parametrize("kind", hostile_pdfs.BENIGN_ACTIONS)
def test_what_word_and_acrobat_write_is_accepted(tmp_path, kind):
    """Open at a page (destination array or /GoTo), web and in-document links."""
    analysis = analyze(hostile_pdfs.make_action_pdf(tmp_path / f"{kind}.pdf", kind))
    assert analysis.problems == ()


@pytest.mark.parametrize("kind", hostile_pdfs.HOSTILE_ACTIONS)
def test_safe_repair_removes_the_action_and_lists_the_change(tmp_path, kind):
    src = hostile_pdfs.make_action_pdf(tmp_path / f"{kind}.pdf", kind)
    dst = tmp_path / "repaired.pdf"
    changes = repair_pdf(src, dst)
    assert any("Removed" in change for change in changes), changes
    assert analyze(dst).problems == ()
    assert len(PdfReader(dst).pages) == 2
    if not kind.startswith("link_"):
        assert {"/OpenAction", "/AA"}.isdisjoint(qpdf_keys(dst)) or kind == "open_goto"


def test_repair_keeps_web_links(tmp_path):
    """A web link beside a refused action survives the repair."""
    src = hostile_pdfs.make_action_pdf(tmp_path / "web.pdf", "link_https")
    assert repair_pdf(src, tmp_path / "none.pdf") == []  # nothing to repair


@pytest.mark.parametrize("kind", [*hostile_pdfs.BENIGN_ACTIONS, "annotation_aa_uri"])
def test_stamped_copy_has_no_auto_action_anywhere(tmp_path, kind):
    """Even accepted ones (open at a page) go: the served copy does nothing on open."""
    src = hostile_pdfs.make_action_pdf(tmp_path / f"{kind}.pdf", kind)
    dst = tmp_path / "stamped.pdf"
    stamp_pdf(src, dst, lambda page, pages: f"Case 24-10001 Doc 1 Page {page}")
    keys = qpdf_keys(dst)
    assert "/OpenAction" not in keys
    assert "/AA" not in keys
    if kind == "link_https":
        # The link itself stays: a brief may cite a statute online.
        annotations = pdf_array(PdfReader(dst).pages[0]["/Annots"])
        (link,) = [pdf_dict(a) for a in annotations]
        assert str(pdf_dict(link["/A"])["/URI"]).startswith(
            "https://www.law.cornell.edu/"
        )


@pytest.mark.parametrize(
    "address",
    [
        "https://www.uscourts.gov/",
        "http://example.com/a?b=c",
        "mailto:clerk@example.gov",
        "tel:+16195550100",
        "www.law.cornell.edu/uscode",
    ],
)
def test_web_addresses_are_web(address):
    assert is_web_address(address)


@pytest.mark.parametrize(
    "address",
    [
        "\\\\host\\share\\x.pdf",
        "file:///C:/x.pdf",
        "file://host/share/x.pdf",
        "smb://host/share",
        "//host/share/x.pdf",
        "javascript:alert(1)",
        "C:\\x.pdf",
    ],
)
def test_file_and_network_paths_are_not_web(address):
    assert not is_web_address(address)
