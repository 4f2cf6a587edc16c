"""The public catalogue: search, facets, entry pages, JSON-LD, suggestions, export."""

import csv
import json

from django.conf import settings
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count
from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from cms import http_cache
from cms.exports import neutralise
from cms.permissions import public_pages
from search.base import clean_text, query_words
from search.registry import (
    cache_timeout,
    get_engine,
    get_index,
    version,
)

from .managers import skill_list_prefetch
from .models import (
    CatalogueIndexPage,
    MicroCredential,
    TaggedMicroCredential,
    slug_url_maker,
)
from .query import params_for, query_from_params, toggle_params
from .search import INDEX_NAME, SORTS, kept_for_everyone
from .serializers import achievement, course_jsonld, flat_row, script_json

SUGGESTION_LIMIT = 8
RELATED_LIMIT = 4
# Related entries are ranked in rounds: this many candidates first, ten times
# more in each further round (only when many candidates are not public).
RELATED_FIRST_ROUND = 50
# What a card linking to another entry shows.
CARD_FIELDS = ("title", "slug", "language", "provider__name")


# The tag (cms.http_cache) of every response made from the catalogue's entries:
# purged whenever the catalogue's search index changes (search.registry.bump).
CATALOGUE = "catalogue"


def _result_links(result):
    """Each facet value with the URL that ticks or unticks it (for links and JS),
    each hit with the URL of its page."""
    for facet in result.facets.values():
        for value in facet.values:
            value.toggle_url = "?" + toggle_params(
                result.query, facet.name, value.value
            )
    page_url = slug_url_maker("credentials:detail")
    for hit in result.hits:
        hit.page_url = page_url(hit.slug)
    return result


@require_GET
@http_cache.edge_cacheable(CATALOGUE)
def catalogue(request):
    query = get_index(INDEX_NAME).clean_query(query_from_params(request.GET))
    context = {
        "page": catalogue_page(),
        "query": query,
        "results": catalogue_results(query, request.user),
    }
    return render(request, "credentials/catalogue.html", context)


def catalogue_results(query, user):
    """The catalogue's form, facets and results for this query, as HTML: the
    same for everyone who may see the same entries, so rendered without the
    request, once until the catalogue changes."""

    def render_results():
        result = _result_links(get_engine(INDEX_NAME).search(query, user=user))
        context = {
            "result": result,
            "query": result.query,
            "sorts": SORTS,
            "previous_url": "?" + params_for(result.query, page=result.query.page - 1),
            "next_url": "?" + params_for(result.query, page=result.query.page + 1),
            "export_params": params_for(result.query, page=None),
            "clear_url": "?"
            + params_for(result.query.__class__(text=result.query.text)),
            "more_params": {
                name: params_for(result.query, more=name, page=None)
                for name in result.facets
            },
        }
        return render_to_string("credentials/_catalogue_results.html", context)

    return kept_for_everyone("results", user, query, render_results)


def _visible_credential(request, slug):
    try:
        return (
            MicroCredential.objects.visible_to(request.user)
            .select_related("provider")
            .prefetch_related(skill_list_prefetch(), "start_dates")
            .get(slug=slug)
        )
    except MicroCredential.DoesNotExist:
        raise Http404 from None


def catalogue_page():
    """The live, public catalogue index page (its title and intro), or None."""
    return public_pages(CatalogueIndexPage.objects.live()).first()


def related_credentials(credential, limit=RELATED_LIMIT):
    """Public entries sharing the most skills with this one, newest first among
    entries that share as many.

    The ranking reads only the narrow tagged-item table (through its tag
    index), so its cost follows how many entries share a skill, not the size
    of their rows; then only the best few candidates are fetched, with the
    fields a card shows. Two queries, unless the best candidates are mostly
    not public (drafts, archived): then a further, larger round.
    """
    tag_ids = [tag.pk for tag in credential.skill_list]
    if not tag_ids:
        return []
    ranked = (
        TaggedMicroCredential.objects.filter(tag_id__in=tag_ids)
        .exclude(content_object_id=credential.pk)
        .values("content_object_id")
        .annotate(shared=Count("pk"))
        .order_by("-shared", "-content_object_id")
        .values_list("content_object_id", flat=True)
    )
    found = []
    start, size = 0, RELATED_FIRST_ROUND
    while len(found) < limit:
        candidates = list(ranked[start : start + size])
        public = (
            MicroCredential.objects.public()
            .filter(pk__in=candidates)
            .select_related("provider")
            .only(*CARD_FIELDS)
            .in_bulk()
        )
        found += [public[pk] for pk in candidates if pk in public]
        if len(candidates) < size:
            break
        start, size = start + size, size * 10
    return found[:limit]


def entry_links(credential):
    """Related and stackable entries for an entry page, cached.

    Kept as long as search results (SEARCH_CACHE_TIMEOUT; 0 turns it off).
    Every change to the catalogue (an entry saved, published, unpublished,
    deleted or imported, a provider changed) bumps the catalogue's search
    version (`search.registry.bump`), which is part of the key.
    """
    timeout = cache_timeout()
    key = f"catalogue:entry-links:{version(INDEX_NAME)}:{credential.pk}"
    links = cache.get(key) if timeout else None
    if links is None:
        links = {
            "related": related_credentials(credential),
            "stacks_into": list(
                credential.stacks_into.public()
                .select_related("provider")
                .only(*CARD_FIELDS)
            ),
            "stacked_from": list(
                credential.stacked_from.public()
                .select_related("provider")
                .only(*CARD_FIELDS)
            ),
        }
        if timeout:
            cache.set(key, links, timeout)
    return links


@require_GET
@http_cache.edge_cacheable(CATALOGUE)
def detail(request, slug):
    context = {"entry": entry_parts(request, slug), "index_page": catalogue_page()}
    return render(request, "credentials/credential_detail.html", context)


def entry_parts(request, slug):
    """An entry's page but its frame: title, URL, head and article (HTML).

    The same for everyone who may see the entry on this site (the head names
    its absolute URLs), so rendered without the request, once until the
    catalogue changes. Whether this user may see it is read from the database
    every time: Http404 for an entry they may not see.
    """
    pk = (
        MicroCredential.objects.visible_to(request.user)
        .filter(slug=slug)
        .values_list("pk", flat=True)
        .first()
    )
    if pk is None:
        raise Http404
    http_cache.cache_publicly(request, f"credential-{pk}")
    # The head names the entry's public address (SITE_URL), never the host
    # the request came in on (http://localhost/ behind a proxy).
    site_root = settings.SITE_URL

    def render_parts():
        credential = _visible_credential(request, slug)
        context = {
            "credential": credential,
            "site_root": site_root,
            **entry_links(credential),
            "jsonld": mark_safe(script_json(course_jsonld(credential))),  # noqa: S308
        }
        return {
            "title": credential.title,
            "url": credential.get_absolute_url(),
            "meta": render_to_string("credentials/_entry_meta.html", context),
            "article": render_to_string("credentials/_entry_article.html", context),
        }

    return kept_for_everyone("entry", request.user, (site_root, slug), render_parts)


@require_GET
@http_cache.edge_cacheable(CATALOGUE)
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
    # Exactly what the catalogue shows this visitor: its own queryset.
    public = get_index(INDEX_NAME).get_queryset(request.user)
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
            credentials_taggedmicrocredential_items__content_object__in=public,
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
        .prefetch_related(skill_list_prefetch(), "start_dates")
    )
    if fmt == "csv":
        writer = csv.writer(_Echo())

        def stream():
            yield writer.writerow(EXPORT_COLUMNS)
            for credential in rows.iterator(chunk_size=500):
                row = flat_row(credential)
                yield writer.writerow([neutralise(row[key]) for key in EXPORT_COLUMNS])

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
