"""Commissioning funded youth services, tracking delivery, the public progress page and council figures."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.voting import timing
from app.youth import delivery, voting
from app.youth.models import CommissionStatus, VoteKind, YouthCommission, YouthDeliveryRecord, YouthProvider
from app.youth.operations import YouthError, save_provider
from tenants.context import council_context
from tests.fixtures.sessions import post
from tests.youth.conftest import finish_ballot, make_voter, reviewed_round


def funded_round(world):
    """A round whose first neighbourhood's PB vote is published: all three of its proposals funded."""
    round_, proposals = reviewed_round(world)
    with council_context(world.council.id):
        voting.open_voting(round_, vote_kind=VoteKind.PB, by=world.officer)
        provider = save_provider(None, name="Brixton Youth Trust", by=world.officer)
        db.session.commit()
        ballot_id = voting.round_ballots(round_)[world.neighbourhoods[0].id].id
        provider_id = provider.id
    papers = [(make_voter(world), [f"youth-{p.id}" for p in proposals[:2]]) for _ in range(3)]
    papers += [(make_voter(world), [f"youth-{proposals[2].id}"]) for _ in range(2)]
    finish_ballot(world, ballot_id, papers)
    return round_, proposals, provider_id


def test_commission_track_and_cancel(world, in_council):
    round_, proposals, provider_id = funded_round(world)
    funded = voting.funded_proposals(round_)
    assert funded
    first = funded[0]
    row = delivery.commission(round_, first, provider_id=provider_id, by=world.officer)
    assert row.status is CommissionStatus.COMMISSIONED
    db.session.commit()
    with pytest.raises(delivery.DeliveryConflict):
        delivery.commission(round_, first, provider_id=provider_id, by=world.officer)
    db.session.rollback()
    row = db.session.scalar(select(YouthCommission))
    # Not funded (the second neighbourhood's ballot is not published): refused.
    with pytest.raises(delivery.DeliveryConflict):
        delivery.commission(round_, proposals[3], provider_id=provider_id, by=world.officer)
    yesterday = timing.today() - timedelta(days=1)
    delivery.record_sessions(row, held_on=yesterday, sessions=2, attendance=31, by=world.officer)
    assert row.status is CommissionStatus.IN_DELIVERY
    delivery.record_sessions(row, held_on=yesterday.replace(day=1), sessions=8, attendance=90, by=world.officer)
    for bad in (
        {"held_on": timing.today() + timedelta(days=1), "sessions": 1, "attendance": 1},
        {"held_on": yesterday, "sessions": 0, "attendance": 1},
        {"held_on": yesterday, "sessions": 1, "attendance": -1},
        {"held_on": None, "sessions": 1, "attendance": 1},
    ):
        with pytest.raises(YouthError):
            delivery.record_sessions(row, by=world.officer, **bad)
    with pytest.raises(YouthError) as no_reason:
        delivery.change_status(row, CommissionStatus.CANCELLED, reason="", by=world.officer)
    assert no_reason.value.field == "reason"
    delivery.change_status(row, CommissionStatus.CANCELLED, reason="The hall flooded.", by=world.officer)
    with pytest.raises(delivery.DeliveryConflict):
        delivery.change_status(row, CommissionStatus.DELIVERED, by=world.officer)
    db.session.commit()

    lines = {line.proposal.id: line for line in delivery.progress(round_, world.neighbourhoods[0].id)}
    assert lines[first.id].sessions_delivered == 10 and lines[first.id].attendance == 121
    figures = delivery.council_delivery_figures()
    assert figures.funded == len(funded)
    assert figures.commissioned == 1 and figures.cancelled == 1 and figures.delivered == 0
    assert figures.sessions_delivered == 10 and figures.attendance == 121
    assert figures.funded_pence == sum(p.estimated_cost_pence for p in funded)


def test_delivered_after_in_delivery(world, in_council):
    round_, _proposals, provider_id = funded_round(world)
    row = delivery.commission(round_, voting.funded_proposals(round_)[0], provider_id=provider_id, by=world.officer)
    with pytest.raises(delivery.DeliveryConflict):
        delivery.change_status(row, CommissionStatus.DELIVERED, by=world.officer)
    delivery.change_status(row, CommissionStatus.IN_DELIVERY, by=world.officer)
    delivery.change_status(row, CommissionStatus.DELIVERED, by=world.officer)
    with pytest.raises(delivery.DeliveryConflict):
        delivery.record_sessions(row, held_on=timing.today(), sessions=1, attendance=1, by=world.officer)
    assert delivery.council_delivery_figures().delivered == 1


def test_officer_pages_commission_and_record(world, client_for, in_council):
    round_, _proposals, provider_id = funded_round(world)
    officer = client_for(world.officer)
    base = f"{world.prefix}/manage/{round_.id}/delivery"
    page = officer.get(base)
    assert page.status_code == 200
    proposal = voting.funded_proposals(round_)[0]
    assert proposal.title in page.get_data(as_text=True)
    bad = post(officer, f"{base}/commission/{proposal.id}", {"provider_id": ""})
    assert bad.status_code == 400 and "Choose one of the council" in bad.get_data(as_text=True)
    done = post(officer, f"{base}/commission/{proposal.id}", {"provider_id": str(provider_id)})
    assert done.status_code == 302
    again = post(officer, f"{base}/commission/{proposal.id}", {"provider_id": str(provider_id)})
    assert again.status_code == 409
    row_id = db.session.scalar(select(YouthCommission.id))
    assert officer.get(f"{base}/{row_id}").status_code == 200
    day = timing.today() - timedelta(days=2)
    bad = post(
        officer,
        f"{base}/{row_id}/sessions",
        {
            "held_on-day": "31",
            "held_on-month": "2",
            "held_on-year": "2027",
            "sessions-sessions": "1",
            "sessions-attendance": "4",
        },
    )
    assert bad.status_code == 400 and "real date" in bad.get_data(as_text=True)
    bad = post(
        officer,
        f"{base}/{row_id}/sessions",
        {
            "held_on-day": str(day.day),
            "held_on-month": str(day.month),
            "held_on-year": str(day.year),
            "sessions-sessions": "two",
            "sessions-attendance": "4",
        },
    )
    assert bad.status_code == 400
    assert db.session.scalar(select(YouthDeliveryRecord.id)) is None
    ok = post(
        officer,
        f"{base}/{row_id}/sessions",
        {
            "held_on-day": str(day.day),
            "held_on-month": str(day.month),
            "held_on-year": str(day.year),
            "sessions-sessions": "3",
            "sessions-attendance": "45",
        },
    )
    assert ok.status_code == 302
    cancel = post(officer, f"{base}/{row_id}/status", {"status-status": "cancelled", "status-reason": ""})
    assert cancel.status_code == 400
    cancel = post(officer, f"{base}/{row_id}/status", {"status-status": "cancelled", "status-reason": "No venue"})
    assert cancel.status_code == 302

    public = client_for(None).get(f"{world.prefix}/{round_.id}/neighbourhoods/{world.neighbourhoods[0].id}/progress")
    text = public.get_data(as_text=True)
    assert public.status_code == 200
    assert "<svg" in text and 'role="img"' in text and "progress-table" in text
    assert "No venue" in text and "45" in text
    assert "Voter aged" not in text  # no personal data


def test_delivery_pages_need_the_youth_module_and_a_manager(world, client_for, in_council):
    round_, _proposals, _provider = funded_round(world)
    base = f"{world.prefix}/manage/{round_.id}/delivery"
    assert client_for(world.housing_officer).get(base).status_code == 403
    assert client_for(world.residents[0]).get(base).status_code == 403
    assert client_for(None).get(base).status_code in (302, 401)
    from tenants.features import set_module_enabled

    set_module_enabled("youth", False)
    db.session.commit()
    assert client_for(world.officer).get(base).status_code == 404
    progress = f"{world.prefix}/{round_.id}/neighbourhoods/{world.neighbourhoods[0].id}/progress"
    assert client_for(None).get(progress).status_code == 404


def test_providers_of_another_council_cannot_be_used(world, in_council):
    round_, _proposals, _provider = funded_round(world)
    with council_context(world.other_council.id):
        other = YouthProvider(name="Elsewhere provider")
        db.session.add(other)
        db.session.flush()
        other_id = other.id
        db.session.commit()
    with pytest.raises(YouthError):
        delivery.commission(round_, voting.funded_proposals(round_)[0], provider_id=other_id, by=world.officer)
