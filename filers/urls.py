from django.urls import path

from . import views

app_name = "filers"

urlpatterns = [
    path("register/", views.register, name="register"),
    path("agreement/", views.agreement, name="agreement"),
    path("status/", views.status, name="status"),
    path("menu/", views.menu, name="menu"),
    path("account/", views.account, name="account"),
    path("agents/", views.agents, name="agents"),
    path("agents/link/", views.agent_link, name="agent-link"),
    path("agents/<int:link_id>/fees/", views.agent_fees, name="agent-fees"),
    path("agents/<int:link_id>/unlink/", views.agent_unlink, name="agent-unlink"),
    path("clerk/registrations/", views.clerk_queue, name="clerk-queue"),
    path("clerk/filers/", views.clerk_filers, name="clerk-filers"),
    path("clerk/filers/<int:filer_id>/", views.clerk_filer, name="clerk-filer"),
    path(
        "clerk/filers/<int:filer_id>/role/", views.clerk_change_role, name="clerk-role"
    ),
    path(
        "clerk/filers/<int:filer_id>/<slug:decision>/",
        views.clerk_decide,
        name="clerk-decide",
    ),
]
