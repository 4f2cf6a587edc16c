from django import template
from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def member_name(user):
    """The name a member shows to others; deleted accounts are former members."""
    if user is None:
        return _("A former member")
    try:
        return user.community_profile.name
    except ObjectDoesNotExist:
        return user.get_full_name() or user.get_username()
