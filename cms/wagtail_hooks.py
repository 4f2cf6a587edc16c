from wagtail import hooks
from wagtail.models import Page
from wagtail.rich_text.pages import PageLinkHandler


class PageLinkByPath(PageLinkHandler):
    """Links to pages in rich text: one query for a block's links, where
    Wagtail's handler takes two (it loads each linked page's specific type).
    A URL only needs the generic page, since no page type of this site builds
    its URL differently (none overrides `get_url_parts`)."""

    @classmethod
    def get_many(cls, attrs_list):
        ids = [attrs.get("id") for attrs in attrs_list]
        pages = {str(page.pk): page for page in Page.objects.filter(pk__in=ids)}
        return [pages.get(str(id_)) for id_ in ids]


@hooks.register("register_rich_text_features", order=1)  # after Wagtail's own
def register_page_links(features):
    features.register_link_type(PageLinkByPath)


@hooks.register("construct_homepage_panels")
def add_translations_panel(request, panels):
    from .admin_translations import TranslationsPanel

    panels.append(TranslationsPanel())


@hooks.register("register_admin_urls")
def register_translation_urls():
    from django.urls import path

    from .admin_translations import submit_translation

    return [
        path(
            "translations/<int:page_id>/submit/",
            submit_translation,
            name="cms_submit_translation",
        )
    ]
