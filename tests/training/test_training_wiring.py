"""The answers other apps give to filers' and seed_demo's questions, through the real
registrations of AppConfig.ready() (filers.hooks, cases.demo), not through settings.

Each test asks the question where the lower app asks it, so it goes red when the
registration that answers it is removed from training/apps.py or dockets/apps.py.
The practice account queued on registration: test_training_services.
"""

import pytest
from django.apps import apps
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured
from trainingkit import exercise, make_trainee

from cases.demo import demo_seeders
from cases.status import seed_demo_flags
from dockets.claims import demo as claims_demo
from dockets.fees import fee_lockout_blockers
from dockets.templatetags.public_home import role_training_texts
from filers import hooks
from filers import services as filer_services
from filers.models import Role
from filers.selectors import registration_progress
from training import demo as training_demo
from training.models import ExerciseResult

pytestmark = pytest.mark.django_db


def test_certification_waits_for_the_training_by_default():
    exercise("claim", "claim_filed", {}, [Role.CREDITOR], title="File a claim")
    exercise("lawyer", "entry_filed", {"event": "nmrp"}, [Role.ATTORNEY])
    user = make_trainee()
    assert filer_services.unmet_certification_requirements(user) == [
        "Training exercise not passed: File a claim"
    ]


def test_a_court_that_asks_no_training_certifies_on_e_mail_and_agreement(settings):
    settings.ECF_CERTIFICATION_REQUIREMENTS = []
    exercise("claim", "claim_filed", {}, [Role.CREDITOR], title="File a claim")
    assert filer_services.unmet_certification_requirements(make_trainee()) == []


def test_a_requirement_name_nothing_registers_fails_loudly(settings):
    """A mistyped name neither passes silently nor certifies anyone: it is refused."""
    settings.ECF_CERTIFICATION_REQUIREMENTS = ["training", "trainnig"]
    with pytest.raises(ImproperlyConfigured, match="'trainnig'"):
        filer_services.unmet_certification_requirements(make_trainee())
    errors = [m for m in run_checks() if m.id == "filers.E001"]
    assert len(errors) == 1
    assert "'trainnig'" in errors[0].msg and "training" in errors[0].msg
    settings.ECF_CERTIFICATION_REQUIREMENTS = ["training"]
    assert not [m for m in run_checks() if m.id == "filers.E001"]


def test_registrant_and_clerk_see_which_exercises_are_done():
    claim = exercise("claim", "claim_filed", {}, [Role.CREDITOR], 1, title="Claim")
    exercise("appear", "entry_filed", {"event": "ntcapr"}, [Role.CREDITOR], 2)
    exercise("lawyer", "entry_filed", {"event": "nmrp"}, [Role.ATTORNEY], 3)
    user = make_trainee()
    ExerciseResult.objects.create(user=user, exercise=claim, passed=True)
    assert registration_progress([user]) == {
        user.pk: [("Claim", True), ("Appear", False)]
    }


def test_the_home_page_names_what_each_role_practises():
    exercise("claim", "claim_filed", {}, [Role.CREDITOR], 1, title="File a claim")
    exercise("appear", "entry_filed", {"event": "ntcapr"}, [Role.CREDITOR], 2)
    assert role_training_texts()[Role.CREDITOR] == "File a claim; Appear."


def test_each_app_registers_its_answers_once_and_in_app_order():
    """ready() runs in INSTALLED_APPS order (core, filers, cases, dockets, training),
    so the seeders run in that order on every start; a second ready() adds nothing."""
    assert demo_seeders() == (seed_demo_flags, claims_demo.seed, training_demo.seed)
    assert hooks.filing_blockers() == (fee_lockout_blockers,)
    before = (
        demo_seeders(),
        hooks.filing_blockers(),
        hooks.registration_progress(),
        hooks.after_registration(),
    )
    for label in ("cases", "dockets", "training"):
        apps.get_app_config(label).ready()
    assert before == (
        demo_seeders(),
        hooks.filing_blockers(),
        hooks.registration_progress(),
        hooks.after_registration(),
    )
