"""The mail-merge CSV: the same letters as the PDF, as rows for a printing house to merge.

One row per letter: reference, name, address lines (``address_1`` to
``address_5``, as :attr:`Letter.envelope_address` gives them), postcode, the code,
the verification URL, the URL with the code filled in (for printing the
house's own QR code), and the expiry date twice: ISO for machines and as the
letter words it. Cells go through :func:`app.csv_cells.guard`, so a name like
``=HYPERLINK(...)`` is shown as text rather than run by a spreadsheet. Rows
are written as the letters are read, so memory does not grow with their number.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TextIO

from app.csv_cells import guard
from app.letters.letter import MAX_ADDRESS_LINES, Letter
from app.letters.pdf import expiry_text

HEADER = (
    "reference",
    "name",
    *(f"address_{n}" for n in range(1, MAX_ADDRESS_LINES + 1)),
    "postcode",
    "code",
    "url",
    "prefilled_url",
    "expires_on",
    "expires_on_text",
)


def write_mailmerge_csv(letters: Iterable[Letter], out: TextIO, *, language: str = "en") -> int:
    """Write the header and one guarded row per letter to ``out``; returns the number of letters.

    ``out`` should be opened with ``newline=""`` (the rows end in CRLF, as spreadsheets expect).
    """
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    count = 0
    for letter in letters:
        row = [
            letter.reference,
            letter.name,
            *letter.envelope_address,
            *[""] * (MAX_ADDRESS_LINES - len(letter.envelope_address)),
            letter.postcode,
            letter.code,
            letter.url,
            letter.prefilled_url,
            letter.expires_on.isoformat(),
            expiry_text(letter.expires_on, language),
        ]
        writer.writerow([guard(cell) for cell in row])
        count += 1
    return count
