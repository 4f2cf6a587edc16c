from django.contrib.sitemaps import Sitemap

from .models import MicroCredential


class CredentialSitemap(Sitemap):
    """Published catalogue entries only; drafts and archived entries never appear."""

    changefreq = "weekly"
    limit = 10_000

    def items(self):
        return (
            MicroCredential.objects.public().order_by("pk").only("slug", "updated_at")
        )

    def lastmod(self, credential):
        return credential.updated_at
