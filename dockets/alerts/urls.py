"""URLs of dockets.alerts (included by dockets/urls.py in the 'dockets' namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("alerts/", views.alert_list, name="alerts"),
    path("alerts/<int:alert_id>/", views.alert_change, name="alert-change"),
]
