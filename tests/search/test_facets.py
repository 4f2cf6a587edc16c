"""Facet counts equal counts computed by brute force, over random data and selections."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from credentials.models import MicroCredential, Provider
from credentials.search import FACET_NAMES, INDEX_NAME
from search.base import SearchQuery
from search.registry import get_engine

PROVIDERS = [
    ("alpha-college", "college"),
    ("beta-university", "university"),
    ("gamma-guild", "industry"),
]
TITLES = ["Data Analytics", "Cyber Security", "Project Management", "Data Security"]
SKILLS = ["sql", "python", "leadership", "networks"]
MODES = ["online", "in_person", "hybrid"]
LEVELS = ["", "introductory", "intermediate", "advanced"]
LANGUAGES = ["en", "fr", "en-fr"]
COSTS = [0, 120, 499, 500, 1000, 1001, 2500]
WEEKS = [None, 1, 4, 5, 8, 9, 12, 13, 30]

entry = st.fixed_dictionaries(
    {
        "provider": st.integers(0, 2),
        "title": st.sampled_from(TITLES),
        "skills": st.sets(st.sampled_from(SKILLS), max_size=3),
        "mode": st.sampled_from(MODES),
        "level": st.sampled_from(LEVELS),
        "language": st.sampled_from(LANGUAGES),
        "cost": st.sampled_from(COSTS),
        "weeks": st.sampled_from(WEEKS),
        "osap": st.booleans(),
        "status": st.sampled_from(
            ["published", "published", "published", "draft", "archived"]
        ),
    }
)

# Every facet's values, with the predicate that decides membership, written
# independently of the engine's own filters.
VALUES = {
    "provider": {
        slug: (lambda e, i=i: e["provider"] == i)
        for i, (slug, _t) in enumerate(PROVIDERS)
    },
    "provider_type": {
        kind: (lambda e, kind=kind: PROVIDERS[e["provider"]][1] == kind)
        for kind in ["college", "university", "industry", "other"]
    },
    "mode": {m: (lambda e, m=m: e["mode"] == m) for m in MODES},
    "level": {lv: (lambda e, lv=lv: e["level"] == lv) for lv in LEVELS if lv},
    "language": {
        lang: (lambda e, lang=lang: e["language"] == lang) for lang in LANGUAGES
    },
    "skill": {s: (lambda e, s=s: s in e["skills"]) for s in SKILLS},
    "cost": {
        "free": lambda e: e["cost"] == 0,
        "under-500": lambda e: 0 < e["cost"] < 500,
        "500-1000": lambda e: 500 <= e["cost"] <= 1000,
        "over-1000": lambda e: e["cost"] > 1000,
    },
    "duration": {
        "up-to-4": lambda e: e["weeks"] is not None and e["weeks"] <= 4,
        "5-8": lambda e: e["weeks"] is not None and 5 <= e["weeks"] <= 8,
        "9-12": lambda e: e["weeks"] is not None and 9 <= e["weeks"] <= 12,
        "over-12": lambda e: e["weeks"] is not None and e["weeks"] > 12,
    },
    "osap": {"yes": lambda e: e["osap"]},
}
OPEN_ENDED = {"provider", "skill"}  # only values that occur are listed

selection = st.dictionaries(
    st.sampled_from(FACET_NAMES),
    st.just(None),
    max_size=4,
).flatmap(
    lambda names: st.fixed_dictionaries(
        {
            name: st.sets(st.sampled_from(sorted(VALUES[name])), min_size=1, max_size=2)
            for name in names
        }
    )
)
TEXTS = ["", "data", "secur", "management data", "nothingmatches"]


def matches_text(e, text):
    words = text.split()
    haystack = e["title"].lower() + " " + " ".join(e["skills"])
    return all(
        any(token.startswith(word) for token in haystack.split()) for word in words
    )


def passes(e, selected, except_facet=None):
    return all(
        any(VALUES[name][value](e) for value in values)
        for name, values in selected.items()
        if name != except_facet
    )


def create(entries):
    MicroCredential.objects.all().delete()
    providers = [
        Provider.objects.get_or_create(
            slug=slug, defaults={"name": slug.title(), "provider_type": kind}
        )[0]
        for slug, kind in PROVIDERS
    ]
    for number, e in enumerate(entries):
        credential = MicroCredential(
            title=e["title"],
            slug=f"entry-{number}",
            provider=providers[e["provider"]],
            # the description holds no query word, so only title and skills match
            description="A short course.",
            delivery_mode=e["mode"],
            level=e["level"],
            language=e["language"],
            cost_cad=Decimal(e["cost"]),
            duration_weeks=e["weeks"],
            osap_eligible=e["osap"],
            status=e["status"],
            live=e["status"] == "published",
        )
        credential.skills.add(*e["skills"])
        credential.save()


@pytest.mark.postgres
@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    entries=st.lists(entry, max_size=25),
    selected=selection,
    text=st.sampled_from(TEXTS),
)
def test_facet_counts_equal_brute_force(entries, selected, text):
    create(entries)
    result = get_engine(INDEX_NAME).search(
        SearchQuery(
            text=text,
            filters={name: tuple(values) for name, values in selected.items()},
            facets=FACET_NAMES,
            per_page=100,
        )
    )
    public = [
        e for e in entries if e["status"] == "published" and matches_text(e, text)
    ]
    expected_hits = [e for e in public if passes(e, selected)]
    assert result.total == len(expected_hits)
    assert len(result.hits) == len(expected_hits)
    for name in FACET_NAMES:
        pool = [e for e in public if passes(e, selected, except_facet=name)]
        expected = {
            value: sum(1 for e in pool if test(e))
            for value, test in VALUES[name].items()
        }
        got = {value.value: value.count for value in result.facets[name].values}
        if name in OPEN_ENDED:
            expected = {
                value: count
                for value, count in expected.items()
                if count or value in selected.get(name, ())
            }
        assert got == expected, name
        assert {v.value for v in result.facets[name].values if v.selected} == set(
            selected.get(name, ())
        )


@pytest.mark.django_db
def test_facet_counts_take_a_bounded_number_of_queries(django_assert_max_num_queries):
    create(
        [
            {
                "provider": n % 3,
                "title": TITLES[n % 4],
                "skills": {SKILLS[n % 4]},
                "mode": MODES[n % 3],
                "level": "advanced",
                "language": "en",
                "cost": COSTS[n % 7],
                "weeks": 4,
                "osap": False,
                "status": "published",
            }
            for n in range(30)
        ]
    )
    engine = get_engine(INDEX_NAME)
    # No selection: one aggregate (all fixed facets and the total), one grouped
    # query per open-ended facet, one for the hits, one for their skills.
    with django_assert_max_num_queries(5):
        engine.search(SearchQuery(text="data", facets=FACET_NAMES))
    # Each facet with a selection adds one query, whatever its number of values.
    with django_assert_max_num_queries(7):
        engine.search(
            SearchQuery(
                text="data",
                filters={"mode": ("online", "hybrid"), "cost": ("free",)},
                facets=FACET_NAMES,
            )
        )


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize(
    "text, other",
    [("", {}), ("", {"mode": ("online",)}), ("data", {})],
    ids=["catalogue as opened", "another facet selected", "words"],
)
def test_a_selected_skill_beyond_the_top_values_shows_its_own_count(text, other):
    skills = [
        {"sql", "python"},
        {"sql", "python"},
        {"sql", "leadership"},
        {"leadership"},
        {"sql", "networks"},
    ]
    create(
        [
            {
                "provider": 0,
                "title": "Data Analytics",
                "skills": entry_skills,
                "mode": "online",
                "level": "advanced",
                "language": "en",
                "cost": 0,
                "weeks": 4,
                "osap": False,
                "status": "published",
            }
            for entry_skills in skills
        ]
    )
    result = get_engine(INDEX_NAME).search(
        SearchQuery(
            text=text,
            filters={"skill": ("networks",), **other},
            facets=("skill",),
            facet_sizes={"skill": 2},
        )
    )
    facet = result.facets["skill"]
    # The two most frequent, then the selected one with its own count: no
    # other skill of the entries that have it, counted among those only.
    assert [(v.value, v.count, v.selected) for v in facet.values] == [
        ("sql", 4, False),
        ("leadership", 2, False),
        ("networks", 1, True),
    ]
    assert facet.has_more
