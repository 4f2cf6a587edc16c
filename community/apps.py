from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = _("Community")

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save

        from cms.http_cache import purge_on_change

        from .models import Post, Profile, Reaction, Space, Thread
        from .signals import create_profile

        post_save.connect(
            create_profile,
            sender=get_user_model(),
            dispatch_uid="community_create_profile",
        )
        # Public spaces' pages show threads, posts, likes and members' names;
        # every one of them carries this tag (community.views).
        for model in (Thread, Post, Reaction, Space, Profile, get_user_model()):
            # Signing in saves last_login only: nothing that shows.
            purge_on_change(
                model, lambda row: ["community"], unseen_fields={"last_login"}
            )
