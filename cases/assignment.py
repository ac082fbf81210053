"""Judge and trustee assignment: each office's rotation per chapter, and the
official parties (case trustee, U.S. Trustee) a new case starts with."""

from __future__ import annotations

from filers.models import User

from .models import AssignmentRotation, Case, Court, Judge, Office, Party, Trustee
from .services import PartyData, add_party

# Which trustee panel serves a chapter; chapters 11 and 15 get no trustee at filing.
TRUSTEE_KIND_FOR_CHAPTER = {
    "7": Trustee.Kind.PANEL_7,
    "12": Trustee.Kind.STANDING_12,
    "13": Trustee.Kind.STANDING_13,
}


def rotation_for(*, office: Office, chapter: str) -> AssignmentRotation:
    """Return the office's rotation for `chapter`, creating the default one if missing.

    The default takes every active judge of the court and every active trustee of the
    chapter's panel serving the office (or the court, if none is tied to an office).
    The clerk's office edits rotations in the admin.
    """
    rotation, created = AssignmentRotation.objects.get_or_create(
        office=office, chapter=chapter
    )
    if created:
        rotation.judges.set(
            Judge.objects.filter(court=office.court, active=True).order_by("id")
        )
        kind = TRUSTEE_KIND_FOR_CHAPTER.get(chapter)
        if kind:
            trustees = Trustee.objects.filter(
                court=office.court, kind=kind, active=True
            )
            local = trustees.filter(offices=office)
            rotation.trustees.set(
                (local if local.exists() else trustees).order_by("id")
            )
    return rotation


def next_assignment(
    *, office: Office, chapter: str
) -> tuple[Judge | None, Trustee | None]:
    """Take the next judge and trustee from the rotation; locks the rotation row.

    Must run inside the caller's transaction (the case opening).
    """
    rotation = rotation_for(office=office, chapter=chapter)
    rotation = AssignmentRotation.objects.select_for_update().get(pk=rotation.pk)
    judges = list(rotation.judges.filter(active=True).order_by("id"))
    trustees = list(rotation.trustees.filter(active=True).order_by("id"))
    judge = judges[rotation.next_judge_index % len(judges)] if judges else None
    trustee = (
        trustees[rotation.next_trustee_index % len(trustees)] if trustees else None
    )
    rotation.next_judge_index = (rotation.next_judge_index + 1) % max(len(judges), 1)
    rotation.next_trustee_index = (rotation.next_trustee_index + 1) % max(
        len(trustees), 1
    )
    rotation.save(
        update_fields=["next_judge_index", "next_trustee_index", "updated_at"]
    )
    return judge, trustee


def us_trustee_for(court: Court) -> Trustee | None:
    return (
        Trustee.objects.filter(court=court, kind=Trustee.Kind.US_TRUSTEE, active=True)
        .order_by("id")
        .first()
    )


def add_official_parties(*, case: Case, actor: User | None = None) -> None:
    """Add the case trustee and the U.S. Trustee as parties (with their logins)."""
    officials = []
    if case.trustee is not None:
        officials.append((Party.Role.TRUSTEE, case.trustee))
    ust = us_trustee_for(case.court)
    if ust is not None:
        officials.append((Party.Role.US_TRUSTEE, ust))
    for role, trustee in officials:
        lines = [line for line in trustee.address.splitlines() if line.strip()]
        add_party(
            case=case,
            actor=actor,
            user=trustee.user,
            data=PartyData(
                role=role,
                name=trustee.name,
                is_entity=role == Party.Role.US_TRUSTEE,
                email=trustee.email,
                address_lines=lines[:3],
            ),
        )
