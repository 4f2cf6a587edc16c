"""Members, working groups and discussions.

Spaces, threads and posts are ordinary Django models. What a user may see is
decided in `managers.py`; every change of several rows goes through `services.py`.
"""

import uuid

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from .managers import (
    MembershipQuerySet,
    PostQuerySet,
    SpaceQuerySet,
    ThreadQuerySet,
)

AVATAR_MAX_BYTES = 1024 * 1024


def avatar_path(instance, filename):
    """An unguessable name: avatars are served only through the profile's
    visibility check (views.avatar), never by a listed or guessable URL."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "img"
    return f"avatars/{uuid.uuid4().hex}.{extension[:5]}"


class Profile(models.Model):
    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Anyone")
        MEMBERS = "members", _("Signed-in members only")

    class EmailPreference(models.TextChoices):
        IMMEDIATE = "immediate", _("An email for each notification")
        DIGEST = "digest", _("One daily digest email")
        NONE = "none", _("No email: on the site only")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="community_profile",
    )
    display_name = models.CharField(_("display name"), max_length=120, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    sector = models.CharField(_("sector"), max_length=120, blank=True)
    role = models.CharField(_("role"), max_length=120, blank=True)
    bio = models.TextField(_("short bio"), max_length=1000, blank=True)
    avatar = models.ImageField(_("avatar"), upload_to=avatar_path, blank=True)
    visibility = models.CharField(
        _("who can see your profile"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.MEMBERS,
    )
    email_preference = models.CharField(
        _("how you hear about activity"),
        max_length=10,
        choices=EmailPreference.choices,
        default=EmailPreference.IMMEDIATE,
    )
    # Set at sign-up from the page's language; emails sent later by tasks are
    # written in it (cms.languages).
    language = models.CharField(
        _("language for emails"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    posting_suspended_until = models.DateTimeField(null=True, blank=True)
    last_digest_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("member profile")

    def __str__(self):
        return self.name

    @property
    def name(self):
        return (
            self.display_name or self.user.get_full_name() or self.user.get_username()
        )

    def get_absolute_url(self):
        return reverse("community:profile", args=[self.user.get_username()])

    def get_avatar_url(self):
        if not self.avatar:
            return ""
        return reverse("community:avatar", args=[self.user.get_username()])

    @property
    def is_suspended(self):
        return bool(
            self.posting_suspended_until
            and self.posting_suspended_until > timezone.now()
        )


class WorkingGroup(index.Indexed, models.Model):
    """A group of members with private spaces and CMS permissions.

    Active memberships are the one source of truth: services keep the linked
    Django auth group (used for Wagtail permissions) in step with them.
    """

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(unique=True)
    description = models.TextField(_("description"), blank=True)
    group = models.OneToOneField(
        Group,
        on_delete=models.PROTECT,
        related_name="working_group",
        editable=False,
    )

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.SearchField("description")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("working group")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.group_id:
            self.group, _created = Group.objects.get_or_create(name=self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("community:working_group", args=[self.slug])


class Membership(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Asked to join")
        ACTIVE = "active", _("Member")

    working_group = models.ForeignKey(
        WorkingGroup, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="working_group_memberships",
    )
    status = models.CharField(max_length=10, choices=Status.choices)
    is_chair = models.BooleanField(_("chair"), default=False)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["working_group", "user"], name="one_membership_per_group"
            )
        ]


class Invitation(models.Model):
    working_group = models.ForeignKey(
        WorkingGroup, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)


class Space(models.Model):
    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public: anyone reads, members post")
        MEMBERS = "members", _("Members: signed-in members read and post")
        WORKING_GROUP = "group", _("Working group: only its members")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(unique=True)
    description = models.TextField(_("description"), blank=True)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    working_group = models.ForeignKey(
        WorkingGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="spaces",
        help_text=_("Required for working-group spaces."),
    )
    sort_order = models.IntegerField(default=0)

    objects = SpaceQuerySet.as_manager()

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("visibility"),
        FieldPanel("working_group"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("discussion space")

    def __str__(self):
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.visibility == self.Visibility.WORKING_GROUP and not self.working_group:
            raise ValidationError(
                {"working_group": _("Choose the working group for this space.")}
            )

    def get_absolute_url(self):
        return reverse("community:space", args=[self.slug])

    @property
    def is_public(self):
        return self.visibility == self.Visibility.PUBLIC


class Thread(index.Indexed, models.Model):
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="threads")
    title = models.CharField(_("title"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="community_threads",
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_activity_at = models.DateTimeField(default=timezone.now, db_index=True)
    is_pinned = models.BooleanField(_("pinned"), default=False)
    is_locked = models.BooleanField(_("locked"), default=False)
    reply_count = models.PositiveIntegerField(default=0)
    decision = models.ForeignKey(
        "Post", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ThreadQuerySet.as_manager()

    search_fields = [
        index.SearchField("title", boost=2),
        index.AutocompleteField("title"),
        index.FilterField("space_id"),
    ]

    class Meta:
        ordering = ["-is_pinned", "-last_activity_at"]
        verbose_name = _("thread")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("community:thread", args=[self.pk])


class Post(index.Indexed, models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="community_posts",
    )
    body = models.TextField(_("message"))
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)

    objects = PostQuerySet.as_manager()

    search_fields = [
        index.SearchField("body"),
        index.FilterField("thread_id"),
        index.FilterField("deleted_at"),
        index.FilterField("hidden_at"),
    ]

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("post")
        permissions = [("moderate_post", _("Can moderate discussions"))]
        indexes = [
            # The few hidden posts: site search matches them apart, for
            # moderators (search.site), without reading every post.
            models.Index(
                fields=["thread"],
                condition=models.Q(hidden_at__isnull=False),
                name="community_post_hidden",
            ),
        ]

    def __str__(self):
        return f"{self.thread} #{self.pk}"

    def get_absolute_url(self):
        return reverse("community:post", args=[self.pk])

    @property
    def is_visible(self):
        return self.deleted_at is None and self.hidden_at is None


class PostRevision(models.Model):
    """The text of a post before an edit; the edit history."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]


class Reaction(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "user"], name="one_like_per_post")
        ]


class Flag(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="flags")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=500)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["created_at"]


class ThreadWatch(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="watches")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["thread", "user"], name="one_watch_per_thread"
            )
        ]


class SpaceWatch(models.Model):
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="watches")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["space", "user"], name="one_watch_per_space"
            )
        ]


class ReadState(models.Model):
    """When a member last read a thread: drives unread markers."""

    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, related_name="read_states"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    last_read_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="one_read_state")
        ]


class Notification(models.Model):
    class Kind(models.TextChoices):
        MENTION = "mention", _("mentioned you")
        REPLY = "reply", _("replied in a thread you watch")
        NEW_THREAD = "thread", _("started a thread in a space you watch")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="community_notifications",
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="notifications"
    )
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "post"], name="one_notice_per_post")
        ]


class ModerationLog(models.Model):
    """The audit log: who did what to which post, thread or member, and when."""

    class Action(models.TextChoices):
        HIDE = "hide", _("Hid a post")
        RESTORE = "restore", _("Restored a post")
        DISMISS = "dismiss", _("Dismissed flags")
        LOCK = "lock", _("Locked a thread")
        UNLOCK = "unlock", _("Unlocked a thread")
        PIN = "pin", _("Pinned a thread")
        UNPIN = "unpin", _("Unpinned a thread")
        MOVE = "move", _("Moved a thread")
        SUSPEND = "suspend", _("Suspended posting")
        UNSUSPEND = "unsuspend", _("Lifted a suspension")
        DECISION = "decision", _("Marked a decision")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    post = models.ForeignKey(
        Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    thread = models.ForeignKey(
        Thread, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    details = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("moderation log entry")
