"""Who may see what: the one place that decides, used by pages, feeds, search,
notifications and emails alike.

A private space (members or working group) and everything in it must not leak:
every query for spaces, threads or posts shown to a user goes through these.
"""

from django.db import models

# Set on a user object by accounts.is_privileged, which has just read it.
MODERATOR_ANSWER = "_is_moderator"


def is_moderator(user):
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if MODERATOR_ANSWER in user.__dict__ and not user.is_superuser:
        return user.__dict__[MODERATOR_ANSWER]
    return user.has_perm("community.moderate_post")


def _space_filter(user, prefix=""):
    """A Q object for the spaces this user may read."""
    public = models.Q(**{f"{prefix}visibility": "public"})
    if user is None or not user.is_authenticated or not user.is_active:
        return public
    if is_moderator(user):
        return models.Q()
    return (
        public
        | models.Q(**{f"{prefix}visibility": "members"})
        | models.Q(
            **{
                f"{prefix}visibility": "group",
                f"{prefix}working_group__memberships__user": user,
                f"{prefix}working_group__memberships__status": "active",
            }
        )
    )


def can_read_space(user, space, *, group_member=None):
    """Whether the user may read this space: `_space_filter` for one space that
    is already loaded (a query at most, for a working group's space).

    For pages that find a thread or post by its key and then check its space,
    instead of joining the spaces, groups and memberships in the same query.
    Pass `group_member` when it is already known whether the user is an active
    member of the space's working group (read with the thread, say).
    """
    if space.visibility == "public":
        return True
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if is_moderator(user):
        return True
    if space.visibility == "members":
        return True
    if space.visibility == "group" and space.working_group_id is not None:
        if group_member is not None:
            return bool(group_member)
        from .models import Membership

        return (
            Membership.objects.active()
            .filter(user=user, working_group_id=space.working_group_id)
            .exists()
        )
    return False


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status="active")


class SpaceQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Spaces the user may read."""
        return self.filter(
            pk__in=self.model.objects.filter(_space_filter(user)).values("pk")
        )


class ThreadQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Threads in spaces the user may read."""
        from .models import Space

        return self.filter(space__in=Space.objects.visible_to(user))


class PostQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Posts the user may read: in readable spaces, not deleted, and not
        hidden by a moderator (moderators still see hidden posts)."""
        from .models import Space

        return self.filter(thread__space__in=Space.objects.visible_to(user))._readable(
            user
        )

    def of_readable_thread(self, thread, user):
        """The posts of `thread` the user may read, for a thread whose space was
        itself checked (`Thread.objects.visible_to(user)` or `can_read_space`,
        as the thread page does): it is not checked a second time."""
        return self.filter(thread=thread)._readable(user)

    def _readable(self, user):
        qs = self.filter(deleted_at__isnull=True)
        if not is_moderator(user):
            qs = qs.filter(hidden_at__isnull=True)
        return qs

    def public(self):
        """Posts anyone may read."""
        return self.visible_to(None)
