from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings

from cms.http import client_ip


class AccountAdapter(DefaultAccountAdapter):
    """Email-only accounts; builds links in emails from SITE_URL."""

    def populate_username(self, request, user):
        # Email is the login; a unique username is still needed by Django's
        # User model and the Wagtail admin, so derive one from the email.
        from allauth.account.utils import user_email, user_field

        if not user.username:
            base = (user_email(user) or "member").split("@")[0][:120]
            user_field(user, "username", self.generate_unique_username([base]))

    def send_mail(self, template_prefix, email, context):
        """Render now, send from the task queue: every account email (the
        confirmation of a new account and the "you already have an account"
        note alike) costs the request the same, and SMTP is off the request."""
        from allauth.core import context as allauth_context
        from django.contrib.sites.shortcuts import get_current_site

        from cms.tasks import enqueue_email_message

        request = allauth_context.request
        ctx = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            **context,
        }
        enqueue_email_message(self.render_mail(template_prefix, email, ctx))

    def format_email_subject(self, subject):
        """The subject prefix in the language of the email."""
        from .emails import subject_prefix

        return subject_prefix() + str(subject)

    def get_from_email(self):
        return settings.DEFAULT_FROM_EMAIL

    # --- Rate limits and sign-in (issue 17, items 5, 6 and 8) ---------------

    def get_client_ip(self, request):
        """allauth's per-address limits use our one notion of the client's
        address, which trusts X-Forwarded-For only from our own proxies."""
        return client_ip(request)

    def _get_login_attempts_cache_key(self, request, **credentials):
        """Count failed passwords per account *and* client address: someone
        else's failures, from elsewhere, never lock the owner out."""
        key = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{key}:{client_ip(request)}"

    def is_login_by_code_required(self, login):
        """A privileged account without an authenticator proves its email
        with a code before it may set one up (community.accounts)."""
        from community.accounts import authenticated_with, needs_enrolment

        if super().is_login_by_code_required(login):
            return True
        return (
            login.user is not None
            and not authenticated_with(self.request, login.user, "code")
            and needs_enrolment(login.user)
        )

    def is_reauthentication_required(self, *, app, **kwargs):
        """Not in the first minutes after signing in.

        allauth 65 counts only a reauthentication as recent, so a person who
        has just typed their password (and a code) to sign in would be asked
        for it again the moment they open their security settings. A sign-in
        within ACCOUNT_REAUTHENTICATION_TIMEOUT is as fresh a proof."""
        from allauth.core import context as allauth_context

        from community.accounts import recently_signed_in

        if not super().is_reauthentication_required(app=app, **kwargs):
            return False
        request = allauth_context.request
        return request is None or not recently_signed_in(request)

    def get_login_stages(self):
        return [
            *super().get_login_stages(),
            "community.accounts.EnrolSecondFactorStage",
        ]
