"""Through a real Varnish with the repository's VCL, in front of the live server.

What a visitor sees: shared pages are served from the cache, a change in the
CMS or the data is on the next request, nothing personal or private is ever
stored, forms carry each visitor's own CSRF token, and document files are
never served by URL.
"""

import io
import re
from datetime import timedelta

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.crypto import get_random_string
from wagtail.documents.models import Document
from wagtail.models import Page, PageViewRestriction

from cms import seed_french
from tests.conftest import Client, make_user
from tests.edge.conftest import HOST

pytestmark = [pytest.mark.django_db(transaction=True)]

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def cached(visitor, url):
    """Ask until the page is a hit; returns the hit."""
    for _ in range(3):
        response = visitor.get(url)
        if response.headers.get("X-Cache") == "HIT":
            return response
    raise AssertionError(f"{url} never became a hit: {dict(response.headers)}")


def sign_in(visitor, user):
    """Give an edge visitor the session of a signed-in user (second factor
    included, as the project's test client records it)."""
    client = Client()
    client.force_login(user)
    visitor.cookies.set("sessionid", client.cookies["sessionid"].value)
    return visitor


def page_at(slug):
    return Page.objects.get(slug=slug).specific


# --- Shared pages are served from the cache ----------------------------------


def test_an_anonymous_page_is_a_hit_on_the_second_request(edge, home_page):
    first = edge.client().get("/")
    assert first.status_code == 200
    assert first.headers["X-Cache"] == "MISS"

    second = edge.client().get("/")  # another visitor
    assert second.status_code == 200
    assert second.headers["X-Cache"] == "HIT"
    assert int(second.headers["Age"]) >= 0
    assert second.text == first.text
    # What the cache keeps for itself does not leave it.
    assert "xkey" not in second.headers
    assert second.headers["Content-Encoding"] == "gzip"


def test_cookies_that_do_not_change_a_page_do_not_split_the_cache(edge, home_page):
    cached(edge.client(), "/")
    visitor = edge.client()
    visitor.cookies.set("_ga", "GA1.1.123")
    visitor.cookies.set("theme", "dark")
    assert visitor.get("/").headers["X-Cache"] == "HIT"


def test_hashed_static_files_are_kept_for_a_year(edge, settings, tmp_path):
    # A file named as ManifestStaticFilesStorage names them in production.
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "edge.0123456789ab.css").write_text("body { margin: 0 }\n")
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, tmp_path]
    visitor = edge.client()
    visitor.cookies.set("sessionid", "whatever")  # static files ignore sessions
    response = cached(visitor, "/static/css/edge.0123456789ab.css")
    assert "max-age=31536000" in response.headers["Cache-Control"]
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.text == "body { margin: 0 }\n"


# --- Changes are on the next request -------------------------------------------


def test_publishing_a_page_is_on_the_next_request(edge, home_page):
    page = page_at("what-is-a-micro-certification")
    visitor = edge.client()
    cached(visitor, page.url)
    cached(visitor, "/")

    page.title = "Micro-certification, explained again"
    page.save_revision().publish()

    response = visitor.get(page.url)
    assert "Micro-certification, explained again" in response.text
    # The menu on every other page names it too.
    assert "Micro-certification, explained again" in visitor.get("/").text


def test_unpublishing_a_page_is_on_the_next_request(edge, home_page):
    page = page_at("why-micro-certification-now")
    visitor = edge.client()
    cached(visitor, page.url)

    page.unpublish()

    assert visitor.get(page.url).status_code == 404
    assert page.url_path not in visitor.get("/").text


def test_moving_a_page_is_on_the_next_request(edge, home_page):
    page = page_at("harmonized-ecosystem")
    new_parent = page_at("what-is-a-micro-certification")
    old_url = page.url
    visitor = edge.client()
    cached(visitor, old_url)

    page.move(new_parent, pos="last-child")

    page.refresh_from_db()
    assert page.url != old_url
    old = visitor.get(old_url)
    assert old.status_code in (301, 302, 404)  # a redirect to the new place, or gone
    assert visitor.get(page.url).status_code == 200


def test_a_moved_page_is_fresh_with_or_without_its_trailing_slash(edge, home_page):
    """Wagtail purges a page by its URL, which ends in a slash. The spelling
    without it is never stored (the app's redirect to the slash is private),
    so no stale copy of it can outlive a purge."""
    page = page_at("harmonized-ecosystem")
    new_parent = page_at("what-is-a-micro-certification")
    old_url = page.url
    visitor = edge.client()
    cached(visitor, old_url)
    for _ in range(2):
        bare = visitor.get(old_url.rstrip("/"))
        assert bare.status_code == 301
        assert bare.headers["Location"].endswith(old_url)
        assert bare.headers["X-Cache"] != "HIT"

    page.move(new_parent, pos="last-child")

    page.refresh_from_db()
    for spelling in (old_url, old_url.rstrip("/")):
        moved = visitor.get(spelling)
        assert moved.status_code == 301, spelling
        assert moved.headers["Location"].endswith(page.url), spelling
    assert visitor.get(page.url).status_code == 200
    bare = visitor.get(page.url.rstrip("/"))
    assert bare.status_code == 301
    assert bare.headers["Location"].endswith(page.url)


def test_a_catalogue_change_is_on_the_next_request(edge, home_page):
    from tests.credentials.factories import make_credential

    entry = make_credential("Supply Chain Essentials")
    visitor = edge.client()
    assert "Supply Chain Essentials" in cached(visitor, "/catalogue/").text

    entry.title = "Supply Chain Leadership"
    entry.save()

    listing = visitor.get("/catalogue/")
    assert "Supply Chain Leadership" in listing.text
    assert "Supply Chain Essentials" not in listing.text


def _forum(home_page, capacity=5):
    from events.models import EventIndexPage, EventPage

    index = EventIndexPage(title="Forums", slug="forums")
    home_page.add_child(instance=index)
    index.save_revision().publish()
    now = timezone.now().replace(second=0, microsecond=0)
    forum = EventPage(
        title="Micro-Certification Forum",
        slug="forum",
        start=now + timedelta(days=30),
        end=now + timedelta(days=30, hours=8),
        event_format=EventPage.Format.IN_PERSON,
        venue="Toronto Reference Library",
        capacity=capacity,
        registration_opens=now - timedelta(days=1),
        registration_closes=now + timedelta(days=20),
    )
    index.add_child(instance=forum)
    forum.save_revision().publish()
    return EventPage.objects.get(pk=forum.pk)


def test_a_registration_is_on_the_next_request(edge, home_page):
    from events import services

    forum = _forum(home_page, capacity=5)
    visitor = edge.client()
    assert "5 seats left" in cached(visitor, forum.url).text

    member = make_user("ada@example.org")
    services.register(
        event=forum, name="Ada", email=member.email, user=member, email_verified=True
    )

    assert "4 seats left" in visitor.get(forum.url).text


def test_a_page_fetched_across_a_registration_is_not_kept(edge, home_page, monkeypatch):
    """A purge reaches only stored copies: a copy being fetched while the
    registration commits and purges may hold the old count, and must not be
    kept for s-maxage."""
    import threading
    import time

    from events import services
    from events.models import EventPage

    forum = _forum(home_page, capacity=5)
    read, go_on = threading.Event(), threading.Event()
    original = EventPage.serve

    def slow_serve(self, request, *args, **kwargs):
        response = original(self, request, *args, **kwargs)
        response.render()  # the page as it is before the registration
        read.set()
        go_on.wait(10)
        return response

    monkeypatch.setattr(EventPage, "serve", slow_serve)
    first = {}
    reader = threading.Thread(
        target=lambda: first.update(response=edge.client().get(forum.url))
    )
    reader.start()
    assert read.wait(10)
    member = make_user("ada@example.org")
    services.register(
        event=forum, name="Ada", email=member.email, user=member, email_verified=True
    )
    go_on.set()
    reader.join(10)
    monkeypatch.setattr(EventPage, "serve", original)
    assert "5 seats left" in first["response"].text  # read before the change

    time.sleep(1.5)
    assert "4 seats left" in edge.client().get(forum.url).text


def test_a_new_public_post_is_on_the_next_request(edge, home_page):
    from community import services
    from community.models import Space
    from tests.community.conftest import seasoned

    space = Space.objects.create(
        name="Community of practice", slug="open", visibility=Space.Visibility.PUBLIC
    )
    author = seasoned(make_user("ada@example.org"))
    thread = services.create_thread(
        author=author, space=space, title="Stackable credentials", body="First."
    )
    url = f"/community/threads/{thread.pk}/"
    visitor = edge.client()
    cached(visitor, url)

    services.reply(author=author, thread=thread, body="A reply everyone can read.")

    assert "A reply everyone can read." in visitor.get(url).text


# --- Nothing personal or private is stored -------------------------------------


def test_a_signed_in_member_is_never_served_from_the_cache(edge, home_page):
    member = make_user("mira@example.org", first_name="Mira")
    visitor = sign_in(edge.client(), member)
    for _ in range(2):
        response = visitor.get("/")
        assert response.status_code == 200
        assert response.headers["X-Cache"] == "PASS"
        assert "Sign out" in response.text or "Log out" in response.text

    anonymous = edge.client().get("/")
    assert anonymous.headers["X-Cache"] == "MISS"  # the member's page was not kept
    assert "mira@example.org" not in anonymous.text
    assert "Sign out" not in anonymous.text


def test_a_preview_is_never_stored(edge, home_page, staff_with_mfa):
    page = page_at("what-is-a-micro-certification")
    live_title = page.title
    cached(edge.client(), page.url)
    page.title = "A draft nobody may see yet"
    page.save_revision()  # not published
    editor = sign_in(edge.client(), staff_with_mfa)

    for _ in range(2):
        draft = editor.get(f"/admin/pages/{page.pk}/view_draft/")
        assert draft.status_code == 200
        assert "A draft nobody may see yet" in draft.text
        assert draft.headers["X-Cache"] == "PASS"

    public = edge.client().get(page.url)
    assert live_title in public.text
    assert "A draft nobody may see yet" not in public.text


def test_a_private_page_is_never_stored(edge, home_page):
    page = page_at("what-is-a-micro-certification")
    secret_words = "RMIT University in Australia"  # from the page's body
    assert secret_words in cached(edge.client(), page.url).text
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.LOGIN
    )
    member = make_user("mira@example.org")
    signed_in = sign_in(edge.client(), member)
    for _ in range(2):
        response = signed_in.get(page.url)
        assert response.status_code == 200
        assert secret_words in response.text
        assert response.headers["X-Cache"] == "PASS"
    for _ in range(2):
        outsider = edge.client().get(page.url)
        assert secret_words not in outsider.text
        assert "Log in" in outsider.text or outsider.status_code == 302
        assert outsider.headers["X-Cache"] != "HIT"


def test_a_form_with_errors_is_never_stored(edge, home_page):
    visitor = edge.client()
    form = visitor.get("/contact/")
    token = TOKEN.search(form.text).group(1)
    answer = visitor.post(
        "/contact/",
        data={
            "csrfmiddlewaretoken": token,
            "your_name": "Ada",
            "your_email": "not an address",
            "message": "Hello",
        },
        headers={"Referer": f"{edge.url}/contact/"},
    )
    assert answer.status_code in (200, 400)
    assert "not an address" in answer.text  # the form came back with the errors
    assert answer.headers["X-Cache"] == "PASS"

    other = edge.client().get("/contact/")
    assert "not an address" not in other.text


# --- CSRF tokens on shared pages (ESI) -----------------------------------------


def _submit_contact(visitor, token, name):
    return visitor.post(
        "/contact/",
        data={
            "csrfmiddlewaretoken": token,
            "your_name": name,
            "your_email": f"{name.lower()}@example.org",
            "message": "A question about the forum.",
        },
        headers={"Referer": "http://localhost/contact/"},
    )


def test_two_visitors_of_a_shared_form_get_their_own_tokens(
    edge, home_page, mailoutbox
):
    ada, grace = edge.client(), edge.client()
    first = ada.get("/contact/")
    second = grace.get("/contact/")
    assert second.headers["X-Cache"] == "HIT"  # one stored page for both
    # Each got a secret of their own with the page, and a token for it.
    assert ada.cookies["csrftoken"] != grace.cookies["csrftoken"]
    ada_token = TOKEN.search(first.text).group(1)
    grace_token = TOKEN.search(second.text).group(1)
    assert ada_token != grace_token
    assert "esi:include" not in first.text + second.text
    # The copy handed to each is theirs alone, and not revalidated.
    assert "private" in second.headers["Cache-Control"]
    assert "ETag" not in second.headers

    for visitor, token, name in (
        (ada, ada_token, "Ada"),
        (grace, grace_token, "Grace"),
    ):
        answer = _submit_contact(visitor, token, name)
        assert answer.status_code in (200, 302), answer.text[:500]
        assert "Thank you" in answer.text or answer.status_code == 302
    assert len(mailoutbox) == 2

    # A token made for one visitor's secret is refused with the other's cookie.
    assert _submit_contact(ada, grace_token, "Ada").status_code == 403


def test_a_visitor_who_has_a_secret_keeps_it(edge, home_page):
    visitor = edge.client()
    visitor.get("/contact/")
    secret = visitor.cookies["csrftoken"]
    again = visitor.get("/contact/")
    assert "Set-Cookie" not in again.headers
    assert visitor.cookies["csrftoken"] == secret
    assert TOKEN.search(again.text)


def test_the_secret_endpoint_is_not_reachable_from_outside(edge, home_page):
    visitor = edge.client()
    assert visitor.get("/-/csrf-secret/").status_code == 404
    # Nor by sending the headers the VCL uses on its own restart.
    step = {"X-Edge-Page": "/contact/", "X-Csrf-Secret-Step": "fetch"}
    assert visitor.get("/-/csrf-secret/", headers=step).status_code == 404
    assert "csrftoken" not in visitor.cookies


def _register(visitor, forum, token, name):
    """A guest posts the event's registration form through Varnish."""
    return visitor.post(
        f"{forum.url}register/",
        data={
            "csrfmiddlewaretoken": token,
            "name": name,
            "email": f"{name.lower()}@example.org",
            "privacy": "on",
        },
    )


def _registered(answer):
    return answer.status_code == 200 and "Check your email" in answer.text


def _returning(edge, secret):
    """A visitor whose browser kept a CSRF cookie from an earlier visit."""
    visitor = edge.client()
    # The jar entry a Set-Cookie for Host: localhost would replace (the
    # cookie jar names that host "localhost.local").
    visitor.cookies.set("csrftoken", secret, domain=f"{HOST}.local", path="/")
    return visitor


def test_returning_visitors_get_tokens_for_their_cookies_without_the_app(
    edge, home_page, backend_requests
):
    forum = _forum(home_page)
    cached(edge.client(), forum.url)
    backend_requests.clear()

    secrets = {name: get_random_string(32) for name in ("Ada", "Grace")}
    visitors = {}
    for name, secret in secrets.items():
        visitor = _returning(edge, secret)
        page = visitor.get(forum.url)
        assert page.headers["X-Cache"] == "HIT"
        # Varnish renders the hidden input for the visitor's own secret.
        assert set(TOKEN.findall(page.text)) == {secret}
        assert "Set-Cookie" not in page.headers
        visitors[name] = visitor
    # The page came from the cache and the tokens from Varnish itself.
    assert backend_requests == []

    for name, visitor in visitors.items():
        assert _registered(_register(visitor, forum, secrets[name], name))
    # A token is good only with the cookie it was made for.
    refused = _register(visitors["Ada"], forum, secrets["Grace"], "Lovelace")
    assert refused.status_code == 403


def test_a_first_visit_gets_a_secret_and_a_token_for_it(
    edge, home_page, backend_requests
):
    forum = _forum(home_page)
    cached(edge.client(), forum.url)
    backend_requests.clear()

    visitor = edge.client()
    page = visitor.get(forum.url)
    secret = visitor.cookies["csrftoken"]
    assert re.fullmatch(r"[a-zA-Z0-9]{32}", secret)
    assert set(TOKEN.findall(page.text)) == {secret}
    # One request to the app, for the new secret; the page was a hit.
    assert backend_requests == ["/-/csrf-secret/"]
    assert _registered(_register(visitor, forum, secret, "Ada"))


@pytest.mark.parametrize(
    "bad_cookie",
    ["short", "a" * 31 + "-", "a" * 33, "b" * 64],
    ids=["short", "punctuation", "too-long", "old-masked-length"],
)
def test_a_malformed_cookie_still_gets_a_working_form(edge, home_page, bad_cookie):
    forum = _forum(home_page)
    visitor = _returning(edge, bad_cookie)
    page = visitor.get(forum.url)
    assert page.status_code == 200
    # A fresh secret replaces the cookie, and the form carries its token.
    secret = visitor.cookies["csrftoken"]
    assert secret != bad_cookie
    assert re.fullmatch(r"[a-zA-Z0-9]{32}", secret)
    assert set(TOKEN.findall(page.text)) == {secret}
    assert bad_cookie not in page.text
    assert _registered(_register(visitor, forum, secret, "Ada"))


def test_a_visitors_token_is_never_stored_or_shared(edge, home_page):
    forum = _forum(home_page)
    ada_secret = get_random_string(32)
    for _ in range(2):
        ada = _returning(edge, ada_secret).get(forum.url)
        assert set(TOKEN.findall(ada.text)) == {ada_secret}

    others = [edge.client(), _returning(edge, get_random_string(32))]
    for visitor in others:
        page = visitor.get(forum.url)
        assert page.headers["X-Cache"] == "HIT"
        assert ada_secret not in page.text
        assert set(TOKEN.findall(page.text)) == {visitor.cookies["csrftoken"]}
    # Nor from the fragment's own address.
    fragment = edge.client().get("/-/csrf-token/")
    assert ada_secret not in fragment.text
    assert "no-store" in fragment.headers["Cache-Control"]


def test_the_token_is_never_compressed_with_the_page(edge, home_page):
    """BREACH reads a secret from the compressed size of a page that also
    shows what the attacker sent: a page with a token is sent uncompressed
    (pages without one stay gzipped), and the pages with a token reflect no
    query."""
    forum = _forum(home_page)
    secret = get_random_string(32)
    visitor = _returning(edge, secret)
    cached(visitor, forum.url)
    response = visitor.get(forum.url, stream=True)
    assert "Content-Encoding" not in response.headers
    raw = response.raw.read(decode_content=False)
    assert secret.encode() in raw
    assert set(TOKEN.findall(raw.decode())) == {secret}
    assert visitor.get("/").headers["Content-Encoding"] == "gzip"

    for url in (forum.url, "/contact/"):
        probe = _returning(edge, secret).get(f"{url}?q=reflectedprobe&x=a{secret}")
        assert probe.status_code == 200
        assert "reflectedprobe" not in probe.text


# --- Languages -------------------------------------------------------------------


def test_a_page_is_one_copy_whatever_the_browser_language(edge, home_page):
    """The address decides the language (/… English, /fr/… French): a
    browser's Accept-Language never splits a page's copy, and the French page
    is a copy of its own."""
    seed_french.seed(stdout=io.StringIO())
    browsers = ["en-CA,en;q=0.9", "fr-CA,fr;q=0.9,en;q=0.5", "de-DE", None]
    copies = {}
    for url in ("/", "/fr/"):
        first = edge.client().get(url, headers={"Accept-Language": browsers[0]})
        assert first.headers["X-Cache"] == "MISS", url
        for browser in browsers[1:]:
            again = edge.client().get(url, headers={"Accept-Language": browser})
            assert again.headers["X-Cache"] == "HIT", (url, browser)
            assert again.text == first.text
        copies[url] = first.text
    assert '<html lang="en"' in copies["/"]
    assert '<html lang="fr"' in copies["/fr/"]
    assert "La microcertification en Ontario" in copies["/fr/"]
    assert "La microcertification en Ontario" not in copies["/"]


def test_the_api_is_one_copy_per_language_it_answers_in(edge, home_page):
    """The API takes its language from Accept-Language (one address for
    both): the edge keeps one copy per language, not one per browser."""
    url = "/api/v1/credentials"
    asked = [
        ("fr-CA,fr;q=0.9,en;q=0.5", "MISS", "fr"),
        ("fr", "HIT", "fr"),
        ("en-CA,en;q=0.9", "MISS", "en"),
        ("de-DE,de;q=0.9", "HIT", "en"),
        (None, "HIT", "en"),
    ]
    for browser, cache, language in asked:
        response = edge.client().get(url, headers={"Accept-Language": browser})
        assert response.status_code == 200
        assert (response.headers["X-Cache"], response.headers["Content-Language"]) == (
            cache,
            language,
        ), browser


# --- Documents -------------------------------------------------------------------


DOCUMENT_PATHS = [
    "/media/documents/{name}",
    "/media//documents/{name}",
    "/media/./documents/{name}",
    "/media/%2e/documents/{name}",
    "/media%2Fdocuments/{name}",
    "/media%2fdocuments/{name}",
    "/media/images/../documents/{name}",
    "/static/..%2Fmedia/documents/{name}",
    "/MEDIA/documents/{name}",
    "/media/%64ocuments/{name}",
]


def test_document_files_are_never_served_by_url(edge):
    document = Document(title="Draft framework")
    document.file.save("draft-framework.pdf", ContentFile(b"%PDF-1.4 draft"))
    document.save()
    name = document.file.name.split("/")[-1]

    for path in DOCUMENT_PATHS:
        response = edge.client().get(path.format(name=name))
        assert response.status_code in (400, 403, 404), path
        assert b"%PDF" not in response.content, path
    # The document view, which checks privacy, still serves it.
    served = edge.client().get(document.url)
    assert served.status_code == 200
    assert served.content == b"%PDF-1.4 draft"


# --- Access is decided from the database, never from a cache ---------------------


def test_a_restriction_added_while_the_app_cache_fails_closes_the_page(
    edge, home_page, monkeypatch
):
    """As Redis with IGNORE_EXCEPTIONS during a blip: every write to the app's
    cache is lost while the restriction is added, and reads still find what
    was there before. The page must not reach an outsider, from Varnish or
    from the app."""
    page = page_at("what-is-a-micro-certification")
    secret_words = "RMIT University in Australia"
    outsider = edge.client()
    assert secret_words in cached(outsider, page.url).text

    def lost(*args, **kwargs):
        return False

    with monkeypatch.context() as patch:
        for method in ("set", "add", "delete", "set_many", "delete_many", "touch"):
            patch.setattr(LocMemCache, method, lost)
        patch.setattr(LocMemCache, "incr", lambda *args, **kwargs: 1)
        PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.LOGIN
        )

    for visitor in (outsider, edge.client()):
        response = visitor.get(page.url)
        assert secret_words not in response.text
        assert response.headers["X-Cache"] != "HIT"


def test_a_purge_is_refused_from_outside(edge, home_page):
    visitor = edge.client()
    cached(visitor, "/")
    relayed = {"X-Forwarded-For": "203.0.113.9", "xkey-purge": "all"}
    assert visitor.request("PURGE", "/", headers=relayed).status_code == 405
    assert visitor.get("/").headers["X-Cache"] == "HIT"
