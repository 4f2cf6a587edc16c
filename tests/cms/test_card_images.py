"""Event, webinar and framework cards show the editor's image: alt text from
the image's description (empty, so decorative, when it has none), its size
in the markup so nothing moves as it loads, loaded lazily."""

import io
import re

import pytest
from wagtail.images import get_image_model

from events.models import EventPage, WebinarPage
from frameworks.models import FrameworkPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(home_page, django_capture_on_commit_callbacks):
    from events import seed as events_seed
    from frameworks import seed as frameworks_seed

    with django_capture_on_commit_callbacks(execute=True):
        frameworks_seed.seed(io.StringIO())
        events_seed.seed(io.StringIO())


def _card_images(client, path):
    html = client.get(path).content.decode()
    return [
        dict(re.findall(r'(\w+)="([^"]*)"', tag))
        for tag in re.findall(r"<img [^>]*card__image[^>]*>", html)
    ]


def test_cards_show_the_editors_image_with_its_alt_text(client, demo):
    (event,) = _card_images(client, "/events/")
    (webinar,) = _card_images(client, "/webinars/")
    framework, *_others = _card_images(client, "/frameworks/")
    assert event["alt"] == ""  # the seed's forum picture only decorates
    assert webinar["alt"] == "Title slide of the micro-certification EOI webinar"
    assert framework["alt"].startswith("Cover of the micro-certification framework")
    for image in (event, webinar, framework):
        assert (image["width"], image["height"]) == ("640", "360")
        assert image["loading"] == "lazy"
        assert client.get(image["src"]).status_code == 200


def test_a_card_without_an_image_shows_none(client, demo):
    for model in (EventPage, WebinarPage, FrameworkPage):
        for page in model.objects.all():
            page.social_image = None
            page.save_revision().publish()
    for path in ("/events/", "/webinars/", "/frameworks/"):
        assert _card_images(client, path) == []


def test_seeding_again_draws_no_new_image_and_keeps_the_editors(client, demo):
    from events import seed as events_seed

    Image = get_image_model()
    count = Image.objects.count()
    chosen = Image.objects.create(
        title="Editor's photo",
        description="Attendees at the 2026 forum",
        file=Image.objects.get(title="Forum card").file.name,
        width=1280,
        height=720,
    )
    forum = EventPage.objects.get()
    forum.social_image = chosen
    forum.save_revision().publish()
    events_seed.seed(io.StringIO())
    assert Image.objects.count() == count + 1
    (event,) = _card_images(client, "/events/")
    assert event["alt"] == "Attendees at the 2026 forum"
