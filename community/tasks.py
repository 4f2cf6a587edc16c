"""Background work: notification emails, digests and invitations.

Each email is written in its recipient's language (community.emails), with
links to that language's pages, whatever page set it off.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Min
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from cms import languages

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


def notification_interval():
    """How long immediate emails wait to collect a thread's new posts."""
    return timedelta(seconds=settings.COMMUNITY_NOTIFICATION_INTERVAL)


def schedule_notification_emails(thread_id):
    """Called after new notifications in a thread are committed.

    A backend that can defer (the database backend in production) runs the
    send once the interval has passed; one that cannot (the immediate backend
    of tests and the demo) runs it now, which sends only what is already due;
    `manage.py send_notifications`, run every minute from cron, sends the rest.
    """
    task = send_notification_emails
    if notification_interval() and task.get_backend().supports_defer:
        task = task.using(run_after=timezone.now() + notification_interval())
    task.enqueue(thread_id)


def _name(post):
    return post.author.community_profile.name if post.author else _("A former member")


@task()
def send_notification_emails(thread_id=None):
    """Email the members who chose immediate email: one message per member and
    thread, listing every post they have not been sent, once the oldest has
    waited COMMUNITY_NOTIFICATION_INTERVAL seconds. So a busy thread mails
    each watcher at most once per interval, however many reply.

    Rows are locked while a message is sent, so two runs never send one post
    twice; posts the member can no longer read are left out (and not sent
    later either).
    """
    pending = Notification.objects.filter(
        emailed_at__isnull=True,
        read_at__isnull=True,
        user__is_active=True,
        user__community_profile__email_preference=Profile.EmailPreference.IMMEDIATE,
    )
    if thread_id is not None:
        pending = pending.filter(post__thread_id=thread_id)
    due = (
        pending.values("user_id", "post__thread_id")
        .annotate(oldest=Min("created_at"))
        .filter(oldest__lte=timezone.now() - notification_interval())
        .order_by()
    )
    sent = 0
    for group in due:
        with transaction.atomic():
            locked = list(
                pending.filter(
                    user_id=group["user_id"], post__thread_id=group["post__thread_id"]
                )
                .select_for_update(of=("self",), skip_locked=True)
                .select_related(
                    "user__community_profile",
                    "post__thread__space",
                    "post__author__community_profile",
                )
                .order_by("created_at")
            )
            if not locked:
                continue
            user = locked[0].user
            items = _still_visible(locked, user)
            if items:
                _send_thread_email(user, items)
                sent += 1
            Notification.objects.filter(pk__in=[n.pk for n in locked]).update(
                emailed_at=timezone.now()
            )
    return sent


def _send_thread_email(user, notifications):
    with emails.in_language_of(user):
        _send_thread_email_now(user, notifications)


def _send_thread_email_now(user, notifications):
    first = notifications[0]
    thread = first.post.thread
    if len(notifications) == 1:
        subject = _("%(author)s %(action)s: %(title)s") % {
            "author": _name(first.post),
            "action": first.get_kind_display(),
            "title": thread.title,
        }
    else:
        subject = _("%(count)d new posts: %(title)s") % {
            "count": len(notifications),
            "title": thread.title,
        }
    emails.send(
        user=user,
        subject=subject,
        template="notification",
        context={
            "thread": thread,
            "items": [
                {
                    "notification": n,
                    "post": n.post,
                    "author": _name(n.post),
                    "url": settings.SITE_URL + n.post.get_absolute_url(),
                }
                for n in notifications
            ],
        },
    )


@task()
def send_digests():
    """One email per digest member with what they have not yet seen or been sent.

    Run daily (management command `send_digests`, e.g. from cron).
    """
    User = get_user_model()
    now = timezone.now()
    users = (
        User.objects.filter(
            is_active=True,
            community_profile__email_preference=Profile.EmailPreference.DIGEST,
            community_notifications__emailed_at__isnull=True,
            community_notifications__read_at__isnull=True,
        )
        .select_related("community_profile")
        .distinct()
    )
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
            _send_digest(user, items)
            sent += 1
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(
            emailed_at=now
        )
        Profile.objects.filter(user=user).update(last_digest_at=now)
    return sent


def _send_digest(user, items):
    with emails.in_language_of(user):
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


@task()
def send_invitation(invitation_id, language=None):
    """Invite an address to a working group: in its member's language if the
    address has an account, else in the language the chair invited from."""
    from django.core import signing

    invitation = Invitation.objects.select_related("working_group", "invited_by").get(
        pk=invitation_id
    )
    User = get_user_model()
    member = (
        User.objects.filter(email__iexact=invitation.email, is_active=True)
        .select_related("community_profile")
        .first()
    )
    if member is not None:
        language = emails.language_of(member)
    with languages.in_language(language):
        token = signing.dumps(invitation.pk, salt="community.invitation")
        url = settings.SITE_URL + reverse("community:accept_invitation", args=[token])
        context = {"invitation": invitation, "url": url}
        message = EmailMessage(
            emails.subject_prefix()
            + _("Invitation to join the %(group)s")
            % {"group": invitation.working_group},
            render_to_string("community/email/invitation.txt", context),
            None,
            [invitation.email],
            headers={"Content-Language": languages.current()},
        )
        message.send()


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
        .select_related("user__community_profile")
        if m.user.email
    ]
    name = membership.user.community_profile.name
    for chair in chairs:
        with emails.in_language_of(chair):
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
