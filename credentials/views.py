"""The public catalogue: search, facets, entry pages, JSON-LD, suggestions, export."""

import csv
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count
from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from search.base import clean_text, query_words
from search.registry import get_engine

from .models import CatalogueIndexPage, MicroCredential
from .query import params_for, query_from_params, toggle_params
from .search import INDEX_NAME, SORTS
from .serializers import achievement, course_jsonld, flat_row, script_json

SUGGESTION_LIMIT = 8


def _facet_links(result):
    """Each facet value with the URL that ticks or unticks it (for links and JS)."""
    for facet in result.facets.values():
        for value in facet.values:
            value.toggle_url = "?" + toggle_params(
                result.query, facet.name, value.value
            )
    return result


@require_GET
def catalogue(request):
    query = query_from_params(request.GET)
    result = _facet_links(get_engine(INDEX_NAME).search(query, user=request.user))
    index_page = CatalogueIndexPage.objects.live().public().first()
    context = {
        "page": index_page,
        "result": result,
        "query": result.query,
        "sorts": SORTS,
        "previous_url": "?" + params_for(result.query, page=result.query.page - 1),
        "next_url": "?" + params_for(result.query, page=result.query.page + 1),
        "export_params": params_for(result.query, page=None),
        "clear_url": "?" + params_for(result.query.__class__(text=result.query.text)),
        "more_params": {
            name: params_for(result.query, more=name, page=None)
            for name in result.facets
        },
    }
    return render(request, "credentials/catalogue.html", context)


def _visible_credential(request, slug):
    try:
        return (
            MicroCredential.objects.visible_to(request.user)
            .select_related("provider")
            .prefetch_related("skills", "start_dates")
            .get(slug=slug)
        )
    except MicroCredential.DoesNotExist:
        raise Http404 from None


def related_credentials(credential, limit=4):
    """Public entries sharing the most skills with this one (one query)."""
    tag_ids = [tag.pk for tag in credential.skills.all()]
    if not tag_ids:
        return []
    return list(
        MicroCredential.objects.public()
        .exclude(pk=credential.pk)
        .filter(tagged_items__tag_id__in=tag_ids)
        .annotate(shared=Count("tagged_items"))
        .select_related("provider")
        .order_by("-shared", "title")[:limit]
    )


@require_GET
def detail(request, slug):
    credential = _visible_credential(request, slug)
    context = {
        "credential": credential,
        "index_page": CatalogueIndexPage.objects.live().public().first(),
        "related": related_credentials(credential),
        "stacks_into": list(credential.stacks_into.public().select_related("provider")),
        "stacked_from": list(
            credential.stacked_from.public().select_related("provider")
        ),
        "jsonld": mark_safe(script_json(course_jsonld(credential, request))),  # noqa: S308
        "back_params": request.GET.urlencode(),
    }
    return render(request, "credentials/credential_detail.html", context)


@require_GET
def detail_jsonld(request, slug):
    credential = _visible_credential(request, slug)
    return JsonResponse(
        achievement(credential, request),
        content_type="application/ld+json",
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
def suggest(request):
    """Titles and skills that start with what the visitor is typing."""
    text = clean_text(request.GET.get("q", ""))[:100]
    words = query_words(text)
    if not words or len(text) < 2:
        return JsonResponse({"suggestions": []})
    public = MicroCredential.objects.public()
    titles = list(
        public.filter(title__istartswith=text)
        .order_by("title")
        .values_list("title", flat=True)
        .distinct()[:SUGGESTION_LIMIT]
    )
    if len(titles) < SUGGESTION_LIMIT:
        titles += list(
            public.filter(title__icontains=text)
            .exclude(title__istartswith=text)
            .order_by("title")
            .values_list("title", flat=True)
            .distinct()[: SUGGESTION_LIMIT - len(titles)]
        )
    from taggit.models import Tag

    skills = list(
        Tag.objects.filter(
            name__istartswith=text,
            credentials_taggedmicrocredential_items__isnull=False,
        )
        .order_by("name")
        .values_list("name", flat=True)
        .distinct()[:SUGGESTION_LIMIT]
    )
    merged = list(dict.fromkeys(skills + titles))[:SUGGESTION_LIMIT]
    return JsonResponse({"suggestions": merged})


class _Echo:
    def write(self, value):
        return value


@require_GET
def export(request, fmt):
    """The current search (all pages) as CSV or JSON, in the import format."""
    query = query_from_params(request.GET, facets=())
    rows = (
        get_engine(INDEX_NAME)
        .queryset(query, user=request.user)
        .select_related("provider")
        .prefetch_related("skills", "start_dates")
    )
    if fmt == "csv":
        writer = csv.writer(_Echo())

        def stream():
            yield writer.writerow(EXPORT_COLUMNS)
            for credential in rows.iterator(chunk_size=500):
                row = flat_row(credential)
                yield writer.writerow([row[key] for key in EXPORT_COLUMNS])

        response = StreamingHttpResponse(stream(), content_type="text/csv")
    else:

        def stream():
            yield "["
            for number, credential in enumerate(rows.iterator(chunk_size=500)):
                yield ("," if number else "") + json.dumps(
                    flat_row(credential), cls=DjangoJSONEncoder, ensure_ascii=False
                )
            yield "]"

        response = StreamingHttpResponse(stream(), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="catalogue.{fmt}"'
    return response


EXPORT_COLUMNS = [
    "provider",
    "external_id",
    "title",
    "slug",
    "description",
    "learning_outcomes",
    "skills",
    "level",
    "workload_hours",
    "duration_weeks",
    "delivery_mode",
    "language",
    "cost_cad",
    "osap_eligible",
    "assessment",
    "quality_assurance",
    "endorsements",
    "prerequisites",
    "pathway",
    "start_dates",
    "external_url",
    "status",
    "last_reviewed",
    "url",
]
