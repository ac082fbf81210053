"""URLs of dockets.claims (included by dockets/urls.py in the 'dockets' namespace)."""

from django.urls import path

from . import batch_views, epoc_views, views

urlpatterns = [
    path("cases/<int:case_id>/claims/", views.claims_register, name="claims-register"),
    path(
        "cases/<int:case_id>/claims/register.csv", views.claims_csv, name="claims-csv"
    ),
    path("cases/<int:case_id>/claims/file/", views.claim_file, name="claim-file"),
    path("cases/<int:case_id>/claims/epoc/", epoc_views.epoc, name="epoc"),
    path(
        "cgi-bin/SearchClaims.pl",
        views.claims_register_legacy,
        name="claims-register-legacy",
    ),
    path("claims/epoc/", epoc_views.epoc_start, name="epoc-start"),
    path(
        "claims/epoc/receipt/<str:token>/", epoc_views.epoc_receipt, name="epoc-receipt"
    ),
    path(
        "claims/epoc/receipt/<str:token>/<int:sequence>.pdf",
        epoc_views.epoc_download,
        name="epoc-download",
    ),
    path("claims/mine/", views.my_claims, name="my-claims"),
    path("claims/upload/", batch_views.claims_upload, name="claims-upload"),
    path(
        "claims/upload/format/",
        batch_views.claims_upload_spec,
        name="claims-upload-spec",
    ),
    path(
        "claims/upload/<int:batch_pk>/",
        batch_views.claims_upload_batch,
        name="claims-upload-batch",
    ),
    path(
        "clerk/claims/transfers/",
        views.claim_transfers_pending,
        name="claim-transfers",
    ),
    path(
        "clerk/claims/transfers/<int:transfer_id>/decide/",
        views.claim_transfer_decide,
        name="claim-transfer-decide",
    ),
    path("claims/<int:claim_id>/", views.claim_detail, name="claim-detail"),
    path("claims/<int:claim_id>/amend/", views.claim_amend, name="claim-amend"),
    path(
        "claims/<int:claim_id>/withdraw/", views.claim_withdraw, name="claim-withdraw"
    ),
    path(
        "claims/<int:claim_id>/transfer/", views.claim_transfer, name="claim-transfer"
    ),
    path(
        "claims/<int:claim_id>/rule-3002-1/",
        views.claim_supplement,
        name="claim-supplement",
    ),
    path("claims/<int:claim_id>/correct/", views.claim_correct, name="claim-correct"),
    path(
        "claims/<int:claim_id>/wrong-case/",
        views.claim_wrong_case,
        name="claim-wrong-case",
    ),
    path(
        "claims/documents/<int:document_id>.pdf",
        epoc_views.claim_document,
        name="claim-document",
    ),
]
