"""Demo catalogue: about 200 entries from 15 Ontario-style providers (idempotent)."""

from cms import seed as cms_seed
from cms.models import HomePage

from .bench import generate
from .models import CatalogueIndexPage, MicroCredential, Provider

DEMO_PREFIX = "MC-"
DEMO_COUNT = 200


def catalogue_page():
    home = HomePage.default()
    page = CatalogueIndexPage.objects.first()
    if page is None:
        page = CatalogueIndexPage(
            title="Catalogue of micro-credentials",
            slug="catalogue",
            show_in_menus=True,
            summary="Find short, recognised micro-credentials from Ontario colleges, "
            "universities and industry bodies.",
            intro="Search micro-credentials by skill, provider, delivery mode, cost "
            "and more. Every entry states the elements that the EU Council "
            "recommendation on micro-credentials asks for.",
        )
        home.add_child(instance=page)
        page.save_revision().publish()
    return page


def _stack(ids):
    """Link introductory entries to a more advanced one of the same provider."""
    entries = list(
        MicroCredential.objects.filter(pk__in=ids)
        .public()
        .prefetch_related("skills")
        .order_by("pk")
    )
    by_provider = {}
    for entry in entries:
        by_provider.setdefault(entry.provider_id, []).append(entry)
    for group in by_provider.values():
        intro = [e for e in group if e.level == "introductory"]
        advanced = [e for e in group if e.level in {"intermediate", "advanced"}]
        for entry in intro:
            skills = {tag.pk for tag in entry.skills.all()}
            target = next(
                (a for a in advanced if skills & {tag.pk for tag in a.skills.all()}),
                None,
            )
            if target is not None:
                MicroCredential.stacks_into.through.objects.get_or_create(
                    from_microcredential_id=entry.pk, to_microcredential_id=target.pk
                )
                entry.pathway = f"{target.title} ({target.provider.name})"
                MicroCredential.objects.filter(pk=entry.pk).update(
                    pathway=entry.pathway
                )


EDITORS_GROUP = "Catalogue editors"
PROVIDER_EDITOR_EMAIL = "provider-editor@example.org"
PROVIDER_EDITOR_PASSWORD = "provider-editor-demo-pass"  # noqa: S105 - demo account
# The demo provider editor edits for these two (names from generator.PROVIDERS).
PROVIDER_EDITOR_PROVIDERS = [
    "Lakeshore College of Applied Arts and Technology",
    "Northbay Polytechnic",
]


def editors_group():
    """Provider editors: manage their providers' entries and details in the admin.

    Which providers each member edits for is said on each provider (its
    editors); adding providers and choosing editors is left to staff.
    """
    from django.contrib.auth.models import Group, Permission

    group, _created = Group.objects.get_or_create(name=EDITORS_GROUP)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="credentials",
            codename__in=[
                "add_microcredential",
                "change_microcredential",
                "publish_microcredential",
                "delete_microcredential",
                "change_provider",
            ],
        ),
        *Permission.objects.filter(
            content_type__app_label="wagtailadmin", codename="access_admin"
        ),
    )
    # Granted by earlier versions of this seed.
    group.permissions.remove(
        *Permission.objects.filter(
            content_type__app_label="credentials", codename="add_provider"
        )
    )
    return group


def provider_editor(stdout):
    """The demo provider editor: in the editors group, editing for two providers."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    from .bench import ensure_providers

    ensure_providers()
    user, created = get_user_model().objects.get_or_create(
        username="provider-editor",
        defaults={
            "email": PROVIDER_EDITOR_EMAIL,
            "first_name": "Priya",
            "last_name": "Provider",
        },
    )
    if created:
        user.set_password(PROVIDER_EDITOR_PASSWORD)
        user.save()
        EmailAddress.objects.get_or_create(
            user=user,
            email=PROVIDER_EDITOR_EMAIL,
            defaults={"verified": True, "primary": True},
        )
        stdout.write(
            f"Created the demo provider editor {PROVIDER_EDITOR_EMAIL} / "
            f"{PROVIDER_EDITOR_PASSWORD}."
        )
    user.groups.add(editors_group())
    user.edited_providers.add(
        *Provider.objects.filter(name__in=PROVIDER_EDITOR_PROVIDERS)
    )
    return user


def seed(stdout):
    cms_seed.link_action(cms_seed.ACTION_CATALOGUE, page=catalogue_page())
    provider_editor(stdout)
    if MicroCredential.objects.filter(external_id__startswith=DEMO_PREFIX).exists():
        return
    ids = generate(
        DEMO_COUNT,
        prefix=DEMO_PREFIX,
        seed=2019,
        status_for=lambda n: (
            "draft" if n % 40 == 0 else ("archived" if n % 67 == 0 else "published")
        ),
    )
    _stack(ids)
    stdout.write(f"Created {len(ids)} demo catalogue entries.")
