"""A page's translations are as private as the page (issue 21).

Each language's version of a page is its own page in its own tree, and
Wagtail's privacy (a PageViewRestriction) belongs to one page and the pages
below it. Wagtail copies a page's restrictions when it is first translated,
and wagtail-localize again when a translation is synced; in between, making
the English page private would leave its French version public.

So the restriction of a page in the site's language (the original) is kept on
every translation of it: saving it (its type, password or groups) saves the
same on them, and so does any change to a translation's own while the
original is private; removing it removes theirs. A translation of a public
page may still be made private on its own. When an original's restriction
goes with the page itself (the page is deleted), its translations keep
theirs: in doubt, private.

Pages, search, feeds, the sitemap and the API all read the restrictions from
the database (cms.permissions.public_pages, Wagtail's `public()`), so they
follow at once.
"""

from contextvars import ContextVar

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.models import Locale, Page, PageViewRestriction

# Set while copying, so that the copies' own signals copy nothing back.
_mirroring = ContextVar("mirroring_view_restrictions", default=False)


def _versions(page_id):
    """(the original, [its translations]) of the page with this id; the
    original is None when the page has no version in the site's language."""
    page = Page.objects.filter(pk=page_id).only("translation_key").first()
    if page is None:
        return None, []
    versions = list(
        Page.objects.filter(translation_key=page.translation_key).only(
            "pk", "locale_id"
        )
    )
    default = Locale.get_default().pk
    original = next((p for p in versions if p.locale_id == default), None)
    return original, [p for p in versions if p is not original]


def mirror(restriction, translations=None):
    """Give every translation of the restriction's page the same one."""
    if translations is None:
        _original, translations = _versions(restriction.page_id)
    groups = set(restriction.groups.values_list("pk", flat=True))
    token = _mirroring.set(True)
    try:
        with transaction.atomic():
            for page in translations:
                _copy_to(page, restriction, groups)
    finally:
        _mirroring.reset(token)


def _copy_to(page, restriction, groups):
    existing = list(PageViewRestriction.objects.filter(page=page).order_by("pk"))
    copy = existing[0] if existing else PageViewRestriction(page=page)
    for extra in existing[1:]:
        extra.delete()
    if copy.pk is None or (
        copy.restriction_type != restriction.restriction_type
        or copy.password != restriction.password
    ):
        copy.restriction_type = restriction.restriction_type
        copy.password = restriction.password
        copy.save()
    if set(copy.groups.values_list("pk", flat=True)) != groups:
        copy.groups.set(groups)


def _original_restriction(original):
    if original is None:
        return None
    return PageViewRestriction.objects.filter(page=original).order_by("pk").first()


def _changed(restriction):
    """A restriction was saved or its groups changed: make the translations
    match the original's, if the original is private."""
    original, translations = _versions(restriction.page_id)
    if original is None:
        return
    source = (
        restriction
        if restriction.page_id == original.pk
        else _original_restriction(original)
    )
    if source is not None:
        mirror(source, [p for p in translations if p.pk != source.page_id])


def _saved(sender, instance, raw=False, **kwargs):
    if not raw and not _mirroring.get():
        _changed(instance)


def _groups_changed(sender, instance, action, reverse=False, **kwargs):
    if _mirroring.get() or reverse:
        return
    if action in {"post_add", "post_remove", "post_clear"}:
        _changed(instance)


def _deleted(sender, instance, **kwargs):
    if _mirroring.get():
        return
    page_id = instance.page_id
    # Once the change is committed: a restriction deleted with its page (or
    # replaced by another) is not a page made public.
    transaction.on_commit(lambda: _after_delete(page_id))


def _after_delete(page_id):
    original, translations = _versions(page_id)
    if original is None:
        return
    source = _original_restriction(original)
    if source is not None:
        # The original is still private: so are its translations.
        mirror(source, translations)
    elif page_id == original.pk:
        token = _mirroring.set(True)
        try:
            PageViewRestriction.objects.filter(
                page__in=[p.pk for p in translations]
            ).delete()
        finally:
            _mirroring.reset(token)


def mirror_all():
    """Give every original's restriction to its translations."""
    default = Locale.get_default()
    for restriction in PageViewRestriction.objects.filter(page__locale=default):
        mirror(restriction)


def connect():
    post_save.connect(
        _saved, sender=PageViewRestriction, dispatch_uid="translated_privacy_save"
    )
    post_delete.connect(
        _deleted, sender=PageViewRestriction, dispatch_uid="translated_privacy_del"
    )
    m2m_changed.connect(
        _groups_changed,
        sender=PageViewRestriction.groups.through,
        dispatch_uid="translated_privacy_groups",
    )
