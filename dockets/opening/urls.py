"""URLs of dockets.opening (included by dockets/urls.py in the 'dockets' namespace).

The paths stay under /cases/: a newcomer finds "open a case" where the cases are.
"""

from django.urls import path

from . import views

urlpatterns = [
    path("cases/open/", views.case_open, name="case-open"),
    path("cases/<int:case_id>/opened/", views.case_opened, name="case-opened"),
    path("cases/<int:case_id>/matrix/", views.matrix_upload, name="matrix-upload"),
    path("cases/<int:case_id>/adversary/", views.adversary_open, name="adversary-open"),
]
