"""Background work: notification emails, digests and invitations."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from . import emails
from .models import Invitation, Membership, Notification, Post, Profile


def _still_visible(notifications, user):
    """Only what the user may still read goes into an email."""
    visible = set(
        Post.objects.visible_to(user)
        .filter(pk__in=[n.post_id for n in notifications])
        .values_list("pk", flat=True)
    )
    return [n for n in notifications if n.post_id in visible]


@task()
def send_notification_emails(post_id):
    """Email the members who chose immediate email about this post."""
    notifications = Notification.objects.filter(
        post_id=post_id,
        emailed_at__isnull=True,
        read_at__isnull=True,
        user__is_active=True,
        user__community_profile__email_preference=(Profile.EmailPreference.IMMEDIATE),
    ).select_related("user", "post__thread__space", "post__author__community_profile")
    sent = 0
    for notification in notifications:
        if not _still_visible([notification], notification.user):
            continue
        post = notification.post
        author = (
            post.author.community_profile.name if post.author else _("A former member")
        )
        emails.send(
            user=notification.user,
            subject=_("%(author)s %(action)s: %(title)s")
            % {
                "author": author,
                "action": notification.get_kind_display(),
                "title": post.thread.title,
            },
            template="notification",
            context={
                "notification": notification,
                "post": post,
                "author": author,
                "url": settings.SITE_URL + post.get_absolute_url(),
            },
        )
        Notification.objects.filter(pk=notification.pk).update(
            emailed_at=timezone.now()
        )
        sent += 1
    return sent


@task()
def send_digests():
    """One email per digest member with what they have not yet seen or been sent.

    Run daily (management command `send_digests`, e.g. from cron).
    """
    User = get_user_model()
    now = timezone.now()
    users = User.objects.filter(
        is_active=True,
        community_profile__email_preference=Profile.EmailPreference.DIGEST,
        community_notifications__emailed_at__isnull=True,
        community_notifications__read_at__isnull=True,
    ).distinct()
    sent = 0
    for user in users:
        pending = list(
            Notification.objects.filter(
                user=user, emailed_at__isnull=True, read_at__isnull=True
            )
            .select_related("post__thread__space", "post__author__community_profile")
            .order_by("created_at")
        )
        items = _still_visible(pending, user)
        if items:
            emails.send(
                user=user,
                subject=_("Your daily community digest"),
                template="digest",
                context={
                    "items": [
                        {
                            "notification": n,
                            "author": n.post.author.community_profile.name
                            if n.post.author
                            else _("A former member"),
                            "url": settings.SITE_URL + n.post.get_absolute_url(),
                        }
                        for n in items
                    ]
                },
            )
            sent += 1
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(
            emailed_at=now
        )
        Profile.objects.filter(user=user).update(last_digest_at=now)
    return sent


@task()
def send_invitation(invitation_id):
    invitation = Invitation.objects.select_related("working_group", "invited_by").get(
        pk=invitation_id
    )
    from django.core import signing

    token = signing.dumps(invitation.pk, salt="community.invitation")
    url = settings.SITE_URL + reverse("community:accept_invitation", args=[token])
    context = {"invitation": invitation, "url": url}
    send_mail(
        settings.ACCOUNT_EMAIL_SUBJECT_PREFIX
        + _("Invitation to join the %(group)s") % {"group": invitation.working_group},
        render_to_string("community/email/invitation.txt", context),
        None,
        [invitation.email],
    )


@task()
def send_membership_request(membership_id):
    """Tell the working group's chairs that someone asked to join."""
    membership = (
        Membership.objects.filter(pk=membership_id, status=Membership.Status.REQUESTED)
        .select_related("working_group", "user__community_profile")
        .first()
    )
    if membership is None:
        return 0
    group = membership.working_group
    chairs = [
        m.user
        for m in group.memberships.active()
        .filter(is_chair=True, user__is_active=True)
        .exclude(user__community_profile__email_preference=Profile.EmailPreference.NONE)
        .select_related("user")
        if m.user.email
    ]
    name = membership.user.community_profile.name
    for chair in chairs:
        emails.send(
            user=chair,
            subject=_("%(name)s asks to join the %(group)s")
            % {"name": name, "group": group.name},
            template="membership_request",
            context={
                "membership": membership,
                "name": name,
                "url": settings.SITE_URL + group.get_absolute_url(),
            },
        )
    return len(chairs)
