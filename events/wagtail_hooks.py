from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_views
from .models import Speaker


class SpeakerViewSet(SnippetViewSet):
    model = Speaker
    icon = "user"
    menu_label = _("Speakers")
    add_to_admin_menu = True
    menu_order = 310
    list_display = ["name", "title", "organisation"]
    search_fields = ["name", "organisation"]


register_snippet(SpeakerViewSet)


admin_urlpatterns = [
    path("", admin_views.index, name="index"),
    path("<int:event_id>/", admin_views.registrations, name="registrations"),
    path("<int:event_id>/export.csv", admin_views.export_csv, name="export_csv"),
    path("<int:event_id>/export.xlsx", admin_views.export_xlsx, name="export_xlsx"),
    path("<int:event_id>/check-in/", admin_views.check_in, name="check_in"),
    path("<int:event_id>/email/", admin_views.email_attendees, name="email"),
    path("<int:event_id>/<int:pk>/cancel/", admin_views.cancel, name="cancel"),
    path("<int:event_id>/<int:pk>/promote/", admin_views.promote, name="promote"),
]


@hooks.register("register_admin_urls")
def register_registration_urls():
    return [
        path(
            "registrations/",
            include((admin_urlpatterns, "events_admin"), namespace="events_admin"),
        )
    ]


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_staff or request.user.is_superuser


@hooks.register("register_admin_menu_item")
def register_registrations_menu_item():
    return StaffMenuItem(
        _("Registrations"),
        reverse("events_admin:index"),
        icon_name="group",
        order=300,
    )
