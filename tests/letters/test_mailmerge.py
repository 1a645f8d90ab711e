"""The mail-merge CSV: one guarded row per letter that reads back to exactly what was written."""

import csv
import io
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from app.csv_cells import FORMULA_STARTS, guard, unguard
from app.letters.letter import MAX_ADDRESS_LINES, Letter
from app.letters.mailmerge import HEADER, write_mailmerge_csv
from tests.letters.helpers import make_letter

cell_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40)
line_text = cell_text.filter(lambda s: s.strip())


def read_back(text: str) -> list[dict[str, str]]:
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert tuple(rows[0]) == HEADER
    return [dict(zip(HEADER, (unguard(c) for c in row), strict=True)) for row in rows[1:]]


def write(letters, **kwargs) -> str:
    out = io.StringIO(newline="")
    count = write_mailmerge_csv(letters, out, **kwargs)
    assert count == len(letters)
    return out.getvalue()


def test_one_row_per_letter_with_every_field():
    letters = [make_letter(n) for n in range(1, 4)]
    text = write(letters)
    assert text.endswith("\r\n")
    rows = read_back(text)
    assert len(rows) == 3
    for row, letter in zip(rows, letters, strict=True):
        assert row == {
            "reference": letter.reference,
            "name": letter.name,
            "address_1": letter.address_lines[0],
            "address_2": letter.address_lines[1],
            "address_3": "",
            "address_4": "",
            "address_5": "",
            "postcode": "OL12 0NU",
            "code": letter.code,
            "url": "https://rochdale.example/c/rochdale/verify",
            "prefilled_url": f"https://rochdale.example/c/rochdale/verify?code={letter.code}",
            "expires_on": "2027-07-01",
            "expires_on_text": "1 July 2027",
        }


def test_the_expiry_is_worded_in_the_letter_language():
    [row] = read_back(write([make_letter(1)], language="cy"))
    assert row["expires_on_text"] == "1 Gorffennaf 2027"


def test_formulas_are_written_as_text():
    letter = make_letter(
        1,
        reference="=1+2",
        name='=HYPERLINK("http://evil.example","click")',
        address_lines=("+44 Toad Lane", "-1 Flat", "@SUM(A1)", "\tTabbed"),
        postcode="'OL12",
    )
    raw = list(csv.reader(io.StringIO(write([letter]), newline="")))[1]
    for cell in raw:
        assert not cell.startswith(FORMULA_STARTS), cell
    assert raw[:2] == ["'=1+2", '\'=HYPERLINK("http://evil.example","click")']
    [row] = read_back(write([letter]))
    assert row["name"] == letter.name and row["postcode"] == "'OL12"


def test_long_addresses_keep_every_line_in_the_last_column():
    letter = make_letter(1, address_lines=tuple(f"Line {n}" for n in range(1, 8)))
    [row] = read_back(write([letter]))
    assert [row[f"address_{n}"] for n in range(1, MAX_ADDRESS_LINES + 1)] == [
        "Line 1",
        "Line 2",
        "Line 3",
        "Line 4",
        "Line 5, Line 6, Line 7",
    ]


def test_an_empty_register_is_just_the_header():
    assert write([]) == ",".join(HEADER) + "\r\n"


@given(
    st.lists(
        st.tuples(cell_text, cell_text, st.lists(line_text, max_size=MAX_ADDRESS_LINES), cell_text),
        min_size=1,
        max_size=5,
    )
)
def test_any_text_round_trips_and_no_cell_can_run_as_a_formula(records):
    letters = [
        Letter(reference, name, tuple(lines), postcode, "ABCD-EFGH-JKMN", "https://x/v", date(2027, 1, 1))
        for reference, name, lines, postcode in records
    ]
    text = write(letters)
    for raw in list(csv.reader(io.StringIO(text, newline="")))[1:]:
        assert not any(cell.startswith(FORMULA_STARTS) for cell in raw)
    for row, letter in zip(read_back(text), letters, strict=True):
        assert row["reference"] == letter.reference
        assert row["name"] == letter.name
        assert tuple(row[f"address_{n}"] for n in range(1, len(letter.address_lines) + 1)) == letter.address_lines
        assert row["postcode"] == letter.postcode


@given(cell_text)
def test_guard_and_unguard_are_inverse(value):
    assert unguard(guard(value)) == value
    assert not guard(value).startswith(FORMULA_STARTS)
