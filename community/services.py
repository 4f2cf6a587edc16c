"""Everything that changes discussions, memberships or accounts.

Each service takes keyword arguments, runs in one transaction, raises
`CommunityError` with a message for the member when it refuses, records
moderation in the audit log, and schedules emails with `transaction.on_commit`.
"""

import re
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import serializers
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cms import languages
from cms.http_cache import purge_tags

from . import markdown
from .managers import is_moderator
from .models import (
    Flag,
    Invitation,
    Membership,
    ModerationLog,
    Notification,
    Post,
    PostRevision,
    Profile,
    Reaction,
    ReadState,
    Space,
    SpaceWatch,
    Thread,
    ThreadWatch,
    WorkingGroup,
)


class CommunityError(Exception):
    """A refusal with a message the member can read."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


# Limits for members in their first day, after Discourse's defaults for new
# users. Override any of them with COMMUNITY_RATE_LIMITS in settings.
DEFAULT_RATE_LIMITS = {
    "new_member_days": 1,
    "threads_first_day": 3,
    "replies_first_day": 10,
    "seconds_between_posts": 30,
    "links_per_post": 2,
}
LINK_RE = re.compile(r"(https?://|mailto:|www\.)", re.I)


def rate_limits():
    return {**DEFAULT_RATE_LIMITS, **getattr(settings, "COMMUNITY_RATE_LIMITS", {})}


def profile_for(user):
    profile, _created = Profile.objects.get_or_create(user=user)
    return profile


# --- Permissions -------------------------------------------------------------


def is_group_member(user, working_group):
    return (
        user.is_authenticated
        and Membership.objects.active()
        .filter(user=user, working_group=working_group)
        .exists()
    )


def is_chair(user, working_group):
    return user.is_authenticated and (
        is_moderator(user)
        or user.is_staff
        or Membership.objects.active()
        .filter(user=user, working_group=working_group, is_chair=True)
        .exists()
    )


def can_post_in(user, space, *, readable=False):
    """Whether the user may start threads and reply in the space.

    Pass `readable=True` when the user was found to read the space (through
    `visible_to(user)` or `can_read_space`): that settles it without a query,
    as a signed-in member who reads a space may post in it (a working group's
    space is read only by its members and the moderators, who may post there).
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if readable:
        return True
    if space.visibility == Space.Visibility.WORKING_GROUP:
        return is_group_member(user, space.working_group) or is_moderator(user)
    return Space.objects.visible_to(user).filter(pk=space.pk).exists()


def _check_can_post(user, space, body, *, new_thread):
    if not can_post_in(user, space):
        raise CommunityError(_("You cannot post in this space."))
    profile = profile_for(user)
    if profile.is_suspended:
        raise CommunityError(
            _("Your posting is suspended until %(date)s.")
            % {
                "date": timezone.localtime(profile.posting_suspended_until).strftime(
                    "%Y-%m-%d %H:%M"
                )
            }
        )
    if is_moderator(user):
        return
    _check_rate(user, body, new_thread=new_thread)


def _check_rate(user, body, *, new_thread):
    limits = rate_limits()
    now = timezone.now()
    if user.date_joined <= now - timedelta(days=limits["new_member_days"]):
        return
    links = len(LINK_RE.findall(body))
    if links > limits["links_per_post"]:
        raise CommunityError(
            ngettext(
                "New members may include at most %(n)d link in a post.",
                "New members may include at most %(n)d links in a post.",
                limits["links_per_post"],
            )
            % {"n": limits["links_per_post"]}
        )
    posts = Post.objects.filter(author=user, created_at__gte=now - timedelta(days=1))
    last = posts.order_by("-created_at").values_list("created_at", flat=True).first()
    if last and (now - last).total_seconds() < limits["seconds_between_posts"]:
        wait = limits["seconds_between_posts"] - int((now - last).total_seconds())
        raise CommunityError(
            ngettext(
                "You are posting too quickly. Please wait %(n)d second and try "
                "again; your message is kept below.",
                "You are posting too quickly. Please wait %(n)d seconds and try "
                "again; your message is kept below.",
                wait,
            )
            % {"n": wait}
        )
    if new_thread:
        count = Thread.objects.filter(
            author=user, created_at__gte=now - timedelta(days=1)
        ).count()
        if count >= limits["threads_first_day"]:
            raise CommunityError(
                _(
                    "New members can start %(n)d threads on their first day. "
                    "Your message is kept below; please post it tomorrow."
                )
                % {"n": limits["threads_first_day"]}
            )
    else:
        replies = posts.exclude(thread__author=user, thread__created_at=F("created_at"))
        if replies.count() >= limits["replies_first_day"]:
            raise CommunityError(
                _(
                    "New members can post %(n)d replies on their first day. "
                    "Your message is kept below; please post it tomorrow."
                )
                % {"n": limits["replies_first_day"]}
            )


# --- Posting -----------------------------------------------------------------


def _new_post(*, thread, author, body):
    known = markdown.resolve_mentions(body)
    post = Post.objects.create(
        thread=thread, author=author, body=body, body_html=markdown.render(body, known)
    )
    return post, known


def _notify(*, post, mentions, new_thread):
    """Create notifications for mentioned members and watchers who can read the
    post, then email them after commit."""
    User = get_user_model()
    thread = post.thread
    readers = User.objects.filter(is_active=True).exclude(pk=post.author_id)
    recipients = {}
    if mentions:
        for user in readers.filter(username__in=mentions.values()):
            recipients[user.pk] = (user, Notification.Kind.MENTION)
    watchers = readers.filter(
        pk__in=ThreadWatch.objects.filter(thread=thread).values("user")
    )
    if new_thread:
        watchers = readers.filter(
            pk__in=SpaceWatch.objects.filter(space=thread.space).values("user")
        )
    kind = Notification.Kind.NEW_THREAD if new_thread else Notification.Kind.REPLY
    for user in watchers:
        recipients.setdefault(user.pk, (user, kind))
    created = []
    for user, k in recipients.values():
        if not Post.objects.visible_to(user).filter(pk=post.pk).exists():
            continue
        created.append(Notification(user=user, post=post, kind=k))
    Notification.objects.bulk_create(created, ignore_conflicts=True)
    if created:
        from .tasks import schedule_notification_emails

        thread_id = thread.pk
        transaction.on_commit(lambda: schedule_notification_emails(thread_id))


def _touch_read(user, thread, when):
    ReadState.objects.update_or_create(
        thread=thread, user=user, defaults={"last_read_at": when}
    )


def create_thread(*, author, space, title, body):
    """Start a thread with its first post; the author watches it."""
    title = (title or "").strip()
    if not title:
        raise CommunityError(_("Give the thread a title."))
    if not body.strip():
        raise CommunityError(_("Write a message."))
    with transaction.atomic():
        _check_can_post(author, space, body, new_thread=True)
        now = timezone.now()
        thread = Thread.objects.create(
            space=space,
            title=title,
            author=author,
            created_at=now,
            last_activity_at=now,
        )
        post, known = _new_post(thread=thread, author=author, body=body)
        Post.objects.filter(pk=post.pk).update(created_at=now)
        post.created_at = now
        ThreadWatch.objects.get_or_create(thread=thread, user=author)
        _touch_read(author, thread, now)
        _notify(post=post, mentions=known, new_thread=True)
    return thread


def reply(*, author, thread, body):
    """Add a reply; the author starts watching the thread; watchers and
    mentioned members are notified."""
    if not body.strip():
        raise CommunityError(_("Write a message."))
    with transaction.atomic():
        thread = (
            Thread.objects.select_for_update().select_related("space").get(pk=thread.pk)
        )
        if thread.is_locked and not is_moderator(author):
            raise CommunityError(_("This thread is locked: it takes no new replies."))
        _check_can_post(author, thread.space, body, new_thread=False)
        post, known = _new_post(thread=thread, author=author, body=body)
        Thread.objects.filter(pk=thread.pk).update(
            reply_count=F("reply_count") + 1, last_activity_at=post.created_at
        )  # the new post's signal purges the community's pages
        ThreadWatch.objects.get_or_create(thread=thread, user=author)
        _touch_read(author, thread, post.created_at)
        _notify(post=post, mentions=known, new_thread=False)
    return post


def preview(body):
    return markdown.render(body)


def edit_post(*, user, post, body):
    """Change a post's text; the previous text is kept in its history."""
    if not body.strip():
        raise CommunityError(_("Write a message."))
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=post.pk)
        if post.author_id != user.pk or post.deleted_at:
            raise CommunityError(_("You can only edit your own posts."))
        if profile_for(user).is_suspended:
            raise CommunityError(_("Your posting is suspended."))
        if body == post.body:
            return post
        PostRevision.objects.create(post=post, body=post.body)
        post.body = body
        post.body_html = markdown.render(body)
        post.edited_at = timezone.now()
        post.save()
    return post


def delete_post(*, user, post):
    """Soft delete: the post disappears for readers but stays in the database."""
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=post.pk)
        if post.author_id != user.pk:
            raise CommunityError(_("You can only delete your own posts."))
        if post.deleted_at is None:
            post.deleted_at = timezone.now()
            post.save(update_fields=["deleted_at"])
            _recount(post.thread_id)
    return post


def _recount(thread_id):
    visible = Post.objects.filter(
        thread_id=thread_id, deleted_at__isnull=True, hidden_at__isnull=True
    ).count()
    Thread.objects.filter(pk=thread_id).update(reply_count=max(visible - 1, 0))
    purge_tags(["community"])  # .update() sends no signal


def toggle_like(*, user, post):
    if not Post.objects.visible_to(user).filter(pk=post.pk).exists():
        raise CommunityError(_("This post is not available."))
    if not user.is_authenticated:
        raise CommunityError(_("Sign in to react to posts."))
    with transaction.atomic():
        deleted, _count = Reaction.objects.filter(post=post, user=user).delete()
        if not deleted:
            Reaction.objects.create(post=post, user=user)
            return True
    return False


def mark_decision(*, user, post):
    """A working group marks a post as its thread's decision."""
    thread = post.thread
    space = thread.space
    if space.working_group_id is None:
        raise CommunityError(_("Only working-group spaces record decisions."))
    if not (is_group_member(user, space.working_group) or is_moderator(user)):
        raise CommunityError(_("Only the working group can mark its decision."))
    with transaction.atomic():
        Thread.objects.filter(pk=thread.pk).update(decision=post)
        purge_tags(["community"])  # .update() sends no signal
        ModerationLog.objects.create(
            actor=user, action=ModerationLog.Action.DECISION, post=post, thread=thread
        )


def mark_read(*, user, thread, until):
    if user.is_authenticated:
        state = ReadState.objects.filter(thread=thread, user=user).first()
        if state is None or state.last_read_at < until:
            _touch_read(user, thread, until)


def set_watch(*, user, target, watching):
    model, field = (
        (ThreadWatch, "thread")
        if isinstance(target, Thread)
        else (
            SpaceWatch,
            "space",
        )
    )
    if watching:
        model.objects.get_or_create(user=user, **{field: target})
    else:
        model.objects.filter(user=user, **{field: target}).delete()


def flag_post(*, user, post, reason):
    reason = (reason or "").strip()
    if not reason:
        raise CommunityError(_("Tell the moderators what is wrong with this post."))
    if not Post.objects.visible_to(user).filter(pk=post.pk).exists():
        raise CommunityError(_("This post is not available."))
    if Flag.objects.filter(post=post, user=user, resolved_at__isnull=True).exists():
        raise CommunityError(_("You have already flagged this post."))
    return Flag.objects.create(post=post, user=user, reason=reason[:500])


# --- Moderation ----------------------------------------------------------------


def _require_moderator(user):
    if not is_moderator(user):
        raise CommunityError(_("Only moderators can do this."))


def _resolve_flags(post, moderator):
    Flag.objects.filter(post=post, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=moderator
    )


def hide_post(*, moderator, post, reason=""):
    _require_moderator(moderator)
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=post.pk)
        post.hidden_at = timezone.now()
        post.save(update_fields=["hidden_at"])
        _resolve_flags(post, moderator)
        _recount(post.thread_id)
        ModerationLog.objects.create(
            actor=moderator,
            action=ModerationLog.Action.HIDE,
            post=post,
            thread_id=post.thread_id,
            member_id=post.author_id,
            details=reason,
        )


def restore_post(*, moderator, post):
    _require_moderator(moderator)
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=post.pk)
        post.hidden_at = None
        post.save(update_fields=["hidden_at"])
        _recount(post.thread_id)
        ModerationLog.objects.create(
            actor=moderator,
            action=ModerationLog.Action.RESTORE,
            post=post,
            thread_id=post.thread_id,
            member_id=post.author_id,
        )


def dismiss_flags(*, moderator, post):
    _require_moderator(moderator)
    with transaction.atomic():
        _resolve_flags(post, moderator)
        ModerationLog.objects.create(
            actor=moderator,
            action=ModerationLog.Action.DISMISS,
            post=post,
            thread_id=post.thread_id,
            member_id=post.author_id,
        )


def set_thread_state(*, moderator, thread, pinned=None, locked=None):
    _require_moderator(moderator)
    with transaction.atomic():
        thread = Thread.objects.select_for_update().get(pk=thread.pk)
        actions = []
        if pinned is not None and pinned != thread.is_pinned:
            thread.is_pinned = pinned
            actions.append(
                ModerationLog.Action.PIN if pinned else ModerationLog.Action.UNPIN
            )
        if locked is not None and locked != thread.is_locked:
            thread.is_locked = locked
            actions.append(
                ModerationLog.Action.LOCK if locked else ModerationLog.Action.UNLOCK
            )
        thread.save(update_fields=["is_pinned", "is_locked"])
        for action in actions:
            ModerationLog.objects.create(actor=moderator, action=action, thread=thread)
    return thread


def move_thread(*, moderator, thread, space):
    _require_moderator(moderator)
    with transaction.atomic():
        thread = (
            Thread.objects.select_for_update().select_related("space").get(pk=thread.pk)
        )
        old = thread.space
        if old.pk == space.pk:
            raise CommunityError(_("The thread is already in that space."))
        thread.space = space
        thread.save(update_fields=["space"])
        ModerationLog.objects.create(
            actor=moderator,
            action=ModerationLog.Action.MOVE,
            thread=thread,
            details=f"{old.name} → {space.name}",
        )
    return thread


def suspend_member(*, moderator, member, days, reason=""):
    """Stop a member posting for `days` days (0 lifts the suspension)."""
    _require_moderator(moderator)
    if days < 0:
        raise CommunityError(_("Choose a number of days, 0 or more."))
    with transaction.atomic():
        profile = Profile.objects.select_for_update().get(pk=profile_for(member).pk)
        profile.posting_suspended_until = (
            timezone.now() + timedelta(days=days) if days else None
        )
        profile.save(update_fields=["posting_suspended_until"])
        ModerationLog.objects.create(
            actor=moderator,
            action=ModerationLog.Action.SUSPEND
            if days
            else ModerationLog.Action.UNSUSPEND,
            member=member,
            details=(f"{days} days. {reason}".strip() if days else reason),
        )


# --- Working groups ---------------------------------------------------------------


def _activate(membership):
    membership.status = Membership.Status.ACTIVE
    membership.save()
    membership.user.groups.add(membership.working_group.group)


def request_membership(*, user, working_group, message=""):
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            user=user,
            working_group=working_group,
            defaults={"status": Membership.Status.REQUESTED, "message": message},
        )
        if not created:
            raise CommunityError(
                _("You are already a member.")
                if membership.status == Membership.Status.ACTIVE
                else _("You have already asked to join; a chair will reply.")
            )
        from .tasks import send_membership_request

        transaction.on_commit(lambda: send_membership_request.enqueue(membership.pk))
    return membership


def approve_membership(*, approver, membership):
    if not is_chair(approver, membership.working_group):
        raise CommunityError(_("Only a chair or staff can approve members."))
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        _activate(membership)
    return membership


def remove_membership(*, by, membership):
    """Decline a request, remove a member, or leave (when `by` is the member)."""
    if by.pk != membership.user_id and not is_chair(by, membership.working_group):
        raise CommunityError(_("Only a chair or staff can remove members."))
    with transaction.atomic():
        membership.user.groups.remove(membership.working_group.group)
        membership.delete()


def can_appoint_chairs(user):
    return user.is_authenticated and (user.is_staff or user.is_superuser)


def set_chair(*, by, membership, chair):
    if not can_appoint_chairs(by):
        raise CommunityError(_("Only staff can appoint chairs."))
    if membership.status != Membership.Status.ACTIVE:
        raise CommunityError(_("Only members can be chairs."))
    membership.is_chair = chair
    membership.save(update_fields=["is_chair"])


def add_member(*, working_group, user, chair=False):
    """Make someone an active member (used by seeding and staff tools)."""
    with transaction.atomic():
        membership, _created = Membership.objects.get_or_create(
            user=user,
            working_group=working_group,
            defaults={"status": Membership.Status.ACTIVE, "is_chair": chair},
        )
        if chair and not membership.is_chair:
            membership.is_chair = True
        _activate(membership)
    return membership


def invite(*, inviter, working_group, email):
    if not is_chair(inviter, working_group):
        raise CommunityError(_("Only a chair or staff can invite members."))
    email = email.strip().lower()
    with transaction.atomic():
        invitation = Invitation.objects.create(
            working_group=working_group, email=email, invited_by=inviter
        )
        from .tasks import send_invitation

        # An address without an account reads the language invited from.
        language = languages.current()
        transaction.on_commit(lambda: send_invitation.enqueue(invitation.pk, language))
    return invitation


def accept_invitation(*, user, invitation):
    from allauth.account.models import EmailAddress

    if invitation.accepted_at:
        raise CommunityError(_("This invitation has already been used."))
    if not EmailAddress.objects.filter(
        user=user, email__iexact=invitation.email, verified=True
    ).exists():
        raise CommunityError(
            _(
                "This invitation was sent to another email address. Sign in with "
                "that address to accept it."
            )
        )
    with transaction.atomic():
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        membership, _created = Membership.objects.get_or_create(
            user=user,
            working_group=invitation.working_group,
            defaults={"status": Membership.Status.ACTIVE},
        )
        _activate(membership)
    return membership


# --- Account data ------------------------------------------------------------------


def _dump(queryset, fields=None):
    return serializers.serialize("python", queryset, fields=fields)


PERSONAL_DATA_APPS = ["events"]


def _personal_rows(user):
    """Rows of other apps that belong to the member: those whose `user` field
    points at them or whose `email` is theirs (e.g. event registrations).

    Found by field name so this app needs no import of the others.
    """
    from django.apps import apps
    from django.db.models import Q

    User = get_user_model()
    for label in PERSONAL_DATA_APPS:
        if not apps.is_installed(label):
            continue
        for model in apps.get_app_config(label).get_models():
            try:
                field = model._meta.get_field("user")
            except Exception:  # noqa: S112 (no such field: not personal data)
                continue
            if not field.many_to_one or field.related_model is not User:
                continue
            match = Q(user=user)
            if user.email and any(f.name == "email" for f in model._meta.fields):
                match |= Q(email__iexact=user.email)
            yield model._default_manager.filter(match)


def export_member_data(*, user):
    """Everything the site holds about a member, as JSON-ready data."""
    profile = profile_for(user)
    registrations = []
    for rows in _personal_rows(user):
        registrations += _dump(rows)
    return {
        "account": {
            "username": user.get_username(),
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined.isoformat(),
        },
        "profile": {
            "display_name": profile.display_name,
            "organisation": profile.organisation,
            "sector": profile.sector,
            "role": profile.role,
            "bio": profile.bio,
            "visibility": profile.visibility,
            "email_preference": profile.email_preference,
            "language": profile.language,
            "avatar": profile.avatar.name or None,
        },
        "working_groups": [
            {"name": m.working_group.name, "status": m.status, "chair": m.is_chair}
            for m in Membership.objects.filter(user=user).select_related(
                "working_group"
            )
        ],
        "registrations": registrations,
        "posts": [
            {
                "thread": p.thread.title,
                "space": p.thread.space.name,
                "created_at": p.created_at.isoformat(),
                "edited_at": p.edited_at.isoformat() if p.edited_at else None,
                "deleted": p.deleted_at is not None,
                "body": p.body,
                "url": settings.SITE_URL + p.thread.get_absolute_url(),
            }
            for p in Post.objects.filter(author=user).select_related("thread__space")
        ],
    }


def delete_account(*, user):
    """Delete the member. Their posts stay, shown as by a former member; their
    profile, avatar, memberships, reactions, flags, watches and notifications go
    with the account (cascades); the edit history of their posts, their
    invitations and their rows in other apps (registrations) are deleted too."""
    with transaction.atomic():
        profile = Profile.objects.filter(user=user).first()
        if profile and profile.avatar:
            name = profile.avatar.name
            storage = profile.avatar.storage
            transaction.on_commit(lambda: storage.delete(name))
        PostRevision.objects.filter(post__author=user).delete()
        for rows in _personal_rows(user):
            rows.delete()
        Invitation.objects.filter(email__iexact=user.email).delete()
        user.delete()


def working_groups_of(user):
    if not user.is_authenticated:
        return WorkingGroup.objects.none()
    return WorkingGroup.objects.filter(
        memberships__user=user, memberships__status=Membership.Status.ACTIVE
    )
