"""The register and postcode imports end to end: upload page → outbox → a real RQ worker → the tables and pages."""

from __future__ import annotations

import html
import io
import json

from sqlalchemy import select

from app.i18n.stored import StoredMessage
from app.residents import imports
from app.residents.models import ImportKind, ImportMode, ImportStatus, RegisterImport
from tenants.context import council_context
from workers.models import JobRun, JobRunStatus

HEAD = "reference,name,address,postcode,date_of_birth,neighbourhood\n"
GOOD = (
    HEAD
    + "R1,Ada Lovelace,1 Smith St,OL16 1AB,1990-12-10,Castleton\n"
    + "R2,Bob Brown,2 Smith St,ol16 1ab,10/12/1980,E05000650\n"
    + "R3,Cy Cole,3 Smith St,OL11 2XY,01/02/2001,\n"
)
# The same people, every neighbourhood named (no postcode lookup needed).
NAMED = GOOD.replace("01/02/2001,\n", "01/02/2001,Kirkholt\n")


def upload(client, place, data: str | bytes, *, kind: str = "register", mode: str = "replace"):
    raw = data.encode() if isinstance(data, str) else data
    path = f"{place.prefix}/import" if kind == "register" else f"{place.prefix}/postcodes/import"
    return client.post(path, data={"csv_file": (io.BytesIO(raw), "file.csv"), "mode": mode})


def register_rows(superuser_sql, council_id: int) -> list[tuple]:
    return superuser_sql(
        "SELECT reference, name, postcode, date_of_birth::text, neighbourhood_id FROM resident_register "
        "WHERE council_id = %s ORDER BY reference",
        council_id,
    )


def request(committed_db, place, kind, mode, data: str) -> int:
    with council_context(place.council.id):
        record = imports.request_import(kind, mode, "file.csv", data.encode(), actor_user_id=place.officer.id)
        committed_db.session.commit()
        return record.id


def test_officer_imports_postcodes_then_the_register_through_the_pages(
    place, staff_client, run_jobs, superuser_sql, redis_conn
):
    client = staff_client(place.officer)
    response = upload(
        client, place, "postcode,neighbourhood\nOL11 2XY,Kirkholt\nOL16 1AB,Castleton\n", kind="postcodes"
    )
    assert response.status_code == 302
    run_jobs(["reports"])
    assert superuser_sql(
        "SELECT postcode, neighbourhood_id FROM postcode_neighbourhoods WHERE council_id = %s ORDER BY postcode",
        place.council.id,
    ) == [("OL11 2XY", place.kirkholt), ("OL16 1AB", place.castleton)]

    response = upload(client, place, GOOD)
    assert response.status_code == 302
    status_page = response.headers["Location"]
    waiting = client.get(status_page).get_data(as_text=True)
    assert "Waiting to start" in waiting
    # No timed reload (WCAG 2.2.1, axe's meta-refresh rule): the person looks again when they choose.
    assert 'http-equiv="refresh"' not in waiting and "Check progress again" in waiting

    run_jobs(["reports"])
    assert register_rows(superuser_sql, place.council.id) == [
        ("R1", "Ada Lovelace", "OL16 1AB", "1990-12-10", place.castleton),
        ("R2", "Bob Brown", "OL16 1AB", "1980-12-10", place.castleton),
        ("R3", "Cy Cole", "OL11 2XY", "2001-02-01", place.kirkholt),  # from the postcode lookup
    ]
    done = client.get(status_page).get_data(as_text=True)
    assert "Import complete" in done and "Check progress again" not in done
    assert "3 lines imported" in done

    listing = client.get(f"{place.prefix}/?q=lovelace").get_data(as_text=True)
    assert "Ada Lovelace" in listing and "Bob Brown" not in listing
    assert "Cy Cole" in client.get(f"{place.prefix}/?q=ol112xy").get_data(as_text=True)

    # The file is not kept; the audit log has counts and no personal data.
    assert superuser_sql("SELECT count(*) FROM register_imports WHERE content IS NOT NULL")[0][0] == 0
    events = superuser_sql(
        "SELECT action, payload FROM audit_events WHERE council_id = %s AND action LIKE '%%imported' ORDER BY seq",
        place.council.id,
    )
    assert [e[0] for e in events] == ["postcodes.imported", "register.imported"]
    assert events[1][1] == {"mode": "replace", "rows": 3, "added": 3, "updated": 0, "unchanged": 0, "removed": 0}
    assert "Ada" not in json.dumps(events[1][1])


def test_a_bad_file_writes_nothing_and_lists_every_problem_by_line(
    place, staff_client, committed_db, run_jobs, superuser_sql, redis_conn
):
    request(committed_db, place, ImportKind.REGISTER, ImportMode.REPLACE, NAMED)
    run_jobs(["reports"])
    before = register_rows(superuser_sql, place.council.id)
    assert len(before) == 3

    client = staff_client(place.officer)
    bad = (
        HEAD
        + "R9,New Person,9 St,OL16 1AB,1990-01-01,Castleton\n"
        + "R1,X,1 St,BAD,31/02/1990,Castleton\n"
        + "R9,Y,2 St,OL16 1AB,1990-01-01,Nowhere\n"
    )
    status_page = upload(client, place, bad).headers["Location"]
    run_jobs(["reports"])
    assert register_rows(superuser_sql, place.council.id) == before  # nothing written, nothing removed
    page = html.unescape(client.get(status_page).get_data(as_text=True))
    assert "Nothing was imported" in page and "The file has 4 problems." in page
    for text in ('"BAD" is not a UK postcode', '"31/02/1990" is not a real date', "The reference R9 is also on line 2"):
        assert text in page
    with council_context(place.council.id):
        record = committed_db.session.scalar(select(RegisterImport).order_by(RegisterImport.id.desc()).limit(1))
        assert record.status is ImportStatus.REJECTED
        # The English, and the message id with its values for the page to translate.
        assert record.problems[0] == [
            3,
            "postcode",
            '"BAD" is not a UK postcode',
            {"msgid": '"%(postcode)s" is not a UK postcode', "params": {"postcode": "BAD"}},
        ]
        run = committed_db.session.scalar(select(JobRun).where(JobRun.job_id == record.job_id))
        assert run.status is JobRunStatus.FINISHED
        assert StoredMessage.from_json(run.message).english() == "The file has 4 problems. Nothing was imported"
        committed_db.session.rollback()
    assert superuser_sql(
        "SELECT payload FROM audit_events WHERE council_id = %s AND action = 'register.import_rejected'",
        place.council.id,
    ) == [({"problems": 4},)]


def test_replace_removes_people_not_in_the_file_and_upsert_keeps_them(
    place, committed_db, run_jobs, superuser_sql, redis_conn
):
    request(committed_db, place, ImportKind.REGISTER, ImportMode.REPLACE, NAMED)
    run_jobs(["reports"])
    changed = (
        HEAD
        + "R1,Ada Lovelace,1 Smith St,OL16 1AB,1990-12-10,Castleton\n"
        + "R2,Bob Brown,5 New Rd,OL16 1AB,1980-12-10,Kirkholt\n"
        + "R4,Di,4 St,OL16 1AB,1999-09-09,Kirkholt\n"
    )
    upsert = request(committed_db, place, ImportKind.REGISTER, ImportMode.UPSERT, changed)
    run_jobs(["reports"])
    assert [r[0] for r in register_rows(superuser_sql, place.council.id)] == ["R1", "R2", "R3", "R4"]
    replace = request(committed_db, place, ImportKind.REGISTER, ImportMode.REPLACE, changed)
    run_jobs(["reports"])
    assert [r[0] for r in register_rows(superuser_sql, place.council.id)] == ["R1", "R2", "R4"]
    counts = superuser_sql(
        "SELECT id, added, updated, unchanged, removed FROM register_imports WHERE id IN (%s, %s) ORDER BY id",
        upsert,
        replace,
    )
    assert [c[1:] for c in counts] == [(1, 1, 1, 0), (0, 0, 3, 1)]


def test_progress_is_recorded_for_the_page(place, committed_db, run_jobs, superuser_sql, redis_conn, monkeypatch):
    monkeypatch.setattr(imports, "PROGRESS_EVERY", 2)
    body = "".join(f"R{n},Name,{n} St,OL16 1AB,1990-01-01,Castleton\n" for n in range(10))
    import_id = request(committed_db, place, ImportKind.REGISTER, ImportMode.REPLACE, HEAD + body)
    job_id = superuser_sql("SELECT job_id FROM register_imports WHERE id = %s", import_id)[0][0]
    assert superuser_sql("SELECT status::text FROM job_runs WHERE job_id = %s", job_id) == [("queued",)]
    seen = []
    real = imports.progress.report_progress

    def spy(done, total=None, message=None):
        real(done, total, message)
        # What the page would read at this moment, from another connection.
        seen.append(superuser_sql("SELECT status::text, done, total FROM job_runs WHERE job_id = %s", job_id)[0])

    monkeypatch.setattr(imports.progress, "report_progress", spy)
    run_jobs(["reports"])
    assert seen[0] == ("running", 2, 10)
    assert ("running", 10, 10) in seen
    assert superuser_sql("SELECT status::text, done FROM job_runs WHERE job_id = %s", job_id) == [("finished", 10)]


def test_only_officers_and_administrators_may_use_the_pages(place, staff_client, committed_db):
    import_id = request(committed_db, place, ImportKind.REGISTER, ImportMode.REPLACE, GOOD)
    pages = ["/", "/import", "/postcodes", "/postcodes/import", "/template.csv", f"/imports/{import_id}"]
    for user, expected in ((place.officer, 200), (place.admin, 200), (place.resident, 403)):
        client = staff_client(user)
        for page in pages:
            assert client.get(place.prefix + page).status_code == expected, (user.email, page)
    anonymous = staff_client(None)
    for page in pages:
        assert anonymous.get(place.prefix + page).status_code == 302
    assert staff_client(place.resident).post(f"{place.prefix}/import").status_code == 403


def test_upload_form_errors_are_clear(place, staff_client):
    client = staff_client(place.officer)
    missing = client.post(f"{place.prefix}/import", data={"mode": "replace"})
    assert missing.status_code == 400 and "Select a CSV file" in missing.get_data(as_text=True)
    wrong = client.post(f"{place.prefix}/import", data={"csv_file": (io.BytesIO(b"x"), "file.pdf"), "mode": "replace"})
    assert wrong.status_code == 400 and "must be a CSV file" in wrong.get_data(as_text=True)
    empty = upload(client, place, b"")
    assert "The selected file is empty" in empty.get_data(as_text=True)


def test_a_file_over_the_limit_is_refused_with_a_clear_message(place, staff_client, monkeypatch):
    from app.residents import blueprint

    monkeypatch.setitem(blueprint._UPLOAD_LIMITS, "residents_admin.import_postcodes", 1024)
    client = staff_client(place.officer)
    response = upload(client, place, b"postcode,neighbourhood\n" + b"OL16 1AB,Castleton\n" * 10_000, kind="postcodes")
    assert response.status_code == 413
    assert "The file must be smaller than" in response.get_data(as_text=True)


WELSH = {"Accept-Language": "cy-GB,cy;q=0.9"}


def test_an_officer_reading_welsh_sees_the_problems_in_welsh(place, staff_client, run_jobs, committed_db):
    """The job keeps each problem's message id and values; the page translates them for whoever reads it."""
    client = staff_client(place.officer)
    bad = HEAD + "R1,X,1 St,BAD,31/02/1990,Castleton\n" + "R1,Y,2 St,OL16 1AB,1990-01-01,Nowhere\n"
    status_page = upload(client, place, bad).headers["Location"]
    run_jobs(["reports"])

    welsh = html.unescape(client.get(status_page, headers=WELSH).get_data(as_text=True))
    for text in (
        "Ni fewnforiwyd dim byd",
        "Mae gan y ffeil 4 o broblemau.",
        'Nid yw "BAD" yn god post yn y DU',
        'Nid yw "31/02/1990" yn ddyddiad go iawn',
        "Mae'r cyfeirnod R1 hefyd ar linell 2",
        "Nid oes cymdogaeth o'r enw \"Nowhere\" (neu gyda'r cod hwnnw)",
    ):
        assert text in welsh
    assert "is not a UK postcode" not in welsh

    english = html.unescape(client.get(status_page).get_data(as_text=True))
    assert '"BAD" is not a UK postcode' in english and "The reference R1 is also on line 2" in english
    assert "god post" not in english


def test_problems_kept_as_plain_text_before_they_were_translatable_still_show(place, staff_client, committed_db):
    with council_context(place.council.id):
        record = RegisterImport(
            kind=ImportKind.REGISTER,
            mode=ImportMode.REPLACE,
            status=ImportStatus.REJECTED,
            filename="old.csv",
            size_bytes=10,
            job_id="old-import",
            rows=1,
            problem_count=1,
            problems=[[2, "postcode", '"BAD" is not a UK postcode']],
        )
        committed_db.session.add(record)
        committed_db.session.commit()
        import_id = record.id
    page = staff_client(place.officer).get(f"{place.prefix}/imports/{import_id}", headers=WELSH)
    assert page.status_code == 200
    assert '"BAD" is not a UK postcode' in html.unescape(page.get_data(as_text=True))
