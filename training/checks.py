"""Did a trainee's work on the training instance meet an exercise? Plus the gate.

A fixed set of check kinds (training.check_kinds registers them and their
parameters, which the clerk's office fills in the admin; RUNS below holds what each
kind checks). There is no rule language: a kind the code does not know, or a
parameter it does not take, is refused when the exercise is saved.

Checks run on live and read the training database only through the `training`
alias, matching the trainee by e-mail (the practice account has its own row and
id there, recreated on every reset). Results are written on live by
training.services.check_exercises; `unmet_training_requirements` reads them on live.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, F, Q
from django.urls import reverse

from cases.numbers import TRAINING_PREFIX
from dockets.catalogue_data import EventCategory
from filers.models import User

from .check_kinds import KINDS, validate_exercise
from .models import Exercise, ExerciseResult

#: The database alias of the training data, as seen from the live instance.
TRAINING_DB = "training"


@dataclass
class Outcome:
    """What a check found: passed, what is still missing, and the practice filings."""

    passed: bool
    missing: list[str] = field(default_factory=list)
    evidence: list[dict] = field(default_factory=list)


# -- helpers -------------------------------------------------------------------------


def training_url(path: str) -> str:
    """The address of `path` on the training instance."""
    return settings.ECF_TRAINING_URL.rstrip("/") + path


def _path(name: str, **kwargs) -> str:
    return reverse(name, kwargs=kwargs)


def _case_label(case) -> str:
    return f"{TRAINING_PREFIX}{case.display_number}"


def _entry_evidence(entry) -> dict:
    number = f"Doc {entry.number}" if entry.number else "unnumbered entry"
    return {
        "label": f"{_case_label(entry.case)} {number}: {entry.event.name}",
        "url": training_url(_path("dockets:entry-receipt", entry_id=entry.pk)),
        "case_url": training_url(reverse("cases:summary", args=[entry.case_id])),
    }


def training_user_for(user: User, *, using: str = TRAINING_DB):
    """The practice account of live `user` in the training database, or None."""
    from filers.models import User

    return User.objects.using(using).filter(email__iexact=user.email).first()


def _event_name(params: dict, *, using: str) -> str:
    from dockets.models import Event

    if params.get("event"):
        event = Event.objects.using(using).filter(code=params["event"]).first()
        return event.name if event else params["event"]
    return params.get("category", "filing")


# -- the kinds -----------------------------------------------------------------------


def check_case_opened(trainee, params: dict, *, using: str) -> Outcome:
    """A case of chapter X opened by the trainee, with a creditor matrix of N names."""
    from cases.models import Party
    from dockets.models import DocketEntry

    chapter = str(params["chapter"])
    need = int(params.get("min_matrix_creditors", 0))
    petitions = list(
        DocketEntry.objects.using(using)
        .filter(
            Q(filer=trainee) | Q(entered_by=trainee),
            event__category=EventCategory.PETITION,
            case__practice_owner=trainee,
            case__chapter=chapter,
            case__case_type="bk",
        )
        .select_related("case__judge", "event")
        .annotate(
            matrix=Count(
                "case__parties",
                filter=Q(case__parties__from_matrix=True),
                distinct=True,
            )
        )
        .order_by("-matrix", "pk")
    )
    if not petitions:
        return Outcome(
            False,
            [
                f"Open a chapter {chapter} case: file a chapter {chapter} voluntary "
                "petition on the training system."
            ],
        )
    best = petitions[0]
    if best.matrix < need:
        matrix = Party.objects.using(using).filter(case=best.case, from_matrix=True)
        have = matrix.count()
        return Outcome(
            False,
            [
                f"Upload a creditor matrix with at least {need} creditor"
                f"{'s' if need != 1 else ''} in {_case_label(best.case)} "
                f"(it has {have})."
            ],
            [_entry_evidence(best)],
        )
    return Outcome(True, [], [_entry_evidence(best)])


def _names(params: dict, key: str) -> list[str]:
    return [n.strip() for n in str(params.get(key) or "").split(",") if n.strip()]


ROLE_WORDS = {
    "creditor": "a creditor",
    "debtor": "the debtor",
    "joint_debtor": "the joint debtor",
    "trustee": "the trustee",
}


def _entry_gaps(entry, params: dict) -> list[str]:
    from dockets.models import DocketEntry

    gaps = []
    roles = _names(params, "party_roles")
    if roles:
        filed_for = list(entry.filing_parties.all())
        if not any(p.role in roles for p in filed_for):
            who = (
                ", ".join(
                    f"{p.name} ({p.get_role_display().lower()})" for p in filed_for
                )
                or "no party"
            )
            wanted = " or ".join(ROLE_WORDS.get(r, r.replace("_", " ")) for r in roles)
            gaps.append(
                f"It was filed on behalf of {who}: this exercise is a filing for "
                f"{wanted} (a creditor files on behalf of itself or the creditor it represents)."
            )
    for name in _names(params, "fields"):
        if (entry.fields or {}).get(name) in (None, "", {}):
            gaps.append(f"Fill in the detail \u201c{name.replace('_', ' ')}\u201d.")
    need = int(params.get("min_attachments", 0))
    if entry.attachment_count < need:
        gaps.append(
            f"Attach at least {need} document{'s' if need != 1 else ''} besides the "
            f"main document (it has {entry.attachment_count})."
        )
    if params.get("refers") and not entry.earlier_related:
        what = params.get("refers_category")
        gaps.append(
            f"Refer to an earlier {what} on the docket when you file it."
            if what
            else "Refer to an earlier entry on the docket when you file it."
        )
    if params.get("fee_paid") and entry.fee_status != DocketEntry.FeeStatus.PAID:
        gaps.append("Pay the filing fee (the training system's test payment page).")
    return gaps


def check_entry_filed(trainee, params: dict, *, using: str) -> Outcome:
    """Event E (or any event of a category) filed on the trainee's own practice case.

    Optionally with at least N attachments, referring to an earlier entry (of a
    category), and with its fee paid.
    """
    from dockets.models import DocketEntry

    events = Q(event__code=params["event"]) if params.get("event") else Q()
    if params.get("category"):
        events &= Q(event__category=params["category"])
    # "Referring to an earlier entry": a related entry of the same case, filed before.
    related = Q(related__case=F("case"), related__seq__lt=F("seq"))
    if params.get("refers_category"):
        related &= Q(related__event__category=params["refers_category"])
    candidates = list(
        DocketEntry.objects.using(using)
        .filter(
            events,
            Q(filer=trainee) | Q(entered_by=trainee),
            case__practice_owner=trainee,
        )
        .select_related("case__judge", "event")
        .prefetch_related("filing_parties")
        .annotate(
            attachment_count=Count(
                "documents", filter=Q(documents__sequence__gte=1), distinct=True
            ),
            earlier_related=Count("related", filter=related, distinct=True),
        )
        .order_by("seq", "pk")
    )
    what = _event_name(params, using=using)
    if not candidates:
        return Outcome(False, _why_no_entry(trainee, params, events, what, using=using))
    scored = sorted(candidates, key=lambda e: (len(_entry_gaps(e, params)), -e.pk))
    best = scored[0]
    gaps = _entry_gaps(best, params)
    if gaps:
        return Outcome(
            False,
            [
                f"Your {what} ({_case_label(best.case)} Doc {best.number}): {g}"
                for g in gaps
            ],
            [_entry_evidence(best)],
        )
    return Outcome(True, [], [_entry_evidence(best)])


def _why_no_entry(
    trainee, params: dict, events: Q, what: str, *, using: str
) -> list[str]:
    """Name what the trainee did instead: the wrong event, or the right one elsewhere."""
    from dockets.models import DocketEntry

    mine = DocketEntry.objects.using(using).filter(
        Q(filer=trainee) | Q(entered_by=trainee)
    )
    elsewhere = (
        mine.filter(events)
        .exclude(case__practice_owner=trainee)
        .select_related("case__judge")
        .order_by("-pk")
        .first()
    )
    if elsewhere is not None:
        return [
            f"You filed {elsewhere.event.name} in {_case_label(elsewhere.case)}, which is "
            f"not one of your practice cases: file the {what} in one of your own "
            "practice cases."
        ]
    other = (
        mine.filter(case__practice_owner=trainee)
        .exclude(event__case_action="fee_receipt")
        .select_related("event")
        .order_by("-pk")
        .first()
    )
    if other is not None:
        return [
            f"You filed {other.event.name}; this exercise needs {what}. File a {what} "
            "on one of your practice cases."
        ]
    return [f"File a {what} on one of your practice cases."]


def check_claim_filed(trainee, params: dict, *, using: str) -> Outcome:
    """A proof of claim filed by the trainee on one of the trainee's own practice cases."""
    from dockets.claims.models import Claim

    everywhere = Claim.objects.using(using).filter(filed_by=trainee)
    claims = everywhere.filter(case__practice_owner=trainee)
    if not claims.exists():
        elsewhere = everywhere.select_related("case__judge").order_by("-pk").first()
        if elsewhere is not None:
            return Outcome(
                False,
                [
                    f"You filed claim {elsewhere.number} in {_case_label(elsewhere.case)}, "
                    "which is not one of your practice cases: file the proof of claim in "
                    "one of your own practice cases."
                ],
            )
    if params.get("secured"):
        claims = claims.filter(secured_cents__gt=0)
    claim = claims.select_related("case__judge").order_by("pk").first()
    if claim is None:
        if params.get("secured"):
            return Outcome(
                False,
                ["File a proof of claim with a secured amount on a practice case."],
            )
        return Outcome(
            False, ["File a proof of claim (Official Form 410) on a practice case."]
        )
    return Outcome(
        True,
        [],
        [
            {
                "label": f"{_case_label(claim.case)} Claim {claim.number}: "
                f"{claim.creditor_name}",
                "url": training_url(_path("dockets:claim-detail", claim_id=claim.pk)),
                "case_url": training_url(
                    reverse("cases:summary", args=[claim.case_id])
                ),
            }
        ],
    )


def check_transcript_filed(trainee, params: dict, *, using: str) -> Outcome:
    """A transcript filed by the trainee (a court reporter) on a practice case."""
    return check_entry_filed(
        trainee,
        {"event": params.get("event", "trans"), "category": "transcript"},
        using=using,
    )


# Each registered check kind's check (training.check_kinds names the kinds).
RUNS: dict[str, Callable[..., Outcome]] = {
    "case_opened": check_case_opened,
    "entry_filed": check_entry_filed,
    "claim_filed": check_claim_filed,
    "transcript_filed": check_transcript_filed,
}


def run_check(exercise: Exercise, trainee, *, using: str = TRAINING_DB) -> Outcome:
    """Run one exercise's check against the trainee's practice account (or None)."""
    if trainee is None:
        return Outcome(
            False,
            [
                "Get your practice account on the training system first (Practise on training)."
            ],
        )
    run = RUNS.get(exercise.check_kind)
    if (
        run is None
        or exercise.check_kind not in KINDS
        or validate_exercise(exercise.check_kind, exercise.params)
    ):
        return Outcome(
            False, ["This exercise is misconfigured; ask the clerk's office."]
        )
    return run(trainee, exercise.params, using=using)


# -- what other apps ask -------------------------------------------------------------


def training_texts() -> dict[str, str]:
    """Each role's active exercises as one line for the home page (one query)."""
    from filers.models import Role

    titles: dict[str, list[str]] = {}
    for exercise in (
        Exercise.objects.using("default").filter(active=True).order_by("order", "pk")
    ):
        for role in exercise.roles:
            titles.setdefault(role, []).append(exercise.title)
    texts = {role: "; ".join(found) + "." for role, found in titles.items() if found}
    if Role.ATTORNEY in texts:
        texts[Role.FILING_AGENT] = "The attorneys' exercises: " + texts[Role.ATTORNEY]
    return texts


def exercises_for_role(role: str):
    """The active exercises the role must pass, in order."""
    if not role:
        return Exercise.objects.none()
    return Exercise.objects.using("default").filter(active=True, roles__contains=[role])


def unmet_training_requirements(user: User) -> list[str]:
    """Return the titles of required exercises `user` has not passed yet.

    Reads the results recorded on live; it never runs a check itself.
    """
    required = list(exercises_for_role(user.role))
    passed = set(
        ExerciseResult.objects.using("default")
        .filter(user=user, passed=True)
        .values_list("exercise_id", flat=True)
    )
    return [
        f"Training exercise not passed: {e.title}"
        for e in required
        if e.pk not in passed
    ]


def registration_progress(users) -> dict[int, list[tuple[str, bool]]]:
    """Each user's exercises as (title, passed), keyed by user id (two queries)."""
    exercises = list(Exercise.objects.using("default").filter(active=True))
    passed = set(
        ExerciseResult.objects.using("default")
        .filter(user__in=[u.pk for u in users], passed=True)
        .values_list("user_id", "exercise_id")
    )
    progress = {}
    for user in users:
        role = user.role
        progress[user.pk] = [
            (e.title, (user.pk, e.pk) in passed) for e in exercises if role in e.roles
        ]
    return progress
