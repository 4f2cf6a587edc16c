"""Template fragments shared by every visitor until the next page change.

    {% load cache page_cache %}
    {% page_cache_version as version %}
    {% cache 600 home_featured page.pk LANGUAGE_CODE version %}…{% endcache %}

The version changes whenever a page is published, unpublished, moved or
deleted (cms.cache.invalidate), so the fragment never outlives what it shows.
Only for fragments that are the same for everyone: never personal data.
"""

import hashlib
import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from cms.cache import cached_fragment, current_version

register = template.Library()


@register.simple_tag
def page_cache_version():
    return current_version()


@register.simple_tag(takes_context=True)
def include_shared_block(context, value):
    """Wagtail's `{% include_block value %}` for a page's StreamField, rendered
    once and shared by every visitor until the next page change.

    The key is the content itself (a digest of its stored JSON) with the site
    and the language, so a preview or an old version never shares a rendering
    with the live page, and an edit needs no invalidation of its own. What the
    blocks show of other objects (a linked page's URL, an image, a document's
    title) follows the page cache's version, which publishing, moving or
    deleting pages and changing images or documents replace. Blocks must not
    show anything personal (templates/components/ read no user or request).
    """
    if not hasattr(value, "render_as_block"):
        return conditional_escape(value)
    request = context.get("request")
    site = getattr(request, "_wagtail_site", None)
    raw = json.dumps(list(value.raw_data), cls=DjangoJSONEncoder, sort_keys=True)
    digest = hashlib.md5(raw.encode(), usedforsecurity=False).hexdigest()
    name = f"block:{getattr(site, 'pk', '')}:{get_language()}:{digest}"
    return cached_fragment(
        name,
        lambda: mark_safe(value.render_as_block(context=context.flatten())),  # noqa: S308 - rendered blocks
    )
