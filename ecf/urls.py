from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from dockets.api.api import dockets_api
from filers.permissions import admin_login_for_court_users, may_use_admin

# The admin behind the same door as every court page: allauth's login (with its
# two-factor stage), and only an active court user with staff status gets in.
# (mypy: the stubs declare these methods read-only; replacing them is the point here.)
admin.site.login = secure_admin_login(admin_login_for_court_users(admin.site.login))  # type: ignore[method-assign]
admin.site.has_permission = may_use_admin  # type: ignore[method-assign]

urlpatterns = [
    path("", include("core.urls", namespace="core")),
    path("accounts/", include("allauth.urls")),
    # The language switch (templates/includes/language_switch.html) posts here.
    path("i18n/", include("django.conf.urls.i18n")),
    path("filers/", include("filers.urls", namespace="filers")),
    path("cases/", include("cases.urls", namespace="cases")),
    path("", include("dockets.urls", namespace="dockets")),
    path("training/", include("training.urls", namespace="training")),
    path("admin/", admin.site.urls),
    path("api/v1/", dockets_api.urls),
]

handler404 = "core.views.not_found"
handler500 = "core.views.server_error"
