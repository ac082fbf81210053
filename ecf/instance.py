"""Which instance this process is: the live court or the training court.

Both run the same code; ECF_INSTANCE picks the database, the Celery queue, the
media prefix, the cookies and the TRAINING banner (ARCHITECTURE.md, "Two instances").
"""

from ecf.env import env

LIVE = "live"
TRAINING = "training"

INSTANCE = env.str("ECF_INSTANCE", default=LIVE)
if INSTANCE not in (LIVE, TRAINING):
    raise RuntimeError(f"ECF_INSTANCE must be 'live' or 'training', not {INSTANCE!r}")

IS_TRAINING = INSTANCE == TRAINING
