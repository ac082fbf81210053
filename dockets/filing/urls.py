"""URLs of dockets.filing (included by dockets/urls.py in the 'dockets' namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("file/", views.filing_start, name="filing-start"),
    path("file/<int:draft_id>/discard/", views.draft_discard, name="filing-discard"),
    path(
        "file/<int:draft_id>/files/<int:index>/<str:kind>/",
        views.draft_file,
        name="filing-draft-file",
    ),
    path("file/<int:draft_id>/<str:step>/", views.filing_step, name="filing-step"),
    path(
        "entries/<int:entry_id>/receipt/", views.filing_receipt, name="filing-receipt"
    ),
    path("filings/mine/", views.filing_log, name="filing-log"),
    path("fees/due/", views.fees_due, name="fees-due"),
    path("fees/<int:payment_id>/pay/", views.fee_pay, name="fee-pay"),
    path("pay/<str:token>/", views.pay_gateway, name="pay-gateway"),
]
