"""The questions filers asks of the apps above it, and who answers them.

filers imports no higher app (ARCHITECTURE.md: core <- filers <- cases <- dockets <-
training). Where it needs an answer from above (has the registrant done the training?
is the filer locked out for unpaid fees?), it asks here, and the app that knows
registers its answer from its AppConfig.ready() (dockets/apps.py, training/apps.py),
in code: the wiring is a call a reader can follow, not a dotted path in a setting that
could be mistyped or left out. Answers are asked in the order they were registered,
which is the order of INSTALLED_APPS (ready() runs in that order), so it is the same
on every start.

Certification requirements are the one question a court configures: each is
registered under a name, and the setting ECF_CERTIFICATION_REQUIREMENTS names the ones
the court asks (a court that does not require training before certification leaves
"training" out). The setting holds names, never import paths; an unknown name fails
loudly (`certification_requirements`, and the system check `filers.E001`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from django.conf import settings
from django.core.checks import CheckMessage, Error
from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from django.db.models.expressions import BaseExpression

    from .models import Filer, User

# `user -> reasons` why `user` may not file now (the fee lockout).
FilingBlocker = Callable[["User"], list[str]]
# `users -> {user_id: [(step title, done), ...]}` for the registrant and the clerk.
RegistrationProgress = Callable[[Sequence["User"]], dict[int, list[tuple[str, bool]]]]
# `user -> unmet requirements` asked before a clerk certifies a filer.
CertificationRequirement = Callable[["User"], list[str]]
# `() -> {role: text}`: what each role practises before certification (home page).
RoleTrainingTexts = Callable[[], dict[str, str]]


@dataclass(frozen=True)
class ReadWithUser:
    """An answer about a user read in the same query as the signed-in user
    (filers/backends.py), so the gate that asks it on every page asks nothing more.

    `expression(value)` is the answer as an annotation over the user's row (its id
    is "pk"); `value()` is the value the query takes on this request (the fee
    lockout's cutoff, "now minus the lockout days"), `placeholder` a value of the
    same type no real request uses (the query is compiled once per process:
    core.compiled_lookup); `remember(user, answer)` hands the answer to the gate, on
    that request's user object only. `name` is the annotation's name.
    """

    name: str
    expression: Callable[[Any], BaseExpression]
    value: Callable[[], Any]
    placeholder: Any
    remember: Callable[[User, Any], None]


class AfterRegistration(Protocol):
    """Told of every new registration, in its transaction (the practice account)."""

    def __call__(self, *, user: User, filer: Filer) -> None: ...


_filing_blockers: list[FilingBlocker] = []
_registration_progress: list[RegistrationProgress] = []
_after_registration: list[AfterRegistration] = []
_role_training_texts: list[RoleTrainingTexts] = []
_certification_requirements: dict[str, CertificationRequirement] = {}
_reads_with_user: list[ReadWithUser] = []


F = TypeVar("F")


def _add(registry: list[F], function: F) -> None:
    if function not in registry:
        registry.append(function)


# -- registration (from AppConfig.ready()) -------------------------------------------


def on_filing_check(blocker: FilingBlocker) -> None:
    """Register `blocker(user) -> reasons` asked by filers.permissions.filing_blockers."""
    _add(_filing_blockers, blocker)


def on_read_with_user(read: ReadWithUser) -> None:
    """Register an answer read with every signed-in user (filers/backends.py)."""
    if any(r.name == read.name and r is not read for r in _reads_with_user):
        raise ImproperlyConfigured(f"Two reads with the user are named {read.name!r}.")
    _add(_reads_with_user, read)


def on_registration_progress(progress: RegistrationProgress) -> None:
    """Register `progress(users)` read by filers.selectors.registration_progress."""
    _add(_registration_progress, progress)


def on_registration(hook: AfterRegistration) -> None:
    """Register `hook(user=, filer=)` run by filers.services.register_filer."""
    _add(_after_registration, hook)


def on_role_training_texts(texts: RoleTrainingTexts) -> None:
    """Register `texts() -> {role: text}` shown on the public home page."""
    _add(_role_training_texts, texts)


def add_certification_requirement(
    name: str, requirement: CertificationRequirement
) -> None:
    """Offer `requirement(user)` under `name`, for ECF_CERTIFICATION_REQUIREMENTS."""
    known = _certification_requirements.get(name)
    if known is not None and known is not requirement:
        raise ImproperlyConfigured(
            f"Two certification requirements are registered as {name!r}."
        )
    _certification_requirements[name] = requirement


# -- asking ----------------------------------------------------------------------------


def filing_blockers() -> tuple[FilingBlocker, ...]:
    return tuple(_filing_blockers)


def reads_with_user() -> tuple[ReadWithUser, ...]:
    return tuple(_reads_with_user)


def registration_progress() -> tuple[RegistrationProgress, ...]:
    return tuple(_registration_progress)


def after_registration() -> tuple[AfterRegistration, ...]:
    return tuple(_after_registration)


def role_training_texts() -> dict[str, str]:
    texts: dict[str, str] = {}
    for source in _role_training_texts:
        texts.update(source())
    return texts


def _unknown_requirements(names: Iterable[str]) -> list[str]:
    return [name for name in names if name not in _certification_requirements]


def certification_requirements() -> tuple[CertificationRequirement, ...]:
    """The requirements this court asks, in the order ECF_CERTIFICATION_REQUIREMENTS
    names them; raises ImproperlyConfigured for a name nothing registered."""
    names = list(settings.ECF_CERTIFICATION_REQUIREMENTS)
    unknown = _unknown_requirements(names)
    if unknown:
        raise ImproperlyConfigured(_unknown_message(unknown))
    return tuple(_certification_requirements[name] for name in names)


def _unknown_message(unknown: list[str]) -> str:
    offered = ", ".join(sorted(_certification_requirements)) or "none"
    return (
        f"ECF_CERTIFICATION_REQUIREMENTS names {', '.join(map(repr, unknown))}, "
        f"which no app registers (registered: {offered})."
    )


def check_certification_requirements(**kwargs: object) -> list[CheckMessage]:
    """System check: every name in ECF_CERTIFICATION_REQUIREMENTS is registered."""
    unknown = _unknown_requirements(settings.ECF_CERTIFICATION_REQUIREMENTS)
    if not unknown:
        return []
    return [
        Error(
            _unknown_message(unknown),
            hint="Use the names the apps register (training registers 'training').",
            id="filers.E001",
        )
    ]
