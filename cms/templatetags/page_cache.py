"""Template fragments shared by every visitor until the next page change.

    {% load cache page_cache %}
    {% page_cache_version as version %}
    {% cache 600 home_featured page.pk LANGUAGE_CODE version %}…{% endcache %}

The version changes whenever a page is published, unpublished, moved or
deleted (cms.cache.invalidate), so the fragment never outlives what it shows.
Only for fragments that are the same for everyone: never personal data.
"""

from django import template

from cms.cache import current_version

register = template.Library()


@register.simple_tag
def page_cache_version():
    return current_version()
