"""Check every stored document (the original and its stamped copy) against its SHA-512 digest."""

import hashlib
from collections.abc import Iterator

from .models import Document


def _digest(field) -> str:
    sha = hashlib.sha512()
    with field.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            sha.update(chunk)
    field.close()
    return sha.hexdigest()


def _check(document: Document, field, expected: str, label: str) -> str | None:
    try:
        actual = _digest(field)
    except (OSError, ValueError) as exc:
        return f"Document #{document.pk} ({label}): the file {field.name} cannot be read ({exc.__class__.__name__})."
    if actual != expected:
        return f"Document #{document.pk} ({label}): the file {field.name} does not match its SHA-512 digest."
    return None


def verify_documents(*, using: str = "default") -> Iterator[tuple[str, str | None]]:
    """Yield (kind, problem or None) for every file checked; kind is 'original' or 'stamped'."""
    documents = Document.objects.using(using).only(
        "id", "original", "sha512", "stamped", "stamped_sha512"
    )
    for document in documents.order_by("id").iterator(chunk_size=500):
        yield (
            "original",
            _check(document, document.original, document.sha512, "original"),
        )
        if document.stamped_sha512 or document.stamped:
            if not document.stamped:
                yield (
                    "stamped",
                    f"Document #{document.pk} (stamped copy): the digest is recorded but the file is missing.",
                )
            elif not document.stamped_sha512:
                yield (
                    "stamped",
                    f"Document #{document.pk} (stamped copy): the file has no recorded digest.",
                )
            else:
                yield (
                    "stamped",
                    _check(
                        document,
                        document.stamped,
                        document.stamped_sha512,
                        "stamped copy",
                    ),
                )
