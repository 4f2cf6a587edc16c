from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.my_registrations, name="mine"),
    path("<int:pk>/cancel/", views.cancel_mine, name="cancel_mine"),
    path("manage/<str:token>/", views.manage, name="manage"),
    path("manage/<str:token>/event.ics", views.manage_ics, name="manage_ics"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
]
