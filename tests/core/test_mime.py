"""core.mime builds an e-mail's bytes once per batch: byte for byte what Django sends.

The mail server (and every reader) sees exactly what Django's EmailMultiAlternatives
would have produced for the same message, Date and boundary; anything the Framer does
not build the plain way is left to Django.
"""

from __future__ import annotations

import pytest
from django.core.mail import EmailMultiAlternatives

from core.mime import Framer

NEF_TEXT = (
    "***NOTE TO PUBLIC ACCESS USERS*** Judicial Conference policy...\n\n"
    "U.S. Bankruptcy Court\n\nNotice of Electronic Filing\n\n"
    "The following transaction was received from Ana Attorney entered on 12/5/2026 at "
    "9:24 AM EST and filed on 12/5/2026\nCase Name: Gonzalez, Maria\n"
    "Document: https://ecf.example-court.gov/doc1/123?pdf_header=&magic_num=884422&"
    "de_seq_num=17&caseid=9\n\nDocket Text:\nMotion to extend time\n"
)
NEF_HTML = (
    "<p><b>Notice of Electronic Filing</b></p>\n<table><tr><td>Case Name:</td>"
    "<td>Gonzalez, Maria</td></tr></table>\n"
    '<a href="https://ecf.example-court.gov/doc1/123?pdf_header=&amp;magic_num=884422">'
    "1</a><br>\n"
)


def django_bytes(framer: Framer, *, to: str, mid: str, text: str, html: str, nl: str):
    """What Django sends for the same message, with the framer's Date and boundary."""
    mail = EmailMultiAlternatives(
        subject=framer.subject,
        body=text,
        from_email=framer.from_email,
        to=[to],
        headers={"Message-ID": mid},
    )
    mail.attach_alternative(html, "text/html")
    message = mail.message()
    message.replace_header("Date", framer.date)
    message.set_boundary(framer.boundary)
    return message.as_bytes(linesep=nl)


CASES = [
    # (subject, from, to, text, html)
    (
        "Ch-7 24-10001-LT7 Gonzalez, Maria Motion to Extend Time",
        "ecf-notice@localhost",
        "attorney@example.com",
        NEF_TEXT,
        NEF_HTML,
    ),
    (
        # Longer than a header line: folded as Django folds it.
        "Ch-11 24-10001-LT11 A very long case name, Incorporated, and its affiliated "
        "debtors Notice of Hearing on the Motion for Relief from the Automatic Stay",
        "U.S. Bankruptcy Court ECF <ecf-notice@example-court.gov>",
        "trustee.office-13@example.com",
        NEF_TEXT + "Zoë Ñúñez — “quoted” ✓\n",  # non-ASCII: 8bit
        NEF_HTML.replace("Gonzalez", "Gonz&aacute;lez é"),
    ),
    (
        "Subject",
        "ecf@localhost",
        "a@b.co",
        "no newline at the end",
        "<p>crlf\r\nand lone cr\rline</p>\r\n",
    ),
    (
        "From the clerk",
        "ecf@localhost",
        "a@b.co",
        "From here on\n.\n..\nline after dots\n" + "x" * 998 + "\n" + "é" * 499,
        "<p>x</p>",
    ),
]


@pytest.mark.parametrize("nl", ["\n", "\r\n"])
@pytest.mark.parametrize(("subject", "sender", "to", "text", "html"), CASES)
def test_the_framer_s_bytes_are_django_s(settings, nl, subject, sender, to, text, html):
    framer = Framer(subject=subject, from_email=sender)
    mid = "<ecf-message-42.20261205092436123456@example-court.gov>"
    mail = framer.email(to_email=to, message_id=mid, text=text, html=html)
    assert mail is not None
    ours = mail.message().as_bytes(linesep=nl)
    assert ours == django_bytes(framer, to=to, mid=mid, text=text, html=html, nl=nl)
    # The backends read the rest from the EmailMessage itself, as Django's.
    assert mail.recipients() == [to]
    assert mail.from_email == sender
    assert mail.body == text and mail.alternatives[0][0] == html
    # A second copy of the batch: its own To, Message-ID and links, the same frame.
    other = framer.email(
        to_email="second@example.com",
        message_id=mid.replace("42", "43"),
        text=text.replace("884422", "105"),
        html=html.replace("884422", "105"),
    )
    assert other is not None
    assert other.message().as_bytes(linesep=nl) == django_bytes(
        framer,
        to="second@example.com",
        mid=mid.replace("42", "43"),
        text=text.replace("884422", "105"),
        html=html.replace("884422", "105"),
        nl=nl,
    )


@pytest.mark.parametrize(
    ("subject", "to", "text", "html"),
    [
        ("Notice for Zoë", "a@b.co", "t", "<p>h</p>"),  # RFC 2047 subject
        ("Subject", "zoë@b.co", "t", "<p>h</p>"),  # non-ASCII address
        ("Subject", "Ana Attorney <a@b.co>", "t", "<p>h</p>"),  # a display name
        ("Subject", "a" * 70 + "@b.co", "t", "<p>h</p>"),  # a long address
        ("Subject", "a@b.co", "x" * 999, "<p>h</p>"),  # quoted-printable in Django
        ("Subject", "a@b.co", "é" * 500, "<p>h</p>"),  # 1,000 bytes: the same
        ("Subject", "a@b.co", "t", "<p>" + "y" * 1000 + "</p>"),
        ("Subject", "a@b.co", "t", ""),  # no HTML part: one part, Django's
        ("Subject", "a@b.co", "", "<p>h</p>"),  # no text part: Django's
        ("Subject", "a@b.co", "lone \udcff surrogate", "<p>h</p>"),
        ("Two\nlines", "a@b.co", "t", "<p>h</p>"),  # Django refuses it
    ],
)
def test_what_the_framer_does_not_build_plainly_is_left_to_django(
    subject, to, text, html
):
    framer = Framer(subject=subject, from_email="ecf@localhost")
    assert framer.email(to_email=to, message_id="<m@x>", text=text, html=html) is None


def test_a_body_holding_the_boundary_is_left_to_django():
    framer = Framer(subject="Subject", from_email="ecf@localhost")
    inside = f"a line\n--{framer.boundary}\n"
    assert (
        framer.email(to_email="a@b.co", message_id="<m@x>", text=inside, html="h")
        is None
    )
    assert (
        framer.email(to_email="a@b.co", message_id="<m@x>", text="t", html=inside)
        is None
    )
    assert framer.email(to_email="a@b.co", message_id="<m@x>", text="t", html="h")
