"""What frameworks makes findable in site search, and who may find it: the
documents of collections this user may download (`frameworks.managers`), and
the consultations' open drafts and published comments
(`consultation_managers`)."""

from django.conf import settings
from django.db import transaction
from django.db.models import F, Min, Q, TextField, Value
from django.db.models.functions import Concat
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.models import Collection, CollectionViewRestriction

from search.registry import register_documents, register_visibility

from .consultation_models import Clause, Comment, Consultation
from .managers import documents_visible_to

# A document is downloadable when its collection is: Elasticsearch keeps the
# collection of each document and filters by the collections of visible ones.
register_visibility(
    "documents",
    documents_visible_to,
    key="collection_id",
    depends_on=(
        Collection,
        CollectionViewRestriction,
        CollectionViewRestriction.groups.through,
    ),
)


# --- Consultations: the open draft's text and published comments -------------
#
# Two kinds, each with its own rule (`consultation_managers`): the clauses of
# a draft while its consultation is open (current revisions only; before the
# opening and after the closing, none), and published comments, always (never
# held or hidden ones, nor any of a consultation the visitor may not read).
# Who may find them is asked at every search; the Elasticsearch engine keeps
# each row's pk as its key, so a comment hidden or a consultation closed is
# out of the results at once, before its index entry is removed.

CLAUSES = "consultations"
COMMENTS = "consultation_comments"


def findable_clauses(user):
    """The current clauses of the drafts open for comments that `user` may read."""
    return Clause.objects.current().filter(
        consultation__in=Consultation.objects.visible_to(user).open().values("pk")
    )


def findable_comments(user):
    """Published comments of the consultations `user` may read (what
    `Comment.objects.visible_to` lets anyone read: held and hidden comments,
    which only their author or moderators see, are never found)."""
    return Comment.objects.filter(
        status=Comment.Status.PUBLISHED,
        consultation__in=Consultation.objects.visible_to(user).values("pk"),
    )


def _draft_name(consultation):
    return f"{consultation.page.title} {consultation.version}"


def clause_document(clause):
    consultation = clause.consultation
    return {
        "title": gettext("Clause %(number)s of the draft %(draft)s")
        % {"number": clause.number, "draft": _draft_name(consultation)},
        "body": clause.text,
        "url": consultation.get_url() + f"clause/{clause.number}/",
        "meta": gettext("Open for comments"),
        "sort_date": clause.created_at,
    }


def comment_document(comment):
    consultation = comment.consultation
    where = f"clause/{comment.clause.number}/" if comment.clause_id else "general/"
    if comment.clause_id:
        title = gettext("Comment on clause %(number)s of the draft %(draft)s") % {
            "number": comment.clause.number,
            "draft": _draft_name(consultation),
        }
    else:
        title = gettext("Comment on the draft %(draft)s") % {
            "draft": _draft_name(consultation)
        }
    return {
        "title": title,
        "body": " ".join(filter(None, [comment.body, comment.replacement])),
        "url": consultation.get_url() + f"{where}#{comment.anchor}",
        "meta": comment.organisation,
        "sort_date": comment.created_at,
    }


def _draft_title():
    return Concat("consultation__page__title", Value(" "), "consultation__version")


def next_opening_or_closing():
    """When a consultation next opens or closes: what these kinds find
    changes then with no save, so no search result is kept past it."""
    now = timezone.now()
    found = Consultation.objects.filter(closes_at__gt=now).aggregate(
        opening=Min("opens_at", filter=Q(opens_at__gt=now)),
        closing=Min("closes_at"),
    )
    moments = [moment for moment in found.values() if moment is not None]
    return min(moments) if moments else None


register_visibility(
    CLAUSES,
    findable_clauses,
    depends_on=(Consultation, Clause),
    changes_at=next_opening_or_closing,
)
register_visibility(
    COMMENTS,
    findable_comments,
    depends_on=(Consultation, Comment),
    changes_at=next_opening_or_closing,
)
register_documents(
    CLAUSES,
    lambda: Clause.objects.current().select_related("consultation__page"),
    clause_document,
    texts=lambda: Clause.objects.annotate(
        search_title=_draft_title(), search_body=F("text")
    ),
    label=_("Consultations"),
    hit_label=_("Draft open for comments"),
)
register_documents(
    COMMENTS,
    lambda: Comment.objects.filter(status=Comment.Status.PUBLISHED).select_related(
        "consultation__page", "clause"
    ),
    comment_document,
    texts=lambda: Comment.objects.annotate(
        search_title=Concat(
            _draft_title(), Value(" "), "organisation", output_field=TextField()
        ),
        search_body=Concat("body", Value(" "), "replacement", output_field=TextField()),
    ),
    label=_("Consultation comments"),
    hit_label=_("Consultation comment"),
)


def index_later(kind, ids=(), removed=()):
    """Refresh these rows of a kind in site search, after commit.

    The database engine reads the rows themselves: only its cached results
    are forgotten. An engine that keeps a copy (Elasticsearch) is sent each
    row, as search's own signals do for the catalogue.
    """
    from search import tasks
    from search.registry import bump
    from search.site import SITE_INDEX

    if not getattr(settings, "ELASTICSEARCH_URL", ""):
        bump(SITE_INDEX)
        return

    def enqueue():
        for pk in ids:
            tasks.index_object.enqueue(kind, pk)
        for pk in removed:
            tasks.remove_object.enqueue(kind, pk)

    transaction.on_commit(enqueue)


def _comment_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        index_later(COMMENTS, ids=[instance.pk])


def _comment_deleted(sender, instance, **kwargs):
    index_later(COMMENTS, removed=[instance.pk])


post_save.connect(_comment_saved, sender=Comment, dispatch_uid="search_cn_comment")
post_delete.connect(
    _comment_deleted, sender=Comment, dispatch_uid="search_cn_comment_deleted"
)
