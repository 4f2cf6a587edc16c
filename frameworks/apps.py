from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrameworksConfig(AppConfig):
    name = "frameworks"
    verbose_name = _("Frameworks")

    def ready(self):
        from cms.http_cache import PAGES, purge_on_change

        from . import signals
        from .models import FrameworkVersion

        signals.connect()
        # Listings, version pages and the feed show versions.
        purge_on_change(FrameworkVersion, lambda version: [PAGES])

        from .consultation_models import Clause, Comment, Consultation, Response

        # A consultation's pages show its clauses, comments and responses.
        purge_on_change(Consultation, lambda c: [f"consultation-{c.pk}"])
        for model in (Clause, Comment):
            purge_on_change(model, lambda row: [f"consultation-{row.consultation_id}"])
        purge_on_change(
            Response, lambda r: [f"consultation-{r.comment.consultation_id}"]
        )
