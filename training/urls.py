from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    # live
    path("", views.exercises, name="exercises"),
    path("check/", views.check, name="check"),
    path("practise/", views.practise, name="practise"),
    path("clerk/", views.clerk_trainees, name="clerk-trainees"),
    path("clerk/trainees/<int:user_id>/", views.clerk_progress, name="clerk-progress"),
    path("clerk/reset/", views.reset, name="reset"),
    # training instance
    path("start/<str:token>/", views.practice_login, name="practice-login"),
]
