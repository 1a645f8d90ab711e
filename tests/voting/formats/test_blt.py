"""BLT files: reading, writing, round trips and precise errors."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.voting.formats.blt import BltElection, BltError, parse_blt, read_blt, write_blt
from app.voting.methods.ranked import count_stv_scottish

SAMPLE = """\
4 2
-4
3 1 3 0
2 2 0
1 3 2 1 0
1 0
0
"Ada Lovelace"
"Grace Hopper"
"Alan Turing"
"Edsger Dijkstra"
"Ward 3 by-election"
"""


def test_reads_every_part_of_a_file():
    election = parse_blt(SAMPLE)
    assert election == BltElection(
        candidates=("Ada Lovelace", "Grace Hopper", "Alan Turing", "Edsger Dijkstra"),
        seats=2,
        ballots=((3, (1, 3)), (2, (2,)), (1, (3, 2, 1)), (1, ())),
        withdrawn=(4,),
        title="Ward 3 by-election",
    )


def test_writes_the_same_text_back():
    assert write_blt(parse_blt(SAMPLE)) == SAMPLE


def test_counts_use_names_as_written_and_strike_out_withdrawn():
    ballots = parse_blt(SAMPLE).ranked_ballots()
    assert ballots.candidates == ("Ada Lovelace", "Grace Hopper", "Alan Turing")
    assert ballots.withdrawn == ("Edsger Dijkstra",)
    assert ballots.total == 6 and ballots.empty == 1
    result = count_stv_scottish(ballots, 2)
    assert result.winners == ("Ada Lovelace", "Grace Hopper")


def test_comments_blank_lines_crlf_and_shared_name_lines_are_tolerated(tmp_path):
    text = '# exported by hand\r\n3 1\r\n\r\n2 1 2 0\r\n1 3 0\r\n0\r\n"A" "B"\r\n# the last one\r\n"C"\r\n'
    path = tmp_path / "ward.blt"
    path.write_bytes(("\ufeff" + text).encode())
    election = read_blt(path)
    assert election.candidates == ("A", "B", "C")
    assert election.title == ""
    assert election.ballots == ((2, (1, 2)), (1, (3,)))


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("", None, "the file is empty"),
        ("5\n", 1, "expected '<candidates> <seats>', got '5'"),
        ("5 x\n", 1, "expected '<candidates> <seats>', got '5 x'"),
        ("0 1\n0\n", 1, "there must be at least one candidate"),
        ("2 0\n0\n", 1, "there must be at least one seat"),
        ("5 2\n1 1 2 0\n1 2 0\n1 1 0\n1 3 0\n1 4 0\n1 9 0\n0\n", 7, "preference 9 is not a candidate (there are 5)"),
        ("3 1\n1 1=2 3 0\n0\n", 2, "equal preferences (1=2) are not supported"),
        ("3 1\n1 1 - 3 0\n0\n", 2, "skipped preferences ('-') are not supported"),
        ("3 1\n1 1 2\n0\n", 2, "a ballot line must end with 0"),
        ("3 1\n1\n0\n", 2, "a ballot line must end with 0"),
        ("3 1\n1 1 0 2 0\n0\n", 2, "text after the 0 that ends the ballot"),
        ("3 1\n1 2 2 0\n0\n", 2, "candidate 2 is ranked twice"),
        ("3 1\n0 1 0\n0\n", 2, "the ballot weight must be a positive whole number, got '0'"),
        ("3 1\n1.5 1 0\n0\n", 2, "the ballot weight must be a positive whole number, got '1.5'"),
        ("3 1\n2 1 x 0\n0\n", 2, "preference 'x' is not a candidate number"),
        ("3 1\n-4\n0\n", 2, "withdrawn candidate 4 is not a candidate (there are 3)"),
        ("3 1\n-1 -1\n0\n", 2, "candidate 1 is withdrawn twice"),
        ("3 1\n-a\n0\n", 2, "a withdrawn candidate is written as -<number>, got '-a'"),
        ("3 1\n1 1 0\n-2\n0\n", 3, "the ballot weight must be a positive whole number, got '-2'"),
        ("3 1\n1 1 0\n", 2, "the file ends before the line holding 0 that closes the ballots"),
        ('3 1\n0\n"A"\n"B"\n', 4, "the file names 2 of the 3 candidates"),
        ('3 1\n0\n"A"\n"B"\n"C"\n"T"\n"extra"\n', 7, "unexpected text after the title"),
        ('3 1\n0\n"A"\nB\n"C"\n', 4, "expected a name in double quotes, got 'B'"),
        ('3 1\n0\n"A"\n"B\n', 4, "a quoted name is not closed"),
        ('2 1\n0\n"A"\n""\n', 4, "candidate 2 has an empty name"),
        ('2 1\n0\n"A"\n"A"\n', 4, "candidates 1 and 2 are both named 'A'"),
    ],
)
def test_malformed_files_name_the_line_and_the_problem(text, line, problem):
    with pytest.raises(BltError) as raised:
        parse_blt(text)
    assert raised.value.line == line
    assert raised.value.problem == problem
    assert str(raised.value) == (f"line {line}: {problem}" if line else problem)


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "bad.blt"
    path.write_bytes(b'1 1\n1 1 0\n0\n"\xff"\n')
    with pytest.raises(BltError, match="not UTF-8"):
        read_blt(path)


@pytest.mark.parametrize(
    "bad",
    [
        {"candidates": ('Say "hi"',)},
        {"title": "two\nlines"},
        {"candidates": ("A", "A")},
        {"seats": 0},
        {"ballots": ((0, (1,)),)},
        {"ballots": ((1, (2,)),)},
        {"withdrawn": (3,)},
    ],
)
def test_elections_that_cannot_be_written_are_refused(bad):
    fields = {"candidates": ("A",), "seats": 1, "ballots": ((1, (1,)),), "withdrawn": (), "title": "T"} | bad
    with pytest.raises(BltError):
        BltElection(**fields)


def test_papers_from_the_app_are_merged_when_written():
    election = BltElection.from_rankings(["A", "B"], 1, [("B", "A"), ("A",), ("B", "A")], title="Youth forum")
    assert election.ballots == ((2, (2, 1)), (1, (1,)))
    assert write_blt(election) == '2 1\n2 2 1 0\n1 1 0\n0\n"A"\n"B"\n"Youth forum"\n'
    with pytest.raises(BltError, match="'C', who is not a candidate"):
        BltElection.from_rankings(["A"], 1, [("C",)])


name = st.text(
    alphabet=st.characters(blacklist_characters='"\n\r', blacklist_categories=("Cs",)), min_size=1, max_size=12
)


@st.composite
def elections(draw):
    names = draw(st.lists(name, min_size=1, max_size=7, unique=True))
    n = len(names)
    prefs = st.permutations(range(1, n + 1)).flatmap(lambda p: st.integers(0, n).map(lambda k: tuple(p[:k])))
    ballots = draw(st.lists(st.tuples(st.integers(1, 10**6), prefs), max_size=30))
    withdrawn = draw(st.lists(st.integers(1, n), unique=True, max_size=n))
    title = draw(st.text(alphabet=st.characters(blacklist_characters='"\n\r', blacklist_categories=("Cs",))))
    return BltElection(tuple(names), draw(st.integers(1, 5)), tuple(ballots), tuple(withdrawn), title)


@settings(max_examples=200, deadline=None)
@given(election=elections())
def test_write_then_read_gives_identical_data(election):
    assert parse_blt(write_blt(election)) == election
