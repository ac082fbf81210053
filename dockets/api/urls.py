from django.urls import path

from . import views

urlpatterns = [
    path("account/api-tokens/", views.token_list, name="api-tokens"),
    path(
        "account/api-tokens/<int:token_id>/revoke/",
        views.token_revoke,
        name="api-token-revoke",
    ),
    path("api/v1/docs", views.api_reference, name="api-reference"),
]
