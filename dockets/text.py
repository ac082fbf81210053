"""Docket text, composed the CM/ECF way (reference/cmecf.md 6.2):

`<event text> Filed by <attorney> on behalf of <party>. (RE: related document(s) 11
Motion for Relief from Stay) (Attachments: # 1 Exhibit A # 2 Proposed Order) Fee Amount $199`
"""

import string
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


# Optional details the filer gave that the template does not name, and how CM/ECF
# writes them (cmecf.md 6.2: "Hearing scheduled for 5/15/2024 at 10:00 AM ...";
# casb: "Motion for Relief from Stay, RS #PD-1 (Real Property: 4209 45th Street ...)").
SCHEDULED = {"hearing": "Hearing", "pretrial": "Pre-trial conference"}
NOT_IN_TEXT = {"note"}  # a note to the filer is not docket text


def event_text_for(event, shown: dict) -> str:
    """An event's own text: its template filled, then the optional details given.

    `shown` holds the values as docket text prints them (dates as 12/10/2026, money as
    $1,250). The property of a relief motion joins the relief ("Real Property: 4120
    Ocean View Blvd"); a hearing reads "Hearing scheduled for ..."; any other optional
    detail reads "<Label>: <value>." Yes/no answers are not printed.
    """
    values = {k: v for k, v in shown.items() if v not in (None, "")}
    template = event.docket_text
    named = {name for _lit, name, _s, _c in string.Formatter().parse(template) if name}
    if values.get("property") and "property" not in named:
        values["property_type"] = ": ".join(
            v for v in (values.get("property_type"), values.pop("property")) if v
        )
    text = event_text(template, values)
    extra = []
    for spec in event.fields:
        name = spec["name"]
        value = values.get(name)
        if name in named or not value or spec["kind"] == "bool" or name in NOT_IN_TEXT:
            continue
        if name == "property":
            continue
        if spec["kind"] == "hearing":
            extra.append(f"{SCHEDULED.get(name, spec['label'])} scheduled for {value}")
        else:
            extra.append(f"{spec['label']}: {value}")
    if not extra:
        return text
    return " ".join([sentence(text), *(sentence(e) for e in extra)])


def sentence(text: str) -> str:
    """End `text` with exactly one period ("N.A." stays "N.A.", never "N.A..")."""
    text = " ".join(text.split())
    if not text or text.endswith((".", "?", "!")):
        return text
    return text + "."


def attachment_clause(descriptions: Sequence[str]) -> str:
    """`(Attachments: # 1 Exhibit A # 2 Proposed Order)`, or "" with no attachments."""
    if not descriptions:
        return ""
    return (
        "(Attachments: "
        + " ".join(f"# {i} {d}" for i, d in enumerate(descriptions, 1))
        + ")"
    )


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
    parts = [sentence("; ".join(t.rstrip(". ") for t in event_texts if t))]
    if filer_name:
        by = filer_name if not joint_filers else ", ".join([filer_name, *joint_filers])
        line = f"Filed by {by}"
        if party_names:
            line += " on behalf of " + ", ".join(party_names)
        parts.append(sentence(line))
    related = list(related)
    if related:
        refs = " ".join(f"{n} {t}".strip() if n else t for n, t in related)
        parts.append(f"(RE: related document(s) {refs})")
    parts.append(attachment_clause(attachments))
    if suffix:
        parts.append(suffix.strip())
    if fee_cents:
        parts.append(
            f"Fee Amount {money(fee_cents)}" + (f". {fee_note}" if fee_note else "")
        )
    return " ".join(p for p in parts if p)
