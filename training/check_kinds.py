"""The check kinds an exercise may use, with their parameters: a registry with no
models and no queries, so training.models validates an exercise without importing the
checks (training.checks holds what each kind runs, keyed by the same codes).

There is no rule language: a kind the code does not know, or a parameter it does not
take, is refused when the exercise is saved.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class CheckKind:
    code: str
    label: str
    #: parameter name -> (type, required, what it means)
    params: dict[str, tuple[type, bool, str]]


KINDS: dict[str, CheckKind] = {
    kind.code: kind
    for kind in [
        CheckKind(
            "case_opened",
            "Opened a case of a chapter (with a creditor matrix)",
            {
                "chapter": (str, True, "Chapter, e.g. 7"),
                "min_matrix_creditors": (int, False, "Creditors the matrix must list"),
            },
        ),
        CheckKind(
            "entry_filed",
            "Filed an event on an own practice case",
            {
                "event": (str, False, "Event code, e.g. nmrp"),
                "category": (str, False, "Event category, e.g. motion"),
                "min_attachments": (
                    int,
                    False,
                    "Attachments besides the main document",
                ),
                "refers": (bool, False, "Must refer to an earlier entry"),
                "refers_category": (str, False, "Category of the entry referred to"),
                "fee_paid": (bool, False, "The fee must be paid"),
                "party_roles": (
                    str,
                    False,
                    "Who it must be filed for: party roles, comma-separated, e.g. creditor",
                ),
                "fields": (
                    str,
                    False,
                    "Details that must be filled in: field names, comma-separated",
                ),
            },
        ),
        CheckKind(
            "claim_filed",
            "Filed a proof of claim",
            {"secured": (bool, False, "The claim must have a secured part")},
        ),
        CheckKind(
            "transcript_filed",
            "Filed a transcript",
            {"event": (str, False, "Transcript event code (default trans)")},
        ),
    ]
}
CHECK_KIND_CHOICES = [(k.code, k.label) for k in KINDS.values()]


def validate_exercise(check_kind: str, params) -> dict[str, list[str]]:
    """Return field errors for a check kind and its parameters (empty when valid)."""
    kind = KINDS.get(check_kind)
    if kind is None:
        known = ", ".join(KINDS)
        return {
            "check_kind": [f"Unknown check kind {check_kind!r}; use one of: {known}."]
        }
    if not isinstance(params, dict):
        return {"params": ['Parameters must be a JSON object, e.g. {"chapter": "7"}.']}
    problems = []
    for name, value in params.items():
        if name not in kind.params:
            allowed = ", ".join(kind.params) or "none"
            problems.append(
                f"{check_kind} takes no parameter {name!r} (it takes: {allowed})."
            )
            continue
        wanted = kind.params[name][0]
        if wanted is int and (isinstance(value, bool) or not isinstance(value, int)):
            problems.append(f"{name} must be a whole number.")
        elif wanted is bool and not isinstance(value, bool):
            problems.append(f"{name} must be true or false.")
        elif wanted is str and not isinstance(value, str | int):
            problems.append(f"{name} must be text.")
    for name, (_, required, _) in kind.params.items():
        if required and name not in params:
            problems.append(f"{check_kind} needs the parameter {name!r}.")
    if check_kind == "entry_filed" and not (
        params.get("event") or params.get("category")
    ):
        problems.append("entry_filed needs an event code or a category.")
    return {"params": problems} if problems else {}
