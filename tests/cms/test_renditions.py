"""Image renditions come from the cache, and never outlive the image they show.

Wagtail keeps renditions in the "renditions" cache when it exists (the default
cache otherwise), keyed by the image, its file's hash, the focal point and the
filter; deleting a rendition removes it from the cache.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.images import get_image_model
from wagtail.images.rect import Rect
from wagtail.images.tests.utils import get_test_image_file

from cms.models import StandardPage

pytestmark = pytest.mark.django_db

Image = get_image_model()


def _rendition_queries(queries):
    return [
        q["sql"]
        for q in queries.captured_queries
        if "wagtailimages_rendition" in q["sql"]
    ]


@pytest.fixture
def image():
    return Image.objects.create(
        title="Chart", file=get_test_image_file(size=(1200, 800))
    )


@pytest.fixture
def gallery(home_page, image, settings):
    page = StandardPage(
        title="Gallery",
        slug="gallery",
        body=[("image", {"image": image, "alt_text": "A chart", "caption": ""})],
    )
    home_page.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_production_keeps_renditions_in_their_own_cache():
    from cms.settings import base

    assert "renditions" in base.CACHES


def test_a_page_shows_its_image_rendition_from_the_cache(client, gallery):
    first = client.get(gallery.url).content.decode()
    assert 'alt="A chart"' in first and ".width-1000." in first
    with CaptureQueriesContext(connection) as queries:
        second = client.get(gallery.url).content.decode()
    assert _rendition_queries(queries) == []
    assert second == first


def test_a_deleted_rendition_is_made_again(client, gallery, image):
    client.get(gallery.url)
    image.renditions.all().delete()  # what the admin does when the file changes
    with CaptureQueriesContext(connection) as queries:
        html = client.get(gallery.url).content.decode()
    assert _rendition_queries(queries)  # looked up and created again
    assert image.renditions.count() == 1
    assert image.renditions.get().url in html


def test_a_new_focal_point_gets_a_new_rendition(image):
    before = Image.objects.get(pk=image.pk).get_rendition("fill-160x160")
    with CaptureQueriesContext(connection) as queries:
        again = Image.objects.get(pk=image.pk).get_rendition("fill-160x160")
    assert again.pk == before.pk
    assert _rendition_queries(queries) == []  # from the cache

    image.set_focal_point(Rect(900, 500, 1100, 700))
    image.save()
    moved = Image.objects.get(pk=image.pk).get_rendition("fill-160x160")
    assert moved.pk != before.pk
    assert moved.focal_point_key != before.focal_point_key
