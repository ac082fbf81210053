"""URLs of dockets.alerts (included by dockets/urls.py in the 'dockets' namespace)."""

from django.urls import path

from . import views, webhook_views

urlpatterns = [
    path("alerts/", views.alert_list, name="alerts"),
    path("alerts/<int:alert_id>/", views.alert_change, name="alert-change"),
    path("account/webhooks/", webhook_views.webhook_list, name="webhooks"),
    path(
        "account/webhooks/<int:webhook_id>/",
        webhook_views.webhook_detail,
        name="webhook-detail",
    ),
    path(
        "account/webhooks/<int:webhook_id>/rotate/",
        webhook_views.webhook_rotate,
        name="webhook-rotate",
    ),
    path(
        "account/webhooks/<int:webhook_id>/reactivate/",
        webhook_views.webhook_reactivate,
        name="webhook-reactivate",
    ),
    path(
        "account/webhooks/<int:webhook_id>/delete/",
        webhook_views.webhook_delete,
        name="webhook-delete",
    ),
    path(
        "account/webhooks/<int:webhook_id>/deliveries/<int:delivery_id>/retry/",
        webhook_views.webhook_retry,
        name="webhook-retry",
    ),
]
