"""Posted Markdown is rendered to HTML that carries no script."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from community import markdown, services
from community.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS
from community.models import Post

from .xss_payloads import PAYLOADS


class Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def elements(html):
    parser = Collector()
    parser.feed(html)
    parser.close()
    return parser.elements


def assert_safe(html):
    for tag, attrs in elements(html):
        assert tag in ALLOWED_TAGS, f"<{tag}> survived in {html!r}"
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | {"rel"}
        assert set(attrs) <= allowed, f"attributes {attrs} survived in {html!r}"
        if tag == "a":
            assert attrs.get("rel") == "nofollow ugc"
            href = attrs.get("href")
            if href is not None:
                scheme = urlsplit(href.strip()).scheme.lower()
                assert scheme in {"", "http", "https", "mailto"}, href
                assert not href.lower().lstrip().startswith(("javascript", "data"))


def test_the_corpus_is_large_enough():
    assert len(PAYLOADS) >= 50
    assert len(set(PAYLOADS)) == len(PAYLOADS)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_posted_by_a_member_renders_without_script(
    client, member, public_space, payload
):
    client.force_login(member)
    response = client.post(
        "/community/spaces/open/new/", {"title": "Payload", "body": payload}
    )
    assert response.status_code == 302
    post = Post.objects.get(thread__title="Payload")
    assert post.body == payload
    assert_safe(post.body_html)
    page = client.get(response["Location"]).content.decode()
    assert post.body_html in page
    # Escaped text such as "&lt;img onerror=…&gt;" is harmless; real tags are not.
    for bad in ("<script", "<svg", "<iframe", "<img", "<style", '<a href="javas'):
        assert bad not in post.body_html.lower()


def test_preview_is_sanitised_and_saves_nothing(client, member, public_space):
    client.force_login(member)
    response = client.post(
        "/community/spaces/open/new/",
        {
            "title": "Preview",
            "body": "**bold** <script>alert(1)</script>",
            "preview": "1",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<strong>bold</strong> &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert not Post.objects.exists()
    # The text stays in the form for the member to post.
    assert "**bold** &lt;script&gt;alert(1)&lt;/script&gt;</textarea>" in html


def test_ordinary_markdown_is_kept():
    html = markdown.render(
        "# Title\n\n**bold** *it* `code`\n\n- one\n- two\n\n"
        "[site](https://example.org) and <https://example.com>",
        {},
    )
    assert "<strong>bold</strong>" in html and "<em>it</em>" in html
    assert "<code>code</code>" in html and "<li>one</li>" in html
    assert '<a href="https://example.org" rel="nofollow ugc">site</a>' in html
    assert '<a href="https://example.com" rel="nofollow ugc">' in html
    assert "<h1>" not in html  # headings below the page's own


def test_edit_is_sanitised_too(client, member, public_space):
    thread = services.create_thread(
        author=member, space=public_space, title="T", body="fine"
    )
    post = thread.posts.get()
    client.force_login(member)
    client.post(
        f"/community/posts/{post.pk}/edit/",
        {"body": "[x](javascript:alert(1)) <img src=x onerror=alert(1)>"},
    )
    post.refresh_from_db()
    assert_safe(post.body_html)
    assert "javascript" not in post.body_html and "<img" not in post.body_html
