"""Emails when a youth phase opens and when results are announced: real worker, real SMTP server, unsubscribe."""

from __future__ import annotations

from datetime import timedelta
from email import message_from_bytes, policy

from sqlalchemy import select

from app.residents import profiles
from app.residents.models import ConsentKind
from app.voting import timing
from app.youth import notify, voting
from app.youth.models import Phase, VoteKind
from tenants.context import council_context
from tenants.features import set_module_enabled
from tests.fixtures.sessions import post
from tests.workers.conftest import redis_conn, run_jobs, smtp_server  # noqa: F401  (fixtures)
from tests.youth.conftest import build_round, finish_ballot, make_voter, reviewed_round
from workers.enqueue import enqueue_after_commit
from workers.jobs.youth import announce_youth_phases
from workers.models import OutboxJob


def _messages(sink):
    return [
        (envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)) for envelope in sink.envelopes
    ]


def test_opening_voting_emails_residents_who_opted_in_with_a_working_unsubscribe(
    committed_db,
    world,
    in_council,
    client_for,
    run_jobs,  # noqa: F811
    smtp_server,  # noqa: F811
):
    db = committed_db
    keen = make_voter(world, contact=True)
    make_voter(world, contact=False)  # did not ask: gets nothing
    round_, _proposals = reviewed_round(world)
    officer = client_for(world.officer)
    assert post(officer, f"{world.prefix}/manage/{round_.id}/voting", {"vote_kind": "pb"}).status_code == 302
    assert smtp_server.envelopes == []  # nothing before a worker runs

    run_jobs()

    messages = _messages(smtp_server)
    assert [to for to, _m in messages] == [[keen.email]]
    message = messages[0][1]
    assert "voting phase has started" in message["Subject"]
    link = message["List-Unsubscribe"].strip("<>")
    body = message.get_content()
    assert link in body and f"/youth/{round_.id}" in body

    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = link.split("://", 1)[1].split("/", 1)[1]
    # Following the link (as a mail scanner would) only asks; nothing changes.
    page = client_for(None).get(f"/{path}")
    assert page.status_code == 200 and "Stop youth service emails?" in page.get_data(as_text=True)
    with council_context(world.council.id):
        assert profiles.has_consent(profiles.profile_for(keen.id), ConsentKind.CONTACT)
    # The mail client's one-click POST (no cookies, no CSRF token) stops the emails.
    stopped = client_for(None).post(f"/{path}", data={"List-Unsubscribe": "One-Click"})
    assert stopped.status_code == 200 and "not get any more" in stopped.get_data(as_text=True)
    with council_context(world.council.id):
        assert not profiles.has_consent(profiles.profile_for(keen.id), ConsentKind.CONTACT)
    assert client_for(None).post(f"{world.prefix}/unsubscribe/forged.token").status_code == 404
    assert client_for(None).get(f"{world.prefix}/unsubscribe/forged.token").status_code == 404

    # The same notification again is the same job: nobody gets it twice.
    with council_context(world.council.id):
        notify.notify(round_, "voting")
        db.session.commit()
    run_jobs()
    assert len(smtp_server.envelopes) == 1
    assert db.session.scalar(select(OutboxJob.job_id).where(OutboxJob.func_name.contains("send_round"))) is not None


def test_announcing_results_emails_once_every_ballot_is_published(
    committed_db,
    world,
    in_council,
    client_for,
    run_jobs,  # noqa: F811
    smtp_server,  # noqa: F811
):
    db = committed_db
    round_, proposals = reviewed_round(world)
    with council_context(world.council.id):
        voting.open_voting(round_, vote_kind=VoteKind.PB, by=world.officer)
        db.session.commit()
        ballots = {n: b.id for n, b in voting.round_ballots(round_).items()}
    keen = make_voter(world, contact=True)
    officer = client_for(world.officer)
    url = f"{world.prefix}/manage/{round_.id}/announce-results"
    early = post(officer, url)
    assert early.status_code == 303
    run_jobs()
    assert smtp_server.envelopes == []

    finish_ballot(world, ballots[world.neighbourhoods[0].id], [(keen, [f"youth-{proposals[0].id}"])])
    other = make_voter(world, neighbourhood=1)
    finish_ballot(world, ballots[world.neighbourhoods[1].id], [(other, [f"youth-{proposals[3].id}"])])
    assert post(officer, url).status_code == 302
    run_jobs()
    messages = _messages(smtp_server)
    assert [to for to, _m in messages] == [[keen.email]]
    assert "Results of" in messages[0][1]["Subject"]
    assert messages[0][1]["List-Unsubscribe"]
    assert post(officer, url).status_code == 303  # announced once only
    assert post(client_for(world.residents[0]), url).status_code == 403


def test_a_phase_that_begins_on_its_date_is_announced_once_by_the_periodic_job(
    committed_db,
    world,
    in_council,
    run_jobs,  # noqa: F811
    smtp_server,  # noqa: F811
):
    db = committed_db
    keen = make_voter(world, contact=True)
    build_round(world, Phase.REVIEW, title="In review since yesterday")
    build_round(world, Phase.VOTING, title="Voting by date")  # waits for the officer to open the ballots
    overridden = build_round(world, Phase.REVIEW, title="Held by an officer")
    stale = build_round(world, Phase.REVIEW, title="In review for a month")
    today = timing.today()
    with council_context(world.council.id):
        overridden.phase_override = Phase.REVIEW
        stale.proposals_open_on, stale.review_opens_on = today - timedelta(days=40), today - timedelta(days=30)
        enqueue_after_commit(announce_youth_phases, council_id=world.council.id)
        db.session.commit()
    run_jobs()

    messages = _messages(smtp_server)
    assert [to for to, _m in messages] == [[keen.email]]
    assert "In review since yesterday" in messages[0][1].get_content()

    # Every later run finds the same phase already announced: one job per round and phase.
    with council_context(world.council.id):
        assert notify.announce_phases_begun(today) == [(_round_id(db, "In review since yesterday"), "review")]
        db.session.commit()
    run_jobs()
    assert len(smtp_server.envelopes) == 1


def test_the_phase_job_does_nothing_where_the_youth_module_is_off(
    committed_db,
    world,
    in_council,
    run_jobs,  # noqa: F811
    smtp_server,  # noqa: F811
):
    make_voter(world, contact=True)
    build_round(world, Phase.REVIEW)
    with council_context(world.council.id):
        set_module_enabled("youth", False)
        enqueue_after_commit(announce_youth_phases, council_id=world.council.id)
        committed_db.session.commit()
    run_jobs()
    assert smtp_server.envelopes == []


def _round_id(db, title: str) -> int:
    from app.youth.models import YouthRound

    return db.session.scalar(select(YouthRound.id).where(YouthRound.title == title))
