"""NUL bytes, control characters and text that is not UTF-8 get a clear 400.

PostgreSQL refuses NUL in text: before cms.request_guards each of these URLs
answered 500. The check runs once for every view, so these requests are
refused before any view reads or writes anything.
"""

import pytest

from community.models import Post, Thread

from .input_support import make_member, make_public_space

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(db):
    return make_member()


@pytest.fixture
def public_space(db):
    return make_public_space()


NUL_URLS = [
    "/community/search/?q=%00",
    "/community/members/?q=a%00b",
    "/community/members/%00/",
    "/community/members/a%00b/avatar/",
    "/catalogue/?provider=a%00b",
    "/catalogue/?skill=a%00b",
    "/catalogue/?q=a%00b",
    "/catalogue/export.csv?provider=a%00b",
    "/catalogue/export.json?skill=a%00b",
    "/catalogue/suggest?q=a%00b",
    "/catalogue/a%00b/",
    "/search/?q=a%00b",
    "/search/suggest?q=a%00b",
    "/api/v1/credentials?provider=a%00b",
    "/api/v1/credentials?q=%00",
    "/api/v1/credentials/%00",
    "/api/v1/frameworks/%00",
    "/api/v1/community/spaces/%00/threads",
    "/api/v1/community/spaces/open/threads?limit=1%00",
    "/registrations/manage/a%00b/",
    "/accounts/login/?next=/%00",
]


@pytest.mark.parametrize("url", NUL_URLS)
def test_nul_bytes_anywhere_in_the_address_get_400(client, url):
    response = client.get(url)
    assert response.status_code == 400
    if url.startswith("/api/"):
        assert response["Content-Type"].startswith("application/json")
        assert "control character" in response.json()["detail"]
    else:
        assert "control character" in response.content.decode()


@pytest.mark.parametrize("character", ["%01", "%08", "%0B", "%1B", "%1F"])
def test_other_control_characters_get_400(client, character):
    assert client.get(f"/catalogue/?q=a{character}b").status_code == 400
    assert client.get(f"/community/members/a{character}b/").status_code == 400


@pytest.mark.parametrize("url", ["/catalogue/?q=%FF", "/api/v1/credentials?q=%C3"])
def test_query_strings_that_are_not_utf8_get_400(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "UTF-8" in response.content.decode()


def test_tabs_new_lines_and_any_unicode_text_pass(client, member, public_space):
    client.force_login(member)
    assert client.get("/catalogue/?q=caf%C3%A9%09%E2%98%95").status_code == 200
    response = client.post(
        "/community/spaces/open/new/",
        {"title": "Café ☕ \ufffd", "body": "Line one\r\n\tLine two 𝔘𝔫𝔦𝔠𝔬𝔡𝔢"},
    )
    assert response.status_code == 302
    post = Post.objects.get()
    assert post.thread.title == "Café ☕ \ufffd"
    assert post.body == "Line one\r\n\tLine two 𝔘𝔫𝔦𝔠𝔬𝔡𝔢"


@pytest.mark.parametrize(
    "body",
    [
        b"title=New&body=a\x00b",
        b"title=New%00&body=text",
        b"title=New%07&body=text",
    ],
)
def test_form_fields_with_control_characters_change_nothing(
    client, member, public_space, body
):
    client.force_login(member)
    response = client.post(
        "/community/spaces/open/new/",
        body,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert "control character" in response.content.decode()
    assert not Thread.objects.exists() and not Post.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        # raw bytes that are not UTF-8 (Latin-1 "é"), and the same percent-encoded
        b"title=Caf\xe9&body=Du caf\xe9 pour tous",
        b"title=Caf%E9&body=Du+caf%E9",
        b"title=ok&body=%C3%28",
    ],
)
def test_a_new_thread_whose_body_is_not_utf8_is_refused(
    client, member, public_space, body
):
    client.force_login(member)
    response = client.post(
        "/community/spaces/open/new/",
        body,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert "not valid UTF-8" in response.content.decode()
    assert not Thread.objects.exists() and not Post.objects.exists()


def test_a_reply_whose_body_is_not_utf8_is_refused(client, member, public_space):
    from community import services

    thread = services.create_thread(
        author=member, space=public_space, title="Pathways", body="First"
    )
    client.force_login(member)
    response = client.post(
        thread.get_absolute_url(),
        b"body=caf\xe9",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert Post.objects.count() == 1


def test_a_multipart_form_that_is_not_utf8_is_refused(client, member, public_space):
    boundary = "BoUnDaRy"
    body = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="title"\r\n\r\n'
        "Caf\xe9\r\n"
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="body"\r\n\r\n'
        "text\r\n"
        f"--{boundary}--\r\n"
    ).encode("latin-1")
    client.force_login(member)
    response = client.post(
        "/community/spaces/open/new/",
        body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 400
    assert "not valid UTF-8" in response.content.decode()
    assert not Thread.objects.exists()


def test_a_multipart_form_in_utf8_passes(client, member, public_space):
    client.force_login(member)
    response = client.post(
        "/community/spaces/open/new/",
        {"title": "Café \ufffd", "body": "text"},  # the test client's multipart
    )
    assert response.status_code == 302
    assert Thread.objects.get().title == "Café \ufffd"
