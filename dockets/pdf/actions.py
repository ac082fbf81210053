"""PDF actions: which ones the court refuses, and how a copy is made without them.

An action (PDF 32000-1 12.6) is what a reader does on an event. Two kinds matter:

- Auto actions fire with no click: the catalog's /OpenAction, and every /AA
  ("additional actions") dictionary, on the document (close, save, print),
  on a page (open, close), on an annotation (page visible, focus) or on a form
  field (keystroke, format, calculate). The only ones allowed are what Word and
  Acrobat write to open at a page: an explicit destination array or a plain
  in-document /GoTo. Anything else, a /URI to an outside host ("phones home"
  whenever a judge opens the file), /GoToR or /ImportData at a UNC path (a
  Windows reader sends its login hash to that host), /SubmitForm, is refused.
- Click actions (links, bookmarks, buttons): links to web addresses and within
  the document stay (a brief cites a statute online); actions that open other
  files, send or clear form data, hide content, or run reader menu commands are
  refused, as is a "link" to a file or network path.

JavaScript, launch and media actions are refused by validation.py's own walk.

Every refusal here is repairable: `strip_actions` removes the offending actions
(and, for the copy ECF serves, every auto action) from a pypdf writer.

Pure: no Django.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    PdfObject,
)

# Named actions that move around the document (12.6.4.11, and Acrobat's
# "GoBack"/"GoForward" that converted documents use for "back" links).
NAVIGATION_NAMES = frozenset(
    {"/NextPage", "/PrevPage", "/FirstPage", "/LastPage", "/GoBack", "/GoForward"}
)
# Click actions refused wherever they are: each reaches outside the document or
# changes what it shows.
REFUSED_KINDS = {
    "/GoToR": "opens another file",
    "/GoToE": "opens a file inside another file",
    "/ImportData": "imports form data from another file",
    "/SubmitForm": "sends form contents to an outside address",
    "/ResetForm": "clears form fields",
    "/Hide": "hides or shows parts of the document",
}
# Refused (and not repairable) by validation.py's own walk, wherever they are.
REFUSED_ELSEWHERE = frozenset(
    {"/JavaScript", "/Launch", "/Sound", "/Movie", "/Rendition", "/RichMediaExecute"}
)
# URI schemes a link may use; anything else (file:, smb:, javascript:) is refused.
WEB_SCHEMES = frozenset({"http", "https", "mailto", "tel", "ftp"})
# Links in an action's /Next chain followed; a longer chain is refused.
MAX_CHAIN = 64


@dataclass(frozen=True)
class ActionFinding:
    """One refused action: `auto` if it fires without a click; `what` in plain words."""

    auto: bool
    what: str


def is_action(value: Any) -> bool:
    return isinstance(value, DictionaryObject) and isinstance(
        _get(value, "/S"), NameObject
    )


def auto_actions_of(item: DictionaryObject, *, is_catalog: bool) -> Iterator[Any]:
    """The raw auto actions `item` holds: its /AA entries, and /OpenAction of a catalog."""
    additional = _get(item, "/AA")
    if isinstance(additional, DictionaryObject):
        yield from dict.values(additional)
    if is_catalog:
        opening = _get(item, "/OpenAction")
        if opening is not None:
            yield opening


def check_auto_action(raw: Any) -> list[ActionFinding]:
    """Problems with one auto action (or /OpenAction value), its /Next chain included."""
    value = _resolve(raw)
    if value is None or isinstance(value, ArrayObject | NameObject | str | bytes):
        return []  # a destination (explicit, or named): open at this page
    if not is_action(value):
        return [ActionFinding(True, "does something the court cannot check")]
    findings = []
    for action in _chain(value):
        if action is None:
            findings.append(ActionFinding(True, "chains more actions than allowed"))
            break
        kind = str(_get(action, "/S"))
        if kind == "/GoTo" or kind in REFUSED_ELSEWHERE:
            continue
        findings.append(ActionFinding(True, _describe(action, kind)))
    return findings


def check_click_action(raw: Any) -> list[ActionFinding]:
    """Problems with one action run by a click (a link, bookmark or button)."""
    value = _resolve(raw)
    if not is_action(value):
        return []
    findings = []
    for action in _chain(value):
        if action is None:
            findings.append(ActionFinding(False, "chains more actions than allowed"))
            break
        kind = str(_get(action, "/S"))
        if kind in REFUSED_KINDS:
            findings.append(ActionFinding(False, REFUSED_KINDS[kind]))
        elif kind == "/Named" and str(_get(action, "/N")) not in NAVIGATION_NAMES:
            findings.append(ActionFinding(False, "runs a PDF reader menu command"))
        elif kind == "/URI" and not is_web_address(_get(action, "/URI")):
            findings.append(ActionFinding(False, "links to a file or network path"))
    return findings


def is_web_address(value: Any) -> bool:
    """True for a web, mail or phone link; false for file, network and other paths."""
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    text = str(value or "").strip()
    if "\\" in text or text.startswith("//"):
        return False  # a UNC path, or a scheme-relative address to any host
    try:
        scheme = urlsplit(text).scheme.lower()
    except ValueError:
        return False
    # A bare "www.example.com" (no scheme) is how some writers store web links.
    return scheme in WEB_SCHEMES or (scheme == "" and ":" not in text)


def _describe(action: DictionaryObject, kind: str) -> str:
    if kind == "/URI":
        return "contacts an outside web address"
    if kind in REFUSED_KINDS:
        return REFUSED_KINDS[kind]
    if kind == "/Named":
        return "runs a PDF reader menu command"
    return "performs an action"


def _chain(action: DictionaryObject) -> Iterator[DictionaryObject | None]:
    """The action and every action its /Next entries lead to; None if too many."""
    stack: list[Any] = [action]
    seen: set[int] = set()
    count = 0
    while stack:
        item = _resolve(stack.pop())
        if isinstance(item, ArrayObject):
            stack.extend(reversed(list(list.__iter__(item))))
            continue
        if not is_action(item) or id(item) in seen:
            continue
        seen.add(id(item))
        count += 1
        if count > MAX_CHAIN:
            yield None
            return
        yield item
        following = dict.get(item, "/Next")
        if following is not None:
            stack.append(following)


def describe_findings(findings: list[ActionFinding]) -> list[tuple[str, str]]:
    """(code, message) for each kind of refused action found, in plain words."""
    problems = []
    auto = sorted({finding.what for finding in findings if finding.auto})
    if auto:
        problems.append(
            (
                "auto_action",
                "This PDF is set to act on its own when it or a page is opened "
                f"(it {_join(auto)}). The court cannot accept a PDF that does "
                "anything without a click. Print the document to a new PDF and "
                "upload that copy, or accept the corrected copy with these "
                "actions removed if one is offered.",
            )
        )
    click = sorted({finding.what for finding in findings if not finding.auto})
    if click:
        problems.append(
            (
                "unsafe_action",
                f"This PDF has a link or button that {_join(click)}, which the "
                "court cannot accept (links to web addresses are fine). Print the "
                "document to a new PDF and upload that copy, or accept the "
                "corrected copy with these actions removed if one is offered.",
            )
        )
    return problems


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def strip_actions(writer: PdfWriter, *, all_auto: bool) -> list[str]:
    """Remove refused actions from every object of `writer`; describe what went.

    With `all_auto`, every /AA and any /OpenAction goes (the copy ECF serves
    does nothing on its own); otherwise only the auto actions validation
    refuses, plus refused click actions (/A of links, bookmarks, buttons).
    """
    removed_auto = 0
    removed_click = 0
    catalog = writer.root_object
    for item in _writer_dictionaries(writer):
        is_catalog = item is catalog
        if "/AA" in item and (
            all_auto
            or any(
                check_auto_action(a) for a in auto_actions_of(item, is_catalog=False)
            )
        ):
            del item["/AA"]
            removed_auto += 1
        if (
            is_catalog
            and "/OpenAction" in item
            and (all_auto or check_auto_action(dict.get(item, "/OpenAction")))
        ):
            del item["/OpenAction"]
            removed_auto += 1
        if "/A" in item and check_click_action(dict.get(item, "/A")):
            del item["/A"]
            removed_click += 1
    changes = []
    if removed_auto:
        changes.append(
            "Removed actions that would run on their own when the document or a "
            "page is opened (such as opening another file or contacting a web "
            "address)."
        )
    if removed_click:
        changes.append(
            "Removed links or buttons that would open other files, send or clear "
            "form data, or run reader commands; links to web addresses are kept."
        )
    return changes


def _writer_dictionaries(writer: PdfWriter) -> Iterator[DictionaryObject]:
    """Every dictionary in the writer, indirect or nested, each once."""
    stack: list[Any] = [writer.root_object]
    stack += [obj for obj in writer._objects if obj is not None]
    seen: set[int] = set()
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if item.pdf is not writer:
                continue
            item = item.get_object()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, DictionaryObject):
            yield item
            stack.extend(
                value
                for value in dict.values(item)
                if isinstance(value, DictionaryObject | ArrayObject)
            )
        elif isinstance(item, ArrayObject):
            stack.extend(
                value
                for value in list.__iter__(item)
                if isinstance(value, DictionaryObject | ArrayObject)
            )


def _get(item: DictionaryObject, key: str) -> Any:
    return _resolve(dict.get(item, key))


def _resolve(value: PdfObject | None) -> Any:
    """Follow one reference; a missing object is null (PDF 32000-1 7.3.10).

    Checked against the xref table first, so pypdf never searches the whole
    file for an object that is not there.
    """
    if isinstance(value, IndirectObject):
        reader = value.pdf
        if isinstance(reader, PdfReader) and not (
            (value.generation == 0 and value.idnum in reader.xref_objStm)
            or value.idnum in reader.xref.get(value.generation, {})
        ):
            return None
        return value.get_object()
    return value
