"""The disposition table as a PDF (ReportLab, the styles of frameworks.pdf)."""

import io
from html import escape

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .pdf import _styles


def disposition_pdf(*, consultation, rows, url):
    """Bytes of a landscape PDF: every comment, its response and the change."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import LETTER, landscape
    from reportlab.lib.units import inch
    from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, TableStyle

    styles = _styles()
    cell = styles["cell"]
    title = _("Disposition of comments on %(title)s %(version)s") % {
        "title": consultation.page.title,
        "version": consultation.version,
    }
    with translation.override(settings.LANGUAGE_CODE):
        published = consultation.disposition_published_at or timezone.now()
        meta = _("Consultation from %(opens)s to %(closes)s; published %(date)s.") % {
            "opens": date_format(timezone.localtime(consultation.opens_at)),
            "closes": date_format(timezone.localtime(consultation.closes_at)),
            "date": date_format(timezone.localtime(published)),
        }
        header = [_("Clause"), _("Comment"), _("Response"), _("Change made")]
        data = [[Paragraph(f"<b>{escape(h)}</b>", cell) for h in header]]
        for comment in rows:
            response = getattr(comment, "response", None)
            who = comment.author_name if comment.author_id else _("A former member")
            text = (
                f"<b>{escape(comment.get_type_display())}</b> · {escape(who)}, "
                f"{escape(comment.role)}, {escape(comment.organisation)}<br/>"
                + escape(comment.body).replace("\n", "<br/>")
            )
            if comment.replacement:
                text += "<br/><i>" + escape(_("Proposed text:")) + "</i> "
                text += escape(comment.replacement)
            answer = ""
            if response is not None:
                answer = (
                    f"<b>{escape(response.get_disposition_display())}</b><br/>"
                    + escape(response.reason)
                )
            data.append(
                [
                    Paragraph(
                        escape(
                            comment.clause.number
                            if comment.clause_id
                            else _("Whole draft")
                        ),
                        cell,
                    ),
                    Paragraph(text, cell),
                    Paragraph(answer or escape(_("No response yet")), cell),
                    Paragraph(escape(response.change if response else ""), cell),
                ]
            )
    width = landscape(LETTER)[0] - 1.5 * inch
    table = LongTable(
        data,
        colWidths=[0.8 * inch, width * 0.45, width * 0.3, None],
        repeatRows=1,
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#6b6b6b")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
            ]
        )
    )
    story = [
        Paragraph(escape(title), styles["title"]),
        Paragraph(escape(meta), styles["meta"]),
        Paragraph(f'<a href="{escape(url)}">{escape(url)}</a>', styles["meta"]),
        table,
    ]
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=landscape(LETTER),
        leftMargin=0.75 * inch,
        rightMargin=0.75 * inch,
        topMargin=0.75 * inch,
        bottomMargin=0.75 * inch,
        title=title,
        lang=settings.LANGUAGE_CODE,
        displayDocTitle=True,
        invariant=True,
    ).build(story)
    return buffer.getvalue()
