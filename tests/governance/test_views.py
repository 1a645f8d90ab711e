"""The society and register pages through the app: who may see what, the journeys, and bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.governance import operations, queries
from app.governance.models import Member, MemberClass, MemberDecision, MemberStatus, ShareEntry, Society
from app.voting import timing
from tenants.context import council_context
from tenants.features import set_module_enabled
from tests.fixtures.sessions import post
from tests.governance.conftest import admitted, applicant, years_ago

TODAY = timing.today()


@pytest.fixture(autouse=True)
def _inside(in_council):
    """Rows the app's commits expired reload in the council's context."""


def _count(model, *where) -> int:
    with_context = db.session.scalar(select(func.count()).select_from(model).where(*where))
    return with_context


def _text(response) -> str:
    return response.get_data(as_text=True)


def _date(prefix: str, day) -> dict[str, str]:
    return {f"{prefix}-day": str(day.day), f"{prefix}-month": str(day.month), f"{prefix}-year": str(day.year)}


def _pages(gov, member_id: int, entry_id: int, class_id: int) -> dict[str, str]:
    s = gov.society_url
    return {
        "manage": [
            f"{s}/register",
            f"{s}/applications",
            f"{s}/applications/new",
            f"{s}/members/{member_id}",
            f"{s}/members/{member_id}/end",
            f"{s}/members/{member_id}/shares",
            f"{s}/members/{member_id}/shares/{entry_id}/correct",
            f"{s}/shares",
            f"{s}/register.csv",
            f"{s}/register.pdf",
            f"{s}/shares.csv",
            f"{s}/shares.pdf",
        ],
        "council": [f"{s}/edit", f"{s}/classes", f"{s}/classes/new", f"{s}/classes/{class_id}/edit", f"{s}/officers"],
        "public": [f"{gov.prefix}/", s],
        "signed_in": [f"{s}/me", f"{s}/apply"],
    }


@pytest.fixture
def pages(gov):
    with council_context(gov.council.id):
        entry = queries.member_share_lines(gov.member.id)[0]
        return _pages(gov, gov.member.id, entry.id, gov.tenants.id)


@pytest.mark.parametrize(
    ("who", "manage", "council", "signed_in"),
    [
        ("admin", 200, 200, 200),
        ("officer", 200, 200, 200),
        ("youth_officer", 403, 403, 200),
        ("secretary", 200, 403, 200),
        ("committee", 200, 403, 200),
        ("scrutineer", 403, 403, 200),
        ("member_user", 403, 403, 200),
        ("resident", 403, 403, 200),
    ],
)
def test_each_role_gets_the_right_answer_on_every_page(gov, client_for, pages, who, manage, council, signed_in):
    client = client_for(getattr(gov, who))
    for url in pages["manage"]:
        assert client.get(url).status_code == manage, (who, url)
    for url in pages["council"]:
        assert client.get(url).status_code == council, (who, url)
    for url in pages["public"] + pages["signed_in"]:
        assert client.get(url).status_code == signed_in, (who, url)


def test_anonymous_people_see_the_public_pages_and_are_sent_to_sign_in_for_the_rest(gov, client_for, pages):
    client = client_for(None)
    for url in pages["public"]:
        assert client.get(url).status_code == 200, url
    for url in pages["manage"] + pages["council"] + pages["signed_in"]:
        response = client.get(url)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"], url


def test_a_person_of_another_council_cannot_apply_and_sees_no_register(gov, client_for, pages):
    client = client_for(gov.stranger)
    assert client.get(f"{gov.society_url}/apply").status_code == 403
    assert client.get(f"{gov.society_url}/me").status_code == 403
    for url in pages["manage"]:
        assert client.get(url).status_code == 403, url


def test_every_page_is_a_404_when_the_module_is_off_or_the_ids_are_wrong(gov, client_for, pages):
    admin = client_for(gov.admin)
    s = gov.society_url
    assert admin.get(f"{s}/members/999999999").status_code == 404
    assert admin.get(f"{s}/classes/999999999/edit").status_code == 404
    assert admin.get(f"{gov.prefix}/{2**64}").status_code == 404
    assert admin.get(f"{s}/members/{2**64}").status_code == 404
    with council_context(gov.council.id):
        set_module_enabled("housing", False)
        db.session.commit()
    for url in [u for group in pages.values() for u in group]:
        assert admin.get(url).status_code == 404, url


def test_platform_and_council_pages_link_the_societies(gov, client_for):
    body = _text(client_for(gov.officer).get(f"{gov.prefix}/"))
    assert "Cobden Tenants Co-operative" in body and "Create a society" in body
    assert "Create a society" not in _text(client_for(gov.resident).get(f"{gov.prefix}/"))
    overview = _text(client_for(gov.secretary).get(gov.society_url))
    assert "Register of members (1 member)" in overview
    assert "Classes of membership</a>" not in overview  # the secretary does not change the rules


# --- societies, classes, officers ----------------------------------------------------------------


def _society_form(**change) -> dict[str, str]:
    data = {
        "name": "Millbeck Homes Co-operative",
        "kind": "housing_coop",
        "registration_number": "30001r",
        "registered_office": "2 Mill Lane",
        "description": "",
        "notice_clear_days": "14",
        "quorum_members": "10",
        "quorum_percent": "5",
        "ordinary_threshold": "simple_majority",
        "special_threshold": "three_quarters",
        "proxy_cap": "2",
        "proxies_count_in_quorum": "yes",
        "share_value": "1",
        "shares_on_admission": "1",
    }
    data.update(change)
    return data


def test_an_officer_creates_a_society_and_adds_classes(gov, client_for):
    officer = client_for(gov.officer)
    response = post(officer, f"{gov.prefix}/new", _society_form(share_value="0.50"))
    assert response.status_code == 302
    with council_context(gov.council.id):
        society = db.session.scalar(select(Society).where(Society.name == "Millbeck Homes Co-operative"))
        assert (society.registration_number, society.share_value_pence, society.quorum_members) == ("30001R", 50, 10)
        society_id = society.id
    assert response.headers["Location"].endswith(f"/societies/{society_id}/classes")
    added = post(officer, f"{gov.prefix}/{society_id}/classes/new", {"name": "Tenants", "vote_cap_percent": "60"})
    assert added.status_code == 302
    post(officer, f"{gov.prefix}/{society_id}/classes/new", {"name": "Leaseholders"})
    with council_context(gov.council.id):
        leaseholders = db.session.scalar(select(MemberClass).where(MemberClass.name == "Leaseholders"))
        leaseholders_id = leaseholders.id
    assert (
        post(officer, f"{gov.prefix}/{society_id}/classes/{leaseholders_id}/move", {"direction": "up"}).status_code
        == 302
    )
    with council_context(gov.council.id):
        assert [c.name for c in queries.member_classes(society_id)] == ["Leaseholders", "Tenants"]
    assert (
        post(
            officer, f"{gov.prefix}/{society_id}/classes/{leaseholders_id}/move", {"direction": "sideways"}
        ).status_code
        == 400
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": ""}, "Enter the society&#39;s name"),
        ({"name": "Cobden Tenants Co-operative"}, "already has a society called"),
        ({"notice_clear_days": "fourteen"}, "Enter a whole number"),
        ({"notice_clear_days": "400"}, "between 0 and 365"),
        ({"quorum_percent": "150"}, "between 0 and 100"),
        ({"ordinary_threshold": "most"}, "Choose a threshold from the list"),
        ({"ordinary_threshold": "three_quarters", "special_threshold": "simple_majority"}, "cannot be lower"),
        ({"share_value": "lots"}, "Enter an amount of money"),
        ({"share_value": "0"}, "Enter a share value between 1p"),
        ({"shares_on_admission": ""}, "Enter how many shares each new member gets"),
        ({"kind": "school_trust"}, "Choose what kind of society this is"),  # the schools module is off
        ({"registration_number": "12/34"}, "letters and digits only"),
    ],
)
def test_bad_rules_are_shown_on_their_field_with_a_422(gov, client_for, change, message):
    before = _count_in(gov, Society)
    response = post(client_for(gov.officer), f"{gov.prefix}/new", _society_form(**change))
    assert response.status_code == 422
    assert message in _text(response)
    assert "govuk-error-summary" in _text(response)
    assert _count_in(gov, Society) == before


def _count_in(gov, model, *where) -> int:
    with council_context(gov.council.id):
        return _count(model, *where)


def test_editing_the_rules_and_a_class(gov, client_for):
    officer = client_for(gov.officer)
    page = officer.get(f"{gov.society_url}/edit")
    assert 'value="Cobden Tenants Co-operative"' in _text(page)
    response = post(
        officer,
        f"{gov.society_url}/edit",
        _society_form(name="Cobden Tenants Co-operative", notice_clear_days="21", proxy_cap=""),
    )
    assert response.status_code == 302
    with council_context(gov.council.id):
        society = queries.society(gov.society.id)
        assert (society.notice_clear_days, society.proxy_cap, society.kind.value) == (21, None, "housing_coop")
    renamed = post(
        officer, f"{gov.society_url}/classes/{gov.tenants.id}/edit", {"name": "Secure tenants", "min_age": "abc"}
    )
    assert renamed.status_code == 422 and "Enter a whole number" in _text(renamed)
    assert (
        post(officer, f"{gov.society_url}/classes/{gov.tenants.id}/edit", {"name": "Secure tenants"}).status_code == 302
    )
    clash = post(officer, f"{gov.society_url}/classes/{gov.tenants.id}/edit", {"name": "young TENANTS"})
    assert clash.status_code == 422 and "already has a class called" in _text(clash)


def test_appointing_and_removing_officers(gov, client_for):
    officer = client_for(gov.officer)
    nobody = post(officer, f"{gov.society_url}/officers", {"email": "nobody@example.org", "role": "committee"})
    assert nobody.status_code == 422 and "someone with an account in this council" in _text(nobody)
    stranger = post(officer, f"{gov.society_url}/officers", {"email": gov.stranger.email, "role": "committee"})
    assert stranger.status_code == 422
    twice = post(officer, f"{gov.society_url}/officers", {"email": gov.secretary.email, "role": "secretary"})
    assert twice.status_code == 409 and "already holds this role" in _text(twice)
    assert (
        post(
            officer, f"{gov.society_url}/officers", {"email": gov.resident.email.upper(), "role": "scrutineer"}
        ).status_code
        == 302
    )
    with council_context(gov.council.id):
        holder = next(h for h in queries.society_officers(gov.society.id) if h.user_id == gov.resident.id)
        holder_id = holder.id
    assert "Rita Resident" in _text(officer.get(f"{gov.society_url}/officers"))
    assert post(officer, f"{gov.society_url}/officers/{holder_id}/remove").status_code == 302
    assert post(client_for(gov.secretary), f"{gov.society_url}/officers/{holder_id}/remove").status_code == 404


# --- applying and deciding -----------------------------------------------------------------------


def _application(gov, **change) -> dict[str, str]:
    data = {
        "member_class_id": str(gov.tenants.id),
        "name": "Rita Resident",
        "address": "4 Mill Street\nRochdale",
        "postcode": "OL16 1AA",
        "email": "rita@example.org",
    }
    data.update(change)
    return data


def test_a_resident_applies_online_and_sees_their_application(gov, client_for):
    client = client_for(gov.resident)
    form = _text(client.get(f"{gov.society_url}/apply"))
    assert 'value="Rita Resident"' in form and "Young tenants" in form
    response = post(client, f"{gov.society_url}/apply", _application(gov))
    assert response.status_code == 302 and response.headers["Location"].endswith("/me")
    page = _text(client.get(f"{gov.society_url}/me"))
    assert "Application waiting for a decision" in page and "Not yet admitted" in page
    again = post(client, f"{gov.society_url}/apply", _application(gov, email="other@example.org"))
    assert again.status_code == 409
    assert "already an application or a membership" in _text(again)
    assert _count_in(gov, Member, Member.user_id == gov.resident.id) == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"member_class_id": ""}, "Choose a class of membership"),
        ({"member_class_id": "999999999"}, "Choose a class of membership"),
        ({"name": ""}, "Enter the applicant&#39;s full name"),
        ({"postcode": "ABC"}, "Enter a real postcode"),
        ({"email": "rita@"}, "Enter an email address in the correct format"),
        ({"date_of_birth-day": "31", "date_of_birth-month": "2", "date_of_birth-year": "2001"}, "Enter a real date"),
    ],
)
def test_bad_applications_show_the_problem_with_a_422(gov, client_for, change, message):
    response = post(client_for(gov.resident), f"{gov.society_url}/apply", _application(gov, **change))
    assert response.status_code == 422
    assert message in _text(response)
    assert _count_in(gov, Member, Member.user_id == gov.resident.id) == 0


def test_a_class_with_a_minimum_age_needs_a_date_of_birth(gov, client_for):
    client = client_for(gov.resident)
    missing = post(client, f"{gov.society_url}/apply", _application(gov, member_class_id=str(gov.young.id)))
    assert missing.status_code == 422 and "Enter your date of birth" in _text(missing)
    born = years_ago(16)
    ok = post(
        client,
        f"{gov.society_url}/apply",
        _application(gov, member_class_id=str(gov.young.id), **_date("date_of_birth", born)),
    )
    assert ok.status_code == 302
    with council_context(gov.council.id):
        assert queries.member_for_user(gov.society.id, gov.resident.id).date_of_birth == born


def test_a_class_of_another_society_is_refused(gov, client_for):
    with council_context(gov.council.id):
        other = operations.create_society(name="Other Co-op", kind="housing_coop", by_user=None)
        other_class = operations.add_member_class(other, name="Members", by_user=None)
        db.session.commit()
        other_class_id = other_class.id
    response = post(
        client_for(gov.resident), f"{gov.society_url}/apply", _application(gov, member_class_id=str(other_class_id))
    )
    assert response.status_code == 422 and "Choose a class of membership" in _text(response)


def test_the_secretary_enters_an_application_and_the_committee_admits_it(gov, client_for):
    secretary = client_for(gov.secretary)
    entered = post(secretary, f"{gov.society_url}/applications/new", _application(gov, name="Nell Paper", email=""))
    assert entered.status_code == 302
    with council_context(gov.council.id):
        line = db.session.scalar(select(Member).where(Member.name == "Nell Paper"))
        line_id, applied_on = line.id, line.applied_on
        assert line.user_id is None
    assert "Nell Paper" in _text(secretary.get(f"{gov.society_url}/applications"))
    committee = client_for(gov.committee)
    url = f"{gov.society_url}/members/{line_id}/decide"
    early = post(
        committee,
        url,
        {"decision": "admit", "decided_by": "Committee", **_date("decided_on", applied_on - timedelta(days=1))},
    )
    assert early.status_code == 422 and "cannot be before the application" in _text(early)
    blank = post(committee, url, {"decision": "admit", "decided_by": "", **_date("decided_on", TODAY)})
    assert blank.status_code == 422 and "Enter who decided" in _text(blank)
    done = post(
        committee, url, {"decision": "admit", "decided_by": "Committee, minute 3", **_date("decided_on", TODAY)}
    )
    assert done.status_code == 302
    with council_context(gov.council.id):
        line = queries.member(gov.society.id, line_id)
        assert (line.status, line.membership_number) == (MemberStatus.MEMBER, 2)
        assert queries.shares_held(line_id) == 1
    twice = post(committee, url, {"decision": "admit", "decided_by": "Committee", **_date("decided_on", TODAY)})
    assert twice.status_code == 409
    assert "Committee, minute 3" in _text(committee.get(f"{gov.society_url}/members/{line_id}"))


def test_refusing_needs_a_reason(gov, client_for):
    with council_context(gov.council.id):
        line_id = applicant(gov).id
        db.session.commit()
    client = client_for(gov.admin)
    url = f"{gov.society_url}/members/{line_id}/decide"
    response = post(client, url, {"decision": "refuse", "decided_by": "Committee", **_date("decided_on", TODAY)})
    assert response.status_code == 422 and "Enter the reason for refusing" in _text(response)
    assert _count_in(gov, MemberDecision, MemberDecision.member_id == line_id) == 0
    done = post(
        client,
        url,
        {"decision": "refuse", "decided_by": "Committee", "reason": "Not a tenant", **_date("decided_on", TODAY)},
    )
    assert done.status_code == 302
    with council_context(gov.council.id):
        assert queries.member(gov.society.id, line_id).status is MemberStatus.REFUSED


def test_expelling_needs_the_decision_and_a_reason_and_withdraws_the_shares(gov, client_for):
    client = client_for(gov.officer)
    url = f"{gov.society_url}/members/{gov.member.id}/end"
    assert "The 1 share they hold will be withdrawn" in _text(client.get(url))
    bare = post(client, url, {"cessation": "expelled", **_date("ceased_on", TODAY)})
    assert bare.status_code == 422 and "Enter the body that decided the expulsion" in _text(bare)
    no_reason = post(
        client, url, {"cessation": "expelled", "decided_by": "Committee, minute 9", **_date("ceased_on", TODAY)}
    )
    assert no_reason.status_code == 422 and "Enter the reason for the expulsion" in _text(no_reason)
    assert _count_in(gov, ShareEntry) == 1
    done = post(
        client,
        url,
        {
            "cessation": "expelled",
            "decided_by": "Committee, minute 9",
            "reason": "Rule 14",
            **_date("ceased_on", TODAY),
        },
    )
    assert done.status_code == 302
    with council_context(gov.council.id):
        assert queries.shares_held(gov.member.id) == 0
    assert client.get(url).status_code == 409
    assert post(client, url, {"cessation": "left", **_date("ceased_on", TODAY)}).status_code == 409
    page = _text(client_for(gov.member_user).get(f"{gov.society_url}/me"))
    assert "Former member" in page and "Expelled" in page and "Rule 14" in page


def test_consent_for_a_young_member(gov, client_for):
    with council_context(gov.council.id):
        young_id = admitted(gov, gov.young, date_of_birth=years_ago(15)).id
        db.session.commit()
    client = client_for(gov.secretary)
    url = f"{gov.society_url}/members/{young_id}/consent"
    assert "Record a parent" in _text(client.get(f"{gov.society_url}/members/{young_id}"))
    blank = post(client, url, {"consent_by": "", **_date("consent_on", TODAY)})
    assert blank.status_code == 422 and "Enter the name of the parent or carer" in _text(blank)
    assert post(client, url, {"consent_by": "Pat Parent", **_date("consent_on", TODAY)}).status_code == 302
    with council_context(gov.council.id):
        assert queries.member(gov.society.id, young_id).guardian_consent_by == "Pat Parent"


def test_shares_issue_withdraw_and_correct_through_the_pages(gov, client_for):
    client = client_for(gov.secretary)
    url = f"{gov.society_url}/members/{gov.member.id}/shares"
    assert post(client, url, {"action": "issue", "shares": "4", "note": "Top-up"}).status_code == 302
    over = post(client, url, {"action": "withdraw", "shares": "9"})
    assert over.status_code == 409 and "the member holds 5" in _text(over)
    bad = post(client, url, {"action": "withdraw", "shares": "-2"})
    assert bad.status_code == 422
    with council_context(gov.council.id):
        top_up = queries.member_share_lines(gov.member.id)[-1]
        top_up_id = top_up.id
        assert queries.shares_held(gov.member.id) == 5
    correct = f"{url}/{top_up_id}/correct"
    assert post(client, correct, {"note": ""}).status_code == 422
    assert post(client, correct, {"note": "Paid by the wrong member"}).status_code == 302
    assert post(client, correct, {"note": "Again"}).status_code == 409
    with council_context(gov.council.id):
        assert queries.shares_held(gov.member.id) == 1
    ledger = _text(client.get(f"{gov.society_url}/shares"))
    assert f"Correction of ledger line {top_up_id}: Paid by the wrong member" in ledger


def test_the_members_own_page_shows_their_record(gov, client_for):
    page = _text(client_for(gov.member_user).get(f"{gov.society_url}/me"))
    assert "Meg Member" in page and "Issued on admission" in page and "Committee, minute 1" in page
    assert ">1<" in page.replace(" ", "") or "Membership number" in page
    nobody = _text(client_for(gov.resident).get(f"{gov.society_url}/me"))
    assert "You are not on the register of members" in nobody
    overview = _text(client_for(gov.member_user).get(gov.society_url))
    assert "See your membership record" in overview and "Run the society" not in overview


def test_a_ceased_member_cannot_have_shares_issued(gov, client_for):
    with council_context(gov.council.id):
        member = queries.member(gov.society.id, gov.member.id)
        operations.cease(member, "left", ceased_on=TODAY, by_user=None)
        db.session.commit()
    response = post(
        client_for(gov.admin), f"{gov.society_url}/members/{gov.member.id}/shares", {"action": "issue", "shares": "1"}
    )
    assert response.status_code == 409 and "current member" in _text(response)
