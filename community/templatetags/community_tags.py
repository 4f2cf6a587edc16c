from functools import lru_cache
from urllib.parse import quote

from django import template
from django.core.exceptions import ObjectDoesNotExist
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation
from django.utils.translation import gettext as _

register = template.Library()

# Stands for the argument in a URL reversed once (`_url_around`); any digits
# the route accepts, and no route's own text contains these.
_PLACEHOLDER = "9081726354"
# What Django's reverse() leaves unquoted in a URL (django.urls.resolvers).
_SAFE = "!$&'()*+,;=/~:@"


@register.filter
def member_name(user):
    """The name a member shows to others; deleted accounts are former members."""
    if user is None:
        return _("A former member")
    try:
        return user.community_profile.name
    except ObjectDoesNotExist:
        return user.get_full_name() or user.get_username()


@lru_cache(maxsize=256)
def _url_around(name, language, script_prefix, urlconf):
    """(before, after) the argument of `community:<name>`, reversed once per
    language, script prefix and URLconf."""
    before, _mark, after = reverse(f"community:{name}", args=[_PLACEHOLDER]).partition(
        _PLACEHOLDER
    )
    return before, after


@register.simple_tag
def community_url(name, argument):
    """`{% url 'community:<name>' argument %}` for a route with one argument
    (a post's id, a member's username), without reversing it again for each
    of a thread's posts: the same URL, quoted as reverse() quotes it."""
    argument = str(argument)
    if not argument or "/" in argument:  # what reverse() itself would refuse
        return reverse(f"community:{name}", args=[argument])
    before, after = _url_around(
        name, translation.get_language(), get_script_prefix(), get_urlconf()
    )
    return f"{before}{quote(argument, safe=_SAFE)}{after}"
