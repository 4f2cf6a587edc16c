from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .models import DocumentDownloadCount


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Counters change only through downloads, never by hand."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return super().user_has_permission(user, action)


class DocumentDownloadViewSet(ModelViewSet):
    model = DocumentDownloadCount
    icon = "download"
    menu_label = _("Downloads")
    add_to_admin_menu = True
    menu_order = 350
    url_prefix = "frameworks/downloads"
    name = "framework_downloads"
    list_display = ["document", "count", "last_downloaded_at"]
    list_filter = []
    search_fields = None
    form_fields = ["count"]
    inspect_view_enabled = False
    list_per_page = 100

    def get_queryset(self, request):
        return DocumentDownloadCount.objects.select_related("document")


register_permission_policy(
    DocumentDownloadCount, ReadOnlyPermissionPolicy(DocumentDownloadCount)
)


@hooks.register("register_admin_viewset")
def register_download_counts():
    return DocumentDownloadViewSet()


# Consultations on drafts: their admin views register their own hooks.
from . import consultation_admin  # noqa: E402, F401
