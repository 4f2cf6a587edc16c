"""Admin for consultations: staff open one on a draft with its dates and
questions, and moderate the comments (publish held ones, hide abuse)."""

from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from .consultation_models import Comment, Consultation


class DashboardColumn(Column):
    """A link to the consultation's dashboard (consultation_dashboard.py)."""

    def get_value(self, instance):
        url = reverse("consultation_dashboard", args=[instance.pk])
        return format_html('<a href="{}">{}</a>', url, _("Figures"))


class ConsultationViewSet(ModelViewSet):
    model = Consultation
    icon = "comment"
    url_prefix = "frameworks/consultations"
    name = "consultations"
    menu_label = _("Consultations")
    list_display = [
        "__str__",
        "opens_at",
        "closes_at",
        "disposition_published_at",
        DashboardColumn("dashboard", label=_("Dashboard")),
    ]
    list_filter = ["page"]
    search_fields = None
    inspect_view_enabled = True

    def get_queryset(self, request):
        return Consultation.objects.select_related("page")


class CommentViewSet(ModelViewSet):
    """Moderation of comments: only the status changes here."""

    model = Comment
    icon = "comment"
    url_prefix = "frameworks/consultation-comments"
    name = "consultation_comments"
    menu_label = _("Consultation comments")
    list_display = ["__str__", "author_name", "organisation", "status", "created_at"]
    list_filter = ["status", "type", "organisation_type", "consultation"]
    list_export = [
        "consultation",
        "clause",
        "author_name",
        "organisation",
        "organisation_type",
        "role",
        "type",
        "body",
        "replacement",
        "status",
        "created_at",
    ]
    search_fields = None
    form_fields = ["status"]
    add_view_enabled = False
    inspect_view_enabled = True

    def get_queryset(self, request):
        return Comment.objects.select_related("consultation__page", "clause")


class ConsultationViewSetGroup(ViewSetGroup):
    menu_label = _("Consultations")
    menu_icon = "comment"
    menu_order = 360
    items = (ConsultationViewSet, CommentViewSet)


@hooks.register("register_admin_viewset")
def register_consultations():
    return ConsultationViewSetGroup()


# The dashboard registers its own admin URL.
from . import consultation_dashboard  # noqa: E402, F401
