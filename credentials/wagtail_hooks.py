"""The catalogue in the Wagtail admin: entries and providers as snippets, import."""

from django.db.models import Avg, Count
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import admin_views
from .models import MicroCredential, Provider


class CompletenessColumn(Column):
    def get_value(self, instance):
        value = getattr(instance, self.accessor, None)
        if value is None:
            return "–"
        return f"{round(value)} / {len(_eu())}"


def _eu():
    from .models import EU_ELEMENTS

    return EU_ELEMENTS


class MicroCredentialViewSet(SnippetViewSet):
    model = MicroCredential
    icon = "doc-full-inverse"
    menu_label = _("Micro-credentials")
    list_display = [
        "title",
        "provider",
        "status",
        CompletenessColumn("completeness", label=_("EU elements stated")),
        "updated_at",
    ]
    list_filter = ["provider", "status", "delivery_mode", "level", "language"]
    search_fields = ["title", "description", "external_id"]
    # The database directly: Wagtail's index cannot search external_id, and it
    # misses the entries that imports bulk-create.
    search_backend_name = None
    ordering = ["title"]
    copy_view_enabled = False

    def get_queryset(self, request):
        return MicroCredential.objects.select_related("provider")


class ProviderViewSet(SnippetViewSet):
    model = Provider
    icon = "group"
    menu_label = _("Providers")
    list_display = [
        "name",
        "provider_type",
        "region",
        Column("credential_count", label=_("Entries")),
        CompletenessColumn("average_completeness", label=_("Average EU elements")),
    ]
    list_filter = ["provider_type"]
    search_fields = ["name"]

    def get_queryset(self, request):
        return Provider.objects.annotate(
            credential_count=Count("credentials"),
            average_completeness=Avg("credentials__completeness"),
        )


class CatalogueGroup(SnippetViewSetGroup):
    items = (MicroCredentialViewSet, ProviderViewSet)
    menu_icon = "list-ul"
    menu_label = _("Catalogue")
    menu_name = "catalogue"


register_snippet(CatalogueGroup)


@hooks.register("register_admin_urls")
def register_import_url():
    return [
        path(
            "catalogue/import/",
            admin_views.import_view,
            name="credentials_import",
        )
    ]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("credentials.add_microcredential")


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportMenuItem(
        _("Import catalogue"),
        reverse("credentials_import"),
        icon_name="upload",
        order=301,
    )
