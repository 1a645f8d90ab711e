"""Officers' pages: setting up an enterprise on the governance core, services, teams, staff, people, named people;
the satisfaction survey and its results."""

from __future__ import annotations

from sqlalchemy import select

from app.care import queries
from app.care.models import CareEnterprise, CarePerson, CareSurveyResponse, EnterpriseModel
from app.extensions import db
from app.governance import queries as governance_queries
from app.governance.models import SocietyKind
from tenants.context import council_context
from tenants.features import set_module_enabled
from tests.fixtures.sessions import post


def test_an_officer_sets_up_an_enterprise_with_its_member_classes(world, client_for):
    officer = client_for(world.officer)
    response = post(officer, f"{world.prefix}/manage", {"name": "Stevenage Care Mutual", "model": "staff_mutual"})
    assert response.status_code == 302
    with council_context(world.council.id):
        row = next(r for r in queries.enterprises() if r.society.name == "Stevenage Care Mutual")
        classes = governance_queries.member_classes(row.society.id)
    assert row.society.kind is SocietyKind.CARE_ENTERPRISE and row.enterprise.model is EnterpriseModel.STAFF_MUTUAL
    assert [c.name for c in classes] == ["Staff", "People who use our services", "Carers"]
    assert {row.enterprise.staff_class_id, row.enterprise.people_class_id, row.enterprise.carers_class_id} == {
        c.id for c in classes
    }
    page = officer.get(f"{world.prefix}/manage/enterprises/{row.enterprise.id}").get_data(as_text=True)
    assert f"/societies/{row.society.id}/elections" in page and f"/societies/{row.society.id}/register" in page


def test_bad_enterprise_details_are_refused(world, client_for):
    officer = client_for(world.officer)
    assert post(officer, f"{world.prefix}/manage", {"name": "", "model": "staff_mutual"}).status_code == 422
    taken = post(officer, f"{world.prefix}/manage", {"name": "Rochdale Care Co-operative", "model": "staff_mutual"})
    assert taken.status_code == 422 and "already has a society" in taken.get_data(as_text=True)
    assert post(officer, f"{world.prefix}/manage", {"name": "New", "model": "nonsense"}).status_code == 422
    with council_context(world.council.id):
        assert len(db.session.scalars(select(CareEnterprise)).all()) == 1


def test_an_officer_adds_services_teams_staff_and_people(world, client_for):
    officer = client_for(world.officer)
    base = f"{world.prefix}/manage/enterprises/{world.enterprise}"
    assert post(officer, f"{base}/services", {"name": "Short breaks house", "kind": "short_breaks"}).status_code == 302
    assert post(officer, f"{base}/services", {"name": "X", "kind": "bad"}).status_code == 422
    with council_context(world.council.id):
        service = next(s.id for s in queries.services(world.enterprise) if s.name == "Short breaks house")
    assert post(officer, f"{base}/teams", {"service_id": service, "team_name": "Breaks team"}).status_code == 302
    assert post(officer, f"{base}/teams", {"service_id": "999999", "team_name": "Lost"}).status_code == 422
    with council_context(world.council.id):
        team = next(t.id for t in queries.teams(world.enterprise) if t.name == "Breaks team")
    assert post(officer, f"{base}/staff", {"team_id": team, "email": world.neighbour.email}).status_code == 302
    unknown = post(officer, f"{base}/staff", {"team_id": team, "email": "nobody@example.org"})
    assert unknown.status_code == 422 and "account in this council" in unknown.get_data(as_text=True)
    stranger = post(officer, f"{base}/staff", {"team_id": team, "email": world.stranger.email})
    assert stranger.status_code == 422
    added = post(
        officer,
        f"{base}/people",
        {"team_id": team, "person_name": "Rita Respite", "person_email": "", "carer_email": world.carer.email},
    )
    assert added.status_code == 302
    assert post(officer, f"{base}/people", {"team_id": team, "person_name": ""}).status_code == 422
    with council_context(world.council.id):
        rita = db.session.scalar(select(CarePerson).where(CarePerson.name == "Rita Respite"))
    assert rita.carer_user_id == world.carer.id and rita.user_id is None
    assert post(officer, f"{base}/named", {"named_email": world.staff.email, "role": "moderator"}).status_code == 302
    again = post(officer, f"{base}/named", {"named_email": world.staff.email, "role": "moderator"})
    assert again.status_code == 409


def test_only_care_officers_manage(world, client_for):
    for someone in (world.staff, world.person, world.plan_officer):
        assert client_for(someone).get(f"{world.prefix}/manage").status_code == 403
        assert client_for(someone).get(f"{world.prefix}/manage/enterprises/{world.enterprise}").status_code == 403
    assert client_for(None).get(f"{world.prefix}/manage").status_code == 302


def test_the_module_switched_off_hides_every_page(world, client_for):
    with council_context(world.council.id):
        set_module_enabled("care", False)
        db.session.commit()
    assert client_for(None).get(f"{world.prefix}/").status_code == 404
    assert client_for(world.person).get(f"{world.prefix}/people/{world.record}").status_code == 404


def test_the_person_answers_the_survey_and_officers_see_results(world, client_for):
    person = client_for(world.person)
    assert person.get(f"{world.prefix}/survey").status_code == 200
    bad = post(person, f"{world.prefix}/survey", {"service_id": world.home_care, "overall": "9", "control": "1"})
    assert bad.status_code == 422 and "#overall" in bad.get_data(as_text=True)
    other = post(person, f"{world.prefix}/survey", {"service_id": world.day_services, "overall": "1", "control": "1"})
    assert other.status_code == 422
    good = post(person, f"{world.prefix}/survey", {"service_id": world.home_care, "overall": "2", "control": "3"})
    assert good.status_code == 302
    twice = post(person, f"{world.prefix}/survey", {"service_id": world.home_care, "overall": "2", "control": "3"})
    assert twice.status_code == 409
    with council_context(world.council.id):
        rows = db.session.scalars(select(CareSurveyResponse)).all()
    assert [(r.service_id, r.overall, r.control) for r in rows] == [(world.home_care, 2, 3)]
    assert client_for(world.neighbour).get(f"{world.prefix}/survey").status_code == 403
    results = client_for(world.officer).get(f"{world.prefix}/manage/enterprises/{world.enterprise}/results")
    body = results.get_data(as_text=True)
    assert results.status_code == 200
    assert "<svg" in body and "<caption" in body and "100% (1 of 1)" in body and "0% (0 of 1)" in body
