"""Models of dockets.reports (imported by dockets/models.py)."""

from django.db import models  # noqa: F401
