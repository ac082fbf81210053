"""URLs of dockets.claims (included by dockets/urls.py in the 'dockets' namespace)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
