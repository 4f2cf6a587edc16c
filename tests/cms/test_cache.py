"""The shared page cache, as visitors and members notice it.

This module also serves as a URLconf (see `urlpatterns` at the end) for the
tests of Django views that opt in with @cache_public.
"""

import gzip
import re
from datetime import timedelta

import pytest
from django import forms
from django.http import HttpResponse
from django.test import Client
from django.urls import include, path
from django.utils import timezone
from django.utils.html import escape
from wagtail.models import Page, PageViewRestriction

from cms.cache import cache_public, on_hit, valid_until
from cms.models import HomePage, StandardPage

pytestmark = pytest.mark.django_db

WHY = "/why-micro-certification-now/"


def _html(response):
    return response.content.decode()


def _csrf_tokens(html):
    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)


def test_second_anonymous_visit_is_served_from_cache_without_the_database(
    client, home_page, django_assert_num_queries
):
    first = client.get(WHY)
    assert first.status_code == 200
    assert first["X-Page-Cache"] == "miss"

    with django_assert_num_queries(0):
        second = Client().get(WHY)
    assert second.status_code == 200
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert "both vertical and transversal skills" in _html(second)


def test_after_publishing_the_next_visitor_sees_the_new_content(client, home_page):
    assert "Why micro-certification now" in _html(client.get(WHY))
    assert Client().get(WHY)["X-Page-Cache"] == "hit"

    page = StandardPage.objects.get(slug="why-micro-certification-now")
    page.title = "Why now: the revised case"
    page.save_revision().publish()

    response = Client().get(WHY)
    assert response.status_code == 200
    assert "<h1>Why now: the revised case</h1>" in _html(response)
    # The menu on another cached page follows too.
    assert "Why now: the revised case" in _html(Client().get("/"))


def test_a_saved_draft_does_not_reach_visitors_until_published(client, home_page):
    client.get(WHY)
    page = StandardPage.objects.get(slug="why-micro-certification-now")
    page.title = "Unpublished draft title"
    page.save_revision()

    assert "Unpublished draft title" not in _html(Client().get(WHY))


def test_new_page_in_the_menu_appears_on_every_cached_page(client, home_page):
    assert "Forum archive" not in _html(client.get("/"))
    assert "Forum archive" not in _html(client.get(WHY))

    home_page.add_child(
        instance=StandardPage(
            title="Forum archive", slug="forum-archive", show_in_menus=True
        )
    )
    Page.objects.get(slug="forum-archive").specific.save_revision().publish()

    for url in ("/", WHY):
        nav = _html(Client().get(url)).split('aria-label="Main"', 1)[1]
        assert 'href="/forum-archive/"' in nav.split("</nav>", 1)[0]


def test_unpublished_page_disappears_for_the_next_visitor(client, home_page):
    assert client.get(WHY).status_code == 200
    assert 'href="/why-micro-certification-now/"' in _html(client.get("/"))

    StandardPage.objects.get(slug="why-micro-certification-now").unpublish()

    assert Client().get(WHY).status_code == 404
    assert 'href="/why-micro-certification-now/"' not in _html(Client().get("/"))


def test_moved_page_is_served_at_its_new_address(client, home_page):
    assert client.get(WHY).status_code == 200
    page = StandardPage.objects.get(slug="why-micro-certification-now")
    new_parent = StandardPage.objects.get(slug="harmonized-ecosystem")
    page.move(new_parent, pos="last-child")

    old = Client().get(WHY)
    assert old.status_code == 301  # Wagtail's automatic redirect, not the old page
    assert old["Location"] == "/harmonized-ecosystem/why-micro-certification-now/"
    moved = Client().get("/harmonized-ecosystem/why-micro-certification-now/")
    assert moved.status_code == 200
    assert "both vertical and transversal skills" in _html(moved)


def test_deleted_page_is_gone_for_the_next_visitor(client, home_page):
    assert client.get(WHY).status_code == 200
    StandardPage.objects.get(slug="why-micro-certification-now").delete()
    assert Client().get(WHY).status_code == 404


def test_changed_site_settings_show_on_cached_pages(client, home_page):
    from cms.models import SiteSettings

    client.get("/")
    settings = SiteSettings.objects.get()
    settings.organisation_name = "Ontario Micro-Credential Network"
    settings.save()
    assert "Ontario Micro-Credential Network" in _html(Client().get("/"))


# --- Signed-in members -------------------------------------------------------


def test_member_gets_their_own_page_not_the_cached_anonymous_one(
    client, home_page, member
):
    Client().get("/")
    assert Client().get("/")["X-Page-Cache"] == "hit"

    client.force_login(member)
    response = client.get("/")
    assert response["X-Page-Cache"] == "bypass"
    assert "Sign out" in _html(response)


def test_members_page_is_never_shown_to_the_next_visitor(client, home_page, member):
    client.force_login(member)
    members_html = _html(client.get("/"))
    assert "Sign out" in members_html
    member_token = _csrf_tokens(members_html)
    assert member_token

    anonymous = Client().get("/")
    html = _html(anonymous)
    assert "Sign out" not in html
    assert "Sign in" in html
    assert not _csrf_tokens(html)
    assert anonymous["X-Page-Cache"] == "miss"


def test_responses_to_members_are_private_and_not_stored(client, home_page, member):
    client.force_login(member)
    for url in ("/", WHY, "/contact/"):
        cache_control = client.get(url)["Cache-Control"]
        assert "private" in cache_control
        assert "no-store" in cache_control


@pytest.mark.urls("tests.cms.test_cache")
def test_opted_in_view_never_shares_a_members_name(client, member, other_member):
    anonymous = Client().get("/hello/")
    assert _html(anonymous) == "Hello, visitor"
    assert Client().get("/hello/")["X-Page-Cache"] == "hit"

    client.force_login(member)
    assert _html(client.get("/hello/")) == "Hello, Mira"

    other = Client()
    other.force_login(other_member)
    assert _html(other.get("/hello/")) == "Hello, Omar"
    assert _html(Client().get("/hello/")) == "Hello, visitor"


@pytest.mark.urls("tests.cms.test_cache")
def test_member_visit_first_does_not_seed_the_cache(client, member):
    client.force_login(member)
    assert _html(client.get("/hello/")) == "Hello, Mira"
    response = Client().get("/hello/")
    assert _html(response) == "Hello, visitor"
    assert response["X-Page-Cache"] == "miss"


@pytest.mark.urls("tests.cms.test_cache")
def test_views_without_the_decorator_are_not_cached(client):
    client.get("/plain/")
    assert Client().get("/plain/")["X-Page-Cache"] == "bypass"


@pytest.mark.urls("tests.cms.test_cache")
def test_a_page_that_changes_by_itself_is_not_kept_past_the_change(client):
    """Registration that opens at a set time: the cached "opens at" page must
    not be served after that moment, by us or by a shared proxy."""
    opening = Client().get("/opening/?in=30")
    assert opening["X-Page-Cache"] == "miss"
    s_maxage = re.search(r"s-maxage=(\d+)", opening["Cache-Control"]).group(1)
    assert 28 <= int(s_maxage) <= 30  # not the usual 60
    assert Client().get("/opening/?in=30")["X-Page-Cache"] == "hit"

    # A moment already past: nothing is stored, the next visitor gets it anew.
    assert Client().get("/opening/?in=0")["X-Page-Cache"] == "bypass"
    assert Client().get("/opening/?in=0")["X-Page-Cache"] == "bypass"


def test_the_cache_keeps_a_changing_page_only_until_its_change(rf, settings):
    from cms.cache import shared_lifetime, valid_until

    settings.PAGE_CACHE_TIMEOUT = 600
    request = rf.get("/")
    assert shared_lifetime(request) == 600
    valid_until(request, timezone.now() + timedelta(minutes=5))
    valid_until(request, timezone.now() + timedelta(minutes=20))  # later: ignored
    assert 298 <= shared_lifetime(request) <= 300
    valid_until(request, timezone.now() - timedelta(seconds=1))
    assert shared_lifetime(request) == 0


# --- Side effects replayed on hits ----------------------------------------------


@pytest.fixture
def visits():
    VISITS.clear()
    yield VISITS
    VISITS.clear()


@pytest.mark.urls("tests.cms.test_cache")
def test_a_hit_replays_what_the_view_registered(client, member, visits):
    assert Client().get("/counted/?topic=badges")["X-Page-Cache"] == "miss"
    assert visits == ["badges"]  # the view itself
    for _ in range(2):
        assert Client().get("/counted/?topic=badges")["X-Page-Cache"] == "hit"
    assert visits == ["badges"] * 3

    # A revalidation is a visit too; a HEAD request (a monitor) is not.
    etag = Client().get("/counted/?topic=badges")["ETag"]
    revalidated = Client().get("/counted/?topic=badges", HTTP_IF_NONE_MATCH=etag)
    assert revalidated.status_code == 304
    assert Client().head("/counted/?topic=badges")["X-Page-Cache"] == "hit"
    assert visits == ["badges"] * 5  # the miss, two hits, the ETag's, the 304

    client.force_login(member)
    assert client.get("/counted/?topic=badges")["X-Page-Cache"] == "bypass"
    assert visits == ["badges"] * 6


@pytest.mark.urls("tests.cms.test_cache")
def test_a_failing_side_effect_does_not_fail_the_hit(client, visits, caplog):
    Client().get("/counted/?topic=boom")
    response = Client().get("/counted/?topic=boom")
    assert response["X-Page-Cache"] == "hit"
    assert _html(response) == "About boom"
    assert "tests.cms.test_cache.count_visit failed on a hit" in caplog.text


def test_a_mistyped_side_effect_fails_when_registered(rf):
    with pytest.raises(ImportError):
        on_hit(rf.get("/"), "tests.cms.test_cache.no_such_function")


def test_entries_stored_before_side_effects_are_still_hits():
    from django.core.cache import cache

    from cms.cache import VERSION_KEY, current_version, lookup

    version = current_version()
    cache.set("pagecache:old", ({VERSION_KEY: version}, b"Old", [("X-A", "1")]))
    assert lookup("pagecache:old")[1] == (b"Old", [("X-A", "1")], (), False)


@pytest.mark.urls("tests.cms.test_cache")
def test_an_entry_with_side_effects_is_a_miss_to_a_process_from_before_them(visits):
    """In a rolling restart, workers still running the code from before
    `on_hit` read the same entries: they must see a stale entry, not fail."""
    from django.core.cache import cache

    from cms.cache import VERSION_KEY, cache_key, current_version

    response = Client().get("/counted/?topic=badges")
    assert response["X-Page-Cache"] == "miss"
    key = cache_key(response.wsgi_request)
    # What such a process did: three items, then every version checked.
    versions, content, _headers = cache.get(key)
    assert versions.pop(VERSION_KEY) == current_version()
    assert cache.get_many(list(versions)) != versions
    assert b"About badges" in content


# --- Previews, private pages, forms ------------------------------------------


def test_preview_of_a_draft_is_never_served_to_visitors(
    client, home_page, staff_with_mfa
):
    page = StandardPage.objects.get(slug="why-micro-certification-now")
    page.title = "Secret draft under review"
    page.save_revision()

    client.force_login(staff_with_mfa)
    draft = client.get(f"/admin/pages/{page.pk}/view_draft/")
    assert draft.status_code == 200
    assert "Secret draft under review" in _html(draft)

    for _ in range(2):
        response = Client().get(WHY)
        assert "Secret draft under review" not in _html(response)
        assert "Why micro-certification now" in _html(response)


def test_login_restricted_page_is_never_cached(client, home_page, member):
    page = StandardPage.objects.get(slug="why-micro-certification-now")
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.LOGIN
    )
    client.force_login(member)
    assert "transversal skills" in _html(client.get(WHY))

    for _ in range(2):
        response = Client().get(WHY)
        assert response.status_code == 302
        assert "next=/why-micro-certification-now/" in response["Location"]


def test_page_made_private_after_caching_is_private_at_once(client, home_page):
    assert "transversal skills" in _html(client.get(WHY))
    assert Client().get(WHY)["X-Page-Cache"] == "hit"

    page = StandardPage.objects.get(slug="why-micro-certification-now")
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.LOGIN
    )

    response = Client().get(WHY)
    assert response.status_code == 302
    assert "transversal skills" not in _html(response)


def test_password_protected_page_is_never_cached(client, home_page):
    page = StandardPage.objects.get(slug="why-micro-certification-now")
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="forum-2026"
    )
    client.post(
        f"/_util/authenticate_with_password/{restriction.pk}/{page.pk}/",
        {"password": "forum-2026", "return_url": WHY},
    )
    assert "transversal skills" in _html(client.get(WHY))

    for _ in range(2):
        html = _html(Client().get(WHY))
        assert "transversal skills" not in html
        assert 'name="password"' in html


@pytest.mark.urls("tests.cms.test_cache")
def test_form_with_errors_is_not_shown_to_the_next_visitor(client):
    response = client.get("/subscribe/", {"email": "ada-at-example"})
    assert response.status_code == 400
    assert "Enter a valid email address" in _html(response)

    for _ in range(2):
        fresh = Client().get("/subscribe/", {"email": "ada-at-example"})
        assert fresh["X-Page-Cache"] == "bypass"
    assert "ada-at-example" not in _html(Client().get("/subscribe/"))


def test_contact_form_with_errors_is_not_shown_to_the_next_visitor(client, home_page):
    response = client.post(
        "/contact/", {"your_name": "Ada Lovelace", "your_email": "not-an-email"}
    )
    assert response.status_code == 400
    assert "Ada Lovelace" in _html(response)

    for _ in range(2):
        fresh = Client().get("/contact/")
        assert fresh.status_code == 200
        assert "Ada Lovelace" not in _html(fresh)
        assert "not-an-email" not in _html(fresh)


CONTACT = {
    "your_name": "Priya Patel",
    "your_email": "priya@example.com",
    "organisation": "Seneca Polytechnic",
    "message": "How can our college join the working group?",
    "website": "",
}


def _shared_copy(url, **headers):
    """What the shared cache holds for `url`, as the middleware would find it."""
    from django.test import RequestFactory

    from cms.cache import cache_key, lookup

    entry = lookup(cache_key(RequestFactory().get(url, **headers)))[1]
    assert entry is not None
    return entry


def test_a_page_with_a_form_is_shared_but_each_visitor_gets_their_own_token(
    home_page, django_capture_on_commit_callbacks
):
    from cms.cache import CSRF_HOLE

    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    made = first.get("/contact/")
    served = second.get("/contact/")
    assert (made["X-Page-Cache"], served["X-Page-Cache"]) == ("miss", "hit")

    tokens = [_csrf_tokens(_html(r)) for r in (made, served)]
    assert all(len(found) == 1 for found in tokens)
    assert tokens[0] != tokens[1]
    for response in (made, served):
        assert CSRF_HOLE not in _html(response)
        # Theirs alone: no proxy keeps it, and no shared validator for it.
        assert "private" in response["Cache-Control"]
        assert "no-store" in response["Cache-Control"]
        assert not response.has_header("ETag")
        assert "csrftoken" in response.cookies

    content, _headers, _effects, csrf_hole = _shared_copy("/contact/")
    assert csrf_hole and CSRF_HOLE.encode() in content
    for client in (first, second):
        assert client.cookies["csrftoken"].value.encode() not in content
    assert tokens[1][0].encode() not in content

    # The visitor served from the shared copy sends the form with its token.
    with django_capture_on_commit_callbacks(execute=True):
        sent = second.post(
            "/contact/", {**CONTACT, "csrfmiddlewaretoken": tokens[1][0]}
        )
    assert sent.status_code == 200
    assert "Your message has been sent" in _html(sent)
    # Without it, or with the stand-in, the form is refused.
    for token in ("", CSRF_HOLE):
        refused = Client(enforce_csrf_checks=True).post(
            "/contact/", {**CONTACT, "csrfmiddlewaretoken": token}
        )
        assert refused.status_code == 403


def test_a_returning_visitor_keeps_their_csrf_cookie_on_a_shared_page(home_page):
    visitor = Client(enforce_csrf_checks=True)
    visitor.get("/contact/")
    cookie = visitor.cookies["csrftoken"].value

    again = visitor.get("/contact/")
    assert again["X-Page-Cache"] == "hit"
    # The one they have still holds (Django sends it again to renew it).
    assert again.cookies["csrftoken"].value == cookie
    sent = visitor.post(
        "/contact/", {**CONTACT, "csrfmiddlewaretoken": _csrf_tokens(_html(again))[0]}
    )
    assert sent.status_code == 200


def test_a_shared_page_with_a_form_is_compressed_for_each_visitor(home_page):
    Client().get("/contact/", HTTP_ACCEPT_ENCODING="gzip")
    served = Client().get("/contact/", HTTP_ACCEPT_ENCODING="gzip")
    assert served["X-Page-Cache"] == "hit"
    assert served["Content-Encoding"] == "gzip"
    assert int(served["Content-Length"]) == len(served.content)
    html = gzip.decompress(served.content).decode()
    assert len(_csrf_tokens(html)) == 1
    assert "Accept-Encoding" in served["Vary"] and "Cookie" in served["Vary"]

    plain = Client().get("/contact/")
    assert "Content-Encoding" not in plain
    assert int(plain["Content-Length"]) == len(plain.content)


def test_a_member_never_gets_the_shared_copy_of_a_form(client, home_page, member):
    from cms.cache import CSRF_HOLE

    Client().get("/contact/")
    client.force_login(member)
    response = client.get("/contact/")
    assert response["X-Page-Cache"] == "bypass"
    assert len(_csrf_tokens(_html(response))) == 2  # the form's and sign out's
    assert CSRF_HOLE not in _html(response)


def test_pending_message_cookie_bypasses_the_cache(client, home_page):
    client.get(WHY)
    visitor = Client()
    visitor.cookies["messages"] = "anything"
    assert visitor.get(WHY)["X-Page-Cache"] == "bypass"


# --- Headers that help browsers and proxies ----------------------------------


def test_public_page_headers_let_browsers_and_proxies_help(client, home_page):
    response = client.get(WHY)
    cache_control = response["Cache-Control"]
    assert "public" in cache_control
    # Browsers check back every time (so a publish shows at once); proxies keep
    # the page for a minute.
    assert "max-age=0" in cache_control and "must-revalidate" in cache_control
    assert "s-maxage=60" in cache_control
    assert response["ETag"]
    assert response["Last-Modified"]

    for _ in range(2):  # on a miss and on a hit
        again = Client().get(WHY, HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304
        assert again.content == b""


def test_pages_are_compressed_for_browsers_that_accept_gzip(client, home_page):
    plain = client.get(WHY)
    for _ in range(2):
        compressed = Client().get(WHY, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
        assert compressed["Content-Encoding"] == "gzip"
        assert gzip.decompress(compressed.content) == plain.content
    assert "Content-Encoding" not in Client().get(WHY)


def test_each_language_gets_its_own_cached_page(client, home_page):
    french = client.get(WHY, HTTP_ACCEPT_LANGUAGE="fr")
    assert '<html lang="fr">' in _html(french)
    english = Client().get(WHY, HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="en">' in _html(english)
    assert "fr" in Client().get(WHY, HTTP_ACCEPT_LANGUAGE="fr")["Content-Language"]


def test_cache_can_be_switched_off(client, home_page, settings):
    settings.PAGE_CACHE_ENABLED = False
    client.get(WHY)
    assert "X-Page-Cache" not in Client().get(WHY)
    assert HomePage.objects.exists()


# --- A URLconf for the @cache_public tests -----------------------------------


@cache_public
def hello(request):
    name = request.user.first_name if request.user.is_authenticated else "visitor"
    return HttpResponse(f"Hello, {name}")


def plain(request):
    return HttpResponse("Plain")


@cache_public
def opening(request):
    seconds = int(request.GET["in"])
    valid_until(request, timezone.now() + timedelta(seconds=seconds))
    return HttpResponse(f"Registration opens in {seconds} seconds")


VISITS = []


def count_visit(topic):
    if topic == "boom":
        raise RuntimeError("the counter is down")
    VISITS.append(topic)


@cache_public
def counted(request):
    """Counts each visit, as site search counts each query."""
    topic = request.GET["topic"]
    if topic != "boom":
        count_visit(topic)
    on_hit(request, "tests.cms.test_cache.count_visit", topic)
    return HttpResponse(f"About {topic}")


class SubscribeForm(forms.Form):
    email = forms.EmailField()


@cache_public
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
    path("opening/", opening),
    path("subscribe/", subscribe),
    path("counted/", counted),
    path("", include("cms.urls")),
]
