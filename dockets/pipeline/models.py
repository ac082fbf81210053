"""Models of dockets.pipeline (imported by dockets/models.py)."""

from django.db import models  # noqa: F401
