"""The Celery app: settings under CELERY_*, tasks autodiscovered, DjangoTask base."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecf.settings.base")

app = Celery("ecf", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
