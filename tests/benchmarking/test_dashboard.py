"""Benchmarking pages, downloads and API: each reader gets exactly what they may see, and no more."""

from __future__ import annotations

import io
import json
import re
from datetime import date

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import ProgrammingError

from app.audit.models import AuditEvent
from app.extensions import db
from app.modules.benchmarking.catalogue import METRICS
from app.modules.benchmarking.models import BenchmarkFigure, PublishedFigure
from tenants.context import council_context
from tests.benchmarking.conftest import SECRET_STAFF, SECRET_TSM
from tests.fixtures.sessions import send


def _cells(page: str, metric: str) -> list[str]:
    """The cells of the council page's table row for ``metric``."""
    row = re.search(rf"<th scope=\"row\"[^>]*>{re.escape(metric)}</th>(.*?)</tr>", page, re.S)
    assert row, metric
    return [cell.strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)]


def _everything(client, world) -> str:
    """Every page, download and API answer about the home council and the metrics it has figures for."""
    slug = world.home.slug
    urls = ["/benchmarking/", f"/benchmarking/councils/{slug}", f"/api/benchmarking/councils/{slug}"]
    for code in (
        "priorities_turnout",
        "housing_repairs_within_target",
        "housing_tsm_overall_satisfaction",
        "youth_turnout",
        "care_members_staff",
        "care_members_people_supported",
        "care_members_carers",
        "care_members_total",
    ):
        urls += [
            f"/benchmarking/metrics/{code}",
            f"/benchmarking/metrics/{code}?sort=value&order=desc",
            f"/benchmarking/metrics/{code}.csv",
            f"/benchmarking/metrics/{code}.json",
            f"/api/benchmarking/metrics/{code}",
            f"/benchmarking/councils/{slug}/{code}",
            f"/api/benchmarking/councils/{slug}/metrics/{code}",
        ]
    bodies = []
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        bodies.append(response.get_data(as_text=True))
    return "\n".join(bodies)


def test_anyone_sees_public_figures_and_nothing_private_embargoed_or_suppressed(world, client_for):
    text = _everything(client_for(None), world)
    assert "37.5" in text  # public turnout
    assert "88.8" not in text  # network only
    assert "61.2" not in text and str(SECRET_TSM) not in text  # private
    assert "22.2" not in text  # embargoed
    staff = client_for(None).get(f"/api/benchmarking/councils/{world.home.slug}/metrics/care_members_staff").get_json()
    assert staff["figures"][0] == {"period": "2026-09", "value": None, "suppressed": True}


def test_network_officers_also_see_network_figures_but_never_private_ones(world, client_for):
    text = _everything(client_for(world.other_officer), world)
    assert "37.5" in text and "88.8" in text
    assert "61.2" not in text and str(SECRET_TSM) not in text and "22.2" not in text
    # A resident is not an officer: public figures only.
    assert "88.8" not in _everything(client_for(world.resident), world)


def test_a_suppressed_count_cannot_be_recovered_from_any_answer(world, client_for):
    client = client_for(world.other_officer)
    seen = {}
    for code in ("care_members_staff", "care_members_people_supported", "care_members_carers", "care_members_total"):
        answer = client.get(f"/api/benchmarking/councils/{world.home.slug}/metrics/{code}").get_json()
        seen[code] = answer["figures"][0]["value"]
    assert seen == {
        "care_members_staff": None,
        "care_members_people_supported": 40,
        "care_members_carers": None,  # secondary suppression
        "care_members_total": 70,
    }
    # Total minus the parts shown leaves two hidden cells together, never the one.
    assert seen["care_members_total"] - seen["care_members_people_supported"] != SECRET_STAFF
    raw = db.session.scalars(select(PublishedFigure.value).where(PublishedFigure.publisher_id == world.home.id))
    assert SECRET_STAFF not in set(raw)


def test_another_councils_private_metric_is_404_everywhere(world, client_for):
    client = client_for(world.other_officer)
    slug = world.home.slug
    assert client.get(f"/api/benchmarking/councils/{slug}/metrics/housing_tsm_overall_satisfaction").status_code == 404
    assert client.get(f"/benchmarking/councils/{slug}/housing_tsm_overall_satisfaction").status_code == 404
    listed = client.get(f"/api/benchmarking/councils/{slug}").get_json()["metrics"]
    assert "housing_tsm_overall_satisfaction" not in listed and "housing_repairs_within_target" in listed


def test_the_network_table_sorts_without_javascript_and_downloads_match(world, client_for):
    client = client_for(None)
    page = client.get("/benchmarking/metrics/priorities_turnout?sort=value&order=desc").get_data(as_text=True)
    assert page.index("Otherborough") < page.index("Homeshire")
    page = client.get("/benchmarking/metrics/priorities_turnout?sort=value&order=asc").get_data(as_text=True)
    assert page.index("Homeshire") < page.index("Otherborough")
    assert "<svg" in page and "<caption" in page
    assert client.get("/benchmarking/metrics/priorities_turnout?sort=nonsense").status_code == 400
    assert client.get("/benchmarking/metrics/priorities_turnout?period=1999-01").status_code == 404
    assert client.get("/benchmarking/metrics/not_a_metric").status_code == 404
    csv_text = client.get("/benchmarking/metrics/priorities_turnout.csv").get_data(as_text=True)
    assert "Homeshire Council" in csv_text and "37.5" in csv_text
    document = json.loads(client.get("/benchmarking/metrics/priorities_turnout.json").get_data(as_text=True))
    assert sorted(f["value"] for f in document["figures"]) == [37.5, 45.0]


def test_the_openapi_document_describes_the_api(client_for, app):
    document = client_for(None).get("/api/benchmarking/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    assert "/councils/{slug}/metrics/{code}" in document["paths"]


def test_the_council_page_ranks_against_the_network(world, client_for):
    page = client_for(world.other_officer).get(f"/benchmarking/councils/{world.other.slug}").get_data(as_text=True)
    assert "Network median" in page and "1 of 2" in page  # 45.0 beats 37.5 on turnout
    client = client_for(world.other_officer)
    for kind in ("type", "region", "population"):
        assert client.get(f"/benchmarking/councils/{world.other.slug}?peers={kind}").status_code == 200
    # Only a council's own page knows its own peer group.
    assert client.get(f"/benchmarking/councils/{world.other.slug}?peers=custom").status_code == 400


def test_peer_groups_change_the_peer_median(world, client_for):
    """Homeshire (150,000) and Otherborough (300,000) are in different population bands but may be chosen peers."""
    client = client_for(world.home_officer)
    own = f"/c/{world.home.slug}/benchmarking/"
    alone = client.get(own + "?peers=population").get_data(as_text=True)
    # Turnout: its figure, the network's quartiles (of 37.5 and 45.0), rank, and its band's peer median (alone).
    turnout = ["37.5%", "39.4%", "41.2%", "43.1%", "2 of 2"]
    assert _cells(alone, "Turnout in neighbourhood priorities ballots")[1:] == [*turnout, "37.5%"]
    send(client, "POST", f"/c/{world.home.slug}/benchmarking/peers", {"peer": [str(world.other.id)]})
    together = client.get(own + "?peers=custom").get_data(as_text=True)
    assert _cells(together, "Turnout in neighbourhood priorities ballots")[1:] == [*turnout, "41.2%"]


def test_the_own_dashboard_shows_private_figures_to_the_councils_officers_only(world, client_for):
    url = f"/c/{world.home.slug}/benchmarking/"
    assert "61.2" in client_for(world.home_officer).get(url).get_data(as_text=True)
    assert client_for(world.other_officer).get(url).status_code == 403


def test_a_bad_upload_lists_every_problem_and_writes_nothing(world, client_for):
    body = b"metric,period,unit,value,denominator\nnope,2026-Q1,count,1,\nlocal_spend_share,2026-Q1,count,140,\n"
    response = send(
        client_for(world.home_officer),
        "POST",
        f"/c/{world.home.slug}/benchmarking/upload",
        {"csv_file": (io.BytesIO(body), "figures.csv")},
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "no metric with the code" in text and "outside its range" in text and "The unit of" in text
    with council_context(world.home.id):
        assert (
            db.session.scalar(select(BenchmarkFigure).where(BenchmarkFigure.metric_code == "local_spend_share")) is None
        )


def test_a_good_upload_is_stored_and_published(world, client_for):
    body = b"metric,period,unit,value,denominator\nlocal_spend_share,2026-Q1,percent,41.5,1200\n"
    response = send(
        client_for(world.home_officer),
        "POST",
        f"/c/{world.home.slug}/benchmarking/upload",
        {"csv_file": (io.BytesIO(body), "figures.csv")},
    )
    assert response.status_code == 302
    response = send(
        client_for(world.home_officer),
        "POST",
        f"/c/{world.home.slug}/benchmarking/sharing",
        {f"visibility-{c}": "private" for c in METRICS} | {"visibility-local_spend_share": "public"},
    )
    assert response.status_code == 302
    answer = client_for(None).get("/api/benchmarking/metrics/local_spend_share").get_json()
    assert answer["period"] == "2026-Q1" and answer["figures"][0]["value"] == 41.5


def _upload(world, client_for, body: bytes, client=None, **extra):
    return send(
        client or client_for(world.home_officer),
        "POST",
        f"/c/{world.home.slug}/benchmarking/upload",
        {"csv_file": (io.BytesIO(body), "figures.csv"), **extra},
    )


def _uploaded_value(world) -> float:
    with council_context(world.home.id):
        return db.session.scalar(
            select(BenchmarkFigure.value).where(
                BenchmarkFigure.metric_code == "local_spend_share", BenchmarkFigure.period_start == date(2025, 7, 1)
            )
        )


def _upload_events(world) -> list[dict]:
    with council_context(world.home.id):
        return [
            e.payload
            for e in db.session.scalars(
                select(AuditEvent).where(AuditEvent.action == "benchmarking.figures_uploaded").order_by(AuditEvent.seq)
            )
        ]


def test_an_uploaded_quarter_is_corrected_only_when_asked_and_the_change_is_audited(world, client_for):
    head = b"metric,period,unit,value,denominator\n"
    assert _upload(world, client_for, head + b"local_spend_share,2025-Q3,percent,41.5,1200\n").status_code == 302
    uploads_before = len(_upload_events(world))

    again = head + b"local_spend_share,2025-Q3,percent,43.25,1200\n"
    refused = _upload(world, client_for, again)
    assert refused.status_code == 422
    assert "already has a figure for 2025-Q3" in refused.get_data(as_text=True)
    assert _uploaded_value(world) == 41.5  # nothing written
    assert len(_upload_events(world)) == uploads_before

    officer = client_for(world.home_officer)  # one client: the flash message is in its session
    corrected = _upload(world, client_for, again, client=officer, replace="yes")
    assert corrected.status_code == 302
    assert _uploaded_value(world) == 43.25
    events = _upload_events(world)
    assert len(events) == uploads_before + 1
    correction = {"metric": "local_spend_share", "period": "2025-07-01", "was": "41.5", "now": "43.25"}
    assert events[-1]["corrected"] == [correction]
    page = officer.get(f"/c/{world.home.slug}/benchmarking/upload")
    assert "1 of them replaced figures uploaded before" in page.get_data(as_text=True)


def test_a_council_cannot_write_another_councils_published_rows(world):
    with council_context(world.home.id), pytest.raises(ProgrammingError):
        db.session.execute(
            insert(PublishedFigure).values(
                publisher_id=world.other.id,
                metric_code="priorities_turnout",
                period_start="2026-01-01",
                visibility="public",
                value=1.0,
                suppressed=False,
            )
        )
        db.session.flush()
    db.session.rollback()
