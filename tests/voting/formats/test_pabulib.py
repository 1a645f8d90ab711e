import random
from fractions import Fraction

import pytest
from pabutools.election.pabulib import (
    election_as_pabulib_string,
    parse_pabulib,
    parse_pabulib_from_string,
    write_pabulib,
)

from app.voting.formats.pabulib import (
    PabulibError,
    PabulibFile,
    dumps,
    format_amount,
    loads,
    parse_amount,
    read,
    write,
)
from app.voting.methods.pb import ApprovalElection, equal_shares
from tests.voting.methods.pb_instances import pabutools_of, random_instance

SAMPLE = """\ufeffMETA
key;value
description;Youth services budget
country;United Kingdom
unit;Rochdale
instance;2026
num_projects;3
num_votes;4
budget;100000,5
vote_type;approval
rule;equal_shares
min_length;1
max_length;3
council_reference;"RB;2026/7"
PROJECTS
project_id;cost;name;category;target;ward
1;50000;"Skate park; lights";sport,youth;teenagers;Central
2;30000.25;Library hours;culture;None;North
10;99999;"Say ""hello"" bus";transport;elderly;South

VOTES
voter_id; age; sex; vote; voting_method
v1; 34; m; 1,2,10; internet
v2; 28; f; 2; paper
v3; 41; f; ; internet
v4; 19; m; 10, 1; internet
"""


def test_reads_sections_quotes_spaces_and_unknown_columns():
    pb = loads(SAMPLE)
    assert pb.budget == Fraction(2000010, 20)
    assert pb.vote_type == "approval"
    assert pb.meta["description"] == "Youth services budget"
    assert pb.meta["council_reference"] == "RB;2026/7"
    assert list(pb.projects) == ["1", "2", "10"]
    assert pb.projects["2"].cost == Fraction(3000025, 100)
    assert pb.projects["1"].fields["name"] == "Skate park; lights"
    assert pb.projects["10"].fields["name"] == 'Say "hello" bus'
    assert pb.projects["2"].fields["target"] == "None"
    assert pb.project_columns == ["project_id", "cost", "name", "category", "target", "ward"]
    assert [v.vote for v in pb.votes] == [("1", "2", "10"), ("2",), (), ("10", "1")]
    assert pb.votes[1].fields == {"voter_id": "v2", "age": "28", "sex": "f", "vote": "2", "voting_method": "paper"}
    election = pb.approval_election()
    assert election.n_voters == 4
    assert election.approvals() == {"1": 2, "2": 2, "10": 2}


def test_the_description_row_with_a_stray_separator_is_refused():
    # "description;Youth services budget; Rochdale" has three fields: only trailing empty ones are allowed.
    with pytest.raises(PabulibError) as caught:
        loads(SAMPLE.replace("description;Youth services budget", "description;Youth services budget; Rochdale"))
    assert caught.value.line == 3
    assert "META row has 3 fields" in str(caught.value)


def test_round_trip_is_faithful(tmp_path):
    pb = loads(SAMPLE)
    text = dumps(pb)
    again = loads(text)
    assert again == pb
    assert dumps(again) == text
    assert 'council_reference;"RB;2026/7"' in text
    assert '"Say ""hello"" bus"' in text
    write(pb, tmp_path / "youth.pb")
    assert read(tmp_path / "youth.pb") == pb


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        (("META\n", "PROJECTS\n", 1), 1, "section PROJECTS found where META was expected"),
        (("budget;100000,5", "budget;lots", 1), 9, "budget is not a number: 'lots'"),
        (("budget;100000,5", "budget;-5", 1), 9, "budget must not be negative"),
        (("budget;100000,5\n", "", 1), 20, "META has no budget"),
        (("vote_type;approval", "vote_type;ranked", 1), 10, "unknown vote_type 'ranked'"),
        (("rule;equal_shares", "rule;equal_shares;x", 1), 11, "META row has 3 fields; the header has 2"),
        (("country;United Kingdom", "unit;x", 1), 5, "META key 'unit' appears twice"),
        (("num_votes;4", "num_votes;5", 1), 8, "num_votes says 5 but the file has 4 votes"),
        (("num_projects;3", "num_projects;three", 1), 7, "num_projects is not a whole number"),
        (("project_id;cost;", "project_id;price;", 1), 16, "PROJECTS header lacks cost"),
        (("2;30000.25", "1;30000.25", 1), 18, "project '1' appears twice"),
        (("2;30000.25", "2;30 000", 1), 18, "cost of project '2' is not a number"),
        (("2;30000.25;Library hours;", "2;30000.25;", 1), 18, "PROJECTS row has 5 fields; the header has 6"),
        (("v2; 28; f; 2;", "v1; 28; f; 2;", 1), 24, "voter 'v1' appears twice"),
        (("v2; 28; f; 2;", "v2; 28; f; 7;", 1), 24, "voter 'v2' votes for unknown project '7'"),
        (("v2; 28; f; 2;", "v2; 28; f; 2,2;", 1), 24, "voter 'v2' names a project twice"),
        (("voter_id; age; sex; vote", "voter_id; age; sex; ballot", 1), 22, "VOTES header lacks vote"),
        (('"RB;2026/7"', '"RB;2026/7', 1), 14, "(the row runs on to line 17: is a quote left open?)"),
    ],
)
def test_malformed_files_name_the_line_and_the_problem(change, line, message):
    old, new, count = change
    assert old in SAMPLE
    with pytest.raises(PabulibError) as caught:
        loads(SAMPLE.replace(old, new, count))
    if line is not None:
        assert caught.value.line == line
    assert message in str(caught.value)


def test_a_file_without_votes_is_refused():
    with pytest.raises(PabulibError, match="the file ends before VOTES"):
        loads(SAMPLE[: SAMPLE.index("VOTES")])
    with pytest.raises(PabulibError, match="the file ends before the VOTES header"):
        loads(SAMPLE[: SAMPLE.index("voter_id")])


def test_a_quoted_value_may_span_lines():
    pb = loads(SAMPLE.replace('"Skate park; lights"', '"Skate park;\nlights"'))
    assert pb.projects["1"].fields["name"] == "Skate park;\nlights"
    assert loads(dumps(pb)) == pb


def test_choose_one_allows_one_project():
    text = SAMPLE.replace("vote_type;approval", "vote_type;choose-1")
    with pytest.raises(PabulibError, match="line 23: voter 'v1' chooses 3 projects"):
        loads(text)


OTHER_TYPES = """META
key;value
description;d
num_projects;3
num_votes;3
budget;10
vote_type;{vote_type}
PROJECTS
project_id;cost
a;4
b;5
c;6
VOTES
voter_id;vote;points
1;c,a,b;{p1}
2;b;{p2}
3;a;{p3}
"""


@pytest.mark.parametrize(
    ("vote_type", "p1", "p2"),
    [("ordinal", "", ""), ("cumulative", "5,3,2", "10"), ("scoring", "2.5,-1,0", "3")],
)
def test_reads_other_vote_types_as_pabutools_does(vote_type, p1, p2):
    text = OTHER_TYPES.format(vote_type=vote_type, p1=p1, p2=p2, p3="" if vote_type == "ordinal" else "1")
    pb = loads(text)
    instance, profile = parse_pabulib_from_string(text)
    assert {p.name: p.cost for p in instance} == {p.project_id: p.cost for p in pb.projects.values()}
    if vote_type == "ordinal":
        assert [list(v.vote) for v in pb.votes] == [[p.name for p in b] for b in profile]
        assert pb.votes[0].points is None
    else:
        ours = [dict(zip(v.vote, v.points, strict=True)) for v in pb.votes]
        assert ours == [{p.name: Fraction(str(s)) for p, s in b.items()} for b in profile]
    assert loads(dumps(pb)) == pb
    with pytest.raises(PabulibError, match="no approval ballots"):
        pb.approval_election()


def test_points_must_match_the_projects():
    text = OTHER_TYPES.format(vote_type="cumulative", p1="5,3", p2="10", p3="1")
    with pytest.raises(PabulibError, match="line 15: voter '1' has 3 projects but 2 points"):
        loads(text)


@pytest.mark.parametrize(
    ("text", "amount"), [("12", 12), ("12.5", Fraction(25, 2)), ("12,5", Fraction(25, 2)), ("7/2", Fraction(7, 2))]
)
def test_amounts(text, amount):
    assert parse_amount(text, "x") == amount


@pytest.mark.parametrize(
    ("amount", "text"),
    [(Fraction(12), "12"), (Fraction(25, 2), "12.5"), (Fraction(1, 3), "1/3"), (Fraction(1, 40), "0.025")],
)
def test_amounts_are_written_exactly(amount, text):
    assert format_amount(amount) == text
    assert parse_amount(text, "x") == amount


def _ballots_of(profile):
    return [frozenset(p.name for p in ballot) for ballot in profile]


@pytest.mark.parametrize("seed", range(40))
def test_our_files_read_the_same_in_pabutools(seed):
    budget, costs, ballots = random_instance(random.Random(seed))
    election = ApprovalElection.from_ballots(budget, costs, ballots)
    names = {p: f"Project {p}; phase {i}" for i, p in enumerate(costs)}
    pb = PabulibFile.from_election(
        election,
        meta={"description": "Generated", "country": "UK", "unit": "Rochdale", "instance": str(seed), "extra": "kept"},
        project_fields={p: {"name": n} for p, n in names.items()},
    )
    text = dumps(pb)
    instance, profile = parse_pabulib_from_string(text)
    assert instance.budget_limit == budget
    assert {p.name: p.cost for p in instance} == costs
    assert {p.name: instance.project_meta[p]["name"] for p in instance} == names
    assert sorted(map(sorted, _ballots_of(profile))) == sorted(map(sorted, ballots))
    assert instance.meta["extra"] == "kept"
    again = loads(text)
    assert again == pb
    assert again.approval_election().approvals() == election.approvals()
    assert equal_shares(again.approval_election()).selected == equal_shares(election).selected


@pytest.mark.parametrize("seed", range(40))
def test_pabutools_files_read_the_same_here(seed):
    budget, costs, ballots = random_instance(random.Random(seed))
    instance, profile = pabutools_of(budget, costs, ballots)
    text = election_as_pabulib_string(instance, profile)
    pb = loads(text)
    assert pb.budget == budget
    assert {p.project_id: p.cost for p in pb.projects.values()} == costs
    theirs = parse_pabulib_from_string(text)[1]
    assert [frozenset(v.vote) for v in pb.votes] == _ballots_of(theirs)
    assert sorted(map(sorted, (v.vote for v in pb.votes))) == sorted(map(sorted, ballots))
    assert loads(dumps(pb)) == pb


def test_files_written_by_pabutools_read_here_and_back(tmp_path):
    budget, costs, ballots = random_instance(random.Random(99))
    instance, profile = pabutools_of(budget, costs, ballots)
    write_pabulib(instance, profile, str(tmp_path / "theirs.pb"))  # UTF-8 with a byte-order mark
    pb = read(tmp_path / "theirs.pb")
    assert pb.budget == budget
    write(pb, tmp_path / "ours.pb")
    instance_again, profile_again = parse_pabulib(str(tmp_path / "ours.pb"))
    assert {p.name: p.cost for p in instance_again} == costs
    assert _ballots_of(profile_again) == _ballots_of(profile)


@pytest.mark.parametrize("project", ["a,b", " a", "a "])
def test_ids_that_would_not_read_back_are_refused(project):
    pb = PabulibFile.from_election(ApprovalElection.from_ballots(5, {project: 1}, [{project}]))
    with pytest.raises(PabulibError, match="cannot be written"):
        dumps(pb)
