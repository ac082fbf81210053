"""The Celery app: settings under CELERY_*, tasks autodiscovered, DjangoTask base."""

import os
from typing import Any

from celery import Celery
from celery.signals import task_postrun, task_prerun
from django.db import close_old_connections

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecf.settings.base")

app = Celery("ecf", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
@task_postrun.connect
def keep_usable_connections(sender: Any = None, **kwargs: Any) -> None:
    """A task starts and ends as a web request does: a database connection that is
    broken or older than CONN_MAX_AGE is closed, the one kept is checked by its next
    query (CONN_HEALTH_CHECKS). A task run in its caller (eager) keeps the caller's."""
    if sender is not None and getattr(sender.request, "is_eager", False):
        return
    close_old_connections()
