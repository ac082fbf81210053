"""make bench: the long run of the upload-validator fuzz (tests/security/test_hostile_input.py)."""

import os
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "security"))

from test_hostile_input import _fuzz


@pytest.mark.bench
def test_fuzzed_uploads_long_run(tmp_path, caplog):
    """Thousands of mutated PDFs (a new seed each run, printed; ECF_FUZZ_SEED replays one):
    each answered within budget, and no sandbox child crashes."""
    quick = os.environ.get("ECF_BENCH_QUICK")
    examples = int(os.environ.get("ECF_FUZZ_EXAMPLES", "150" if quick else "600"))
    seed = int(os.environ.get("ECF_FUZZ_SEED") or time.time())
    _fuzz(tmp_path, caplog, examples=examples, seed=seed)
