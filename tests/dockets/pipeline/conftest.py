"""Fixtures of the pipeline tests: a chapter 7 case with counsel, trustees and creditors,
and tasks run in this process unless the test starts a real worker."""

import pytest
from pipeline_helpers import PipelineCase, build_case
from testkit import celery_eager


@pytest.fixture
def pcase(demo) -> PipelineCase:
    return build_case(demo)


@pytest.fixture(autouse=True)
def _eager_tasks(request):
    """Run queued tasks in this process, except in tests that start a real worker."""
    if (
        request.node.get_closest_marker("worker")
        or "celery_worker_process" in request.fixturenames
    ):
        yield
        return
    with celery_eager():
        yield
