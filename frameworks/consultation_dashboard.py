"""The staff dashboard of one consultation, in the Wagtail admin: comments per
day, per clause and per type of organisation, and what waits for a moderator
or a response, with links to the moderation queue and the export.

Staff and the chairs of the framework working group (`can_respond`) see it;
anyone else is refused. Figures count every comment a moderator has not
hidden (held ones too: they were received); six queries whatever the number
of comments and clauses.
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .consultation_models import Comment, Consultation, OrganisationType
from .consultation_services import can_respond


def _bars(rows):
    """Each (label, count, …) row with the bar's width in percent of the
    largest count (at least 1% for a count that is not zero)."""
    highest = max((row["n"] for row in rows), default=0)
    for row in rows:
        row["width"] = max(1, round(100 * row["n"] / highest)) if row["n"] else 0
    return rows


def dashboard_figures(consultation):
    """The dashboard's figures for one consultation, in four queries."""
    comments = Comment.objects.filter(consultation=consultation)
    received = comments.exclude(status=Comment.Status.HIDDEN)
    totals = comments.aggregate(
        received=Count("pk", filter=~Q(status=Comment.Status.HIDDEN)),
        published=Count("pk", filter=Q(status=Comment.Status.PUBLISHED)),
        held=Count("pk", filter=Q(status=Comment.Status.HELD)),
        hidden=Count("pk", filter=Q(status=Comment.Status.HIDDEN)),
        unanswered=Count(
            "pk",
            filter=Q(status=Comment.Status.PUBLISHED, response__isnull=True),
        ),
    )
    per_day = _bars(
        list(
            received.annotate(
                day=TruncDate("created_at", tzinfo=ZoneInfo(settings.TIME_ZONE))
            )
            .values("day")
            .annotate(n=Count("pk"))
            .order_by("day")
        )
    )
    per_clause = _bars(
        list(
            received.values("clause__number")
            .annotate(n=Count("pk"))
            .order_by("-n", "clause__number")
        )
    )
    labels = dict(OrganisationType.choices)
    per_organisation_type = _bars(
        [
            {**row, "label": labels.get(row["organisation_type"], "")}
            for row in received.values("organisation_type")
            .annotate(n=Count("pk"))
            .order_by("-n", "organisation_type")
        ]
    )
    return {
        "totals": totals,
        "per_day": per_day,
        "per_clause": per_clause,
        "per_organisation_type": per_organisation_type,
    }


class ConsultationDashboardView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "frameworks/admin/consultation_dashboard.html"
    header_icon = "comment"

    def dispatch(self, request, *args, **kwargs):
        if not can_respond(request.user):
            raise PermissionDenied
        self.consultation = get_object_or_404(
            Consultation.objects.select_related("page"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Dashboard: %(consultation)s") % {"consultation": self.consultation}

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse("consultations:index"),
                "label": gettext_lazy("Consultations"),
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        consultation = self.consultation
        comments_url = reverse("consultation_comments:index")
        context.update(
            dashboard_figures(consultation),
            consultation=consultation,
            moderation_url=(
                f"{comments_url}?consultation={consultation.pk}"
                f"&status={Comment.Status.HELD}"
            ),
            export_url=(f"{comments_url}?consultation={consultation.pk}&export=xlsx"),
            public_url=consultation.get_url(self.request),
            respond_url=consultation.get_url(self.request) + "respond/",
        )
        return context


@hooks.register("register_admin_urls")
def register_dashboard_url():
    return [
        path(
            "frameworks/consultations/<int:pk>/dashboard/",
            ConsultationDashboardView.as_view(),
            name="consultation_dashboard",
        )
    ]
