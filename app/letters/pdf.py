"""Print-ready voting-code letters: one PDF, one A4 page per resident.

Each page has the council's name as a letterhead, the resident's name and
address where the window of a DL envelope shows it (the page folded in
three), a plain-English explanation, the code in large monospace, the
verification URL, a QR code of that URL with the code filled in, and the
expiry date.

Speed and memory: pages are drawn straight onto a reportlab canvas (no
layout engine), paragraphs that are the same on every page are wrapped once,
and the QR code is vector drawing (one filled path of rectangles, one per
run of dark modules in a row) rather than an image per page. Letters are
read from an iterable one at a time and nothing of ours is kept per letter;
the only memory that grows with their number is reportlab's own page
objects (about 15 KiB a page), which it keeps until the document is written
out to ``out`` (``bench/bench_letters.py``: 10,000 letters in ~12 s, ~210 MB
peak). Print runs far beyond that should be split into several files.

Text comes from the gettext catalogue in the letter's language (``en`` or
``cy``), chosen by parameter rather than by the current request, so a job can
print Welsh letters whatever the officer's own language. Strings are marked
with ``N_`` so ``make translations`` extracts them. The body font is Bitstream
Vera (shipped with reportlab, embedded as a subset); a character it lacks
(e.g. Welsh ŵ, ŷ) is printed as its base letter rather than as a blank box.
"""

from __future__ import annotations

import functools
import gettext
import unicodedata
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import BinaryIO

import segno
from babel.dates import format_date
from babel.support import Translations
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from app.letters.letter import Letter

LANGUAGES = {"en": "en_GB", "cy": "cy_GB"}
TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "translations"

FONT = "RochdaleLetter"
FONT_BOLD = "RochdaleLetter-Bold"
CODE_FONT = "Courier-Bold"  # codes are ASCII, so a standard (unembedded) monospace font will do
QR_ERROR_LEVEL = "m"  # 15% of the symbol can be damaged (a fold, a smudge) and it still scans
# Choosing the best of the eight masks by penalty score costs ~8 ms a code in pure Python (80 s for
# 10,000 letters); every reader handles every mask, so one fixed mask is used.
QR_MASK = 2

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 20 * mm
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
# The address block: a DL window (90 x 45 mm, 20 mm from the left) over the top third of a folded A4 page.
ADDRESS_LEFT = 25 * mm
ADDRESS_TOP = 50 * mm
ADDRESS_LEADING = 5 * mm
QR_SIZE = 38 * mm
QR_QUIET_MODULES = 4


def N_(text: str) -> str:
    """Mark ``text`` for extraction; it is translated when the letters are drawn."""
    return text


HEADING = N_("Your voting code")
GREETING = N_("Dear %(name)s,")
INTRO = N_(
    "%(council)s asks residents to have their say on neighbourhood priorities and local services. "
    "You are on the council's register of residents who can take part."
)
PURPOSE = N_(
    "To take part online, use the code below to confirm that you live at this address. You only need to do this once."
)
CODE_LABEL = N_("Your code")
STEPS_HEADING = N_("How to use your code")
STEP_URL = N_("1. Go to %(url)s")
STEP_ACCOUNT = N_("2. Create an account or sign in.")
STEP_CODE = N_("3. Enter your code. Capital letters, spaces and dashes do not matter.")
QR_HINT = N_("Or scan the QR code with your phone's camera: it opens the page with your code filled in.")
EXPIRY = N_("Your code works until the end of %(date)s. It can only be used once.")
PRIVACY = N_(
    "Keep this letter safe and do not share your code. The council will never ask you for it by phone or email."
)
HELP = N_(
    "If your code does not work, someone else has used it, or you need this letter in another format, "
    "contact %(council)s and quote your reference."
)
REFERENCE = N_("Reference: %(reference)s")
DOCUMENT_TITLE = N_("Voting code letters")


class LetterLanguageError(ValueError):
    """Letters were asked for in a language we do not print."""


@functools.cache
def _register_fonts() -> dict[int, int]:
    """Register the body fonts once per process; returns the characters they can draw."""
    regular = TTFont(FONT, "Vera.ttf")  # found on reportlab's own font path
    pdfmetrics.registerFont(regular)
    pdfmetrics.registerFont(TTFont(FONT_BOLD, "VeraBd.ttf"))
    return regular.face.charToGlyph


@functools.lru_cache(maxsize=4096)
def _drawable(char: str) -> str:
    """``char``, or the nearest thing the font can draw (its base letter, else ``?``)."""
    glyphs = _register_fonts()
    if ord(char) in glyphs:
        return char
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if ord(c) in glyphs and not unicodedata.combining(c))
    return base or "?"


def printable(text: str) -> str:
    """``text`` with every character the font cannot draw replaced (see :func:`_drawable`)."""
    glyphs = _register_fonts()
    if all(ord(c) in glyphs for c in text):
        return text
    return "".join(_drawable(c) for c in text)


@functools.lru_cache(maxsize=1024)
def _wrap(text: str, font: str, size: float, width: float) -> tuple[str, ...]:
    return tuple(simpleSplit(text, font, size, width))


def translations(language: str) -> gettext.NullTranslations:
    """The catalogue for ``language`` (English needs none: the source strings are English)."""
    if language not in LANGUAGES:
        raise LetterLanguageError(f"Letters can be printed in {', '.join(LANGUAGES)}, not {language!r}")
    return Translations.load(str(TRANSLATIONS_DIR), [language])


def qr_matrix(url: str) -> tuple[bytearray, ...]:
    """The QR code's modules for ``url``: rows top to bottom, 1 for dark (no quiet zone)."""
    return segno.make(url, error=QR_ERROR_LEVEL, mask=QR_MASK, micro=False, boost_error=False).matrix


def qr_operators(matrix: tuple[bytearray, ...], x: float, y: float, size: float) -> str:
    """PDF operators drawing ``matrix`` as a ``size``-point square with its lower-left corner at (x, y).

    The drawing is scaled to module units, so each horizontal run of dark
    modules is one ``x y w 1 re`` with whole numbers; all runs are filled at once.
    """
    n = len(matrix)
    scale = size / n
    ops = [f"q 0 g {scale:.4f} 0 0 {scale:.4f} {x:.2f} {y:.2f} cm"]
    for row_number, row in enumerate(matrix):
        bottom = n - 1 - row_number
        start = None
        for column, dark in enumerate(row):
            if dark and start is None:
                start = column
            elif not dark and start is not None:
                ops.append(f"{start} {bottom} {column - start} 1 re")
                start = None
        if start is not None:
            ops.append(f"{start} {bottom} {n - start} 1 re")
    ops.append("f Q")
    return "\n".join(ops)


class _Page:
    """Draws one letter. Holds the translated, pre-wrapped text shared by every page."""

    def __init__(self, canvas: Canvas, council_name: str, language: str) -> None:
        self.canvas = canvas
        self.locale = LANGUAGES[language]
        t = translations(language)
        self.t = t.gettext
        self.council = printable(council_name)
        fixed = {
            "intro": self.t(INTRO) % {"council": self.council},
            "purpose": self.t(PURPOSE),
            "account": self.t(STEP_ACCOUNT),
            "code_step": self.t(STEP_CODE),
            "privacy": self.t(PRIVACY),
            "help": self.t(HELP) % {"council": self.council},
        }
        self.fixed = {k: _wrap(printable(v), FONT, 11, TEXT_WIDTH) for k, v in fixed.items()}
        self.steps_width = TEXT_WIDTH - QR_SIZE - 8 * mm
        self.step_lines = {k: _wrap(printable(fixed[k]), FONT, 11, self.steps_width) for k in ("account", "code_step")}
        self.qr_hint = _wrap(printable(self.t(QR_HINT)), FONT, 9, QR_SIZE + 6 * mm)
        self.heading = printable(self.t(HEADING))
        self.code_label = printable(self.t(CODE_LABEL))
        self.steps_heading = printable(self.t(STEPS_HEADING))

    def _lines(self, lines: Iterable[str], x: float, top: float, font: str, size: float, leading: float) -> float:
        """Draw lines from ``top`` (points from the page top); returns the top of the next line."""
        c = self.canvas
        c.setFont(font, size)
        for line in lines:
            top += leading
            c.drawString(x, PAGE_HEIGHT - top, line)
        return top

    def draw(self, letter: Letter) -> None:
        c = self.canvas
        # Letterhead.
        c.setFont(FONT_BOLD, 16)
        c.drawString(MARGIN, PAGE_HEIGHT - 20 * mm, self.council)
        c.setLineWidth(0.75)
        c.line(MARGIN, PAGE_HEIGHT - 24 * mm, PAGE_WIDTH - MARGIN, PAGE_HEIGHT - 24 * mm)
        c.setFont(FONT, 10)
        reference = printable(self.t(REFERENCE) % {"reference": letter.reference})
        c.drawRightString(PAGE_WIDTH - MARGIN, PAGE_HEIGHT - 30 * mm, reference)

        # Address, for the envelope window.
        name = printable(letter.name)
        address = [printable(line) for line in letter.envelope_address]
        top = self._lines([name], ADDRESS_LEFT, ADDRESS_TOP, FONT_BOLD, 11, ADDRESS_LEADING)
        top = self._lines([*address, printable(letter.postcode)], ADDRESS_LEFT, top, FONT, 11, ADDRESS_LEADING)

        # Body, below the top fold (99 mm).
        top = self._lines([self.heading], MARGIN, 108 * mm, FONT_BOLD, 18, 0)
        greeting = _wrap(printable(self.t(GREETING) % {"name": letter.name}), FONT, 11, TEXT_WIDTH)
        top = self._lines(greeting, MARGIN, top + 4 * mm, FONT, 11, 15)
        top = self._lines(self.fixed["intro"], MARGIN, top + 4, FONT, 11, 15)
        top = self._lines(self.fixed["purpose"], MARGIN, top + 4, FONT, 11, 15)

        # The code, boxed and large.
        box_top = top + 5 * mm
        c.setLineWidth(1.5)
        c.rect(MARGIN, PAGE_HEIGHT - box_top - 24 * mm, TEXT_WIDTH, 24 * mm, stroke=1, fill=0)
        self._lines([self.code_label], MARGIN + 5 * mm, box_top + 1 * mm, FONT_BOLD, 11, 14)
        self._lines([letter.code], MARGIN + 5 * mm, box_top + 7 * mm, CODE_FONT, 28, 28)
        top = box_top + 24 * mm

        # How to use it, with the QR code on the right.
        steps_top = top + 6 * mm
        top = self._lines([self.steps_heading], MARGIN, steps_top, FONT_BOLD, 13, 13)
        url_step = _wrap(printable(self.t(STEP_URL) % {"url": letter.url}), FONT, 11, self.steps_width)
        top = self._lines(url_step, MARGIN, top + 2, FONT, 11, 15)
        top = self._lines(self.step_lines["account"], MARGIN, top, FONT, 11, 15)
        top = self._lines(self.step_lines["code_step"], MARGIN, top, FONT, 11, 15)
        qr_x = PAGE_WIDTH - MARGIN - QR_SIZE
        qr_bottom = PAGE_HEIGHT - steps_top - QR_SIZE
        c.addLiteral(qr_operators(qr_matrix(letter.prefilled_url), qr_x, qr_bottom, QR_SIZE))
        hint_top = self._lines(self.qr_hint, qr_x - 6 * mm, steps_top + QR_SIZE, FONT, 9, 11)
        top = max(top, hint_top)

        # Expiry and the small print.
        when = format_date(letter.expires_on, format="long", locale=self.locale)
        expiry = _wrap(printable(self.t(EXPIRY) % {"date": when}), FONT_BOLD, 11, TEXT_WIDTH)
        top = self._lines(expiry, MARGIN, top + 6 * mm, FONT_BOLD, 11, 15)
        top = self._lines(self.fixed["privacy"], MARGIN, top + 4, FONT, 11, 15)
        self._lines(self.fixed["help"], MARGIN, top + 4, FONT, 11, 15)
        c.showPage()


def write_letters_pdf(letters: Iterable[Letter], out: BinaryIO, *, council_name: str, language: str = "en") -> int:
    """Write every letter, one A4 page each, as one PDF to ``out``; returns the number of pages.

    ``letters`` is read once, in order. Nothing is written to ``out`` if
    ``language`` is not one we print or there are no letters (a PDF with no
    pages is not a valid document).
    """
    if language not in LANGUAGES:
        raise LetterLanguageError(f"Letters can be printed in {', '.join(LANGUAGES)}, not {language!r}")
    _register_fonts()
    canvas = Canvas(out, pagesize=A4, pageCompression=1, invariant=1, lang="cy-GB" if language == "cy" else "en-GB")
    page = _Page(canvas, council_name, language)
    canvas.setTitle(page.t(DOCUMENT_TITLE))
    canvas.setAuthor(council_name)
    canvas.setSubject(page.t(HEADING))
    count = 0
    for letter in letters:
        page.draw(letter)
        count += 1
    if count == 0:
        raise ValueError("There are no letters to print")
    canvas.save()
    return count


def expiry_text(expires_on: date, language: str = "en") -> str:
    """The expiry date as the letter prints it (e.g. "1 July 2027"), for the CSV and screens."""
    if language not in LANGUAGES:
        raise LetterLanguageError(f"Letters can be printed in {', '.join(LANGUAGES)}, not {language!r}")
    return format_date(expires_on, format="long", locale=LANGUAGES[language])
