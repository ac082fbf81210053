"""Celery: JSON only, one queue per instance, time limits, tasks after commit."""

from typing import Any

from ecf.env import env
from ecf.instance import INSTANCE

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL")
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
# Each instance has its own queue, so the training worker never runs live work.
CELERY_TASK_DEFAULT_QUEUE = env.str("ECF_CELERY_QUEUE", default=f"ecf-{INSTANCE}")
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
# Beat's crontab times are the court's local time.
CELERY_TIMEZONE = env.str("ECF_COURT_TIME_ZONE", default="America/Los_Angeles")
# Workers log through Django's LOGGING (JSON lines with the request id: core.logs).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TASK_ALWAYS_EAGER = False
# Tasks whose work is idempotent are re-delivered if the worker dies mid-task.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Celery's Django fix-up closes every database connection before and after each task
# unless told to reuse them: a new PostgreSQL backend per task (15 a second under load,
# each dearer than most tasks' queries). Workers keep them like the web does (ecf.celery
# closes one at a task's start and end only when it is broken or older than
# CONN_MAX_AGE); the fix-up still closes them all after this many tasks.
CELERY_DB_REUSE_MAX = 1000

# Periodic jobs, all in one place (STYLE.md 7.8). Times are court-local (CELERY_TIMEZONE).
from celery.schedules import crontab  # noqa: E402

CELERY_BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    # The broker may lose queued messages; the status rows are the source of truth.
    # https://crontab.guru/#*_*_*_*_* (every minute)
    "pipeline-sweep-pending": {
        "task": "dockets.pipeline.tasks.sweep_pending_task",
        "schedule": crontab(),
    },
    # https://crontab.guru/#*/5_*_*_*_* (every five minutes)
    "core-requeue-pending-messages": {
        "task": "core.tasks.requeue_pending_messages_task",
        "schedule": crontab(minute="*/5"),
    },
    # Daily NEF summaries for filers who chose them, after the court's business day.
    # https://crontab.guru/#0_19_*_*_* (19:00 court time)
    "pipeline-daily-summaries": {
        "task": "dockets.pipeline.tasks.send_daily_summaries_task",
        "schedule": crontab(minute=0, hour=19),
    },
}

# A document or notice still pending this long is re-queued by the sweeper.
ECF_PIPELINE_SWEEP_AFTER_SECONDS = env.int(
    "ECF_PIPELINE_SWEEP_AFTER_SECONDS", default=180
)
# NEF e-mails are created in batches of this many recipients per transaction.
ECF_NEF_BATCH_SIZE = env.int("ECF_NEF_BATCH_SIZE", default=200)
# Task modules autodiscovery (<app>.tasks) does not find inside an app's packages.
CELERY_IMPORTS = ["dockets.pipeline.tasks", "dockets.claims.batch"]
# dockets.filing: delete filing drafts past ECF_DRAFT_DAYS and their uploaded files.
# https://crontab.guru/#17_3_*_*_* (03:17 court time, daily)
CELERY_BEAT_SCHEDULE["filing-expire-drafts"] = {
    "task": "dockets.filing.tasks.expire_drafts_task",
    "schedule": crontab(minute=17, hour=3),
}
CELERY_IMPORTS.append("dockets.filing.tasks")
# training: check pending trainees' exercises against the training database.
# https://crontab.guru/#*/15_*_*_*_* (every 15 minutes)
CELERY_BEAT_SCHEDULE["training-check-trainees"] = {
    "task": "training.tasks.check_trainees_task",
    "schedule": crontab(minute="*/15"),
}
# training: reset the training database to its seed, nightly.
# https://crontab.guru/#30_2_*_*_* (02:30 court time)
CELERY_BEAT_SCHEDULE["training-reset-nightly"] = {
    "task": "training.tasks.reset_training_task",
    "schedule": crontab(minute=30, hour=2),
}
CELERY_IMPORTS.append(
    "dockets.reports.tasks"
)  # issue 11: docket sheets, follow e-mails
# claims: transfers of claim take effect once the 21-day objection period has passed.
# https://crontab.guru/#5_1_*_*_* (01:05 daily)
CELERY_BEAT_SCHEDULE["claims-complete-transfers"] = {
    "task": "dockets.claims.tasks.complete_due_transfers_task",
    "schedule": crontab(minute=5, hour=1),
}
CELERY_IMPORTS.append("dockets.claims.tasks")

# dockets.fulltext (issue 24): document text and OCR run on their own queue, so a long
# OCR never delays stamping or notices. Empty: "<the instance's queue>-text".
ECF_TEXT_QUEUE = env.str("ECF_TEXT_QUEUE", default="")
# Limits of character recognition: pages per document, seconds and megapixels per page.
ECF_OCR_MAX_PAGES = env.int("ECF_OCR_MAX_PAGES", default=300)
ECF_OCR_PAGE_TIMEOUT = env.float("ECF_OCR_PAGE_TIMEOUT", default=60.0)
ECF_OCR_MAX_MEGAPIXELS = env.float("ECF_OCR_MAX_MEGAPIXELS", default=50.0)
CELERY_IMPORTS.append("dockets.fulltext.tasks")
# https://crontab.guru/#*/5_*_*_*_* (every five minutes): text rows the broker lost.
CELERY_BEAT_SCHEDULE["fulltext-sweep-pending"] = {
    "task": "dockets.fulltext.tasks.sweep_text_task",
    "schedule": crontab(minute="*/5"),
}
# dockets.alerts (issue 24): the daily alert e-mails, after the court's business day.
# https://crontab.guru/#30_18_*_*_* (18:30 court time)
CELERY_IMPORTS.append("dockets.alerts.tasks")
CELERY_BEAT_SCHEDULE["alerts-daily-digest"] = {
    "task": "dockets.alerts.tasks.send_digests_task",
    "schedule": crontab(minute=30, hour=18),
}
# Webhooks (issue 24): tries per delivery (backoff doubling from the base, seconds), and
# failed deliveries in a row after which a webhook is disabled.
ECF_WEBHOOK_MAX_ATTEMPTS = env.int("ECF_WEBHOOK_MAX_ATTEMPTS", default=6)
ECF_WEBHOOK_RETRY_BASE = env.float("ECF_WEBHOOK_RETRY_BASE", default=30.0)
ECF_WEBHOOK_DISABLE_AFTER = env.int("ECF_WEBHOOK_DISABLE_AFTER", default=20)
# Tests only: allow http:// targets on loopback (a receiver inside the test). Never in production.
ECF_WEBHOOK_ALLOW_LOOPBACK_HTTP = env.bool(
    "ECF_WEBHOOK_ALLOW_LOOPBACK_HTTP", default=False
)
# dockets.bulk (issue 24): the nightly public bulk export, stored under bulk/<date>/.
# https://crontab.guru/#45_1_*_*_* (01:45 court time)
CELERY_IMPORTS.append("dockets.bulk.tasks")
CELERY_BEAT_SCHEDULE["bulk-export-nightly"] = {
    "task": "dockets.bulk.tasks.export_bulk_task",
    "schedule": crontab(minute=45, hour=1),
}
# https://crontab.guru/#*/5_*_*_*_* (every five minutes): alert events the broker lost.
CELERY_BEAT_SCHEDULE["alerts-sweep-recent"] = {
    "task": "dockets.alerts.tasks.sweep_recent_events_task",
    "schedule": crontab(minute="*/5"),
}

# claims upload (issue 25): batches still queued (a broker outage at upload, a lost
# message, a dead worker) are dispatched again; a batch is filed by one task at a time.
# https://crontab.guru/#*_*_*_*_* (every minute)
CELERY_BEAT_SCHEDULE["claims-upload-sweep"] = {
    "task": "dockets.claims.batch.sweep_claim_batches_task",
    "schedule": crontab(),
}
ECF_CLAIMS_UPLOAD_SWEEP_AFTER_SECONDS = env.int(
    "ECF_CLAIMS_UPLOAD_SWEEP_AFTER_SECONDS", default=120
)

# One beat schedules both instances (docker-compose `beat`, scripts/start.sh): each
# instance's own housekeeping is sent to its own queue, where that instance's worker runs
# it against its own database. The training app's jobs run on live (they reach the
# training database through its alias). Every entry names its queue explicitly, so the
# beat's own ECF_INSTANCE does not matter.
ECF_LIVE_QUEUE = "ecf-live"
ECF_TRAINING_QUEUE = "ecf-training"
PER_INSTANCE_BEAT = (
    "pipeline-sweep-pending",
    "core-requeue-pending-messages",
    "pipeline-daily-summaries",
    "filing-expire-drafts",
    "fulltext-sweep-pending",
    "claims-upload-sweep",
)
for _name in list(CELERY_BEAT_SCHEDULE):
    _entry = CELERY_BEAT_SCHEDULE[_name]
    _entry["options"] = {**_entry.get("options", {}), "queue": ECF_LIVE_QUEUE}
    if _name in PER_INSTANCE_BEAT:
        CELERY_BEAT_SCHEDULE[f"{_name}@training"] = {
            **_entry,
            "options": {**_entry["options"], "queue": ECF_TRAINING_QUEUE},
        }
