"""Plain text of a framework document, and readable comparisons between versions."""

import difflib
import html
import re

from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import slugify

_BREAKS = re.compile(r"</(p|li|h[1-6]|blockquote)>|<br\s*/?>", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\r\f\v]+")


def _lines(html):
    text = strip_tags(_BREAKS.sub("\n", html))
    for line in text.splitlines():
        line = _SPACES.sub(" ", line).strip()
        if line:
            yield line


def body_text(body):
    """The document's text as a list of paragraphs, in reading order."""
    paragraphs = []
    for block in body:
        kind, value = block.block_type, block.value
        if kind == "heading":
            paragraphs.append(value["text"])
        elif kind == "paragraph":
            paragraphs.extend(_lines(value.source))
        elif kind == "quote":
            paragraphs.append(value["quote"])
        elif kind == "principles":
            if value["heading"]:
                paragraphs.append(value["heading"])
            for principle in value["principles"]:
                paragraphs.append(principle["name"])
                paragraphs.append(principle["statement"])
                paragraphs.append(principle["evidence"])
        elif kind == "table":
            for row in (value or {}).get("data") or []:
                cells = [str(cell) for cell in row if cell]
                if cells:
                    paragraphs.append(" | ".join(cells))
        elif kind == "call_to_action":
            paragraphs.append(value["heading"])
    return [p.strip() for p in paragraphs if p and p.strip()]


def table_of_contents(body):
    """(anchor, text, level) for each heading and principles section."""
    entries = []
    for block in body:
        if block.block_type == "heading":
            value = block.value
            anchor = slugify(value["anchor"] or value["text"])
            entries.append((anchor, value["text"], value["level"]))
        elif block.block_type == "principles" and block.value["heading"]:
            heading = block.value["heading"]
            entries.append((slugify(heading), heading, "h2"))
    return entries


def _word_diff(old, new):
    old_words, new_words = old.split(" "), new.split(" ")
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    parts = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(escape(" ".join(old_words[i1:i2])))
            continue
        if i2 > i1:
            parts.append(f"<del>{escape(' '.join(old_words[i1:i2]))}</del>")
        if j2 > j1:
            parts.append(f"<ins>{escape(' '.join(new_words[j1:j2]))}</ins>")
    return mark_safe(" ".join(parts))  # noqa: S308 - every word is escaped above


def compare(old_paragraphs, new_paragraphs):
    """Rows describing how the new text differs from the old, paragraph by paragraph.

    Each row is a dict with `change` ("same", "changed", "added" or "removed")
    and `html`, the paragraph with deleted words in <del> and added words in
    <ins>; changed and added rows also have `text`, the new paragraph.
    """
    matcher = difflib.SequenceMatcher(
        a=old_paragraphs, b=new_paragraphs, autojunk=False
    )
    rows = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        old, new = old_paragraphs[i1:i2], new_paragraphs[j1:j2]
        if tag == "equal":
            rows.extend({"change": "same", "html": escape(p)} for p in old)
            continue
        paired = min(len(old), len(new)) if tag == "replace" else 0
        for a, b in zip(old[:paired], new[:paired], strict=True):
            rows.append({"change": "changed", "html": _word_diff(a, b), "text": b})
        rows.extend(
            {"change": "removed", "html": mark_safe(f"<del>{escape(p)}</del>")}  # noqa: S308
            for p in old[paired:]
        )
        rows.extend(
            {
                "change": "added",
                "html": mark_safe(f"<ins>{escape(p)}</ins>"),  # noqa: S308
                "text": p,
            }
            for p in new[paired:]
        )
    return rows


def same_text(text):
    """A paragraph's text reduced for matching the same paragraph read another
    way (a clause's text against a version's): entities decoded, no spaces."""
    return "".join(html.unescape(text).split())
