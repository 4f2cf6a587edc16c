from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from .models import FrameworkVersion

FEED_LENGTH = 50


class FrameworkFeed(Feed):
    """Atom feed of published documents and their new versions; never drafts."""

    feed_type = Atom1Feed

    def __init__(self, index_page):
        super().__init__()
        self.index_page = index_page

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return self.index_page

    def title(self, obj):
        return _("%(title)s: new documents and versions") % {"title": obj.title}

    def subtitle(self, obj):
        return obj.summary

    def link(self, obj):
        return obj.get_url(self.request)

    def items(self, obj):
        # Anonymous rules, whoever asks: feed readers share and cache feeds.
        return (
            FrameworkVersion.objects.visible_to(None)
            .filter(page__path__startswith=obj.path)
            .select_related("page")
            .order_by("-published_at")[:FEED_LENGTH]
        )

    def item_title(self, item):
        return _("%(title)s, version %(number)s") % {
            "title": item.title,
            "number": item.number,
        }

    def item_description(self, item):
        return item.change_summary or item.page.summary

    def item_link(self, item):
        return item.get_url(self.request)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [item.page.get_document_type_display()]
