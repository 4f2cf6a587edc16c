"""The admin's side of translations: the dashboard panel and "Submit for review"."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin.ui.components import Component
from wagtail.models import Page

from . import translations


class TranslationsPanel(Component):
    """Dashboard: the translated pages, out-of-date ones first, with their
    actions (edit, sync from the source, submit for review)."""

    name = "translations"
    template_name = "cms/admin/translations_panel.html"
    order = 210

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        rows = translations.page_translations(request.user)
        return {
            "rows": [
                {
                    "row": row,
                    "edit_url": reverse("wagtailadmin_pages:edit", args=[row.page.pk]),
                    "sync_url": reverse(
                        "wagtail_localize:update_translations",
                        args=[row.translation.source_id],
                    ),
                    "submit_url": reverse("cms_submit_translation", args=[row.page.pk]),
                }
                for row in rows
            ],
            "request": request,
        }


def submit_translation(request, page_id):
    """Ask, then save the translation as a draft and start its workflow."""
    page = get_object_or_404(Page, pk=page_id).specific
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    if request.method == "POST":
        try:
            translations.submit_for_review(page=page, user=request.user)
        except translations.TranslationReviewError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("“%(title)s” was submitted for review.") % {"title": page.title},
            )
        return redirect("wagtailadmin_home")
    return TemplateResponse(
        request,
        "cms/admin/submit_translation.html",
        {"page": page, "workflow": page.get_workflow()},
    )
