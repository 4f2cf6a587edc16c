"""Markdown to safe HTML for posts.

Two layers: Python-Markdown with raw HTML switched off (so `<script>` arrives
as text), then nh3 with an allow-list of tags, attributes and URL schemes.
Links get rel="nofollow ugc" so posts lend no search-engine credit.
"""

import re
import xml.etree.ElementTree as etree

import markdown
import nh3
from django.contrib.auth import get_user_model
from django.urls import reverse
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor

ALLOWED_TAGS = {
    "a",
    "blockquote",
    "br",
    "code",
    "em",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "ul",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "class"}, "code": {"class"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}
MENTION_RE = r"(?<![\w@.])@([A-Za-z0-9_.+-]*[A-Za-z0-9_])"


def mentioned_usernames(text):
    """Usernames written as @name in the text (not inside code)."""
    without_code = re.sub(r"```.*?```|`[^`]*`", "", text, flags=re.S)
    return {m.lower() for m in re.findall(MENTION_RE, without_code)}


class MentionProcessor(InlineProcessor):
    def __init__(self, pattern, md, known):
        super().__init__(pattern, md)
        self.known = known

    def handleMatch(self, m, data):  # noqa: N802 (Markdown's API)
        username = self.known.get(m.group(1).lower())
        if username is None:
            return None, None, None
        el = etree.Element("a")
        el.set("href", reverse("community:profile", args=[username]))
        el.set("class", "mention")
        el.text = f"@{username}"
        return el, m.start(0), m.end(0)


class SafeExtension(Extension):
    def __init__(self, known, **kwargs):
        self.known = known
        super().__init__(**kwargs)

    def extendMarkdown(self, md):  # noqa: N802 (Markdown's API)
        # No raw HTML: blocks and inline tags are escaped as text instead.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.inlinePatterns.register(
            MentionProcessor(MENTION_RE, md, self.known), "mention", 65
        )


def resolve_mentions(text):
    """Map lower-cased names mentioned in the text to existing usernames."""
    names = mentioned_usernames(text)
    if not names:
        return {}
    User = get_user_model()
    found = {}
    for username in User.objects.filter(is_active=True).values_list(
        "username", flat=True
    ):
        if username.lower() in names:
            found[username.lower()] = username
    return found


def render(text, known_mentions=None):
    """Render member Markdown to HTML that is safe to show as is."""
    known = known_mentions if known_mentions is not None else resolve_mentions(text)
    html = markdown.markdown(
        text,
        extensions=[SafeExtension(known), "fenced_code", "tables", "sane_lists"],
        output_format="html",
    )
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="nofollow ugc",
        strip_comments=True,
    )
