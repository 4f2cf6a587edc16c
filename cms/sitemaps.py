from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page


class LocalizedSitemap(Sitemap):
    """Wagtail's sitemap, with the pages of every language (issue 21).

    Wagtail's lists the site's root page's tree, which is the English one;
    each translation of the root heads its own tree (the French pages, at
    /fr/…). Each page is listed at its own language's address.
    """

    def items(self):
        roots = self.get_wagtail_site().root_page.get_translations(inclusive=True)
        trees = Q()
        for root in roots.only("path"):
            trees |= Q(path__startswith=root.path)
        return (
            Page.objects.filter(trees)
            .live()
            .public()
            .order_by("path")
            .defer_streamfields()
            .specific()
        )
