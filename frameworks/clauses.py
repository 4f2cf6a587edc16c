"""Cutting a framework draft into clauses with identifiers that survive edits.

Every heading, paragraph, list item, table row and principle of the body is a
clause. A clause's key is its StreamField block's id (Wagtail keeps it across
edits of other blocks); the paragraphs and list items inside one rich-text
block, and the rows of one table, get keys of their own, carried across edits
by aligning the block's old items with its new ones (`align`).
"""

import difflib
from dataclasses import dataclass

from bs4 import BeautifulSoup

TEXT_TAGS = ("p", "li", "h2", "h3", "h4", "h5", "h6", "blockquote")


@dataclass
class Item:
    key: str
    kind: str
    text: str
    level: str = ""

    @property
    def starts_section(self):
        return self.kind == "heading" and self.level in ("", "h2")


def _wrappers(element):
    return [
        parent
        for parent in element.find_parents(("p", "blockquote"))
        if parent.find(TEXT_TAGS)
    ]


def _rich_text_items(html):
    """(kind, level, text) for each paragraph, heading and list item of rich text."""
    soup = BeautifulSoup(html, "html.parser")
    items = []
    for element in soup.find_all(TEXT_TAGS):
        if element.name in ("p", "blockquote") and element.find(TEXT_TAGS):
            continue  # a wrapper around other paragraphs: take those instead
        if element.find_parent(TEXT_TAGS) not in (None, *_wrappers(element)):
            continue
        if element.name == "li":
            for nested in element.find_all(("ul", "ol")):
                nested.extract()
        text = " ".join(element.get_text(" ").split())
        if not text:
            continue
        if element.name.startswith("h"):
            items.append(("heading", element.name, text))
        elif element.name == "li":
            items.append(("item", "", text))
        else:
            items.append(("paragraph", "", text))
    return items


def _table_items(value):
    rows = []
    for row in (value or {}).get("data") or []:
        cells = [" ".join(str(cell).split()) for cell in row if cell]
        if cells:
            rows.append(("row", "", " | ".join(cells)))
    return rows


def align(block_id, old, new):
    """Keys for a block's new items, keeping the old items' keys where they match.

    `old` is [(key, text)] as the block read before, `new` [(kind, level, text)].
    Unchanged items keep their key; an item whose text changed in place (a
    replaced run of the same length) keeps its key too, so the edit becomes a
    new revision of that clause; inserted items get fresh keys.
    """
    used = [int(key.rsplit("/", 1)[1]) for key, _text in old if "/" in key]
    counter = max(used, default=0)
    old_texts = [text for _key, text in old]
    new_texts = [text for _kind, _level, text in new]
    keys = [None] * len(new)
    matcher = difflib.SequenceMatcher(a=old_texts, b=new_texts, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            for offset in range(j2 - j1):
                keys[j1 + offset] = old[i1 + offset][0]
    for index, key in enumerate(keys):
        if key is None:
            counter += 1
            keys[index] = f"{block_id}/{counter}"
    return [
        Item(key=key, kind=kind, level=level, text=text)
        for key, (kind, level, text) in zip(keys, new, strict=True)
    ]


def extract(body, previous=None):
    """The body's clauses in reading order.

    `previous` maps each key to the text it had ({key: text}), for keeping the
    keys of items inside blocks across an edit; None for a first extraction.
    """
    previous = previous or {}
    items = []
    for index, block in enumerate(body):
        block_id = block.id or f"block-{index}"
        kind, value = block.block_type, block.value
        if kind == "heading":
            items.append(Item(block_id, "heading", value["text"], value["level"]))
        elif kind == "quote":
            items.append(Item(block_id, "paragraph", value["quote"]))
        elif kind == "call_to_action":
            items.append(Item(block_id, "paragraph", value["heading"]))
        elif kind in ("paragraph", "table"):
            new = (
                _rich_text_items(value.source)
                if kind == "paragraph"
                else _table_items(value)
            )
            old = [
                (key, text)
                for key, text in previous.items()
                if key.startswith(f"{block_id}/")
            ]
            old.sort(key=lambda pair: int(pair[0].rsplit("/", 1)[1]))
            items.extend(align(block_id, old, new))
        elif kind == "principles":
            if value["heading"]:
                items.append(Item(f"{block_id}/heading", "heading", value["heading"]))
            for child in value["principles"].bound_blocks:
                principle = child.value
                base = f"{block_id}/{child.id}"
                items.append(Item(f"{base}/name", "heading", principle["name"], "h3"))
                items.append(
                    Item(f"{base}/statement", "paragraph", principle["statement"])
                )
                items.append(
                    Item(f"{base}/evidence", "paragraph", principle["evidence"])
                )
    return [item for item in items if item.text.strip()]


def number(items, existing):
    """A number for each item: the existing one for a known key, else a new one.

    Numbers follow the draft's structure: a top-level heading starts section
    "n", the clauses under it are "n.1", "n.2"… (those before any heading are
    "0.1"…). A number once given is never changed or reused, so a clause added
    later takes the next free number of its section.
    """
    used = set(existing.values())
    tops = [int(n) for n in used if n.isdigit()]
    next_top = max(tops, default=0) + 1
    subs = {}
    for n in used:
        section, _dot, sub = n.partition(".")
        if sub.isdigit():
            subs[section] = max(subs.get(section, 0), int(sub))
    numbers = {}
    section = "0"
    for item in items:
        known = existing.get(item.key)
        if item.starts_section:
            if known is None:
                known = str(next_top)
                next_top += 1
            section = known.partition(".")[0]
        elif known is None:
            subs[section] = subs.get(section, 0) + 1
            known = f"{section}.{subs[section]}"
        numbers[item.key] = known
    return numbers
