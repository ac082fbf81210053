"""The vendor conformance checklist (scripts/conformance.py) passes against a running server
with a real Celery worker; practice tokens say so and are refused by the live instance."""

import importlib.util
import sys
from pathlib import Path

import pytest
from claimkit import make_case

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "conformance.py"


def _conformance():
    spec = importlib.util.spec_from_file_location("conformance", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["conformance"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_conformance_checklist_passes(demo, live_server, celery_worker_process):
    from dockets.api.services import create_api_token

    creditor = demo.users["creditor"]
    case = make_case(demo)
    _row, token = create_api_token(
        user=creditor, name="Vendor", scopes=["read", "claims"], days=1
    )
    conformance = _conformance()
    results = conformance.run_checks(
        conformance.Client(live_server.url, token),
        login=creditor.email,
        case_number=case.display_number,
        case_id=case.pk,
        wait=120,
    )
    failed = [f"{r.name}: {r.detail}" for r in results if not r.ok]
    assert not failed, failed
    assert len(results) == 12


@pytest.mark.django_db
def test_a_practice_token_is_marked_and_refused_on_live(demo, client, settings):
    from dockets.api.services import create_api_token

    settings.ECF_IS_TRAINING = True
    _row, practice = create_api_token(
        user=demo.users["creditor"], name="Sandbox", scopes=["claims"], days=1
    )
    assert practice.startswith("ecf_practice_")
    settings.ECF_IS_TRAINING = False
    _row.delete()  # it lives in the training database, not live's
    response = client.get(
        "/api/v1/claims/uploads/1", headers={"Authorization": f"Bearer {practice}"}
    )
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "practice_token"
