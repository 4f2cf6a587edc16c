"""Read-only JSON for discussions at /api/v1/community/…; same visibility as pages."""

from datetime import datetime

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.pagination import paginate

from cms.api_schemas import Id, Pagination, Text, responses

from .models import Post, Space, Thread

router = Router(tags=["community"])


class SpaceOut(Schema):
    slug: str
    name: str
    description: str
    visibility: str
    url: str

    @staticmethod
    def resolve_url(obj):
        return settings.SITE_URL + obj.get_absolute_url()


class ThreadOut(Schema):
    id: int
    title: str
    reply_count: int
    is_pinned: bool
    is_locked: bool
    created_at: datetime
    last_activity_at: datetime
    url: str

    @staticmethod
    def resolve_url(obj):
        return settings.SITE_URL + obj.get_absolute_url()


class PostOut(Schema):
    id: int
    author: str
    body_html: str
    created_at: datetime
    edited: bool

    @staticmethod
    def resolve_author(obj):
        return obj.author.community_profile.name if obj.author else _("A former member")

    @staticmethod
    def resolve_edited(obj):
        return obj.edited_at is not None


@router.get("/community/spaces", response=responses(list[SpaceOut], parameters=False))
def list_spaces(request):
    return Space.objects.visible_to(request.user)


@router.get(
    "/community/spaces/{slug}/threads",
    response=responses(list[ThreadOut], not_found=True),
)
@paginate(Pagination)
def list_threads(request, slug: Text):
    space = get_object_or_404(Space.objects.visible_to(request.user), slug=slug)
    return space.threads.order_by("-is_pinned", "-last_activity_at", "-pk")


@router.get(
    "/community/threads/{thread_id}/posts",
    response=responses(list[PostOut], not_found=True),
)
@paginate(Pagination)
def list_posts(request, thread_id: Id):
    thread = get_object_or_404(Thread.objects.visible_to(request.user), pk=thread_id)
    return (
        Post.objects.visible_to(request.user)
        .filter(thread=thread)
        .select_related("author__community_profile")
        .order_by("created_at", "pk")
    )
