"""``rochdale tally FILE`` on generated BLT and Pabulib files, and ``rochdale audit verify``."""

from __future__ import annotations

import json
import random

import psycopg
import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo

from app import provision
from app.audit.operations import record_event
from app.cli import main
from app.voting.formats.blt import BltElection, write_blt
from app.voting.formats.pabulib import PabulibFile, dumps
from app.voting.methods.pb import ApprovalElection
from app.voting.tally import count_file
from tenants.context import council_context
from tests.voting.counting.elections import ranked_papers


def tally(*args: str):
    return CliRunner().invoke(main, ["tally", *map(str, args)])


@pytest.fixture
def blt_file(tmp_path):
    names = ["Ada Lovelace", "Grace Hopper", "Alan Turing", "Edsger Dijkstra", "Barbara Liskov"]
    keys = ["ada", "grace", "alan", "edsger", "barbara"]
    rename = dict(zip(keys, names, strict=True))
    papers = [[rename[k] for k in p] for p in ranked_papers(random.Random(2), 400)]
    path = tmp_path / "ward.blt"
    path.write_text(write_blt(BltElection.from_rankings(names, 2, papers, title="Ward 3")))
    return path


@pytest.fixture
def pb_file(tmp_path):
    rng = random.Random(4)
    costs = {"10": 40, "9": 25, "p-3": 15, "skate park": 30, "Z": 10}
    papers = [[p for p in costs if rng.random() < 0.4] for _ in range(300)]
    path = tmp_path / "youth.pb"
    path.write_text(dumps(PabulibFile.from_election(ApprovalElection.from_ballots(100, costs, papers))))
    return path


def test_json_output_has_method_winners_rounds_and_hash(blt_file):
    result = tally(blt_file, "--format", "json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)  # one object
    assert body["method"] == "stv"  # the default for BLT
    assert len(body["winners"]) == 2  # seats from the file
    assert set(body["winners"]) <= {"Ada Lovelace", "Grace Hopper", "Alan Turing", "Edsger Dijkstra", "Barbara Liskov"}
    assert body["rounds"][0]["action"] == "first preferences"
    assert body["sha256"] == count_file(blt_file).tally.sha256
    assert body["result"]["rules_version"].startswith("stv-scottish")


def test_pb_default_is_equal_shares_with_add1_and_cost_utility(pb_file):
    body = json.loads(tally(pb_file, "--format", "json").output)
    assert body["method"] == "mes-add1"
    assert body["result"]["utility"] == "cost" and body["result"]["details"]["completion"] == "add1"
    # ids exactly as written in the file, in the order selected
    assert body["winners"] == body["result"]["selected"]
    assert set(body["winners"]) <= {"10", "9", "p-3", "skate park", "Z"}


@pytest.mark.parametrize(
    ("args", "method"),
    [
        (["--method", "greedy"], "pb_greedy"),
        (["--method", "mes", "--utility", "approval"], "pb_equal_shares"),
        (["--method", "approval", "--seats", "2"], "approval"),
    ],
)
def test_other_pb_methods(pb_file, args, method):
    result = tally(pb_file, *args, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["result"]["method"] == method


@pytest.mark.parametrize("method", ["irv", "stv", "meek"])
def test_ranked_methods_and_seats_override(blt_file, method):
    seats = [] if method == "irv" else ["--seats", "3"]
    body = json.loads(tally(blt_file, "--method", method, *seats, "--format", "json").output)
    assert len(body["winners"]) == (1 if method == "irv" else 3)


def test_seed_makes_ties_a_published_lot(blt_file):
    body = json.loads(tally(blt_file, "--seed", "abc123", "--format", "json").output)
    assert body["result"]["tie_break"] == {"rule": "lot", "seed": "abc123"}


def test_table_output_is_round_by_round(blt_file, pb_file):
    result = tally(blt_file)
    assert result.exit_code == 0
    out = result.output
    assert "Stage" in out and "first preferences" in out and "Quota" in out
    assert "Winners:" in out and "SHA-256:" in out
    assert "Ada Lovelace" in out
    pb = tally(pb_file, "--method", "greedy").output
    assert "Step" in pb and "funded" in pb


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ('3 1\n1 1 2 0\n1 4 0\n0\n"A"\n"B"\n"C"\n', 3, "preference 4 is not a candidate"),
        ('3 1\n1 1 2\n0\n"A"\n"B"\n"C"\n', 2, "must end with 0"),
        ("x y\n", 1, "expected '<candidates> <seats>'"),
    ],
)
def test_malformed_blt_names_the_line_and_exits_2(tmp_path, text, line, problem):
    path = tmp_path / "bad.blt"
    path.write_text(text)
    result = tally(path)
    assert result.exit_code == 2
    assert f"line {line}: " in result.output and problem in result.output


def test_malformed_pb_names_the_line_and_exits_2(tmp_path):
    path = tmp_path / "bad.pb"
    path.write_text("META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\np1;ten\nVOTES\n")
    result = tally(path)
    assert result.exit_code == 2
    assert "line 7: " in result.output and "cost of project 'p1' is not a number" in result.output


def test_wrong_method_for_the_file_and_missing_file_exit_2(blt_file, pb_file, tmp_path):
    for args, words in [
        ([blt_file, "--method", "greedy"], "does not count ranked ballots"),
        ([pb_file, "--method", "stv"], "a .pb file holds PB votes"),
        ([pb_file, "--method", "mean"], "needs a cumulative .pb file"),
        ([pb_file, "--method", "approval"], "give --seats"),
        ([tmp_path / "nowhere.blt"], "no such file"),
    ]:
        result = tally(*args)
        assert result.exit_code == 2, result.output
        assert words in result.output


def test_file_type_is_sniffed_without_an_extension(blt_file, pb_file, tmp_path):
    for source, method in ((blt_file, "stv"), (pb_file, "mes-add1")):
        bare = tmp_path / f"copy-{method}"
        bare.write_bytes(source.read_bytes())
        body = json.loads(tally(bare, "--format", "json").output)
        assert body["method"] == method


def test_audit_verify_reports_ok_then_the_first_broken_link(app, committed_db, create_council, database_urls):
    council = create_council(slug="audit-cli")
    with council_context(council.id):
        for n in range(4):
            record_event("thing.done", "thing", n)
    committed_db.session.commit()
    runner = CliRunner()
    info = ScriptInfo(create_app=lambda: app)  # the command runs in the test app
    ok = runner.invoke(main, ["audit", "verify", "--council", "audit-cli"], obj=info)
    assert ok.exit_code == 0, ok.output
    assert ok.output.startswith("OK: 4 entries; head ")

    with psycopg.connect(provision.plain_url(database_urls["superuser"]), autocommit=True) as conn:
        conn.execute("ALTER TABLE audit_events DISABLE TRIGGER USER")
        try:
            conn.execute(
                "UPDATE audit_events SET payload = '{\"forged\": true}' WHERE council_id = %s AND seq = 3",
                (council.id,),
            )
        finally:
            conn.execute("ALTER TABLE audit_events ENABLE TRIGGER USER")
    broken = runner.invoke(main, ["audit", "verify", "--council", "audit-cli"], obj=info)
    assert broken.exit_code == 1
    assert "BROKEN at entry 3: entry 3 has been altered" in broken.output

    unknown = runner.invoke(main, ["audit", "verify", "--council", "nope"], obj=info)
    assert unknown.exit_code == 2
