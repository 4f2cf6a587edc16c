"""PDF files of framework documents.

`version_pdf` typesets one published version from that version's own content
with ReportLab: the same headings, text, principles and tables as the web page,
with the version number, publication date, a citation and the stable address.
The file carries its title, author, subject and language, opens showing the
title, and has bookmarks for every heading (ReportLab's open-source edition
cannot write a tagged structure tree).

`simple_pdf` writes a tiny one-page PDF by hand, for tests that only need a file.
"""

import io
from html import escape
from html.parser import HTMLParser

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _


def _escape(text):
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def simple_pdf(title, lines=()):
    """Bytes of a one-page PDF showing the title and the lines of text."""
    text_ops = ["BT", "/F1 18 Tf", "72 740 Td", f"({_escape(title)}) Tj", "/F1 11 Tf"]
    for line in lines:
        text_ops += ["0 -18 Td", f"({_escape(line)}) Tj"]
    text_ops.append("ET")
    stream = "\n".join(text_ops).encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Title (%s) >>" % _escape(title).encode("latin-1", "replace"),
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += (
        b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, xref)
    )
    return bytes(out)


# --- Rich text to ReportLab's paragraph markup ------------------------------

_INLINE = {"b": "b", "strong": "b", "i": "i", "em": "i", "sup": "super", "sub": "sub"}
_BLOCKS = {"p", "li", "h2", "h3", "h4", "h5", "h6", "blockquote"}


class _RichText(HTMLParser):
    """Splits rich text HTML into (kind, markup) blocks ReportLab can set.

    Keeps bold, italics and links (made absolute); drops every other tag.
    """

    def __init__(self, base_url):
        super().__init__(convert_charrefs=True)
        self.base_url = base_url
        self.blocks = []
        self.kind = None
        self.parts = []
        self.lists = []
        self.open_inline = []

    def _flush(self):
        markup = "".join(self.parts).strip()
        if markup:
            self.blocks.append((self.kind or "p", markup, len(self.lists)))
        self.parts = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"ul", "ol"}:
            self._flush()
            self.lists.append(tag)
        elif tag in _BLOCKS:
            self._flush()
            self.kind = "li" if tag == "li" else tag
        elif tag == "br":
            self.parts.append("<br/>")
        elif tag in _INLINE:
            self.parts.append(f"<{_INLINE[tag]}>")
            self.open_inline.append(_INLINE[tag])
        elif tag == "a" and attrs.get("href"):
            href = attrs["href"]
            if href.startswith("/"):
                href = self.base_url + href
            self.parts.append(f'<a href="{escape(href)}" color="#1a4f8a"><u>')
            self.open_inline.append("a")

    def handle_endtag(self, tag):
        if tag in {"ul", "ol"}:
            self._flush()
            if self.lists:
                self.lists.pop()
            self.kind = "li" if self.lists else None
        elif tag in _BLOCKS:
            self._flush()
            self.kind = "li" if self.lists else None
        elif (tag in _INLINE or tag == "a") and self.open_inline:
            closing = self.open_inline.pop()
            self.parts.append("</u></a>" if closing == "a" else f"</{closing}>")

    def handle_data(self, data):
        self.parts.append(escape(" ".join(data.split("\n"))))

    def close(self):
        super().close()
        while self.open_inline:
            closing = self.open_inline.pop()
            self.parts.append("</u></a>" if closing == "a" else f"</{closing}>")
        self._flush()
        return self.blocks


def rich_text_blocks(html, base_url):
    from wagtail.rich_text import expand_db_html

    parser = _RichText(base_url)
    parser.feed(expand_db_html(html))
    return parser.close()


# --- The document -------------------------------------------------------------


def _styles():
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet

    base = getSampleStyleSheet()
    ink = colors.HexColor("#1b1b1b")
    body = ParagraphStyle(
        "Body", parent=base["BodyText"], fontName="Helvetica", fontSize=10.5,
        leading=15, spaceAfter=7, textColor=ink,
    )  # fmt: skip

    def heading(name, size, *, before, after, leading=None):
        return ParagraphStyle(
            name, parent=body, fontName="Helvetica-Bold", fontSize=size,
            leading=leading or body.leading, spaceBefore=before, spaceAfter=after,
            keepWithNext=True,
        )  # fmt: skip

    return {
        "title": ParagraphStyle(
            "DocTitle",
            parent=body,
            fontName="Helvetica-Bold",
            fontSize=22,
            leading=27,
            spaceAfter=10,
        ),  # fmt: skip
        "meta": ParagraphStyle("Meta", parent=body, fontSize=9.5, leading=13),
        "h2": heading("H2", 15, leading=19, before=14, after=6),
        "h3": heading("H3", 12, leading=16, before=10, after=4),
        "h4": heading("H4", 10.5, before=8, after=3),
        "p": body,
        "li": ParagraphStyle("Item", parent=body, leftIndent=16, bulletIndent=4),
        "quote": ParagraphStyle(
            "Quote",
            parent=body,
            leftIndent=18,
            rightIndent=18,
            fontName="Helvetica-Oblique",
        ),  # fmt: skip
        "cell": ParagraphStyle(
            "Cell", parent=body, fontSize=9.5, leading=12, spaceAfter=0
        ),  # fmt: skip
        "caption": ParagraphStyle(
            "Caption",
            parent=body,
            fontName="Helvetica-Bold",
            fontSize=9.5,
            spaceAfter=4,
            keepWithNext=True,
        ),  # fmt: skip
    }


def _heading(text, level, styles):
    from reportlab.platypus import Paragraph

    level = level if level in {"h2", "h3", "h4"} else "h4"
    paragraph = Paragraph(escape(text), styles[level])
    paragraph.outline_level = {"h2": 0, "h3": 1, "h4": 2}[level]
    paragraph.outline_text = text
    return paragraph


def _table(value, styles):
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    rows = [row for row in (value or {}).get("data") or [] if any(row)]
    if not rows:
        return []
    header = bool(value.get("first_row_is_table_header"))
    first_col = bool(value.get("first_col_is_header"))
    data = []
    for r, row in enumerate(rows):
        cells = []
        for c, cell in enumerate(row):
            text = escape(str(cell or ""))
            if (header and r == 0) or (first_col and c == 0):
                text = f"<b>{text}</b>"
            cells.append(Paragraph(text, styles["cell"]))
        data.append(cells)
    table = Table(data, repeatRows=1 if header else 0, hAlign="LEFT")
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#6b6b6b")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")))
    table.setStyle(TableStyle(commands))
    flowables = []
    if value.get("table_caption"):
        flowables.append(Paragraph(escape(value["table_caption"]), styles["caption"]))
    return [*flowables, table]


def body_flowables(body, styles, base_url):
    """The StreamField's blocks as ReportLab flowables, in reading order."""
    from reportlab.platypus import Paragraph, Spacer

    out = []
    for block in body:
        kind, value = block.block_type, block.value
        if kind == "heading":
            out.append(_heading(value["text"], value["level"], styles))
        elif kind == "paragraph":
            for tag, markup, depth in rich_text_blocks(value.source, base_url):
                if tag in {"h2", "h3", "h4", "h5", "h6"}:
                    paragraph = Paragraph(markup, styles.get(tag, styles["h4"]))
                elif tag == "li":
                    style = styles["li"].clone(
                        f"Item{depth}", leftIndent=16 * max(depth, 1)
                    )
                    paragraph = Paragraph(markup, style, bulletText="•")
                elif tag == "blockquote":
                    paragraph = Paragraph(markup, styles["quote"])
                else:
                    paragraph = Paragraph(markup, styles["p"])
                out.append(paragraph)
        elif kind == "quote":
            out.append(Paragraph(escape(value["quote"]), styles["quote"]))
            if value.get("attribution"):
                out.append(
                    Paragraph(f"— {escape(value['attribution'])}", styles["quote"])
                )
        elif kind == "principles":
            if value["heading"]:
                out.append(_heading(value["heading"], "h2", styles))
            for number, principle in enumerate(value["principles"], start=1):
                out.append(_heading(f"{number}. {principle['name']}", "h3", styles))
                out.append(Paragraph(escape(principle["statement"]), styles["p"]))
                out.append(
                    Paragraph(
                        f"<b>{escape(_('Evidence that it is met:'))}</b> "
                        f"{escape(principle['evidence'])}",
                        styles["p"],
                    )
                )
        elif kind == "table":
            out.extend(_table(value, styles))
            out.append(Spacer(1, 6))
        elif kind == "call_to_action":
            out.append(_heading(value["heading"], "h3", styles))
            if value.get("text"):
                out.append(Paragraph(escape(value["text"]), styles["p"]))
        elif kind == "document" and value.get("document"):
            title = value.get("title") or value["document"].title
            url = base_url + value["document"].url
            out.append(
                Paragraph(
                    f'{escape(title)}: <a href="{escape(url)}">{url}</a>', styles["p"]
                )  # fmt: skip
            )
        elif kind == "image" and value.get("caption"):
            out.append(Paragraph(escape(value["caption"]), styles["meta"]))
    return out


def page_language(page):
    """The language code of the page's locale (the site's default without one)."""
    locale_id = getattr(page, "locale_id", None)
    if locale_id is None:
        return settings.LANGUAGE_CODE
    from wagtail.models import Locale

    locale = Locale.objects.filter(pk=locale_id).first()
    return locale.language_code if locale is not None else settings.LANGUAGE_CODE


def version_pdf(*, page, version, stable_url, author):
    """Bytes of the PDF of one published version of a framework document.

    `page` is the version's snapshot (`FrameworkPage.with_content_json`), so the
    text is the version's own, not the live page's. The fixed labels and the
    date are typeset in the page's language (its locale): a French translation
    gets a French PDF.
    """
    from reportlab.lib.pagesizes import LETTER
    from reportlab.lib.units import inch
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    styles = _styles()
    base_url = settings.SITE_URL
    language = page_language(page)
    with translation.override(language):
        published = date_format(timezone.localtime(version.published_at), "DATE_FORMAT")
        year = timezone.localtime(version.published_at).year
        meta = _("Version %(number)s, published %(date)s") % {
            "number": version.number,
            "date": published,
        }
        citation = _(
            "%(author)s (%(year)s). %(title)s, version %(number)s. %(url)s"
        ) % {
            "author": author,
            "year": year,
            "title": version.title,
            "number": version.number,
            "url": stable_url,
        }
        story = [
            Paragraph(escape(version.title), styles["title"]),
            Paragraph(escape(meta), styles["meta"]),
        ]
        if getattr(page, "summary", ""):
            story.append(Paragraph(escape(page.summary), styles["p"]))
        story.append(
            Paragraph(
                f"<b>{escape(_('Cite this version:'))}</b> {escape(citation)}",
                styles["meta"],
            )
        )
        story.append(
            Paragraph(
                f"<b>{escape(_('Stable address:'))}</b> "
                f'<a href="{escape(stable_url)}">{escape(stable_url)}</a>',
                styles["meta"],
            )
        )
        if version.change_summary:
            story.append(_heading(_("What changed in this version"), "h3", styles))
            story.append(Paragraph(escape(version.change_summary), styles["p"]))
        story.extend(body_flowables(page.body, styles, base_url))
        footer = f"{version.title} {version.number} · {stable_url}"

    class Document(SimpleDocTemplate):
        def afterFlowable(self, flowable):
            level = getattr(flowable, "outline_level", None)
            if level is not None:
                # An outline may go down only one level at a time.
                level = min(level, getattr(self, "_outline_level", -1) + 1)
                self._outline_level = level
                key = f"h{id(flowable)}"
                self.canv.bookmarkPage(key)
                self.canv.addOutlineEntry(flowable.outline_text, key, level=level)

    def on_page(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(inch, 0.6 * inch, footer)
        canvas.drawRightString(LETTER[0] - inch, 0.6 * inch, str(doc.page))
        canvas.restoreState()

    buffer = io.BytesIO()
    doc = Document(
        buffer,
        pagesize=LETTER,
        leftMargin=inch,
        rightMargin=inch,
        topMargin=inch,
        bottomMargin=inch,
        title=f"{version.title} {version.number}",
        author=author,
        subject=page.summary if getattr(page, "summary", "") else version.title,
        creator=author,
        lang=language,
        displayDocTitle=True,
        invariant=True,
    )
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
