from django.urls import path

from . import accounts, views
from .feeds import SpaceThreadsFeed

app_name = "community"

urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.search, name="search"),
    path("spaces/<slug:slug>/", views.space_detail, name="space"),
    path("spaces/<slug:slug>/feed/", SpaceThreadsFeed(), name="space_feed"),
    path("spaces/<slug:slug>/new/", views.new_thread, name="new_thread"),
    path("spaces/<slug:slug>/watch/", views.watch_space, name="watch_space"),
    path("threads/<int:pk>/", views.thread_detail, name="thread"),
    path("threads/<int:pk>/watch/", views.watch_thread, name="watch_thread"),
    path("threads/<int:pk>/moderate/", views.moderate_thread, name="moderate_thread"),
    path("posts/<int:pk>/", views.post_permalink, name="post"),
    path("posts/<int:pk>/edit/", views.edit_post, name="edit_post"),
    path("posts/<int:pk>/delete/", views.delete_post, name="delete_post"),
    path("posts/<int:pk>/history/", views.post_history, name="post_history"),
    path("posts/<int:pk>/like/", views.like_post, name="like_post"),
    path("posts/<int:pk>/flag/", views.flag_post, name="flag_post"),
    path("posts/<int:pk>/decision/", views.mark_decision, name="mark_decision"),
    path("members/", views.directory, name="directory"),
    path("members/<str:username>/", views.profile, name="profile"),
    path("members/<str:username>/avatar/", views.avatar, name="avatar"),
    path(
        "members/<str:username>/suspend/",
        views.suspend_member,
        name="suspend_member",
    ),
    path("profile/", views.edit_profile, name="edit_profile"),
    path("notifications/", views.notifications, name="notifications"),
    path("export/", views.export_data, name="export"),
    path("delete-account/", views.delete_account, name="delete_account"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("groups/<slug:slug>/", views.working_group, name="working_group"),
    path("groups/<slug:slug>/join/", views.join_working_group, name="join"),
    path("groups/<slug:slug>/invite/", views.invite_member, name="invite"),
    path(
        "groups/<slug:slug>/members/<int:pk>/",
        views.manage_membership,
        name="manage_membership",
    ),
    path(
        "two-factor/enrol/",
        accounts.enrol_second_factor,
        name="enrol_second_factor",
    ),
    path("invitations/<str:token>/", views.accept_invitation, name="accept_invitation"),
]
