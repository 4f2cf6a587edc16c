"""Translations in the admin: which are out of date, and their review (issue 21).

wagtail-localize keeps a translated page in step with its source page: staff
translate its text segment by segment, and "Sync translated pages" brings the
source's new text into the editor. Two things it leaves to the site:

- Which translations are out of date: a source page published after the
  translation last took its text (`TranslationSource.last_updated_at`, which
  the sync moves on). The admin's dashboard lists them (`TranslationsPanel`).
- Review: wagtail-localize's editor can only publish at once. "Submit for
  review" saves the translation as a draft of the page and starts the page's
  moderation workflow, the same one its drafts go through, so a moderator
  approves it before it is live.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page


class TranslationReviewError(Exception):
    """The translation cannot be submitted; `message` says why, for staff."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass
class PageTranslation:
    page: Page  # the translated page
    source: Page  # the page it is translated from
    translation: object  # wagtail_localize's Translation
    out_of_date: bool
    in_review: bool


def _source_pages():
    return Page.objects.filter(
        translation_key=OuterRef("source__object_id"),
        locale_id=OuterRef("source__locale_id"),
    )


def page_translations(user, *, limit=50):
    """The synced page translations `user` may edit, out-of-date ones first."""
    from wagtail_localize.models import Translation

    translations = list(
        Translation.objects.filter(enabled=True)
        .annotate(
            source_page_id=Subquery(_source_pages().values("pk")[:1]),
            source_published_at=Subquery(
                _source_pages().values("last_published_at")[:1]
            ),
        )
        .filter(source_page_id__isnull=False)
        .select_related("source")
        .order_by(F("source_published_at").desc(nulls_last=True))[:limit]
    )
    keys = {translation.source.object_id for translation in translations}
    pages = {
        (page.translation_key, page.locale_id): page
        for page in Page.objects.filter(translation_key__in=keys)
        .select_related("locale")
        .defer_streamfields()
    }
    rows = []
    for translation in translations:
        page = pages.get((translation.source.object_id, translation.target_locale_id))
        source = pages.get((translation.source.object_id, translation.source.locale_id))
        if page is None or source is None:
            continue
        if not page.permissions_for_user(user).can_edit():
            continue
        published = translation.source_published_at
        rows.append(
            PageTranslation(
                page=page,
                source=source,
                translation=translation,
                out_of_date=bool(
                    published and published > translation.source.last_updated_at
                ),
                in_review=page.workflow_in_progress,
            )
        )
    rows.sort(key=lambda row: not row.out_of_date)
    return rows


def submit_for_review(*, page, user):
    """Save the translated page's current translation as a draft and start its
    moderation workflow. Returns the workflow state.

    Missing segments keep the source's text, as wagtail-localize does when it
    publishes.
    """
    from wagtail_localize.models import Translation

    page = page.specific
    translation = Translation.objects.filter(
        source__object_id=page.translation_key,
        target_locale_id=page.locale_id,
        enabled=True,
    ).first()
    if translation is None:
        raise TranslationReviewError(_("This page is not a synced translation."))
    if page.workflow_in_progress:
        raise TranslationReviewError(_("This translation is already in review."))
    workflow = page.get_workflow()
    if workflow is None:
        raise TranslationReviewError(
            _("No moderation workflow applies to this page: publish it instead.")
        )
    with transaction.atomic():
        translation.save_target(user=user, publish=False)
        page = Page.objects.get(pk=page.pk).specific
        return workflow.start(page, user)
