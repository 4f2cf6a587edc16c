"""Consultations on framework drafts at /api/v1/consultations.

The same rules as the consultation pages (`consultation_managers`), as an
anonymous visitor sees them: consultations from their opening date on public
documents only, the clauses with their comment counts while open (afterwards
only the clauses that were commented on), and published comments.
"""

from datetime import datetime

from django.db.models import Count
from django.http import Http404
from ninja import Router, Schema
from ninja.pagination import paginate

from cms.api_schemas import Id, Pagination, responses

from .consultation_models import Clause, Comment, Consultation

router = Router(tags=["consultations"])


class ConsultationOut(Schema):
    id: int
    document: str
    version: str
    state: str
    opens_at: datetime
    closes_at: datetime
    url: str
    disposition_url: str | None = None


class ClauseOut(Schema):
    number: str
    kind: str
    text: str
    revision: int
    comments: int


class ConsultationDetailOut(ConsultationOut):
    introduction: str
    questions: list[str]
    clauses: list[ClauseOut]


class CommentOut(Schema):
    id: int
    clause: str | None
    clause_revision: int | None
    type: str
    author: str
    organisation: str
    organisation_type: str
    role: str
    body_html: str
    replacement: str
    created_at: datetime
    edited_at: datetime | None
    response: str | None = None
    response_reason: str | None = None

    @staticmethod
    def resolve_clause(comment):
        return comment.clause.number if comment.clause_id else None

    @staticmethod
    def resolve_clause_revision(comment):
        return comment.clause.revision if comment.clause_id else None

    @staticmethod
    def resolve_author(comment):
        # A member who deleted their account is shown as no one.
        return comment.author_name if comment.author_id else ""

    @staticmethod
    def _response(comment):
        if not comment.consultation.disposition_published:
            return None
        return getattr(comment, "response", None)

    @staticmethod
    def resolve_response(comment):
        response = CommentOut._response(comment)
        return response.disposition if response else None

    @staticmethod
    def resolve_response_reason(comment):
        response = CommentOut._response(comment)
        return response.reason if response else None


def _visible():
    return Consultation.objects.visible_to(None).select_related("page")


def _summary(consultation, request):
    url = request.build_absolute_uri(consultation.get_url())
    return {
        "id": consultation.pk,
        "document": consultation.page.title,
        "version": consultation.version,
        "state": consultation.state(),
        "opens_at": consultation.opens_at,
        "closes_at": consultation.closes_at,
        "url": url,
        "disposition_url": url + "disposition/"
        if consultation.disposition_published
        else None,
    }


def _get(pk):
    consultation = _visible().filter(pk=pk).first()
    if consultation is None:
        raise Http404
    return consultation


@router.get(
    "/consultations", response=responses(list[ConsultationOut], parameters=False)
)
def list_consultations(request):
    """Every consultation that has opened, newest first."""
    return [_summary(c, request) for c in _visible().order_by("-opens_at")]


@router.get(
    "/consultations/{pk}",
    response=responses(ConsultationDetailOut, not_found=True),
)
def get_consultation(request, pk: Id):
    """A consultation with its questions and clauses (and comment counts)."""
    consultation = _get(pk)
    counts = dict(
        Comment.objects.public()
        .filter(consultation=consultation, clause__isnull=False)
        .values_list("clause__key")
        .annotate(n=Count("pk"))
        .order_by()
    )
    clauses = Clause.objects.filter(consultation=consultation)
    if consultation.state() == "open":
        clauses = clauses.current()
    else:
        clauses = clauses.filter(is_current=True, key__in=list(counts)).order_by(
            "position"
        )
    return {
        **_summary(consultation, request),
        "introduction": consultation.introduction,
        "questions": [q.text for q in consultation.questions.all()],
        "clauses": [
            {
                "number": c.number,
                "kind": c.kind,
                "text": c.text,
                "revision": c.revision,
                "comments": counts.get(c.key, 0),
            }
            for c in clauses
        ],
    }


@router.get(
    "/consultations/{pk}/comments",
    response=responses(list[CommentOut], not_found=True),
)
@paginate(Pagination)
def list_comments(request, pk: Id):
    """The published comments, oldest first, with the responses once published."""
    consultation = _get(pk)
    return (
        Comment.objects.public()
        .filter(consultation=consultation)
        .select_related("clause", "response", "consultation")
        .order_by("created_at", "pk")
    )
