"""What a shared HTTP cache in front may keep (headers), and what the site purges.

The app keeps no pages: every request is answered from the database, and each
response says whether Varnish may keep it (`Cache-Control`, `Vary`, `xkey`).

This module also serves as a URLconf (see `urlpatterns` at the end) for the
tests of Django views that opt in with @edge_cacheable.
"""

import gzip
import io
import re
from datetime import timedelta

import pytest
from django import forms
from django.http import HttpResponse
from django.test import Client
from django.urls import path
from django.utils import timezone
from django.utils.html import escape
from wagtail.models import Page, PageViewRestriction

from cms import http_cache, seed_french
from cms import urls as cms_urls
from cms.models import SiteSettings, StandardPage

pytestmark = pytest.mark.django_db

WHY = "/why-micro-certification-now/"


def _html(response):
    return response.content.decode()


def _is_public(response):
    cache_control = response["Cache-Control"]
    return "public" in cache_control and "s-maxage=" in cache_control


def _is_private(response):
    cache_control = response["Cache-Control"]
    return "private" in cache_control and "no-store" in cache_control


def _tags(response):
    return set(response["xkey"].split())


def _why():
    return StandardPage.objects.get(slug="why-micro-certification-now")


# --- Anonymous pages: public, tagged ------------------------------------------


def test_an_anonymous_page_may_be_kept_by_the_shared_cache(client, home_page, settings):
    response = client.get(WHY)
    assert response.status_code == 200
    cache_control = response["Cache-Control"]
    assert "public" in cache_control
    assert f"s-maxage={settings.CACHE_S_MAXAGE}" in cache_control
    assert f"max-age={settings.CACHE_MAX_AGE}" in cache_control
    assert "stale-while-revalidate=" in cache_control
    assert _tags(response) == {"all", "pages", f"page-{_why().pk}"}
    vary = {item.strip() for item in response["Vary"].split(",")}
    assert {"Accept-Encoding", "Cookie"} <= vary
    assert not response.cookies


def test_the_address_alone_decides_the_language(client, home_page):
    """/… is English and /fr/… French whatever the browser prefers, so no
    response varies on Accept-Language: a shared cache keeps one copy of each
    page, not one per browser language."""
    seed_french.seed(stdout=io.StringIO())
    for url, language in (("/", "en"), ("/fr/", "fr")):
        pages = [
            client.get(url, HTTP_ACCEPT_LANGUAGE=browser)
            for browser in ("en-CA,en;q=0.9", "fr-CA,fr;q=0.9", "de")
        ]
        for response in pages:
            assert _is_public(response)
            assert response["Content-Language"] == language
            assert "Accept-Language" not in response["Vary"]
            assert f'<html lang="{language}"' in _html(response)
        assert len({_html(response) for response in pages}) == 1


def test_the_s_maxage_follows_the_setting(client, home_page, settings):
    settings.CACHE_S_MAXAGE = 120
    assert "s-maxage=120" in client.get("/")["Cache-Control"]


def test_browsers_revalidate_with_the_etag(client, home_page):
    response = client.get(WHY)
    assert response["ETag"]
    again = Client().get(WHY, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert again.content == b""


def test_pages_are_compressed_for_browsers_that_accept_gzip(client, home_page):
    plain = client.get(WHY)
    compressed = Client().get(WHY, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert compressed["Content-Encoding"] == "gzip"
    assert gzip.decompress(compressed.content) == plain.content
    assert "Content-Encoding" not in Client().get(WHY)


def test_a_404_is_public_only_for_pages_that_opted_in(client, home_page):
    # An unknown address is no page: nothing said, so private.
    assert _is_private(client.get("/no-such-page/"))


# --- Every request reads the database: changes show at once ---------------------


def test_after_publishing_the_next_visitor_sees_the_new_content(client, home_page):
    assert "Why micro-certification now" in _html(client.get(WHY))
    page = _why()
    page.title = "Why now: the revised case"
    page.save_revision().publish()

    assert "<h1>Why now: the revised case</h1>" in _html(Client().get(WHY))
    # The menu on another page follows too.
    assert "Why now: the revised case" in _html(Client().get("/"))


def test_a_saved_draft_does_not_reach_visitors_until_published(client, home_page):
    page = _why()
    page.title = "Unpublished draft title"
    page.save_revision()
    assert "Unpublished draft title" not in _html(client.get(WHY))


def test_unpublished_moved_and_deleted_pages(client, home_page):
    page = _why()
    new_parent = StandardPage.objects.get(slug="harmonized-ecosystem")
    page.move(new_parent, pos="last-child")
    old = client.get(WHY)
    assert old.status_code == 301  # Wagtail's automatic redirect
    moved = "/harmonized-ecosystem/why-micro-certification-now/"
    assert client.get(moved).status_code == 200

    _why().unpublish()
    assert Client().get(moved).status_code == 404
    Page.objects.get(pk=page.pk).delete()
    assert Client().get(moved).status_code == 404


def test_changed_site_settings_show_at_once(client, home_page):
    client.get("/")
    settings = SiteSettings.objects.get()
    settings.organisation_name = "Ontario Micro-Credential Network"
    settings.save()
    assert "Ontario Micro-Credential Network" in _html(Client().get("/"))


# --- Private: members, previews, restricted pages, forms ------------------------


def test_responses_to_members_are_private_and_not_stored(client, home_page, member):
    client.force_login(member)
    for url in ("/", WHY, "/contact/"):
        response = client.get(url)
        assert _is_private(response), url
        assert "xkey" not in response


def test_a_members_page_is_never_shown_to_the_next_visitor(client, home_page, member):
    client.force_login(member)
    assert "Sign out" in _html(client.get("/"))
    html = _html(Client().get("/"))
    assert "Sign out" not in html
    assert "Sign in" in html


@pytest.mark.urls("tests.cms.test_http_cache")
def test_an_opted_in_view_is_private_for_members(client, member, other_member):
    anonymous = Client().get("/hello/")
    assert _html(anonymous) == "Hello, visitor"
    assert _is_public(anonymous)
    assert _tags(anonymous) == {"all", "greetings"}  # not HTML: no "pages"

    client.force_login(member)
    mine = client.get("/hello/")
    assert _html(mine) == "Hello, Mira"
    assert _is_private(mine)


@pytest.mark.urls("tests.cms.test_http_cache")
def test_views_that_do_not_opt_in_are_private(client):
    assert _is_private(client.get("/plain/"))


@pytest.mark.urls("tests.cms.test_http_cache")
def test_a_view_keeps_what_it_says_itself_unless_it_is_personal(client, member):
    assert Client().get("/own-header/")["Cache-Control"] == "public, max-age=86400"
    client.force_login(member)
    assert _is_private(client.get("/own-header/"))


def test_preview_of_a_draft_is_private(client, home_page, staff_with_mfa):
    page = _why()
    page.title = "Secret draft under review"
    page.save_revision()

    client.force_login(staff_with_mfa)
    draft = client.get(f"/admin/pages/{page.pk}/view_draft/")
    assert draft.status_code == 200
    assert "Secret draft under review" in _html(draft)
    assert _is_private(draft)
    assert "Secret draft under review" not in _html(Client().get(WHY))


def test_a_login_restricted_page_is_private_for_everyone(client, home_page, member):
    PageViewRestriction.objects.create(
        page=_why(), restriction_type=PageViewRestriction.LOGIN
    )
    outsider = Client().get(WHY)
    assert outsider.status_code == 302
    assert "next=/why-micro-certification-now/" in outsider["Location"]
    assert _is_private(outsider)

    client.force_login(member)
    response = client.get(WHY)
    assert "transversal skills" in _html(response)
    assert _is_private(response)


def test_a_page_under_a_restricted_section_is_private(client, home_page):
    section = StandardPage.objects.get(slug="harmonized-ecosystem")
    _why().move(section, pos="last-child")
    PageViewRestriction.objects.create(
        page=section, restriction_type=PageViewRestriction.LOGIN
    )
    response = client.get("/harmonized-ecosystem/why-micro-certification-now/")
    assert response.status_code == 302
    assert _is_private(response)


def test_a_password_protected_page_is_private_even_once_unlocked(client, home_page):
    page = _why()
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="forum-2026"
    )
    form = Client().get(WHY)
    assert 'name="password"' in _html(form)
    assert _is_private(form)

    client.post(
        f"/_util/authenticate_with_password/{restriction.pk}/{page.pk}/",
        {"password": "forum-2026", "return_url": WHY},
    )
    unlocked = client.get(WHY)
    assert "transversal skills" in _html(unlocked)
    assert _is_private(unlocked)


def test_a_contact_form_with_errors_is_private(client, home_page):
    response = client.post(
        "/contact/", {"your_name": "Ada Lovelace", "your_email": "not-an-email"}
    )
    assert response.status_code == 400
    assert "Ada Lovelace" in _html(response)
    assert _is_private(response)
    assert "Ada Lovelace" not in _html(Client().get("/contact/"))


@pytest.mark.urls("tests.cms.test_http_cache")
def test_a_get_form_with_errors_is_private(client):
    response = client.get("/subscribe/", {"email": "ada-at-example"})
    assert response.status_code == 400
    assert _is_private(response)
    assert _is_public(Client().get("/subscribe/"))


def test_a_page_showing_a_csrf_token_is_never_public(home_page):
    """Without Varnish's ESI the token is in the page: the page is the
    visitor's alone. Whatever the page, a public response has no token."""
    for url in ("/contact/", "/", WHY):
        response = Client().get(url)
        html = _html(response)
        if _is_public(response):
            assert "csrfmiddlewaretoken" not in html, url
            assert not response.cookies, url
        else:
            assert _is_private(response), url
    contact = Client().get("/contact/")
    assert "csrfmiddlewaretoken" in _html(contact)
    assert _is_private(contact)


def test_a_page_showing_pending_messages_is_private(client, home_page, member):
    client.force_login(member)
    client.post("/accounts/logout/")  # leaves a "signed out" message
    response = client.get(WHY)
    assert "signed out" in _html(response).lower()
    assert _is_private(response)


@pytest.mark.urls("tests.cms.test_http_cache")
def test_a_page_that_changes_by_itself_is_not_kept_past_the_change(client):
    opening = Client().get("/opening/?in=30")
    s_maxage = re.search(r"s-maxage=(\d+)", opening["Cache-Control"]).group(1)
    assert 28 <= int(s_maxage) <= 30
    # A moment already past: no shared copy at all.
    assert _is_private(Client().get("/opening/?in=0"))


# --- Purges ----------------------------------------------------------------------


def _xkeys(purges):
    return [header for method, path_, header in purges if header]


def test_publishing_purges_the_page_and_every_page_by_tag(
    client, home_page, purges, django_capture_on_commit_callbacks
):
    page = _why()
    page.title = "Why now: the revised case"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()

    # One request for the tags of the transaction (a few more as the search
    # index catches up after it).
    assert ("PURGE", "/", f"page-{page.pk} pages search") in purges
    # And Wagtail's own purge of the page's URL (wagtail.contrib.frontend_cache).
    assert ("PURGE", WHY, None) in purges


@pytest.mark.parametrize("change", ["unpublish", "move", "delete"])
def test_unpublish_move_and_delete_purge_every_page(
    home_page, purges, django_capture_on_commit_callbacks, change
):
    page = _why()
    with django_capture_on_commit_callbacks(execute=True):
        if change == "unpublish":
            page.unpublish()
        elif change == "move":
            page.move(
                StandardPage.objects.get(slug="harmonized-ecosystem"), "last-child"
            )
        else:
            page.delete()
    assert {"pages", f"page-{page.pk}"} <= purges.tags()


def test_a_new_view_restriction_purges_the_page_at_once(
    home_page, purges, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(
            page=_why(), restriction_type=PageViewRestriction.LOGIN
        )
    assert {"pages", f"page-{_why().pk}"} <= purges.tags()


def test_site_settings_purge_everything(
    home_page, purges, django_capture_on_commit_callbacks
):
    settings = SiteSettings.objects.get()
    settings.organisation_name = "Renamed"
    with django_capture_on_commit_callbacks(execute=True):
        settings.save()
    assert "all" in purges.tags()


def test_a_purge_waits_for_the_commit(
    home_page, purges, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        http_cache.purge_tags(["event-12"])
    assert purges == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert purges == [("PURGE", "/", "event-12")]


def test_a_failed_purge_is_retried_and_logged(purges, caplog, settings):
    purges.statuses = [503, 500]
    assert http_cache.send_purge(["catalogue"]) == []
    assert purges == [("PURGE", "/", "catalogue")] * 3
    assert "attempt 1 of 3" in caplog.text
    assert "attempt 2 of 3" in caplog.text


def test_a_purge_given_up_is_logged_as_an_error(purges, caplog):
    purges.statuses = [500, 500, 500]
    assert http_cache.send_purge(["catalogue"]) == http_cache.settings.VARNISH_URLS
    assert "given up" in caplog.text


def test_without_varnish_url_nothing_is_sent(
    home_page, settings, django_capture_on_commit_callbacks
):
    settings.VARNISH_URLS = []
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        http_cache.purge_tags(["pages"])
    # The app's own fragments of pages are still forgotten (cms.fragments).
    assert http_cache._send_pending_purges not in callbacks
    assert len(callbacks) == 1


# --- A URLconf for the @edge_cacheable tests ----------------------------------------


@http_cache.edge_cacheable("greetings")
def hello(request):
    name = request.user.first_name if request.user.is_authenticated else "visitor"
    return HttpResponse(f"Hello, {name}", content_type="text/plain")


def plain(request):
    return HttpResponse("Plain")


def own_header(request):
    response = HttpResponse("A file that never changes")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@http_cache.edge_cacheable("openings")
def opening(request):
    seconds = int(request.GET["in"])
    http_cache.cache_until(request, timezone.now() + timedelta(seconds=seconds))
    return HttpResponse(f"Registration opens in {seconds} seconds")


class SubscribeForm(forms.Form):
    email = forms.EmailField()


@http_cache.edge_cacheable("subscriptions")
def subscribe(request):
    """A GET form whose errors are answered with 400, as every form here does."""
    form = SubscribeForm(request.GET or None)
    if request.GET and not form.is_valid():
        return HttpResponse(
            escape(f"{request.GET['email']}: {form.errors['email'][0]}"),
            status=400,
        )
    return HttpResponse("Subscribe with your email")


urlpatterns = [
    path("hello/", hello),
    path("plain/", plain),
    path("own-header/", own_header),
    path("opening/", opening),
    path("subscribe/", subscribe),
    # The site's own URLs follow: i18n_patterns may not be include()d.
    *cms_urls.urlpatterns,
]
