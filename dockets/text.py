"""Docket text, composed the CM/ECF way (reference/cmecf.md 6.2):

`<event text> Filed by <attorney> on behalf of <party>. (RE: related document(s) 11
Motion for Relief from Stay) (Attachments: # 1 Exhibit A # 2 Proposed Order) Fee Amount $199`
"""

from collections.abc import Iterable, Sequence


def money(cents: int) -> str:
    """`$199` for whole dollars, `$32,611.40` otherwise."""
    dollars, rest = divmod(int(cents), 100)
    return f"${dollars:,}" if rest == 0 else f"${dollars:,}.{rest:02d}"


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def event_text(template: str, fields: dict) -> str:
    """Fill an event's docket text template with its field values (missing ones blank)."""
    values = _Blank({k: ("" if v is None else str(v)) for k, v in fields.items()})
    return " ".join(template.format_map(values).split())


def build_docket_text(
    *,
    event_texts: Sequence[str],
    filer_name: str = "",
    party_names: Sequence[str] = (),
    joint_filers: Sequence[str] = (),
    related: Iterable[tuple[int | None, str]] = (),
    attachments: Sequence[str] = (),
    fee_cents: int = 0,
    fee_note: str = "",
    suffix: str = "",
) -> str:
    """Compose the docket text of one entry from its parts."""
    parts = ["; ".join(t.rstrip(". ") for t in event_texts if t) + "."]
    if filer_name:
        by = filer_name if not joint_filers else ", ".join([filer_name, *joint_filers])
        line = f"Filed by {by}"
        if party_names:
            line += " on behalf of " + ", ".join(party_names)
        parts.append(line + ".")
    related = list(related)
    if related:
        refs = " ".join(f"{n} {t}".strip() if n else t for n, t in related)
        parts.append(f"(RE: related document(s) {refs})")
    if attachments:
        parts.append(
            "(Attachments: "
            + " ".join(f"# {i} {d}" for i, d in enumerate(attachments, 1))
            + ")"
        )
    if suffix:
        parts.append(suffix.strip())
    if fee_cents:
        parts.append(
            f"Fee Amount {money(fee_cents)}" + (f". {fee_note}" if fee_note else "")
        )
    return " ".join(p for p in parts if p)
