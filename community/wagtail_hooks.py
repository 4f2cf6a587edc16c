"""The moderation queue and audit log in the Wagtail admin; working groups and
spaces as snippets."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Min, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import services
from .forms import SuspendForm
from .managers import is_moderator
from .models import ModerationLog, Post, Space, WorkingGroup


def _moderator(request):
    if not is_moderator(request.user):
        raise PermissionDenied


def queue(request):
    """Posts with open flags, most flagged first; and posts hidden so far."""
    _moderator(request)
    flagged = (
        Post.objects.filter(flags__resolved_at__isnull=True)
        .annotate(
            open_flags=Count("flags", filter=Q(flags__resolved_at__isnull=True)),
            first_flag=Min("flags__created_at"),
        )
        .select_related("thread__space", "author__community_profile")
        .prefetch_related("flags")
        .order_by("-open_flags", "first_flag")
    )
    hidden = (
        Post.objects.filter(hidden_at__isnull=False)
        .select_related("thread__space", "author__community_profile")
        .order_by("-hidden_at")[:50]
    )
    return render(
        request,
        "community/admin/queue.html",
        {
            "page_title": _("Moderation queue"),
            "header_icon": "warning",
            "flagged": flagged,
            "hidden": hidden,
            "suspend_form": SuspendForm(initial={"days": 7}),
        },
    )


@require_POST
def act(request, pk):
    _moderator(request)
    post = get_object_or_404(Post.objects.select_related("author"), pk=pk)
    action = request.POST.get("action")
    try:
        if action == "hide":
            services.hide_post(
                moderator=request.user, post=post, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("The post is hidden."))
        elif action == "restore":
            services.restore_post(moderator=request.user, post=post)
            messages.success(request, _("The post is restored."))
        elif action == "dismiss":
            services.dismiss_flags(moderator=request.user, post=post)
            messages.success(request, _("The flags are dismissed."))
        elif action == "suspend":
            form = SuspendForm(request.POST)
            if post.author is None or not form.is_valid():
                raise services.CommunityError(
                    _("Enter a number of days between 0 and 3650.")
                )
            services.suspend_member(
                moderator=request.user,
                member=post.author,
                days=form.cleaned_data["days"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("The member's posting has been suspended."))
        else:
            raise services.CommunityError(_("Unknown action."))
    except services.CommunityError as exc:
        messages.error(request, exc.message)
    return redirect("community_moderation_queue")


def audit_log(request):
    _moderator(request)
    entries = ModerationLog.objects.select_related("actor", "post", "thread", "member")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "community/admin/audit_log.html",
        {
            "page_title": _("Moderation audit log"),
            "header_icon": "history",
            "page_obj": page,
            "entries": page.object_list,
        },
    )


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("community/moderation/", queue, name="community_moderation_queue"),
        path(
            "community/moderation/<int:pk>/",
            act,
            name="community_moderation_act",
        ),
        path("community/audit-log/", audit_log, name="community_audit_log"),
    ]


class ModeratorMenuItem(MenuItem):
    def is_shown(self, request):
        return is_moderator(request.user)


@hooks.register("register_admin_menu_item")
def moderation_menu_item():
    return ModeratorMenuItem(
        gettext_lazy("Moderation"),
        reverse("community_moderation_queue"),
        icon_name="warning",
        order=900,
    )


@hooks.register("register_admin_menu_item")
def audit_menu_item():
    return ModeratorMenuItem(
        gettext_lazy("Moderation log"),
        reverse("community_audit_log"),
        icon_name="history",
        order=901,
    )


class WorkingGroupViewSet(SnippetViewSet):
    model = WorkingGroup
    icon = "group"
    menu_label = gettext_lazy("Working groups")
    add_to_admin_menu = True
    menu_order = 902
    list_display = ["name", "slug"]


class SpaceViewSet(SnippetViewSet):
    model = Space
    icon = "comment"
    menu_label = gettext_lazy("Discussion spaces")
    add_to_admin_menu = True
    menu_order = 903
    list_display = ["name", "visibility", "working_group"]


register_snippet(WorkingGroupViewSet)
register_snippet(SpaceViewSet)
