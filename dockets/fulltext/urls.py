"""URLs of dockets.fulltext (included by dockets/urls.py in the 'dockets' namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path(
        "documents/<int:document_id>/text/",
        views.document_text_view,
        name="document-text",
    ),
]
