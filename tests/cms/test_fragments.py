"""Fragments kept in the app's cache (cms/fragments.py, docs/performance.md).

Page bodies, breadcrumbs, home's cards, the menu and the site settings are
kept until something they show changes; whoever changes it sees the change on
the next request. With the cache failing they are made from the database.
"""

import pytest
from django.test import Client

from cms.models import SiteSettings, StandardPage

pytestmark = pytest.mark.django_db

WHY = "/why-micro-certification-now/"


def _publish(page, **fields):
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()


def _text(url):
    response = Client().get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_published_body_shows_on_the_next_request(home_page):
    page = StandardPage.objects.get(slug="why-micro-certification-now")
    assert "A brand new paragraph" not in _text(WHY)
    _text(WHY)  # kept now

    _publish(page, body=[("paragraph", "<p>A brand new paragraph.</p>")])

    assert "A brand new paragraph" in _text(WHY)


def test_a_new_page_joins_home_cards_and_menu_at_once(home_page):
    assert "Fresh section" not in _text("/")
    page = StandardPage(
        title="Fresh section", slug="fresh", summary="Just out.", show_in_menus=True
    )
    home_page.add_child(instance=page)
    page.save_revision().publish()

    html = _text("/")
    assert html.count("Fresh section") == 2  # a card and a menu item
    assert "Just out." in html


def test_an_unpublished_page_leaves_home_at_once(home_page):
    page = StandardPage(title="Short-lived section", slug="short-lived")
    home_page.add_child(instance=page)
    page.save_revision().publish()
    assert page.title in _text("/")

    page.unpublish()

    assert page.title not in _text("/")


def test_a_renamed_section_shows_in_its_pages_breadcrumbs(home_page):
    parent = StandardPage(title="Old name", slug="section")
    home_page.add_child(instance=parent)
    parent.save_revision().publish()
    child = StandardPage(title="Inside", slug="inside")
    parent.add_child(instance=child)
    child.save_revision().publish()
    assert "Old name" in _text("/section/inside/")

    _publish(parent, title="New name")

    html = _text("/section/inside/")
    assert "New name" in html
    assert "Old name" not in html


def test_saved_site_settings_show_on_the_next_page(home_page):
    _text(WHY)
    settings = SiteSettings.for_site(home_page.get_site())
    settings.organisation_name = "Renamed programme"
    settings.save()

    assert "Renamed programme" in _text(WHY)


def test_a_page_is_made_from_the_database_when_the_cache_fails(home_page, settings):
    from tests.cms.test_cache_never_decides_access import _closed_port

    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True},
        }
    }
    page = StandardPage.objects.get(slug="why-micro-certification-now")
    assert page.title in _text(WHY)

    _publish(page, body=[("paragraph", "<p>Written while the cache is down.</p>")])

    assert "Written while the cache is down." in _text(WHY)
    assert page.title in _text("/")


def test_a_moved_page_answers_at_its_new_address_at_once(home_page):
    section = StandardPage(title="Section", slug="section")
    home_page.add_child(instance=section)
    section.save_revision().publish()
    page = StandardPage(title="Wanderer", slug="wanderer")
    home_page.add_child(instance=page)
    page.save_revision().publish()
    assert "Wanderer" in _text("/wanderer/")  # its route kept now

    page.move(section, pos="last-child")

    assert "Wanderer" in _text("/section/wanderer/")
    old = Client().get("/wanderer/")  # Wagtail's redirect, not the kept route
    assert old.status_code == 301
    assert old["Location"] == "/section/wanderer/"


def test_an_unpublished_page_is_not_served_from_its_kept_route(home_page):
    page = StandardPage.objects.get(slug="why-micro-certification-now")
    _text(WHY)

    page.unpublish()

    assert Client().get(WHY).status_code == 404
