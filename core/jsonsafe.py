"""Parse untrusted JSON with its nesting depth and size bounded before parsing.

Python's json module recurses once per level: a value nested a few thousand
deep (10 KB of brackets) raises RecursionError, which no caller expects, and
every walk over the result recurses as deeply. So the depth is counted first,
with a regular expression that skips string contents, and a document deeper
than `max_depth` or longer than `max_chars` is refused with a plain message
before json.loads sees it.
"""

from __future__ import annotations

import json
import re
from typing import Any

# Real request bodies nest a handful of levels (a batch of claims is 3 deep).
MAX_DEPTH = 32
MAX_CHARS = 10 << 20

_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


class JsonRefused(ValueError):
    """Not parsed: too deep, too long, or not JSON. `message` is in plain words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def depth(text: str) -> int:
    """The deepest nesting of arrays and objects in `text` (strings skipped)."""
    deepest = level = 0
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            level += 1
            deepest = max(deepest, level)
        elif token in ("]", "}"):
            level -= 1
    return deepest


def loads(
    raw: str | bytes,
    *,
    name: str = "The request body",
    max_depth: int = MAX_DEPTH,
    max_chars: int = MAX_CHARS,
) -> Any:
    """json.loads for untrusted input; raises JsonRefused instead of anything else."""
    if isinstance(raw, bytes | bytearray):
        try:
            raw = bytes(raw).decode("utf-8")
        except UnicodeDecodeError as error:
            raise JsonRefused(f"{name} is not valid UTF-8 JSON.") from error
    if len(raw) > max_chars:
        raise JsonRefused(
            f"{name} is too long ({len(raw):,} characters; at most {max_chars:,})."
        )
    if depth(raw) > max_depth:
        raise JsonRefused(
            f"{name} is nested too deeply (at most {max_depth} levels of "
            "arrays and objects)."
        )
    try:
        return json.loads(raw)
    except (ValueError, RecursionError) as error:
        raise JsonRefused(f"{name} is not valid JSON.") from error
