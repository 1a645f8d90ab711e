"""Voting-code letters and verification end to end: officer pages → a real RQ worker → files → residents' codes."""

from __future__ import annotations

import csv
import io
import threading
from datetime import date

from pypdf import PdfReader
from sqlalchemy import select

from app.letters import codes
from app.letters.models import VotingCode
from app.residents import accounts, profiles
from app.residents.models import ConsentKind, RegisterEntry, ResidentProfile, VerificationMethod
from app.residents.verification import CodeProblem, redeem_code
from tenants.context import council_context

PEOPLE = [
    ("R1", "Ada Lovelace", "1 Smith St, Castleton", "OL16 1AB", date(1990, 12, 10), "castleton"),
    ("R2", "Bob Brown", "2 Smith St", "OL16 1AB", date(1980, 12, 10), "castleton"),
    ("R3", "Cy Cole", "3 Hill Rd, Kirkholt", "OL11 2XY", date(2012, 2, 1), "kirkholt"),
]


def add_register(committed_db, place) -> dict[str, int]:
    with council_context(place.council.id):
        entries = {}
        for ref, name, address, postcode, born, where in PEOPLE:
            entry = RegisterEntry(
                reference=ref,
                name=name,
                address=address,
                postcode=postcode,
                date_of_birth=born,
                neighbourhood_id=getattr(place, where),
            )
            committed_db.session.add(entry)
            committed_db.session.flush()
            entries[ref] = entry.id
        committed_db.session.commit()
    return entries


def make_letters(client, place, run_jobs, scope="all") -> tuple[str, bytes, list[dict]]:
    """Ask for letters through the page, run the worker, download both files."""
    response = client.post(f"{place.prefix}/letters", data={"scope": scope})
    assert response.status_code == 302, response.get_data(as_text=True)
    run_page = response.headers["Location"]
    assert "Waiting to start" in client.get(run_page).get_data(as_text=True)
    run_jobs(["reports"])
    page = client.get(run_page).get_data(as_text=True)
    run_id = run_page.rstrip("/").rsplit("/", 1)[-1]
    if "Letters ready" not in page:
        return page, b"", []
    pdf = client.get(f"{place.prefix}/letters/{run_id}/letters.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.headers["Cache-Control"] == "no-store"
    mailmerge = client.get(f"{place.prefix}/letters/{run_id}/mailmerge.csv")
    assert mailmerge.status_code == 200
    rows = list(csv.DictReader(io.StringIO(mailmerge.get_data().decode("utf-8-sig"))))
    return page, pdf.get_data(), rows


def resident_client(app, place, staff_client, committed_db, email="new@kingsmere.example", ip="127.0.0.1"):
    """Sign up through the registration page (the client stays signed in), from address ``ip``."""
    client = staff_client(None)
    client.environ_base["REMOTE_ADDR"] = ip
    response = client.post(
        f"/c/{place.council.slug}/register",
        data={
            "name": "New Resident",
            "email": email,
            "password": "correct horse battery staple",
            "password_confirm": "correct horse battery staple",
        },
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/verify")
    return client


def test_codes_job_end_to_end(place, staff_client, run_jobs, committed_db, superuser_sql, app):
    add_register(committed_db, place)
    client = staff_client(place.officer)
    page, pdf, rows = make_letters(client, place, run_jobs)
    assert "3 letters" in page
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 3  # one page per register entry
    assert [row["reference"] for row in rows] == ["R1", "R2", "R3"]
    assert all(row["prefilled_url"].startswith("https://rochdale.test/c/kingsmere/verify?code=") for row in rows)
    # Only hashes are stored, and they are the hashes of the printed codes.
    key = codes.pepper_from_config(app.config)
    stored = {h for (h,) in superuser_sql("SELECT code_hash FROM voting_codes WHERE council_id = %s", place.council.id)}
    assert stored == {codes.hash_code(row["code"], key) for row in rows}
    # Audit entries carry counts, never codes.
    audit = superuser_sql(
        "SELECT action, payload::text FROM audit_events WHERE council_id = %s AND action LIKE 'letters.%%' "
        "ORDER BY seq",
        place.council.id,
    )
    assert [a for a, _ in audit] == ["letters.requested", "letters.made"]
    assert '"letters": 3' in audit[1][1]
    assert not any(
        row["code"] in payload or row["code"].replace("-", "") in payload
        for _, p in audit
        for payload in [p]
        for row in rows
    )

    # A run for people without a live code prints nothing now; one for everyone supersedes all three.
    page, _, _ = make_letters(client, place, run_jobs, scope="missing")
    assert "Nobody needed a letter" in page
    page, pdf, _ = make_letters(client, place, run_jobs, scope="all")
    assert "3 earlier codes no longer work" in page
    assert superuser_sql(
        "SELECT count(*) FROM voting_codes WHERE council_id = %s AND superseded_at IS NOT NULL", place.council.id
    ) == [(3,)]

    # The old code is refused as replaced; the new one verifies.
    resident = resident_client(app, place, staff_client, committed_db)
    wrong = resident.post(f"/c/{place.council.slug}/verify", data={"code": rows[0]["code"]})
    assert wrong.status_code == 400 and "replaced by a newer letter" in wrong.get_data(as_text=True)


def test_verification_success_wrong_expired_reused_and_throttle(
    place, staff_client, run_jobs, committed_db, superuser_sql, app, redis_conn
):
    entries = add_register(committed_db, place)
    _, _, rows = make_letters(staff_client(place.officer), place, run_jobs)
    codes_by_ref = {row["reference"]: row["code"] for row in rows}
    client = resident_client(app, place, staff_client, committed_db)
    verify = f"/c/{place.council.slug}/verify"

    # The QR code's address: the code moves into the session and out of the URL.
    response = client.get(f"{verify}?code={codes_by_ref['R3']}")
    assert response.status_code == 302 and response.headers["Location"].endswith("/verify")
    form = client.get(verify).get_data(as_text=True)
    assert f'value="{codes_by_ref["R3"]}"' in form

    wrong = client.post(verify, data={"code": "ABCD-EFGH-JKMN"})
    assert wrong.status_code == 400 and "The code is not correct" in wrong.get_data(as_text=True)
    short = client.post(verify, data={"code": "ABCD"})
    assert "12 letters and numbers long" in short.get_data(as_text=True) or "exactly as it is printed" in (
        short.get_data(as_text=True)
    )

    superuser_sql(
        "UPDATE voting_codes SET expires_on = current_date - 2 WHERE council_id = %s AND register_entry_id = %s",
        place.council.id,
        entries["R2"],
    )
    expired = client.post(verify, data={"code": codes_by_ref["R2"]})
    assert "This code has expired" in expired.get_data(as_text=True)

    ok = client.post(verify, data={"code": codes_by_ref["R3"].lower().replace("-", " ")})
    assert ok.status_code == 302
    done = client.get(verify).get_data(as_text=True)
    assert "You are verified" in done and "Kirkholt" in done
    assert superuser_sql(
        "SELECT p.neighbourhood_id, p.date_of_birth, p.verified_how::text FROM resident_profiles p "
        "JOIN users u ON u.id = p.user_id WHERE p.council_id = %s AND u.email = 'new@kingsmere.example'",
        place.council.id,
    ) == [(place.kirkholt, date(2012, 2, 1), "letter_code")]

    # Someone else with the same code: already used.
    # (From another address: the first person's three failures count against theirs.)
    other = resident_client(app, place, staff_client, committed_db, email="other@kingsmere.example", ip="10.0.0.2")
    reused = other.post(verify, data={"code": codes_by_ref["R3"]})
    assert "already been used" in reused.get_data(as_text=True)

    # That was the other person's first failure; four more, then they must wait.
    for _ in range(4):
        assert other.post(verify, data={"code": "ABCD-EFGH-JKMN"}).status_code == 400
    throttled = other.post(verify, data={"code": codes_by_ref["R1"]})
    text = throttled.get_data(as_text=True)
    assert throttled.status_code == 429 and "Wait 15 minutes" in text
    assert int(throttled.headers["Retry-After"]) > 0
    # The first person's address has had three failures; two more from anyone there and it waits too.
    third = resident_client(app, place, staff_client, committed_db, email="third@kingsmere.example")
    for _ in range(2):
        assert third.post(verify, data={"code": "ABCD-EFGH-JKMN"}).status_code == 400
    assert third.post(verify, data={"code": codes_by_ref["R1"]}).status_code == 429
    # The good code was not even looked at.
    assert superuser_sql(
        "SELECT used_at FROM voting_codes WHERE council_id = %s AND register_entry_id = %s AND superseded_at IS NULL",
        place.council.id,
        entries["R1"],
    ) == [(None,)]


def test_two_requests_with_the_same_code_verify_one_person(
    place, staff_client, run_jobs, committed_db, create_user, grant_role, app, redis_conn
):
    add_register(committed_db, place)
    _, _, rows = make_letters(staff_client(place.officer), place, run_jobs)
    code = rows[0]["code"]
    council_id = place.council.id
    users = [create_user(email=f"twin{n}@kingsmere.example") for n in range(2)]
    committed_db.session.commit()
    user_ids = [u.id for u in users]
    with council_context(council_id):
        for uid in user_ids:
            profiles.ensure_profile(uid)
        committed_db.session.commit()
    barrier = threading.Barrier(2)
    outcomes: list = []
    errors: list = []

    def attempt(uid: int) -> None:
        try:
            with app.test_request_context(), council_context(council_id):
                profile = committed_db.session.scalar(select(ResidentProfile).where(ResidentProfile.user_id == uid))
                barrier.wait()
                outcome = redeem_code(profile, code)
                outcomes.append(outcome.problem)
                committed_db.session.commit()
                committed_db.session.remove()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=attempt, args=(uid,)) for uid in user_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors
    assert sorted(outcomes, key=str) == sorted([None, CodeProblem.USED], key=str)
    with council_context(council_id):
        verified = committed_db.session.scalars(
            select(ResidentProfile).where(ResidentProfile.verified_at.is_not(None))
        ).all()
        assert len(verified) == 1
        used = committed_db.session.scalars(select(VotingCode).where(VotingCode.used_at.is_not(None))).all()
        assert len(used) == 1 and used[0].used_by_user_id == verified[0].user_id


def test_assisted_verification_is_audited_with_officer_and_evidence(
    place, staff_client, committed_db, superuser_sql, app
):
    add_register(committed_db, place)
    resident_client(app, place, staff_client, committed_db)
    officer = staff_client(place.officer)
    found = officer.get(f"{place.prefix}/residents?q=new%40kingsmere").get_data(as_text=True)
    assert "New Resident" in found
    (user_id,) = superuser_sql("SELECT id FROM users WHERE email = 'new@kingsmere.example'")[0]
    page = f"{place.prefix}/residents/{user_id}/verify"
    assert officer.get(page).status_code == 200
    missing = officer.post(page, data={"evidence": "tenancy_agreement"})
    assert missing.status_code == 400 and "Enter a register reference" in missing.get_data(as_text=True)
    unknown = officer.post(page, data={"register_entry": "NOPE", "evidence": "tenancy_agreement"})
    assert "no one on the register" in unknown.get_data(as_text=True)
    by_hand = officer.post(
        page,
        data={"neighbourhood": str(place.castleton), "date_of_birth": "2011-05-04", "evidence": "school_letter"},
    )
    assert by_hand.status_code == 302
    assert officer.post(page, data={"register_entry": "R1", "evidence": "council_tax_bill"}).status_code == 302
    assert superuser_sql(
        "SELECT neighbourhood_id, date_of_birth, verified_how::text, verified_by_user_id FROM resident_profiles "
        "WHERE council_id = %s AND user_id = %s",
        place.council.id,
        user_id,
    ) == [(place.castleton, date(1990, 12, 10), "in_person", place.officer.id)]
    audit = superuser_sql(
        "SELECT payload->>'officer', payload->>'evidence', actor_user_id FROM audit_events "
        "WHERE council_id = %s AND action = 'resident.verified_in_person' ORDER BY seq",
        place.council.id,
    )
    assert audit == [
        (place.officer.name, "school_letter", place.officer.id),
        (place.officer.name, "council_tax_bill", place.officer.id),
    ]


def test_parental_consent_online_and_on_paper(place, staff_client, committed_db, superuser_sql, app):
    add_register(committed_db, place)
    young = resident_client(app, place, staff_client, committed_db)
    (user_id,) = superuser_sql("SELECT id FROM users WHERE email = 'new@kingsmere.example'")[0]
    with council_context(place.council.id):
        profile = profiles.profile_for(user_id)
        entry = committed_db.session.scalar(select(RegisterEntry).where(RegisterEntry.reference == "R3"))
        profiles.verify(profile, how=VerificationMethod.LETTER_CODE, neighbourhood_id=0, register_entry=entry)
        committed_db.session.commit()
    consent = f"/c/{place.council.slug}/consent"
    page = young.get(consent).get_data(as_text=True)
    assert "counts their votes only once a parent or carer agrees" in page
    refused = young.post(consent, data={"parent_name": "Dee Cole", "relationship": "mother"})
    assert refused.status_code == 400 and "Tick the box" in refused.get_data(as_text=True)
    assert (
        young.post(consent, data={"parent_name": "Dee Cole", "relationship": "mother", "agree": "y"}).status_code == 302
    )
    assert "has given consent" in young.get(consent).get_data(as_text=True)
    assert superuser_sql(
        "SELECT kind::text, given_by_name, recorded_by_user_id FROM resident_consents WHERE council_id = %s",
        place.council.id,
    ) == [("parental", "Dee Cole (mother)", None)]

    # On paper, recorded by an officer.
    with council_context(place.council.id):
        profiles.withdraw_consent(profiles.profile_for(user_id), ConsentKind.PARENTAL)
        committed_db.session.commit()
    officer = staff_client(place.officer)
    paper = f"{place.prefix}/residents/{user_id}/consent"
    response = officer.post(paper, data={"parent_name": "Ed Cole", "relationship": "father", "agree": "y"})
    assert response.status_code == 302
    assert superuser_sql(
        "SELECT given_by_name, recorded_by_user_id FROM resident_consents "
        "WHERE council_id = %s AND withdrawn_at IS NULL",
        place.council.id,
    ) == [("Ed Cole (father)", place.officer.id)]


def test_sign_up_rules_and_permissions(place, staff_client, committed_db, superuser_sql, app):
    client = staff_client(None)
    register = f"/c/{place.council.slug}/register"
    weak = client.post(
        register,
        data={"name": "X", "email": "x@kingsmere.example", "password": "password", "password_confirm": "password"},
    )
    assert weak.status_code == 400 and superuser_sql("SELECT id FROM users WHERE email = 'x@kingsmere.example'") == []
    taken = client.post(
        register,
        data={
            "name": "X",
            "email": place.resident.email.upper(),
            "password": "correct horse battery staple",
            "password_confirm": "correct horse battery staple",
        },
    )
    assert taken.status_code == 400 and "already exists" in taken.get_data(as_text=True)
    resident_client(app, place, staff_client, committed_db)
    assert superuser_sql(
        "SELECT r.role::text FROM council_roles r JOIN users u ON u.id = r.user_id "
        "WHERE r.council_id = %s AND u.email = 'new@kingsmere.example'",
        place.council.id,
    ) == [("resident",)]

    # Residents may not see the officer pages; signed-out people are sent to sign in.
    resident = staff_client(place.resident)
    for path in ("/letters", "/residents", f"/residents/{place.resident.id}/verify"):
        assert resident.get(place.prefix + path).status_code == 403
        assert staff_client(None).get(place.prefix + path).status_code == 302
    signed_out = staff_client(None).get(f"/c/{place.council.slug}/verify").get_data(as_text=True)
    assert "Create an account" in signed_out
    assert staff_client(place.admin).get(f"{place.prefix}/letters").status_code == 200


def test_sign_up_operation_writes_nothing_for_a_taken_address(place, committed_db):
    with council_context(place.council.id):
        assert accounts.sign_up("Again", place.resident.email, "correct horse battery staple") is None
