"""Who may open the Wagtail admin, and Django's permissions in one query, cached.

Every page offers Wagtail's user bar to the people who can edit, and the
community's pages ask whether the visitor moderates. Asking Django loads all
of a member's permissions (two queries) on every page view. Here they are read
in one query and kept in the cache per user, under a version that any change
to users' groups, groups' permissions or users' own permissions bumps, at once
and again after the commit (`permissions_changed`). Whether the user is active
or a superuser comes from their row, read on every request. A permission given
or taken away therefore counts from the next request, as before.
"""

import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete

ACCESS_ADMIN = "wagtailadmin.access_admin"
VERSION_KEY = "permissions:version"


def _version():
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, int(time.time() * 1000), None)
        version = cache.get(VERSION_KEY)
    return version


def permissions_changed(**kwargs):
    """Forget every cached answer (signal receiver; also callable directly).

    Now, and again once the change is committed: a request that read the old
    rows in between may have stored its answer under the first new version.
    """

    def bump():
        try:
            cache.incr(VERSION_KEY)
        except ValueError:
            cache.set(VERSION_KEY, int(time.time() * 1000), None)

    bump()
    transaction.on_commit(bump)


def may_access_admin(user):
    """Whether this user may open the Wagtail admin: from their permissions,
    which `PermissionBackend` keeps in the cache (one round trip a request,
    shared with every other permission the request asks about)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.has_perm(ACCESS_ADMIN)


def connect():
    """Bump the version on every change that can grant or take away a permission.

    Deleting a group or a permission removes its rows without m2m signals.
    """
    User = get_user_model()
    for through in (
        User.groups.through,
        User.user_permissions.through,
        Group.permissions.through,
    ):
        m2m_changed.connect(permissions_changed, sender=through, weak=False)
    for model in (Group, Permission):
        post_delete.connect(permissions_changed, sender=model, weak=False)


class PermissionBackend(ModelBackend):
    """Django's ModelBackend, loading a user's permissions in one query, not two,
    and keeping them in the cache.

    The user's own permissions and their groups' are read together the first
    time a request checks one, and kept in the cache under the version that
    every change to groups, memberships of groups and permissions replaces
    (`connect`); Django keeps them on the user object for the rest of the
    request, as ModelBackend does. Activity and superuser status are read from
    the user's row, loaded afresh on every request.
    """

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if user_obj.is_superuser:
            return super().get_all_permissions(user_obj, obj)
        if not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = self._cached_permissions(user_obj)
        return user_obj._perm_cache

    def _cached_permissions(self, user_obj):
        key = f"permissions:{user_obj.pk}"
        values = cache.get_many([VERSION_KEY, key])
        version = values.get(VERSION_KEY) or _version()
        entry = values.get(key)
        if isinstance(entry, tuple) and entry[0] == version:
            return set(entry[1])
        permissions = self._load_permissions(user_obj)
        cache.set(
            key,
            (version, frozenset(permissions)),
            getattr(settings, "PAGE_CACHE_TIMEOUT", 600),
        )
        return permissions

    @staticmethod
    def _load_permissions(user_obj):
        user_model = type(user_obj)
        own = user_model._meta.get_field("user_permissions").related_query_name()
        groups = user_model._meta.get_field("groups").related_query_name()
        rows = (
            Permission.objects.filter(
                Q(pk__in=Permission.objects.filter(**{own: user_obj}).values("pk"))
                | Q(
                    pk__in=Permission.objects.filter(
                        **{f"group__{groups}": user_obj}
                    ).values("pk")
                )
            )
            .values_list("content_type__app_label", "codename")
            .order_by()
        )
        return {f"{app_label}.{codename}" for app_label, codename in rows}
