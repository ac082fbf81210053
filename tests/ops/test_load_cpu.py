"""The load run's CPU by phase (bench/load_users.cpu_spent) counts a process that ends
between the two samples of a phase: no phase goes negative, and no time is lost.

gunicorn replaces a web worker after `max_requests` (gunicorn.conf.py) and the PDF pool
retires checkers, so in a long phase processes end; their time then sits in the
parent's counter of reaped children. Synthetic /proc tables, no processes started.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from load_users import CpuSample, cpu_spent

WEB = "insert (web: request, insert, receipt; and public reads)"
CHECKER = "python -c from dockets.pdf.sandbox import child_main"


def _sample(table, *, tasks=None, generator=0.0) -> CpuSample:
    return CpuSample(
        table=table,
        gunicorn_pid=1,
        celery_pids=[100],
        tasks=tasks or {},
        generator=generator,
    )


def test_a_web_worker_replaced_mid_phase_keeps_its_time_and_nothing_goes_negative():
    # pid: (parent, own CPU s, reaped children's CPU s, command line)
    start = _sample(
        {
            1: (0, 1.0, 0.0, "gunicorn master"),
            2: (1, 50.0, 3.0, "gunicorn worker"),  # replaced during the phase
            3: (1, 40.0, 2.0, "gunicorn worker"),
            4: (3, 5.0, 0.0, CHECKER),  # retired during the phase
            100: (0, 2.0, 0.0, "celery worker"),
            101: (100, 30.0, 0.0, "celery child"),
        }
    )
    end = _sample(
        {
            # Worker 2 ended at 62 s own + 3 s reaped: the master reaped 65 s.
            1: (0, 1.5, 65.0, "gunicorn master"),
            3: (1, 48.0, 2.0 + 7.0, "gunicorn worker"),  # reaped checker 4 at 7 s
            5: (1, 4.0, 0.0, "gunicorn worker"),  # its replacement
            6: (3, 1.0, 0.0, CHECKER),  # a new checker
            100: (0, 2.5, 0.0, "celery worker"),
            101: (100, 36.0, 0.0, "celery child"),
        },
        generator=3.0,
    )
    spent = cpu_spent(start, end)
    assert all(v >= 0 for v in spent.values()), spent
    # Web: master 0.5 + worker 2's 12 s after the first sample + worker 3's 8 + the new 4.
    assert spent[WEB] == 0.5 + 12.0 + 8.0 + 4.0
    # Validate: the retired checker's 2 s after the first sample + the new one's 1.
    assert spent["validate (sandbox)"] == 2.0 + 1.0
    assert spent["celery (stamp + NEF)"] == 0.5 + 6.0
    assert spent["load generator"] == 3.0
