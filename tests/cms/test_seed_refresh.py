"""`seed_demo` on an existing database brings the seeded pages' text up to the
current seed, leaves pages an editor has changed alone, and changes nothing
when run twice."""

import io

import pytest
from wagtail.models import Page, Revision

from cms import seed
from cms.models import HomePage, StandardPage

pytestmark = pytest.mark.django_db


def _seed():
    seed.seed(io.StringIO())


def _text(page):
    page = type(page).objects.get(pk=page.pk)
    return page.summary, str(page.body)


def test_an_older_seeds_text_is_brought_up_to_date(home_page):
    forum = StandardPage.objects.get(slug="annual-forum")
    current = _text(forum)
    forum.summary = "An older summary."
    forum.body = [("paragraph", "<p>An older text.</p>")]
    forum.save_revision().publish()  # as an older seed did: by nobody
    _seed()
    assert _text(forum) == current
    # The seed's links are back in the refreshed text.
    assert 'href="/contact/"' in str(StandardPage.objects.get(pk=forum.pk).body)


def test_the_home_page_gets_the_current_seeds_buttons(home_page):
    home = HomePage.objects.get()
    (index,) = [i for i, b in enumerate(home.body) if b.block_type == "actions"]
    del home.body[index]
    home.save_revision().publish()
    _seed()
    types = [b.block_type for b in HomePage.objects.get().body]
    assert types[0] == "actions"
    assert types.count("actions") == 1


def test_a_page_an_editor_changed_is_left_alone(home_page, staff):
    forum = StandardPage.objects.get(slug="annual-forum")
    forum.summary = "The coordinator's own summary."
    forum.save_revision(user=staff).publish()
    _seed()
    assert StandardPage.objects.get(pk=forum.pk).summary == (
        "The coordinator's own summary."
    )


def test_seeding_again_changes_nothing(home_page):
    _seed()
    pages, revisions = Page.objects.count(), Revision.objects.count()
    _seed()
    _seed()
    assert (Page.objects.count(), Revision.objects.count()) == (pages, revisions)
