"""Compile the translation catalogues (locale/<lang>/LC_MESSAGES/django.po -> .mo) in
pure Python, so no machine needs GNU gettext to build or check them.

    python scripts/messages.py compile   # write every django.mo from its django.po
    python scripts/messages.py check     # exit 1 if a django.mo is not what its .po gives

The .mo files are committed; tests/core/test_i18n.py fails when one is out of date.
Extracting new messages (`manage.py makemessages -l es`) needs GNU gettext's xgettext;
only the translators' step does.

The .mo layout is GNU gettext's (the same as CPython's Tools/i18n/msgfmt.py writes):
entries sorted by msgid, fuzzy and untranslated entries left out.
"""

from __future__ import annotations

import array
import ast
import struct
import sys
from dataclasses import dataclass, field
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


@dataclass
class Entry:
    msgid: str
    msgstr: list[str] = field(default_factory=list)
    msgctxt: str | None = None
    msgid_plural: str | None = None
    fuzzy: bool = False


def _unquote(line: str) -> str:
    return ast.literal_eval(line)


def read_po(path: Path) -> list[Entry]:
    """Return the entries of a .po file (the header is the entry with msgid "")."""
    entries: list[Entry] = []
    cur: dict = {}
    key = None
    fuzzy = False

    def flush() -> None:
        nonlocal cur, fuzzy
        if "msgid" in cur:
            plural = sorted(k for k in cur if k.startswith("msgstr["))
            msgstr = [cur[k] for k in plural] if plural else [cur.get("msgstr", "")]
            entries.append(
                Entry(
                    msgid=cur["msgid"],
                    msgstr=msgstr,
                    msgctxt=cur.get("msgctxt"),
                    msgid_plural=cur.get("msgid_plural"),
                    fuzzy=fuzzy,
                )
            )
        cur, fuzzy = {}, False

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            flush()
            key = None
            continue
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            cur[key] += _unquote(line)
            continue
        key, _, rest = line.partition(" ")
        if key in cur and key in ("msgid", "msgctxt"):
            flush()
        cur[key] = _unquote(rest)
    flush()
    return entries


def _quote(text: str) -> str:
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\t", "\\t")
    )
    return f'"{escaped}"'


def write_po(path: Path, entries: list[Entry]) -> None:
    out = []
    for e in entries:
        lines = []
        if e.fuzzy:
            lines.append("#, fuzzy")
        if e.msgctxt is not None:
            lines.append(f"msgctxt {_quote(e.msgctxt)}")
        if e.msgid == "":
            lines.append('msgid ""')
            lines.append('msgstr ""')
            lines.extend(_quote(x + "\n") for x in e.msgstr[0].splitlines())
        else:
            lines.append(f"msgid {_quote(e.msgid)}")
            if e.msgid_plural is not None:
                lines.append(f"msgid_plural {_quote(e.msgid_plural)}")
                lines.extend(f"msgstr[{i}] {_quote(s)}" for i, s in enumerate(e.msgstr))
            else:
                lines.append(f"msgstr {_quote(e.msgstr[0])}")
        out.append("\n".join(lines))
    path.write_text("\n\n".join(out) + "\n", encoding="utf-8")


def mo_bytes(entries: list[Entry]) -> bytes:
    """The GNU .mo image of the translated, non-fuzzy entries (and the header)."""
    messages: dict[str, str] = {}
    for e in entries:
        if e.fuzzy and e.msgid:
            continue
        if e.msgid and not all(e.msgstr):
            continue
        key = e.msgid
        if e.msgid_plural is not None:
            key += "\0" + e.msgid_plural
        if e.msgctxt is not None:
            key = e.msgctxt + "\x04" + key
        messages[key] = "\0".join(e.msgstr)
    keys = sorted(messages)
    ids = strs = b""
    offsets = []
    for k in keys:
        kb, vb = k.encode("utf-8"), messages[k].encode("utf-8")
        offsets.append((len(ids), len(kb), len(strs), len(vb)))
        ids += kb + b"\0"
        strs += vb + b"\0"
    keystart = 7 * 4 + 16 * len(keys)
    valuestart = keystart + len(ids)
    koffsets: list[int] = []
    voffsets: list[int] = []
    for o1, l1, o2, l2 in offsets:
        koffsets += [l1, o1 + keystart]
        voffsets += [l2, o2 + valuestart]
    header = struct.pack(
        "Iiiiiii",
        0x950412DE,
        0,
        len(keys),
        7 * 4,
        7 * 4 + len(keys) * 8,
        0,
        0,
    )
    return (
        header
        + array.array("i", koffsets).tobytes()
        + array.array("i", voffsets).tobytes()
        + ids
        + strs
    )


def catalogues() -> list[Path]:
    return sorted(LOCALE_DIR.glob("*/LC_MESSAGES/django.po"))


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "check"
    stale = []
    for po in catalogues():
        mo = po.with_suffix(".mo")
        data = mo_bytes(read_po(po))
        if command == "compile":
            mo.write_bytes(data)
            print(f"wrote {mo.relative_to(LOCALE_DIR.parent)}")
        elif not mo.exists() or mo.read_bytes() != data:
            stale.append(str(mo))
    if stale:
        print("out of date (run: python scripts/messages.py compile):", *stale)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
