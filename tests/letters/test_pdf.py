"""Print-ready letters: one A4 page each, the right text, a QR code that opens the right URL."""

import io
import shutil
import subprocess
from datetime import date

import pytest
import segno
from pypdf import PdfReader
from reportlab.lib.units import mm

from app.letters.letter import Letter, prefilled_url
from app.letters.pdf import LetterLanguageError, printable, qr_matrix, write_letters_pdf
from tests.letters.helpers import drawn_qr_codes, make_letter

A4_POINTS = (595.2756, 841.8898)


def render(letters, **kwargs) -> PdfReader:
    out = io.BytesIO()
    pages = write_letters_pdf(letters, out, **({"council_name": "Rochdale Borough Council"} | kwargs))
    reader = PdfReader(io.BytesIO(out.getvalue()))
    assert pages == len(reader.pages)
    return reader


def test_one_a4_page_per_letter_in_order_with_the_resident_details():
    letters = [make_letter(n) for n in range(1, 8)]
    reader = render(iter(letters))  # a one-shot iterator is enough: letters are read once
    assert len(reader.pages) == 7
    for page, letter in zip(reader.pages, letters, strict=True):
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A4_POINTS, abs=0.01)
        text = page.extract_text()
        assert "Rochdale Borough Council" in text
        assert letter.name in text and letter.reference in text
        assert f"{letter.address_lines[0]}\n" in text and letter.postcode in text
        assert letter.code in text
        assert letter.url in text
        assert "1 July 2027" in text
        assert "Your voting code" in text
        # No other letter's code or name leaks onto this page.
        assert all(other.code not in text for other in letters if other is not letter)


def test_the_qr_code_drawn_on_each_page_is_the_prefilled_url():
    letters = [make_letter(n) for n in range(1, 4)]
    reader = render(letters)
    for page, letter in zip(reader.pages, letters, strict=True):
        [drawn] = drawn_qr_codes(page.get_contents().get_data())
        url = f"{letter.url}?code={letter.code}"
        assert letter.prefilled_url == url
        expected = segno.make(url, error="m", mask=2, micro=False, boost_error=False).matrix
        assert drawn == [list(row) for row in expected]
        assert qr_matrix(url) == expected
        assert len(page.images) == 0  # vector drawing, not a picture per page


@pytest.mark.skipif(
    not (shutil.which("pdftoppm") and shutil.which("zbarimg")),
    reason="needs Debian's poppler-utils and zbar-tools (make pdftools installs them)",
)
def test_a_qr_reader_decodes_the_printed_page_to_the_prefilled_url(tmp_path):
    letter = make_letter(1)
    pdf = tmp_path / "letters.pdf"
    with pdf.open("wb") as out:
        write_letters_pdf([letter], out, council_name="Rochdale Borough Council")
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", pdf, tmp_path / "page"], check=True)
    decoded = subprocess.run(
        ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", tmp_path / "page.png"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    assert decoded == f"https://rochdale.example/c/rochdale/verify?code={letter.code}"


def test_the_address_sits_in_a_dl_envelope_window():
    letter = make_letter(1, name="Ada Window", address_lines=("1 Toad Lane", "Rochdale"), postcode="OL12 0NU")
    [page] = render([letter]).pages
    found = {}

    def visit(text, cm, tm, font, size):
        if text.strip():
            found.setdefault(text.strip(), (tm[4], tm[5]))

    page.extract_text(visitor_text=visit)
    height = float(page.mediabox.height)
    for line in ("Ada Window", "1 Toad Lane", "Rochdale", "OL12 0NU"):
        x, y = found[line]
        # A DL window: 20-110 mm from the left edge, 45-95 mm from the top of the unfolded page.
        assert 20 * mm <= x <= 110 * mm, line
        assert 45 * mm <= height - y <= 95 * mm, line


def test_the_code_is_printed_large_in_a_monospace_font():
    letter = make_letter(1)
    [page] = render([letter]).pages
    fonts = {}

    def visit(text, cm, tm, font, size):
        if text.strip() == letter.code:
            fonts[text.strip()] = (font["/BaseFont"], size)

    page.extract_text(visitor_text=visit)
    assert fonts[letter.code] == ("/Courier-Bold", 28)


def test_long_addresses_and_names_wrap_within_the_page():
    letter = make_letter(
        1,
        name="Maximilian Bartholomew Featherstonehaugh-Cholmondeley-Marjoribanks the Third of that Ilk",
        url="https://rochdale.example/c/a-council-with-a-rather-long-slug/residents/verify-your-address",
    )
    [page] = render([letter]).pages
    text = page.extract_text()
    assert "the Third of that Ilk" in text
    assert "verify-your-address" in text


def test_welsh_letters_follow_the_language_parameter():
    reader = render([make_letter(1)], language="cy")
    assert "1 Gorffennaf 2027" in reader.pages[0].extract_text()
    assert reader.trailer["/Root"]["/Lang"] == "cy-GB"
    assert render([make_letter(1)]).trailer["/Root"]["/Lang"] == "en-GB"


def test_characters_the_font_lacks_print_as_their_base_letters():
    assert printable("Siân Ŵyn, Tŷ Newydd") == "Siân Wyn, Ty Newydd"
    assert printable("Zoë O'Brien-Łukasz") == "Zoë O'Brien-Łukasz"
    assert printable("☃") == "?"
    letter = make_letter(1, name="Siân Ŵyn", address_lines=("Tŷ Newydd", "Aberystwyth"))
    text = render([letter]).pages[0].extract_text()
    assert "Siân Wyn" in text and "Ty Newydd" in text


def test_pdf_metadata_names_the_council():
    reader = render([make_letter(1)])
    assert reader.metadata.title == "Voting code letters"
    assert reader.metadata.author == "Rochdale Borough Council"


def test_output_is_reproducible():
    letters = [make_letter(n) for n in range(1, 3)]
    first, second = io.BytesIO(), io.BytesIO()
    write_letters_pdf(letters, first, council_name="Rochdale")
    write_letters_pdf(letters, second, council_name="Rochdale")
    assert first.getvalue() == second.getvalue()


def test_an_unknown_language_writes_nothing():
    out = io.BytesIO()
    with pytest.raises(LetterLanguageError, match="en, cy, not 'fr'"):
        write_letters_pdf([make_letter(1)], out, council_name="Rochdale", language="fr")
    assert out.getvalue() == b""


def test_no_letters_writes_nothing():
    out = io.BytesIO()
    with pytest.raises(ValueError, match="no letters"):
        write_letters_pdf([], out, council_name="Rochdale")
    assert out.getvalue() == b""


def test_letters_drop_blank_address_lines_and_prefill_urls_safely():
    letter = Letter("R1", "A", ["1 Toad Lane", " ", ""], "OL12 0NU", "ABCD-EFGH-JKMN", "https://x/v", date(2027, 1, 1))
    assert letter.address_lines == ("1 Toad Lane",)
    assert prefilled_url("https://x/v?lang=cy&code=OLD", "ABCD-EFGH-JKMN") == "https://x/v?lang=cy&code=ABCD-EFGH-JKMN"
