"""URLs of dockets.bulk (included by dockets/urls.py in the 'dockets' namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("cases/<int:case_id>/documents.zip", views.case_zip_request, name="case-zip"),
    path("document-zips/<str:token>/", views.case_zip_status, name="case-zip-status"),
    path(
        "document-zips/<str:token>/download/",
        views.case_zip_download,
        name="case-zip-download",
    ),
]
