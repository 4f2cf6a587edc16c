"""The catalogue JSON API at /api/v1/credentials (same query as /catalogue/)."""

from datetime import date
from decimal import Decimal
from typing import Literal

from django.http import Http404
from ninja import Field, Query, Router, Schema
from pydantic import BaseModel

from cms import http_cache
from cms.api_schemas import Text, responses
from search.base import MAX_PER_PAGE, SearchQuery
from search.registry import get_engine, get_index

from .managers import skill_list_prefetch
from .models import MicroCredential, slug_url_maker
from .search import FACET_NAMES, INDEX_NAME, kept_for_everyone
from .serializers import absolute

router = Router(tags=["catalogue"])

Sort = Literal["relevance", "newest", "title", "duration", "cost"]


# The responses are plain pydantic models: the views build plain dicts, which
# pydantic checks natively, where ninja's Schema would wrap every nested object
# (each result, provider and facet value) for attribute access and resolvers.


class ProviderOut(BaseModel):
    name: str
    slug: str
    provider_type: str
    region: str
    website: str


class CredentialOut(BaseModel):
    slug: str
    title: str
    url: str
    open_badges_url: str
    provider: ProviderOut
    description: str
    skills: list[str]
    level: str
    workload_hours: int | None
    duration_weeks: int | None
    delivery_mode: str
    language: str
    cost_cad: Decimal
    osap_eligible: bool
    external_url: str
    last_reviewed: date | None


class CredentialDetailOut(CredentialOut):
    learning_outcomes: list[str]
    assessment: str
    quality_assurance: str
    endorsements: list[str]
    prerequisites: str
    pathway: str
    stacks_into: list[str]
    start_dates: list[date]
    eu_elements_stated: int


class FacetValueOut(BaseModel):
    value: str
    label: str
    count: int
    selected: bool


class FacetOut(BaseModel):
    name: str
    label: str
    values: list[FacetValueOut]
    has_more: bool


class CredentialListOut(BaseModel):
    total: int
    page: int
    per_page: int
    num_pages: int
    results: list[CredentialOut]
    facets: list[FacetOut]
    suggestions: list[str]


# The catalogue page's own bound (credentials.query): pages past it are empty.
MAX_PAGE = 99_999


class ListParams(Schema):
    q: Text = ""
    provider: list[Text] = []
    provider_type: list[Text] = []
    mode: list[Text] = []
    level: list[Text] = []
    language: list[Text] = []
    skill: list[Text] = []
    cost: list[Text] = []
    duration: list[Text] = []
    osap: list[Text] = []
    sort: Sort = "relevance"
    page: int = Field(1, ge=1, le=MAX_PAGE)
    per_page: int = Field(20, ge=1, le=MAX_PER_PAGE)


class _Links:
    """The absolute URLs of entries' pages and JSON-LD (each reversed once)."""

    def __init__(self, request):
        def build(url):
            return absolute(url, request)

        self.page = slug_url_maker("credentials:detail", build)
        self.jsonld = slug_url_maker("credentials:jsonld", build)


def _summary(credential, links):
    provider = credential.provider
    return {
        "slug": credential.slug,
        "title": credential.title,
        "url": links.page(credential.slug),
        "open_badges_url": links.jsonld(credential.slug),
        "provider": {
            "name": provider.name,
            "slug": provider.slug,
            "provider_type": provider.provider_type,
            "region": provider.region,
            "website": provider.website,
        },
        "description": credential.description,
        "skills": [tag.name for tag in credential.skill_list],
        "level": credential.level,
        "workload_hours": credential.workload_hours,
        "duration_weeks": credential.duration_weeks,
        "delivery_mode": credential.delivery_mode,
        "language": credential.language,
        "cost_cad": credential.cost_cad,
        "osap_eligible": credential.osap_eligible,
        "external_url": credential.external_url,
        "last_reviewed": credential.last_reviewed,
    }


@router.get(
    "/credentials",
    response=responses(CredentialListOut),
    summary="Search the catalogue",
    description=(
        "Full-text query `q`, one repeatable parameter per facet (values of a facet "
        "combine with OR, facets with AND), sorting and pagination. Facet counts "
        "apply every selected filter except the facet's own."
    ),
)
def list_credentials(request, params: Query[ListParams]):
    http_cache.cache_publicly(request, "catalogue")
    filters = {
        name: tuple(getattr(params, name))
        for name in FACET_NAMES
        if getattr(params, name)
    }
    query = get_index(INDEX_NAME).clean_query(
        SearchQuery(
            text=params.q,
            filters=filters,
            facets=FACET_NAMES,
            sort=params.sort,
            page=params.page,
            per_page=params.per_page,
        )
    )
    # The same for everyone who may see the same entries on this site (the
    # URLs are absolute): made once until the catalogue changes.
    site_root = f"{request.scheme}://{request.get_host()}"
    return kept_for_everyone(
        "api-list",
        request.user,
        (site_root, query),
        lambda: _list_data(request, query),
    )


def _list_data(request, query):
    result = get_engine(INDEX_NAME).search(query, user=request.user)
    links = _Links(request)
    return {
        "total": result.total,
        "page": result.query.page,
        "per_page": result.query.per_page,
        "num_pages": result.num_pages,
        "results": [_summary(hit, links) for hit in result.hits],
        "facets": [
            {
                "name": facet.name,
                "label": str(facet.label),
                "has_more": facet.has_more,
                "values": [
                    {
                        "value": value.value,
                        "label": str(value.label),
                        "count": value.count,
                        "selected": value.selected,
                    }
                    for value in facet.values
                ],
            }
            for facet in result.facets.values()
        ],
        "suggestions": result.suggestions,
    }


@router.get(
    "/credentials/{slug}",
    response=responses(CredentialDetailOut, not_found=True),
    summary="One catalogue entry",
)
def get_credential(request, slug: Text):
    http_cache.cache_publicly(request, "catalogue")
    try:
        credential = (
            MicroCredential.objects.visible_to(request.user)
            .select_related("provider")
            .prefetch_related(skill_list_prefetch(), "start_dates", "stacks_into")
            .get(slug=slug)
        )
    except MicroCredential.DoesNotExist:
        raise Http404("No published micro-credential has this slug.") from None
    http_cache.cache_publicly(request, f"credential-{credential.pk}")
    return {
        **_summary(credential, _Links(request)),
        "learning_outcomes": credential.outcomes_list,
        "assessment": credential.assessment,
        "quality_assurance": credential.quality_assurance,
        "endorsements": credential.endorsements_list,
        "prerequisites": credential.prerequisites,
        "pathway": credential.pathway,
        "stacks_into": [
            other.slug for other in credential.stacks_into.all() if other.is_public
        ],
        "start_dates": [start.date for start in credential.start_dates.all()],
        "eu_elements_stated": credential.completeness,
    }
