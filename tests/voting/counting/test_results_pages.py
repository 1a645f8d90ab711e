"""Results pages and downloads: who sees what when, the accessible chart, safe and faithful downloads."""

from __future__ import annotations

import csv
import io
import json
import random
import re

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.voting.counting import current_result, run_count
from app.voting.formats.blt import parse_blt
from app.voting.formats.pabulib import loads as parse_pb
from app.voting.models import BallotKind, BallotStatus
from app.voting.tally import count_file
from tenants.context import council_context
from tests.voting.counting.elections import CANDIDATES, ranked_papers
from tests.voting.counting.web import send, session_client, staff

PROJECTS = [("alpha", '=HYPERLINK("http://evil")', 6000), ("beta", "Beta garden", 4000), ("gamma", "+Gamma hall", 4000)]
PB_PAPERS = [["alpha", "beta"]] * 6 + [["gamma"]] * 4


def _url(council, ballot, suffix=""):
    return f"/c/{council.slug}/ballots/{ballot.id}/results{suffix}"


@pytest.fixture
def people(create_council, create_user, grant_role):
    return staff(create_council, create_user, grant_role)


@pytest.fixture
def counted_stv(people, make_ballot):
    with council_context(people.council.id):
        made = make_ballot(
            BallotKind.RANKED,
            "stv",
            CANDIDATES,
            {"seats": 2},
            ranked_papers(random.Random(9), 120),
            electorate_size=200,
        )
        run_count(made.ballot.id)
    return made


def _publish(db, made):
    with council_context(made.ballot.council_id):
        made.ballot.status = BallotStatus.PUBLISHED
        db.session.flush()


def test_a_counted_result_is_for_officers_until_published(app, db, people, counted_stv):
    council, ballot = people.council, counted_stv.ballot
    anonymous = app.test_client()
    assert anonymous.get(_url(council, ballot)).status_code == 404
    assert anonymous.get(_url(council, ballot, "/result.json")).status_code == 404
    officer = session_client(app, people.admin.id)
    page = officer.get(_url(council, ballot))
    assert page.status_code == 200
    assert "not published yet" in page.get_data(as_text=True)

    _publish(db, counted_stv)
    page = anonymous.get(_url(council, ballot))
    assert page.status_code == 200
    assert "not published yet" not in page.get_data(as_text=True)


def test_another_councils_ballot_is_a_404(app, db, people, counted_stv, create_council):
    _publish(db, counted_stv)
    other = create_council()
    client = session_client(app, people.admin.id)
    assert client.get(f"/c/{other.slug}/ballots/{counted_stv.ballot.id}/results").status_code == 404


def test_ranked_results_page_has_winners_an_accessible_chart_beside_its_table_and_the_stages(
    app, db, people, counted_stv
):
    _publish(db, counted_stv)
    with council_context(people.council.id):
        body = json.loads(current_result(counted_stv.ballot).document)
    html = app.test_client().get(_url(people.council, counted_stv.ballot)).get_data(as_text=True)
    names = dict(CANDIDATES)
    for winner in body["winners"]:
        assert names[winner] in html
    svg = re.search(r"<svg[^>]*>.*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg
    labelled = re.search(r'aria-labelledby="([^"]+) ([^"]+)"', svg)
    assert f'<title id="{labelled.group(1)}">' in svg and f'<desc id="{labelled.group(2)}">' in svg
    assert "elected" in svg  # meaning in words, not colour alone
    # The same figures as a table, in the column beside the chart.
    row = html[html.index("<svg") :]
    beside = row[row.index("</svg>") : row.index("</svg>") + 3000]
    assert "govuk-grid-column-one-half" in beside and "<table" in beside
    assert "First-preference votes" in beside
    # The round-by-round table: a column per stage, quota and non-transferable rows.
    assert "Votes at each stage of the count" in html
    for stage in body["rounds"]:
        assert f"Stage {stage['stage']}</th>" in html
    assert "Non-transferable" in html and "Quota" in html
    assert current_sha(people, counted_stv) in html
    assert "rochdale tally" in html and "--method stv" in html
    # Turnout reads as one sentence, with its spaces, in either language.
    assert "60.0% (120 papers from an electorate of 200)" in html
    welsh = app.test_client().get(_url(people.council, counted_stv.ballot), headers={"Accept-Language": "cy"})
    assert "60.0% (120 o bapurau o blith 200 o etholwyr)" in welsh.get_data(as_text=True)


def current_sha(people, made):
    with council_context(people.council.id):
        return current_result(made.ballot).sha256


def test_json_download_is_the_hashed_document_byte_for_byte(app, db, people, counted_stv):
    _publish(db, counted_stv)
    response = app.test_client().get(_url(people.council, counted_stv.ballot, "/result.json"))
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    with council_context(people.council.id):
        stored = current_result(counted_stv.ballot)
    assert response.data == stored.document.encode("utf-8")
    import hashlib

    assert hashlib.sha256(response.data).hexdigest() == stored.sha256


def test_blt_download_parses_back_and_recounts_to_the_published_hash(app, db, people, counted_stv, tmp_path):
    _publish(db, counted_stv)
    response = app.test_client().get(_url(people.council, counted_stv.ballot, "/ballots.blt"))
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    election = parse_blt(text)
    assert sum(w for w, _ in election.ballots) == 120
    path = tmp_path / "papers.blt"
    path.write_text(text)
    assert count_file(path).tally.sha256 == current_sha(people, counted_stv)
    # No receipt hashes and no dates anywhere in any paper export.
    for suffix in ("/ballots.blt", "/ballots.csv"):
        body = app.test_client().get(_url(people.council, counted_stv.ballot, suffix)).get_data(as_text=True)
        assert not re.search(r"[0-9a-f]{64}", body) and "2027" not in body


@pytest.fixture
def counted_pb(people, make_ballot):
    with council_context(people.council.id):
        made = make_ballot(
            BallotKind.PB,
            "mes",
            PROJECTS,
            {"budget_pence": 10000, "utility": "cost"},
            PB_PAPERS,
            title="Youth budget",
        )
        run_count(made.ballot.id)
        made.ballot.status = BallotStatus.PUBLISHED
        made.ballot.published_at = made.ballot.created_at
        from app.extensions import db

        db.session.flush()
    return made


def test_csv_downloads_guard_against_formulas(app, db, people, counted_pb):
    client = app.test_client()
    result = client.get(_url(people.council, counted_pb.ballot, "/result.csv")).get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(result)))
    titles = {row[0]: row[1] for row in rows[1:]}
    assert titles["alpha"] == '\'=HYPERLINK("http://evil")'
    assert titles["gamma"] == "'+Gamma hall"
    assert titles["beta"] == "Beta garden"
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    papers = list(
        csv.reader(
            io.StringIO(client.get(_url(people.council, counted_pb.ballot, "/ballots.csv")).get_data(as_text=True))
        )
    )
    assert papers[0] == ["paper", "alpha", "beta", "gamma"]
    assert len(papers) == 1 + len(PB_PAPERS)


def test_pb_download_parses_back_and_recounts_to_the_published_hash(app, db, people, counted_pb, tmp_path):
    text = app.test_client().get(_url(people.council, counted_pb.ballot, "/ballots.pb")).get_data(as_text=True)
    pb = parse_pb(text)
    assert pb.meta["vote_type"] == "approval" and len(pb.votes) == len(PB_PAPERS)
    assert pb.projects["alpha"].fields["name"] == '=HYPERLINK("http://evil")'
    path = tmp_path / "papers.pb"
    path.write_text(text)
    assert count_file(path, method="mes").tally.sha256 == current_sha(people, counted_pb)


def test_equal_shares_page_compares_with_greedy_and_explains_each_difference(app, db, people, counted_pb):
    html = app.test_client().get(_url(people.council, counted_pb.ballot)).get_data(as_text=True)
    assert "What greedy would have funded" in html
    assert "Greedy funds the most popular projects first" in html
    assert "Equal Shares gives each voter an equal share of the budget" in html
    # Equal Shares funds alpha and gamma; greedy funds alpha and beta.
    assert "Equal Shares funds +Gamma hall because its 4 supporters could pay for it together" in html
    assert "Greedy funds Beta garden because it is popular (6 votes" in html
    assert "rochdale-chart" in html and "funded" in html


def test_receipts_page_lists_every_papers_receipt_hash_sorted(app, db, people, counted_stv):
    _publish(db, counted_stv)
    html = app.test_client().get(_url(people.council, counted_stv.ballot, "/receipts")).get_data(as_text=True)
    listed = re.findall(r"<li>([0-9a-f]{64})</li>", html)
    assert listed == sorted(counted_stv.receipt_hashes)
    assert app.test_client().get(_url(people.council, counted_stv.ballot, "/receipts?page=2")).status_code == 404


def test_publish_lifecycle_from_the_count_page(app, db, people, make_ballot):
    with council_context(people.council.id):
        made = make_ballot(BallotKind.RANKED, "irv", CANDIDATES, {"seats": 1}, ranked_papers(random.Random(3), 30))
    officer = session_client(app, people.admin.id)
    base = f"/c/{people.council.slug}/ballots/manage/{made.ballot.id}"
    page = officer.get(f"{base}/count")
    assert page.status_code == 200 and "Run the count" in page.get_data(as_text=True)
    # Not counted yet: nothing to publish.
    assert send(officer, "POST", f"{base}/publish").status_code == 409

    response = send(officer, "POST", f"{base}/count/run")
    assert response.status_code == 302
    from workers.models import JobRun, OutboxJob

    job = db.session.scalar(select(OutboxJob).where(OutboxJob.job_id.like(f"voting-count-%-{made.ballot.id}-%")))
    assert job is not None and job.queue == "reports" and job.args == [made.ballot.id]
    with council_context(people.council.id):
        assert db.session.scalar(select(JobRun).where(JobRun.job_id == job.job_id)).status.value == "queued"
        run_count(made.ballot.id)  # what the job does
    assert made.ballot.status is BallotStatus.COUNTED
    assert "Publish the result" in officer.get(f"{base}/count").get_data(as_text=True)
    assert app.test_client().get(_url(people.council, made.ballot)).status_code == 404

    assert officer.get(f"{base}/publish").status_code == 200
    response = send(officer, "POST", f"{base}/publish")
    assert response.status_code == 302
    with council_context(people.council.id):
        db.session.refresh(made.ballot)
        assert made.ballot.status is BallotStatus.PUBLISHED and made.ballot.published_at is not None
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "ballot.published"))
        assert event.payload["sha256"] == current_result(made.ballot).sha256
        assert event.actor_user_id == people.admin.id
    assert app.test_client().get(_url(people.council, made.ballot)).status_code == 200
    # Published is final.
    assert send(officer, "POST", f"{base}/publish").status_code == 409


def test_the_count_button_is_refused_for_an_open_ballot_and_for_unfinished_paper_entries(app, db, people, make_ballot):
    with council_context(people.council.id):
        made = make_ballot(BallotKind.RANKED, "irv", CANDIDATES, {"seats": 1}, [["ada"]], status=BallotStatus.OPEN)
        base = f"/c/{people.council.slug}/ballots/manage/{made.ballot.id}"
        admin_id = people.admin.id
        db.session.commit()  # the view rolls back its refusal; keep the test's rows
    officer = session_client(app, admin_id)
    response = send(officer, "POST", f"{base}/count/run")
    assert response.status_code == 409 and "Only a closed ballot can be counted" in response.get_data(as_text=True)


def test_officers_of_other_modules_and_residents_cannot_run_the_count(
    app, db, people, make_ballot, create_user, grant_role
):
    from app.auth.models import Role

    with council_context(people.council.id):
        made = make_ballot(BallotKind.RANKED, "irv", CANDIDATES, {"seats": 1}, [["ada"]], module="housing")
    resident, officer = create_user(), create_user()
    grant_role(resident, people.council, Role.RESIDENT)
    grant_role(officer, people.council, Role.OFFICER, ("youth",))
    base = f"/c/{people.council.slug}/ballots/manage/{made.ballot.id}"
    for person in (resident, officer):
        client = session_client(app, person.id)
        assert client.get(f"{base}/count").status_code == 403
        assert send(client, "POST", f"{base}/count/run").status_code == 403
    assert app.test_client().get(f"{base}/count").status_code == 302  # sign in first


def test_receipts_come_a_page_at_a_time_and_every_hash_is_on_some_page(app, db, people, make_ballot, monkeypatch):
    from app.voting import results_views

    monkeypatch.setattr(results_views, "RECEIPTS_PER_PAGE", 10)
    with council_context(people.council.id):
        made = make_ballot(BallotKind.RANKED, "irv", CANDIDATES, {"seats": 1}, ranked_papers(random.Random(1), 25))
        run_count(made.ballot.id)
    _publish(db, made)
    client = app.test_client()
    seen = []
    for page in (1, 2, 3):
        html = client.get(_url(people.council, made.ballot, f"/receipts?page={page}")).get_data(as_text=True)
        seen += re.findall(r"<li>([0-9a-f]{64})</li>", html)
    assert seen == sorted(made.receipt_hashes)
    assert client.get(_url(people.council, made.ballot, "/receipts?page=4")).status_code == 404
