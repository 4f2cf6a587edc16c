from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = _("Community")

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save

        from . import caching
        from .signals import create_profile

        post_save.connect(
            create_profile,
            sender=get_user_model(),
            dispatch_uid="community_create_profile",
        )
        caching.connect()
