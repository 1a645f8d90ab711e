"""Reading the register and postcode files: every kind of problem, by line and column; good rows out."""

from __future__ import annotations

import io
from datetime import date

import pytest

from app.i18n.stored import StoredMessage
from app.residents.csv_files import NeighbourhoodIndex, collect, parse_date, read_postcodes, read_register
from app.residents.postcodes import normalise_postcode

TODAY = date(2026, 11, 22)
HEAD = "reference,name,address,postcode,date_of_birth,neighbourhood\n"
INDEX = NeighbourhoodIndex([(1, "Castleton", "E05000650"), (2, "Balderstone and Kirkholt", None)])
LOOKUP = {"OL11 2XY": 2}


def register(data: bytes | str):
    raw = data.encode() if isinstance(data, str) else data
    return collect(read_register(io.BytesIO(raw), neighbourhoods=INDEX, postcode_lookup=LOOKUP, today=TODAY))


def where(outcome) -> list[tuple]:
    return [(p.line, p.column) for p in outcome.problems]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ol161ab", "OL16 1AB"),
        ("OL16  1AB", "OL16 1AB"),
        ("m1 1aa", "M1 1AA"),
        ("EC1A 1BB", "EC1A 1BB"),
        ("XX", None),
        ("OL16 1A", None),
        ("12345", None),
    ],
)
def test_postcodes_are_normalised_or_refused(text, expected):
    assert normalise_postcode(text) == expected


def test_good_file_gives_rows_with_neighbourhoods_by_name_code_or_postcode():
    outcome = register(
        "\ufeff"
        + HEAD.replace("date_of_birth", "Date of birth")
        + 'R1,Ada  Lovelace,"1 Smith St, Rochdale",ol161ab,1990-12-10,castleton\r\n'
        + "R2,Bob,2 St,OL16 1AB,10/12/1990,E05000650\r\n"
        + "\r\n"
        + "R3,Cy,3 St,OL11 2XY,01/02/2001,\r\n"
    )
    assert outcome.ok, outcome.problems
    assert [(r.line, r.reference, r.postcode, r.neighbourhood_id) for r in outcome.rows] == [
        (2, "R1", "OL16 1AB", 1),
        (3, "R2", "OL16 1AB", 1),
        (5, "R3", "OL11 2XY", 2),
    ]
    assert outcome.rows[0].name == "Ada Lovelace"
    assert outcome.rows[1].date_of_birth == date(1990, 12, 10)


def test_neighbourhood_column_is_optional():
    outcome = register("reference,name,address,postcode,date_of_birth\nR1,Ada,1 St,OL11 2XY,1990-01-01\n")
    assert outcome.ok and outcome.rows[0].neighbourhood_id == 2


def test_every_bad_line_is_reported_by_line_and_column_and_no_rows_come_out():
    outcome = register(
        HEAD
        + "R1,Ada,1 St,OL16 1AB,1990-01-01,Castleton\n"  # 2: fine
        + "R2,Bob,2 St,NOT A POSTCODE,1990-01-01,Castleton\n"  # 3: bad postcode
        + "R3,Cy,3 St,OL16 1AB,31/02/1990,Castleton\n"  # 4: impossible date
        + "R1,Di,4 St,OL16 1AB,1990-01-01,Castleton\n"  # 5: duplicate reference
        + "R5,Ed,5 St,OL16 1AB,1990-01-01,Atlantis\n"  # 6: unknown neighbourhood
        + "R6,Flo,6 St,OL99 9ZZ,1990-01-01,\n"  # 7: postcode not in the lookup
        + "R7,,7 St,OL16 1AB,2030-01-01,Castleton\n"  # 8: missing name, future date
        + "R8,Gus,8 St,OL16 1AB,yesterday,Castleton,extra\n"  # 9: not a date, too many values
    )
    assert not outcome.ok and outcome.rows == []
    assert where(outcome) == [
        (3, "postcode"),
        (4, "date_of_birth"),
        (5, "reference"),
        (6, "neighbourhood"),
        (7, "neighbourhood"),
        (8, "name"),
        (8, "date_of_birth"),
        (9, None),
        (9, "date_of_birth"),
    ]
    messages = [p.message for p in outcome.problems]
    assert messages[0] == '"NOT A POSTCODE" is not a UK postcode'
    assert messages[1] == '"31/02/1990" is not a real date'
    assert messages[2] == "The reference R1 is also on line 2"
    assert "Atlantis" in messages[3]
    assert "OL99 9ZZ is not in the postcode lookup" in messages[4]
    assert messages[6] == "The date of birth is in the future"
    # Names, addresses and dates of birth are personal data: the report never quotes a name or address.
    assert not any("Ada" in m or "St" in m.split() for m in messages)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", [(None, None, "The selected file is empty")]),
        (b"\xef\xbb\xbf \r\n", [(None, None, "The selected file is empty")]),
        (
            HEAD.encode(),
            [(None, None, "The file has no residents in it. Add one line for each resident under the headings")],
        ),
    ],
)
def test_empty_files(data, expected):
    assert [(p.line, p.column, p.message) for p in register(data).problems] == expected


def test_missing_column_and_wrong_heading():
    outcome = register("reference,name,addr,postcode\nR1,Ada,1 St,OL16 1AB\n")
    assert where(outcome) == [(1, None), (1, "address"), (1, "date_of_birth")]
    assert outcome.problems[0].message.startswith('The heading "addr" (column 3) is not one we know')
    assert outcome.problems[2].message.startswith("The column date_of_birth is missing")


def test_repeated_heading():
    outcome = register("reference,name,address,postcode,date_of_birth,name\n")
    assert where(outcome) == [(1, "name")]


def test_not_utf8_names_the_line_and_stops():
    data = (HEAD + "R1,Ada,1 St,OL16 1AB,1990-01-01,Castleton\n").encode() + "R2,Zoë,2 St".encode("latin-1") + b"\n"
    assert [(p.line, p.message.split(".")[0]) for p in register(data).problems] == [(3, "This line is not UTF-8 text")]


def test_an_unclosed_quote_names_its_line():
    outcome = register(HEAD + "R1,Ada,1 St,OL16 1AB,1990-01-01,Castleton\n" + 'R2,"Bob,2 St,OL16 1AB,1990-01-01,\n')
    assert where(outcome) == [(3, None)]
    assert "quotation marks" in outcome.problems[0].message


def test_lines_are_counted_across_large_files():
    body = "".join(f"R{n},Name {n},{n} Street,OL16 1AB,1990-01-01,Castleton\n" for n in range(1, 20_001))
    outcome = register(HEAD + body + "R1,Again,1 St,OL16 1AB,1990-01-01,Castleton\n")
    assert [(p.line, p.message) for p in outcome.problems] == [(20_002, "The reference R1 is also on line 2")]


@pytest.mark.parametrize(
    ("text", "ok"),
    [("2001-02-28", True), ("28/02/2001", True), ("29/02/2001", False), ("2001-13-01", False), ("1/2/2001", True)],
)
def test_dates(text, ok):
    assert isinstance(parse_date(text), date) is ok


def test_postcode_lookup_file():
    data = (
        b"postcode,neighbourhood\nOL16 1AB,Castleton\nol161ab,Castleton\nBAD,E05000650\nOL11 2XY,Nowhere\nOL12 3AB,\n"
    )
    outcome = collect(read_postcodes(io.BytesIO(data), neighbourhoods=INDEX))
    assert [(p.line, p.column) for p in outcome.problems] == [
        (3, "postcode"),
        (4, "postcode"),
        (5, "neighbourhood"),
        (6, "neighbourhood"),
    ]
    good = collect(read_postcodes(io.BytesIO(b"postcode,neighbourhood\nol161ab,E05000650\n"), neighbourhoods=INDEX))
    assert good.ok and [(r.postcode, r.neighbourhood_id) for r in good.rows] == [("OL16 1AB", 1)]


def test_a_problem_keeps_its_message_id_and_values_for_translating_later():
    (problem,) = collect(
        read_postcodes(io.BytesIO(b"postcode,neighbourhood\nBAD,Castleton\n"), neighbourhoods=INDEX)
    ).problems
    assert problem.message == '"BAD" is not a UK postcode'
    assert problem.said.to_json() == {"msgid": '"%(postcode)s" is not a UK postcode', "params": {"postcode": "BAD"}}
    assert StoredMessage.from_json(problem.said.to_json()) == problem.said
