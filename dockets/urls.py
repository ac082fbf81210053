"""The dockets app's URLs: one module per area, all in the 'dockets' namespace."""

from django.urls import include, path

app_name = "dockets"

urlpatterns = [
    path("", include("dockets.opening.urls")),
    path("", include("dockets.filing.urls")),
    path("", include("dockets.pipeline.urls")),
    path("", include("dockets.fulltext.urls")),
    path("", include("dockets.alerts.urls")),
    path("", include("dockets.bulk.urls")),
    path("", include("dockets.claims.urls")),
    path("", include("dockets.clerk.urls")),
    path("", include("dockets.reports.urls")),
    path("", include("dockets.api.urls")),
]
