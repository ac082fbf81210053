"""URLs of dockets.pipeline (included by dockets/urls.py in the 'dockets' namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("documents/<int:document_id>/", views.document_detail, name="document"),
    path(
        "documents/<int:document_id>/download/",
        views.document_download,
        name="document-download",
    ),
    path("n/<str:token>/<int:document_id>/", views.notice_link, name="notice-link"),
    path("verify/", views.verify, name="verify"),
    path("entries/<int:entry_id>/notice/", views.entry_receipt, name="entry-receipt"),
    path("my-cases/<int:case_id>/add/", views.case_add, name="case-add"),
    path("clerk/pipeline/failures/", views.pipeline_failures, name="pipeline-failures"),
    path("clerk/pipeline/retry/", views.pipeline_retry, name="pipeline-retry"),
    path("clerk/bounces/", views.bounces, name="bounces"),
]
