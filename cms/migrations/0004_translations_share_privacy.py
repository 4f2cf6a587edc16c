"""Give every translation of a private page the page's restriction (issue 21;
from now on cms.translated_privacy keeps them so)."""

from django.conf import settings
from django.db import migrations


def mirror_restrictions(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    PageViewRestriction = apps.get_model("wagtailcore", "PageViewRestriction")
    originals = PageViewRestriction.objects.filter(
        page__locale__language_code=settings.LANGUAGE_CODE
    ).select_related("page")
    for restriction in originals:
        translations = Page.objects.filter(
            translation_key=restriction.page.translation_key
        ).exclude(pk=restriction.page_id)
        for page in translations:
            if PageViewRestriction.objects.filter(page=page).exists():
                continue
            copy = PageViewRestriction.objects.create(
                page=page,
                restriction_type=restriction.restriction_type,
                password=restriction.password,
            )
            copy.groups.set(restriction.groups.all())


class Migration(migrations.Migration):
    dependencies = [("cms", "0003_french_locale")]

    operations = [migrations.RunPython(mirror_restrictions, migrations.RunPython.noop)]
