from django.urls import path

from . import preferred_views, views

app_name = "cases"

urlpatterns = [
    path("", views.case_search, name="search"),
    path("trustees/members/", views.trustee_members, name="trustee-members"),
    path(
        "trustees/<int:trustee_id>/members/<int:user_id>/unlink/",
        views.trustee_member_unlink,
        name="trustee-member-unlink",
    ),
    path("status/", views.court_status, name="status"),
    path("closures/", views.closures_manage, name="closures"),
    path(
        "preferred-addresses/",
        preferred_views.preferred_addresses,
        name="preferred-addresses",
    ),
    path("<int:case_id>/", views.case_summary, name="summary"),
    path("<int:case_id>/parties/", views.party_manage, name="parties"),
    path(
        "<int:case_id>/parties/<int:party_id>/terminate/",
        views.party_terminate,
        name="party-terminate",
    ),
]
