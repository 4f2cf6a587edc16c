"""Who may open the Wagtail admin."""

from django.contrib.auth.models import Permission
from django.db.models import CharField, Exists, ExpressionWrapper, F, OuterRef, Q

# A request that has already read the answer with other things about its user
# (community.accounts.is_privileged) leaves it on that user object, so that
# the page's user bar does not ask again. Never kept beyond the request.
ANSWER = "_may_access_admin"


def _access_admin(user_ref):
    return Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    ).filter(Q(user=user_ref) | Q(group__user=user_ref))


def admin_permission():
    """For a query on users: whether the row's user holds
    wagtailadmin.access_admin, directly or through a group."""
    return Exists(_access_admin(OuterRef("pk")))


def may_access_admin(user):
    """Whether this user may open the Wagtail admin (and so gets the user bar),
    from the database: one query where asking Django for the user's
    permissions takes two, none when this request has read it already."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if ANSWER in user.__dict__:
        return user.__dict__[ANSWER]
    if hasattr(user, "_perm_cache"):  # Django has loaded them already
        return user.has_perm("wagtailadmin.access_admin")
    return _access_admin(user).exists()


def public_pages(pages):
    """`pages.public()` in one query: Wagtail's reads every view restriction
    first, then excludes their pages and descendants; this asks the database
    for the same in a subquery (a restriction on the page or an ancestor)."""
    from wagtail.models import PageViewRestriction

    restricted = PageViewRestriction.objects.annotate(
        target=ExpressionWrapper(OuterRef("path"), output_field=CharField())
    ).filter(target__startswith=F("page__path"))
    return pages.exclude(Exists(restricted))
