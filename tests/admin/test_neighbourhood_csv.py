"""The CSV reader for neighbourhood imports: pure, so tested without the app."""

import pytest

from app.admin.neighbourhood_csv import MAX_ROWS, TEMPLATE, parse_neighbourhoods
from app.admin.neighbourhood_rules import clean_name, clean_ward_code, name_problem, ward_code_problem


def lines(*rows: str, bom: bool = False, ending: str = "\n") -> bytes:
    data = ending.join(rows) + ending
    return (b"\xef\xbb\xbf" if bom else b"") + data.encode("utf-8")


def problems(parsed) -> list[tuple[int | None, str]]:
    return [(p.line, p.message) for p in parsed.problems]


def test_good_file_gives_every_row_with_its_line():
    parsed = parse_neighbourhoods(
        lines("name,ons_ward_code", "Castleton,E05000650", "Kirkholt,", "  Spotland  ,w05000123")
    )
    assert parsed.ok
    assert [(r.line, r.name, r.ons_ward_code) for r in parsed.rows] == [
        (2, "Castleton", "E05000650"),
        (3, "Kirkholt", None),
        (4, "Spotland", "W05000123"),
    ]


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"])
def test_bom_and_any_line_ending(ending):
    parsed = parse_neighbourhoods(lines("name,ons_ward_code", "Castleton,E05000650", bom=True, ending=ending))
    assert parsed.ok and parsed.rows[0].name == "Castleton"


def test_headings_in_either_order_any_case_and_trailing_empty_columns():
    parsed = parse_neighbourhoods(lines("ONS_Ward_Code , Name,,", "E05000650,Castleton,,"))
    assert parsed.ok
    assert parsed.rows[0].name == "Castleton" and parsed.rows[0].ons_ward_code == "E05000650"


def test_a_line_with_only_a_name_is_fine():
    parsed = parse_neighbourhoods(lines("name,ons_ward_code", "Castleton"))
    assert parsed.ok and parsed.rows[0].ons_ward_code is None


def test_quoted_name_with_a_comma():
    parsed = parse_neighbourhoods(lines("name,ons_ward_code", '"Balderstone, Kirkholt",E05000650'))
    assert parsed.ok and parsed.rows[0].name == "Balderstone, Kirkholt"


def test_blank_lines_are_skipped_but_counted_in_line_numbers():
    parsed = parse_neighbourhoods(lines("name,ons_ward_code", "", "Castleton,", ",", "Bad,X1"))
    assert problems(parsed) == [(5, "ONS ward code must be a letter E, W, S or N followed by 8 digits, like E05000650")]


def test_every_bad_line_is_reported_and_no_rows_returned():
    existing = ["Spotland"]
    data = lines(
        "name,ons_ward_code",
        "Castleton,E05000650",  # 2 fine
        ",E05000651",  # 3 missing name
        "Kirkholt,E0500065",  # 4 bad code
        "castleton,E05000652",  # 5 duplicate name in file
        "Healey,E05000650",  # 6 duplicate code in file
        "SPOTLAND,",  # 7 existing name
        "Smallbridge,E05000999",  # 8 existing code
        "x" * 201 + ",",  # 9 too long
        "Norden,E05000700,extra",  # 10 too many values
    )
    parsed = parse_neighbourhoods(data, existing_names=existing, existing_codes=["E05000999"])
    assert parsed.rows == []
    assert not parsed.ok
    assert [p.line for p in parsed.problems] == [3, 4, 5, 6, 7, 8, 9, 10]
    messages = dict(problems(parsed))
    assert messages[3] == "The name is missing"
    assert "like E05000650" in messages[4]
    assert messages[5] == 'The name "castleton" is also on line 2'
    assert messages[6] == "The ONS ward code E05000650 is also on line 2"
    assert messages[7] == 'A neighbourhood called "SPOTLAND" already exists'
    assert messages[8] == "A neighbourhood with the ONS ward code E05000999 already exists"
    assert messages[9] == "Name must be 200 characters or fewer"
    assert messages[10].startswith("This line has more than 2 values")


def test_one_line_can_have_several_problems():
    parsed = parse_neighbourhoods(lines("name,ons_ward_code", ",nonsense,more"))
    assert [p.line for p in parsed.problems] == [2, 2, 2]


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "The selected file is empty"),
        (b"\xef\xbb\xbf\r\n  \n", "The selected file is empty"),
        (b"name,ons_ward_code\n", "The file has no neighbourhoods in it"),
        (b"name,ons_ward_code\n,\n\n", "The file has no neighbourhoods in it"),
        (b"Castleton,E05000650\n", "The first line must be the column headings name,ons_ward_code"),
        (b"name\nCastleton\n", "The first line must be the column headings name,ons_ward_code"),
        (b"name,ons_ward_code,population\n", "The first line must be the column headings name,ons_ward_code"),
        (b"\nname,ons_ward_code\nCastleton,\n", "The first line must be the column headings name,ons_ward_code"),
    ],
)
def test_whole_file_problems(data, message):
    parsed = parse_neighbourhoods(data)
    assert not parsed.ok and parsed.rows == []
    assert len(parsed.problems) == 1
    assert parsed.problems[0].message.startswith(message)


def test_not_utf8_names_the_line():
    data = "name,ons_ward_code\nCastleton,\nCaf\xe9,\n".encode("latin-1")
    parsed = parse_neighbourhoods(data)
    assert problems(parsed) == [(3, "The file is not UTF-8 text. Save it as CSV UTF-8 and upload it again")]


def test_non_ascii_utf8_names_are_fine():
    parsed = parse_neighbourhoods(lines("name,ons_ward_code", "Llanfair Pwllgwyngyll \u2013 Môn,W05000001"))
    assert parsed.ok and parsed.rows[0].name == "Llanfair Pwllgwyngyll \u2013 Môn"


def test_control_characters_in_a_name():
    parsed = parse_neighbourhoods(lines("name,ons_ward_code", "Bad\x07Name,"))
    assert problems(parsed) == [(2, "Name must only contain letters, numbers, spaces and punctuation")]


def test_broken_quoting_is_reported_with_its_line():
    parsed = parse_neighbourhoods(lines("name,ons_ward_code", "Castleton,", '"Kirk"holt,', "Later,"))
    assert [p.line for p in parsed.problems] == [3]
    assert "quotation marks" in parsed.problems[0].message


def test_a_multi_line_quoted_name_keeps_later_line_numbers_right():
    parsed = parse_neighbourhoods(lines("name,ons_ward_code", '"North\nWard",', "South,bad"))
    assert [p.line for p in parsed.problems] == [4]


def test_row_limit():
    at_limit = lines("name,ons_ward_code", *(f"Ward {i}," for i in range(MAX_ROWS)))
    assert parse_neighbourhoods(at_limit).ok
    over = lines("name,ons_ward_code", *(f"Ward {i}," for i in range(MAX_ROWS + 1)))
    parsed = parse_neighbourhoods(over)
    assert [p.message for p in parsed.problems] == [
        "The file has more than 5,000 neighbourhoods. Split it into files of 5,000 or fewer"
    ]


def test_template_is_a_valid_heading_line():
    assert TEMPLATE == "name,ons_ward_code\r\n"
    assert parse_neighbourhoods((TEMPLATE + "Castleton,\r\n").encode()).ok


@pytest.mark.parametrize(
    "raw, cleaned", [(None, ""), ("  North   Ward ", "North Ward"), ("North\tWard\n", "North Ward")]
)
def test_clean_name(raw, cleaned):
    assert clean_name(raw) == cleaned


@pytest.mark.parametrize("raw, cleaned", [(None, None), ("", None), ("  ", None), (" e05000650 ", "E05000650")])
def test_clean_ward_code(raw, cleaned):
    assert clean_ward_code(raw) == cleaned


@pytest.mark.parametrize("code", ["E05000650", "W05000001", "S13002516", "N08000101", None])
def test_good_ward_codes(code):
    assert ward_code_problem(code) is None


@pytest.mark.parametrize("code", ["X05000650", "E0500065", "E050006500", "E0500065A", "05000650E"])
def test_bad_ward_codes(code):
    assert ward_code_problem(code) is not None


def test_name_rules():
    assert name_problem("") == "Enter a name"
    assert name_problem("x" * 200) is None
    assert name_problem("x" * 201) == "Name must be 200 characters or fewer"
