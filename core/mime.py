"""The bytes of an outgoing e-mail, built once per batch where Django would build them per message.

Why: Django builds each message as a tree of email.mime objects and flattens it with
email.generator; for a notice e-mailed to many readers that was about a third of the
pipeline's CPU (issue 21): every copy folds the same headers again, compiles a new
regular expression for its random boundary and walks its parts. The copies of one
notice differ only in their To, Message-ID and bodies (their own links).

`Framer` builds what all messages of a batch share once (the folded Subject, From and
Date headers, the boundary and the part headers) and each message's bytes from it,
byte for byte what Django's EmailMultiAlternatives would send with the same Date and
boundary (tests/core/test_mime.py compares the two on ordinary and awkward input).
Anything outside the plain case (a message without both a text and an HTML part,
a non-ASCII or long address, a body line longer
than RFC 5322's 998 bytes that Django would send quoted-printable, a body that holds
the boundary) is left to Django: `Framer.email` returns None and the caller builds
the message the usual way.
"""

from __future__ import annotations

import random
import re
import sys
from email import policy as email_policy
from email.header import Header
from email.utils import formatdate
from functools import cache

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import RFC5322_EMAIL_LINE_LENGTH_LIMIT

# email.generator's own line split (NLCRE): \r\n, \r or \n, each written as the
# message's line separator.
_NEWLINES = re.compile(r"\r\n|\r|\n")
# A header value written as it is (no folding, no encoding): printable ASCII without
# spaces (an address, a Message-ID); with the name and ": ", at most 78 characters
# (compat32's max_line_length).
_PLAIN_VALUE = re.compile(r"[!-~]+")
_MAX_HEADER_LINE = 78


@cache
def _policy(linesep: str):
    return email_policy.compat32.clone(linesep=linesep)


def _header(name: str, value: str, linesep: str) -> bytes:
    """`name: value` as email.generator.BytesGenerator writes it (compat32's folding)."""
    if len(name) + 2 + len(value) <= _MAX_HEADER_LINE and _PLAIN_VALUE.fullmatch(value):
        return f"{name}: {value}{linesep}".encode("ascii")
    return _policy(linesep).fold_binary(name, value)


def _plain_header_value(value: str) -> bool:
    """An address or id Django would put in the header unchanged, and that needs no
    folding: every other value goes through Django."""
    return (
        len(value) + 12 <= _MAX_HEADER_LINE
        and _PLAIN_VALUE.fullmatch(value) is not None
    )


def _sendable_here(text: str) -> bool:
    """Whether Django would send `text` as utf-8 in 7bit or 8bit (what is built
    here): not when a line is longer than RFC 5322 allows (Django sends it
    quoted-printable) or the text cannot be encoded (Django raises)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    lines = text.splitlines()  # Django's own split for this check
    longest = max(map(len, lines), default=0)
    # A character is at most 4 bytes; ASCII is one.
    if longest * (1 if text.isascii() else 4) <= RFC5322_EMAIL_LINE_LENGTH_LIMIT:
        return True
    return not any(
        len(line.encode(errors="surrogateescape")) > RFC5322_EMAIL_LINE_LENGTH_LIMIT
        for line in lines
    )


def _body(text: str, linesep: str) -> tuple[bytes, str]:
    """The body's bytes and Content-Transfer-Encoding as Django's SafeMIMEText writes
    them (utf-8, 7bit or 8bit; `_sendable_here` says whether it would)."""
    encoded = _NEWLINES.sub(linesep, text).encode("utf-8")
    return encoded, "7bit" if encoded.isascii() else "8bit"


class Framer:
    """What the messages of one batch share, built once; each message's bytes from it.

    `subject` and `from_email` are the batch's (every message of a notice has the
    same); the Date is the batch's time (Django would stamp each message when it is
    built, a few milliseconds apart).
    """

    def __init__(self, *, subject: str, from_email: str) -> None:
        self.subject = subject
        self.from_email = from_email
        self.date = formatdate(localtime=settings.EMAIL_USE_LOCALTIME)
        # email.generator's format (15 '=', 19 digits, '=='), one per batch.
        self.boundary = "=" * 15 + f"{random.randrange(sys.maxsize):019d}" + "=="  # noqa: S311 (a MIME boundary, not a secret)
        self._shared: dict[str, tuple[bytes, bytes] | None] = {}

    def _shared_headers(self, linesep: str) -> tuple[bytes, bytes] | None:
        """The folded headers before To, and the Date header, for `linesep`; None if
        the subject or sender is not plain enough to build here."""
        if linesep not in self._shared:
            self._shared[linesep] = self._build_shared(linesep)
        return self._shared[linesep]

    def _build_shared(self, linesep: str) -> tuple[bytes, bytes] | None:
        subject, sender = self.subject, self.from_email
        if not (subject.isascii() and sender.isascii()):
            return None  # Django encodes these (RFC 2047): left to it
        if any(c in subject + sender for c in "\r\n"):
            return None  # Django refuses them (BadHeaderError)
        head = (
            _header(
                "Content-Type",
                f'multipart/alternative; boundary="{self.boundary}"',
                linesep,
            )
            + _header("MIME-Version", "1.0", linesep)
            # What Django's forbid_multi_line_headers stores for an ASCII subject.
            + _header("Subject", Header(subject).encode(), linesep)
            + _header("From", sender, linesep)
        )
        return head, _header("Date", self.date, linesep)

    def email(
        self, *, to_email: str, message_id: str, text: str, html: str, connection=None
    ) -> EmailMultiAlternatives | None:
        """The message to send (its MIME bytes built here), or None if Django must build it."""
        if not (text and html) or not _plain_header_value(to_email):
            return None
        if not _plain_header_value(message_id):
            return None
        marker = "--" + self.boundary
        if marker in text or marker in html or self._shared_headers("\n") is None:
            return None
        if not (_sendable_here(text) and _sendable_here(html)):
            return None
        mail = _Framed(
            framer=self,
            to_email=to_email,
            message_id=message_id,
            text=text,
            html=html,
            subject=self.subject,
            body=text,
            from_email=self.from_email,
            to=[to_email],
            headers={"Message-ID": message_id},
            connection=connection,
        )
        mail.attach_alternative(html, "text/html")
        return mail

    def as_bytes(
        self, *, to_email: str, message_id: str, text: str, html: str, linesep: str
    ) -> bytes:
        shared = self._shared_headers(linesep)
        assert shared is not None  # noqa: S101 (email() built no message otherwise)
        head, date = shared
        text_part, html_part = _body(text, linesep), _body(html, linesep)
        nl = linesep.encode("ascii")
        marker = b"--" + self.boundary.encode("ascii")
        return b"".join(
            [
                head,
                _header("To", to_email, linesep),
                date,
                _header("Message-ID", message_id, linesep),
                nl,
                marker,
                nl,
                _part_headers("plain", text_part[1], linesep),
                text_part[0],
                nl,
                marker,
                nl,
                _part_headers("html", html_part[1], linesep),
                html_part[0],
                nl,
                marker,
                b"--",
                nl,
            ]
        )


@cache
def _part_headers(subtype: str, transfer_encoding: str, linesep: str) -> bytes:
    return (
        _header("Content-Type", f'text/{subtype}; charset="utf-8"', linesep)
        + _header("MIME-Version", "1.0", linesep)
        + _header("Content-Transfer-Encoding", transfer_encoding, linesep)
        + linesep.encode("ascii")
    )


class _Framed(EmailMultiAlternatives):
    """An EmailMultiAlternatives whose message() is the Framer's bytes (every other
    attribute as Django's: the backends read the recipients and sender from it)."""

    def __init__(
        self,
        *,
        framer: Framer,
        to_email: str,
        message_id: str,
        text: str,
        html: str,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self._framer, self._to_email, self._message_id = framer, to_email, message_id
        self._text, self._html = text, html

    def message(self):
        return _FramedMessage(self)


class _FramedMessage:
    """What the mail backends use of a message: as_bytes(linesep=...) (smtp, file,
    console, locmem) and get_charset() (console); anything else from the parsed bytes."""

    def __init__(self, mail: _Framed) -> None:
        self._mail = mail

    def as_bytes(self, unixfrom: bool = False, linesep: str = "\n") -> bytes:
        mail = self._mail
        return mail._framer.as_bytes(
            to_email=mail._to_email,
            message_id=mail._message_id,
            text=mail._text,
            html=mail._html,
            linesep=linesep,
        )

    def get_charset(self):
        return None  # a multipart message has none (console decodes as utf-8)

    def __getattr__(self, name: str):
        from email import message_from_bytes

        return getattr(message_from_bytes(self.as_bytes()), name)
