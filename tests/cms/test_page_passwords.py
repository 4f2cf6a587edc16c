"""Wagtail's password-protected pages refuse guessing past a limit."""

import pytest
from wagtail.models import PageViewRestriction

from cms.models import StandardPage

pytestmark = pytest.mark.django_db

PASSWORD = "board-papers-2026"


@pytest.fixture
def protected(home_page):
    page = StandardPage(title="Board papers", slug="board-papers")
    home_page.add_child(instance=page)
    page.save_revision().publish()
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password=PASSWORD
    )
    return page, restriction


def try_password(client, protected, password, address="198.51.100.20"):
    page, restriction = protected
    return client.post(
        f"/_util/authenticate_with_password/{restriction.pk}/{page.pk}/",
        {"password": password, "return_url": page.url},
        REMOTE_ADDR=address,
    )


def test_the_right_password_opens_the_page(client, protected):
    page = protected[0]
    assert "Password required" in client.get(page.url).content.decode()
    response = try_password(client, protected, PASSWORD)
    assert response.status_code == 302
    assert "Board papers" in client.get(page.url).content.decode()


def test_after_ten_wrong_passwords_even_the_right_one_is_refused(
    client, protected, settings
):
    settings.PAGE_PASSWORD_RATE_LIMIT = "10/15m"
    for attempt in range(10):
        response = try_password(client, protected, f"guess-{attempt}")
        assert response.status_code == 200  # the form again, with its error
    response = try_password(client, protected, PASSWORD)
    assert response.status_code == 429
    assert "Too many wrong passwords" in response.content.decode()
    assert "Password required" in client.get(protected[0].url).content.decode()
    # Another address still has its own tries.
    assert try_password(client, protected, PASSWORD, "203.0.113.5").status_code == 302


def test_the_limit_lifts_when_the_window_passes(client, protected, settings):
    from django.core.cache import cache

    settings.PAGE_PASSWORD_RATE_LIMIT = "3/15m"
    for attempt in range(3):
        try_password(client, protected, f"guess-{attempt}")
    assert try_password(client, protected, PASSWORD).status_code == 429
    # The window is the cache entry's lifetime; its expiry is the cache's job.
    cache.delete(f"page-password:{protected[1].pk}:198.51.100.20")
    assert try_password(client, protected, PASSWORD).status_code == 302
