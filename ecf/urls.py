from django.contrib import admin
from django.urls import include, path

from dockets.api.api import dockets_api

urlpatterns = [
    path("", include("core.urls", namespace="core")),
    path("accounts/", include("allauth.urls")),
    path("filers/", include("filers.urls", namespace="filers")),
    path("cases/", include("cases.urls", namespace="cases")),
    path("", include("dockets.urls", namespace="dockets")),
    path("training/", include("training.urls", namespace="training")),
    path("admin/", admin.site.urls),
    path("api/v1/", dockets_api.urls),
]

handler404 = "core.views.not_found"
handler500 = "core.views.server_error"
