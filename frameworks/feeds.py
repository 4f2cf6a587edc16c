from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from .models import Consultation, FrameworkVersion

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
        versions = (
            FrameworkVersion.objects.visible_to(None)
            .filter(page__path__startswith=obj.path)
            .select_related("page")
            .order_by("-published_at")[:FEED_LENGTH]
        )
        # Consultations from their opening date (consultation_managers).
        consultations = (
            Consultation.objects.visible_to(None)
            .filter(page__path__startswith=obj.path)
            .select_related("page")
            .order_by("-opens_at")[:FEED_LENGTH]
        )
        items = [*versions, *consultations]
        items.sort(key=self.item_pubdate, reverse=True)
        return items[:FEED_LENGTH]

    def item_title(self, item):
        if isinstance(item, Consultation):
            return _("Draft open for comments: %(title)s %(number)s") % {
                "title": item.page.title,
                "number": item.version,
            }
        return _("%(title)s, version %(number)s") % {
            "title": item.title,
            "number": item.number,
        }

    def item_description(self, item):
        if isinstance(item, Consultation):
            return item.introduction or item.page.summary
        return item.change_summary or item.page.summary

    def item_link(self, item):
        return item.get_url(self.request)

    def item_pubdate(self, item):
        if isinstance(item, Consultation):
            return item.opens_at
        return item.published_at

    def item_updateddate(self, item):
        if isinstance(item, Consultation):
            return item.disposition_published_at or item.opens_at
        return item.updated_at

    def item_categories(self, item):
        if isinstance(item, Consultation):
            return [_("Consultation")]
        return [item.page.get_document_type_display()]
