"""URLs of dockets.clerk (included by dockets/urls.py in the 'dockets' namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("clerk/", views.clerk_dashboard, name="clerk-dashboard"),
    path("clerk/qc/", views.qc_queue, name="qc-queue"),
    path("clerk/qc/entries/<int:entry_id>/review/", views.qc_review, name="qc-review"),
    path(
        "clerk/documents/<int:document_id>/view/", views.qc_document, name="qc-document"
    ),
    path(
        "clerk/entries/<int:entry_id>/correct/",
        views.entry_correct,
        name="entry-correct",
    ),
    path(
        "clerk/entries/<int:entry_id>/access/",
        views.entry_visibility,
        name="entry-visibility",
    ),
    path(
        "clerk/entries/<int:entry_id>/access/allow/",
        views.entry_seal_allow,
        name="entry-seal-allow",
    ),
    path(
        "clerk/entries/<int:entry_id>/access/revoke/",
        views.entry_seal_revoke,
        name="entry-seal-revoke",
    ),
    path(
        "clerk/documents/<int:document_id>/access/",
        views.document_visibility,
        name="document-visibility",
    ),
    path(
        "clerk/cases/<int:case_id>/deficiency/",
        views.deficiency_new,
        name="deficiency-new",
    ),
    path("clerk/deficiencies/", views.deficiency_report, name="deficiency-report"),
    path(
        "clerk/deficiencies/<int:deficiency_id>/",
        views.deficiency_action,
        name="deficiency-action",
    ),
    path(
        "clerk/cases/<int:case_id>/court-event/", views.court_event, name="court-event"
    ),
    path(
        "clerk/cases/<int:case_id>/paper-filing/",
        views.paper_filing,
        name="paper-filing",
    ),
    path("clerk/paper-petition/", views.paper_petition, name="paper-petition"),
    path("clerk/cases/<int:case_id>/audit/", views.audit_case, name="audit-case"),
    path("clerk/users/<int:user_id>/audit/", views.audit_user, name="audit-user"),
    path("chambers/orders/", views.orders_to_sign, name="orders-to-sign"),
    path(
        "chambers/orders/<int:document_id>/sign/", views.order_sign, name="order-sign"
    ),
]
