"""Models of dockets.filing (imported by dockets/models.py)."""

from django.db import models  # noqa: F401
