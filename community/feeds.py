from django.contrib.syndication.views import Feed
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from .models import Post, Space


class SpaceThreadsFeed(Feed):
    """New threads of a public space. Private spaces have no feed (404)."""

    feed_type = Atom1Feed

    def get_object(self, request, slug):
        space = get_object_or_404(Space.objects.visible_to(None), slug=slug)
        if not space.is_public:
            raise Http404
        return space

    def title(self, space):
        return space.name

    def subtitle(self, space):
        return space.description

    def link(self, space):
        return space.get_absolute_url()

    def items(self, space):
        first_post = (
            Post.objects.public()
            .filter(thread=OuterRef("pk"))
            .order_by("created_at", "pk")
            .values("pk")[:1]
        )
        threads = list(
            space.threads.annotate(first_post_id=Subquery(first_post))
            .order_by("-created_at")
            .select_related("author__community_profile")[:30]
        )
        posts = Post.objects.in_bulk(
            [t.first_post_id for t in threads if t.first_post_id]
        )
        for thread in threads:
            thread.first_post = posts.get(thread.first_post_id)
        return threads

    def item_title(self, thread):
        return thread.title

    def item_description(self, thread):
        return thread.first_post.body_html if thread.first_post else ""

    def item_author_name(self, thread):
        if thread.author is None:
            return _("A former member")
        return thread.author.community_profile.name

    def item_pubdate(self, thread):
        return thread.created_at

    def item_link(self, thread):
        return thread.get_absolute_url()
