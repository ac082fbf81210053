"""Models of dockets.clerk (imported by dockets/models.py)."""

from django.db import models  # noqa: F401
