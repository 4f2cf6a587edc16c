from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


class AccountAdapter(DefaultAccountAdapter):
    """Email-only accounts; builds links in emails from SITE_URL."""

    def populate_username(self, request, user):
        # Email is the login; a unique username is still needed by Django's
        # User model and the Wagtail admin, so derive one from the email.
        from allauth.account.utils import user_email, user_field

        if not user.username:
            base = (user_email(user) or "member").split("@")[0][:120]
            user_field(user, "username", self.generate_unique_username([base]))

    def get_from_email(self):
        return settings.DEFAULT_FROM_EMAIL
