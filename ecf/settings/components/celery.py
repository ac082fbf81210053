"""Celery: JSON only, one queue per instance, time limits, tasks after commit."""

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
CELERY_TIMEZONE = "America/Los_Angeles"
CELERY_TASK_ALWAYS_EAGER = False
