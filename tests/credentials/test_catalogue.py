"""The public catalogue page and entry pages, as a visitor sees them."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from credentials.models import MicroCredential

from .factories import make_credential, make_provider

pytestmark = pytest.mark.django_db


def _total(response):
    match = re.search(
        r'catalogue__total" role="status">\s*([\d,]+) micro-credential',
        response.content.decode(),
    )
    assert match, "the page shows no total"
    return int(match.group(1).replace(",", ""))


def test_catalogue_lists_published_entries_with_total_and_facets(client):
    college = make_provider("Lakeshore College")
    make_credential("Data Analytics Foundations", provider=college, skills=["SQL"])
    make_credential("Cybersecurity Basics", provider=college, delivery_mode="hybrid")
    response = client.get("/catalogue/")
    assert response.status_code == 200
    html = response.content.decode()
    assert _total(response) == 2
    assert "Data Analytics Foundations" in html and "Cybersecurity Basics" in html
    # Facets with counts: two online-or-hybrid values, one skill.
    assert re.search(r"Online <span class=\"facet__count\">\(1", html)
    assert re.search(r"Hybrid <span class=\"facet__count\">\(1", html)
    assert re.search(r"SQL <span class=\"facet__count\">\(1", html)


def test_facets_combine_or_within_and_across(client):
    make_credential("Online free", delivery_mode="online", cost_cad=0)
    make_credential("Hybrid free", delivery_mode="hybrid", cost_cad=0)
    make_credential("Online paid", delivery_mode="online", cost_cad=700)
    make_credential("In person paid", delivery_mode="in_person", cost_cad=700)
    assert _total(client.get("/catalogue/?mode=online&mode=hybrid")) == 3
    assert _total(client.get("/catalogue/?mode=online&cost=free")) == 1
    assert _total(client.get("/catalogue/?mode=online&mode=hybrid&cost=free")) == 2
    html = client.get("/catalogue/?mode=online&cost=free").content.decode()
    # The mode counts ignore the mode selection but apply the cost one.
    assert re.search(r"Hybrid <span class=\"facet__count\">\(1", html)
    assert re.search(r"In person <span class=\"facet__count\">\(0", html)


@pytest.mark.parametrize(
    "query",
    [
        "q=" + "x" * 5000,
        "q=%27%22%3C%3E%5C%3A%2A%21%26%7C",
        "q=a+%26+b+%7C+!c+:*",
        "page=abc&sort=nonsense&mode=nope&per_page=-5",
        "page=999999999999",
        "q=%F0%9F%98%80",
    ],
)
def test_any_query_gives_a_page(client, query):
    make_credential("Data Analytics Foundations")
    response = client.get("/catalogue/?" + query)
    assert response.status_code == 200
    assert "catalogue__total" in response.content.decode()


def test_sorting_and_pagination(client):
    for number, (title, weeks, cost) in enumerate(
        [("Bravo", 12, 900), ("Alpha", 3, 100), ("Charlie", 6, 0)]
    ):
        make_credential(
            title, duration_weeks=weeks, cost_cad=cost, external_id=f"S{number}"
        )

    def titles(url):
        html = client.get(url).content.decode()
        return re.findall(r'class="result__title"><a href="[^"]+">([^<]+)</a>', html)

    assert titles("/catalogue/?sort=title") == ["Alpha", "Bravo", "Charlie"]
    assert titles("/catalogue/?sort=duration") == ["Alpha", "Charlie", "Bravo"]
    assert titles("/catalogue/?sort=cost") == ["Charlie", "Alpha", "Bravo"]
    assert titles("/catalogue/?sort=newest") == ["Charlie", "Alpha", "Bravo"]
    assert titles("/catalogue/?sort=title&per_page=2") == ["Alpha", "Bravo"]
    page_two = client.get("/catalogue/?sort=title&per_page=2&page=2")
    assert titles("/catalogue/?sort=title&per_page=2&page=2") == ["Charlie"]
    assert "Page 2 of 2" in page_two.content.decode()


def test_entry_page_shows_every_field_and_json_ld(client):
    base = make_credential("Advanced Data Analytics", skills=["SQL"])
    credential = make_credential(
        "Data Analytics Foundations",
        skills=["SQL", "data visualization"],
        start_dates=[datetime.date(2027, 1, 11)],
        learning_outcomes="Write SQL queries\nBuild a dashboard",
        assessment="Capstone project",
        quality_assurance="Board approved",
        endorsements="Shopify\nRBC",
        prerequisites="None",
        cost_cad=450,
        osap_eligible=True,
        language="en",
        external_url="https://example.org/enrol",
        last_reviewed=datetime.date(2026, 5, 1),
    )
    MicroCredential.stacks_into.through.objects.create(
        from_microcredential_id=credential.pk, to_microcredential_id=base.pk
    )
    response = client.get(credential.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        "Write SQL queries",
        "Build a dashboard",
        "data visualization",
        "Capstone project",
        "Board approved",
        "Shopify",
        "RBC",
        "30 hours",
        "6 weeks",
        "Online",
        "Introductory",
        "English",
        "450.00",
        "OSAP eligible",
        "2027-01-11",
        "https://example.org/enrol",
        "Lakeshore College",
        "Toronto, Ontario",
        "Stacks into",
        "Related micro-credentials",
        "Advanced Data Analytics",
    ]:
        assert text in html, text
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    import json

    data = json.loads(match.group(1))
    assert data["@type"] == "Course"
    assert data["name"] == "Data Analytics Foundations"
    assert data["provider"]["name"] == "Lakeshore College"
    assert data["offers"]["price"] == "450.00"
    assert data["hasCourseInstance"][0]["startDate"] == "2027-01-11"


def test_json_ld_in_page_cannot_break_out_of_the_script(client):
    credential = make_credential("Data </script><script>alert(1)</script>")
    html = client.get(credential.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html


def test_suggestions_as_you_type(client):
    make_credential("Data Analytics Foundations", skills=["data visualization"])
    make_credential("Cybersecurity Basics")
    make_credential("Data Secrets", status="draft")
    data = client.get("/catalogue/suggest?q=dat").json()
    assert "data visualization" in data["suggestions"]
    assert "Data Analytics Foundations" in data["suggestions"]
    assert "Data Secrets" not in data["suggestions"]
    assert client.get("/catalogue/suggest?q=" + "d" * 3000).json() == {
        "suggestions": []
    }


def test_export_csv_and_json_follow_the_search(client):
    make_credential("Data Analytics Foundations", delivery_mode="online")
    make_credential("Data Engineering", delivery_mode="in_person")
    make_credential("Data Drafts", status="draft")
    response = client.get("/catalogue/export.csv?q=data&mode=online")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    lines = body.strip().splitlines()
    assert lines[0].startswith("provider,external_id,title")
    assert len(lines) == 2 and "Data Analytics Foundations" in lines[1]
    response = client.get("/catalogue/export.json?q=data")
    rows = __import__("json").loads(b"".join(response.streaming_content))
    assert sorted(row["title"] for row in rows) == [
        "Data Analytics Foundations",
        "Data Engineering",
    ]


def test_catalogue_is_in_the_menu_after_seeding(client, demo_catalogue):
    html = client.get("/").content.decode()
    assert 'href="/catalogue/"' in html
    response = client.get("/catalogue/")
    assert _total(response) == MicroCredential.objects.public().count() > 150


def test_seed_is_idempotent(demo_catalogue):
    from credentials import seed

    before = MicroCredential.objects.count()
    seed.seed(stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert MicroCredential.objects.count() == before == 200
    assert MicroCredential.objects.values("provider").distinct().count() == 15


def _fill(count, provider, prefix):
    for number in range(count):
        make_credential(
            f"{prefix} Analytics {number}",
            provider=make_provider(f"Provider {number % 7}"),
            skills=[f"skill {number % 13}", "SQL"],
            start_dates=[datetime.date(2027, 1, 4)],
            external_id=f"{prefix}{number}",
        )


def test_catalogue_query_count_is_the_same_for_5_and_50_rows(
    client, django_assert_num_queries, home_page, settings
):
    settings.SEARCH_CACHE_TIMEOUT = 0  # count the queries of a real search
    from credentials.seed import catalogue_page

    catalogue_page()
    _fill(5, None, "A")
    client.get("/catalogue/?per_page=50")  # warm up per-process caches
    with CaptureQueriesContext(connection) as small:
        assert client.get("/catalogue/?per_page=50&mode=online").status_code == 200
    # Pinned: search, facets and hits in 5 queries, the page frame in the rest.
    assert len(small.captured_queries) <= 12
    _fill(45, None, "B")
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get("/catalogue/?per_page=50&mode=online")
    assert _total(response) == 50


def test_entry_page_query_count_does_not_grow(client, django_assert_num_queries):
    # (The entry page does not search; related and stackable entries are cached.)
    small = make_credential(
        "Small", skills=["SQL"], start_dates=[datetime.date(2027, 1, 4)]
    )
    make_credential("Other small", skills=["SQL"])
    big = make_credential(
        "Big",
        skills=[f"skill {n}" for n in range(12)],
        start_dates=[datetime.date(2027, 1, n) for n in range(1, 9)],
    )
    for number in range(8):
        make_credential(f"Related {number}", skills=["skill 1", "skill 2"])
    for entry in (small, big):
        client.get(entry.get_absolute_url())  # cache their related entries
    with CaptureQueriesContext(connection) as first:
        client.get(small.get_absolute_url())
    assert len(first.captured_queries) <= 12
    with django_assert_num_queries(len(first.captured_queries)):
        html = client.get(big.get_absolute_url()).content.decode()
    assert html.count("card__title") == 4


def test_repeated_searches_come_from_the_cache_until_the_catalogue_changes(client):
    from credentials.services import import_credentials

    make_credential("Data Analytics Foundations", delivery_mode="online")
    url = "/catalogue/?q=data&mode=online"
    with CaptureQueriesContext(connection) as first:
        assert _total(client.get(url)) == 1
    with CaptureQueriesContext(connection) as second:
        assert _total(client.get(url)) == 1
    assert len(second.captured_queries) < len(first.captured_queries)
    # Saving, unpublishing, importing and deleting all show at once.
    second_entry = make_credential("Data Engineering", delivery_mode="online")
    assert _total(client.get(url)) == 2
    second_entry.live = False
    second_entry.save()
    assert _total(client.get(url)) == 1
    import_credentials(
        rows=[
            {
                "provider": "Lakeshore College",
                "external_id": "NEW-1",
                "title": "Data Imported",
                "delivery_mode": "online",
                "status": "published",
            }
        ]
    )
    assert _total(client.get(url)) == 2
    MicroCredential.objects.filter(title="Data Imported").delete()
    assert _total(client.get(url)) == 1
