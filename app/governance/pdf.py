"""Printable registers: the register of members and the share ledger as A4 PDFs.

Drawn with reportlab's page layout (``platypus``): a heading with the
society's name, registration number and registered office and the date the
register was printed, then a table whose heading row repeats on every page,
and "Page N" at the foot of each page. Landscape A4, so the columns the Act
requires fit without wrapping most names. The body font is the one the
voting-code letters use (:mod:`app.letters.pdf`, Bitstream Vera, embedded),
with characters it lacks printed as their base letter.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.governance import exports
from app.governance.models import Society
from app.i18n import gettext as _
from app.letters.pdf import FONT, FONT_BOLD, printable
from app.voting import timing

PAGE = landscape(A4)
MARGIN = 15 * mm


def _styles() -> dict[str, ParagraphStyle]:
    printable("")  # registers the fonts
    return {
        "title": ParagraphStyle("title", fontName=FONT_BOLD, fontSize=16, leading=20, spaceAfter=4),
        "meta": ParagraphStyle("meta", fontName=FONT, fontSize=9, leading=12),
        "cell": ParagraphStyle("cell", fontName=FONT, fontSize=8, leading=10),
        "head": ParagraphStyle("head", fontName=FONT_BOLD, fontSize=8, leading=10),
    }


def _para(text: Any, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(printable("" if text is None else str(text))), style)


def _document(society: Society, title: str, header: Sequence[str], rows: Sequence[Sequence[Any]], widths) -> bytes:
    styles = _styles()
    out = io.BytesIO()
    footer = _("Page %(number)s")

    def _number(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.drawRightString(PAGE[0] - MARGIN, MARGIN / 2, printable(footer % {"number": doc.page}))
        canvas.restoreState()

    doc = SimpleDocTemplate(
        out,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=printable(f"{society.name}: {title}"),
        author=printable(society.name),
    )
    story: list[Any] = [_para(society.name, styles["title"]), _para(title, styles["meta"])]
    if society.registration_number:
        story.append(_para(_("Registration number: %(number)s", number=society.registration_number), styles["meta"]))
    if society.registered_office:
        office = ", ".join(part.strip() for part in society.registered_office.splitlines() if part.strip())
        story.append(_para(_("Registered office: %(office)s", office=office), styles["meta"]))
    story.append(_para(_("Printed on %(day)s", day=timing.format_date(timing.today())), styles["meta"]))
    story.append(Spacer(1, 6 * mm))
    data = [[_para(h, styles["head"]) for h in header]]
    data += [[_para(cell, styles["cell"]) for cell in row] for row in rows]
    if not rows:
        data.append([_para(_("No entries."), styles["cell"])] + [""] * (len(header) - 1))
    table = Table(data, colWidths=[w * mm for w in widths], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.grey),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    story.append(table)
    doc.build(story, onFirstPage=_number, onLaterPages=_number)
    return out.getvalue()


def register_pdf(society: Society) -> bytes:
    """The register of members, printable (A4 landscape), ceased members included with their dates."""
    header, rows = exports.register_rows(society)
    # Email is for the secretary's mailings; the printed register keeps what the Act asks for.
    keep = [i for i in range(len(header)) if i != 4]
    header = [header[i] for i in keep]
    rows = [[row[i] for i in keep] for row in rows]
    widths = (24, 40, 50, 20, 27, 22, 16, 20, 22, 26)
    return _document(society, _("Register of members"), header, rows, widths)


def ledger_pdf(society: Society) -> bytes:
    """The share ledger, printable (A4 landscape), every line in the order written."""
    header, rows = exports.ledger_rows(society)
    widths = (14, 22, 24, 48, 24, 16, 22, 97)
    return _document(society, _("Share ledger"), header, rows, widths)
