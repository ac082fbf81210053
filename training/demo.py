"""Demo data of the training app, a seed_demo seeder (cases.demo, training/apps.py).

On live: the court's default exercises (the clerk's office edits them in the admin).
On the training instance: practice cases for the demo users who are still in training.
"""

from django.conf import settings

from filers.models import Filer, Role
from filers.permissions import is_court_role

# code, title, instructions, check kind, params, roles
EXERCISES = [
    (
        "attorney-open-ch7",
        "Open a chapter 7 case with a creditor matrix",
        "Open a new chapter 7 case for an individual debtor (Voluntary Petition, "
        "Official Form 101) and upload a creditor matrix listing at least three creditors.",
        "case_opened",
        {"chapter": "7", "min_matrix_creditors": 3},
        [Role.ATTORNEY],
    ),
    (
        "attorney-motion-fee",
        "File a motion with attachments and pay its fee",
        "In one of your practice cases, file a Motion for Relief From Stay with at least "
        "one attachment (for example a proposed order) and pay the fee on the test "
        "payment page.",
        "entry_filed",
        {"event": "nmrp", "min_attachments": 1, "fee_paid": True},
        [Role.ATTORNEY],
    ),
    (
        "attorney-response",
        "File a response that refers to a motion",
        "In the same practice case, file a Response and link it to the motion you filed.",
        "entry_filed",
        {"event": "respon", "refers": True, "refers_category": "motion"},
        [Role.ATTORNEY],
    ),
    (
        "trustee-motion",
        "File a motion to dismiss",
        "In one of your practice cases, file a Motion to Dismiss Case.",
        "entry_filed",
        {"event": "dismis"},
        [Role.TRUSTEE, Role.US_TRUSTEE],
    ),
    (
        "creditor-claim",
        "File a proof of claim",
        "In one of your practice cases, file a proof of claim (Official Form 410).",
        "claim_filed",
        {},
        [Role.CREDITOR],
    ),
    (
        "creditor-appearance",
        "File a notice of appearance",
        "In one of your practice cases, file a Notice of Appearance and Request for Notice "
        "on behalf of your creditor (yourself, or the creditor you represent; not the "
        "debtor).",
        "entry_filed",
        {"event": "ntcapr", "party_roles": "creditor"},
        [Role.CREDITOR],
    ),
    (
        "reporter-transcript",
        "File a transcript",
        "In one of your practice cases, file a hearing transcript.",
        "transcript_filed",
        {},
        [Role.COURT_REPORTER],
    ),
    (
        "party-course-certificate",
        "File a financial management course certificate",
        "In one of your practice cases, file a Certificate of Debtor Education "
        "(Official Form 423) for the debtor.",
        "entry_filed",
        {"event": "fmcrt"},
        [Role.PARTY],
    ),
]


def seed_exercises() -> int:
    """Create the default exercises that do not exist yet; returns how many were made."""
    from .models import Exercise

    made = 0
    for order, (code, title, instructions, kind, params, roles) in enumerate(
        EXERCISES, 1
    ):
        _, created = Exercise.objects.get_or_create(
            code=code,
            defaults={
                "title": title,
                "instructions": instructions,
                "check_kind": kind,
                "params": params,
                "roles": [str(r) for r in roles],
                "order": order * 10,
            },
        )
        made += created
    return made


def seed(*, court, users, stdout) -> None:
    """The demo seeder: exercises on live, practice cases on training."""
    if settings.ECF_IS_TRAINING:
        from .seeding import create_practice_cases

        count = 0
        for user in users.values():
            filer = Filer.objects.filter(user=user).first()
            if filer is not None and not is_court_role(filer.role):
                count += len(create_practice_cases(trainee=user, using="default"))
        stdout.write(f"Training: {count} practice cases")
        return
    stdout.write(f"Training: {seed_exercises()} exercises added")
