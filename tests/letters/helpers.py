"""Letters for the tests, and reading back the QR codes drawn into a PDF page."""

from __future__ import annotations

import re
from datetime import date

from app.letters.codes import generate_code
from app.letters.letter import Letter

QR_BLOCK = re.compile(rb"q 0 g (?P<scale>[\d.]+) 0 0 [\d.]+ (?P<x>[\d.]+) (?P<y>[\d.]+) cm\n(?P<runs>.*?)\nf Q", re.S)
RUN = re.compile(rb"(\d+) (\d+) (\d+) 1 re")


def make_letter(number: int = 1, **changes) -> Letter:
    fields = {
        "reference": f"R{number:06d}",
        "name": f"Resident Number{number}",
        "address_lines": (f"{number} Toad Lane", "Rochdale"),
        "postcode": "OL12 0NU",
        "code": generate_code(),
        "url": "https://rochdale.example/c/rochdale/verify",
        "expires_on": date(2027, 7, 1),
    }
    return Letter(**(fields | changes))


def drawn_qr_codes(content: bytes) -> list[list[list[int]]]:
    """Every QR matrix drawn in a page's content stream, rebuilt from its runs of dark modules."""
    matrices = []
    for block in QR_BLOCK.finditer(content):
        runs = [tuple(map(int, m)) for m in RUN.findall(block["runs"])]
        size = max(x + w for x, _, w in runs)
        matrix = [[0] * size for _ in range(size)]
        for x, y, w in runs:
            for column in range(x, x + w):
                matrix[size - 1 - y][column] = 1
        matrices.append(matrix)
    return matrices
