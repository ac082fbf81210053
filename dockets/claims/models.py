"""Models of dockets.claims (imported by dockets/models.py)."""

from django.db import models  # noqa: F401
