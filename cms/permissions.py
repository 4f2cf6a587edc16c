"""Who may open the Wagtail admin."""

from django.contrib.auth.models import Permission
from django.db.models import Q


def may_access_admin(user):
    """Whether this user may open the Wagtail admin (and so gets the user bar),
    from the database: one query where asking Django for the user's
    permissions takes two."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if hasattr(user, "_perm_cache"):  # Django has loaded them already
        return user.has_perm("wagtailadmin.access_admin")
    return (
        Permission.objects.filter(
            content_type__app_label="wagtailadmin", codename="access_admin"
        )
        .filter(Q(user=user) | Q(group__user=user))
        .exists()
    )
